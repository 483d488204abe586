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
use cadence_app::records::{Patient, PatientContact, PatientDetails, Sex};
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// A patient's demographics and contact details, as registered or replaced (a replace sends
/// every field: one left out is cleared).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatientBody {
    /// Medical record number: letters, digits, `-` and `_`; unique in the clinic. Leave it out
    /// when registering to have the patient numbered by the clinic's MRN pattern (required
    /// when replacing).
    #[serde(default)]
    pub mrn: Option<String>,
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
    /// The day the weight was taken, `YYYY-MM-DD` (default today when a weight is given).
    #[serde(default)]
    pub weight_measured_on: Option<Date>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone: digits, spaces and `+ - ( ) .`, at least 5 digits.
    #[serde(default)]
    pub phone: Option<String>,
    /// Postal address (up to 500 characters).
    #[serde(default)]
    pub address: Option<String>,
    /// Who to call in an emergency.
    #[serde(default)]
    pub emergency_contact_name: Option<String>,
    /// Their phone.
    #[serde(default)]
    pub emergency_contact_phone: Option<String>,
    /// Who referred the patient.
    #[serde(default)]
    pub referrer: Option<String>,
    /// Consent to be contacted by email or phone (`null`: not asked). Who recorded a changed
    /// answer, and when, is kept with it.
    #[serde(default)]
    pub contact_consent: Option<bool>,
}

impl From<PatientBody> for PatientDetails {
    fn from(b: PatientBody) -> PatientDetails {
        PatientDetails {
            mrn: b.mrn.unwrap_or_default(),
            given_name: b.given_name,
            family_name: b.family_name,
            birth_date: b.birth_date,
            sex: b.sex,
            weight_kg: b.weight_kg,
            weight_measured_on: b.weight_measured_on,
            contact: PatientContact {
                email: b.email,
                phone: b.phone,
                address: b.address,
                emergency_contact_name: b.emergency_contact_name,
                emergency_contact_phone: b.emergency_contact_phone,
                referrer: b.referrer,
                contact_consent: b.contact_consent,
            },
        }
    }
}

/// Search terms.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words that each match part of a name or the MRN, or a birth date `YYYY-MM-DD`
    /// (case-insensitive); empty lists all (up to 200).
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
