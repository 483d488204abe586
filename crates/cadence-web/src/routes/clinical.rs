//! Screenings and assessments: the engine judges and scores, the app stores, the API shows.

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath};
use crate::schema;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cadence_app::assessments::AssessmentInput;
use cadence_app::ids::{PatientId, ScreeningId};
use cadence_app::records::{Assessment, Screening};
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::screening::ScreeningInput;
use serde::Deserialize;
use utoipa::ToSchema;

/// Screen a patient for a route (the `cadence screen` input). The result says eligible,
/// needs clinician review (with reasons) or not eligible.
#[utoipa::path(
    post, path = "/api/v1/patients/{id}/screenings", tag = "clinical",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    request_body = schema::ScreeningInput,
    responses((status = 201, description = "Screened and stored", body = schema::Screening))
)]
pub(crate) async fn create_screening(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(patient): ApiPath<PatientId>,
    ApiJson(input): ApiJson<ScreeningInput>,
) -> Result<(StatusCode, Json<Screening>), WebError> {
    let result = state
        .app
        .create_screening(auth.actor(), patient, input)
        .await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}

/// A stored screening.
#[utoipa::path(
    get, path = "/api/v1/screenings/{id}", tag = "clinical",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Screening id")),
    responses((status = 200, description = "The screening", body = schema::Screening))
)]
pub(crate) async fn get_screening(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ScreeningId>,
) -> Result<Json<Screening>, WebError> {
    let result = state.app.get_screening(auth.actor(), id).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// An assessment as entered.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentBody {
    /// The instrument.
    #[schema(value_type = schema::Instrument)]
    pub instrument: InstrumentId,
    /// Item answers in order; `null` for an item the instrument's flow skips.
    pub answers: Vec<Option<u8>>,
    /// When taken: a date `YYYY-MM-DD` in the clinic, or an RFC 3339 timestamp (converted to
    /// the clinic's date). Default: today in the clinic. Never in the future.
    #[schema(schema_with = schema::taken_at)]
    pub taken_at: Option<String>,
}

/// A patient's assessments, oldest first, each with its score object.
#[utoipa::path(
    get, path = "/api/v1/patients/{id}/assessments", tag = "clinical",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    responses((status = 200, description = "Assessments", body = Vec<schema::Assessment>))
)]
pub(crate) async fn list_assessments(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(patient): ApiPath<PatientId>,
) -> Result<Json<Vec<Assessment>>, WebError> {
    let result = state.app.list_assessments(auth.actor(), patient).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Record and score an assessment. Answers out of the instrument's range are refused (422
/// `invalid_answers`, naming the item); nothing is stored.
#[utoipa::path(
    post, path = "/api/v1/patients/{id}/assessments", tag = "clinical",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    request_body = AssessmentBody,
    responses((status = 201, description = "Scored and stored", body = schema::Assessment))
)]
pub(crate) async fn create_assessment(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(patient): ApiPath<PatientId>,
    ApiJson(body): ApiJson<AssessmentBody>,
) -> Result<(StatusCode, Json<Assessment>), WebError> {
    let taken_on = match body.taken_at.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(match text.parse::<jiff::civil::Date>() {
            Ok(date) if text.len() == 10 => date,
            _ => {
                let at = text.parse::<jiff::Timestamp>().map_err(|_| {
                    WebError::malformed(
                        "taken_at must be a date (YYYY-MM-DD) or an RFC 3339 timestamp",
                    )
                })?;
                let date = state.app.clinic_date(auth.actor(), at).await;
                auth.done(&state, date).await?
            }
        }),
    };
    let input = AssessmentInput {
        instrument: body.instrument,
        answers: body.answers,
        taken_on,
    };
    let result = state
        .app
        .create_assessment(auth.actor(), patient, input)
        .await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}
