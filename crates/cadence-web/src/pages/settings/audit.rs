//! `/settings/audit`: the clinic's audit log for admins (issue 16 §7), filtered by day, patient
//! and user, and the same rows as CSV (`/settings/audit.csv`). The rows come from
//! [`cadence_app::App::clinic_audit`], which keeps to the admin's clinic and audits the view.

use crate::AppState;
use crate::pages::today::service_error;
use crate::pages::{Chrome, PageAuth, PageError, percent_encode, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cadence_app::audit_log::{AuditFilter, to_csv};
use cadence_app::ids::{PatientId, UserId};
use cadence_app::{AppError, ErrorCode};
use jiff::civil::Date;
use serde::Deserialize;

/// Most rows the page shows (the CSV has them all).
const SHOWN: usize = 500;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AuditQuery {
    from: String,
    to: String,
    patient: String,
    user: String,
}

struct Row {
    seq: i64,
    at: String,
    user: String,
    action: &'static str,
    object: String,
    patient: String,
    outcome: &'static str,
}

#[derive(Template)]
#[template(path = "settings_audit.html")]
struct AuditPage {
    chrome: Chrome,
    from: String,
    to: String,
    patient: String,
    users: Vec<(i64, String, bool)>,
    rows: Vec<Row>,
    total: usize,
    problem: Option<String>,
    csv_link: String,
}

/// The filter as typed, or what to fix. Blank days mean the last seven days.
fn filter(q: &AuditQuery, today: Date) -> Result<AuditFilter, AppError> {
    let day = |text: &str, default: Date, what: &str| match text.trim() {
        "" => Ok(default),
        t => t.parse::<Date>().map_err(|_| {
            AppError::invalid(
                ErrorCode::MalformedRequest,
                format!("the {what} day must be a date (YYYY-MM-DD)"),
            )
        }),
    };
    let id = |text: &str, what: &str| match text.trim() {
        "" => Ok(None),
        t => t
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| {
                AppError::invalid(
                    ErrorCode::MalformedRequest,
                    format!("the {what} must be a number (the id in its address)"),
                )
            }),
    };
    Ok(AuditFilter {
        from: day(
            &q.from,
            today.saturating_sub(jiff::Span::new().days(6)),
            "first",
        )?,
        to: day(&q.to, today, "last")?,
        patient: id(&q.patient, "patient")?.map(PatientId),
        user: id(&q.user, "user")?.map(UserId),
    })
}

pub(super) async fn view(
    State(state): State<AppState>,
    auth: PageAuth,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    const ROUTE: &str = "GET /settings/audit";
    let app = &state.app;
    let actor = auth.actor();
    let (today, staff) = match async {
        Ok::<_, AppError>((app.clinic_today(actor).await?, app.list_users(actor).await?))
    }
    .await
    {
        Ok(v) => v,
        Err(e) => return Err(service_error(&state, &auth, e, ROUTE).await),
    };
    let result = match filter(&q, today) {
        Ok(f) => app.clinic_audit(actor, f).await.map(|rows| (f, rows)),
        Err(e) => Err(e),
    };
    let (status, problem, filter, rows) = match result {
        Ok((f, rows)) => (StatusCode::OK, None, Some(f), rows),
        Err(e @ AppError::Invalid { .. }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(e.to_string()),
            None,
            Vec::new(),
        ),
        Err(e) => return Err(service_error(&state, &auth, e, ROUTE).await),
    };
    let tz = app
        .clinic_time_zone(actor)
        .await
        .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?;
    let email = |id: Option<UserId>| match id {
        Some(id) => staff
            .iter()
            .find(|u| u.id == id)
            .map_or_else(|| format!("user {id}"), |u| u.email.clone()),
        None => "system".to_owned(),
    };
    let total = rows.len();
    let shown: Vec<Row> = rows
        .iter()
        .rev()
        .take(SHOWN)
        .map(|r| {
            let e = &r.event;
            Row {
                seq: r.seq,
                at: e
                    .at
                    .to_zoned(tz.clone())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                user: email(e.actor_id),
                action: e.action.as_str(),
                object: match &e.object_id {
                    Some(id) => format!("{} {id}", e.object_type.as_str()),
                    None => e.object_type.as_str().to_owned(),
                },
                patient: e.patient_id.map(|p| p.to_string()).unwrap_or_default(),
                outcome: e.outcome.as_str(),
            }
        })
        .collect();
    let (from, to) = match filter {
        Some(f) => (f.from.to_string(), f.to.to_string()),
        None => (q.from.clone(), q.to.clone()),
    };
    let csv_link = format!(
        "/settings/audit.csv?from={}&to={}&patient={}&user={}",
        percent_encode(&from),
        percent_encode(&to),
        percent_encode(q.patient.trim()),
        percent_encode(q.user.trim())
    );
    let page = AuditPage {
        chrome: auth.chrome.clone(),
        users: staff
            .iter()
            .map(|u| (u.id.0, u.email.clone(), q.user.trim() == u.id.0.to_string()))
            .collect(),
        from,
        to,
        patient: q.patient.trim().to_owned(),
        rows: shown,
        total,
        problem,
        csv_link,
    };
    Ok((status, render(&page)).into_response())
}

/// The same rows as RFC 4180 CSV (spreadsheet formulas neutralised).
pub(super) async fn csv(
    State(state): State<AppState>,
    auth: PageAuth,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    const ROUTE: &str = "GET /settings/audit.csv";
    let app = &state.app;
    let actor = auth.actor();
    let result = async {
        let today = app.clinic_today(actor).await?;
        app.clinic_audit(actor, filter(&q, today)?).await
    }
    .await;
    match result {
        Ok(rows) => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"audit.csv\"",
                ),
            ],
            to_csv(&rows),
        )
            .into_response()),
        Err(e) => Err(service_error(&state, &auth, e, ROUTE).await),
    }
}
