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
use cadence_store::records::search_words;
use cadence_store::records::{
    Assessment, ConsentRecord, FindingSource, NewAssessment, NewFinding, NewScreening, Patient,
    PatientContact, PatientDetails, Screening,
};
use jiff::Timestamp;
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use std::collections::HashMap;

/// The patients columns in record order.
macro_rules! patient_columns {
    () => {
        "id, clinic_id, mrn, given_name, family_name, birth_date, sex, weight_kg, created_at, \
         updated_at, weight_measured_on, email, phone, address, emergency_contact_name, \
         emergency_contact_phone, referrer, contact_consent, contact_consent_by, \
         contact_consent_at"
    };
}

/// The search condition: `$1` the clinic, `$2`..`$5` the search's words (unused ones NULL).
/// Each word matches part of the given name, the family name or the MRN, or is the birth date;
/// every word must match. strpos rather than LIKE, so `%` and `_` are plain characters.
macro_rules! search_matches {
    () => {
        " AND ($2::TEXT IS NULL OR strpos(lower(given_name), lower($2)) > 0 \
         OR strpos(lower(family_name), lower($2)) > 0 OR strpos(lower(mrn), lower($2)) > 0 \
         OR birth_date = $2) \
         AND ($3::TEXT IS NULL OR strpos(lower(given_name), lower($3)) > 0 \
         OR strpos(lower(family_name), lower($3)) > 0 OR strpos(lower(mrn), lower($3)) > 0 \
         OR birth_date = $3) \
         AND ($4::TEXT IS NULL OR strpos(lower(given_name), lower($4)) > 0 \
         OR strpos(lower(family_name), lower($4)) > 0 OR strpos(lower(mrn), lower($4)) > 0 \
         OR birth_date = $4) \
         AND ($5::TEXT IS NULL OR strpos(lower(given_name), lower($5)) > 0 \
         OR strpos(lower(family_name), lower($5)) > 0 OR strpos(lower(mrn), lower($5)) > 0 \
         OR birth_date = $5)"
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
    let c = &details.contact;
    let consent_by = c.contact_consent.and(event.actor_id.map(|u| u.0));
    let consent_at = c.contact_consent.map(|_| at.as_millisecond());
    let row = sqlx::query(concat!(
        "INSERT INTO patients (clinic_id, mrn, given_name, family_name, birth_date, sex, \
         weight_kg, created_at, updated_at, weight_measured_on, email, phone, address, \
         emergency_contact_name, emergency_contact_phone, referrer, contact_consent, \
         contact_consent_by, contact_consent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, \
         $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING ",
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
    .bind(details.weight_measured_on.map(date_text))
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.address)
    .bind(&c.emergency_contact_name)
    .bind(&c.emergency_contact_phone)
    .bind(&c.referrer)
    .bind(c.contact_consent)
    .bind(consent_by)
    .bind(consent_at)
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
    // Each word matches part of the given name, the family name or the MRN, or is the birth
    // date; every word must match. strpos rather than LIKE, so `%` and `_` are plain
    // characters. COLLATE "C": byte order, as SQLite's default BINARY collation sorts.
    let words = search_words(search)?;
    let mut tx = pool.begin().await.map_err(error::map)?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE clinic_id = $1",
        search_matches!(),
        " ORDER BY family_name COLLATE \"C\", given_name COLLATE \"C\", id LIMIT $6"
    ))
    .bind(clinic.0)
    .bind(words[0])
    .bind(words[1])
    .bind(words[2])
    .bind(words[3])
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
    let c = &details.contact;
    // The consent's recorder and time change only when the answer does.
    let row = sqlx::query(concat!(
        "UPDATE patients SET mrn = $3, given_name = $4, family_name = $5, birth_date = $6, \
         sex = $7, weight_kg = $8, updated_at = $9, weight_measured_on = $10, email = $11, \
         phone = $12, address = $13, emergency_contact_name = $14, \
         emergency_contact_phone = $15, referrer = $16, \
         contact_consent_by = CASE WHEN contact_consent IS NOT DISTINCT FROM $17::BOOLEAN \
         THEN contact_consent_by WHEN $17::BOOLEAN IS NULL THEN NULL ELSE $18 END, \
         contact_consent_at = CASE WHEN contact_consent IS NOT DISTINCT FROM $17::BOOLEAN \
         THEN contact_consent_at WHEN $17::BOOLEAN IS NULL THEN NULL ELSE $9 END, \
         contact_consent = $17::BOOLEAN WHERE id = $1 AND clinic_id = $2 RETURNING ",
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
    .bind(details.weight_measured_on.map(date_text))
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.address)
    .bind(&c.emergency_contact_name)
    .bind(&c.emergency_contact_phone)
    .bind(&c.referrer)
    .bind(c.contact_consent)
    .bind(event.actor_id.map(|u| u.0))
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
            weight_measured_on: get::<Option<String>>(row, "weight_measured_on")?
                .map(|text| {
                    text.parse().map_err(|_| {
                        StoreError::Other("column weight_measured_on holds an invalid date".into())
                    })
                })
                .transpose()?,
            contact: PatientContact {
                email: get(row, "email")?,
                phone: get(row, "phone")?,
                address: get(row, "address")?,
                emergency_contact_name: get(row, "emergency_contact_name")?,
                emergency_contact_phone: get(row, "emergency_contact_phone")?,
                referrer: get(row, "referrer")?,
                contact_consent: get(row, "contact_consent")?,
            },
        },
        contact_consent_recorded: match get::<Option<i64>>(row, "contact_consent_at")? {
            Some(ms) => Some(ConsentRecord {
                recorded_by: get::<Option<i64>>(row, "contact_consent_by")?.map(UserId),
                recorded_at: Timestamp::from_millisecond(ms).map_err(|_| {
                    StoreError::Other("column contact_consent_at holds an invalid time".into())
                })?,
            }),
            None => None,
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

/// The clinic's MRN pattern, if an admin set one (clinic settings, not health data).
pub(crate) async fn mrn_pattern(
    pool: &PgPool,
    clinic: ClinicId,
) -> Result<Option<String>, StoreError> {
    sqlx::query_scalar("SELECT mrn_pattern FROM registration_settings WHERE clinic_id = $1")
        .bind(clinic.0)
        .fetch_optional(pool)
        .await
        .map_err(error::map)
}

pub(crate) async fn set_mrn_pattern(
    pool: &PgPool,
    clinic: ClinicId,
    pattern: &str,
    event: AuditEvent,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    require(&mut tx, "SELECT 1 FROM clinics WHERE id = $1", clinic.0).await?;
    sqlx::query(
        "INSERT INTO registration_settings (clinic_id, mrn_pattern) VALUES ($1, $2) \
         ON CONFLICT (clinic_id) DO UPDATE SET mrn_pattern = EXCLUDED.mrn_pattern",
    )
    .bind(clinic.0)
    .bind(pattern)
    .execute(&mut *tx)
    .await
    .map_err(error::map)?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)
}

/// How many patients the clinic has registered (never decreases: patients are not deleted).
pub(crate) async fn count_patients(pool: &PgPool, clinic: ClinicId) -> Result<u64, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM patients WHERE clinic_id = $1")
        .bind(clinic.0)
        .fetch_one(pool)
        .await
        .map_err(error::map)?;
    Ok(u64::try_from(n).unwrap_or(0))
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
    let words = search_words(search)?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE clinic_id = $1",
        search_matches!(),
        " ORDER BY family_name COLLATE \"C\", given_name COLLATE \"C\", id LIMIT $6 OFFSET $7"
    ))
    .bind(clinic.0)
    .bind(words[0])
    .bind(words[1])
    .bind(words[2])
    .bind(words[3])
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(&mut *conn)
    .await
    .map_err(error::map)?;
    let found = rows.iter().map(patient).collect::<Result<Vec<_>, _>>()?;
    let matches: i64 = sqlx::query_scalar(concat!(
        "SELECT count(*) FROM patients WHERE clinic_id = $1",
        search_matches!()
    ))
    .bind(clinic.0)
    .bind(words[0])
    .bind(words[1])
    .bind(words[2])
    .bind(words[3])
    .fetch_one(&mut *conn)
    .await
    .map_err(error::map)?;
    Ok((found, u64::try_from(matches).unwrap_or(0)))
}
