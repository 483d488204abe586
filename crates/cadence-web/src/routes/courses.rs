//! Courses: started on a protocol, read with their plan, suggestion and forecasts; booking
//! sessions; clinicians' decisions.

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath};
use crate::schema;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cadence_app::courses::CourseView;
use cadence_app::ids::{CourseId, FindingId, PatientId};
use cadence_app::records::{Course, DecisionRecord};
use cadence_app::treatment_sessions::SessionView;
use cadence_clinical::decision::Decision;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;

/// A course to start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseBody {
    /// A built-in protocol id: `iv-ketamine-6` or `esketamine-label`.
    pub protocol: String,
    /// The first day, `YYYY-MM-DD`; not in the past, at most 52 weeks ahead.
    pub start_date: Date,
    /// `HH:MM`: the time the induction sessions are booked at where a chair is free that day
    /// (else the day's first open slot); default each day's first open slot.
    pub start_time: Option<String>,
    /// The clinician's reason for starting on a screening that needs review (relative or
    /// programme reasons only; a `not_eligible` screening never starts a course).
    pub screening_override: Option<String>,
}

/// A slot to book.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingBody {
    /// An open day of the clinic, not in the past, at most 52 weeks ahead, not before the
    /// course starts, and not a day the patient has a session already.
    pub date: Date,
    /// `HH:MM` in the clinic's time zone; default the day's first open slot. The session
    /// (the clinic's length, or the protocol's observation time if longer) must end by
    /// closing.
    pub start_time: Option<String>,
    /// A chair (1 to the clinic's chairs); default the lowest free one.
    pub chair: Option<u16>,
    /// Why this day, when it departs from the plan (shown with the plan).
    pub reason: Option<String>,
}

/// A clinician's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// What was decided.
    #[schema(value_type = schema::Decision)]
    pub decision: Decision,
    /// Why, for the record (at most 4000 characters); required when `releases` names a
    /// finding.
    pub note: Option<String>,
    /// Open safety findings this decision releases (their ids), with the note as the release.
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub releases: Vec<FindingId>,
}

/// A patient's courses, newest first.
#[utoipa::path(
    get, path = "/api/v1/patients/{id}/courses", tag = "courses",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    responses((status = 200, description = "Courses", body = Vec<schema::Course>))
)]
pub(crate) async fn list_courses(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(patient): ApiPath<PatientId>,
) -> Result<Json<Vec<Course>>, WebError> {
    let result = state.app.list_courses(auth.actor(), patient).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Start a course; its induction sessions are booked as planned. Needs the patient's latest
/// screening for the route, recent enough for the protocol, to be `eligible` (or
/// `needs_review` with `screening_override`).
#[utoipa::path(
    post, path = "/api/v1/patients/{id}/courses", tag = "courses",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Patient id")),
    request_body = CourseBody,
    responses(
        (status = 201, description = "Started", body = schema::Course),
        (status = 409, description = "`screening_required`, `screening_out_of_date`, `screening_needs_review` or `screening_not_eligible`", body = schema::ErrorBody),
        (status = 422, description = "`unknown_protocol`, `start_in_past`, `out_of_range` or `unplannable`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn create_course(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(patient): ApiPath<PatientId>,
    ApiJson(body): ApiJson<CourseBody>,
) -> Result<(StatusCode, Json<Course>), WebError> {
    let result = state
        .app
        .create_course(
            auth.actor(),
            patient,
            &body.protocol,
            body.start_date,
            body.start_time.as_deref(),
            body.screening_override.as_deref(),
        )
        .await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}

/// A course with its sessions, dated plan, suggestion, forecasts and decisions, as of today
/// in the clinic.
#[utoipa::path(
    get, path = "/api/v1/courses/{id}", tag = "courses",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, description = "The course", body = schema::CourseView))
)]
pub(crate) async fn get_course(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<CourseId>,
) -> Result<Json<CourseView>, WebError> {
    let result = state.app.get_course(auth.actor(), id).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Book a session in a course (never on a paused or discontinued course).
#[utoipa::path(
    post, path = "/api/v1/courses/{id}/sessions", tag = "courses",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Course id")),
    request_body = BookingBody,
    responses(
        (status = 201, description = "Booked", body = schema::SessionView),
        (status = 409, description = "`course_not_active`, `already_booked`, `slot_full` or `chair_taken`", body = schema::ErrorBody),
        (status = 422, description = "`date_in_past`, `clinic_closed`, `outside_opening_hours`, `invalid_time`, `before_course_start`, `booking_reason_required` or `out_of_range`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn book_session(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(course): ApiPath<CourseId>,
    ApiJson(body): ApiJson<BookingBody>,
) -> Result<(StatusCode, Json<SessionView>), WebError> {
    let result = state
        .app
        .book_session(
            auth.actor(),
            course,
            cadence_app::schedule::SlotRequest {
                date: body.date,
                start_time: body.start_time.clone(),
                chair: body.chair,
            },
            body.reason.as_deref(),
        )
        .await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}

/// A course's decisions, in the order recorded.
#[utoipa::path(
    get, path = "/api/v1/courses/{id}/decisions", tag = "courses",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, description = "Decisions", body = Vec<schema::DecisionRecord>))
)]
pub(crate) async fn list_decisions(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(course): ApiPath<CourseId>,
) -> Result<Json<Vec<DecisionRecord>>, WebError> {
    let result = state.app.list_decisions(auth.actor(), course).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Record a decision (clinicians only), releasing the safety findings it names. The engine's
/// suggestion at that moment is stored beside it.
#[utoipa::path(
    post, path = "/api/v1/courses/{id}/decisions", tag = "courses",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Course id")),
    request_body = DecisionBody,
    responses(
        (status = 201, description = "Recorded", body = schema::DecisionRecord),
        (status = 409, description = "`course_not_started`, `already_released` or `finding_not_releasable`", body = schema::ErrorBody),
        (status = 422, description = "`note_required`, `field_too_long` or `invalid_characters`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn record_decision(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(course): ApiPath<CourseId>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<(StatusCode, Json<DecisionRecord>), WebError> {
    let result = state
        .app
        .record_decision(
            auth.actor(),
            course,
            body.decision,
            body.note.as_deref(),
            &body.releases,
        )
        .await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}
