//! Treatment sessions, their record (append-only entries) and their monitoring entries.
//!
//! A session's patient is its course's patient, read through a join rather than stored twice.
//! Entries and monitoring entries for several sessions are loaded in one query each by binding
//! the session ids as one JSON array (`json_each`), so no SQL is ever assembled from values; a
//! whole clinic's in one query each by its clinic id. The fields in force (latest pre-checks,
//! the administration not corrected since...) are folded from the entries by
//! [`TreatmentSession::fold_entries`], shared with the PostgreSQL backend.

use super::safety::{Origin, insert_findings, require_no_open_findings};
use crate::audit::{about_patient, append, audit_read, begin, begin_read, commit, created};
use crate::codec::{date, db, get, json, parsed, small, to_json, ts};
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
        "SELECT s.id, s.clinic_id, s.course_id, c.patient_id, s.scheduled_on, s.starts_at, \
         s.minutes, s.chair, s.status, s.booking_reason, s.updated_at \
         FROM treatment_sessions s JOIN courses c ON c.id = s.course_id "
    };
}

macro_rules! monitoring_columns {
    () => {
        "id, treatment_session_id, taken_at, bp_systolic, bp_diastolic, heart_rate, spo2, \
         respiratory_rate, moaas, cadss, adverse_effects, recorded_by"
    };
}

fn session(row: &SqliteRow) -> Result<TreatmentSession, StoreError> {
    Ok(TreatmentSession {
        id: TreatmentSessionId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        course_id: CourseId(get(row, "course_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        scheduled_on: date(row, "scheduled_on")?,
        starts_at: start_time(row)?,
        minutes: small(row, "minutes")?.unwrap_or(0),
        chair: small(row, "chair")?,
        status: parsed(row, "status")?,
        booking_reason: get(row, "booking_reason")?,
        pre_checks: None,
        administration: None,
        discharge: None,
        exceptional_end: None,
        signature: None,
        entries: Vec::new(),
        monitoring: Vec::new(),
        updated_at: ts(row, "updated_at")?,
    })
}

fn monitoring(row: &SqliteRow) -> Result<(i64, MonitoringEntry), StoreError> {
    let entry = MonitoringEntry {
        id: MonitoringEntryId(get(row, "id")?),
        entry: NewMonitoringEntry {
            taken_at: ts(row, "taken_at")?,
            bp: stored_blood_pressure(small(row, "bp_systolic")?, small(row, "bp_diastolic")?)?,
            heart_rate: small(row, "heart_rate")?,
            spo2: stored_spo2(small(row, "spo2")?)?,
            respiratory_rate: small(row, "respiratory_rate")?,
            moaas: small(row, "moaas")?,
            cadss: small(row, "cadss")?,
            adverse_effects: json(row, "adverse_effects")?,
            recorded_by: UserId(get(row, "recorded_by")?),
        },
    };
    Ok((get(row, "treatment_session_id")?, entry))
}

macro_rules! entry_columns {
    () => {
        "id, treatment_session_id, kind, body, corrects, reason, recorded_by, recorded_at"
    };
}

fn entry(row: &SqliteRow) -> Result<(i64, SessionEntry), StoreError> {
    let e = SessionEntry {
        id: SessionEntryId(get(row, "id")?),
        kind: parsed(row, "kind")?,
        body: json(row, "body")?,
        corrects: get::<Option<i64>>(row, "corrects")?.map(SessionEntryId),
        reason: get(row, "reason")?,
        recorded_by: UserId(get(row, "recorded_by")?),
        recorded_at: ts(row, "recorded_at")?,
    };
    Ok((get(row, "treatment_session_id")?, e))
}

/// Fills in each session's record entries (in order) and monitoring entries (in time order),
/// then the fields in force.
async fn with_records(
    conn: &mut SqliteConnection,
    mut sessions: Vec<TreatmentSession>,
) -> Result<Vec<TreatmentSession>, StoreError> {
    if sessions.is_empty() {
        return Ok(sessions);
    }
    let ids = to_json(
        &sessions.iter().map(|s| s.id.0).collect::<Vec<i64>>(),
        "session ids",
    )?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        monitoring_columns!(),
        " FROM monitoring_entries WHERE treatment_session_id IN (SELECT value FROM json_each(?))",
        " ORDER BY taken_at, id"
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut by_session: HashMap<i64, Vec<MonitoringEntry>> = HashMap::new();
    for row in &rows {
        let (session, entry) = monitoring(row)?;
        by_session.entry(session).or_default().push(entry);
    }
    let rows = sqlx::query(concat!(
        "SELECT ",
        entry_columns!(),
        " FROM session_entries WHERE treatment_session_id IN (SELECT value FROM json_each(?))",
        " ORDER BY id"
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut entries: HashMap<i64, Vec<SessionEntry>> = HashMap::new();
    for row in &rows {
        let (session, e) = entry(row)?;
        entries.entry(session).or_default().push(e);
    }
    for s in &mut sessions {
        s.monitoring = by_session.remove(&s.id.0).unwrap_or_default();
        s.entries = entries.remove(&s.id.0).unwrap_or_default();
        s.fold_entries();
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
    with_records(conn, sessions).await
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
        "m.heart_rate, m.spo2, m.respiratory_rate, m.moaas, m.cadss, m.adverse_effects, ",
        "m.recorded_by ",
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
    let records = sqlx::query(concat!(
        "SELECT ",
        entry_columns!(),
        " FROM session_entries WHERE clinic_id = ? ORDER BY id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut by_entry: HashMap<i64, Vec<SessionEntry>> = HashMap::new();
    for row in &records {
        let (session, e) = entry(row)?;
        by_entry.entry(session).or_default().push(e);
    }
    let mut by_course: HashMap<CourseId, Vec<TreatmentSession>> = HashMap::new();
    for row in &rows {
        let mut found = session(row)?;
        found.monitoring = by_session.remove(&found.id.0).unwrap_or_default();
        found.entries = by_entry.remove(&found.id.0).unwrap_or_default();
        found.fold_entries();
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
    let mut all = with_records(conn, vec![found]).await?;
    all.pop().ok_or(StoreError::NotFound)
}

/// The stored start time (`HH:MM`).
fn start_time(row: &SqliteRow) -> Result<jiff::civil::Time, StoreError> {
    let text: String = get(row, "starts_at")?;
    cadence_clinical::schedule::parse_time(&text)
        .map_err(|_| StoreError::other("column starts_at holds an invalid time"))
}

/// The clinic's sessions booked on a day (not cancelled or missed), for the slot check.
async fn day_bookings(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    on: Date,
) -> Result<Vec<DayBooking>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT s.id, c.patient_id, s.starts_at, s.minutes, s.chair ",
        "FROM treatment_sessions s JOIN courses c ON c.id = s.course_id ",
        "WHERE s.clinic_id = ? AND s.scheduled_on = ? AND s.status NOT IN ('cancelled', 'no_show')"
    ))
    .bind(clinic.0)
    .bind(on.to_string())
    .fetch_all(conn)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|row| {
            Ok(DayBooking {
                id: TreatmentSessionId(get(row, "id")?),
                patient_id: PatientId(get(row, "patient_id")?),
                starts_at: start_time(row)?,
                minutes: small(row, "minutes")?.unwrap_or(0),
                chair: small(row, "chair")?,
            })
        })
        .collect()
}

/// Books a scheduled session (inside the caller's transaction, after [`check_slot`] on the
/// day's bookings); returns its id.
pub(crate) async fn insert_session(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    course: CourseId,
    slot: BookingSlot,
    reason: Option<&str>,
    chairs: u16,
    at: Timestamp,
) -> Result<TreatmentSessionId, StoreError> {
    let patient = course_patient(&mut *conn, clinic, course).await?;
    let day = day_bookings(&mut *conn, clinic, slot.on).await?;
    check_slot(&day, patient, &slot, chairs, None)?;
    let row = sqlx::query(concat!(
        "INSERT INTO treatment_sessions (clinic_id, course_id, scheduled_on, starts_at, minutes, ",
        "chair, status, booking_reason, created_at, updated_at) ",
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id"
    ))
    .bind(clinic.0)
    .bind(course.0)
    .bind(slot.on.to_string())
    .bind(cadence_clinical::schedule::format_time(slot.starts_at))
    .bind(i64::from(slot.minutes))
    .bind(i64::from(slot.chair))
    .bind(SessionStatus::Scheduled.as_str())
    .bind(reason)
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
    chairs: u16,
    audit: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = begin(pool).await?;
    let patient = course_patient(&mut tx, new.clinic_id, new.course_id).await?;
    let id = insert_session(
        &mut tx,
        new.clinic_id,
        new.course_id,
        new.slot,
        new.booking_reason.as_deref(),
        chairs,
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
    readers: &SqlitePool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    audit: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = begin_read(readers).await?;
    let found = one_session(&mut tx, clinic, id).await?;
    audit_read(tx, pool, about_patient(audit, Some(found.patient_id))).await?;
    Ok(found)
}

pub(crate) async fn list_treatment_sessions_on(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    on: Date,
    audit: AuditEvent,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let mut tx = begin_read(readers).await?;
    let found = sessions_on(&mut tx, clinic, on).await?;
    audit_read(tx, pool, audit).await?;
    Ok(found)
}

pub(crate) async fn list_treatment_sessions_between(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    from: Date,
    until: Date,
    audit: AuditEvent,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let mut tx = begin_read(readers).await?;
    let found = sessions_between(&mut tx, clinic, from, until).await?;
    audit_read(tx, pool, audit).await?;
    Ok(found)
}

/// A clinic's sessions booked from `from` to before `until`, by day and id, with their
/// records (by the clinic's day index).
pub(crate) async fn sessions_between(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    from: Date,
    until: Date,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let rows = sqlx::query(concat!(
        session_select!(),
        "WHERE s.clinic_id = ? AND s.scheduled_on >= ? AND s.scheduled_on < ? ",
        "ORDER BY s.scheduled_on, s.id"
    ))
    .bind(clinic.0)
    .bind(from.to_string())
    .bind(until.to_string())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let sessions = rows.iter().map(session).collect::<Result<Vec<_>, _>>()?;
    with_records(conn, sessions).await
}

/// A clinic's sessions booked on a day, by id, with their records.
pub(crate) async fn sessions_on(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    on: Date,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let rows = sqlx::query(concat!(
        session_select!(),
        "WHERE s.clinic_id = ? AND s.scheduled_on = ? ORDER BY s.id"
    ))
    .bind(clinic.0)
    .bind(on.to_string())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let sessions = rows.iter().map(session).collect::<Result<Vec<_>, _>>()?;
    with_records(conn, sessions).await
}

pub(crate) async fn set_treatment_session_status(
    pool: &SqlitePool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    change: StatusChange,
    audit: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = begin(pool).await?;
    let updated = sqlx::query(
        "UPDATE treatment_sessions SET status = ?, updated_at = ? WHERE clinic_id = ? AND id = ?",
    )
    .bind(change.status.as_str())
    .bind(change.at.as_millisecond())
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

#[expect(
    clippy::too_many_arguments,
    reason = "the Store trait's move, one value each"
)]
pub(crate) async fn move_treatment_session(
    pool: &SqlitePool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    slot: BookingSlot,
    reason: Option<String>,
    chairs: u16,
    at: Timestamp,
    audit: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = begin(pool).await?;
    let current = one_session(&mut tx, clinic, id).await?;
    if current.status != SessionStatus::Scheduled {
        return Err(StoreError::Conflict {
            constraint: "treatment_sessions.status".into(),
        });
    }
    let day = day_bookings(&mut tx, clinic, slot.on).await?;
    check_slot(&day, current.patient_id, &slot, chairs, Some(id))?;
    sqlx::query(concat!(
        "UPDATE treatment_sessions SET scheduled_on = ?, starts_at = ?, minutes = ?, chair = ?, ",
        "booking_reason = ?, updated_at = ? WHERE clinic_id = ? AND id = ?"
    ))
    .bind(slot.on.to_string())
    .bind(cadence_clinical::schedule::format_time(slot.starts_at))
    .bind(i64::from(slot.minutes))
    .bind(i64::from(slot.chair))
    .bind(reason)
    .bind(at.as_millisecond())
    .bind(clinic.0)
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let stored = one_session(&mut tx, clinic, id).await?;
    append(&mut tx, about_patient(audit, Some(stored.patient_id))).await?;
    commit(tx).await?;
    Ok(stored)
}

/// The unique rules of `session_entries`, named as the Store trait documents them.
fn entry_conflict(err: StoreError) -> StoreError {
    match err {
        StoreError::Conflict { constraint } if constraint.contains("corrects") => {
            StoreError::Conflict {
                constraint: "session_entries.corrects".to_owned(),
            }
        }
        StoreError::Conflict { constraint } if constraint.starts_with("session_entries.") => {
            StoreError::Conflict {
                constraint: "session_entries.once".to_owned(),
            }
        }
        other => other,
    }
}

pub(crate) async fn append_session_entry(
    pool: &SqlitePool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    new: NewSessionEntry,
    guard: EntryGuard,
    findings: Vec<NewFinding>,
    audit: AuditEvent,
) -> Result<(TreatmentSession, Vec<Finding>), StoreError> {
    let body = to_json(&new.body, "session entry")?;
    let mut tx = begin(pool).await?;
    let current = one_session(&mut tx, clinic, id).await?;
    if guard.no_open_findings {
        require_no_open_findings(&mut tx, clinic, current.patient_id).await?;
    }
    if guard.not_signed && current.signature.is_some() {
        return Err(StoreError::Conflict {
            constraint: "session_entries.signed".to_owned(),
        });
    }
    if let Some(corrected) = new.corrects {
        // A correction points at an entry of the same kind in the same session.
        if !current
            .entries
            .iter()
            .any(|e| e.id == corrected && e.kind == new.kind)
        {
            return Err(StoreError::NotFound);
        }
    }
    let row = sqlx::query(concat!(
        "INSERT INTO session_entries (clinic_id, treatment_session_id, kind, body, corrects, ",
        "reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
    ))
    .bind(clinic.0)
    .bind(id.0)
    .bind(new.kind.as_str())
    .bind(body)
    .bind(new.corrects.map(|c| c.0))
    .bind(new.reason.as_deref())
    .bind(new.recorded_by.0)
    .bind(new.recorded_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| entry_conflict(db(e)))?;
    let entry_id: i64 = get(&row, "id")?;
    sqlx::query(concat!(
        "UPDATE treatment_sessions SET status = COALESCE(?, status), updated_at = ? ",
        "WHERE clinic_id = ? AND id = ?"
    ))
    .bind(new.status.map(SessionStatus::as_str))
    .bind(new.recorded_at.as_millisecond())
    .bind(clinic.0)
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let origin = Origin {
        clinic,
        patient: current.patient_id,
        session: Some(id),
        source: FindingSource::PreChecks,
        source_id: Some(entry_id),
        at: new.recorded_at,
        by: Some(new.recorded_by),
    };
    insert_findings(&mut tx, origin, &findings).await?;
    let stored = one_session(&mut tx, clinic, id).await?;
    let all = super::safety::findings_of(&mut tx, clinic, stored.patient_id).await?;
    append(
        &mut tx,
        about_patient(audit.with_object_id(id), Some(stored.patient_id)),
    )
    .await?;
    commit(tx).await?;
    Ok((stored, all))
}

pub(crate) async fn add_monitoring_entry(
    pool: &SqlitePool,
    clinic: ClinicId,
    session: TreatmentSessionId,
    entry: NewMonitoringEntry,
    findings: Vec<NewFinding>,
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
        "bp_diastolic, heart_rate, spo2, respiratory_rate, moaas, cadss, adverse_effects, ",
        "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
    ))
    .bind(clinic.0)
    .bind(session.0)
    .bind(entry.taken_at.as_millisecond())
    .bind(entry.bp.map(|b| i64::from(b.systolic)))
    .bind(entry.bp.map(|b| i64::from(b.diastolic)))
    .bind(entry.heart_rate.map(i64::from))
    .bind(entry.spo2.map(|s| i64::from(s.percent())))
    .bind(entry.respiratory_rate.map(i64::from))
    .bind(entry.moaas.map(i64::from))
    .bind(entry.cadss.map(i64::from))
    .bind(effects)
    .bind(entry.recorded_by.0)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let id = MonitoringEntryId(get(&row, "id")?);
    let origin = Origin {
        clinic,
        patient,
        session: Some(session),
        source: FindingSource::MonitoringEntry,
        source_id: Some(id.0),
        at: entry.taken_at,
        by: Some(entry.recorded_by),
    };
    insert_findings(&mut tx, origin, &findings).await?;
    append(&mut tx, created(audit, id, Some(patient))).await?;
    commit(tx).await?;
    Ok(MonitoringEntry { id, entry })
}

pub(crate) async fn list_clinic_entries(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    kind: SessionEntryKind,
    limit: u32,
    audit: AuditEvent,
) -> Result<Vec<ClinicEntry>, StoreError> {
    let mut tx = begin_read(readers).await?;
    let rows = sqlx::query(
        "SELECT e.id, e.treatment_session_id, e.kind, e.body, e.corrects, e.reason, \
         e.recorded_by, e.recorded_at, s.scheduled_on \
         FROM session_entries e JOIN treatment_sessions s \
         ON s.clinic_id = e.clinic_id AND s.id = e.treatment_session_id \
         WHERE e.clinic_id = ? AND e.kind = ? ORDER BY e.recorded_at DESC, e.id DESC LIMIT ?",
    )
    .bind(clinic.0)
    .bind(kind.as_str())
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let found = rows
        .iter()
        .map(|row| {
            let (session, entry) = entry(row)?;
            Ok(ClinicEntry {
                treatment_session_id: TreatmentSessionId(session),
                scheduled_on: date(row, "scheduled_on")?,
                entry,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    audit_read(tx, pool, audit).await?;
    Ok(found)
}
