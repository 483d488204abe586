//! Treatment sessions, their record (append-only entries) and monitoring entries. A session's
//! patient is its course's patient, read through a join rather than stored twice. The fields
//! in force are folded from the entries by [`TreatmentSession::fold_entries`], shared with the
//! SQLite backend.

use crate::audit;
use crate::convert::{date, date_text, get, json, parsed, small_opt, timestamp, to_json};
use crate::courses::fetch_course;
use crate::error;
use crate::patients::about;
use crate::safety::{Origin, insert_findings, require_no_open_findings};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::*;
use cadence_store::records::*;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use std::collections::HashMap;

/// The treatment_sessions columns, with the patient from the course (`s` and `c`).
macro_rules! session_columns {
    () => {
        "s.id, s.clinic_id, s.course_id, c.patient_id, s.scheduled_on, s.starts_at, s.minutes, \
         s.chair, s.status, s.booking_reason, s.updated_at"
    };
}

/// The monitoring_entries columns in record order.
macro_rules! monitoring_columns {
    () => {
        "id, treatment_session_id, taken_at, bp_systolic, bp_diastolic, heart_rate, spo2, \
         respiratory_rate, moaas, cadss, adverse_effects, recorded_by"
    };
}

pub(crate) async fn create_treatment_session(
    pool: &PgPool,
    new: NewTreatmentSession,
    chairs: u16,
    event: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let course = fetch_course(&mut tx, new.clinic_id, new.course_id).await?;
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
    let session = fetch_session(&mut tx, new.clinic_id, id).await?;
    audit::append(&mut tx, about(event.with_object_id(id), course.patient_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(session)
}

pub(crate) async fn get_treatment_session(
    pool: &PgPool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    event: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let session = fetch_session(&mut tx, clinic, id).await?;
    audit::append(&mut tx, about(event, session.patient_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(session)
}

pub(crate) async fn list_treatment_sessions_on(
    pool: &PgPool,
    clinic: ClinicId,
    day: Date,
    event: AuditEvent,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let sessions = sessions_on(&mut tx, clinic, day).await?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(sessions)
}

pub(crate) async fn list_treatment_sessions_between(
    pool: &PgPool,
    clinic: ClinicId,
    from: Date,
    until: Date,
    event: AuditEvent,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let sessions = sessions_between(&mut tx, clinic, from, until).await?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(sessions)
}

/// A clinic's sessions booked from `from` to before `until`, by day and id, with their
/// records (by the clinic's day index).
pub(crate) async fn sessions_between(
    conn: &mut PgConnection,
    clinic: ClinicId,
    from: Date,
    until: Date,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        session_columns!(),
        " FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = $1 AND s.scheduled_on >= $2 AND s.scheduled_on < $3 \
         ORDER BY s.scheduled_on, s.id"
    ))
    .bind(clinic.0)
    .bind(date_text(from))
    .bind(date_text(until))
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    let mut sessions = Vec::with_capacity(rows.len());
    for row in &rows {
        sessions.push(with_records(&mut *conn, row).await?);
    }
    Ok(sessions)
}

/// A clinic's sessions booked on a day, by id, with their records.
pub(crate) async fn sessions_on(
    conn: &mut PgConnection,
    clinic: ClinicId,
    day: Date,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        session_columns!(),
        " FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = $1 AND s.scheduled_on = $2 ORDER BY s.id"
    ))
    .bind(clinic.0)
    .bind(date_text(day))
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    let mut sessions = Vec::with_capacity(rows.len());
    for row in &rows {
        sessions.push(with_records(&mut *conn, row).await?);
    }
    Ok(sessions)
}

pub(crate) async fn set_treatment_session_status(
    pool: &PgPool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    change: StatusChange,
    event: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let updated = sqlx::query(
        "UPDATE treatment_sessions SET status = $3, updated_at = $4 \
         WHERE id = $1 AND clinic_id = $2",
    )
    .bind(id.0)
    .bind(clinic.0)
    .bind(change.status.as_str())
    .bind(change.at.as_millisecond())
    .execute(&mut *tx)
    .await
    .map_err(error::map)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let session = fetch_session(&mut tx, clinic, id).await?;
    audit::append(&mut tx, about(event, session.patient_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(session)
}

/// The unique rules of `session_entries`, named as the Store trait documents them.
fn entry_conflict(err: StoreError) -> StoreError {
    match err {
        StoreError::Conflict { constraint } if constraint.contains("corrects") => {
            StoreError::Conflict {
                constraint: "session_entries.corrects".to_owned(),
            }
        }
        StoreError::Conflict { constraint } if constraint.starts_with("session_entries") => {
            StoreError::Conflict {
                constraint: "session_entries.once".to_owned(),
            }
        }
        other => other,
    }
}

pub(crate) async fn append_session_entry(
    pool: &PgPool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    new: NewSessionEntry,
    guard: EntryGuard,
    findings: Vec<NewFinding>,
    event: AuditEvent,
) -> Result<(TreatmentSession, Vec<Finding>), StoreError> {
    let body = to_json(&new.body)?;
    let mut tx = pool.begin().await.map_err(error::map)?;
    // The session row lock serialises entries of one session (so `not_signed` cannot race a
    // signature); the guard takes the patient's lock for the findings check.
    sqlx::query("SELECT 1 FROM treatment_sessions WHERE id = $1 AND clinic_id = $2 FOR UPDATE")
        .bind(id.0)
        .bind(clinic.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(error::map)?
        .ok_or(StoreError::NotFound)?;
    let current = fetch_session(&mut tx, clinic, id).await?;
    if guard.no_open_findings {
        require_no_open_findings(&mut tx, clinic, current.patient_id).await?;
    }
    if guard.not_signed && current.signature.is_some() {
        return Err(StoreError::Conflict {
            constraint: "session_entries.signed".to_owned(),
        });
    }
    if let Some(corrected) = new.corrects {
        if !current
            .entries
            .iter()
            .any(|e| e.id == corrected && e.kind == new.kind)
        {
            return Err(StoreError::NotFound);
        }
    }
    let row = sqlx::query(
        "INSERT INTO session_entries (clinic_id, treatment_session_id, kind, body, corrects, \
         reason, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
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
    .map_err(|e| entry_conflict(error::map(e)))?;
    let entry_id: i64 = get(&row, "id")?;
    sqlx::query(
        "UPDATE treatment_sessions SET status = COALESCE($3, status), updated_at = $4 \
         WHERE id = $1 AND clinic_id = $2",
    )
    .bind(id.0)
    .bind(clinic.0)
    .bind(new.status.map(|s| s.as_str()))
    .bind(new.recorded_at.as_millisecond())
    .execute(&mut *tx)
    .await
    .map_err(error::map)?;
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
    let session = fetch_session(&mut tx, clinic, id).await?;
    let all = crate::safety::findings_of(&mut tx, clinic, session.patient_id).await?;
    audit::append(&mut tx, about(event.with_object_id(id), session.patient_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok((session, all))
}

pub(crate) async fn add_monitoring_entry(
    pool: &PgPool,
    clinic: ClinicId,
    session: TreatmentSessionId,
    entry: NewMonitoringEntry,
    findings: Vec<NewFinding>,
    event: AuditEvent,
) -> Result<MonitoringEntry, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let patient = sqlx::query(
        "SELECT c.patient_id FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.id = $1 AND s.clinic_id = $2",
    )
    .bind(session.0)
    .bind(clinic.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    let patient = PatientId(get(&patient, "patient_id")?);
    let row = sqlx::query(concat!(
        "INSERT INTO monitoring_entries (clinic_id, treatment_session_id, taken_at, \
         bp_systolic, bp_diastolic, heart_rate, spo2, respiratory_rate, moaas, cadss, \
         adverse_effects, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ",
        monitoring_columns!()
    ))
    .bind(clinic.0)
    .bind(session.0)
    .bind(entry.taken_at.as_millisecond())
    .bind(entry.bp.map(|b| i32::from(b.systolic)))
    .bind(entry.bp.map(|b| i32::from(b.diastolic)))
    .bind(entry.heart_rate.map(i32::from))
    .bind(entry.spo2.map(|s| i32::from(s.percent())))
    .bind(entry.respiratory_rate.map(i32::from))
    .bind(entry.moaas.map(i32::from))
    .bind(entry.cadss.map(i32::from))
    .bind(to_json(&entry.adverse_effects)?)
    .bind(entry.recorded_by.0)
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let stored = monitoring_entry(&row)?;
    let origin = Origin {
        clinic,
        patient,
        session: Some(session),
        source: FindingSource::MonitoringEntry,
        source_id: Some(stored.id.0),
        at: stored.entry.taken_at,
        by: Some(stored.entry.recorded_by),
    };
    insert_findings(&mut tx, origin, &findings).await?;
    audit::append(&mut tx, about(event.with_object_id(stored.id), patient)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(stored)
}

/// The stored start time (`HH:MM`).
fn start_time(row: &PgRow) -> Result<jiff::civil::Time, StoreError> {
    let text: String = get(row, "starts_at")?;
    cadence_clinical::schedule::parse_time(&text)
        .map_err(|_| StoreError::Other("stored value of starts_at is invalid".into()))
}

/// The clinic's sessions booked on a day (not cancelled or missed), for the slot check, after
/// locking the clinic's row: bookings of one clinic take turns, in every server process, so
/// two at once cannot both find the same chair free.
async fn day_bookings(
    conn: &mut PgConnection,
    clinic: ClinicId,
    day: Date,
) -> Result<Vec<DayBooking>, StoreError> {
    sqlx::query("SELECT 1 FROM clinics WHERE id = $1 FOR UPDATE")
        .bind(clinic.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(error::map)?
        .ok_or(StoreError::NotFound)?;
    let rows = sqlx::query(
        "SELECT s.id, c.patient_id, s.starts_at, s.minutes, s.chair \
         FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = $1 AND s.scheduled_on = $2 \
         AND s.status NOT IN ('cancelled', 'no_show')",
    )
    .bind(clinic.0)
    .bind(date_text(day))
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    rows.iter()
        .map(|row| {
            Ok(DayBooking {
                id: TreatmentSessionId(get(row, "id")?),
                patient_id: PatientId(get(row, "patient_id")?),
                starts_at: start_time(row)?,
                minutes: small_opt(row, "minutes")?.unwrap_or(0),
                chair: small_opt(row, "chair")?,
            })
        })
        .collect()
}

/// Books one session after [`check_slot`] on the day's bookings, returning its id.
pub(crate) async fn insert_session(
    conn: &mut PgConnection,
    clinic: ClinicId,
    course: CourseId,
    slot: BookingSlot,
    reason: Option<&str>,
    chairs: u16,
    at: Timestamp,
) -> Result<TreatmentSessionId, StoreError> {
    let patient = fetch_course(&mut *conn, clinic, course).await?.patient_id;
    let day = day_bookings(&mut *conn, clinic, slot.on).await?;
    check_slot(&day, patient, &slot, chairs, None)?;
    let row = sqlx::query(
        "INSERT INTO treatment_sessions (clinic_id, course_id, scheduled_on, starts_at, minutes, \
         chair, status, booking_reason, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(clinic.0)
    .bind(course.0)
    .bind(date_text(slot.on))
    .bind(cadence_clinical::schedule::format_time(slot.starts_at))
    .bind(i32::from(slot.minutes))
    .bind(i32::from(slot.chair))
    .bind(SessionStatus::Scheduled.as_str())
    .bind(reason)
    .bind(at.as_millisecond())
    .fetch_one(&mut *conn)
    .await
    .map_err(error::map)?;
    Ok(TreatmentSessionId(get(&row, "id")?))
}

#[expect(
    clippy::too_many_arguments,
    reason = "the Store trait's move, one value each"
)]
pub(crate) async fn move_treatment_session(
    pool: &PgPool,
    clinic: ClinicId,
    id: TreatmentSessionId,
    slot: BookingSlot,
    reason: Option<String>,
    chairs: u16,
    at: Timestamp,
    event: AuditEvent,
) -> Result<TreatmentSession, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let day = day_bookings(&mut tx, clinic, slot.on).await?;
    let current = fetch_session(&mut tx, clinic, id).await?;
    if current.status != SessionStatus::Scheduled {
        return Err(StoreError::Conflict {
            constraint: "treatment_sessions.status".into(),
        });
    }
    check_slot(&day, current.patient_id, &slot, chairs, Some(id))?;
    sqlx::query(
        "UPDATE treatment_sessions SET scheduled_on = $3, starts_at = $4, minutes = $5, \
         chair = $6, booking_reason = $7, updated_at = $8 WHERE clinic_id = $1 AND id = $2",
    )
    .bind(clinic.0)
    .bind(id.0)
    .bind(date_text(slot.on))
    .bind(cadence_clinical::schedule::format_time(slot.starts_at))
    .bind(i32::from(slot.minutes))
    .bind(i32::from(slot.chair))
    .bind(reason)
    .bind(at.as_millisecond())
    .execute(&mut *tx)
    .await
    .map_err(error::map)?;
    let session = fetch_session(&mut tx, clinic, id).await?;
    audit::append(&mut tx, about(event, session.patient_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(session)
}

/// A course's sessions by date, with their monitoring entries (inside a transaction).
pub(crate) async fn sessions_of(
    conn: &mut PgConnection,
    clinic: ClinicId,
    course: CourseId,
) -> Result<Vec<TreatmentSession>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        session_columns!(),
        " FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = $1 AND s.course_id = $2 ORDER BY s.scheduled_on, s.id"
    ))
    .bind(clinic.0)
    .bind(course.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    let mut sessions = Vec::with_capacity(rows.len());
    for row in &rows {
        sessions.push(with_records(conn, row).await?);
    }
    Ok(sessions)
}

async fn fetch_session(
    conn: &mut PgConnection,
    clinic: ClinicId,
    id: TreatmentSessionId,
) -> Result<TreatmentSession, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        session_columns!(),
        " FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.id = $1 AND s.clinic_id = $2"
    ))
    .bind(id.0)
    .bind(clinic.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    with_records(conn, &row).await
}

/// The session_entries columns.
macro_rules! entry_columns {
    () => {
        "id, treatment_session_id, kind, body, corrects, reason, recorded_by, recorded_at"
    };
}

fn entry(row: &PgRow) -> Result<SessionEntry, StoreError> {
    Ok(SessionEntry {
        id: SessionEntryId(get(row, "id")?),
        kind: parsed(row, "kind")?,
        body: json(row, "body")?,
        corrects: get::<Option<i64>>(row, "corrects")?.map(SessionEntryId),
        reason: get(row, "reason")?,
        recorded_by: UserId(get(row, "recorded_by")?),
        recorded_at: timestamp(row, "recorded_at")?,
    })
}

/// A session row with its record entries (in order) and monitoring entries (in time order).
async fn with_records(
    conn: &mut PgConnection,
    row: &PgRow,
) -> Result<TreatmentSession, StoreError> {
    let id = TreatmentSessionId(get(row, "id")?);
    let monitoring = sqlx::query(concat!(
        "SELECT ",
        monitoring_columns!(),
        " FROM monitoring_entries WHERE treatment_session_id = $1 ORDER BY taken_at, id"
    ))
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?
    .iter()
    .map(monitoring_entry)
    .collect::<Result<_, _>>()?;
    let entries = sqlx::query(concat!(
        "SELECT ",
        entry_columns!(),
        " FROM session_entries WHERE treatment_session_id = $1 ORDER BY id"
    ))
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?
    .iter()
    .map(entry)
    .collect::<Result<_, _>>()?;
    session(row, monitoring, entries)
}

/// A session row, with its monitoring and record entries read separately.
fn session(
    row: &PgRow,
    monitoring: Vec<MonitoringEntry>,
    entries: Vec<SessionEntry>,
) -> Result<TreatmentSession, StoreError> {
    let mut s = TreatmentSession {
        id: TreatmentSessionId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        course_id: CourseId(get(row, "course_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        scheduled_on: date(row, "scheduled_on")?,
        starts_at: start_time(row)?,
        minutes: small_opt(row, "minutes")?.unwrap_or(0),
        chair: small_opt(row, "chair")?,
        status: parsed(row, "status")?,
        booking_reason: get(row, "booking_reason")?,
        pre_checks: None,
        administration: None,
        discharge: None,
        exceptional_end: None,
        signature: None,
        entries,
        monitoring,
        updated_at: timestamp(row, "updated_at")?,
    };
    s.fold_entries();
    Ok(s)
}

/// Every session of the clinic with its monitoring entries, grouped by course, each course's
/// by date (inside a transaction): two queries whatever the clinic's size.
///
/// Under READ COMMITTED each query sees the latest commits, so an entry may belong to a
/// session booked after the sessions were read: it is left out, as it would have been a
/// moment earlier.
pub(crate) async fn clinic_sessions(
    conn: &mut PgConnection,
    clinic: ClinicId,
) -> Result<HashMap<CourseId, Vec<TreatmentSession>>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        session_columns!(),
        " FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = $1 ORDER BY s.scheduled_on, s.id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    // Through the sessions, so the clinic's index on them finds the entries.
    let entries = sqlx::query(
        "SELECT m.id, m.treatment_session_id, m.taken_at, m.bp_systolic, m.bp_diastolic, \
         m.heart_rate, m.spo2, m.respiratory_rate, m.moaas, m.cadss, m.adverse_effects, \
         m.recorded_by \
         FROM monitoring_entries m JOIN treatment_sessions s ON s.id = m.treatment_session_id \
         WHERE s.clinic_id = $1 AND m.clinic_id = $1 ORDER BY m.taken_at, m.id",
    )
    .bind(clinic.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    let mut by_session: HashMap<TreatmentSessionId, Vec<MonitoringEntry>> = HashMap::new();
    for row in &entries {
        let session = TreatmentSessionId(get(row, "treatment_session_id")?);
        by_session
            .entry(session)
            .or_default()
            .push(monitoring_entry(row)?);
    }
    let mut by_entry: HashMap<TreatmentSessionId, Vec<SessionEntry>> = HashMap::new();
    for row in sqlx::query(concat!(
        "SELECT ",
        entry_columns!(),
        " FROM session_entries WHERE clinic_id = $1 ORDER BY id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?
    .iter()
    {
        let session = TreatmentSessionId(get(row, "treatment_session_id")?);
        by_entry.entry(session).or_default().push(entry(row)?);
    }
    let mut by_course: HashMap<CourseId, Vec<TreatmentSession>> = HashMap::new();
    for row in &rows {
        let id = TreatmentSessionId(get(row, "id")?);
        let found = session(
            row,
            by_session.remove(&id).unwrap_or_default(),
            by_entry.remove(&id).unwrap_or_default(),
        )?;
        by_course.entry(found.course_id).or_default().push(found);
    }
    Ok(by_course)
}

fn monitoring_entry(row: &PgRow) -> Result<MonitoringEntry, StoreError> {
    Ok(MonitoringEntry {
        id: MonitoringEntryId(get(row, "id")?),
        entry: NewMonitoringEntry {
            taken_at: timestamp(row, "taken_at")?,
            bp: stored_blood_pressure(
                small_opt(row, "bp_systolic")?,
                small_opt(row, "bp_diastolic")?,
            )?,
            heart_rate: small_opt(row, "heart_rate")?,
            spo2: stored_spo2(small_opt(row, "spo2")?)?,
            respiratory_rate: small_opt(row, "respiratory_rate")?,
            moaas: small_opt(row, "moaas")?,
            cadss: small_opt(row, "cadss")?,
            adverse_effects: json(row, "adverse_effects")?,
            recorded_by: UserId(get(row, "recorded_by")?),
        },
    })
}

pub(crate) async fn list_clinic_entries(
    pool: &PgPool,
    clinic: ClinicId,
    kind: SessionEntryKind,
    limit: u32,
    event: AuditEvent,
) -> Result<Vec<ClinicEntry>, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let rows = sqlx::query(
        "SELECT e.id, e.treatment_session_id, e.kind, e.body, e.corrects, e.reason, \
         e.recorded_by, e.recorded_at, s.scheduled_on \
         FROM session_entries e JOIN treatment_sessions s \
         ON s.clinic_id = e.clinic_id AND s.id = e.treatment_session_id \
         WHERE e.clinic_id = $1 AND e.kind = $2 ORDER BY e.recorded_at DESC, e.id DESC LIMIT $3",
    )
    .bind(clinic.0)
    .bind(kind.as_str())
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?;
    let found = rows
        .iter()
        .map(|row| {
            Ok(ClinicEntry {
                treatment_session_id: TreatmentSessionId(get(row, "treatment_session_id")?),
                scheduled_on: date(row, "scheduled_on")?,
                entry: entry(row)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(found)
}
