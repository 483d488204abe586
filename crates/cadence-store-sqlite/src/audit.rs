//! Transactions and the audit chain.
//!
//! Every write transaction starts with `BEGIN IMMEDIATE`, which takes SQLite's single writer
//! lock up front (waiting up to the busy timeout). So the read of `audit_head` and the append
//! that follows cannot interleave with another writer, in this process or any other, and the
//! chain stays linear. A deferred `BEGIN` would instead fail with `SQLITE_BUSY` when a reader
//! upgrades to a writer after someone else wrote.
//!
//! Audited reads never take the writer lock for their read (issue 18): they read in a deferred
//! transaction on the reader pool ([`begin_read`]), a consistent snapshot that WAL lets run
//! beside the writer, then append their audit row in a short write transaction of its own
//! ([`audit_read`]), committed (durable) before the caller gets the data. A read whose audit
//! row cannot be written fails, so no read goes unaudited.

use crate::codec::{db, get, millis, parsed};
use cadence_store::StoreError;
use cadence_store::audit::{AuditEvent, AuditRecord, chain_hash};
use cadence_store::ids::{ClinicId, PatientId, UserId};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Sqlite, SqliteConnection, Transaction};

/// A write transaction holding the writer lock.
pub(crate) type Tx = Transaction<'static, Sqlite>;

/// Begins a write transaction (`BEGIN IMMEDIATE`).
pub(crate) async fn begin(pool: &SqlitePool) -> Result<Tx, StoreError> {
    pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)
}

/// Begins a read: a deferred transaction on the reader pool, which takes no lock that a
/// writer waits for.
pub(crate) async fn begin_read(readers: &SqlitePool) -> Result<Tx, StoreError> {
    readers.begin().await.map_err(db)
}

/// Ends a read and appends its audit row in a short write transaction, committed before this
/// returns (the data goes out only once its audit row is durable).
pub(crate) async fn audit_read(
    read: Tx,
    writer: &SqlitePool,
    event: AuditEvent,
) -> Result<AuditRecord, StoreError> {
    read.commit().await.map_err(db)?;
    let mut tx = begin(writer).await?;
    let record = append(&mut tx, event).await?;
    commit(tx).await?;
    Ok(record)
}

/// Commits.
pub(crate) async fn commit(tx: Tx) -> Result<(), StoreError> {
    tx.commit().await.map_err(db)
}

/// The audit columns, in table order.
macro_rules! audit_columns {
    () => {
        "seq, at, actor_id, actor_role, clinic_id, patient_id, action, object_type, object_id, \
         outcome, request_id, prev_hash, hash"
    };
}
pub(crate) use audit_columns;

/// Appends `event` to the chain inside the caller's write transaction.
pub(crate) async fn append(
    conn: &mut SqliteConnection,
    event: AuditEvent,
) -> Result<AuditRecord, StoreError> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    let prev_seq: i64 = get(&head, "seq")?;
    let prev_hash: String = get(&head, "hash")?;
    let seq = prev_seq + 1;
    let hash = chain_hash(&prev_hash, seq, &event);
    sqlx::query(concat!(
        "INSERT INTO audit_log (",
        audit_columns!(),
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
    .map_err(db)?;
    let updated = sqlx::query("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?")
        .bind(seq)
        .bind(&hash)
        .bind(prev_seq)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    if updated.rows_affected() != 1 {
        // Cannot happen while the writer lock is held; refuse rather than fork the chain.
        return Err(StoreError::other("audit head moved during an append"));
    }
    Ok(AuditRecord {
        seq,
        event,
        prev_hash,
        hash,
    })
}

/// A stored audit row.
pub(crate) fn record(row: &SqliteRow) -> Result<AuditRecord, StoreError> {
    Ok(AuditRecord {
        seq: get(row, "seq")?,
        event: AuditEvent {
            at: millis(get(row, "at")?, "at")?,
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

/// The audit event of a create: the new object's id, and the patient when the caller left it
/// out.
pub(crate) fn created(
    event: AuditEvent,
    id: impl ToString,
    patient: Option<PatientId>,
) -> AuditEvent {
    about_patient(event.with_object_id(id), patient)
}

/// The audit event with the patient filled in when the caller left it out.
pub(crate) fn about_patient(event: AuditEvent, patient: Option<PatientId>) -> AuditEvent {
    match (event.patient_id, patient) {
        (None, Some(p)) => event.with_patient(p),
        _ => event,
    }
}
