//! Whether storage can take writes, for `/healthz` (issue 15 §4).
//!
//! A probe ([`cadence_store::Store::check_available`]) finds a database that cannot be reached
//! or is read-only, but not a full disk: that shows only when a write fails, and on a nearly
//! full disk small writes may still pass while larger ones fail. So the application also
//! remembers the last write storage refused ([`App::storage_failed`], called by the web layer
//! for every `storage_unavailable` answer) and reports trouble until
//! [`STORAGE_FAILURE_WINDOW`] has passed without another.

use crate::App;
use jiff::{SignedDuration, Timestamp};
use std::sync::{Mutex, PoisonError};

/// How long after a refused write `/healthz` still reports storage trouble.
pub const STORAGE_FAILURE_WINDOW: SignedDuration = SignedDuration::from_secs(60);

/// When storage last refused a write, if ever.
#[derive(Debug, Default)]
pub struct StorageHealth(Mutex<Option<Timestamp>>);

/// What `/healthz` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageStatus {
    /// The database answers, and has taken every write for a while.
    Ok,
    /// The database cannot be reached, is read-only, or refused a write within the last
    /// [`STORAGE_FAILURE_WINDOW`].
    Unavailable,
}

impl StorageHealth {
    /// When storage last refused a write.
    pub fn last_failure(&self) -> Option<Timestamp> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl App {
    /// A write failed because storage cannot take it (disk full, read-only, I/O, connection).
    pub fn storage_failed(&self) {
        let now = self.now();
        let mut last = self
            .storage
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !recent(*last, now) {
            tracing::error!("storage cannot take writes; answering 503 storage_unavailable");
        }
        *last = Some(now);
    }

    /// The storage's state for `/healthz`: a probe of the database, and the last refused write.
    pub async fn storage_status(&self) -> StorageStatus {
        match self.store.check_available().await {
            Ok(()) if !recent(self.storage.last_failure(), self.now()) => StorageStatus::Ok,
            Ok(()) => StorageStatus::Unavailable,
            Err(e) => {
                tracing::warn!(error = %e, "the storage health probe failed");
                StorageStatus::Unavailable
            }
        }
    }
}

/// Whether a failure at `last` is within the window before `now` (a clock that went back
/// counts as recent).
fn recent(last: Option<Timestamp>, now: Timestamp) -> bool {
    last.is_some_and(|at| {
        at.saturating_add(STORAGE_FAILURE_WINDOW)
            .is_ok_and(|until| now < until)
            || now < at
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_counts_for_the_window() {
        let t0 = Timestamp::from_second(1_800_000_000).unwrap();
        let later = |s| t0.saturating_add(SignedDuration::from_secs(s)).unwrap();
        assert!(!recent(None, t0));
        assert!(recent(Some(t0), t0));
        assert!(recent(Some(t0), later(59)));
        assert!(!recent(Some(t0), later(60)));
        assert!(recent(Some(later(10)), t0), "clock went back");
    }
}
