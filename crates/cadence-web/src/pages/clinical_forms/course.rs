//! Starting a course: `GET /patients/{id}/courses/new`, the plan preview
//! (`GET /patients/{id}/courses/preview`, an htmx partial) and `POST /patients/{id}/courses`.
//!
//! The clinician picks a protocol and a start date and sees the proposed plan (session dates by
//! phase, review points, warnings) before anything is saved; the plan is computed by the same
//! planner and clinic calendar as the course will be ([`cadence_app::App::preview_course`]).
//! Without JavaScript, "Preview plan" is a plain GET of the page with the fields as query
//! parameters, which renders the same preview inline; the preview carries the form that saves.

use super::support::{Fields, fail};
use crate::AppState;
use crate::pages::chart::labels::review_label;
use crate::pages::chart::path_id;
use crate::pages::{Chrome, PageAuth, PageError, render};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use cadence_app::authz::Permission;
use cadence_app::ids::PatientId;
use cadence_app::{AppError, ErrorCode};
use cadence_clinical::planner::SessionKind;
use cadence_clinical::protocol;
use jiff::civil::Date;
use serde::Deserialize;

const NEW_ROUTE: &str = "GET /patients/{id}/courses/new";
const PREVIEW_ROUTE: &str = "GET /patients/{id}/courses/preview";
const POST_ROUTE: &str = "POST /patients/{id}/courses";

/// A protocol to choose.
#[derive(Debug, Clone)]
struct ProtocolChoice {
    id: &'static str,
    title: String,
    selected: bool,
}

/// The proposed plan, or why there is none.
#[derive(Debug, Clone)]
struct Preview {
    protocol_id: String,
    protocol_title: String,
    route: &'static str,
    start_date: String,
    /// Phase label and its sessions (number, date).
    phases: Vec<(&'static str, Vec<(u32, Date)>)>,
    reviews: Vec<(Date, &'static str)>,
    warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "course_preview.html")]
struct PreviewPartial {
    chrome: Chrome,
    patient_id: i64,
    preview: Option<Preview>,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "course_new.html")]
struct CoursePage {
    chrome: Chrome,
    patient_id: i64,
    patient_name: String,
    protocols: Vec<ProtocolChoice>,
    start_date: String,
    today: Date,
    preview: Option<Preview>,
    problem: Option<String>,
}

fn may_create(auth: &PageAuth) -> Result<(), AppError> {
    if auth.can(Permission::CreateCourse) {
        Ok(())
    } else {
        Err(AppError::Forbidden(Permission::CreateCourse.phrase()))
    }
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct PlanQuery {
    protocol: Option<String>,
    start_date: Option<String>,
}

/// The plan for the chosen protocol and date, without storing anything.
async fn preview(
    state: &AppState,
    auth: &PageAuth,
    protocol_id: &str,
    start: &str,
) -> Result<Preview, AppError> {
    let start_date: Date = start.trim().parse().map_err(|_| {
        AppError::invalid(
            ErrorCode::InvalidDate,
            format!("start date `{start}` is not a date (YYYY-MM-DD)"),
        )
    })?;
    let (protocol, plan) = state
        .app
        .preview_course(auth.actor(), protocol_id, start_date)
        .await?;
    let phases = SessionKind::ALL
        .iter()
        .map(|&kind| {
            let sessions: Vec<(u32, Date)> = plan
                .sessions
                .iter()
                .filter(|s| s.kind == kind)
                .map(|s| (s.number, s.date))
                .collect();
            (kind.label(), sessions)
        })
        .filter(|(_, s)| !s.is_empty())
        .collect();
    Ok(Preview {
        protocol_id: protocol.id.clone(),
        protocol_title: protocol.title.clone(),
        route: protocol.route.label(),
        start_date: start_date.to_string(),
        phases,
        reviews: plan
            .reviews
            .iter()
            .map(|r| (r.date, review_label(r.kind)))
            .collect(),
        warnings: plan.warnings,
    })
}

/// A preview, or the message explaining why there is none (a refusal is an error page).
async fn try_preview(
    state: &AppState,
    auth: &PageAuth,
    route: &str,
    q: &PlanQuery,
) -> Result<(Option<Preview>, Option<String>), PageError> {
    let (Some(p), Some(d)) = (q.protocol.as_deref(), q.start_date.as_deref()) else {
        return Ok((None, None));
    };
    match preview(state, auth, p, d).await {
        Ok(preview) => Ok((Some(preview), None)),
        Err(e @ AppError::Invalid { .. }) => {
            Ok((None, Some(format!("{e} (error code {})", e.code()))))
        }
        Err(e) => Err(fail(state, auth, route, e).await),
    }
}

async fn page(
    state: &AppState,
    auth: &PageAuth,
    route: &str,
    patient: PatientId,
    q: &PlanQuery,
    problem: Option<String>,
) -> Result<CoursePage, PageError> {
    let p = match state.app.get_patient(auth.actor(), patient).await {
        Ok(p) => p,
        Err(e) => return Err(fail(state, auth, route, e).await),
    };
    let today = state
        .app
        .clinic_today(auth.actor())
        .await
        .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?;
    let (preview, preview_problem) = if problem.is_some() {
        (None, None)
    } else {
        try_preview(state, auth, route, q).await?
    };
    let chosen = q.protocol.as_deref().unwrap_or_default();
    Ok(CoursePage {
        chrome: auth.chrome.clone(),
        patient_id: patient.0,
        patient_name: format!("{} {}", p.details.given_name, p.details.family_name),
        protocols: protocol::builtin_ids()
            .iter()
            .map(|id| ProtocolChoice {
                id,
                title: protocol::builtin(id).map_or_else(|| (*id).to_owned(), |p| p.title),
                selected: *id == chosen,
            })
            .collect(),
        start_date: q.start_date.clone().unwrap_or_else(|| today.to_string()),
        today,
        preview,
        problem: problem.or(preview_problem),
    })
}

pub(super) async fn form(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, PageError> {
    let patient = PatientId(path_id(&id, &auth.chrome)?);
    if let Err(e) = may_create(&auth) {
        return Err(fail(&state, &auth, NEW_ROUTE, e).await);
    }
    let page = page(&state, &auth, NEW_ROUTE, patient, &q, None).await?;
    Ok(render(&page))
}

pub(super) async fn preview_partial(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, PageError> {
    let patient = path_id(&id, &auth.chrome)?;
    if let Err(e) = may_create(&auth) {
        return Err(fail(&state, &auth, PREVIEW_ROUTE, e).await);
    }
    // Like every page under /patients/{id}: 404 for another clinic's or a missing patient, so
    // the preview does not answer for ids that are not the caller's (issue 15 §10).
    if let Err(e) = state
        .app
        .get_patient(auth.actor(), PatientId(patient))
        .await
    {
        return Err(fail(&state, &auth, PREVIEW_ROUTE, e).await);
    }
    let (preview, problem) = try_preview(&state, &auth, PREVIEW_ROUTE, &q).await?;
    Ok(render(&PreviewPartial {
        chrome: auth.chrome.clone(),
        patient_id: patient,
        preview,
        problem,
    }))
}

pub(super) async fn create(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let patient = PatientId(path_id(&id, &auth.chrome)?);
    let q = PlanQuery {
        protocol: fields.get("protocol").map(str::to_owned),
        start_date: fields.get("start_date").map(str::to_owned),
    };
    let start = q.start_date.as_deref().unwrap_or_default();
    let result = match start.parse::<Date>() {
        Ok(date) => {
            let protocol_id = q.protocol.as_deref().unwrap_or_default();
            state
                .app
                .create_course(
                    auth.actor(),
                    patient,
                    protocol_id,
                    date,
                    fields.get("start_time"),
                    fields.get("screening_override"),
                )
                .await
        }
        Err(_) if !auth.can(Permission::CreateCourse) => {
            Err(AppError::Forbidden(Permission::CreateCourse.phrase()))
        }
        Err(_) => Err(AppError::invalid(
            ErrorCode::InvalidDate,
            format!("start date `{start}` is not a date (YYYY-MM-DD)"),
        )),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/patients/{}", patient.0)).into_response()),
        Err(e @ AppError::Invalid { .. }) => {
            let problem = format!("{e} (error code {})", e.code());
            let page = page(&state, &auth, POST_ROUTE, patient, &q, Some(problem)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(fail(&state, &auth, POST_ROUTE, e).await),
    }
}
