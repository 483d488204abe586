//! Safety findings: a patient's findings, the clinic's open ones, a clinician's release; REMS
//! enrolment; a patient's screenings.

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath};
use crate::schema;
use axum::Json;
use axum::extract::State;
use cadence_app::ids::{FindingId, PatientId};
use cadence_app::records::{Finding, RemsEnrolment, Screening};
use cadence_app::safety::ExceptionalEndSummary;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;

/// A clinician's release of a finding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseBody {
    /// What the clinician reviewed and why dosing may go ahead (required).
    pub note: String,
}

/// A patient's REMS enrolment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemsBody {
    /// The REMS patient id.
    pub rems_patient_id: String,
    /// The enrolment date, `YYYY-MM-DD`; not in the future.
    pub enrolled_on: Date,
}

/// A patient's safety findings, oldest first, with their releases.
#[utoipa::path(
    get, path = "/api/v1/patients/{id}/findings", tag = "safety",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    responses((status = 200, description = "Findings", body = Vec<schema::Finding>))
)]
pub(crate) async fn list_findings(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(patient): ApiPath<PatientId>,
) -> Result<Json<Vec<Finding>>, WebError> {
    let result = state.app.list_findings(auth.actor(), patient).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// The clinic's open findings, oldest first: what holds sessions now.
#[utoipa::path(
    get, path = "/api/v1/findings", tag = "safety",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Open findings", body = Vec<schema::Finding>))
)]
pub(crate) async fn open_findings(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<Finding>>, WebError> {
    let result = state.app.open_findings(auth.actor()).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// The clinic's sessions ended exceptionally (transfer to emergency care, left against
/// advice), newest first, at most 100: for admins (no patient, no reason).
#[utoipa::path(
    get, path = "/api/v1/exceptional-ends", tag = "safety",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Exceptional ends", body = Vec<schema::ExceptionalEndSummary>))
)]
pub(crate) async fn exceptional_ends(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<ExceptionalEndSummary>>, WebError> {
    let result = state.app.exceptional_ends(auth.actor()).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Release a finding (clinicians), with a note: the hold it caused ends.
#[utoipa::path(
    post, path = "/api/v1/findings/{id}/release", tag = "safety",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Finding id")),
    request_body = ReleaseBody,
    responses(
        (status = 200, description = "Released", body = schema::Finding),
        (status = 409, description = "`already_released`", body = schema::ErrorBody),
        (status = 422, description = "`note_required`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn release_finding(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<FindingId>,
    ApiJson(body): ApiJson<ReleaseBody>,
) -> Result<Json<Finding>, WebError> {
    let result = state
        .app
        .release_finding(auth.actor(), id, &body.note)
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Record (or replace) a patient's SPRAVATO REMS enrolment (clinicians).
#[utoipa::path(
    put, path = "/api/v1/patients/{id}/rems-enrolment", tag = "safety",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    request_body = RemsBody,
    responses(
        (status = 200, description = "Recorded", body = schema::RemsEnrolment),
        (status = 422, description = "`missing_field`, `date_in_future` or `out_of_range`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn set_rems_enrolment(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(patient): ApiPath<PatientId>,
    ApiJson(body): ApiJson<RemsBody>,
) -> Result<Json<RemsEnrolment>, WebError> {
    let result = state
        .app
        .set_rems_enrolment(
            auth.actor(),
            patient,
            &body.rems_patient_id,
            body.enrolled_on,
        )
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// A patient's screenings, newest first.
#[utoipa::path(
    get, path = "/api/v1/patients/{id}/screenings", tag = "clinical",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    responses((status = 200, description = "Screenings", body = Vec<schema::Screening>))
)]
pub(crate) async fn list_screenings(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(patient): ApiPath<PatientId>,
) -> Result<Json<Vec<Screening>>, WebError> {
    let result = state.app.list_screenings(auth.actor(), patient).await;
    Ok(Json(auth.done(&state, result).await?))
}
