//! The schedule (issue 16 §1): the clinic's days and weeks with times, chairs and open slots,
//! the "to move" list, and moving and rebooking a session. Booking is
//! `POST /api/v1/courses/{id}/sessions`; cancelling is `POST /api/v1/sessions/{id}/status`.

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::schema;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cadence_app::ids::TreatmentSessionId;
use cadence_app::schedule::{ScheduleView, SlotRequest, ToMove, week_start};
use cadence_app::treatment_sessions::SessionView;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// A day or a week of the schedule.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DaysQuery {
    /// `YYYY-MM-DD`; default today in the clinic.
    pub date: Option<Date>,
    /// `day` (default) or `week` (Monday to Sunday of the week `date` falls in).
    pub view: Option<View>,
}

/// How much of the schedule.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// One day.
    Day,
    /// The week (Monday first).
    Week,
}

/// Where a session goes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotBody {
    /// The day: open, not in the past, at most 52 weeks ahead, not before the course starts.
    pub date: Date,
    /// `HH:MM` in the clinic's time zone; default the day's first open slot. The session
    /// (the clinic's length, or the protocol's observation time if longer) must end by
    /// closing.
    pub start_time: Option<String>,
    /// A chair (1 to the clinic's chairs); default the lowest free one.
    pub chair: Option<u16>,
    /// Why this day, when it departs from the plan.
    pub reason: Option<String>,
}

impl SlotBody {
    pub(crate) fn request(&self) -> SlotRequest {
        SlotRequest {
            date: self.date,
            start_time: self.start_time.clone(),
            chair: self.chair,
        }
    }
}

/// The schedule for a day or a week: each day's sessions with time, chair and patient (front
/// desk: bookings only), its open slots, and the clinic's to-move list.
#[utoipa::path(
    get, path = "/api/v1/schedule/days", tag = "schedule",
    security(("bearer" = []), ("cookie" = [])),
    params(DaysQuery),
    responses((status = 200, description = "The schedule", body = schema::ScheduleView))
)]
pub(crate) async fn days(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<DaysQuery>,
) -> Result<Json<ScheduleView>, WebError> {
    let date = match query.date {
        Some(date) => date,
        None => {
            let today = state.app.clinic_today(auth.actor()).await;
            auth.done(&state, today).await?
        }
    };
    let (from, n) = match query.view {
        Some(View::Week) => (week_start(date), 7),
        _ => (date, 1),
    };
    let result = state.app.schedule(auth.actor(), from, n).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Booked sessions from today that no longer fit (a closed day, the opening hours, a
/// clinician's decision that changed the plan), with the reason, for front desk to move.
#[utoipa::path(
    get, path = "/api/v1/schedule/to-move", tag = "schedule",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Sessions to move", body = Vec<schema::ToMove>))
)]
pub(crate) async fn to_move(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<ToMove>>, WebError> {
    let result = state.app.to_move(auth.actor()).await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Move a scheduled session to another day, time or chair (checked like a booking).
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/move", tag = "schedule",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "Treatment session id")),
    request_body = SlotBody,
    responses(
        (status = 200, description = "Moved", body = schema::SessionView),
        (status = 409, description = "`session_not_scheduled`, `already_booked`, `slot_full`, `chair_taken` or `course_not_active`", body = schema::ErrorBody),
        (status = 422, description = "`date_in_past`, `clinic_closed`, `outside_opening_hours`, `invalid_time`, `before_course_start`, `booking_reason_required` or `out_of_range`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn move_session(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(body): ApiJson<SlotBody>,
) -> Result<Json<SessionView>, WebError> {
    let result = state
        .app
        .move_session(auth.actor(), id, body.request(), body.reason.as_deref())
        .await;
    Ok(Json(auth.done(&state, result).await?))
}

/// Rebook a cancelled or missed session: a new session of its course on the slot given (the
/// cancelled one stays in the record).
#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/rebook", tag = "schedule",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = i64, Path, description = "The cancelled or missed treatment session's id")),
    request_body = SlotBody,
    responses(
        (status = 201, description = "Booked", body = schema::SessionView),
        (status = 409, description = "`session_not_cancelled`, `already_booked`, `slot_full`, `chair_taken` or `course_not_active`", body = schema::ErrorBody),
        (status = 422, description = "`date_in_past`, `clinic_closed`, `outside_opening_hours`, `invalid_time`, `before_course_start`, `booking_reason_required` or `out_of_range`", body = schema::ErrorBody),
    )
)]
pub(crate) async fn rebook_session(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TreatmentSessionId>,
    ApiJson(body): ApiJson<SlotBody>,
) -> Result<(StatusCode, Json<SessionView>), WebError> {
    let result = state
        .app
        .rebook_session(auth.actor(), id, body.request(), body.reason.as_deref())
        .await;
    Ok((StatusCode::CREATED, Json(auth.done(&state, result).await?)))
}
