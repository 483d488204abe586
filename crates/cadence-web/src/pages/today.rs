//! `/today`, the landing page after login: the day's sessions in booking order with their
//! status, the safety alerts a clinician must see (suicide-risk flags, blood-pressure holds,
//! overdue reviews), the reviews due and the assessments the protocols say to collect today or
//! overdue, all from [`cadence_app::App::today`].
//!
//! Front desk gets the schedule and "review due" without scores or reasons (the service leaves
//! them out). Admins have no patient access and land on `/settings`; researchers get a page of
//! the clinic's de-identified counts.

use super::{Chrome, PageAuth, PageError, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use cadence_app::audit::ObjectType;
use cadence_app::authz::Permission;
use cadence_app::records::{Role, SessionStatus};
use cadence_app::research::ResearchSummary;
use cadence_app::today::{AlertKind, TodayView};
use jiff::civil::Date;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/today", get(today))
        .route("/research", get(research))
}

/// A session on today's list.
struct SessionRow {
    id: i64,
    patient_id: i64,
    name: String,
    mrn: String,
    time: String,
    minutes: u16,
    status: &'static str,
    held: bool,
}

/// A safety alert.
struct AlertRow {
    kind: &'static str,
    patient_id: i64,
    name: String,
    message: String,
    href: String,
    link_text: &'static str,
}

/// A review due.
struct ReviewRow {
    patient_id: i64,
    name: String,
    what: &'static str,
    since: Date,
    overdue: bool,
    suggestion: Option<String>,
}

/// A patient's assessments due today or overdue.
struct DueRow {
    patient_id: i64,
    name: String,
    /// "PHQ-9 (before the session), GAD-7 (reassessment)".
    what: String,
    since: Date,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    chrome: Chrome,
    date: String,
    sessions: Vec<SessionRow>,
    alerts: Vec<AlertRow>,
    reviews: Vec<ReviewRow>,
    due: Vec<DueRow>,
    clinical: bool,
    can_register: bool,
    /// Clinicians get a one-click link to the chart's decision form.
    can_decide: bool,
    to_move: usize,
}

#[derive(Template)]
#[template(path = "today_research.html")]
struct ResearchPage {
    chrome: Chrome,
    summary: ResearchSummary,
}

/// A status id in words ("no_show" -> "no show").
fn status_words(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Scheduled => "scheduled",
        SessionStatus::InProgress => "in progress",
        SessionStatus::Completed => "completed",
        SessionStatus::Cancelled => "cancelled",
        SessionStatus::NoShow => "no show",
        SessionStatus::Held => "held",
    }
}

fn alert_words(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::SuicideRisk => "Suicide-risk flag",
        AlertKind::InSession => "In-session alert",
        AlertKind::BloodPressureHold => "Blood-pressure hold",
        AlertKind::Screening => "Screening",
        AlertKind::OverdueReview => "Overdue review",
    }
}

fn full_name(p: &cadence_app::records::Patient) -> String {
    format!("{}, {}", p.details.family_name, p.details.given_name)
}

fn page(chrome: Chrome, view: TodayView, can_register: bool, can_decide: bool) -> TodayPage {
    let sessions = view
        .sessions
        .iter()
        .map(|s| SessionRow {
            id: s.session.id.0,
            patient_id: s.patient.id.0,
            name: full_name(&s.patient),
            mrn: s.patient.details.mrn.clone(),
            time: cadence_clinical::schedule::format_time(s.session.starts_at),
            minutes: s.session.minutes,
            status: status_words(s.session.status),
            held: s.session.status == SessionStatus::Held,
        })
        .collect();
    let alerts = view
        .alerts
        .iter()
        .map(|a| {
            let (href, link_text) = match a.session_id {
                Some(id) => (format!("/sessions/{id}"), "Open the session"),
                None => (format!("/patients/{}", a.patient.id), "Open the chart"),
            };
            AlertRow {
                kind: alert_words(a.kind),
                patient_id: a.patient.id.0,
                name: full_name(&a.patient),
                message: a.message.clone(),
                href,
                link_text,
            }
        })
        .collect();
    let reviews = view
        .reviews_due
        .iter()
        .map(|r| ReviewRow {
            patient_id: r.patient.id.0,
            name: full_name(&r.patient),
            what: r.kind.label(),
            since: r.since,
            overdue: r.overdue,
            suggestion: r.suggestion.map(|s| s.as_str().replace('_', " ")),
        })
        .collect();
    let due = view
        .assessments_due
        .iter()
        .map(|a| DueRow {
            patient_id: a.patient.id.0,
            name: full_name(&a.patient),
            what: a
                .items
                .iter()
                .map(|i| {
                    format!(
                        "{} ({})",
                        i.instrument.name(),
                        i.reason.label().to_lowercase()
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
            since: a.items.iter().map(|i| i.due_on).min().unwrap_or(view.date),
            overdue: a.overdue(),
        })
        .collect();
    TodayPage {
        chrome,
        due,
        date: view.date.strftime("%A %-d %B %Y").to_string(),
        sessions,
        alerts,
        reviews,
        clinical: view.clinical,
        can_register,
        can_decide,
        to_move: view.to_move,
    }
}

async fn today(State(state): State<AppState>, auth: PageAuth) -> Result<Response, PageError> {
    match auth.actor().role {
        Role::Admin => return Ok(Redirect::to("/settings").into_response()),
        Role::Researcher => {
            let summary = match state.app.research_summary(auth.actor()).await {
                Ok(summary) => summary,
                Err(e) => return Err(service_error(&state, &auth, e, "GET /today").await),
            };
            return Ok(render(&ResearchPage {
                chrome: auth.chrome,
                summary,
            }));
        }
        Role::Clinician | Role::Nurse | Role::FrontDesk => {}
    }
    let view = match state.app.today(auth.actor()).await {
        Ok(view) => view,
        Err(e) => return Err(service_error(&state, &auth, e, "GET /today").await),
    };
    let can_register = auth.can(Permission::WritePatients);
    let can_decide = auth.can(Permission::Decide);
    Ok(render(&page(auth.chrome, view, can_register, can_decide)))
}

/// A service error as a page. A refusal by the permission matrix is first written to the audit
/// log as `denied` (ASVS 16.3.2), as the JSON API does; `route` is `METHOD /path/{template}`.
pub(super) async fn service_error(
    state: &AppState,
    auth: &PageAuth,
    err: cadence_app::AppError,
    route: &str,
) -> PageError {
    if let cadence_app::AppError::Forbidden(_) = err {
        // As the API records refusals: a read for GET, a create for POST (every form posts).
        let action = if route.starts_with("GET ") {
            cadence_app::audit::AuditAction::Read
        } else {
            cadence_app::audit::AuditAction::Create
        };
        if let Err(e) = state
            .app
            .record_denied(
                auth.actor(),
                action,
                ObjectType::Route,
                Some(route.to_owned()),
            )
            .await
        {
            tracing::error!(error = %e, "could not audit a denied page request");
        }
    }
    PageError::from_app(err, auth.chrome.clone())
}

/// `GET /research`: the de-identified research summary (researchers and admins; a researcher's
/// /today shows the same).
async fn research(State(state): State<AppState>, auth: PageAuth) -> Result<Response, PageError> {
    match state.app.research_summary(auth.actor()).await {
        Ok(summary) => Ok(render(&ResearchPage {
            chrome: auth.chrome,
            summary,
        })),
        Err(e) => Err(service_error(&state, &auth, e, "GET /research").await),
    }
}
