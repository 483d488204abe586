//! How sqlx and PostgreSQL errors become [`StoreError`]s.
//!
//! Unique violations (SQLSTATE 23505) name the rule with the same `table.column` text as the
//! SQLite backend (`patients.mrn` for the per-clinic MRN rule), derived from our constraint names (`<table>_<columns>_key`, see the
//! migration); foreign-key violations (23503) are `foreign_key`. Error text never carries a
//! bound value: PostgreSQL puts the offending key in the `DETAIL` field, which we never read,
//! and for data exceptions (class 22), whose message may quote the input, we keep only the code.

use cadence_store::StoreError;
use sqlx::postgres::PgDatabaseError;

/// Maps a sqlx error to the store's error.
pub(crate) fn map(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::RowNotFound = err {
        return StoreError::NotFound;
    }
    if let sqlx::Error::Database(db) = &err {
        match db.code().as_deref() {
            Some("23505") => {
                let pg = db.try_downcast_ref::<PgDatabaseError>();
                return StoreError::Conflict {
                    constraint: unique_rule(db.constraint(), pg.and_then(|e| e.table())),
                };
            }
            Some("23503") => {
                return StoreError::Conflict {
                    constraint: "foreign_key".into(),
                };
            }
            Some(code) if unavailable_code(code) => {
                return StoreError::Unavailable(describe(&err));
            }
            _ => {}
        }
    }
    if matches!(
        err,
        sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
    ) {
        return StoreError::Unavailable(describe(&err));
    }
    StoreError::Other(describe(&err))
}

/// Whether a SQLSTATE means the database cannot take the work now: a connection exception
/// (class 08), insufficient resources (class 53: disk full, out of memory, too many
/// connections), an operator intervention that ends sessions (57P01-57P03), a read-only
/// transaction (25006: a standby or `default_transaction_read_only`), or an I/O error (58030).
fn unavailable_code(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || matches!(code, "57P01" | "57P02" | "57P03" | "25006" | "58030")
}

/// The rule a unique constraint enforces, as `table.column`, named as the SQLite backend names
/// it: the columns without the `clinic_id` scope of a per-clinic rule (`patients.mrn`).
pub(crate) fn unique_rule(constraint: Option<&str>, table: Option<&str>) -> String {
    match constraint {
        Some("clinics_name_key") => "clinics.name".into(),
        Some("users_email_key") => "users.email".into(),
        Some("patients_clinic_id_mrn_key") => "patients.mrn".into(),
        Some("auth_sessions_pkey") => "auth_sessions.token_hash".into(),
        Some("price_lists_pkey") => "price_lists.clinic_id".into(),
        Some("audit_log_pkey") => "audit_log.seq".into(),
        Some("audit_head_pkey") => "audit_head.id".into(),
        Some("session_entries_once" | "session_entries_end") => "session_entries.once".into(),
        Some("rems_enrolments_pkey") => "rems_enrolments.patient_id".into(),
        // A constraint added later and not listed above: `<table>_[clinic_id_]<column>_key`
        // still reads as `table.column`.
        Some(name) => match table {
            Some(table) => {
                let column = name
                    .strip_prefix(table)
                    .and_then(|rest| rest.strip_prefix('_'))
                    .and_then(|rest| rest.strip_suffix("_key"))
                    .map(|rest| rest.strip_prefix("clinic_id_").unwrap_or(rest));
                match column {
                    Some(column) => format!("{table}.{column}"),
                    None => name.to_owned(),
                }
            }
            None => name.to_owned(),
        },
        None => "unique".into(),
    }
}

/// Operator-facing text for an error, without bound values.
pub(crate) fn describe(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            // Classes whose messages may quote data: keep the code and the rule's name only.
            if code.starts_with("22") || code.starts_with("23") {
                match db.constraint() {
                    Some(rule) => format!("postgres error {code} (constraint {rule})"),
                    None => format!("postgres error {code}"),
                }
            } else {
                format!("postgres error {code}: {}", db.message())
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_disk_read_only_and_lost_connections_are_unavailable() {
        for code in ["53100", "53300", "08006", "57P01", "25006", "58030"] {
            assert!(unavailable_code(code), "{code}");
        }
        for code in ["23505", "22001", "42P01", "40001"] {
            assert!(!unavailable_code(code), "{code}");
        }
    }

    #[test]
    fn named_rules_read_like_sqlite() {
        assert_eq!(
            unique_rule(Some("users_email_key"), Some("users")),
            "users.email"
        );
        assert_eq!(
            unique_rule(Some("clinics_name_key"), Some("clinics")),
            "clinics.name"
        );
        assert_eq!(
            unique_rule(Some("patients_clinic_id_mrn_key"), Some("patients")),
            "patients.mrn"
        );
    }

    #[test]
    fn an_unlisted_constraint_still_names_its_table_and_column() {
        assert_eq!(
            unique_rule(Some("decisions_note_key"), Some("decisions")),
            "decisions.note"
        );
        assert_eq!(
            unique_rule(Some("courses_clinic_id_code_key"), Some("courses")),
            "courses.code"
        );
        assert_eq!(unique_rule(None, None), "unique");
    }
}
