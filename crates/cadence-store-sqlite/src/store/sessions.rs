//! Treatment sessions and their monitoring entries.
//!
//! A session's patient is its course's patient, read through a join rather than stored twice.
//! Monitoring entries for several sessions are loaded in one query by binding the session ids
//! as one JSON array (`json_each`), so no SQL is ever assembled from values; a whole clinic's
//! in one query by its clinic id.

use crate::audit::{about_patient, append, begin, commit, created};
use crate::codec::{date, db, get, json, json_opt, parsed, small, to_json, ts};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::*;
use cadence_store::records::*;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::SqliteConnection;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use std::collections::HashMap;

/// Session columns, joined with the course (`s`, `c`).
macro_rules! session_select {
    () => {
        "SELECT s.id, s.clinic_id, s.course_id, c.patient_id, s.scheduled_on, s.status, \
         s.pre_checks, s.administration, s.discharge, s.updated_at \
         FROM treatment_sessions s JOIN courses c ON c.id = s.course_id "
    };
}

macro_rules! monitoring_columns {
    () => {
        "id, treatment_session_id, taken_at, bp_systolic, bp_diastolic, heart_rate, spo2, \
         moaas, cadss, adverse_effects, recorded_by"
    };
}

fn session(row: &SqliteRow) -> Result<TreatmentSession, StoreError> {
    Ok(TreatmentSession {
        id: TreatmentSessionId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        course_id: CourseId(get(row, "course_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        scheduled_on: date(row, "scheduled_on")?,
        status: parsed(row, "status")?,
        pre_checks: json_opt(row, "pre_checks")?,
        administration: json_opt(row, "administration")?,
        discharge: json_opt(row, "discharge")?,
        monitoring: Vec::new(),
        updated_at: ts(row, "updated_at")?,
    })
}

fn monitoring(row: &SqliteRow) -> Result<(i64, MonitoringEntry), StoreError> {
    let entry = MonitoringEntry {
        id: MonitoringEntryId(get(row, "id")?),
        entry: NewMonitoringEntry {
            taken_at: ts(row, "taken_at")?,
            bp_systolic: small(row, "bp_systolic")?,
            bp_diastolic: small(row, "bp_diastolic")?,
            heart_rate: small(row, "heart_rate")?,
            spo2: small(row, "spo2")?,
            moaas: small(row, "moaas")?,
            cadss: small(row, "cadss")?,
            adverse_effects: json(row, "adverse_effects")?,
            recorded_by: UserId(get(row, "recorded_by")?),
        },
    };
    Ok((get(row, "treatment_session_id")?, entry))
}

/// Fills in each session's monitoring entries, in time order.
async fn with_monitoring(
    conn: &mut SqliteConnection,
    mut sessions: Vec<TreatmentSession>,
) -> Result<Vec<TreatmentSession>, StoreError> {
    if sessions.is_empty() {
        return Ok(sessions);
    }
    let ids: Vec<i64> = sessions.iter().map(|s| s.id.0).collect();
    let rows = sqlx::query(concat!(
        "SELECT ",
        monitoring_columns!(),
        " FROM monitoring_entries WHERE treatment_session_id IN (SELECT value FROM json_each(?))",
        " ORDER BY taken_at, id"
    ))
    .bind(to_json(&ids, "session ids")?)
    .fetch_all(conn)
    .await
    .map_err(db)?;
    let mut by_session: HashMap<i64, Vec<MonitoringEntry>> = HashMap::new();
    for row in &rows {
        let (session, entry) = monitoring(row)?;
        by_session.entry(session).or_default().push(entry);
    }
    for s in &mut sessions {
        s.monitoring = by_session.remove(&s.id.0).unwrap_or_default();
    }
    Ok(sessions)
}

/// A course's sessions by date, with monitoring (inside the caller's transaction).
pub(crate) async fn sessions_of(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    course: CourseId,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let rows = sqlx::query(concat!(
        session_select!(),
        "WHERE s.clinic_id = ? AND s.course_id = ? ORDER BY s.scheduled_on, s.id"
    ))
    .bind(clinic.0)
    .bind(course.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let sessions = rows.iter().map(session).collect::<Result<Vec<_>, _>>()?;
    with_monitoring(conn, sessions).await
}

/// Every session of the clinic with its monitoring entries, grouped by course, each course's
/// by date (inside the caller's transaction): two queries whatever the clinic's size.
pub(crate) async fn clinic_sessions(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
) -> Result<HashMap<CourseId, Vec<TreatmentSession>>, StoreError> {
    let rows = sqlx::query(concat!(
        session_select!(),
        "WHERE s.clinic_id = ? ORDER BY s.scheduled_on, s.id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    // Through the sessions, so the clinic's index on them finds the entries.
    let entries = sqlx::query(concat!(
        "SELECT m.id, m.treatment_session_id, m.taken_at, m.bp_systolic, m.bp_diastolic, ",
        "m.heart_rate, m.spo2, m.moaas, m.cadss, m.adverse_effects, m.recorded_by ",
        "FROM monitoring_entries m JOIN treatment_sessions s ON s.id = m.treatment_session_id ",
        "WHERE s.clinic_id = ?1 AND m.clinic_id = ?1 ORDER BY m.taken_at, m.id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut by_session: HashMap<i64, Vec<MonitoringEntry>> = HashMap::new();
    for row in &entries {
        let (session, entry) = monitoring(row)?;
        by_session.entry(session).or_default().push(entry);
    }
    let mut by_course: HashMap<CourseId, Vec<TreatmentSession>> = HashMap::new();
    for row in &rows {
        let mut found = session(row)?;
        found.monitoring = by_session.remove(&found.id.0).unwrap_or_default();
        by_course.entry(found.course_id).or_default().push(found);
    }
    Ok(by_course)
}

/// One session with monitoring, or `NotFound` outside the clinic.
async fn one_session(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    id: TreatmentSessionId,
) -> Result<TreatmentSession, StoreError> {
    let row = sqlx::query(concat!(
        session_select!(),
        "WHERE s.clinic_id = ? AND s.id = ?"
    ))
    .bind(clinic.0)
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    let found = session(&row)?;
    let mut all = with_monitoring(conn, vec![found]).await?;
    all.pop().ok_or(StoreError::NotFound)
}

/// Books a scheduled session (inside the caller's transaction); returns its id.
pub(crate) async fn insert_session(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    course: CourseId,
    on: Date,
    at: Timestamp,
) -> Result<TreatmentSessionId, StoreError> {
    let row = sqlx::query(concat!(
        "INSERT INTO treatment_sessions (clinic_id, course_id, scheduled_on, status, ",
        "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id"
    ))
    .bind(clinic.0)
    .bind(course.0)
    .bind(on.to_string())
    .bind(TreatmentSessionStatus::Scheduled.as_str())
    .bind(at.as_millisecond())
    .fetch_one(conn)
    .await
    .map_err(db)?;
    Ok(TreatmentSessionId(get(&row, "id")?))
}

/// The patient of a course in the clinic, or `NotFound`.
pub(crate) async fn course_patient(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    course: CourseId,
) -> Result<PatientId, StoreError> {
    let row = sqlx::query("SELECT patient_id FROM courses WHERE clinic_id = ? AND id = ?")
        .bind(clinic.0)
        .bind(course.0)
        .fetch_optional(conn)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)?;
    Ok(PatientId(get(&row, "patient_id")?))
}

pub(crate) async fn create_treatment_session(
    pool: &SqlitePool,
    new: NewTreatmentSession,
    audit: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = begin(pool).await?;
    let patient = course_patient(&mut tx, new.clinic_id, new.course_id).await?;
    let id = insert_session(
        &mut tx,
        new.clinic_id,
        new.course_id,
        new.scheduled_on,
        new.created_at,
    )
    .await?;
    let stored = one_session(&mut tx, new.clinic_id, id).await?;
    append(&mut tx, created(audit, id, Some(patient))).await?;
    commit(tx).await?;
    Ok(stored)
}

pub(crate) async fn get_treatment_session(
    pool: &SqlitePool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    audit: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = begin(pool).await?;
    let found = one_session(&mut tx, clinic, id).await?;
    append(&mut tx, about_patient(audit, Some(found.patient_id))).await?;
    commit(tx).await?;
    Ok(found)
}

pub(crate) async fn list_treatment_sessions_on(
    pool: &SqlitePool,
    clinic: ClinicId,
    on: Date,
    audit: AuditEvent,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let mut tx = begin(pool).await?;
    let rows = sqlx::query(concat!(
        session_select!(),
        "WHERE s.clinic_id = ? AND s.scheduled_on = ? ORDER BY s.id"
    ))
    .bind(clinic.0)
    .bind(on.to_string())
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let sessions = rows.iter().map(session).collect::<Result<Vec<_>, _>>()?;
    let found = with_monitoring(&mut tx, sessions).await?;
    append(&mut tx, audit).await?;
    commit(tx).await?;
    Ok(found)
}

pub(crate) async fn update_treatment_session(
    pool: &SqlitePool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    change: TreatmentSessionChange,
    at: Timestamp,
    audit: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let pre_checks = change
        .pre_checks
        .as_ref()
        .map(|v| to_json(v, "pre-checks"))
        .transpose()?;
    let administration = change
        .administration
        .as_ref()
        .map(|v| to_json(v, "administration"))
        .transpose()?;
    let discharge = change
        .discharge
        .as_ref()
        .map(|v| to_json(v, "discharge"))
        .transpose()?;
    let mut tx = begin(pool).await?;
    // A field left out of the change keeps its stored value.
    let updated = sqlx::query(concat!(
        "UPDATE treatment_sessions SET status = COALESCE(?, status), ",
        "pre_checks = COALESCE(?, pre_checks), administration = COALESCE(?, administration), ",
        "discharge = COALESCE(?, discharge), updated_at = ? WHERE clinic_id = ? AND id = ?"
    ))
    .bind(change.status.map(TreatmentSessionStatus::as_str))
    .bind(pre_checks)
    .bind(administration)
    .bind(discharge)
    .bind(at.as_millisecond())
    .bind(clinic.0)
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let stored = one_session(&mut tx, clinic, id).await?;
    append(&mut tx, about_patient(audit, Some(stored.patient_id))).await?;
    commit(tx).await?;
    Ok(stored)
}

pub(crate) async fn add_monitoring_entry(
    pool: &SqlitePool,
    clinic: ClinicId,
    session: TreatmentSessionId,
    entry: NewMonitoringEntry,
    audit: AuditEvent,
) -> Result<MonitoringEntry, StoreError> {
    let effects = to_json(&entry.adverse_effects, "adverse effects")?;
    let mut tx = begin(pool).await?;
    let row = sqlx::query(concat!(
        "SELECT c.patient_id FROM treatment_sessions s JOIN courses c ON c.id = s.course_id ",
        "WHERE s.clinic_id = ? AND s.id = ?"
    ))
    .bind(clinic.0)
    .bind(session.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    let patient = PatientId(get(&row, "patient_id")?);
    let row = sqlx::query(concat!(
        "INSERT INTO monitoring_entries (clinic_id, treatment_session_id, taken_at, bp_systolic, ",
        "bp_diastolic, heart_rate, spo2, moaas, cadss, adverse_effects, recorded_by) ",
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
    ))
    .bind(clinic.0)
    .bind(session.0)
    .bind(entry.taken_at.as_millisecond())
    .bind(entry.bp_systolic.map(i64::from))
    .bind(entry.bp_diastolic.map(i64::from))
    .bind(entry.heart_rate.map(i64::from))
    .bind(entry.spo2.map(i64::from))
    .bind(entry.moaas.map(i64::from))
    .bind(entry.cadss.map(i64::from))
    .bind(effects)
    .bind(entry.recorded_by.0)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let id = MonitoringEntryId(get(&row, "id")?);
    append(&mut tx, created(audit, id, Some(patient))).await?;
    commit(tx).await?;
    Ok(MonitoringEntry { id, entry })
}
