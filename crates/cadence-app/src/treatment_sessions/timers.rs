//! The timers of a session: the checks that fall due after the dose, for the nurse's panel
//! (and the JSON API). Pure functions of the record, the protocol's observation time, `now`
//! and the clinic's time zone.

use cadence_store::records::{Administration, MonitoringEntry};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// The post-dose blood-pressure re-check, minutes after administration starts [JNJ-BP].
pub const BP_CHECK_MINUTES: i64 = 40;
/// A reading from this many minutes on counts as the post-dose re-check (a display choice of
/// Cadence's, not a clinical rule).
const BP_CHECK_FROM: i64 = 30;

/// A check that falls due at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timer {
    /// What is due, e.g. "BP due at".
    pub what: &'static str,
    /// How long after the start, e.g. "(40 min)".
    pub after: String,
    /// RFC 3339 instant, for `<time datetime>` and `data-due`.
    pub due: String,
    /// `HH:MM` in the clinic.
    pub at: String,
    /// Where it stands, in words.
    pub state: String,
    /// Whether it needs doing now.
    pub now: bool,
}

/// `HH:MM` in the clinic.
fn clock(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

fn minutes_between(a: Timestamp, b: Timestamp) -> i64 {
    (b.as_second() - a.as_second()).div_euclid(60)
}

/// The timers for a session: the 40-minute BP re-check and, when the protocol sets one, the
/// end of the observation period. Empty until administration has started.
pub fn timers(
    monitoring: &[MonitoringEntry],
    administration: Option<&Administration>,
    ended: bool,
    observation_minutes: Option<u16>,
    now: Timestamp,
    tz: &TimeZone,
) -> Vec<Timer> {
    let Some(admin) = administration else {
        return Vec::new();
    };
    let start = admin.started_at;
    let mut out = Vec::new();
    let due = start + SignedDuration::from_mins(BP_CHECK_MINUTES);
    let rechecked = monitoring
        .iter()
        .any(|e| e.entry.bp.is_some() && minutes_between(start, e.entry.taken_at) >= BP_CHECK_FROM);
    let left = minutes_between(now, due);
    let (state, is_now) = if rechecked {
        ("done: a reading is recorded".to_owned(), false)
    } else if ended {
        ("not recorded".to_owned(), false)
    } else if left <= 0 {
        ("due now".to_owned(), true)
    } else {
        (format!("in {left} min"), false)
    };
    out.push(Timer {
        what: "BP due at",
        after: format!("({BP_CHECK_MINUTES} min)"),
        due: due.to_string(),
        at: clock(due, tz),
        state,
        now: is_now,
    });
    if let Some(minutes) = observation_minutes {
        let end = start + SignedDuration::from_mins(i64::from(minutes));
        let left = minutes_between(now, end);
        let length = if minutes % 60 == 0 {
            format!("{} h", minutes / 60)
        } else {
            format!("{minutes} min")
        };
        let state = if ended {
            "session completed".to_owned()
        } else if left <= 0 {
            "ended: assess for discharge".to_owned()
        } else {
            format!("{left} min left")
        };
        out.push(Timer {
            what: "Observation ends at",
            after: format!("({length})"),
            due: end.to_string(),
            at: clock(end, tz),
            state,
            now: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cadence_clinical::route::Route;
    use cadence_store::ids::{MonitoringEntryId, UserId};
    use cadence_store::records::{BloodPressure, NewMonitoringEntry};

    fn at(minutes: i64) -> Timestamp {
        let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        start + SignedDuration::from_mins(minutes)
    }

    fn administration() -> Administration {
        Administration {
            route: Route::Esketamine,
            dose_ordered_mg: 56.0,
            dose_given_mg: 56.0,
            lot: "L".into(),
            started_at: at(0),
            ended_at: None,
            weight_kg: None,
            mg_per_kg: None,
            dose_flags: Vec::new(),
            confirmation: None,
            recorded_by: UserId(1),
        }
    }

    fn reading(minutes: i64, moaas: Option<u8>) -> MonitoringEntry {
        MonitoringEntry {
            id: MonitoringEntryId(1),
            entry: NewMonitoringEntry {
                taken_at: at(minutes),
                bp: Some(BloodPressure {
                    systolic: 130,
                    diastolic: 80,
                }),
                heart_rate: None,
                spo2: None,
                respiratory_rate: None,
                moaas,
                cadss: None,
                adverse_effects: Vec::new(),
                recorded_by: UserId(1),
            },
        }
    }

    #[test]
    fn timers_fall_at_40_minutes_and_at_the_end_of_observation() {
        let a = administration();
        let t = timers(&[], Some(&a), false, Some(120), at(10), &TimeZone::UTC);
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].what, t[0].at.as_str(), t[0].after.as_str()),
            ("BP due at", "09:40", "(40 min)")
        );
        assert_eq!(t[0].due, "2026-03-02T09:40:00Z");
        assert_eq!(t[0].state, "in 30 min");
        assert_eq!(
            (t[1].what, t[1].at.as_str(), t[1].after.as_str()),
            ("Observation ends at", "11:00", "(2 h)")
        );
        assert_eq!(t[1].state, "110 min left");
        let t = timers(&[], Some(&a), false, Some(120), at(41), &TimeZone::UTC);
        assert!(t[0].now);
        assert_eq!(t[0].state, "due now");
        let t = timers(&[], Some(&a), false, None, at(130), &TimeZone::UTC);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn a_reading_after_30_minutes_completes_the_bp_check() {
        let a = administration();
        let mut m = vec![reading(20, Some(4))];
        assert!(timers(&m, Some(&a), false, None, at(45), &TimeZone::UTC)[0].now);
        m.push(reading(39, Some(5)));
        let t = timers(&m, Some(&a), false, None, at(45), &TimeZone::UTC);
        assert!(!t[0].now && t[0].state.starts_with("done"));
    }

    #[test]
    fn no_timers_before_administration() {
        assert!(timers(&[], None, false, Some(120), at(0), &TimeZone::UTC).is_empty());
    }
}
