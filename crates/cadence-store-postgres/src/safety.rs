//! Safety findings, their releases and REMS enrolment.
//!
//! Findings are inserted inside the transaction of the record that raised them
//! ([`insert_findings`]). Under READ COMMITTED two transactions could otherwise interleave a
//! dose's "no open finding" check with a new finding's insert, so both take the patient's row
//! lock first ([`lock_patient`]): one waits for the other, and the dose sees the finding or
//! the finding follows the dose.

use crate::audit;
use crate::convert::{date, date_text, get, parsed, timestamp};
use crate::error;
use crate::patients::about;
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::*;
use cadence_store::records::*;
use jiff::Timestamp;
use sqlx::postgres::{PgConnection, PgPool, PgRow};

/// Finding columns with the release's (`f`, `r`), for a `LEFT JOIN finding_releases r`.
macro_rules! finding_select {
    () => {
        "SELECT f.id, f.clinic_id, f.patient_id, f.course_id, f.treatment_session_id, f.kind, \
         f.severity, f.detail, f.source, f.source_id, f.found_at, f.recorded_by, \
         r.note AS r_note, r.decision_id AS r_decision_id, r.released_by AS r_released_by, \
         r.released_at AS r_released_at \
         FROM findings f LEFT JOIN finding_releases r ON r.finding_id = f.id "
    };
}
pub(crate) use finding_select;

pub(crate) fn finding(row: &PgRow) -> Result<Finding, StoreError> {
    let released_by: Option<i64> = get(row, "r_released_by")?;
    let release = match released_by {
        None => None,
        Some(by) => Some(FindingRelease {
            note: get(row, "r_note")?,
            decision_id: get::<Option<i64>>(row, "r_decision_id")?.map(DecisionId),
            released_by: UserId(by),
            released_at: timestamp(row, "r_released_at")?,
        }),
    };
    Ok(Finding {
        id: FindingId(get(row, "id")?),
        clinic_id: ClinicId(get(row, "clinic_id")?),
        patient_id: PatientId(get(row, "patient_id")?),
        course_id: get::<Option<i64>>(row, "course_id")?.map(CourseId),
        treatment_session_id: get::<Option<i64>>(row, "treatment_session_id")?
            .map(TreatmentSessionId),
        kind: parsed(row, "kind")?,
        severity: parsed(row, "severity")?,
        detail: get(row, "detail")?,
        source: parsed(row, "source")?,
        source_id: get(row, "source_id")?,
        found_at: timestamp(row, "found_at")?,
        recorded_by: get::<Option<i64>>(row, "recorded_by")?.map(UserId),
        release,
    })
}

/// Takes the patient's row lock for the rest of the transaction (`NotFound` outside the clinic).
pub(crate) async fn lock_patient(
    conn: &mut PgConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<(), StoreError> {
    sqlx::query("SELECT 1 FROM patients WHERE clinic_id = $1 AND id = $2 FOR UPDATE")
        .bind(clinic.0)
        .bind(patient.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(error::map)?
        .ok_or(StoreError::NotFound)?;
    Ok(())
}

/// Where the findings of one write come from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin {
    pub clinic: ClinicId,
    pub patient: PatientId,
    pub session: Option<TreatmentSessionId>,
    pub source: FindingSource,
    pub source_id: Option<i64>,
    pub at: Timestamp,
    pub by: Option<UserId>,
}

/// Inserts the findings a record raised, inside its transaction, under the patient's lock.
pub(crate) async fn insert_findings(
    conn: &mut PgConnection,
    origin: Origin,
    findings: &[NewFinding],
) -> Result<Vec<FindingId>, StoreError> {
    if findings.is_empty() {
        return Ok(Vec::new());
    }
    lock_patient(conn, origin.clinic, origin.patient).await?;
    let mut ids = Vec::with_capacity(findings.len());
    for f in findings {
        let row = sqlx::query(
            "INSERT INTO findings (clinic_id, patient_id, course_id, treatment_session_id, kind, \
             severity, detail, source, source_id, found_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(origin.clinic.0)
        .bind(origin.patient.0)
        .bind(f.course_id.map(|c| c.0))
        .bind(origin.session.map(|s| s.0))
        .bind(f.kind.as_str())
        .bind(f.severity.as_str())
        .bind(&f.detail)
        .bind(origin.source.as_str())
        .bind(origin.source_id)
        .bind(origin.at.as_millisecond())
        .bind(origin.by.map(|u| u.0))
        .fetch_one(&mut *conn)
        .await
        .map_err(error::map)?;
        ids.push(FindingId(get(&row, "id")?));
    }
    Ok(ids)
}

/// `Conflict{"findings.open"}` when the patient has a finding without a release. Takes the
/// patient's lock first.
pub(crate) async fn require_no_open_findings(
    conn: &mut PgConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<(), StoreError> {
    lock_patient(conn, clinic, patient).await?;
    let open = sqlx::query(
        "SELECT 1 FROM findings f WHERE f.clinic_id = $1 AND f.patient_id = $2 AND NOT EXISTS \
         (SELECT 1 FROM finding_releases r WHERE r.finding_id = f.id) LIMIT 1",
    )
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(error::map)?;
    match open {
        Some(_) => Err(StoreError::Conflict {
            constraint: "findings.open".to_owned(),
        }),
        None => Ok(()),
    }
}

/// A patient's findings, oldest first.
pub(crate) async fn findings_of(
    conn: &mut PgConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<Vec<Finding>, StoreError> {
    sqlx::query(concat!(
        finding_select!(),
        "WHERE f.clinic_id = $1 AND f.patient_id = $2 ORDER BY f.found_at, f.id"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_all(conn)
    .await
    .map_err(error::map)?
    .iter()
    .map(finding)
    .collect()
}

async fn one_finding(
    conn: &mut PgConnection,
    clinic: ClinicId,
    id: FindingId,
) -> Result<Finding, StoreError> {
    let row = sqlx::query(concat!(
        finding_select!(),
        "WHERE f.clinic_id = $1 AND f.id = $2"
    ))
    .bind(clinic.0)
    .bind(id.0)
    .fetch_optional(conn)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    finding(&row)
}

pub(crate) fn rems(row: &PgRow) -> Result<RemsEnrolment, StoreError> {
    Ok(RemsEnrolment {
        patient_id: PatientId(get(row, "patient_id")?),
        rems_patient_id: get(row, "rems_patient_id")?,
        enrolled_on: date(row, "enrolled_on")?,
        recorded_by: UserId(get(row, "recorded_by")?),
        recorded_at: timestamp(row, "recorded_at")?,
    })
}

/// A patient's REMS enrolment.
pub(crate) async fn rems_of(
    conn: &mut PgConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<Option<RemsEnrolment>, StoreError> {
    sqlx::query(
        "SELECT patient_id, rems_patient_id, enrolled_on, recorded_by, recorded_at \
         FROM rems_enrolments WHERE clinic_id = $1 AND patient_id = $2",
    )
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_optional(conn)
    .await
    .map_err(error::map)?
    .as_ref()
    .map(rems)
    .transpose()
}

async fn insert_release(
    conn: &mut PgConnection,
    clinic: ClinicId,
    finding: FindingId,
    release: &NewRelease,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO finding_releases (clinic_id, finding_id, note, decision_id, released_by, \
         released_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(clinic.0)
    .bind(finding.0)
    .bind(&release.note)
    .bind(release.decision_id.map(|d| d.0))
    .bind(release.released_by.0)
    .bind(release.released_at.as_millisecond())
    .execute(conn)
    .await
    .map_err(error::map)?;
    Ok(())
}

/// Releases a finding of `patient` (`NotFound` for another patient's or clinic's) inside the
/// caller's transaction.
pub(crate) async fn release_of_patient(
    conn: &mut PgConnection,
    clinic: ClinicId,
    patient: PatientId,
    id: FindingId,
    release: &NewRelease,
) -> Result<(), StoreError> {
    let found = one_finding(conn, clinic, id).await?;
    if found.patient_id != patient {
        return Err(StoreError::NotFound);
    }
    insert_release(conn, clinic, id, release).await
}

pub(crate) async fn list_findings(
    pool: &PgPool,
    clinic: ClinicId,
    patient: PatientId,
    event: AuditEvent,
) -> Result<Vec<Finding>, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    crate::patients::fetch_patient(&mut tx, clinic, patient).await?;
    let found = findings_of(&mut tx, clinic, patient).await?;
    audit::append(&mut tx, about(event, patient)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(found)
}

pub(crate) async fn list_open_findings(
    pool: &PgPool,
    clinic: ClinicId,
    event: AuditEvent,
) -> Result<Vec<Finding>, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let found = open_findings_in(&mut tx, clinic).await?;
    audit::append(&mut tx, event).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(found)
}

/// The clinic's open findings, oldest first.
pub(crate) async fn open_findings_in(
    conn: &mut PgConnection,
    clinic: ClinicId,
) -> Result<Vec<Finding>, StoreError> {
    sqlx::query(concat!(
        finding_select!(),
        "WHERE f.clinic_id = $1 AND r.id IS NULL ORDER BY f.found_at, f.id"
    ))
    .bind(clinic.0)
    .fetch_all(conn)
    .await
    .map_err(error::map)?
    .iter()
    .map(finding)
    .collect()
}

pub(crate) async fn release_finding(
    pool: &PgPool,
    clinic: ClinicId,
    id: FindingId,
    release: NewRelease,
    event: AuditEvent,
) -> Result<Finding, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let found = one_finding(&mut tx, clinic, id).await?;
    insert_release(&mut tx, clinic, id, &release).await?;
    let stored = one_finding(&mut tx, clinic, id).await?;
    audit::append(&mut tx, about(event.with_object_id(id), found.patient_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(stored)
}

pub(crate) async fn release_gate(
    pool: &PgPool,
    clinic: ClinicId,
    session: TreatmentSessionId,
    gate: NewFinding,
    release: NewRelease,
    event: AuditEvent,
) -> Result<Finding, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    let row = sqlx::query(
        "SELECT c.patient_id FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = $1 AND s.id = $2",
    )
    .bind(clinic.0)
    .bind(session.0)
    .fetch_optional(&mut *tx)
    .await
    .map_err(error::map)?
    .ok_or(StoreError::NotFound)?;
    let patient = PatientId(get(&row, "patient_id")?);
    let origin = Origin {
        clinic,
        patient,
        session: Some(session),
        source: FindingSource::Gate,
        source_id: Some(session.0),
        at: release.released_at,
        by: Some(release.released_by),
    };
    let ids = insert_findings(&mut tx, origin, std::slice::from_ref(&gate)).await?;
    let id = ids.first().copied().ok_or(StoreError::NotFound)?;
    insert_release(&mut tx, clinic, id, &release).await?;
    let stored = one_finding(&mut tx, clinic, id).await?;
    audit::append(&mut tx, about(event.with_object_id(id), patient)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(stored)
}

pub(crate) async fn set_rems_enrolment(
    pool: &PgPool,
    clinic: ClinicId,
    enrolment: RemsEnrolment,
    event: AuditEvent,
) -> Result<RemsEnrolment, StoreError> {
    let mut tx = pool.begin().await.map_err(error::map)?;
    crate::patients::fetch_patient(&mut tx, clinic, enrolment.patient_id).await?;
    sqlx::query(
        "INSERT INTO rems_enrolments (clinic_id, patient_id, rems_patient_id, enrolled_on, \
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (clinic_id, patient_id) DO UPDATE SET \
         rems_patient_id = EXCLUDED.rems_patient_id, enrolled_on = EXCLUDED.enrolled_on, \
         recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at",
    )
    .bind(clinic.0)
    .bind(enrolment.patient_id.0)
    .bind(&enrolment.rems_patient_id)
    .bind(date_text(enrolment.enrolled_on))
    .bind(enrolment.recorded_by.0)
    .bind(enrolment.recorded_at.as_millisecond())
    .execute(&mut *tx)
    .await
    .map_err(error::map)?;
    let stored = rems_of(&mut tx, clinic, enrolment.patient_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    audit::append(&mut tx, about(event, enrolment.patient_id)).await?;
    tx.commit().await.map_err(error::map)?;
    Ok(stored)
}
