//! The price list, the audit log's read side, and the health probe.

use super::people::require_clinic;
use crate::audit::{append, audit_columns, begin, commit, record};
use crate::codec::{db, get};
use cadence_store::StoreError;
use cadence_store::audit::{AuditEntry, AuditEvent, AuditRecord, ChainHead};
use cadence_store::ids::{ClinicId, CourseId, PatientId};
use jiff::Timestamp;
use sqlx::sqlite::SqlitePool;

pub(crate) async fn get_price_list(
    pool: &SqlitePool,
    clinic: ClinicId,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT text FROM price_lists WHERE clinic_id = ?")
        .bind(clinic.0)
        .fetch_optional(pool)
        .await
        .map_err(db)?;
    row.map(|r| get(&r, "text")).transpose()
}

pub(crate) async fn course_protocol_text(
    pool: &SqlitePool,
    clinic: ClinicId,
    course: CourseId,
) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT protocol_text FROM courses WHERE clinic_id = ? AND id = ?")
        .bind(clinic.0)
        .bind(course.0)
        .fetch_optional(pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    get(&row, "protocol_text")
}

pub(crate) async fn set_price_list(
    pool: &SqlitePool,
    clinic: ClinicId,
    text: &str,
    audit: AuditEvent,
) -> Result<(), StoreError> {
    let mut tx = begin(pool).await?;
    require_clinic(&mut tx, clinic).await?;
    sqlx::query(concat!(
        "INSERT INTO price_lists (clinic_id, text, updated_at) VALUES (?, ?, ?) ",
        "ON CONFLICT (clinic_id) DO UPDATE SET text = excluded.text, ",
        "updated_at = excluded.updated_at"
    ))
    .bind(clinic.0)
    .bind(text)
    .bind(audit.at.as_millisecond())
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    append(&mut tx, audit).await?;
    commit(tx).await
}

pub(crate) async fn append_audit(
    pool: &SqlitePool,
    event: AuditEvent,
) -> Result<AuditRecord, StoreError> {
    let mut tx = begin(pool).await?;
    let stored = append(&mut tx, event).await?;
    commit(tx).await?;
    Ok(stored)
}

pub(crate) async fn audit_page(
    pool: &SqlitePool,
    from_seq: i64,
    limit: u32,
) -> Result<Vec<AuditRecord>, StoreError> {
    sqlx::query(concat!(
        "SELECT ",
        audit_columns!(),
        " FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?"
    ))
    .bind(from_seq)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db)?
    .iter()
    .map(record)
    .collect()
}

pub(crate) async fn audit_entries(
    pool: &SqlitePool,
    from_seq: i64,
    limit: u32,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        audit_columns!(),
        " FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?"
    ))
    .bind(from_seq)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db)?;
    Ok(rows
        .iter()
        .map(|row| match record(row) {
            Ok(r) => AuditEntry::Readable(Box::new(r)),
            Err(_) => AuditEntry::Unreadable {
                seq: get(row, "seq").ok(),
            },
        })
        .collect())
}

pub(crate) async fn audit_head(pool: &SqlitePool) -> Result<Option<ChainHead>, StoreError> {
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(pool)
        .await
        .map_err(db)?;
    Ok(row.and_then(|row| {
        Some(ChainHead {
            seq: get(&row, "seq").ok()?,
            hash: get(&row, "hash").ok()?,
        })
    }))
}

pub(crate) async fn audit_range(
    pool: &SqlitePool,
    from: Timestamp,
    to: Timestamp,
    patient: Option<PatientId>,
) -> Result<Vec<AuditRecord>, StoreError> {
    sqlx::query(concat!(
        "SELECT ",
        audit_columns!(),
        " FROM audit_log WHERE at >= ?1 AND at < ?2 AND (?3 IS NULL OR patient_id = ?3)",
        " ORDER BY seq"
    ))
    .bind(from.as_millisecond())
    .bind(to.as_millisecond())
    .bind(patient.map(|p| p.0))
    .fetch_all(pool)
    .await
    .map_err(db)?
    .iter()
    .map(record)
    .collect()
}

/// Reads the audit head: the file is there, readable and not corrupt at its root.
pub(crate) async fn check_available(pool: &SqlitePool) -> Result<(), StoreError> {
    sqlx::query("SELECT seq FROM audit_head WHERE id = 1")
        .fetch_one(pool)
        .await
        .map_err(db)?;
    Ok(())
}
