//! Patients, safety screenings and assessments.

use super::people::require_clinic;
use super::safety::{Origin, insert_findings};
use crate::audit::{about_patient, append, audit_read, begin, begin_read, commit, created};
use crate::codec::{date, date_opt, db, get, json, millis, parsed, to_json, ts};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::*;
use cadence_store::records::search_words;
use cadence_store::records::*;
use jiff::Timestamp;
use sqlx::SqliteConnection;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use std::collections::HashMap;

macro_rules! patient_columns {
    () => {
        "id, clinic_id, mrn, given_name, family_name, birth_date, sex, weight_kg, created_at, \
         updated_at, weight_measured_on, email, phone, address, emergency_contact_name, \
         emergency_contact_phone, referrer, contact_consent, contact_consent_by, \
         contact_consent_at"
    };
}

macro_rules! screening_columns {
    () => {
        "id, clinic_id, patient_id, route, input, result, decision, created_by, created_at"
    };
}

macro_rules! assessment_columns {
    () => {
        "id, clinic_id, patient_id, course_id, instrument, answers, total, score, source, \
         taken_on, created_by, created_at"
    };
}

/// The search condition: `?1` the clinic, `?2`..`?5` the search's words (unused ones NULL).
/// Each word matches part of the given name, the family name or the MRN, or is the birth date;
/// every word must match. `instr` rather than LIKE: the text is matched literally (`%` and `_`
/// are not wildcards), case-insensitively for ASCII letters, as PostgreSQL's `strpos(lower())`.
macro_rules! search_matches {
    () => {
        concat!(
            " AND (?2 IS NULL OR instr(lower(given_name), lower(?2)) > 0",
            " OR instr(lower(family_name), lower(?2)) > 0 OR instr(lower(mrn), lower(?2)) > 0",
            " OR birth_date = ?2)",
            " AND (?3 IS NULL OR instr(lower(given_name), lower(?3)) > 0",
            " OR instr(lower(family_name), lower(?3)) > 0 OR instr(lower(mrn), lower(?3)) > 0",
            " OR birth_date = ?3)",
            " AND (?4 IS NULL OR instr(lower(given_name), lower(?4)) > 0",
            " OR instr(lower(family_name), lower(?4)) > 0 OR instr(lower(mrn), lower(?4)) > 0",
            " OR birth_date = ?4)",
            " AND (?5 IS NULL OR instr(lower(given_name), lower(?5)) > 0",
            " OR instr(lower(family_name), lower(?5)) > 0 OR instr(lower(mrn), lower(?5)) > 0",
            " OR birth_date = ?5)"
        )
    };
}

fn patient(row: &SqliteRow) -> Result<Patient, StoreError> {
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
            weight_measured_on: date_opt(row, "weight_measured_on")?,
            contact: PatientContact {
                email: get(row, "email")?,
                phone: get(row, "phone")?,
                address: get(row, "address")?,
                emergency_contact_name: get(row, "emergency_contact_name")?,
                emergency_contact_phone: get(row, "emergency_contact_phone")?,
                referrer: get(row, "referrer")?,
                contact_consent: get::<Option<i64>>(row, "contact_consent")?.map(|c| c != 0),
            },
        },
        contact_consent_recorded: match get::<Option<i64>>(row, "contact_consent_at")? {
            Some(ms) => Some(ConsentRecord {
                recorded_by: get::<Option<i64>>(row, "contact_consent_by")?.map(UserId),
                recorded_at: millis(ms, "contact_consent_at")?,
            }),
            None => None,
        },
        created_at: ts(row, "created_at")?,
        updated_at: ts(row, "updated_at")?,
    })
}

fn screening(row: &SqliteRow) -> Result<Screening, StoreError> {
    Ok(Screening {
        id: ScreeningId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        route: parsed(row, "route")?,
        input: json(row, "input")?,
        result: json(row, "result")?,
        decision: parsed(row, "decision")?,
        created_by: UserId(get(row, "created_by")?),
        created_at: ts(row, "created_at")?,
    })
}

pub(crate) fn assessment(row: &SqliteRow) -> Result<Assessment, StoreError> {
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
        created_at: ts(row, "created_at")?,
    })
}

/// `NotFound` unless the patient belongs to the clinic.
pub(crate) async fn require_patient(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    id: PatientId,
) -> Result<(), StoreError> {
    sqlx::query("SELECT 1 FROM patients WHERE clinic_id = ? AND id = ?")
        .bind(clinic.0)
        .bind(id.0)
        .fetch_optional(conn)
        .await
        .map_err(db)?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn create_patient(
    pool: &SqlitePool,
    clinic: ClinicId,
    details: PatientDetails,
    at: Timestamp,
    audit: AuditEvent,
) -> Result<Patient, StoreError> {
    let mut tx = begin(pool).await?;
    require_clinic(&mut tx, clinic).await?;
    let c = &details.contact;
    let consent_by = c.contact_consent.and(audit.actor_id.map(|u| u.0));
    let consent_at = c.contact_consent.map(|_| at.as_millisecond());
    let row = sqlx::query(concat!(
        "INSERT INTO patients (clinic_id, mrn, given_name, family_name, birth_date, sex, ",
        "weight_kg, created_at, updated_at, weight_measured_on, email, phone, address, ",
        "emergency_contact_name, emergency_contact_phone, referrer, contact_consent, ",
        "contact_consent_by, contact_consent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ",
        "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) RETURNING ",
        patient_columns!()
    ))
    .bind(clinic.0)
    .bind(&details.mrn)
    .bind(&details.given_name)
    .bind(&details.family_name)
    .bind(details.birth_date.to_string())
    .bind(details.sex.as_str())
    .bind(details.weight_kg)
    .bind(at.as_millisecond())
    .bind(details.weight_measured_on.map(|d| d.to_string()))
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.address)
    .bind(&c.emergency_contact_name)
    .bind(&c.emergency_contact_phone)
    .bind(&c.referrer)
    .bind(c.contact_consent.map(i64::from))
    .bind(consent_by)
    .bind(consent_at)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let new = patient(&row)?;
    append(&mut tx, created(audit, new.id, Some(new.id))).await?;
    commit(tx).await?;
    Ok(new)
}

pub(crate) async fn get_patient(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    id: PatientId,
    audit: AuditEvent,
) -> Result<Patient, StoreError> {
    let mut tx = begin_read(readers).await?;
    let row = sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE clinic_id = ? AND id = ?"
    ))
    .bind(clinic.0)
    .bind(id.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    let found = patient(&row)?;
    audit_read(tx, pool, about_patient(audit, Some(found.id))).await?;
    Ok(found)
}

pub(crate) async fn list_patients(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    search: Option<&str>,
    limit: u32,
    audit: AuditEvent,
) -> Result<Vec<Patient>, StoreError> {
    let words = search_words(search)?;
    let mut tx = begin_read(readers).await?;
    // "Rita Esk" finds Rita Eskenazi: see `search_matches!`.
    let rows = sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE clinic_id = ?1",
        search_matches!(),
        " ORDER BY family_name, given_name, id LIMIT ?6"
    ))
    .bind(clinic.0)
    .bind(words[0])
    .bind(words[1])
    .bind(words[2])
    .bind(words[3])
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let found = rows.iter().map(patient).collect::<Result<Vec<_>, _>>()?;
    audit_read(tx, pool, audit).await?;
    Ok(found)
}

pub(crate) async fn update_patient(
    pool: &SqlitePool,
    clinic: ClinicId,
    id: PatientId,
    details: PatientDetails,
    at: Timestamp,
    audit: AuditEvent,
) -> Result<Patient, StoreError> {
    let mut tx = begin(pool).await?;
    let c = &details.contact;
    // The consent's recorder and time change only when the answer does.
    let row = sqlx::query(concat!(
        "UPDATE patients SET mrn = ?1, given_name = ?2, family_name = ?3, birth_date = ?4, ",
        "sex = ?5, weight_kg = ?6, updated_at = ?7, weight_measured_on = ?10, email = ?11, ",
        "phone = ?12, address = ?13, emergency_contact_name = ?14, ",
        "emergency_contact_phone = ?15, referrer = ?16, ",
        "contact_consent_by = CASE WHEN contact_consent IS ?17 THEN contact_consent_by ",
        "WHEN ?17 IS NULL THEN NULL ELSE ?18 END, ",
        "contact_consent_at = CASE WHEN contact_consent IS ?17 THEN contact_consent_at ",
        "WHEN ?17 IS NULL THEN NULL ELSE ?7 END, ",
        "contact_consent = ?17 WHERE clinic_id = ?8 AND id = ?9 RETURNING ",
        patient_columns!()
    ))
    .bind(&details.mrn)
    .bind(&details.given_name)
    .bind(&details.family_name)
    .bind(details.birth_date.to_string())
    .bind(details.sex.as_str())
    .bind(details.weight_kg)
    .bind(at.as_millisecond())
    .bind(clinic.0)
    .bind(id.0)
    .bind(details.weight_measured_on.map(|d| d.to_string()))
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.address)
    .bind(&c.emergency_contact_name)
    .bind(&c.emergency_contact_phone)
    .bind(&c.referrer)
    .bind(c.contact_consent.map(i64::from))
    .bind(audit.actor_id.map(|u| u.0))
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    let updated = patient(&row)?;
    append(&mut tx, about_patient(audit, Some(updated.id))).await?;
    commit(tx).await?;
    Ok(updated)
}

pub(crate) async fn create_screening(
    pool: &SqlitePool,
    new: NewScreening,
    findings: Vec<NewFinding>,
    audit: AuditEvent,
) -> Result<Screening, StoreError> {
    let input = to_json(&new.input, "screening input")?;
    let result = to_json(&new.result, "screening result")?;
    let mut tx = begin(pool).await?;
    require_patient(&mut tx, new.clinic_id, new.patient_id).await?;
    let row = sqlx::query(concat!(
        "INSERT INTO screenings (clinic_id, patient_id, route, input, result, decision, ",
        "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ",
        screening_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(new.patient_id.0)
    .bind(new.route.as_str())
    .bind(input)
    .bind(result)
    .bind(new.decision.as_str())
    .bind(new.created_by.0)
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let stored = screening(&row)?;
    let origin = Origin {
        clinic: stored.clinic_id,
        patient: stored.patient_id,
        session: None,
        source: FindingSource::Screening,
        source_id: Some(stored.id.0),
        at: stored.created_at,
        by: Some(stored.created_by),
    };
    insert_findings(&mut tx, origin, &findings).await?;
    append(&mut tx, created(audit, stored.id, Some(stored.patient_id))).await?;
    commit(tx).await?;
    Ok(stored)
}

pub(crate) async fn get_screening(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    id: ScreeningId,
    audit: AuditEvent,
) -> Result<Screening, StoreError> {
    let mut tx = begin_read(readers).await?;
    let row = sqlx::query(concat!(
        "SELECT ",
        screening_columns!(),
        " FROM screenings WHERE clinic_id = ? AND id = ?"
    ))
    .bind(clinic.0)
    .bind(id.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    let found = screening(&row)?;
    audit_read(tx, pool, about_patient(audit, Some(found.patient_id))).await?;
    Ok(found)
}

pub(crate) async fn list_screenings(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    patient: PatientId,
    audit: AuditEvent,
) -> Result<Vec<Screening>, StoreError> {
    let mut tx = begin_read(readers).await?;
    require_patient(&mut tx, clinic, patient).await?;
    let found = sqlx::query(concat!(
        "SELECT ",
        screening_columns!(),
        " FROM screenings WHERE clinic_id = ? AND patient_id = ? ORDER BY created_at DESC, id DESC"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?
    .iter()
    .map(screening)
    .collect::<Result<Vec<_>, _>>()?;
    audit_read(tx, pool, about_patient(audit, Some(patient))).await?;
    Ok(found)
}

pub(crate) async fn create_assessment(
    pool: &SqlitePool,
    new: NewAssessment,
    findings: Vec<NewFinding>,
    audit: AuditEvent,
) -> Result<Assessment, StoreError> {
    let answers = to_json(&new.answers, "assessment answers")?;
    let score = to_json(&new.score, "assessment score")?;
    let mut tx = begin(pool).await?;
    require_patient(&mut tx, new.clinic_id, new.patient_id).await?;
    if let Some(course) = new.course_id {
        // The course must be this patient's, in this clinic.
        sqlx::query("SELECT 1 FROM courses WHERE clinic_id = ? AND id = ? AND patient_id = ?")
            .bind(new.clinic_id.0)
            .bind(course.0)
            .bind(new.patient_id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound)?;
    }
    let row = sqlx::query(concat!(
        "INSERT INTO assessments (clinic_id, patient_id, course_id, instrument, answers, total, ",
        "score, source, taken_on, created_by, created_at) ",
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ",
        assessment_columns!()
    ))
    .bind(new.clinic_id.0)
    .bind(new.patient_id.0)
    .bind(new.course_id.map(|c| c.0))
    .bind(new.instrument.as_str())
    .bind(answers)
    .bind(new.total)
    .bind(score)
    .bind(new.source.as_str())
    .bind(new.taken_on.to_string())
    .bind(new.created_by.map(|u| u.0))
    .bind(new.created_at.as_millisecond())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let stored = assessment(&row)?;
    let origin = Origin {
        clinic: stored.clinic_id,
        patient: stored.patient_id,
        session: None,
        source: FindingSource::Assessment,
        source_id: Some(stored.id.0),
        at: stored.created_at,
        by: stored.created_by,
    };
    insert_findings(&mut tx, origin, &findings).await?;
    append(&mut tx, created(audit, stored.id, Some(stored.patient_id))).await?;
    commit(tx).await?;
    Ok(stored)
}

/// A patient's assessments by date taken, then id (inside the caller's transaction).
pub(crate) async fn assessments_of(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<Vec<Assessment>, StoreError> {
    sqlx::query(concat!(
        "SELECT ",
        assessment_columns!(),
        " FROM assessments WHERE clinic_id = ? AND patient_id = ? ORDER BY taken_on, id"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_all(conn)
    .await
    .map_err(db)?
    .iter()
    .map(assessment)
    .collect()
}

/// Every assessment of the clinic, grouped by patient, each patient's by date taken then id
/// (inside the caller's transaction).
pub(crate) async fn clinic_assessments(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
) -> Result<HashMap<PatientId, Vec<Assessment>>, StoreError> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        assessment_columns!(),
        " FROM assessments WHERE clinic_id = ? ORDER BY patient_id, taken_on, id"
    ))
    .bind(clinic.0)
    .fetch_all(conn)
    .await
    .map_err(db)?;
    let mut by_patient: HashMap<PatientId, Vec<Assessment>> = HashMap::new();
    for row in &rows {
        let found = assessment(row)?;
        by_patient.entry(found.patient_id).or_default().push(found);
    }
    Ok(by_patient)
}

pub(crate) async fn list_assessments(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    patient: PatientId,
    audit: AuditEvent,
) -> Result<Vec<Assessment>, StoreError> {
    let mut tx = begin_read(readers).await?;
    require_patient(&mut tx, clinic, patient).await?;
    let found = assessments_of(&mut tx, clinic, patient).await?;
    audit_read(tx, pool, about_patient(audit, Some(patient))).await?;
    Ok(found)
}

/// The clinic's MRN pattern, if an admin set one (clinic settings, not health data).
pub(crate) async fn mrn_pattern(
    pool: &SqlitePool,
    clinic: ClinicId,
) -> Result<Option<String>, StoreError> {
    sqlx::query_scalar("SELECT mrn_pattern FROM registration_settings WHERE clinic_id = ?")
        .bind(clinic.0)
        .fetch_optional(pool)
        .await
        .map_err(db)
}

pub(crate) async fn set_mrn_pattern(
    pool: &SqlitePool,
    clinic: ClinicId,
    pattern: &str,
    audit: AuditEvent,
) -> Result<(), StoreError> {
    let mut tx = begin(pool).await?;
    require_clinic(&mut tx, clinic).await?;
    sqlx::query(
        "INSERT INTO registration_settings (clinic_id, mrn_pattern) VALUES (?1, ?2) \
         ON CONFLICT (clinic_id) DO UPDATE SET mrn_pattern = ?2",
    )
    .bind(clinic.0)
    .bind(pattern)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    append(&mut tx, audit).await?;
    commit(tx).await
}

/// How many patients the clinic has registered (never decreases: patients are not deleted).
pub(crate) async fn count_patients(pool: &SqlitePool, clinic: ClinicId) -> Result<u64, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM patients WHERE clinic_id = ?")
        .bind(clinic.0)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The clinic's patients with these ids, by id.
pub(crate) async fn patients_by_ids(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    ids: &[PatientId],
) -> Result<Vec<Patient>, StoreError> {
    let ids: Vec<i64> = ids.iter().map(|p| p.0).collect();
    sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE clinic_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id"
    ))
    .bind(clinic.0)
    .bind(to_json(&ids, "patient ids")?)
    .fetch_all(conn)
    .await
    .map_err(db)?
    .iter()
    .map(patient)
    .collect()
}

/// A page of the clinic's patients matching `search` (as [`list_patients`]), in list order,
/// and how many match in all.
pub(crate) async fn patients_page(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    search: Option<&str>,
    offset: u32,
    limit: u32,
) -> Result<(Vec<Patient>, u64), StoreError> {
    let words = search_words(search)?;
    let rows = sqlx::query(concat!(
        "SELECT ",
        patient_columns!(),
        " FROM patients WHERE clinic_id = ?1",
        search_matches!(),
        " ORDER BY family_name, given_name, id LIMIT ?6 OFFSET ?7"
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
    .map_err(db)?;
    let found = rows.iter().map(patient).collect::<Result<Vec<_>, _>>()?;
    let matches: i64 = sqlx::query_scalar(concat!(
        "SELECT count(*) FROM patients WHERE clinic_id = ?1",
        search_matches!()
    ))
    .bind(clinic.0)
    .bind(words[0])
    .bind(words[1])
    .bind(words[2])
    .bind(words[3])
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    Ok((found, u64::try_from(matches).unwrap_or(0)))
}
