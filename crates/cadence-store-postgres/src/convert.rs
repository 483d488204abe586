//! Column values to record fields and back, by the storage conventions both backends share:
//! timestamps as UTC milliseconds, civil dates as `YYYY-MM-DD` text, enums by their stable id,
//! JSON values as text.
//!
//! A stored value that does not parse is [`StoreError::Other`] naming the column, never
//! quoting the value (it may be health information).

use cadence_store::StoreError;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::postgres::PgRow;
use std::str::FromStr;

/// A column's value, typed.
pub(crate) fn get<'r, T>(row: &'r PgRow, column: &'static str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(column).map_err(crate::error::map)
}

fn invalid(column: &'static str) -> StoreError {
    StoreError::Other(format!("stored value of {column} is invalid"))
}

/// A millisecond column as a timestamp.
pub(crate) fn timestamp(row: &PgRow, column: &'static str) -> Result<Timestamp, StoreError> {
    Timestamp::from_millisecond(get(row, column)?).map_err(|_| invalid(column))
}

/// A `YYYY-MM-DD` column as a date.
pub(crate) fn date(row: &PgRow, column: &'static str) -> Result<Date, StoreError> {
    let text: String = get(row, column)?;
    text.parse().map_err(|_| invalid(column))
}

/// A text column parsed with `FromStr` (enums by their stable id).
pub(crate) fn parsed<T: FromStr>(row: &PgRow, column: &'static str) -> Result<T, StoreError> {
    let text: String = get(row, column)?;
    text.parse().map_err(|_| invalid(column))
}

/// A JSON text column, deserialized.
pub(crate) fn json<T: DeserializeOwned>(
    row: &PgRow,
    column: &'static str,
) -> Result<T, StoreError> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|_| invalid(column))
}

/// A nullable integer column narrowed to a smaller type (vital signs, scale levels).
pub(crate) fn small_opt<T: TryFrom<i32>>(
    row: &PgRow,
    column: &'static str,
) -> Result<Option<T>, StoreError> {
    let value: Option<i32> = get(row, column)?;
    value
        .map(|v| T::try_from(v).map_err(|_| invalid(column)))
        .transpose()
}

/// A value as JSON text for a TEXT column.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|_| StoreError::Other("cannot encode a JSON value".into()))
}

/// A date as `YYYY-MM-DD`.
pub(crate) fn date_text(date: Date) -> String {
    date.to_string()
}
