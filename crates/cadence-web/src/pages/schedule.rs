//! `/schedule?date=YYYY-MM-DD[&view=week]`: the clinic's day or week (issue 16 §1), each
//! session with its time, chair and patient, the open slots, and front desk's "to move" list;
//! forms to move, cancel and rebook a session, and to book one from the chart. Everything is
//! [`cadence_app::App::schedule`] and the booking services; the page only lays it out.

use super::clinical_forms::support::Fields;
use super::today::service_error;
use super::{Chrome, PageAuth, PageError, render, safe_next};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cadence_app::authz::Permission;
use cadence_app::ids::{CourseId, TreatmentSessionId};
use cadence_app::records::SessionStatus;
use cadence_app::schedule::{ScheduleView, SlotRequest, week_start};
use cadence_app::{AppError, ErrorCode};
use cadence_clinical::schedule::format_time;
use jiff::civil::Date;
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/schedule", get(schedule))
        .route("/schedule/courses/{id}/book", post(book))
        .route("/schedule/sessions/{id}/move", post(move_session))
        .route("/schedule/sessions/{id}/cancel", post(cancel))
        .route("/schedule/sessions/{id}/rebook", post(rebook))
}

#[derive(Debug, Deserialize)]
struct ScheduleQuery {
    date: Option<String>,
    view: Option<String>,
}

struct EntryRow {
    id: i64,
    patient_id: i64,
    name: String,
    time: String,
    minutes: u16,
    chair: String,
    status: &'static str,
    cancelled: bool,
    movable: bool,
    to_move: Option<String>,
}

struct DayRow {
    date: Date,
    label: String,
    open: bool,
    hours: String,
    entries: Vec<EntryRow>,
    slots: String,
}

struct MoveRow {
    id: i64,
    patient_id: i64,
    name: String,
    date: Date,
    time: String,
    message: String,
}

#[derive(Template)]
#[template(path = "schedule.html")]
struct SchedulePage {
    chrome: Chrome,
    week: bool,
    title: String,
    date: Date,
    prev: Date,
    next: Date,
    days: Vec<DayRow>,
    to_move: Vec<MoveRow>,
    can_schedule: bool,
    back: String,
    chairs: u16,
}

fn status_words(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Scheduled => "scheduled",
        SessionStatus::InProgress => "in progress",
        SessionStatus::Completed => "completed",
        SessionStatus::Cancelled => "cancelled",
        SessionStatus::NoShow => "not attended",
        SessionStatus::Held => "held",
    }
}

fn page(chrome: Chrome, view: ScheduleView, date: Date, week: bool, can: bool) -> SchedulePage {
    let step = if week { 7 } else { 1 };
    let shift = |n: i64| date.checked_add(jiff::Span::new().days(n)).unwrap_or(date);
    let days = view
        .days
        .into_iter()
        .map(|d| DayRow {
            label: d.date.strftime("%A %-d %B %Y").to_string(),
            open: d.open,
            hours: format!("{}–{}", d.opens, d.closes),
            slots: d
                .open_slots
                .iter()
                .map(|s| format!("{} ({} free)", format_time(s.start), s.free_chairs))
                .collect::<Vec<_>>()
                .join(", "),
            entries: d
                .sessions
                .into_iter()
                .map(|e| EntryRow {
                    id: e.session.id.0,
                    patient_id: e.patient_id.0,
                    name: e.patient_name,
                    time: format_time(e.session.starts_at),
                    minutes: e.session.minutes,
                    chair: e.session.chair.map_or("—".into(), |c| c.to_string()),
                    status: status_words(e.session.status),
                    cancelled: matches!(
                        e.session.status,
                        SessionStatus::Cancelled | SessionStatus::NoShow
                    ),
                    movable: e.session.status == SessionStatus::Scheduled
                        && e.session.entries.is_empty()
                        && e.session.scheduled_on >= view.today,
                    to_move: e.to_move,
                })
                .collect(),
            date: d.date,
        })
        .collect();
    let to_move = view
        .to_move
        .into_iter()
        .map(|m| MoveRow {
            id: m.session_id.0,
            patient_id: m.patient_id.0,
            name: m.patient_name,
            date: m.date,
            time: m.start_time,
            message: m.message,
        })
        .collect();
    SchedulePage {
        chrome,
        week,
        title: if week {
            format!("Week of {}", date.strftime("%-d %B %Y"))
        } else {
            date.strftime("%A %-d %B %Y").to_string()
        },
        date,
        prev: shift(-step),
        next: shift(step),
        days,
        to_move,
        can_schedule: can,
        back: format!(
            "/schedule?date={date}{}",
            if week { "&view=week" } else { "" }
        ),
        chairs: view.chairs,
    }
}

async fn schedule(
    State(state): State<AppState>,
    auth: PageAuth,
    Query(q): Query<ScheduleQuery>,
) -> Result<Response, PageError> {
    let today = match state.app.clinic_today(auth.actor()).await {
        Ok(d) => d,
        Err(e) => return Err(service_error(&state, &auth, e, "GET /schedule").await),
    };
    let date = q
        .date
        .as_deref()
        .and_then(|d| d.parse::<Date>().ok())
        .unwrap_or(today);
    let week = q.view.as_deref() == Some("week");
    let (from, n) = if week {
        (week_start(date), 7)
    } else {
        (date, 1)
    };
    let view = match state.app.schedule(auth.actor(), from, n).await {
        Ok(v) => v,
        Err(e) => return Err(service_error(&state, &auth, e, "GET /schedule").await),
    };
    let can = auth.can(Permission::Schedule);
    Ok(render(&page(auth.chrome, view, from, week, can)))
}

/// The slot fields of a form: `date` (required), `start_time`, `chair`.
fn slot(fields: &Fields) -> Result<SlotRequest, AppError> {
    let text = fields.get("date").unwrap_or_default();
    let date = text.parse::<Date>().map_err(|_| {
        AppError::invalid(
            ErrorCode::InvalidDate,
            format!("date `{text}` is not a date (YYYY-MM-DD)"),
        )
    })?;
    let chair = match fields.get("chair") {
        None => None,
        Some(c) => Some(c.parse::<u16>().map_err(|_| {
            AppError::invalid(
                ErrorCode::OutOfRange,
                format!("chair `{c}` is not a number"),
            )
        })?),
    };
    Ok(SlotRequest {
        date,
        start_time: fields.get("start_time").map(str::to_owned),
        chair,
    })
}

/// Where to go after a form: the page it came from (an allowed page), else the schedule.
fn back(fields: &Fields) -> String {
    let next = fields.get("back").unwrap_or("/schedule");
    let safe = safe_next(next);
    if safe == "/today" && next != "/today" {
        "/schedule".to_owned()
    } else {
        safe.to_owned()
    }
}

fn id_of(text: &str, chrome: &Chrome) -> Result<i64, PageError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| PageError::not_found(chrome.clone()))
}

async fn finish<T>(
    state: &AppState,
    auth: &PageAuth,
    fields: &Fields,
    result: Result<T, AppError>,
    route: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&back(fields)).into_response()),
        Err(e) => Err(service_error(state, auth, e, route).await),
    }
}

async fn book(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let course = CourseId(id_of(&id, &auth.chrome)?);
    let result = match slot(&fields) {
        Ok(to) => {
            state
                .app
                .book_session(auth.actor(), course, to, fields.get("reason"))
                .await
        }
        Err(e) => Err(e),
    };
    finish(
        &state,
        &auth,
        &fields,
        result,
        "POST /schedule/courses/{id}/book",
    )
    .await
}

async fn move_session(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let session = TreatmentSessionId(id_of(&id, &auth.chrome)?);
    let result = match slot(&fields) {
        Ok(to) => {
            state
                .app
                .move_session(auth.actor(), session, to, fields.get("reason"))
                .await
        }
        Err(e) => Err(e),
    };
    finish(
        &state,
        &auth,
        &fields,
        result,
        "POST /schedule/sessions/{id}/move",
    )
    .await
}

async fn cancel(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let session = TreatmentSessionId(id_of(&id, &auth.chrome)?);
    let result = state
        .app
        .set_session_status(auth.actor(), session, SessionStatus::Cancelled)
        .await;
    finish(
        &state,
        &auth,
        &fields,
        result,
        "POST /schedule/sessions/{id}/cancel",
    )
    .await
}

async fn rebook(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let session = TreatmentSessionId(id_of(&id, &auth.chrome)?);
    let result = match slot(&fields) {
        Ok(to) => {
            state
                .app
                .rebook_session(auth.actor(), session, to, fields.get("reason"))
                .await
        }
        Err(e) => Err(e),
    };
    finish(
        &state,
        &auth,
        &fields,
        result,
        "POST /schedule/sessions/{id}/rebook",
    )
    .await
}
