//! `/api/v1/patients`: demographics, scoped to the caller's clinic.

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::schema;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cadence_app::ids::PatientId;
use cadence_app::records::{Patient, PatientDetails, Sex};
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// A patient's demographics, as registered or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatientBody {
    /// Medical record number: letters, digits, `-` and `_`; unique in the clinic.
    pub mrn: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub birth_date: Date,
    /// Administrative sex.
    #[schema(value_type = schema::Sex)]
    pub sex: Sex,
    /// Weight in kg, 1-400.
    #[serde(default)]
    pub weight_kg: Option<f64>,
}

impl From<PatientBody> for PatientDetails {
    fn from(b: PatientBody) -> PatientDetails {
        PatientDetails {
            mrn: b.mrn,
            given_name: b.given_name,
            family_name: b.family_name,
            birth_date: b.birth_date,
            sex: b.sex,
            weight_kg: b.weight_kg,
        }
    }
}

/// Search terms.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of a name or MRN (case-insensitive); empty lists all (up to 200).
    pub search: Option<String>,
}

/// Patients of your clinic, by family name.
#[utoipa::path(
    get, path = "/api/v1/patients", tag = "patients",
    security(("bearer" = []), ("cookie" = [])),
    params(SearchQuery),
    responses((status = 200, description = "Matching patients", body = Vec<schema::Patient>))
)]
pub(crate) async fn list_patients(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<Vec<Patient>>, WebError> {
    let result = state
        .app
        .list_patients(auth.actor(), query.search.as_deref())
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Register a patient.
#[utoipa::path(
    post, path = "/api/v1/patients", tag = "patients",
    security(("bearer" = []), ("cookie" = [])),
    request_body = PatientBody,
    responses(
        (status = 201, description = "Registered", body = schema::Patient),
        (status = 409, description = "The MRN is taken (`conflict`)", body = schema::ErrorBody),
    )
)]
pub(crate) async fn create_patient(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<PatientBody>,
) -> Result<(StatusCode, Json<Patient>), WebError> {
    let result = state.app.create_patient(auth.actor(), body.into()).await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}

/// A patient's demographics.
#[utoipa::path(
    get, path = "/api/v1/patients/{id}", tag = "patients",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    responses((status = 200, description = "The patient", body = schema::Patient))
)]
pub(crate) async fn get_patient(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<PatientId>,
) -> Result<Json<Patient>, WebError> {
    let result = state.app.get_patient(auth.actor(), id).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Replace a patient's demographics.
#[utoipa::path(
    put, path = "/api/v1/patients/{id}", tag = "patients",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    request_body = PatientBody,
    responses(
        (status = 200, description = "Updated", body = schema::Patient),
        (status = 409, description = "The MRN is taken (`conflict`)", body = schema::ErrorBody),
    )
)]
pub(crate) async fn update_patient(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<PatientId>,
    ApiJson(body): ApiJson<PatientBody>,
) -> Result<Json<Patient>, WebError> {
    let result = state
        .app
        .update_patient(auth.actor(), id, body.into())
        .await;
    Ok(Json(auth.done(&state, result).await?))
}
