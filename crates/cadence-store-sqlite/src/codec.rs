//! Converting between Rust values and SQLite columns, and sqlx errors into [`StoreError`].
//!
//! Error texts name columns and rules, never values: stored values are health information, and
//! a [`StoreError::Other`] ends up in the operator's log. That is why parse failures are mapped
//! to fixed messages instead of passing on the parser's message (which quotes its input).

use cadence_store::StoreError;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::error::ErrorKind;
use sqlx::sqlite::SqliteRow;
use std::str::FromStr;

/// Maps a sqlx error onto the storage error: unique rules to `Conflict{"table.column"}`,
/// foreign keys to `Conflict{"foreign_key"}`, a missing row to `NotFound`, and a database that
/// cannot take the write now (full disk, read-only file, I/O error, locked past the busy
/// timeout, out of memory, a lost connection worker) to `Unavailable`.
pub(crate) fn db(err: sqlx::Error) -> StoreError {
    match &err {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(e) => match e.kind() {
            ErrorKind::UniqueViolation => StoreError::Conflict {
                constraint: unique_rule(e.message()),
            },
            ErrorKind::ForeignKeyViolation => StoreError::Conflict {
                constraint: "foreign_key".to_owned(),
            },
            _ if e.code().is_some_and(|code| unavailable_code(&code)) => {
                StoreError::Unavailable(e.message().to_owned())
            }
            _ => StoreError::other(e.message()),
        },
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(err.to_string()),
        _ => StoreError::other(&err),
    }
}

/// Whether an SQLite (extended) result code means "cannot write now": the primary codes
/// SQLITE_BUSY (5), SQLITE_LOCKED (6), SQLITE_NOMEM (7), SQLITE_READONLY (8), SQLITE_IOERR
/// (10), SQLITE_FULL (13) and SQLITE_CANTOPEN (14). The extended code keeps the primary one
/// in its low byte.
fn unavailable_code(code: &str) -> bool {
    code.parse::<i64>()
        .is_ok_and(|code| matches!(code & 0xff, 5 | 6 | 7 | 8 | 10 | 13 | 14))
}

/// The rule named by SQLite's "UNIQUE constraint failed: patients.clinic_id, patients.mrn":
/// the columns without the `clinic_id` scope (`patients.mrn`), so both backends name a rule
/// the same way.
pub(crate) fn unique_rule(message: &str) -> String {
    let columns = message
        .strip_prefix("UNIQUE constraint failed: ")
        .unwrap_or(message);
    let all: Vec<&str> = columns.split(',').map(str::trim).collect();
    let scoped: Vec<&str> = all
        .iter()
        .copied()
        .filter(|c| !c.ends_with(".clinic_id"))
        .collect();
    if scoped.is_empty() {
        all.join(",")
    } else {
        scoped.join(",")
    }
}

/// A column of a row.
pub(crate) fn get<'r, T>(row: &'r SqliteRow, column: &'static str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    row.try_get(column)
        .map_err(|_| StoreError::Other(format!("column {column} has an unexpected type")))
}

/// A millisecond timestamp column.
pub(crate) fn ts(row: &SqliteRow, column: &'static str) -> Result<Timestamp, StoreError> {
    millis(get(row, column)?, column)
}

/// Milliseconds since the epoch as a timestamp.
pub(crate) fn millis(ms: i64, column: &'static str) -> Result<Timestamp, StoreError> {
    Timestamp::from_millisecond(ms)
        .map_err(|_| StoreError::Other(format!("column {column} holds an invalid timestamp")))
}

/// A `YYYY-MM-DD` column.
pub(crate) fn date(row: &SqliteRow, column: &'static str) -> Result<Date, StoreError> {
    let text: String = get(row, column)?;
    text.parse()
        .map_err(|_| StoreError::Other(format!("column {column} holds an invalid date")))
}

/// A nullable `YYYY-MM-DD` column.
pub(crate) fn date_opt(row: &SqliteRow, column: &'static str) -> Result<Option<Date>, StoreError> {
    get::<Option<String>>(row, column)?
        .map(|text| {
            text.parse()
                .map_err(|_| StoreError::Other(format!("column {column} holds an invalid date")))
        })
        .transpose()
}

/// A column holding an enum's `as_str()` (or any other `FromStr` text).
pub(crate) fn parsed<T: FromStr>(row: &SqliteRow, column: &'static str) -> Result<T, StoreError> {
    let text: String = get(row, column)?;
    text.parse()
        .map_err(|_| StoreError::Other(format!("column {column} holds an unknown value")))
}

/// A JSON text column.
pub(crate) fn json<T: DeserializeOwned>(
    row: &SqliteRow,
    column: &'static str,
) -> Result<T, StoreError> {
    let text: String = get(row, column)?;
    from_json(&text, column)
}

fn from_json<T: DeserializeOwned>(text: &str, column: &'static str) -> Result<T, StoreError> {
    serde_json::from_str(text)
        .map_err(|_| StoreError::Other(format!("column {column} holds invalid JSON")))
}

/// A value as JSON text for storing.
pub(crate) fn to_json<T: Serialize + ?Sized>(
    value: &T,
    what: &'static str,
) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|_| StoreError::Other(format!("{what} cannot be written as JSON")))
}

/// A 0/1 column as a boolean.
pub(crate) fn flag(row: &SqliteRow, column: &'static str) -> Result<bool, StoreError> {
    Ok(get::<i64>(row, column)? != 0)
}

/// An optional small integer column (vital signs) in its Rust type.
pub(crate) fn small<T: TryFrom<i64>>(
    row: &SqliteRow,
    column: &'static str,
) -> Result<Option<T>, StoreError> {
    get::<Option<i64>>(row, column)?
        .map(|v| {
            T::try_from(v)
                .map_err(|_| StoreError::Other(format!("column {column} is out of range")))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_disk_read_only_and_io_errors_are_unavailable() {
        // SQLITE_FULL, SQLITE_IOERR_WRITE (778), SQLITE_READONLY_DBMOVED (1032), SQLITE_BUSY.
        for code in ["13", "778", "1032", "5"] {
            assert!(unavailable_code(code), "{code}");
        }
        // SQLITE_CONSTRAINT_CHECK (275), SQLITE_CORRUPT (11), SQLITE_ERROR (1).
        for code in ["275", "11", "1", "x"] {
            assert!(!unavailable_code(code), "{code}");
        }
    }

    #[test]
    fn unique_rules_drop_the_clinic_scope() {
        assert_eq!(
            unique_rule("UNIQUE constraint failed: patients.clinic_id, patients.mrn"),
            "patients.mrn"
        );
        assert_eq!(
            unique_rule("UNIQUE constraint failed: users.email"),
            "users.email"
        );
        assert_eq!(
            unique_rule("UNIQUE constraint failed: price_lists.clinic_id"),
            "price_lists.clinic_id"
        );
    }
}
