//! The patient's chart (`GET /patients/{id}`) and the clinician's decision form on it
//! (`POST /patients/{id}/courses/{course_id}/decisions`).
//!
//! The chart reads the patient, their assessments and safety findings (clinical roles only),
//! their courses, and the latest course's view (plan, suggestion, forecasts, decisions). Front
//! desk sees demographics, the plan's dates and booked sessions: no scores, findings,
//! suggestion or decisions. Each open safety finding is one `role="alert"` line at the top;
//! the decision form lists them to release with the decision (a note is then required), and
//! the findings section shows who released which.
//!
//! Files: [`view`] (scores and alerts), [`course`] (plan, suggestion, forecasts, decisions),
//! [`trajectory`] (the score chart), [`labels`] (words for ids, shared with the other clinical
//! pages).

mod course;
pub(in crate::pages) mod labels;
mod trajectory;
mod view;

use super::clinical_forms::screening::{Outcome, outcome_of};
use super::clinical_forms::support::{Fields, age_on, date_time, fail};
use super::{Chrome, PageAuth, PageError, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cadence_app::authz::Permission;
use cadence_app::ids::{CourseId, FindingId, PatientId};
use cadence_app::{AppError, ErrorCode};
use cadence_clinical::decision::Decision;
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::route::Route;
use course::{CourseBlock, DecisionOption};
use jiff::civil::Date;
use serde::Deserialize;
use trajectory::Trajectory;
use view::ScoreRow;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/patients/{id}", get(chart))
        .route("/patients/{id}/courses/{course_id}/decisions", post(decide))
        .route("/courses/{id}/protocol", get(course_protocol))
}

#[derive(Template)]
#[template(path = "course_protocol.html")]
struct CourseProtocolPage {
    chrome: Chrome,
    id: String,
    version: u32,
    title: String,
    resolved: String,
}

/// The protocol frozen with a course, every value with its source: where a suggestion's
/// "source" disclosure leads (issue 16 §6).
async fn course_protocol(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let course = CourseId(path_id(&id, &auth.chrome)?);
    match state.app.course_protocol(auth.actor(), course).await {
        Ok(p) => Ok(render(&CourseProtocolPage {
            chrome: auth.chrome.clone(),
            id: p.id.clone(),
            version: p.version,
            title: p.title.clone(),
            resolved: super::settings::wrap(&p.describe(), super::settings::PRE_COLUMNS),
        })),
        Err(e) => Err(fail(&state, &auth, "GET /courses/{id}/protocol", e).await),
    }
}

/// A record id from the path; anything else is the page-level 404.
pub(in crate::pages) fn path_id(text: &str, chrome: &Chrome) -> Result<i64, PageError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| PageError::not_found(chrome.clone()))
}

#[derive(Template)]
#[template(path = "chart.html")]
struct ChartPage {
    chrome: Chrome,
    patient_id: i64,
    name: String,
    mrn: String,
    birth_date: Date,
    age: i16,
    sex: &'static str,
    clinical: bool,
    alerts: Vec<String>,
    saved: Option<ScoreRow>,
    latest: Vec<ScoreRow>,
    rows: Vec<ScoreRow>,
    trajectory: Option<Trajectory>,
    course: Option<CourseBlock>,
    earlier_courses: Vec<(i64, String, Date)>,
    instruments: Vec<(&'static str, &'static str)>,
    can_screen: bool,
    can_start_course: bool,
    /// Front desk and nurses book, move, cancel and rebook (issue 16 §1).
    can_schedule: bool,
    can_decide: bool,
    decision_options: Vec<DecisionOption>,
    note: String,
    problem: Option<String>,
    findings: Vec<FindingRow>,
    has_open_findings: bool,
    /// The weight with the day it was taken.
    weight: Option<String>,
    /// Contact details, each as (label, value); only the recorded ones.
    contact: Vec<(&'static str, String)>,
    /// Front desk and clinicians edit demographics and contact details.
    can_edit: bool,
    /// "Details saved." after an edit.
    details_saved: bool,
    /// The latest screening with its reasons (clinical roles).
    screening: Option<Outcome>,
    /// Earlier screenings: id, day, decision.
    earlier_screenings: Vec<(i64, String, &'static str)>,
    /// The REMS enrolment in words, for an esketamine course (clinical roles).
    rems: Option<String>,
}

/// A safety finding on the chart: open (to release with a decision) or released (by whom).
#[derive(Debug, Clone)]
struct FindingRow {
    id: i64,
    label: &'static str,
    detail: String,
    found: String,
    open: bool,
    releasable: bool,
    release: String,
    checked: bool,
}

/// What a re-rendered chart keeps from a refused decision form.
#[derive(Debug, Default)]
struct DecisionDraft {
    chosen: Option<Decision>,
    note: String,
    releases: Vec<i64>,
    problem: Option<String>,
}

async fn build(
    state: &AppState,
    auth: &PageAuth,
    route: &str,
    patient_id: PatientId,
    saved: Option<i64>,
    details_saved: bool,
    draft: DecisionDraft,
) -> Result<ChartPage, PageError> {
    let app = &state.app;
    let actor = auth.actor();
    let patient = match app.get_patient(actor, patient_id).await {
        Ok(p) => p,
        Err(e) => return Err(fail(state, auth, route, e).await),
    };
    let today = app
        .clinic_today(actor)
        .await
        .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?;
    let clinical = auth.can(Permission::ReadClinical);
    let assessments = if clinical {
        app.list_assessments(actor, patient_id)
            .await
            .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?
    } else {
        Vec::new()
    };
    let courses = app
        .list_courses(actor, patient_id)
        .await
        .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?;
    let latest_view = match courses.first() {
        Some(c) => Some(
            app.get_course(actor, c.id)
                .await
                .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?,
        ),
        None => None,
    };
    let course = latest_view.as_ref().map(course::course_block);

    let error = |e| PageError::from_app(e, auth.chrome.clone());
    let (stored, names) = if clinical {
        (
            app.list_findings(actor, patient_id).await.map_err(error)?,
            app.staff_names(actor).await.map_err(error)?,
        )
    } else {
        (Vec::new(), Default::default())
    };
    let tz = app.clinic_time_zone(actor).await.map_err(error)?;
    let screenings = if clinical {
        app.list_screenings(actor, patient_id)
            .await
            .map_err(error)?
    } else {
        Vec::new()
    };
    let screening = screenings.first().map(outcome_of);
    let earlier_screenings = screenings
        .iter()
        .skip(1)
        .map(|s| {
            let o = outcome_of(s);
            (o.id, o.at, o.decision)
        })
        .collect();
    let rems = latest_view.as_ref().and_then(|v| {
        let esketamine = v.route == Route::Esketamine;
        match (&v.rems_enrolment, esketamine && clinical) {
            (Some(r), _) => Some(format!(
                "enrolled {} (REMS patient id {})",
                r.enrolled_on, r.rems_patient_id
            )),
            (None, true) => Some("not recorded: no esketamine session can start".to_owned()),
            (None, false) => None,
        }
    });
    let d = &patient.details;
    let weight = d.weight_kg.map(|w| match d.weight_measured_on {
        Some(on) => format!("{w} kg (taken {on})"),
        None => format!("{w} kg (date not recorded)"),
    });
    let c = &d.contact;
    let contact: Vec<(&'static str, String)> = [
        ("Phone", c.phone.clone()),
        ("Email", c.email.clone()),
        ("Address", c.address.clone()),
        (
            "Contact consent",
            Some(match c.contact_consent {
                Some(true) => "given".to_owned(),
                Some(false) => "refused".to_owned(),
                None => "not asked yet".to_owned(),
            }),
        ),
        (
            "Emergency contact",
            c.emergency_contact_name
                .clone()
                .map(|n| match &c.emergency_contact_phone {
                    Some(p) => format!("{n}, {p}"),
                    None => n,
                }),
        ),
        ("Referred by", c.referrer.clone()),
    ]
    .into_iter()
    .filter_map(|(label, v)| v.map(|v| (label, v)))
    .collect();
    // One alert per open finding (issue 16 §5), oldest first.
    let alerts: Vec<String> = stored
        .iter()
        .filter(|f| f.is_open())
        .map(|f| {
            format!(
                "{}: {} (found {}). Sessions are held until a clinician releases it.",
                f.kind.label(),
                f.detail,
                date_time(f.found_at, &tz)
            )
        })
        .collect();
    let mut findings: Vec<FindingRow> = stored
        .iter()
        .map(|f| FindingRow {
            id: f.id.0,
            label: f.kind.label(),
            detail: f.detail.clone(),
            found: date_time(f.found_at, &tz),
            open: f.is_open(),
            releasable: f.kind.releasable(),
            release: f.release.as_ref().map_or_else(String::new, |r| {
                format!(
                    "released by {} on {}: {}",
                    names
                        .get(&r.released_by)
                        .cloned()
                        .unwrap_or_else(|| format!("user {}", r.released_by)),
                    date_time(r.released_at, &tz),
                    r.note
                )
            }),
            checked: draft.releases.contains(&f.id.0),
        })
        .collect();
    // Open first, then the most recent releases.
    findings.sort_by_key(|f| (!f.open, std::cmp::Reverse(f.id)));
    let mut rows: Vec<ScoreRow> = assessments.iter().map(view::score_row).collect();
    rows.reverse();
    let saved = saved.and_then(|id| rows.iter().find(|r| r.id == id).cloned());
    let trajectory = clinical.then(|| view::chart_of(&assessments, latest_view.as_ref(), today));
    let suggestion = latest_view
        .as_ref()
        .and_then(|v| v.suggestion.as_ref())
        .map(|r| r.suggestion);
    let instruments = if auth.can(Permission::RecordAssessment) {
        InstrumentId::ALL
            .iter()
            .map(|i| (i.as_str(), labels::instrument_name(*i)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(ChartPage {
        chrome: auth.chrome.clone(),
        patient_id: patient.id.0,
        name: format!(
            "{} {}",
            patient.details.given_name, patient.details.family_name
        ),
        mrn: patient.details.mrn.clone(),
        birth_date: patient.details.birth_date,
        age: age_on(patient.details.birth_date, today),
        sex: patient.details.sex.as_str(),
        clinical,
        alerts,
        saved,
        latest: view::latest_scores(&assessments),
        rows,
        trajectory,
        can_schedule: auth.can(Permission::Schedule),
        can_start_course: auth.can(Permission::CreateCourse)
            && course.as_ref().is_none_or(|c| !c.active),
        earlier_courses: courses
            .iter()
            .skip(1)
            .map(|c| (c.id.0, c.protocol_id.clone(), c.start_date))
            .collect(),
        course,
        instruments,
        can_screen: auth.can(Permission::Screen),
        can_decide: auth.can(Permission::Decide),
        decision_options: course::decision_options(suggestion, draft.chosen),
        note: draft.note,
        problem: draft.problem,
        has_open_findings: findings.iter().any(|f| f.open),
        findings,
        weight,
        contact,
        can_edit: auth.can(Permission::WritePatients),
        details_saved,
        screening,
        earlier_screenings,
        rems,
    })
}

#[derive(Debug, Deserialize)]
struct ChartQuery {
    saved: Option<String>,
    saved_details: Option<String>,
}

async fn chart(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
    Query(q): Query<ChartQuery>,
) -> Result<Response, PageError> {
    let id = path_id(&id, &auth.chrome)?;
    let saved = q.saved.and_then(|s| s.parse().ok());
    let page = build(
        &state,
        &auth,
        "GET /patients/{id}",
        PatientId(id),
        saved,
        q.saved_details.is_some(),
        DecisionDraft::default(),
    )
    .await?;
    Ok(render(&page))
}

async fn decide(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path((id, course_id)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let route = "POST /patients/{id}/courses/{course_id}/decisions";
    let patient = PatientId(path_id(&id, &auth.chrome)?);
    let course = CourseId(path_id(&course_id, &auth.chrome)?);
    if !auth.can(Permission::Decide) {
        let err = AppError::Forbidden(Permission::Decide.phrase());
        return Err(fail(&state, &auth, route, err).await);
    }
    // The course must be this patient's (ids in the path must agree).
    let courses = match state.app.list_courses(auth.actor(), patient).await {
        Ok(c) => c,
        Err(e) => return Err(fail(&state, &auth, route, e).await),
    };
    if !courses.iter().any(|c| c.id == course) {
        return Err(PageError::not_found(auth.chrome.clone()));
    }
    let note = fields.text("note");
    let chosen = fields
        .get("decision")
        .and_then(|d| d.parse::<Decision>().ok());
    let releases: Vec<i64> = fields
        .all("release")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let ids: Vec<FindingId> = releases.iter().map(|id| FindingId(*id)).collect();
    let result = match chosen {
        Some(decision) => {
            state
                .app
                .record_decision(auth.actor(), course, decision, Some(&note), &ids)
                .await
        }
        None => Err(AppError::invalid(
            ErrorCode::UnknownDecision,
            "choose one of the decisions in the list",
        )),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/patients/{}#decisions", patient.0)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            let draft = DecisionDraft {
                chosen,
                note,
                releases,
                problem: Some(format!("{e} (error code {})", e.code())),
            };
            let page = build(&state, &auth, route, patient, None, false, draft).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(fail(&state, &auth, route, e).await),
    }
}
