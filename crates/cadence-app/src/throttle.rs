//! Counting password attempts per account and per client address (security reference ACC-6).
//!
//! An attempt takes its place in the count **before** the password is hashed, checked and
//! counted under one lock ([`Throttle::reserve`]), so however many attempts arrive at once, at
//! most `max` of them are ever checked in a window: checking first and counting after the
//! slow hash let 33 of 200 concurrent guesses through a limit of 10 (issue 15 §2). A
//! successful attempt gives its place back ([`Reservation::succeeded`]), as does one the
//! database kept from being checked ([`Reservation::not_checked`]); a failed one keeps it
//! until the window ends.
//!
//! The counts live in this process's memory: a restart forgets them, and N server processes
//! allow N times the limits (`docs/operations.md`).

use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Keys kept before expired windows are swept out (unknown emails are keys too, so an
/// attacker could otherwise grow the map without bound).
const SWEEP_ABOVE: usize = 10_000;

/// A fixed window of attempts for one key.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Timestamp,
    count: u32,
}

impl Window {
    fn ends(&self, window: SignedDuration) -> Option<Timestamp> {
        self.start.saturating_add(window).ok()
    }

    fn live(&self, now: Timestamp, window: SignedDuration) -> bool {
        self.ends(window).is_some_and(|end| now < end)
    }
}

/// Attempts per key (`account:<email>`, `address:<ip>`) within a window.
#[derive(Debug, Default)]
pub struct Throttle(Mutex<HashMap<String, Window>>);

/// Places taken by one attempt: give them back with [`Reservation::succeeded`] when the
/// password was right; otherwise they count as failures until their windows end.
#[derive(Debug)]
#[must_use = "a reservation is a counted attempt: report success, or let it stand as a failure"]
pub struct Reservation<'a> {
    throttle: &'a Throttle,
    keys: Vec<String>,
}

impl Throttle {
    fn map(&self) -> MutexGuard<'_, HashMap<String, Window>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes one place for every key at once, or none: `Err(seconds)` until the first full
    /// window ends when any key already has `max` attempts (its own limit) in its window.
    pub fn reserve(
        &self,
        keys: &[(&str, u32)],
        now: Timestamp,
        window: SignedDuration,
    ) -> Result<Reservation<'_>, u64> {
        let mut map = self.map();
        if map.len() > SWEEP_ABOVE {
            map.retain(|_, w| w.live(now, window));
        }
        let mut wait: Option<u64> = None;
        for (key, max) in keys {
            let Some(w) = map.get(*key).filter(|w| w.live(now, window)) else {
                continue;
            };
            if w.count >= *max {
                let secs = w.ends(window).map_or(1, |end| {
                    end.duration_since(now).as_secs().max(1).unsigned_abs()
                });
                wait = Some(wait.map_or(secs, |w| w.max(secs)));
            }
        }
        if let Some(secs) = wait {
            return Err(secs);
        }
        for (key, _) in keys {
            let w = map.entry((*key).to_owned()).or_insert(Window {
                start: now,
                count: 0,
            });
            if !w.live(now, window) {
                *w = Window {
                    start: now,
                    count: 0,
                };
            }
            w.count = w.count.saturating_add(1);
        }
        Ok(Reservation {
            throttle: self,
            keys: keys.iter().map(|(k, _)| (*k).to_owned()).collect(),
        })
    }
}

impl Reservation<'_> {
    /// The password was right: the attempt gives its place back, and the first key (the
    /// account) starts afresh, as a successful login proves the owner is there.
    pub fn succeeded(self) {
        let mut map = self.throttle.map();
        for (i, key) in self.keys.iter().enumerate() {
            if i == 0 {
                map.remove(key);
            } else if let Some(w) = map.get_mut(key) {
                w.count = w.count.saturating_sub(1);
            }
        }
    }

    /// The password could not be checked (the database failed): the attempt gives every place
    /// back, so an outage does not lock accounts out once it is over.
    pub fn not_checked(self) {
        let mut map = self.throttle.map();
        for key in &self.keys {
            if let Some(w) = map.get_mut(key) {
                w.count = w.count.saturating_sub(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    const WINDOW: SignedDuration = SignedDuration::from_mins(15);

    #[test]
    fn attempts_count_when_reserved_and_block_at_the_limit() {
        let t = Throttle::default();
        let held: Vec<_> = (0..3)
            .map(|_| t.reserve(&[("k", 3)], at(0), WINDOW).unwrap())
            .collect();
        // Three attempts in flight, none finished: the fourth waits all the same.
        let wait = t.reserve(&[("k", 3)], at(60), WINDOW).unwrap_err();
        assert_eq!(wait, 14 * 60);
        drop(held);
        assert!(t.reserve(&[("k", 3)], at(15 * 60), WINDOW).is_ok());
    }

    #[test]
    fn all_keys_or_none() {
        let t = Throttle::default();
        let _ = t.reserve(&[("address", 1)], at(0), WINDOW).unwrap();
        assert!(
            t.reserve(&[("account", 5), ("address", 1)], at(1), WINDOW)
                .is_err()
        );
        // The refused attempt took no place for the account.
        for _ in 0..5 {
            let _ = t.reserve(&[("account", 5)], at(2), WINDOW).unwrap();
        }
        assert!(t.reserve(&[("account", 5)], at(3), WINDOW).is_err());
    }

    #[test]
    fn success_clears_the_account_and_returns_the_address_place() {
        let t = Throttle::default();
        for _ in 0..2 {
            let _ = t
                .reserve(&[("account", 3), ("address", 3)], at(0), WINDOW)
                .unwrap();
        }
        t.reserve(&[("account", 3), ("address", 3)], at(1), WINDOW)
            .unwrap()
            .succeeded();
        // The account starts afresh; the address keeps its two failures.
        for _ in 0..3 {
            let _ = t.reserve(&[("account", 3)], at(2), WINDOW).unwrap();
        }
        let _ = t.reserve(&[("address", 3)], at(2), WINDOW).unwrap();
        assert!(t.reserve(&[("address", 3)], at(2), WINDOW).is_err());
    }

    #[test]
    fn an_attempt_not_checked_gives_its_places_back() {
        let t = Throttle::default();
        let _ = t.reserve(&[("account", 2)], at(0), WINDOW).unwrap();
        t.reserve(&[("account", 2)], at(0), WINDOW)
            .unwrap()
            .not_checked();
        // One failure counted, not two: one more attempt fits.
        let _ = t.reserve(&[("account", 2)], at(1), WINDOW).unwrap();
        assert!(t.reserve(&[("account", 2)], at(1), WINDOW).is_err());
    }

    #[test]
    fn concurrent_attempts_never_exceed_the_limit() {
        let t = std::sync::Arc::new(Throttle::default());
        let granted = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let (t, granted) = (t.clone(), granted.clone());
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        if t.reserve(&[("k", 10)], at(0), WINDOW).is_ok() {
                            granted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                    }
                })
            })
            .collect();
        for th in threads {
            th.join().unwrap();
        }
        assert_eq!(granted.load(std::sync::atomic::Ordering::SeqCst), 10);
    }
}
