//! The course read model and the clinic-wide page reads (issue 18): `/today` and the patient
//! list read only what they show, in one deferred read transaction each (no writer lock),
//! audited by one row.
//!
//! As every PostgreSQL read, each runs in one transaction whose audit append comes last: the
//! audit head's row lock (the only lock writers queue on) is held from the append to the
//! commit, never during the read. The summaries are marked stale by the triggers of `0006_read_model.sql` in every write's own
//! transaction; the service stores recomputed ones through [`put_course_summaries`], guarded by
//! the version it read.

use crate::audit;
use crate::convert::{date, date_text, get};
use crate::courses::bundle_in;
use crate::error;
use crate::patients::{patients_by_ids, patients_page};
use crate::safety::open_findings_in;
use crate::sessions::{sessions_between, sessions_on};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::*;
use cadence_store::records::*;
use jiff::civil::Date;
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use std::collections::BTreeSet;

macro_rules! summary_columns {
    () => {
        "course_id, patient_id, version, phase, next_due, attention_on, computed_on, to_move"
    };
}

fn summary(row: &PgRow) -> Result<CourseSummaryRecord, StoreError> {
    let phase: Option<String> = get(row, "phase")?;
    let optional_date = |column: &'static str| -> Result<Option<Date>, StoreError> {
        get::<Option<String>>(row, column)?
            .map(|d| {
                d.parse().map_err(|_| {
                    StoreError::Other(format!("column {column} holds an invalid date"))
                })
            })
            .transpose()
    };
    Ok(CourseSummaryRecord {
        course_id: CourseId(get(row, "course_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        version: get(row, "version")?,
        phase: phase
            .map(|p| {
                p.parse()
                    .map_err(|_| StoreError::other("column phase holds an unknown value"))
            })
            .transpose()?,
        next_due: optional_date("next_due")?,
        attention_on: date(row, "attention_on")?,
        computed_on: optional_date("computed_on")?,
        to_move: u32::try_from(get::<i64>(row, "to_move")?)
            .map_err(|_| StoreError::other("column to_move holds a negative count"))?,
    })
}

async fn summary_of(
    conn: &mut PgConnection,
    clinic: ClinicId,
    course: CourseId,
) -> Result<CourseSummaryRecord, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        summary_columns!(),
        " FROM course_summaries WHERE clinic_id = $1 AND course_id = $2"
    ))
    .bind(clinic.0)
    .bind(course.0)
    .fetch_optional(conn)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    summary(&row)
}

/// The patient's newest course (the order of `list_courses`), if any.
async fn latest_course(
    conn: &mut PgConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<Option<CourseId>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM courses WHERE clinic_id = $1 AND patient_id = $2 \
         ORDER BY start_date DESC, id DESC LIMIT 1",
    )
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_optional(conn)
    .await
    .map_err(error::map)?
    .map(CourseId))
}

/// The courses in `course_ids` and every course whose summary is due for a look by `by`
/// (`attention_on` on or before it) or counts bookings to move, by course id, each with its
/// summary and whether it is its patient's newest.
async fn looked_courses(
    conn: &mut PgConnection,
    clinic: ClinicId,
    by: Date,
    mut course_ids: BTreeSet<i64>,
) -> Result<Vec<SummarisedBundle>, StoreError> {
    // Two index ranges (attention, to-move), not one scan of the clinic's summaries.
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT course_id FROM course_summaries WHERE clinic_id = $1 AND attention_on <= $2 \
         UNION SELECT course_id FROM course_summaries WHERE clinic_id = $1 AND to_move > 0",
    )
    .bind(clinic.0)
    .bind(date_text(by))
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    course_ids.extend(due);
    summarised(conn, clinic, course_ids).await
}

/// The courses `ids` (in that order), each with its summary and whether it is its patient's
/// newest.
async fn summarised(
    conn: &mut PgConnection,
    clinic: ClinicId,
    ids: impl IntoIterator<Item = i64>,
) -> Result<Vec<SummarisedBundle>, StoreError> {
    let mut courses = Vec::new();
    for id in ids {
        let bundle = bundle_in(&mut *conn, clinic, CourseId(id)).await?;
        let summary = summary_of(&mut *conn, clinic, CourseId(id)).await?;
        let latest = latest_course(&mut *conn, clinic, bundle.course.patient_id).await?
            == Some(CourseId(id));
        courses.push(SummarisedBundle {
            bundle,
            summary,
            latest,
        });
    }
    Ok(courses)
}

pub(crate) async fn today_records(
    pool: &PgPool,
    clinic: ClinicId,
    today: Date,
    audit: AuditEvent,
) -> Result<TodayRecords, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let sessions = sessions_on(&mut tx, clinic, today).await?;
    let open_findings = open_findings_in(&mut tx, clinic).await?;
    let course_ids: BTreeSet<i64> = sessions.iter().map(|s| s.course_id.0).collect();
    let courses = looked_courses(&mut tx, clinic, today, course_ids).await?;
    let mut patient_ids: BTreeSet<PatientId> = sessions.iter().map(|s| s.patient_id).collect();
    patient_ids.extend(open_findings.iter().map(|f| f.patient_id));
    patient_ids.extend(courses.iter().map(|c| c.bundle.course.patient_id));
    let ids: Vec<PatientId> = patient_ids.into_iter().collect();
    let patients = patients_by_ids(&mut tx, clinic, &ids).await?;
    audit::append(&mut tx, audit).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(TodayRecords {
        sessions,
        open_findings,
        courses,
        patients,
    })
}

pub(crate) async fn schedule_records(
    pool: &PgPool,
    clinic: ClinicId,
    from: Date,
    until: Date,
    audit: AuditEvent,
) -> Result<ScheduleRecords, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let sessions = sessions_between(&mut tx, clinic, from, until).await?;
    let courses = looked_courses(&mut tx, clinic, STALE, BTreeSet::new()).await?;
    let mut patient_ids: BTreeSet<PatientId> = sessions.iter().map(|s| s.patient_id).collect();
    patient_ids.extend(courses.iter().map(|c| c.bundle.course.patient_id));
    let ids: Vec<PatientId> = patient_ids.into_iter().collect();
    let patients = patients_by_ids(&mut tx, clinic, &ids).await?;
    audit::append(&mut tx, audit).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(ScheduleRecords {
        sessions,
        courses,
        patients,
    })
}

pub(crate) async fn patient_page(
    pool: &PgPool,
    clinic: ClinicId,
    search: Option<&str>,
    offset: u32,
    limit: u32,
    today: Date,
    audit: AuditEvent,
) -> Result<PatientPage, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let (patients, matches) = patients_page(&mut tx, clinic, search, offset, limit).await?;
    let mut rows = Vec::with_capacity(patients.len());
    for patient in patients {
        let (latest, bundle) = match latest_course(&mut tx, clinic, patient.id).await? {
            None => (None, None),
            Some(course) => {
                let summary = summary_of(&mut tx, clinic, course).await?;
                let bundle = if summary.holds_on(today) {
                    None
                } else {
                    Some(bundle_in(&mut tx, clinic, course).await?)
                };
                (Some(summary), bundle)
            }
        };
        rows.push(PatientRow {
            patient,
            latest,
            bundle,
        });
    }
    audit::append(&mut tx, audit).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(PatientPage { rows, matches })
}

pub(crate) async fn put_course_summaries(
    pool: &PgPool,
    clinic: ClinicId,
    updates: Vec<SummaryUpdate>,
) -> Result<u64, StoreError> {
    if updates.is_empty() {
        return Ok(0);
    }
    let mut tx = pool.begin().await.map_err(error::map)?;
    let mut stored = 0;
    for u in updates {
        stored += sqlx::query(
            "UPDATE course_summaries SET phase = $1, next_due = $2, attention_on = $3, \
             computed_on = $4, to_move = $5 WHERE clinic_id = $6 AND course_id = $7 \
             AND version = $8",
        )
        .bind(u.phase.as_str())
        .bind(u.next_due.map(date_text))
        .bind(date_text(u.attention_on))
        .bind(date_text(u.computed_on))
        .bind(i64::from(u.to_move))
        .bind(clinic.0)
        .bind(u.course_id.0)
        .bind(u.version)
        .execute(&mut *tx)
        .await
        .map_err(error::map)?
        .rows_affected();
    }
    tx.commit().await.map_err(error::map)?;
    Ok(stored)
}

pub(crate) async fn clinics_with_stale_summaries(
    pool: &PgPool,
) -> Result<Vec<ClinicId>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT c.id FROM clinics c WHERE EXISTS (SELECT 1 FROM course_summaries s \
         WHERE s.clinic_id = c.id AND s.attention_on <= $1) ORDER BY c.id",
    )
    .bind(date_text(STALE))
    .fetch_all(pool)
    .await
    .map_err(error::map)?;
    Ok(ids.into_iter().map(ClinicId).collect())
}

pub(crate) async fn stale_courses(
    pool: &PgPool,
    clinic: ClinicId,
    limit: u32,
    audit: AuditEvent,
) -> Result<Vec<SummarisedBundle>, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT course_id FROM course_summaries WHERE clinic_id = $1 AND attention_on <= $2 \
         ORDER BY course_id LIMIT $3",
    )
    .bind(clinic.0)
    .bind(date_text(STALE))
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?;
    let courses = summarised(&mut tx, clinic, ids).await?;
    audit::append(&mut tx, audit).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(courses)
}
