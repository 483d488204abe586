//! Appending to and reading the hash-chained audit log.
//!
//! [`append`] runs inside the caller's transaction, after its change: it locks the one-row
//! `audit_head` with `SELECT ... FOR UPDATE`, so a concurrent append in any server process
//! waits until this transaction commits or rolls back, then reads the head this one left.
//! The lock is always the last one a write takes, so two writers never wait on each other in
//! opposite orders.

use crate::convert::{get, parsed, timestamp};
use crate::error;
use cadence_store::StoreError;
use cadence_store::audit::{AuditEntry, AuditEvent, AuditRecord, ChainHead, chain_hash};
use cadence_store::ids::{ClinicId, PatientId, UserId};
use jiff::Timestamp;
use sqlx::postgres::{PgConnection, PgPool, PgRow};

/// The audit_log columns in record order.
macro_rules! audit_columns {
    () => {
        "seq, at, actor_id, actor_role, clinic_id, patient_id, action, object_type, object_id, \
         outcome, request_id, prev_hash, hash"
    };
}

/// Appends `event` as the next row of the chain, inside the caller's transaction.
pub(crate) async fn append(
    conn: &mut PgConnection,
    event: AuditEvent,
) -> Result<AuditRecord, StoreError> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
        .fetch_optional(&mut *conn)
        .await
        .map_err(error::map)?
        .ok_or_else(|| StoreError::Other("audit_head row is missing".into()))?;
    let prev_seq: i64 = get(&head, "seq")?;
    let prev_hash: String = get(&head, "hash")?;
    let seq = prev_seq
        .checked_add(1)
        .ok_or_else(|| StoreError::Other("audit sequence exhausted".into()))?;
    let hash = chain_hash(&prev_hash, seq, &event);
    sqlx::query(concat!(
        "INSERT INTO audit_log (",
        audit_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(seq)
    .bind(event.at.as_millisecond())
    .bind(event.actor_id.map(|id| id.0))
    .bind(event.actor_role.as_deref())
    .bind(event.clinic_id.map(|id| id.0))
    .bind(event.patient_id.map(|id| id.0))
    .bind(event.action.as_str())
    .bind(event.object_type.as_str())
    .bind(event.object_id.as_deref())
    .bind(event.outcome.as_str())
    .bind(&event.request_id)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await
    .map_err(error::map)?;
    let updated =
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1 AND seq = $3")
            .bind(seq)
            .bind(&hash)
            .bind(prev_seq)
            .execute(&mut *conn)
            .await
            .map_err(error::map)?;
    if updated.rows_affected() != 1 {
        // Cannot happen while the row lock is held; refuse rather than fork the chain.
        return Err(StoreError::Other(
            "audit head moved during an append".into(),
        ));
    }
    Ok(AuditRecord {
        seq,
        event,
        prev_hash,
        hash,
    })
}

/// Appends an event in a transaction of its own.
pub(crate) async fn append_alone(
    pool: &PgPool,
    event: AuditEvent,
) -> Result<AuditRecord, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let record = append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(record)
}

/// Rows with `from_seq <= seq`, in order, at most `limit`.
pub(crate) async fn page(
    pool: &PgPool,
    from_seq: i64,
    limit: u32,
) -> Result<Vec<AuditRecord>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        audit_columns!(),
        " FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2"
    ))
    .bind(from_seq)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(error::map)?;
    rows.iter().map(record).collect()
}

/// Rows with `from_seq <= seq` as verification reads them: undecodable ones marked.
pub(crate) async fn entries(
    pool: &PgPool,
    from_seq: i64,
    limit: u32,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        audit_columns!(),
        " FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2"
    ))
    .bind(from_seq)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(error::map)?;
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

/// The head the last append recorded.
pub(crate) async fn head(pool: &PgPool) -> Result<Option<ChainHead>, StoreError> {
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(pool)
        .await
        .map_err(error::map)?;
    Ok(row.and_then(|row| {
        Some(ChainHead {
            seq: get(&row, "seq").ok()?,
            hash: get(&row, "hash").ok()?,
        })
    }))
}

/// Rows with `from <= at < to`, optionally about one patient, in sequence order.
pub(crate) async fn range(
    pool: &PgPool,
    from: Timestamp,
    to: Timestamp,
    patient: Option<PatientId>,
) -> Result<Vec<AuditRecord>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        audit_columns!(),
        " FROM audit_log WHERE at >= $1 AND at < $2 \
         AND ($3::BIGINT IS NULL OR patient_id = $3) ORDER BY seq"
    ))
    .bind(from.as_millisecond())
    .bind(to.as_millisecond())
    .bind(patient.map(|p| p.0))
    .fetch_all(pool)
    .await
    .map_err(error::map)?;
    rows.iter().map(record).collect()
}

fn record(row: &PgRow) -> Result<AuditRecord, StoreError> {
    Ok(AuditRecord {
        seq: get(row, "seq")?,
        event: AuditEvent {
            at: timestamp(row, "at")?,
            actor_id: get::<Option<i64>>(row, "actor_id")?.map(UserId),
            actor_role: get(row, "actor_role")?,
            clinic_id: get::<Option<i64>>(row, "clinic_id")?.map(ClinicId),
            patient_id: get::<Option<i64>>(row, "patient_id")?.map(PatientId),
            action: parsed(row, "action")?,
            object_type: parsed(row, "object_type")?,
            object_id: get(row, "object_id")?,
            outcome: parsed(row, "outcome")?,
            request_id: get(row, "request_id")?,
        },
        prev_hash: get(row, "prev_hash")?,
        hash: get(row, "hash")?,
    })
}
