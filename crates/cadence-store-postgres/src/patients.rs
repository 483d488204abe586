//! Patients, screenings and assessments: every query is scoped by clinic, so another clinic's
//! record is [`StoreError::NotFound`].

use crate::audit;
use crate::clinics::require;
use crate::convert::{date, date_text, get, json, parsed, timestamp, to_json};
use crate::error;
use crate::safety::{Origin, insert_findings};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::{AssessmentId, ClinicId, CourseId, PatientId, ScreeningId, UserId};
use cadence_store::records::{
    Assessment, FindingSource, NewAssessment, NewFinding, NewScreening, Patient, PatientDetails,
    Screening,
};
use jiff::Timestamp;
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use std::collections::HashMap;

/// The patients columns in record order.
macro_rules! patient_columns {
    () => {
        "id, clinic_id, mrn, given_name, family_name, birth_date, sex, weight_kg, created_at, \
         updated_at"
    };
}

/// The screenings columns in record order.
macro_rules! screening_columns {
    () => {
        "id, clinic_id, patient_id, route, input, result, decision, created_by, created_at"
    };
}

/// The assessments columns in record order.
macro_rules! assessment_columns {
    () => {
        "id, clinic_id, patient_id, course_id, instrument, answers, total, score, source, \
         taken_on, created_by, created_at"
    };
}

/// The event about a patient: the caller's patient if it named one, else this one.
pub(crate) fn about(event: AuditEvent, patient: PatientId) -> AuditEvent {
    match event.patient_id {
        Some(_) => event,
        None => event.with_patient(patient),
    }
}

pub(crate) async fn create_patient(
    pool: &PgPool,
    clinic: ClinicId,
    details: PatientDetails,
    at: Timestamp,
    event: AuditEvent,
) -> Result<Patient, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    require(&mut tx, "SELECT 1 FROM clinics WHERE id = $1", clinic.0).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO patients (clinic_id, mrn, given_name, family_name, birth_date, sex, \
         weight_kg, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         RETURNING ",
        patient_columns!()
    ))
    .bind(clinic.0)
    .bind(&details.mrn)
    .bind(&details.given_name)
    .bind(&details.family_name)
    .bind(date_text(details.birth_date))
    .bind(details.sex.as_str())
    .bind(details.weight_kg)
    .bind(at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let patient = patient(&row)?;
    audit::append(&mut tx, about(event.with_object_id(patient.id), patient.id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(patient)
}

pub(crate) async fn get_patient(
    pool: &PgPool,
    clinic: ClinicId,
    id: PatientId,
    event: AuditEvent,
) -> Result<Patient, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let patient = fetch_patient(&mut tx, clinic, id).await?;
    audit::append(&mut tx, about(event, id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(patient)
}

/// A patient of this clinic, read inside a transaction.
pub(crate) async fn fetch_patient(
    conn: &mut PgConnection,
    clinic: ClinicId,
    id: PatientId,
) -> Result<Patient, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE id = $1 AND clinic_id = $2"
    ))
    .bind(id.0)
    .bind(clinic.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    patient(&row)
}

pub(crate) async fn list_patients(
    pool: &PgPool,
    clinic: ClinicId,
    search: Option<&str>,
    limit: u32,
    event: AuditEvent,
) -> Result<Vec<Patient>, StoreError> {
    // strpos rather than LIKE, so `%` and `_` in a search are plain characters.
    // COLLATE "C": byte order, as SQLite's default BINARY collation sorts.
    let mut tx = pool.begin().await.map_err(error::map)?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE clinic_id = $1 AND ($2::TEXT IS NULL \
         OR strpos(lower(given_name), lower($2)) > 0 \
         OR strpos(lower(family_name), lower($2)) > 0 \
         OR strpos(lower(mrn), lower($2)) > 0) \
         ORDER BY family_name COLLATE \"C\", given_name COLLATE \"C\", id LIMIT $3"
    ))
    .bind(clinic.0)
    .bind(search)
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?;
    let patients = rows.iter().map(patient).collect::<Result<Vec<_>, _>>()?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(patients)
}

pub(crate) async fn update_patient(
    pool: &PgPool,
    clinic: ClinicId,
    id: PatientId,
    details: PatientDetails,
    at: Timestamp,
    event: AuditEvent,
) -> Result<Patient, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let row = sqlx::query(concat!(
        "UPDATE patients SET mrn = $3, given_name = $4, family_name = $5, birth_date = $6, \
         sex = $7, weight_kg = $8, updated_at = $9 WHERE id = $1 AND clinic_id = $2 RETURNING ",
        patient_columns!()
    ))
    .bind(id.0)
    .bind(clinic.0)
    .bind(&details.mrn)
    .bind(&details.given_name)
    .bind(&details.family_name)
    .bind(date_text(details.birth_date))
    .bind(details.sex.as_str())
    .bind(details.weight_kg)
    .bind(at.as_millisecond())
    .fetch_optional(&mut *tx)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    let patient = patient(&row)?;
    audit::append(&mut tx, about(event, id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(patient)
}

pub(crate) async fn create_screening(
    pool: &PgPool,
    new: NewScreening,
    findings: Vec<NewFinding>,
    event: AuditEvent,
) -> Result<Screening, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    fetch_patient(&mut tx, new.clinic_id, new.patient_id).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO screenings (clinic_id, patient_id, route, input, result, decision, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
        screening_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(new.patient_id.0)
    .bind(new.route.as_str())
    .bind(to_json(&new.input)?)
    .bind(to_json(&new.result)?)
    .bind(new.decision.as_str())
    .bind(new.created_by.0)
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let screening = screening(&row)?;
    let origin = Origin {
        clinic: screening.clinic_id,
        patient: screening.patient_id,
        session: None,
        source: FindingSource::Screening,
        source_id: Some(screening.id.0),
        at: screening.created_at,
        by: Some(screening.created_by),
    };
    insert_findings(&mut tx, origin, &findings).await?;
    let event = about(event.with_object_id(screening.id), new.patient_id);
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(screening)
}

pub(crate) async fn get_screening(
    pool: &PgPool,
    clinic: ClinicId,
    id: ScreeningId,
    event: AuditEvent,
) -> Result<Screening, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let row = sqlx::query(concat!(
        "SELECT ",
        screening_columns!(),
        " FROM screenings WHERE id = $1 AND clinic_id = $2"
    ))
    .bind(id.0)
    .bind(clinic.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    let screening = screening(&row)?;
    audit::append(&mut tx, about(event, screening.patient_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(screening)
}

pub(crate) async fn list_screenings(
    pool: &PgPool,
    clinic: ClinicId,
    patient: PatientId,
    event: AuditEvent,
) -> Result<Vec<Screening>, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    fetch_patient(&mut tx, clinic, patient).await?;
    let found = sqlx::query(concat!(
        "SELECT ",
        screening_columns!(),
        " FROM screenings WHERE clinic_id = $1 AND patient_id = $2 \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(error::map)?
    .iter()
    .map(screening)
    .collect::<Result<Vec<_>, _>>()?;
    audit::append(&mut tx, about(event, patient)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(found)
}

pub(crate) async fn create_assessment(
    pool: &PgPool,
    new: NewAssessment,
    findings: Vec<NewFinding>,
    event: AuditEvent,
) -> Result<Assessment, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    fetch_patient(&mut tx, new.clinic_id, new.patient_id).await?;
    if let Some(course) = new.course_id {
        // The course must be this patient's, in this clinic.
        sqlx::query("SELECT 1 FROM courses WHERE id = $1 AND clinic_id = $2 AND patient_id = $3")
            .bind(course.0)
            .bind(new.clinic_id.0)
            .bind(new.patient_id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(error::map)?
            .ok_or(StoreError::NotFound)?;
    }
    let row = sqlx::query(concat!(
        "INSERT INTO assessments (clinic_id, patient_id, course_id, instrument, answers, total, \
         score, source, taken_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ",
        assessment_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(new.patient_id.0)
    .bind(new.course_id.map(|c| c.0))
    .bind(new.instrument.as_str())
    .bind(to_json(&new.answers)?)
    .bind(new.total)
    .bind(to_json(&new.score)?)
    .bind(new.source.as_str())
    .bind(date_text(new.taken_on))
    .bind(new.created_by.map(|u| u.0))
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(error::map)?;
    let assessment = assessment(&row)?;
    let origin = Origin {
        clinic: assessment.clinic_id,
        patient: assessment.patient_id,
        session: None,
        source: FindingSource::Assessment,
        source_id: Some(assessment.id.0),
        at: assessment.created_at,
        by: assessment.created_by,
    };
    insert_findings(&mut tx, origin, &findings).await?;
    let event = about(event.with_object_id(assessment.id), new.patient_id);
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(assessment)
}

pub(crate) async fn list_assessments(
    pool: &PgPool,
    clinic: ClinicId,
    patient: PatientId,
    event: AuditEvent,
) -> Result<Vec<Assessment>, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    fetch_patient(&mut tx, clinic, patient).await?;
    let assessments = fetch_assessments(&mut tx, clinic, patient).await?;
    audit::append(&mut tx, about(event, patient)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(assessments)
}

/// A patient's assessments by date taken, then id.
pub(crate) async fn fetch_assessments(
    conn: &mut PgConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<Vec<Assessment>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        assessment_columns!(),
        " FROM assessments WHERE clinic_id = $1 AND patient_id = $2 ORDER BY taken_on, id"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    rows.iter().map(assessment).collect()
}

/// Every assessment of the clinic, grouped by patient, each patient's by date taken then id
/// (inside a transaction).
pub(crate) async fn clinic_assessments(
    conn: &mut PgConnection,
    clinic: ClinicId,
) -> Result<HashMap<PatientId, Vec<Assessment>>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        assessment_columns!(),
        " FROM assessments WHERE clinic_id = $1 ORDER BY patient_id, taken_on, id"
    ))
    .bind(clinic.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    let mut by_patient: HashMap<PatientId, Vec<Assessment>> = HashMap::new();
    for row in &rows {
        let found = assessment(row)?;
        by_patient.entry(found.patient_id).or_default().push(found);
    }
    Ok(by_patient)
}

fn patient(row: &PgRow) -> Result<Patient, StoreError> {
    Ok(Patient {
        id: PatientId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        details: PatientDetails {
            mrn: get(row, "mrn")?,
            given_name: get(row, "given_name")?,
            family_name: get(row, "family_name")?,
            birth_date: date(row, "birth_date")?,
            sex: parsed(row, "sex")?,
            weight_kg: get(row, "weight_kg")?,
        },
        created_at: timestamp(row, "created_at")?,
        updated_at: timestamp(row, "updated_at")?,
    })
}

fn screening(row: &PgRow) -> Result<Screening, StoreError> {
    Ok(Screening {
        id: ScreeningId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        route: parsed(row, "route")?,
        input: json(row, "input")?,
        result: json(row, "result")?,
        decision: parsed(row, "decision")?,
        created_by: UserId(get(row, "created_by")?),
        created_at: timestamp(row, "created_at")?,
    })
}

/// An assessments row as a record.
pub(crate) fn assessment(row: &PgRow) -> Result<Assessment, StoreError> {
    Ok(Assessment {
        id: AssessmentId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        course_id: get::<Option<i64>>(row, "course_id")?.map(CourseId),
        instrument: parsed(row, "instrument")?,
        answers: json(row, "answers")?,
        total: get(row, "total")?,
        score: json(row, "score")?,
        source: parsed(row, "source")?,
        taken_on: date(row, "taken_on")?,
        created_by: get::<Option<i64>>(row, "created_by")?.map(UserId),
        created_at: timestamp(row, "created_at")?,
    })
}

/// The clinic's patients with these ids, by id.
pub(crate) async fn patients_by_ids(
    conn: &mut PgConnection,
    clinic: ClinicId,
    ids: &[PatientId],
) -> Result<Vec<Patient>, StoreError> {
    let ids: Vec<i64> = ids.iter().map(|p| p.0).collect();
    sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE clinic_id = $1 AND id = ANY($2) ORDER BY id"
    ))
    .bind(clinic.0)
    .bind(&ids)
    .fetch_all(conn)
    .await
    .map_err(error::map)?
    .iter()
    .map(patient)
    .collect()
}

/// A page of the clinic's patients matching `search` (as [`list_patients`]), in list order,
/// and how many match in all.
pub(crate) async fn patients_page(
    conn: &mut PgConnection,
    clinic: ClinicId,
    search: Option<&str>,
    offset: u32,
    limit: u32,
) -> Result<(Vec<Patient>, u64), StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE clinic_id = $1 AND ($2::TEXT IS NULL \
         OR strpos(lower(given_name), lower($2)) > 0 \
         OR strpos(lower(family_name), lower($2)) > 0 \
         OR strpos(lower(mrn), lower($2)) > 0) \
         ORDER BY family_name COLLATE \"C\", given_name COLLATE \"C\", id LIMIT $3 OFFSET $4"
    ))
    .bind(clinic.0)
    .bind(search)
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    let found = rows.iter().map(patient).collect::<Result<Vec<_>, _>>()?;
    let matches: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM patients WHERE clinic_id = $1 AND ($2::TEXT IS NULL \
         OR strpos(lower(given_name), lower($2)) > 0 \
         OR strpos(lower(family_name), lower($2)) > 0 \
         OR strpos(lower(mrn), lower($2)) > 0)",
    )
    .bind(clinic.0)
    .bind(search)
    .fetch_one(&mut *conn)
    .await
    .map_err(error::map)?;
    Ok((found, u64::try_from(matches).unwrap_or(0)))
}
