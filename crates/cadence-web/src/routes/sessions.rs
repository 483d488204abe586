//! Treatment sessions: what the nurse records (pre-checks, administration and its corrections,
//! the infusion's end, monitoring, discharge), what a clinician records (an exceptional end,
//! the signature, the release of a session's gate), addenda, status changes by scheduling
//! staff, and the day's schedule.

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::schema;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cadence_app::ids::{SessionEntryId, TreatmentSessionId};
use cadence_app::records::{Finding, MonitoringEntry, SessionStatus, TreatmentSession};
use cadence_app::treatment_sessions::{
    AdministrationInput, DischargeInput, ExceptionalEndInput, MonitoringInput, PreCheckInput,
    SessionView,
};
use cadence_clinical::route::Route;
use cadence_clinical::safety::{ExceptionalEnd, FindingKind};
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
    /// When administration started (default: now); on the session's day.
    pub started_at: Option<Timestamp>,
    /// When an infusion ended, if already known; on the session's day.
    pub ended_at: Option<Timestamp>,
    /// Confirms a dose that departs from the order or the label (esketamine 56 or 84 mg, 56 mg
    /// at a first session), with the reason; required then, and kept with the record.
    pub confirm_reason: Option<String>,
    /// The administration entry this corrects (a correction needs `correction_reason`).
    #[schema(value_type = Option<i64>)]
    pub corrects: Option<SessionEntryId>,
    /// Why the correction is made.
    pub correction_reason: Option<String>,
}

/// The end of an infusion.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InfusionEndBody {
    /// When the infusion ended (default: now); on the session's day.
    pub ended_at: Option<Timestamp>,
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
    /// Respiratory rate, breaths a minute (1-80).
    pub respiratory_rate: Option<u16>,
    /// MOAA/S, 0-5.
    pub moaas: Option<u8>,
    /// CADSS total, 0-92.
    pub cadss: Option<u8>,
    /// Adverse effects observed: codes from `docs/protocols.md` (`nausea`, `sedation`...),
    /// each at most once.
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
    /// Minutes after start the patient would have been ready to leave (0-1440).
    pub ready_after_minutes: Option<u32>,
}

/// An exceptional end of a session (clinicians), when the discharge criteria cannot be met.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionalEndBody {
    /// `transferred_to_emergency_care` or `left_against_advice`.
    #[schema(value_type = schema::ExceptionalEnd)]
    pub kind: ExceptionalEnd,
    /// Why (required).
    pub reason: String,
}

/// An addendum to a session's record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddendumBody {
    /// What is added.
    pub text: String,
    /// Why it is added after the fact.
    pub reason: String,
}

/// A clinician's release of one gate of a session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GateReleaseBody {
    /// The gate: `suicide_screen_missing` (the REMS gate ends only when enrolment is recorded).
    #[schema(value_type = schema::FindingKind)]
    pub kind: FindingKind,
    /// What the clinician reviewed (required).
    pub note: String,
}

/// A status to set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// `scheduled`, `cancelled` or `no_show` (other states follow the session record).
    #[schema(value_type = schema::SessionStatus)]
    pub status: SessionStatus,
}

/// The day to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    /// `YYYY-MM-DD`; default today in the clinic.
    pub date: Option<Date>,
}

/// A treatment session with its record, what holds it and the discharge criteria (front desk
/// sees the booking only).
#[utoipa::path(
    get, path = "/api/v1/sessions/{id}", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    responses((status = 200, description = "The session", body = schema::SessionView))
)]
pub(crate) async fn get_session(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
) -> Result<Json<SessionView>, WebError> {
    let result = state.app.get_session(auth.actor(), id).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Record pre-dose checks: a new reading (earlier ones are kept). A blood pressure over the
/// protocol's threshold raises a finding that holds the session (status `held`) until a
/// clinician releases it.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/pre-checks", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = PreChecksBody,
    responses(
        (status = 200, description = "Recorded", body = schema::SessionView),
        (status = 409, description = "`session_not_today`, `session_cancelled`, `session_completed`, `course_not_active`, `already_dosed` or `session_signed`", body = schema::ErrorBody),
        (status = 422, description = "`out_of_range`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn record_pre_checks(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<PreChecksBody>,
) -> Result<Json<SessionView>, WebError> {
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

/// Record the administration once (after complete pre-checks; never while anything holds the
/// session: 409 `session_held` names each finding), or correct it (`corrects` with
/// `correction_reason`). A dose that departs from the order or the label needs
/// `confirm_reason` (422 `dose_confirmation_required`). Cadence never suggests a dose.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/administration", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = AdministrationBody,
    responses(
        (status = 200, description = "Recorded", body = schema::SessionView),
        (status = 409, description = "`pre_checks_missing`, `pre_checks_incomplete`, `session_held`, `already_recorded`, `already_corrected`, `session_signed`, `session_not_today`, `session_cancelled`, `session_completed` or `course_not_active`", body = schema::ErrorBody),
        (status = 422, description = "`dose_confirmation_required`, `route_mismatch`, `out_of_range`, `note_required`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn record_administration(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<AdministrationBody>,
) -> Result<Json<SessionView>, WebError> {
    let input = AdministrationInput {
        route: b.route,
        dose_ordered_mg: b.dose_ordered_mg,
        dose_given_mg: b.dose_given_mg,
        lot: b.lot,
        started_at: b.started_at,
        ended_at: b.ended_at,
        confirm_reason: b.confirm_reason,
        corrects: b.corrects,
        correction_reason: b.correction_reason,
    };
    let result = state
        .app
        .record_administration(auth.actor(), id, input)
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Record when an infusion ended (once, after the administration).
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/infusion-end", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = InfusionEndBody,
    responses(
        (status = 200, description = "Recorded", body = schema::SessionView),
        (status = 409, description = "`administration_missing`, `already_recorded`, `session_signed` or `session_not_today`", body = schema::ErrorBody),
        (status = 422, description = "`out_of_range`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn record_infusion_end(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<InfusionEndBody>,
) -> Result<Json<SessionView>, WebError> {
    let result = state
        .app
        .record_infusion_end(auth.actor(), id, b.ended_at)
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Add a monitoring entry. A value outside the protocol's in-session limits raises an alert at
/// once (a finding on the session and `/today`).
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/monitoring", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = MonitoringBody,
    responses(
        (status = 201, description = "Added", body = schema::MonitoringEntry),
        (status = 409, description = "`session_not_today`, `session_cancelled` or `session_completed`", body = schema::ErrorBody),
        (status = 422, description = "`out_of_range`", body = schema::ErrorBody),
    )
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
        respiratory_rate: b.respiratory_rate,
        moaas: b.moaas,
        cadss: b.cadss,
        adverse_effects: b.adverse_effects,
    };
    let result = state.app.add_monitoring(auth.actor(), id, input).await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}

/// Record discharge once the protocol's discharge criteria are met (409
/// `discharge_criteria_unmet` lists the unmet ones); the session is completed.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/discharge", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = DischargeBody,
    responses(
        (status = 200, description = "Recorded", body = schema::SessionView),
        (status = 409, description = "`administration_missing`, `discharge_criteria_unmet`, `already_recorded`, `session_signed`, `session_not_today`, `session_cancelled` or `session_completed`", body = schema::ErrorBody),
        (status = 422, description = "`out_of_range`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn record_discharge(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<DischargeBody>,
) -> Result<Json<SessionView>, WebError> {
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

/// End a session exceptionally (clinicians): transfer to emergency care or left against
/// advice, with a reason, when the discharge criteria cannot be met. Flagged for admins.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/exceptional-end", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = ExceptionalEndBody,
    responses(
        (status = 200, description = "Recorded", body = schema::SessionView),
        (status = 409, description = "`session_not_started`, `session_not_today`, `already_recorded`, `session_signed`, `session_cancelled` or `session_completed`", body = schema::ErrorBody),
        (status = 422, description = "`note_required`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn record_exceptional_end(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<ExceptionalEndBody>,
) -> Result<Json<SessionView>, WebError> {
    let input = ExceptionalEndInput {
        kind: b.kind,
        reason: b.reason,
    };
    let result = state
        .app
        .record_exceptional_end(auth.actor(), id, input)
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Sign a completed session (clinicians): the record is locked; later changes are addenda.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/sign", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    responses(
        (status = 200, description = "Signed", body = schema::SessionView),
        (status = 409, description = "`session_not_completed` or `already_recorded`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn sign_session(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
) -> Result<Json<SessionView>, WebError> {
    let result = state.app.sign_session(auth.actor(), id).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Add an addendum to a session's record (the only change a signed record takes).
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/addenda", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = AddendumBody,
    responses(
        (status = 200, description = "Added", body = schema::SessionView),
        (status = 409, description = "`session_not_started`", body = schema::ErrorBody),
        (status = 422, description = "`missing_field`, `note_required`, `field_too_long`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn add_addendum(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<AddendumBody>,
) -> Result<Json<SessionView>, WebError> {
    let result = state
        .app
        .add_addendum(auth.actor(), id, &b.text, &b.reason)
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Release a gate of this session (clinicians): dosing goes ahead without the day's suicide
/// screen, for the reason in the note.
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/releases", tag = "safety",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = GateReleaseBody,
    responses(
        (status = 201, description = "Released", body = schema::Finding),
        (status = 409, description = "`nothing_to_release`, `finding_not_releasable` or `already_released`", body = schema::ErrorBody),
        (status = 422, description = "`note_required`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn release_gate(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<GateReleaseBody>,
) -> Result<(StatusCode, Json<Finding>), WebError> {
    let result = state
        .app
        .release_gate(auth.actor(), id, b.kind, &b.note)
        .await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}

/// Mark a session cancelled or not attended, or scheduled again (not once its record has
/// begun).
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/status", tag = "sessions",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = StatusBody,
    responses(
        (status = 200, description = "Changed", body = schema::SessionView),
        (status = 409, description = "`session_completed`, `session_started`, `already_booked` or `course_not_active`", body = schema::ErrorBody),
        (status = 422, description = "`invalid_status`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn set_status(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(b): ApiJson<StatusBody>,
) -> Result<Json<SessionView>, WebError> {
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
