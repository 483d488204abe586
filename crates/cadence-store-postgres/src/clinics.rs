//! Clinics, staff users and login sessions.

use crate::audit;
use crate::convert::{date_text, get, json, parsed, small_opt, timestamp, to_json};
use crate::error;
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::{ClinicId, UserId};
use cadence_store::records::{
    AuthSession, Clinic, NewAuthSession, NewClinic, NewUser, OpenDays, OpeningHours, Role,
    TimeZoneName, User,
};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::postgres::{PgConnection, PgPool, PgRow};

/// The clinics columns in record order.
macro_rules! clinic_columns {
    () => {
        "id, name, time_zone, open_days, closed_dates, opening_hours, chairs, session_minutes, \
         created_at"
    };
}

/// The users columns in record order.
macro_rules! user_columns {
    () => {
        "id, clinic_id, email, role, password_hash, must_change_password, disabled, created_at"
    };
}

/// The auth_sessions columns in record order.
macro_rules! auth_session_columns {
    () => {
        "token_hash, user_id, kind, csrf_hash, created_at, last_seen_at"
    };
}

/// Weekdays a new clinic is open (the column default, repeated so the record need not be
/// read back).
const DEFAULT_OPEN_DAYS: &str = "mon,tue,wed,thu,fri";

pub(crate) async fn create_clinic(
    pool: &PgPool,
    new: NewClinic,
    event: AuditEvent,
) -> Result<Clinic, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let row = sqlx::query(concat!(
        "INSERT INTO clinics (name, time_zone, open_days, closed_dates, created_at) \
         VALUES ($1, $2, $3, '[]', $4) RETURNING ",
        clinic_columns!()
    ))
    .bind(&new.name)
    .bind(new.time_zone.as_str())
    .bind(DEFAULT_OPEN_DAYS)
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let clinic = clinic(&row)?;
    let mut event = event.with_object_id(clinic.id);
    event.clinic_id = event.clinic_id.or(Some(clinic.id));
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(clinic)
}

pub(crate) async fn get_clinic(pool: &PgPool, id: ClinicId) -> Result<Clinic, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        clinic_columns!(),
        " FROM clinics WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(pool)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    clinic(&row)
}

pub(crate) async fn find_clinic_by_name(pool: &PgPool, name: &str) -> Result<Clinic, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        clinic_columns!(),
        " FROM clinics WHERE name = $1"
    ))
    .bind(name)
    .fetch_optional(pool)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    clinic(&row)
}

pub(crate) async fn update_clinic_calendar(
    pool: &PgPool,
    id: ClinicId,
    time_zone: &TimeZoneName,
    open_days: OpenDays,
    closed_dates: &[Date],
    event: AuditEvent,
) -> Result<Clinic, StoreError> {
    let dates: Vec<String> = closed_dates.iter().copied().map(date_text).collect();
    let mut tx = pool.begin().await.map_err(error::map)?;
    let row = sqlx::query(concat!(
        "UPDATE clinics SET time_zone = $2, open_days = $3, closed_dates = $4 \
         WHERE id = $1 RETURNING ",
        clinic_columns!()
    ))
    .bind(id.0)
    .bind(time_zone.as_str())
    .bind(open_days.to_string())
    .bind(to_json(&dates)?)
    .fetch_optional(&mut *tx)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    let clinic = clinic(&row)?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(clinic)
}

pub(crate) async fn update_clinic_schedule(
    pool: &PgPool,
    id: ClinicId,
    hours: &OpeningHours,
    chairs: u16,
    session_minutes: u16,
    event: AuditEvent,
) -> Result<Clinic, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let row = sqlx::query(concat!(
        "UPDATE clinics SET opening_hours = $2, chairs = $3, session_minutes = $4 \
         WHERE id = $1 RETURNING ",
        clinic_columns!()
    ))
    .bind(id.0)
    .bind(hours.to_string())
    .bind(i32::from(chairs))
    .bind(i32::from(session_minutes))
    .fetch_optional(&mut *tx)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    let clinic = clinic(&row)?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(clinic)
}

pub(crate) async fn create_user(
    pool: &PgPool,
    new: NewUser,
    event: AuditEvent,
) -> Result<User, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    require(
        &mut tx,
        "SELECT 1 FROM clinics WHERE id = $1",
        new.clinic_id.0,
    )
    .await?;
    let row = sqlx::query(concat!(
        "INSERT INTO users \
         (clinic_id, email, role, password_hash, must_change_password, disabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, FALSE, $6) RETURNING ",
        user_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(&new.email)
    .bind(new.role.as_str())
    .bind(&new.password_hash)
    .bind(new.must_change_password)
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let user = user(&row)?;
    audit::append(&mut tx, event.with_object_id(user.id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(user)
}

pub(crate) async fn find_user_by_email(pool: &PgPool, email: &str) -> Result<User, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(pool)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    user(&row)
}

pub(crate) async fn get_user(pool: &PgPool, id: UserId) -> Result<User, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(pool)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    user(&row)
}

pub(crate) async fn list_users(pool: &PgPool, clinic: ClinicId) -> Result<Vec<User>, StoreError> {
    // COLLATE "C": byte order, as SQLite's default BINARY collation sorts.
    let rows = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE clinic_id = $1 ORDER BY email COLLATE \"C\", id"
    ))
    .bind(clinic.0)
    .fetch_all(pool)
    .await
    .map_err(error::map)?;
    rows.iter().map(user).collect()
}

pub(crate) async fn set_password(
    pool: &PgPool,
    id: UserId,
    password_hash: &str,
    must_change_password: bool,
    keep_session: Option<&str>,
    event: AuditEvent,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let updated =
        sqlx::query("UPDATE users SET password_hash = $2, must_change_password = $3 WHERE id = $1")
            .bind(id.0)
            .bind(password_hash)
            .bind(must_change_password)
            .execute(&mut *tx)
            .await
            .map_err(error::map)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "DELETE FROM auth_sessions WHERE user_id = $1 \
         AND ($2::TEXT IS NULL OR token_hash <> $2)",
    )
    .bind(id.0)
    .bind(keep_session)
    .execute(&mut *tx)
    .await
    .map_err(error::map)?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)
}

pub(crate) async fn update_user_access(
    pool: &PgPool,
    clinic: ClinicId,
    id: UserId,
    role: Role,
    disabled: bool,
    event: AuditEvent,
) -> Result<User, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let row = sqlx::query(concat!(
        "UPDATE users SET role = $3, disabled = $4 WHERE id = $1 AND clinic_id = $2 RETURNING ",
        user_columns!()
    ))
    .bind(id.0)
    .bind(clinic.0)
    .bind(role.as_str())
    .bind(disabled)
    .fetch_optional(&mut *tx)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    let user = user(&row)?;
    if disabled {
        sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(error::map)?;
    }
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(user)
}

pub(crate) async fn create_auth_session(
    pool: &PgPool,
    new: NewAuthSession,
    event: AuditEvent,
) -> Result<AuthSession, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    require(&mut tx, "SELECT 1 FROM users WHERE id = $1", new.user_id.0).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO auth_sessions \
         (token_hash, user_id, kind, csrf_hash, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING ",
        auth_session_columns!()
    ))
    .bind(&new.token_hash)
    .bind(new.user_id.0)
    .bind(new.kind.as_str())
    .bind(new.csrf_hash.as_deref())
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let session = auth_session(&row)?;
    audit::append(&mut tx, about_user(event, session.user_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(session)
}

pub(crate) async fn get_auth_session(
    pool: &PgPool,
    token_hash: &str,
) -> Result<AuthSession, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        auth_session_columns!(),
        " FROM auth_sessions WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    auth_session(&row)
}

pub(crate) async fn touch_auth_session(
    pool: &PgPool,
    token_hash: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let updated = sqlx::query("UPDATE auth_sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(at.as_millisecond())
        .execute(pool)
        .await
        .map_err(error::map)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn delete_auth_session(
    pool: &PgPool,
    token_hash: &str,
    event: Option<AuditEvent>,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let row = sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1 RETURNING user_id")
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await
        .map_err(error::map)?
        .ok_or(StoreError::NotFound)?;
    if let Some(event) = event {
        audit::append(&mut tx, about_user(event, UserId(get(&row, "user_id")?))).await?;
    }
    tx.commit().await.map_err(error::map)
}

/// The server answers, and this session could write: not a standby in recovery, not
/// `default_transaction_read_only` (as a database, role or server setting).
pub(crate) async fn check_available(pool: &PgPool) -> Result<(), StoreError> {
    let writable: bool = sqlx::query_scalar(
        "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'",
    )
    .fetch_one(pool)
    .await
    .map_err(error::map)?;
    if writable {
        Ok(())
    } else {
        Err(StoreError::Unavailable("the database is read-only".into()))
    }
}

pub(crate) async fn delete_expired_auth_sessions(
    pool: &PgPool,
    idle_before: Timestamp,
    created_before: Timestamp,
) -> Result<u64, StoreError> {
    let deleted =
        sqlx::query("DELETE FROM auth_sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before.as_millisecond())
            .bind(created_before.as_millisecond())
            .execute(pool)
            .await
            .map_err(error::map)?;
    Ok(deleted.rows_affected())
}

/// `NotFound` unless `exists` (a `SELECT 1 ... WHERE id = $1`) finds a row: checked before an
/// insert, so a missing parent is reported as missing, not as a foreign-key conflict.
pub(crate) async fn require(
    conn: &mut PgConnection,
    exists: &'static str,
    id: i64,
) -> Result<(), StoreError> {
    sqlx::query(exists)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(error::map)?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

/// A login or logout event is about the user: the session's token hash is a credential and
/// never goes into the audit log.
fn about_user(event: AuditEvent, user: UserId) -> AuditEvent {
    match event.object_id {
        Some(_) => event,
        None => event.with_object_id(user),
    }
}

fn clinic(row: &PgRow) -> Result<Clinic, StoreError> {
    let closed: Vec<String> = json(row, "closed_dates")?;
    let closed_dates = closed
        .iter()
        .map(|d| d.parse())
        .collect::<Result<Vec<Date>, _>>()
        .map_err(|_| StoreError::Other("stored value of closed_dates is invalid".into()))?;
    Ok(Clinic {
        id: ClinicId(get(row, "id")?),
        name: get(row, "name")?,
        time_zone: parsed(row, "time_zone")?,
        open_days: parsed(row, "open_days")?,
        closed_dates,
        opening_hours: parsed(row, "opening_hours")?,
        chairs: small_opt(row, "chairs")?.unwrap_or(1),
        session_minutes: small_opt(row, "session_minutes")?.unwrap_or(120),
        created_at: timestamp(row, "created_at")?,
    })
}

fn user(row: &PgRow) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        email: get(row, "email")?,
        role: parsed(row, "role")?,
        password_hash: get(row, "password_hash")?,
        must_change_password: get(row, "must_change_password")?,
        disabled: get(row, "disabled")?,
        created_at: timestamp(row, "created_at")?,
    })
}

fn auth_session(row: &PgRow) -> Result<AuthSession, StoreError> {
    Ok(AuthSession {
        token_hash: get(row, "token_hash")?,
        user_id: UserId(get(row, "user_id")?),
        kind: parsed(row, "kind")?,
        csrf_hash: get(row, "csrf_hash")?,
        created_at: timestamp(row, "created_at")?,
        last_seen_at: timestamp(row, "last_seen_at")?,
    })
}
