//! Clinics and staff users (including the session endings that come with password and access
//! changes).

use crate::audit::{append, begin, commit};
use crate::codec::{db, flag, get, json, parsed, small, to_json, ts};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::{ClinicId, UserId};
use cadence_store::records::*;
use jiff::civil::Date;
use sqlx::SqliteConnection;
use sqlx::sqlite::{SqlitePool, SqliteRow};

macro_rules! clinic_columns {
    () => {
        "id, name, time_zone, open_days, closed_dates, opening_hours, chairs, session_minutes, \
         created_at"
    };
}

macro_rules! user_columns {
    () => {
        "id, clinic_id, email, role, password_hash, must_change_password, disabled, created_at"
    };
}

fn clinic(row: &SqliteRow) -> Result<Clinic, StoreError> {
    let closed: Vec<String> = json(row, "closed_dates")?;
    let closed_dates = closed
        .iter()
        .map(|d| d.parse::<Date>())
        .collect::<Result<_, _>>()
        .map_err(|_| StoreError::other("column closed_dates holds an invalid date"))?;
    Ok(Clinic {
        id: ClinicId(get(row, "id")?),
        name: get(row, "name")?,
        time_zone: parsed(row, "time_zone")?,
        open_days: parsed(row, "open_days")?,
        closed_dates,
        opening_hours: parsed(row, "opening_hours")?,
        chairs: small(row, "chairs")?.unwrap_or(1),
        session_minutes: small(row, "session_minutes")?.unwrap_or(120),
        created_at: ts(row, "created_at")?,
    })
}

fn user(row: &SqliteRow) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        email: get(row, "email")?,
        role: parsed(row, "role")?,
        password_hash: get(row, "password_hash")?,
        must_change_password: flag(row, "must_change_password")?,
        disabled: flag(row, "disabled")?,
        created_at: ts(row, "created_at")?,
    })
}

/// `NotFound` unless the clinic exists (checked before inserts, so a missing clinic is not
/// reported as a foreign-key conflict).
pub(crate) async fn require_clinic(
    conn: &mut SqliteConnection,
    id: ClinicId,
) -> Result<(), StoreError> {
    sqlx::query("SELECT 1 FROM clinics WHERE id = ?")
        .bind(id.0)
        .fetch_optional(conn)
        .await
        .map_err(db)?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn create_clinic(
    pool: &SqlitePool,
    new: NewClinic,
    audit: AuditEvent,
) -> Result<Clinic, StoreError> {
    let mut tx = begin(pool).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO clinics (name, time_zone, created_at) VALUES (?, ?, ?) RETURNING ",
        clinic_columns!()
    ))
    .bind(&new.name)
    .bind(new.time_zone.as_str())
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let created = clinic(&row)?;
    let mut event = audit.with_object_id(created.id);
    event.clinic_id = event.clinic_id.or(Some(created.id));
    append(&mut tx, event).await?;
    commit(tx).await?;
    Ok(created)
}

pub(crate) async fn get_clinic(pool: &SqlitePool, id: ClinicId) -> Result<Clinic, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        clinic_columns!(),
        " FROM clinics WHERE id = ?"
    ))
    .bind(id.0)
    .fetch_optional(pool)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    clinic(&row)
}

pub(crate) async fn find_clinic_by_name(
    pool: &SqlitePool,
    name: &str,
) -> Result<Clinic, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        clinic_columns!(),
        " FROM clinics WHERE name = ?"
    ))
    .bind(name)
    .fetch_optional(pool)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    clinic(&row)
}

pub(crate) async fn update_clinic_calendar(
    pool: &SqlitePool,
    id: ClinicId,
    time_zone: &TimeZoneName,
    open_days: OpenDays,
    closed_dates: &[Date],
    audit: AuditEvent,
) -> Result<Clinic, StoreError> {
    let closed: Vec<String> = closed_dates.iter().map(Date::to_string).collect();
    let closed = to_json(&closed, "closed dates")?;
    let mut tx = begin(pool).await?;
    let row = sqlx::query(concat!(
        "UPDATE clinics SET time_zone = ?, open_days = ?, closed_dates = ? WHERE id = ? RETURNING ",
        clinic_columns!()
    ))
    .bind(time_zone.as_str())
    .bind(open_days.to_string())
    .bind(closed)
    .bind(id.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    let updated = clinic(&row)?;
    append(&mut tx, audit).await?;
    commit(tx).await?;
    Ok(updated)
}

pub(crate) async fn update_clinic_schedule(
    pool: &SqlitePool,
    id: ClinicId,
    hours: &OpeningHours,
    chairs: u16,
    session_minutes: u16,
    audit: AuditEvent,
) -> Result<Clinic, StoreError> {
    let mut tx = begin(pool).await?;
    let row = sqlx::query(concat!(
        "UPDATE clinics SET opening_hours = ?, chairs = ?, session_minutes = ? WHERE id = ? ",
        "RETURNING ",
        clinic_columns!()
    ))
    .bind(hours.to_string())
    .bind(i64::from(chairs))
    .bind(i64::from(session_minutes))
    .bind(id.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    let updated = clinic(&row)?;
    append(&mut tx, audit).await?;
    commit(tx).await?;
    Ok(updated)
}

pub(crate) async fn create_user(
    pool: &SqlitePool,
    new: NewUser,
    audit: AuditEvent,
) -> Result<User, StoreError> {
    let mut tx = begin(pool).await?;
    require_clinic(&mut tx, new.clinic_id).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO users (clinic_id, email, role, password_hash, must_change_password, ",
        "disabled, created_at) VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING ",
        user_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(&new.email)
    .bind(new.role.as_str())
    .bind(&new.password_hash)
    .bind(i64::from(new.must_change_password))
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let created = user(&row)?;
    append(&mut tx, audit.with_object_id(created.id)).await?;
    commit(tx).await?;
    Ok(created)
}

pub(crate) async fn find_user_by_email(pool: &SqlitePool, email: &str) -> Result<User, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE email = ?"
    ))
    .bind(email)
    .fetch_optional(pool)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    user(&row)
}

pub(crate) async fn get_user(pool: &SqlitePool, id: UserId) -> Result<User, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE id = ?"
    ))
    .bind(id.0)
    .fetch_optional(pool)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    user(&row)
}

pub(crate) async fn list_users(
    pool: &SqlitePool,
    clinic: ClinicId,
) -> Result<Vec<User>, StoreError> {
    sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE clinic_id = ? ORDER BY email"
    ))
    .bind(clinic.0)
    .fetch_all(pool)
    .await
    .map_err(db)?
    .iter()
    .map(user)
    .collect()
}

pub(crate) async fn set_password(
    pool: &SqlitePool,
    id: UserId,
    password_hash: &str,
    must_change_password: bool,
    keep_session: Option<&str>,
    audit: AuditEvent,
) -> Result<(), StoreError> {
    let mut tx = begin(pool).await?;
    let updated =
        sqlx::query("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?")
            .bind(password_hash)
            .bind(i64::from(must_change_password))
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "DELETE FROM auth_sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)",
    )
    .bind(id.0)
    .bind(keep_session)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    append(&mut tx, audit).await?;
    commit(tx).await
}

pub(crate) async fn update_user_access(
    pool: &SqlitePool,
    clinic: ClinicId,
    id: UserId,
    role: Role,
    disabled: bool,
    audit: AuditEvent,
) -> Result<User, StoreError> {
    let mut tx = begin(pool).await?;
    let row = sqlx::query(concat!(
        "UPDATE users SET role = ?, disabled = ? WHERE id = ? AND clinic_id = ? RETURNING ",
        user_columns!()
    ))
    .bind(role.as_str())
    .bind(i64::from(disabled))
    .bind(id.0)
    .bind(clinic.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    let updated = user(&row)?;
    if disabled {
        sqlx::query("DELETE FROM auth_sessions WHERE user_id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    append(&mut tx, audit).await?;
    commit(tx).await?;
    Ok(updated)
}
