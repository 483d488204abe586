//! Login sessions. Only the SHA-256 of a session token is stored, and it never enters the
//! audit log: a login or logout is recorded about the user.

use crate::audit::{append, begin, commit};
use crate::codec::{db, get, parsed, ts};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::UserId;
use cadence_store::records::*;
use jiff::Timestamp;
use sqlx::sqlite::{SqlitePool, SqliteRow};

macro_rules! auth_session_columns {
    () => {
        "token_hash, user_id, kind, csrf_hash, created_at, last_seen_at"
    };
}

fn auth_session(row: &SqliteRow) -> Result<AuthSession, StoreError> {
    Ok(AuthSession {
        token_hash: get(row, "token_hash")?,
        user_id: UserId(get(row, "user_id")?),
        kind: parsed(row, "kind")?,
        csrf_hash: get(row, "csrf_hash")?,
        created_at: ts(row, "created_at")?,
        last_seen_at: ts(row, "last_seen_at")?,
    })
}

pub(crate) async fn create_auth_session(
    pool: &SqlitePool,
    new: NewAuthSession,
    audit: AuditEvent,
) -> Result<AuthSession, StoreError> {
    let mut tx = begin(pool).await?;
    let exists = sqlx::query("SELECT 1 FROM users WHERE id = ?")
        .bind(new.user_id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    let row = sqlx::query(concat!(
        "INSERT INTO auth_sessions (token_hash, user_id, kind, csrf_hash, created_at, ",
        "last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING ",
        auth_session_columns!()
    ))
    .bind(&new.token_hash)
    .bind(new.user_id.0)
    .bind(new.kind.as_str())
    .bind(new.csrf_hash.as_deref())
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let created = auth_session(&row)?;
    append(&mut tx, user_event(audit, created.user_id)).await?;
    commit(tx).await?;
    Ok(created)
}

/// A login or logout event is about the user: the session's token hash is a credential and
/// never goes into the audit log.
fn user_event(audit: AuditEvent, user: UserId) -> AuditEvent {
    match audit.object_id {
        Some(_) => audit,
        None => audit.with_object_id(user),
    }
}

pub(crate) async fn get_auth_session(
    pool: &SqlitePool,
    token_hash: &str,
) -> Result<AuthSession, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        auth_session_columns!(),
        " FROM auth_sessions WHERE token_hash = ?"
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    auth_session(&row)
}

pub(crate) async fn touch_auth_session(
    pool: &SqlitePool,
    token_hash: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let updated = sqlx::query("UPDATE auth_sessions SET last_seen_at = ? WHERE token_hash = ?")
        .bind(at.as_millisecond())
        .bind(token_hash)
        .execute(pool)
        .await
        .map_err(db)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn delete_auth_session(
    pool: &SqlitePool,
    token_hash: &str,
    audit: Option<AuditEvent>,
) -> Result<(), StoreError> {
    let mut tx = begin(pool).await?;
    let row = sqlx::query("DELETE FROM auth_sessions WHERE token_hash = ? RETURNING user_id")
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    if let Some(event) = audit {
        append(&mut tx, user_event(event, UserId(get(&row, "user_id")?))).await?;
    }
    commit(tx).await
}

pub(crate) async fn delete_expired_auth_sessions(
    pool: &SqlitePool,
    idle_before: Timestamp,
    created_before: Timestamp,
) -> Result<u64, StoreError> {
    let mut tx = begin(pool).await?;
    let deleted = sqlx::query("DELETE FROM auth_sessions WHERE last_seen_at < ? OR created_at < ?")
        .bind(idle_before.as_millisecond())
        .bind(created_before.as_millisecond())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    commit(tx).await?;
    Ok(deleted.rows_affected())
}
