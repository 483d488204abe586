//! The server settings an acknowledged write depends on, asserted at start-up rather than
//! assumed (security reference 4.2, checklist DUR-2).
//!
//! - `fsync=off`: an operating-system crash can corrupt the cluster beyond recovery.
//! - `full_page_writes=off`: torn pages after a crash, possibly silent corruption.
//! - `synchronous_commit=off`: "saved" may be said up to 3 × `wal_writer_delay` before the
//!   commit is on disk, so a crash loses writes a nurse was told were recorded.
//!
//! `synchronous_commit` values `on`, `local`, `remote_write` and `remote_apply` all wait for the
//! local WAL flush and are accepted. `data_checksums` is only logged: it can be enabled only
//! when a cluster is created (or offline with `pg_checksums`), and a clinic's existing cluster
//! without it is still durable.

/// The values read with `SHOW` at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurabilitySettings {
    /// `SHOW fsync`.
    pub fsync: String,
    /// `SHOW full_page_writes`.
    pub full_page_writes: String,
    /// `SHOW synchronous_commit`.
    pub synchronous_commit: String,
    /// `SHOW data_checksums` (logged, not required).
    pub data_checksums: String,
}

/// A setting that would let PostgreSQL lose or corrupt acknowledged writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "PostgreSQL setting {setting} = {value} risks losing acknowledged writes; \
     Cadence requires {required} (see docs/operations.md, \"PostgreSQL\")"
)]
pub struct DurabilityError {
    /// The setting's name, e.g. `fsync`.
    pub setting: &'static str,
    /// The value the server reported.
    pub value: String,
    /// What is accepted.
    pub required: &'static str,
}

/// `synchronous_commit` values that wait for the local WAL flush before saying "committed".
const SAFE_SYNCHRONOUS_COMMIT: &[&str] = &["on", "local", "remote_write", "remote_apply"];

impl DurabilitySettings {
    /// Refuses the first weakened setting, naming it. Unknown values are refused too: a
    /// setting we cannot read as safe is not assumed safe.
    pub fn check(&self) -> Result<(), DurabilityError> {
        if !is_on(&self.fsync) {
            return Err(DurabilityError {
                setting: "fsync",
                value: self.fsync.clone(),
                required: "on",
            });
        }
        if !is_on(&self.full_page_writes) {
            return Err(DurabilityError {
                setting: "full_page_writes",
                value: self.full_page_writes.clone(),
                required: "on",
            });
        }
        let commit = self.synchronous_commit.trim().to_ascii_lowercase();
        if !SAFE_SYNCHRONOUS_COMMIT.contains(&commit.as_str()) {
            return Err(DurabilityError {
                setting: "synchronous_commit",
                value: self.synchronous_commit.clone(),
                required: "on, local, remote_write or remote_apply",
            });
        }
        Ok(())
    }

    /// Whether pages carry checksums, so corruption on disk is detected when read.
    pub fn data_checksums_on(&self) -> bool {
        is_on(&self.data_checksums)
    }

    /// Logs the accepted settings (no data, no URL) for the operator.
    pub fn log(&self) {
        if self.data_checksums_on() {
            tracing::info!(
                fsync = %self.fsync,
                full_page_writes = %self.full_page_writes,
                synchronous_commit = %self.synchronous_commit,
                data_checksums = %self.data_checksums,
                "PostgreSQL durability settings checked"
            );
        } else {
            tracing::warn!(
                fsync = %self.fsync,
                full_page_writes = %self.full_page_writes,
                synchronous_commit = %self.synchronous_commit,
                data_checksums = %self.data_checksums,
                "PostgreSQL data checksums are off: corruption on disk would go unnoticed until \
                 read; consider enabling them (pg_checksums, with the cluster stopped)"
            );
        }
    }
}

/// PostgreSQL's boolean spellings for "on".
fn is_on(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "on" | "true" | "yes" | "1"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe() -> DurabilitySettings {
        DurabilitySettings {
            fsync: "on".into(),
            full_page_writes: "on".into(),
            synchronous_commit: "on".into(),
            data_checksums: "off".into(),
        }
    }

    #[test]
    fn the_defaults_are_accepted_with_or_without_checksums() {
        assert_eq!(safe().check(), Ok(()));
        let with = DurabilitySettings {
            data_checksums: "on".into(),
            ..safe()
        };
        assert_eq!(with.check(), Ok(()));
        assert!(with.data_checksums_on());
        assert!(!safe().data_checksums_on());
    }

    #[test]
    fn every_waiting_synchronous_commit_level_is_accepted() {
        for level in ["on", "local", "remote_write", "remote_apply", "ON"] {
            let s = DurabilitySettings {
                synchronous_commit: level.into(),
                ..safe()
            };
            assert_eq!(s.check(), Ok(()), "{level}");
        }
    }

    #[test]
    fn each_weakened_setting_is_refused_by_name() {
        let cases = [
            (
                DurabilitySettings {
                    fsync: "off".into(),
                    ..safe()
                },
                "fsync",
            ),
            (
                DurabilitySettings {
                    full_page_writes: "off".into(),
                    ..safe()
                },
                "full_page_writes",
            ),
            (
                DurabilitySettings {
                    synchronous_commit: "off".into(),
                    ..safe()
                },
                "synchronous_commit",
            ),
            (
                DurabilitySettings {
                    synchronous_commit: "sometimes".into(),
                    ..safe()
                },
                "synchronous_commit",
            ),
        ];
        for (settings, name) in cases {
            let err = settings.check().unwrap_err();
            assert_eq!(err.setting, name);
            assert!(err.to_string().contains(name), "{err}");
        }
    }
}
