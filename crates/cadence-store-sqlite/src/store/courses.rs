//! Courses (with their first sessions), course bundles (one, or a whole clinic's) and
//! clinicians' decisions.

use super::patients::{assessments_of, clinic_assessments, require_patient};
use super::safety::{finding, finding_select, findings_of, release_of_patient, rems_of};
use super::sessions::{clinic_sessions, course_patient, insert_session, sessions_of};
use crate::audit::{about_patient, append, audit_read, begin, begin_read, commit, created};
use crate::codec::{date, db, get, parsed, ts};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::*;
use cadence_store::records::*;
use sqlx::SqliteConnection;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use std::collections::HashMap;

macro_rules! course_columns {
    () => {
        "id, clinic_id, patient_id, protocol_id, protocol_version, protocol_text, start_date, \
         screening_id, screening_override, created_by, created_at"
    };
}

macro_rules! decision_columns {
    () => {
        "id, clinic_id, course_id, decision, suggestion_shown, note, decided_by, decided_on, \
         created_at"
    };
}

fn course(row: &SqliteRow) -> Result<Course, StoreError> {
    let version: i64 = get(row, "protocol_version")?;
    Ok(Course {
        id: CourseId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        protocol_id: get(row, "protocol_id")?,
        protocol_version: u32::try_from(version)
            .map_err(|_| StoreError::other("column protocol_version is out of range"))?,
        protocol_text: get(row, "protocol_text")?,
        start_date: date(row, "start_date")?,
        screening_id: get::<Option<i64>>(row, "screening_id")?.map(ScreeningId),
        screening_override: get(row, "screening_override")?,
        created_by: UserId(get(row, "created_by")?),
        created_at: ts(row, "created_at")?,
    })
}

fn decision(row: &SqliteRow) -> Result<DecisionRecord, StoreError> {
    Ok(DecisionRecord {
        id: DecisionId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        course_id: CourseId(get(row, "course_id")?),
        decision: parsed(row, "decision")?,
        suggestion_shown: get(row, "suggestion_shown")?,
        note: get(row, "note")?,
        decided_by: UserId(get(row, "decided_by")?),
        decided_on: date(row, "decided_on")?,
        created_at: ts(row, "created_at")?,
    })
}

pub(crate) async fn create_course(
    pool: &SqlitePool,
    new: NewCourse,
    sessions: Vec<BookingSlot>,
    chairs: u16,
    audit: AuditEvent,
) -> Result<Course, StoreError> {
    let mut tx = begin(pool).await?;
    require_patient(&mut tx, new.clinic_id, new.patient_id).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO courses (clinic_id, patient_id, protocol_id, protocol_version, ",
        "protocol_text, start_date, screening_id, screening_override, created_by, created_at) ",
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ",
        course_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(new.patient_id.0)
    .bind(&new.protocol_id)
    .bind(i64::from(new.protocol_version))
    .bind(&new.protocol_text)
    .bind(new.start_date.to_string())
    .bind(new.screening_id.map(|s| s.0))
    .bind(new.screening_override.as_deref())
    .bind(new.created_by.0)
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let stored = course(&row)?;
    for slot in sessions {
        insert_session(
            &mut tx,
            stored.clinic_id,
            stored.id,
            slot,
            None,
            chairs,
            new.created_at,
        )
        .await?;
    }
    append(&mut tx, created(audit, stored.id, Some(stored.patient_id))).await?;
    commit(tx).await?;
    Ok(stored)
}

pub(crate) async fn list_courses(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    patient: PatientId,
    audit: AuditEvent,
) -> Result<Vec<Course>, StoreError> {
    let mut tx = begin_read(readers).await?;
    require_patient(&mut tx, clinic, patient).await?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        course_columns!(),
        " FROM courses WHERE clinic_id = ? AND patient_id = ? ORDER BY start_date DESC, id DESC"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let found = rows.iter().map(course).collect::<Result<Vec<_>, _>>()?;
    audit_read(tx, pool, about_patient(audit, Some(patient))).await?;
    Ok(found)
}

async fn decisions_of(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    course: CourseId,
) -> Result<Vec<DecisionRecord>, StoreError> {
    sqlx::query(concat!(
        "SELECT ",
        decision_columns!(),
        " FROM decisions WHERE clinic_id = ? AND course_id = ? ORDER BY id"
    ))
    .bind(clinic.0)
    .bind(course.0)
    .fetch_all(conn)
    .await
    .map_err(db)?
    .iter()
    .map(decision)
    .collect()
}

pub(crate) async fn get_course_bundle(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    id: CourseId,
    audit: AuditEvent,
) -> Result<CourseBundle, StoreError> {
    // One transaction, so the parts are a consistent snapshot.
    let mut tx = begin_read(readers).await?;
    let bundle = bundle_in(&mut tx, clinic, id).await?;
    audit_read(
        tx,
        pool,
        about_patient(audit, Some(bundle.course.patient_id)),
    )
    .await?;
    Ok(bundle)
}

/// One course's bundle, read on the caller's connection.
pub(crate) async fn bundle_in(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    id: CourseId,
) -> Result<CourseBundle, StoreError> {
    let tx = conn;
    let row = sqlx::query(concat!(
        "SELECT ",
        course_columns!(),
        " FROM courses WHERE clinic_id = ? AND id = ?"
    ))
    .bind(clinic.0)
    .bind(id.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    let course = course(&row)?;
    let sessions = sessions_of(&mut *tx, clinic, id).await?;
    let assessments = assessments_of(&mut *tx, clinic, course.patient_id).await?;
    let decisions = decisions_of(&mut *tx, clinic, id).await?;
    let findings = findings_of(&mut *tx, clinic, course.patient_id).await?;
    let rems = rems_of(&mut *tx, clinic, course.patient_id).await?;
    let earlier: Option<String> = sqlx::query_scalar(
        "SELECT MAX(day) FROM ( \
           SELECT s.scheduled_on AS day FROM treatment_sessions s \
           JOIN courses c ON c.clinic_id = s.clinic_id AND c.id = s.course_id \
           WHERE c.clinic_id = ?1 AND c.patient_id = ?2 AND s.status = 'completed' \
             AND (c.start_date < ?3 OR (c.start_date = ?3 AND c.id < ?4)) \
           UNION ALL \
           SELECT d.decided_on FROM decisions d \
           JOIN courses c ON c.clinic_id = d.clinic_id AND c.id = d.course_id \
           WHERE c.clinic_id = ?1 AND c.patient_id = ?2 \
             AND (c.start_date < ?3 OR (c.start_date = ?3 AND c.id < ?4)))",
    )
    .bind(clinic.0)
    .bind(course.patient_id.0)
    .bind(course.start_date.to_string())
    .bind(course.id.0)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
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
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    audit: AuditEvent,
) -> Result<Vec<CourseBundle>, StoreError> {
    // One transaction (holding the writer lock), so the parts are a consistent snapshot; one
    // query per table, grouped here, so the cost does not grow in queries with the clinic.
    let mut tx = begin_read(readers).await?;
    let courses = sqlx::query(concat!(
        "SELECT ",
        course_columns!(),
        " FROM courses WHERE clinic_id = ? ORDER BY patient_id, start_date DESC, id DESC"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?
    .iter()
    .map(course)
    .collect::<Result<Vec<_>, _>>()?;
    let mut sessions = clinic_sessions(&mut tx, clinic).await?;
    let assessments = clinic_assessments(&mut tx, clinic).await?;
    let mut decisions: HashMap<CourseId, Vec<DecisionRecord>> = HashMap::new();
    for row in sqlx::query(concat!(
        "SELECT ",
        decision_columns!(),
        " FROM decisions WHERE clinic_id = ? ORDER BY id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?
    .iter()
    {
        let found = decision(row)?;
        decisions.entry(found.course_id).or_default().push(found);
    }
    let mut findings: HashMap<PatientId, Vec<Finding>> = HashMap::new();
    for row in sqlx::query(concat!(
        finding_select!(),
        "WHERE f.clinic_id = ? ORDER BY f.found_at, f.id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?
    .iter()
    {
        let found = finding(row)?;
        findings.entry(found.patient_id).or_default().push(found);
    }
    let mut rems: HashMap<PatientId, RemsEnrolment> = HashMap::new();
    for row in sqlx::query(concat!(
        "SELECT patient_id, rems_patient_id, enrolled_on, recorded_by, recorded_at ",
        "FROM rems_enrolments WHERE clinic_id = ?"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?
    .iter()
    {
        let patient = PatientId(get(row, "patient_id")?);
        rems.insert(
            patient,
            RemsEnrolment {
                patient_id: patient,
                rems_patient_id: get(row, "rems_patient_id")?,
                enrolled_on: date(row, "enrolled_on")?,
                recorded_by: UserId(get(row, "recorded_by")?),
                recorded_at: ts(row, "recorded_at")?,
            },
        );
    }
    audit_read(tx, pool, audit).await?;
    let mut bundles: Vec<CourseBundle> = courses
        .into_iter()
        .map(|course| CourseBundle {
            findings: findings
                .get(&course.patient_id)
                .cloned()
                .unwrap_or_default(),
            rems: rems.get(&course.patient_id).cloned(),
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
    pool: &SqlitePool,
    new: NewDecision,
    releases: Vec<FindingId>,
    audit: AuditEvent,
) -> Result<DecisionRecord, StoreError> {
    let mut tx = begin(pool).await?;
    let patient = course_patient(&mut tx, new.clinic_id, new.course_id).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO decisions (clinic_id, course_id, decision, suggestion_shown, note, ",
        "decided_by, decided_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ",
        decision_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(new.course_id.0)
    .bind(new.decision.as_str())
    .bind(new.suggestion_shown.as_deref())
    .bind(new.note.as_deref())
    .bind(new.decided_by.0)
    .bind(new.decided_on.to_string())
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let stored = decision(&row)?;
    for finding in releases {
        let release = NewRelease {
            note: stored.note.clone().unwrap_or_default(),
            decision_id: Some(stored.id),
            released_by: stored.decided_by,
            released_at: stored.created_at,
        };
        release_of_patient(&mut tx, new.clinic_id, patient, finding, &release).await?;
    }
    append(&mut tx, created(audit, stored.id, Some(patient))).await?;
    commit(tx).await?;
    Ok(stored)
}
