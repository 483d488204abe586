//! The live session record for the nurse: `GET /sessions/{id}` and its forms
//! (`POST /sessions/{id}/pre-checks`, `/administration`, `/monitoring`, `/discharge`,
//! `/status`), plus `GET /sessions/{id}/timers`, the small partial htmx polls to keep the due
//! checks current.
//!
//! Sections follow the session: pre-checks (with the protocol's blood-pressure threshold next
//! to the inputs, and a `role="alert"` hold when a reading is over it), administration, the
//! monitoring timeline with its timers, discharge criteria, and for esketamine the REMS Patient
//! Monitoring Form summary with the required fields still missing ([`rems`]). Front desk sees
//! the booking and may change its status; no vitals, doses or notes.
//!
//! Files: [`record`] (the forms' handlers), [`forms`] (reading them), [`view`] (timers,
//! timeline, discharge criteria), [`rems`] (the REMS summary).

mod forms;
mod record;
mod rems;
mod view;

use super::chart::labels::status_label;
use super::chart::path_id;
use super::clinical_forms::support::{Fields, age_on, clock, date_time, fail};
use super::{Chrome, PageAuth, PageError, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use cadence_app::authz::Permission;
use cadence_app::courses::CourseView;
use cadence_app::ids::TreatmentSessionId;
use cadence_app::records::{Patient, TreatmentSession, TreatmentSessionStatus};
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::protocol::Protocol;
use cadence_clinical::route::Route;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rems::RemsSummary;
use view::{Criterion, EntryRow, Timer};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions/{id}", get(show))
        .route("/sessions/{id}/timers", get(timers))
        .route("/sessions/{id}/pre-checks", post(record::pre_checks))
        .route(
            "/sessions/{id}/administration",
            post(record::administration),
        )
        .route("/sessions/{id}/monitoring", post(record::monitoring))
        .route("/sessions/{id}/discharge", post(record::discharge))
        .route("/sessions/{id}/status", post(record::status))
}

/// Pre-checks as recorded.
#[derive(Debug, Clone)]
struct PreView {
    identity: &'static str,
    fasting: &'static str,
    transport: &'static str,
    bp: String,
    over: bool,
    heart_rate: String,
    spo2: String,
    at: String,
}

/// Administration as recorded.
#[derive(Debug, Clone)]
struct AdminView {
    route: &'static str,
    ordered: String,
    given: String,
    lot: String,
    started: String,
}

/// Discharge as recorded.
#[derive(Debug, Clone)]
struct DischargeView {
    at: String,
    moaas: u8,
    bp: String,
    stable: &'static str,
    escort: &'static str,
    ready: String,
}

/// What a refused form keeps, per section.
#[derive(Debug, Clone, Default)]
struct Forms {
    pre: Fields,
    admin: Fields,
    monitoring: Fields,
    discharge: Fields,
}

/// The message of a refused form, per section.
#[derive(Debug, Clone, Default)]
struct Problems {
    pre: Option<String>,
    admin: Option<String>,
    monitoring: Option<String>,
    discharge: Option<String>,
    status: Option<String>,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    chrome: Chrome,
    id: i64,
    patient_id: i64,
    patient_name: String,
    mrn: String,
    birth_date: Date,
    age: i16,
    sex: &'static str,
    date: Date,
    status: &'static str,
    held: bool,
    completed: bool,
    protocol_title: String,
    route_label: &'static str,
    clinical: bool,
    can_record: bool,
    can_schedule: bool,
    threshold: Option<String>,
    pre: Option<PreView>,
    admin: Option<AdminView>,
    timers: Vec<Timer>,
    timeline: Vec<EntryRow>,
    dis: Option<DischargeView>,
    criteria: Vec<Criterion>,
    rems: Option<RemsSummary>,
    first_treatment: &'static str,
    routes: Vec<(&'static str, &'static str, bool)>,
    moaas_options: Vec<(u8, &'static str)>,
    effects: Vec<(&'static str, &'static str, bool)>,
    min_moaas: u8,
    forms: Forms,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "session_timers.html")]
struct TimersPartial {
    id: i64,
    timers: Vec<Timer>,
}

/// Everything the record shows, read once.
struct Loaded {
    session: TreatmentSession,
    course: CourseView,
    protocol: Option<Protocol>,
    tz: TimeZone,
    now: Timestamp,
}

async fn load(
    state: &AppState,
    auth: &PageAuth,
    route: &str,
    id: TreatmentSessionId,
) -> Result<Loaded, PageError> {
    let app = &state.app;
    let session = match app.get_session(auth.actor(), id).await {
        Ok(s) => s,
        Err(e) => return Err(fail(state, auth, route, e).await),
    };
    let error = |e| PageError::from_app(e, auth.chrome.clone());
    let course = app
        .get_course(auth.actor(), session.course_id)
        .await
        .map_err(error)?;
    let tz = app.clinic_time_zone(auth.actor()).await.map_err(error)?;
    Ok(Loaded {
        protocol: Protocol::from_toml(&course.course.protocol_text).ok(),
        session,
        course,
        tz,
        now: app.now(),
    })
}

fn yes(v: bool) -> &'static str {
    if v { "Yes" } else { "No" }
}

fn page(
    l: &Loaded,
    patient: &Patient,
    auth: &PageAuth,
    forms: Forms,
    problems: Problems,
) -> SessionPage {
    let s = &l.session;
    let safety = l.protocol.as_ref().map(|p| &p.safety);
    let bp_max = safety.and_then(|x| x.bp_max);
    let observation = safety.and_then(|x| x.observation_minutes);
    let route = l.protocol.as_ref().map(|p| p.route);
    let min_moaas = safety.and_then(|x| x.discharge_min_moaas).unwrap_or(5);
    let today = l.now.to_zoned(l.tz.clone()).date();
    let pre = s.pre_checks.as_ref().map(|p| PreView {
        identity: yes(p.identity_confirmed),
        fasting: yes(p.fasting_confirmed),
        transport: yes(p.transport_arranged),
        bp: format!("{}/{} mmHg", p.bp_systolic, p.bp_diastolic),
        over: !view::bp_ok(p.bp_systolic, p.bp_diastolic, bp_max),
        heart_rate: p
            .heart_rate
            .map_or_else(|| "-".into(), |h| format!("{h} bpm")),
        spo2: p.spo2.map_or_else(|| "-".into(), |x| format!("{x}%")),
        at: clock(p.recorded_at, &l.tz),
    });
    let start = s.administration.as_ref().map(|a| a.started_at);
    let earlier_completed = l.course.sessions.iter().any(|o| {
        o.id != s.id
            && o.status == TreatmentSessionStatus::Completed
            && o.scheduled_on <= s.scheduled_on
    });
    let picked = forms.monitoring.all("adverse_effects");
    SessionPage {
        chrome: auth.chrome.clone(),
        id: s.id.0,
        patient_id: patient.id.0,
        patient_name: format!(
            "{} {}",
            patient.details.given_name, patient.details.family_name
        ),
        mrn: patient.details.mrn.clone(),
        birth_date: patient.details.birth_date,
        age: age_on(patient.details.birth_date, today),
        sex: patient.details.sex.as_str(),
        date: s.scheduled_on,
        status: status_label(s.status),
        held: s.status == TreatmentSessionStatus::Held,
        completed: s.status == TreatmentSessionStatus::Completed,
        protocol_title: l.course.protocol_title.clone(),
        route_label: route.map_or("unknown route", Route::label),
        clinical: auth.can(Permission::ReadClinical),
        can_record: auth.can(Permission::RecordSession),
        can_schedule: auth.can(Permission::Schedule),
        threshold: bp_max.map(|m| format!("{}/{} mmHg", m.systolic, m.diastolic)),
        pre,
        admin: s.administration.as_ref().map(|a| AdminView {
            route: a.route.label(),
            ordered: format!("{} mg", a.dose_ordered_mg),
            given: format!("{} mg", a.dose_given_mg),
            lot: a.lot.clone(),
            started: date_time(a.started_at, &l.tz),
        }),
        timers: view::timers(s, observation, l.now, &l.tz),
        timeline: view::timeline(&s.monitoring, start, &l.tz),
        dis: s.discharge.as_ref().map(|d| DischargeView {
            at: date_time(d.discharged_at, &l.tz),
            moaas: d.moaas,
            bp: format!("{}/{} mmHg", d.bp_systolic, d.bp_diastolic),
            stable: yes(d.clinically_stable),
            escort: yes(d.escort_present),
            ready: d
                .ready_after_minutes
                .map_or_else(|| "-".into(), |m| format!("{m} minutes")),
        }),
        criteria: view::discharge_criteria(s, min_moaas, bp_max, observation, l.now),
        rems: (route == Some(Route::Esketamine)).then(|| rems::rems_summary(s, bp_max, &l.tz)),
        first_treatment: yes(!earlier_completed),
        routes: Route::ALL
            .iter()
            .map(|r| {
                let chosen = forms
                    .admin
                    .get("route")
                    .map_or(Some(*r) == route, |x| x == r.as_str());
                (r.as_str(), r.label(), chosen)
            })
            .collect(),
        moaas_options: InstrumentId::Moaas
            .definition()
            .options
            .iter()
            .enumerate()
            .rev()
            .map(|(i, label)| (u8::try_from(i).unwrap_or_default(), *label))
            .collect(),
        effects: forms::EFFECTS
            .iter()
            .map(|(code, label)| (*code, *label, picked.contains(code)))
            .collect(),
        min_moaas,
        forms,
        problems,
    }
}

async fn show(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = TreatmentSessionId(path_id(&id, &auth.chrome)?);
    let loaded = load(&state, &auth, "GET /sessions/{id}", id).await?;
    let patient = state
        .app
        .get_patient(auth.actor(), loaded.session.patient_id)
        .await
        .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?;
    Ok(render(&page(
        &loaded,
        &patient,
        &auth,
        Forms::default(),
        Problems::default(),
    )))
}

async fn timers(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = TreatmentSessionId(path_id(&id, &auth.chrome)?);
    let l = load(&state, &auth, "GET /sessions/{id}/timers", id).await?;
    let observation = l
        .protocol
        .as_ref()
        .and_then(|p| p.safety.observation_minutes);
    Ok(render(&TimersPartial {
        id: id.0,
        timers: view::timers(&l.session, observation, l.now, &l.tz),
    }))
}
