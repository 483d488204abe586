//! Safety findings, their releases and REMS enrolment.
//!
//! Findings are inserted inside the transaction of the record that raised them
//! ([`insert_findings`]), so a finding never exists without its source nor a source without
//! its finding. A patient's open findings are checked inside the transaction of a dose
//! ([`require_no_open_findings`]): SQLite's single writer (`BEGIN IMMEDIATE`) makes that check
//! and the append one step.

use crate::audit::{about_patient, append, audit_read, begin, begin_read, commit};
use crate::codec::{date, db, get, parsed, ts};
use cadence_store::StoreError;
use cadence_store::audit::AuditEvent;
use cadence_store::ids::*;
use cadence_store::records::*;
use jiff::Timestamp;
use sqlx::SqliteConnection;
use sqlx::sqlite::{SqlitePool, SqliteRow};

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

pub(crate) fn finding(row: &SqliteRow) -> Result<Finding, StoreError> {
    let released_by: Option<i64> = get(row, "r_released_by")?;
    let release = match released_by {
        None => None,
        Some(by) => Some(FindingRelease {
            note: get(row, "r_note")?,
            decision_id: get::<Option<i64>>(row, "r_decision_id")?.map(DecisionId),
            released_by: UserId(by),
            released_at: ts(row, "r_released_at")?,
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
        found_at: ts(row, "found_at")?,
        recorded_by: get::<Option<i64>>(row, "recorded_by")?.map(UserId),
        release,
    })
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

/// Inserts the findings a record raised, inside its transaction; returns their ids.
pub(crate) async fn insert_findings(
    conn: &mut SqliteConnection,
    origin: Origin,
    findings: &[NewFinding],
) -> Result<Vec<FindingId>, StoreError> {
    let mut ids = Vec::with_capacity(findings.len());
    for f in findings {
        let row = sqlx::query(concat!(
            "INSERT INTO findings (clinic_id, patient_id, course_id, treatment_session_id, kind, ",
            "severity, detail, source, source_id, found_at, recorded_by) ",
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
        ))
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
        .map_err(db)?;
        ids.push(FindingId(get(&row, "id")?));
    }
    Ok(ids)
}

/// `Conflict{"findings.open"}` when the patient has a finding without a release.
pub(crate) async fn require_no_open_findings(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<(), StoreError> {
    let open = sqlx::query(concat!(
        "SELECT 1 FROM findings f WHERE f.clinic_id = ? AND f.patient_id = ? AND NOT EXISTS ",
        "(SELECT 1 FROM finding_releases r WHERE r.finding_id = f.id) LIMIT 1"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_optional(conn)
    .await
    .map_err(db)?;
    match open {
        Some(_) => Err(StoreError::Conflict {
            constraint: "findings.open".to_owned(),
        }),
        None => Ok(()),
    }
}

/// A patient's findings, oldest first (inside the caller's transaction).
pub(crate) async fn findings_of(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<Vec<Finding>, StoreError> {
    sqlx::query(concat!(
        finding_select!(),
        "WHERE f.clinic_id = ? AND f.patient_id = ? ORDER BY f.found_at, f.id"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_all(conn)
    .await
    .map_err(db)?
    .iter()
    .map(finding)
    .collect()
}

async fn one_finding(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    id: FindingId,
) -> Result<Finding, StoreError> {
    let row = sqlx::query(concat!(
        finding_select!(),
        "WHERE f.clinic_id = ? AND f.id = ?"
    ))
    .bind(clinic.0)
    .bind(id.0)
    .fetch_optional(conn)
    .await
    .map_err(db)?
    .ok_or(StoreError::NotFound)?;
    finding(&row)
}

/// A patient's REMS enrolment (inside the caller's transaction).
pub(crate) async fn rems_of(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<Option<RemsEnrolment>, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT patient_id, rems_patient_id, enrolled_on, recorded_by, recorded_at ",
        "FROM rems_enrolments WHERE clinic_id = ? AND patient_id = ?"
    ))
    .bind(clinic.0)
    .bind(patient.0)
    .fetch_optional(conn)
    .await
    .map_err(db)?;
    row.map(|r| {
        Ok(RemsEnrolment {
            patient_id: PatientId(get(&r, "patient_id")?),
            rems_patient_id: get(&r, "rems_patient_id")?,
            enrolled_on: date(&r, "enrolled_on")?,
            recorded_by: UserId(get(&r, "recorded_by")?),
            recorded_at: ts(&r, "recorded_at")?,
        })
    })
    .transpose()
}

async fn insert_release(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
    finding: FindingId,
    release: &NewRelease,
) -> Result<(), StoreError> {
    sqlx::query(concat!(
        "INSERT INTO finding_releases (clinic_id, finding_id, note, decision_id, released_by, ",
        "released_at) VALUES (?, ?, ?, ?, ?, ?)"
    ))
    .bind(clinic.0)
    .bind(finding.0)
    .bind(&release.note)
    .bind(release.decision_id.map(|d| d.0))
    .bind(release.released_by.0)
    .bind(release.released_at.as_millisecond())
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// Releases a finding of `patient` (`NotFound` for another patient's or clinic's) inside the
/// caller's transaction.
pub(crate) async fn release_of_patient(
    conn: &mut SqliteConnection,
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
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    patient: PatientId,
    audit: AuditEvent,
) -> Result<Vec<Finding>, StoreError> {
    let mut tx = begin_read(readers).await?;
    super::patients::require_patient(&mut tx, clinic, patient).await?;
    let found = findings_of(&mut tx, clinic, patient).await?;
    audit_read(tx, pool, about_patient(audit, Some(patient))).await?;
    Ok(found)
}

pub(crate) async fn list_open_findings(
    pool: &SqlitePool,
    readers: &SqlitePool,
    clinic: ClinicId,
    audit: AuditEvent,
) -> Result<Vec<Finding>, StoreError> {
    let mut tx = begin_read(readers).await?;
    let found = open_findings_in(&mut tx, clinic).await?;
    audit_read(tx, pool, audit).await?;
    Ok(found)
}

/// The clinic's open findings, oldest first.
pub(crate) async fn open_findings_in(
    conn: &mut SqliteConnection,
    clinic: ClinicId,
) -> Result<Vec<Finding>, StoreError> {
    sqlx::query(concat!(
        finding_select!(),
        "WHERE f.clinic_id = ? AND r.id IS NULL ORDER BY f.found_at, f.id"
    ))
    .bind(clinic.0)
    .fetch_all(conn)
    .await
    .map_err(db)?
    .iter()
    .map(finding)
    .collect()
}

pub(crate) async fn release_finding(
    pool: &SqlitePool,
    clinic: ClinicId,
    id: FindingId,
    release: NewRelease,
    audit: AuditEvent,
) -> Result<Finding, StoreError> {
    let mut tx = begin(pool).await?;
    let found = one_finding(&mut tx, clinic, id).await?;
    insert_release(&mut tx, clinic, id, &release).await?;
    let stored = one_finding(&mut tx, clinic, id).await?;
    append(
        &mut tx,
        about_patient(audit.with_object_id(id), Some(found.patient_id)),
    )
    .await?;
    commit(tx).await?;
    Ok(stored)
}

pub(crate) async fn release_gate(
    pool: &SqlitePool,
    clinic: ClinicId,
    session: TreatmentSessionId,
    gate: NewFinding,
    release: NewRelease,
    audit: AuditEvent,
) -> Result<Finding, StoreError> {
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
    append(
        &mut tx,
        about_patient(audit.with_object_id(id), Some(patient)),
    )
    .await?;
    commit(tx).await?;
    Ok(stored)
}

pub(crate) async fn set_rems_enrolment(
    pool: &SqlitePool,
    clinic: ClinicId,
    enrolment: RemsEnrolment,
    audit: AuditEvent,
) -> Result<RemsEnrolment, StoreError> {
    let mut tx = begin(pool).await?;
    super::patients::require_patient(&mut tx, clinic, enrolment.patient_id).await?;
    sqlx::query(concat!(
        "INSERT INTO rems_enrolments (clinic_id, patient_id, rems_patient_id, enrolled_on, ",
        "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?) ",
        "ON CONFLICT (clinic_id, patient_id) DO UPDATE SET ",
        "rems_patient_id = excluded.rems_patient_id, enrolled_on = excluded.enrolled_on, ",
        "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at"
    ))
    .bind(clinic.0)
    .bind(enrolment.patient_id.0)
    .bind(&enrolment.rems_patient_id)
    .bind(enrolment.enrolled_on.to_string())
    .bind(enrolment.recorded_by.0)
    .bind(enrolment.recorded_at.as_millisecond())
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let stored = rems_of(&mut tx, clinic, enrolment.patient_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    append(&mut tx, about_patient(audit, Some(enrolment.patient_id))).await?;
    commit(tx).await?;
    Ok(stored)
}
