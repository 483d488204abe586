//! Treatment sessions: what the nurse records (pre-checks, administration, monitoring,
//! discharge), status changes by scheduling staff, and the day's schedule.

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::schema;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cadence_app::ids::TreatmentSessionId;
use cadence_app::records::{MonitoringEntry, TreatmentSession, TreatmentSessionStatus};
use cadence_app::treatment_sessions::{
    AdministrationInput, DischargeInput, MonitoringInput, PreCheckInput,
};
use cadence_clinical::route::Route;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Pre-dose checks.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreChecksBody {
    /// Identity confirmed.
    pub identity_confirmed: bool,
    /// Fasting as instructed.
    pub fasting_confirmed: bool,
    /// Transport home arranged.
    pub transport_arranged: bool,
    /// Systolic BP, mmHg (50-300).
    pub bp_systolic: u16,
    /// Diastolic BP, mmHg (20-200, below systolic).
    pub bp_diastolic: u16,
    /// Heart rate, bpm (20-250).
    pub heart_rate: Option<u16>,
    /// SpO2, percent (50-100).
    pub spo2: Option<u8>,
}

/// What was administered (as ordered by a clinician; Cadence never suggests a dose).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdministrationBody {
    /// Route: must be the course protocol's.
    #[schema(value_type = schema::Route)]
    pub route: Route,
    /// Dose ordered, mg.
    pub dose_ordered_mg: f64,
    /// Dose given, mg.
    pub dose_given_mg: f64,
    /// Lot number.
    pub lot: String,
    /// When administration started (default: now).
    pub started_at: Option<Timestamp>,
}

/// A monitoring entry; record what was measured.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoringBody {
    /// When taken (default: now).
    pub taken_at: Option<Timestamp>,
    /// Systolic BP (with diastolic, or neither).
    pub bp_systolic: Option<u16>,
    /// Diastolic BP.
    pub bp_diastolic: Option<u16>,
    /// Heart rate.
    pub heart_rate: Option<u16>,
    /// SpO2, percent.
    pub spo2: Option<u8>,
    /// MOAA/S, 0-5.
    pub moaas: Option<u8>,
    /// CADSS total, 0-92.
    pub cadss: Option<u8>,
    /// Adverse effects observed, short codes such as `nausea`.
    #[serde(default)]
    pub adverse_effects: Vec<String>,
}

/// Discharge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DischargeBody {
    /// MOAA/S at discharge, 0-5.
    pub moaas: u8,
    /// Systolic BP before leaving.
    pub bp_systolic: u16,
    /// Diastolic BP before leaving.
    pub bp_diastolic: u16,
    /// Clinically stable.
    pub clinically_stable: bool,
    /// A responsible adult escorts the patient home.
    pub escort_present: bool,
    /// Minutes after start the patient would have been ready to leave.
    pub ready_after_minutes: Option<u32>,
}

/// A status to set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// `scheduled`, `cancelled` or `no_show` (other states follow the session record).
    #[schema(value_type = schema::SessionStatus)]
    pub status: TreatmentSessionStatus,
}

/// The day to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    /// `YYYY-MM-DD`; default today in the clinic.
    pub date: Option<Date>,
}

/// A treatment session with its records (front desk sees the booking only).
#[utoipa::path(
    get, path = "/api/v1/sessions/{id}", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    responses((status = 200, description = "The session", body = schema::TreatmentSession))
)]
pub(crate) async fn get_session(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
) -> Result<Json<TreatmentSession>, WebError> {
    let result = state.app.get_session(auth.actor(), id).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Record pre-dose checks. A blood pressure over the protocol's threshold holds the session
/// for clinician review (status `held`).
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/pre-checks", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = PreChecksBody,
    responses((status = 200, description = "Recorded", body = schema::TreatmentSession))
)]
pub(crate) async fn record_pre_checks(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<PreChecksBody>,
) -> Result<Json<TreatmentSession>, WebError> {
    let input = PreCheckInput {
        identity_confirmed: b.identity_confirmed,
        fasting_confirmed: b.fasting_confirmed,
        transport_arranged: b.transport_arranged,
        bp_systolic: b.bp_systolic,
        bp_diastolic: b.bp_diastolic,
        heart_rate: b.heart_rate,
        spo2: b.spo2,
    };
    let result = state.app.record_pre_checks(auth.actor(), id, input).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Record the administration (after pre-checks; never on a held session: 409).
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/administration", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = AdministrationBody,
    responses(
        (status = 200, description = "Recorded", body = schema::TreatmentSession),
        (status = 409, description = "`pre_checks_missing` or `session_held`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn record_administration(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<AdministrationBody>,
) -> Result<Json<TreatmentSession>, WebError> {
    let input = AdministrationInput {
        route: b.route,
        dose_ordered_mg: b.dose_ordered_mg,
        dose_given_mg: b.dose_given_mg,
        lot: b.lot,
        started_at: b.started_at,
    };
    let result = state
        .app
        .record_administration(auth.actor(), id, input)
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Add a monitoring entry.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/monitoring", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = MonitoringBody,
    responses((status = 201, description = "Added", body = schema::MonitoringEntry))
)]
pub(crate) async fn add_monitoring(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<MonitoringBody>,
) -> Result<(StatusCode, Json<MonitoringEntry>), WebError> {
    let input = MonitoringInput {
        taken_at: b.taken_at,
        bp_systolic: b.bp_systolic,
        bp_diastolic: b.bp_diastolic,
        heart_rate: b.heart_rate,
        spo2: b.spo2,
        moaas: b.moaas,
        cadss: b.cadss,
        adverse_effects: b.adverse_effects,
    };
    let result = state.app.add_monitoring(auth.actor(), id, input).await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}

/// Record discharge; the session is completed.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/discharge", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = DischargeBody,
    responses(
        (status = 200, description = "Recorded", body = schema::TreatmentSession),
        (status = 409, description = "`administration_missing`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn record_discharge(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<DischargeBody>,
) -> Result<Json<TreatmentSession>, WebError> {
    let input = DischargeInput {
        moaas: b.moaas,
        bp_systolic: b.bp_systolic,
        bp_diastolic: b.bp_diastolic,
        clinically_stable: b.clinically_stable,
        escort_present: b.escort_present,
        ready_after_minutes: b.ready_after_minutes,
    };
    let result = state.app.record_discharge(auth.actor(), id, input).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Mark a session cancelled or not attended (the planner rebooks it), or scheduled again.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/status", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = StatusBody,
    responses(
        (status = 200, description = "Changed", body = schema::TreatmentSession),
        (status = 409, description = "`session_completed`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn set_status(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<StatusBody>,
) -> Result<Json<TreatmentSession>, WebError> {
    let result = state
        .app
        .set_session_status(auth.actor(), id, b.status)
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// The clinic's sessions on a day.
#[utoipa::path(
    get, path = "/api/v1/schedule", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(ScheduleQuery),
    responses((status = 200, description = "Sessions booked that day", body = Vec<schema::TreatmentSession>))
)]
pub(crate) async fn schedule(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<ScheduleQuery>,
) -> Result<Json<Vec<TreatmentSession>>, WebError> {
    let date = match query.date {
        Some(date) => date,
        None => {
            let today = state.app.clinic_today(auth.actor()).await;
            auth.done(&state, today).await?
        }
    };
    let result = state.app.sessions_on(auth.actor(), date).await;
    Ok(Json(auth.done(&state, result).await?))
}
