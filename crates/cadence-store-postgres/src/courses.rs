//! Courses (booked with their first sessions), course bundles (one, or a whole clinic's),
//! clinicians' decisions and price lists.

use crate::audit;
use crate::convert::{date, date_text, get, parsed, timestamp};
use crate::error;
use crate::patients::{about, clinic_assessments, fetch_assessments, fetch_patient};
use crate::safety::{finding, finding_select, findings_of, release_of_patient, rems, rems_of};
use crate::sessions::{clinic_sessions, insert_session, sessions_of};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::*;
use cadence_store::records::*;
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use std::collections::HashMap;

/// The courses columns in record order.
macro_rules! course_columns {
    () => {
        "id, clinic_id, patient_id, protocol_id, protocol_version, protocol_text, start_date, \
         screening_id, screening_override, created_by, created_at"
    };
}

/// The decisions columns in record order.
macro_rules! decision_columns {
    () => {
        "id, clinic_id, course_id, decision, suggestion_shown, note, decided_by, decided_on, \
         created_at"
    };
}

pub(crate) async fn create_course(
    pool: &PgPool,
    new: NewCourse,
    sessions: Vec<BookingSlot>,
    chairs: u16,
    event: AuditEvent,
) -> Result<Course, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    fetch_patient(&mut tx, new.clinic_id, new.patient_id).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO courses (clinic_id, patient_id, protocol_id, protocol_version, \
         protocol_text, start_date, screening_id, screening_override, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ",
        course_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(new.patient_id.0)
    .bind(&new.protocol_id)
    .bind(i64::from(new.protocol_version))
    .bind(&new.protocol_text)
    .bind(date_text(new.start_date))
    .bind(new.screening_id.map(|s| s.0))
    .bind(new.screening_override.as_deref())
    .bind(new.created_by.0)
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let course = course(&row)?;
    for slot in sessions {
        insert_session(
            &mut tx,
            course.clinic_id,
            course.id,
            slot,
            None,
            chairs,
            new.created_at,
        )
        .await?;
    }
    audit::append(
        &mut tx,
        about(event.with_object_id(course.id), course.patient_id),
    )
    .await?;
    tx.commit().await.map_err(error::map)?;
    Ok(course)
}

pub(crate) async fn list_courses(
    pool: &PgPool,
    clinic: ClinicId,
    patient: PatientId,
    event: AuditEvent,
) -> Result<Vec<Course>, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    fetch_patient(&mut tx, clinic, patient).await?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        course_columns!(),
        " FROM courses WHERE clinic_id = $1 AND patient_id = $2 \
         ORDER BY start_date DESC, id DESC"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?;
    let courses = rows.iter().map(course).collect::<Result<Vec<_>, _>>()?;
    audit::append(&mut tx, about(event, patient)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(courses)
}

pub(crate) async fn get_course_bundle(
    pool: &PgPool,
    clinic: ClinicId,
    id: CourseId,
    event: AuditEvent,
) -> Result<CourseBundle, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let bundle = bundle_in(&mut tx, clinic, id).await?;
    audit::append(&mut tx, about(event, bundle.course.patient_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(bundle)
}

/// One course's bundle, read on the caller's connection.
pub(crate) async fn bundle_in(
    conn: &mut PgConnection,
    clinic: ClinicId,
    id: CourseId,
) -> Result<CourseBundle, StoreError> {
    let tx = conn;
    let course = fetch_course(&mut *tx, clinic, id).await?;
    let sessions = sessions_of(&mut *tx, clinic, id).await?;
    let assessments = fetch_assessments(&mut *tx, clinic, course.patient_id).await?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        decision_columns!(),
        " FROM decisions WHERE clinic_id = $1 AND course_id = $2 ORDER BY id"
    ))
    .bind(clinic.0)
    .bind(id.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?;
    let decisions = rows.iter().map(decision).collect::<Result<Vec<_>, _>>()?;
    let findings = findings_of(&mut *tx, clinic, course.patient_id).await?;
    let rems = rems_of(&mut *tx, clinic, course.patient_id).await?;
    let earlier: Option<String> = sqlx::query_scalar(
        "SELECT MAX(day) FROM ( \
           SELECT s.scheduled_on AS day FROM treatment_sessions s \
           JOIN courses c ON c.clinic_id = s.clinic_id AND c.id = s.course_id \
           WHERE c.clinic_id = $1 AND c.patient_id = $2 AND s.status = 'completed' \
             AND (c.start_date < $3 OR (c.start_date = $3 AND c.id < $4)) \
           UNION ALL \
           SELECT d.decided_on FROM decisions d \
           JOIN courses c ON c.clinic_id = d.clinic_id AND c.id = d.course_id \
           WHERE c.clinic_id = $1 AND c.patient_id = $2 \
             AND (c.start_date < $3 OR (c.start_date = $3 AND c.id < $4))) AS days",
    )
    .bind(clinic.0)
    .bind(course.patient_id.0)
    .bind(date_text(course.start_date))
    .bind(course.id.0)
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let earlier_course_end = earlier
        .map(|d| {
            d.parse()
                .map_err(|_| StoreError::Other(format!("an invalid date `{d}`")))
        })
        .transpose()?;
    Ok(CourseBundle {
        course,
        sessions,
        assessments,
        decisions,
        findings,
        rems,
        earlier_course_end,
    })
}

pub(crate) async fn list_course_bundles(
    pool: &PgPool,
    clinic: ClinicId,
    event: AuditEvent,
) -> Result<Vec<CourseBundle>, StoreError> {
    // One query per table, grouped here, so the cost does not grow in queries with the clinic.
    // Parents are read before children and a child whose parent was not read is left out, so
    // a course booked while this runs (READ COMMITTED) shows either whole or not at all.
    let mut tx = pool.begin().await.map_err(error::map)?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        course_columns!(),
        " FROM courses WHERE clinic_id = $1 ORDER BY patient_id, start_date DESC, id DESC"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?;
    let courses = rows.iter().map(course).collect::<Result<Vec<_>, _>>()?;
    let mut sessions = clinic_sessions(&mut tx, clinic).await?;
    let assessments = clinic_assessments(&mut tx, clinic).await?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        decision_columns!(),
        " FROM decisions WHERE clinic_id = $1 ORDER BY id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?;
    let mut decisions: HashMap<CourseId, Vec<DecisionRecord>> = HashMap::new();
    for row in &rows {
        let found = decision(row)?;
        decisions.entry(found.course_id).or_default().push(found);
    }
    let mut findings: HashMap<PatientId, Vec<Finding>> = HashMap::new();
    for row in sqlx::query(concat!(
        finding_select!(),
        "WHERE f.clinic_id = $1 ORDER BY f.found_at, f.id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?
    .iter()
    {
        let found = finding(row)?;
        findings.entry(found.patient_id).or_default().push(found);
    }
    let mut enrolments: HashMap<PatientId, RemsEnrolment> = HashMap::new();
    for row in sqlx::query(
        "SELECT patient_id, rems_patient_id, enrolled_on, recorded_by, recorded_at \
         FROM rems_enrolments WHERE clinic_id = $1",
    )
    .bind(clinic.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?
    .iter()
    {
        let found = rems(row)?;
        enrolments.insert(found.patient_id, found);
    }
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    let mut bundles: Vec<CourseBundle> = courses
        .into_iter()
        .map(|course| CourseBundle {
            findings: findings
                .get(&course.patient_id)
                .cloned()
                .unwrap_or_default(),
            rems: enrolments.get(&course.patient_id).cloned(),
            sessions: sessions.remove(&course.id).unwrap_or_default(),
            assessments: assessments
                .get(&course.patient_id)
                .cloned()
                .unwrap_or_default(),
            decisions: decisions.remove(&course.id).unwrap_or_default(),
            earlier_course_end: None,
            course,
        })
        .collect();
    let ends: Vec<Option<jiff::civil::Date>> = bundles
        .iter()
        .map(|b| CourseBundle::earlier_end_among(&b.course, &bundles))
        .collect();
    for (b, end) in bundles.iter_mut().zip(ends) {
        b.earlier_course_end = end;
    }
    Ok(bundles)
}

pub(crate) async fn create_decision(
    pool: &PgPool,
    new: NewDecision,
    releases: Vec<FindingId>,
    event: AuditEvent,
) -> Result<DecisionRecord, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let course = fetch_course(&mut tx, new.clinic_id, new.course_id).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO decisions (clinic_id, course_id, decision, suggestion_shown, note, \
         decided_by, decided_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING ",
        decision_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(new.course_id.0)
    .bind(new.decision.as_str())
    .bind(new.suggestion_shown.as_deref())
    .bind(new.note.as_deref())
    .bind(new.decided_by.0)
    .bind(date_text(new.decided_on))
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let stored = decision(&row)?;
    for finding in releases {
        let release = NewRelease {
            note: stored.note.clone().unwrap_or_default(),
            decision_id: Some(stored.id),
            released_by: stored.decided_by,
            released_at: stored.created_at,
        };
        release_of_patient(&mut tx, new.clinic_id, course.patient_id, finding, &release).await?;
    }
    audit::append(
        &mut tx,
        about(event.with_object_id(stored.id), course.patient_id),
    )
    .await?;
    tx.commit().await.map_err(error::map)?;
    Ok(stored)
}

pub(crate) async fn course_protocol_text(
    pool: &PgPool,
    clinic: ClinicId,
    course: CourseId,
) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT protocol_text FROM courses WHERE clinic_id = $1 AND id = $2")
        .bind(clinic.0)
        .bind(course.0)
        .fetch_optional(pool)
        .await
        .map_err(error::map)?
        .ok_or(StoreError::NotFound)?;
    get(&row, "protocol_text")
}

pub(crate) async fn get_price_list(
    pool: &PgPool,
    clinic: ClinicId,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT text FROM price_lists WHERE clinic_id = $1")
        .bind(clinic.0)
        .fetch_optional(pool)
        .await
        .map_err(error::map)?;
    row.map(|r| get(&r, "text")).transpose()
}

pub(crate) async fn set_price_list(
    pool: &PgPool,
    clinic: ClinicId,
    text: &str,
    event: AuditEvent,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    crate::clinics::require(&mut tx, "SELECT 1 FROM clinics WHERE id = $1", clinic.0).await?;
    sqlx::query(
        "INSERT INTO price_lists (clinic_id, text, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (clinic_id) DO UPDATE SET text = EXCLUDED.text, \
         updated_at = EXCLUDED.updated_at",
    )
    .bind(clinic.0)
    .bind(text)
    .bind(event.at.as_millisecond())
    .execute(&mut *tx)
    .await
    .map_err(error::map)?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)
}

/// A course of this clinic, read inside a transaction.
pub(crate) async fn fetch_course(
    conn: &mut PgConnection,
    clinic: ClinicId,
    id: CourseId,
) -> Result<Course, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        course_columns!(),
        " FROM courses WHERE id = $1 AND clinic_id = $2"
    ))
    .bind(id.0)
    .bind(clinic.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    course(&row)
}

fn course(row: &PgRow) -> Result<Course, StoreError> {
    let version: i64 = get(row, "protocol_version")?;
    Ok(Course {
        id: CourseId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        protocol_id: get(row, "protocol_id")?,
        protocol_version: u32::try_from(version)
            .map_err(|_| StoreError::Other("stored value of protocol_version is invalid".into()))?,
        protocol_text: get(row, "protocol_text")?,
        start_date: date(row, "start_date")?,
        screening_id: get::<Option<i64>>(row, "screening_id")?.map(ScreeningId),
        screening_override: get(row, "screening_override")?,
        created_by: UserId(get(row, "created_by")?),
        created_at: timestamp(row, "created_at")?,
    })
}

fn decision(row: &PgRow) -> Result<DecisionRecord, StoreError> {
    Ok(DecisionRecord {
        id: DecisionId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        course_id: CourseId(get(row, "course_id")?),
        decision: parsed(row, "decision")?,
        suggestion_shown: get(row, "suggestion_shown")?,
        note: get(row, "note")?,
        decided_by: UserId(get(row, "decided_by")?),
        decided_on: date(row, "decided_on")?,
        created_at: timestamp(row, "created_at")?,
    })
}
