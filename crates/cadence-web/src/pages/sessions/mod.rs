//! The live session record for the nurse: `GET /sessions/{id}` and its forms, plus
//! `GET /sessions/{id}/timers`, the small partial htmx polls to keep the due checks current.
//!
//! Sections follow the session: what holds it (each finding with who may release it and how),
//! pre-checks (every reading, with who took it), administration (refused by the service while
//! anything holds the session; the form is shown only when it can succeed), the monitoring
//! timeline with its timers and in-session alerts, discharge criteria as the service judges
//! them (a clinician's exceptional end when they cannot be met), the record's entries in order,
//! the signature and addenda, and for esketamine the REMS Patient Monitoring Form summary
//! ([`rems`]). Front desk sees the booking and may change its status; no vitals, doses or notes.
//!
//! Files: [`record`] (the forms' handlers), [`forms`] (reading them), [`view`] (timeline,
//! rows). The timers and the REMS summary are the service's (`SessionView`).

mod forms;
mod record;
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
use cadence_app::ids::{TreatmentSessionId, UserId};
use cadence_app::records::{Patient, SessionEntryKind, SessionStatus};
use cadence_app::treatment_sessions::SessionView;
use cadence_app::treatment_sessions::{RemsSummary, Timer};
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::protocol::Protocol;
use cadence_clinical::route::Route;
use cadence_clinical::safety::{ADVERSE_EFFECTS, ExceptionalEnd, FindingKind};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::HashMap;
use view::EntryRow;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions/{id}", get(show))
        .route("/sessions/{id}/timers", get(timers))
        .route("/sessions/{id}/pre-checks", post(record::pre_checks))
        .route(
            "/sessions/{id}/administration",
            post(record::administration),
        )
        .route("/sessions/{id}/infusion-end", post(record::infusion_end))
        .route("/sessions/{id}/monitoring", post(record::monitoring))
        .route("/sessions/{id}/discharge", post(record::discharge))
        .route(
            "/sessions/{id}/exceptional-end",
            post(record::exceptional_end),
        )
        .route("/sessions/{id}/sign", post(record::sign))
        .route("/sessions/{id}/addenda", post(record::addendum))
        .route("/sessions/{id}/releases", post(record::release))
        .route("/sessions/{id}/status", post(record::status))
}

/// A hold as the page shows it, with the release form a clinician may use.
#[derive(Debug, Clone)]
struct HoldRow {
    label: &'static str,
    detail: String,
    severity: &'static str,
    found: String,
    /// The stored finding's id, released by `POST /sessions/{id}/releases` with `finding`.
    finding_id: Option<i64>,
    /// The gate's kind, released the same way with `gate`.
    gate: Option<&'static str>,
    releasable: bool,
    /// For a missing suicide screen: the forms that end it, returning to this session.
    record: Vec<(String, &'static str)>,
}

/// One pre-checks reading.
#[derive(Debug, Clone)]
struct PreRow {
    at: String,
    by: String,
    identity: &'static str,
    fasting: &'static str,
    transport: &'static str,
    bp: String,
    over: bool,
    heart_rate: String,
    spo2: String,
}

/// Administration as recorded (in force).
#[derive(Debug, Clone)]
struct AdminView {
    route: &'static str,
    ordered: String,
    given: String,
    per_kg: String,
    lot: String,
    started: String,
    ended: Option<String>,
    flags: Vec<String>,
    confirmation: Option<String>,
    by: String,
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
    by: String,
}

/// A discharge criterion as the service judged it.
#[derive(Debug, Clone)]
struct CriterionRow {
    label: String,
    state: &'static str,
    unmet: bool,
    observed: String,
}

/// An entry of the record, in order.
#[derive(Debug, Clone)]
struct RecordRow {
    what: &'static str,
    at: String,
    by: String,
    note: String,
}

/// What a refused form keeps, per section.
#[derive(Debug, Clone, Default)]
struct Forms {
    pre: Fields,
    admin: Fields,
    monitoring: Fields,
    discharge: Fields,
    end: Fields,
    addendum: Fields,
}

/// The message of a refused form, per section.
#[derive(Debug, Clone, Default)]
struct Problems {
    holds: Option<String>,
    pre: Option<String>,
    admin: Option<String>,
    monitoring: Option<String>,
    discharge: Option<String>,
    end: Option<String>,
    record: Option<String>,
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
    weight: String,
    date: Date,
    status: &'static str,
    held: bool,
    completed: bool,
    cancelled: bool,
    signed: Option<String>,
    protocol_title: String,
    route_label: &'static str,
    clinical: bool,
    can_record: bool,
    can_decide: bool,
    can_schedule: bool,
    today: bool,
    threshold: Option<String>,
    holds: Vec<HoldRow>,
    readings: Vec<PreRow>,
    admin: Option<AdminView>,
    can_administer: bool,
    timers: Vec<Timer>,
    timeline: Vec<EntryRow>,
    alerts: Vec<String>,
    /// The session's other findings a clinician released (a pre-dose blood pressure, a
    /// released gate): what, who and when.
    released: Vec<String>,
    dis: Option<DischargeView>,
    exceptional: Option<String>,
    criteria: Vec<CriterionRow>,
    record: Vec<RecordRow>,
    rems: Option<RemsSummary>,
    first_treatment: &'static str,
    routes: Vec<(&'static str, &'static str, bool)>,
    moaas_options: Vec<(u8, &'static str)>,
    effects: Vec<(&'static str, &'static str, bool)>,
    end_kinds: Vec<(&'static str, &'static str)>,
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
    view: SessionView,
    protocol: Option<Protocol>,
    protocol_title: String,
    patient: Patient,
    names: HashMap<UserId, String>,
    earlier_dose: bool,
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
    let view = match app.get_session(auth.actor(), id).await {
        Ok(s) => s,
        Err(e) => return Err(fail(state, auth, route, e).await),
    };
    let error = |e| PageError::from_app(e, auth.chrome.clone());
    let course = app
        .get_course(auth.actor(), view.session.course_id)
        .await
        .map_err(error)?;
    let patient = app
        .get_patient(auth.actor(), view.session.patient_id)
        .await
        .map_err(error)?;
    let names = app.staff_names(auth.actor()).await.map_err(error)?;
    let tz = app.clinic_time_zone(auth.actor()).await.map_err(error)?;
    let earlier_dose = course.sessions.iter().any(|o| {
        o.id != view.session.id
            && o.administration.is_some()
            && o.scheduled_on <= view.session.scheduled_on
    });
    Ok(Loaded {
        protocol: Protocol::from_toml(&course.course.protocol_text).ok(),
        protocol_title: course.protocol_title,
        view,
        patient,
        names,
        earlier_dose,
        tz,
        now: app.now(),
    })
}

fn yes(v: bool) -> &'static str {
    if v { "Yes" } else { "No" }
}

fn name_of(names: &HashMap<UserId, String>, id: UserId) -> String {
    names
        .get(&id)
        .cloned()
        .unwrap_or_else(|| format!("user {id}"))
}

fn entry_label(kind: SessionEntryKind) -> &'static str {
    match kind {
        SessionEntryKind::PreChecks => "Pre-checks reading",
        SessionEntryKind::Administration => "Administration",
        SessionEntryKind::AdministrationEnd => "Infusion end",
        SessionEntryKind::Discharge => "Discharge",
        SessionEntryKind::ExceptionalEnd => "Exceptional end",
        SessionEntryKind::Addendum => "Addendum",
        SessionEntryKind::Signature => "Signed",
    }
}

fn page(l: &Loaded, auth: &PageAuth, forms: Forms, problems: Problems) -> SessionPage {
    let s = &l.view.session;
    let patient = &l.patient;
    let safety = l.protocol.as_ref().map(|p| &p.safety);
    let bp_max = safety.and_then(|x| x.bp_max);
    let route = l.protocol.as_ref().map(|p| p.route);
    let min_moaas = safety.and_then(|x| x.discharge_min_moaas).unwrap_or(5);
    let today_date = l.now.to_zoned(l.tz.clone()).date();
    let names = &l.names;
    let readings: Vec<PreRow> = s
        .entries
        .iter()
        .filter(|e| e.kind == SessionEntryKind::PreChecks)
        .filter_map(|e| {
            let p: cadence_app::records::PreChecks = serde_json::from_value(e.body.clone()).ok()?;
            Some(PreRow {
                at: clock(e.recorded_at, &l.tz),
                by: name_of(names, e.recorded_by),
                identity: yes(p.identity_confirmed),
                fasting: yes(p.fasting_confirmed),
                transport: yes(p.transport_arranged),
                bp: format!("{}/{} mmHg", p.bp.systolic, p.bp.diastolic),
                over: !view::bp_ok(p.bp.systolic, p.bp.diastolic, bp_max),
                heart_rate: p
                    .heart_rate
                    .map_or_else(|| "-".into(), |h| format!("{h} bpm")),
                spo2: p.spo2.map_or_else(|| "-".into(), |x| format!("{x}%")),
            })
        })
        .collect();
    let start = s.administration.as_ref().map(|a| a.started_at);
    let picked = forms.monitoring.all("adverse_effects");
    let completed = s.status == SessionStatus::Completed;
    let cancelled = matches!(s.status, SessionStatus::Cancelled | SessionStatus::NoShow);
    let held = s.status == SessionStatus::Held;
    let is_today = s.scheduled_on <= today_date;
    let holds: Vec<HoldRow> = l
        .view
        .holds
        .iter()
        .map(|h| HoldRow {
            label: h.label,
            detail: h.detail.clone(),
            severity: h.severity.as_str(),
            found: h
                .found_at
                .map_or_else(|| "today".to_owned(), |at| date_time(at, &l.tz)),
            finding_id: h.finding_id.map(|f| f.0),
            gate: h.finding_id.is_none().then_some(h.kind.as_str()),
            releasable: h.releasable,
            record: match (h.kind, safety) {
                (FindingKind::SuicideScreenMissing, Some(safety))
                    if auth.can(Permission::RecordAssessment) =>
                {
                    safety
                        .suicide_screens
                        .iter()
                        .map(|i| {
                            (
                                format!(
                                    "/patients/{}/assessments/new?instrument={}&session={}",
                                    patient.id,
                                    i.as_str(),
                                    s.id
                                ),
                                i.name(),
                            )
                        })
                        .collect()
                }
                _ => Vec::new(),
            },
        })
        .collect();
    let alerts = l
        .view
        .findings
        .iter()
        .filter(|f| f.kind.in_session())
        .map(|f| {
            let state = match &f.release {
                None => "open: it holds the next sessions until a clinician releases it".to_owned(),
                Some(r) => format!("released by {}", name_of(names, r.released_by)),
            };
            format!("{}: {} ({state})", f.kind.label(), f.detail)
        })
        .collect();
    let released = l
        .view
        .findings
        .iter()
        .filter(|f| !f.kind.in_session())
        .filter_map(|f| {
            let r = f.release.as_ref()?;
            Some(format!(
                "{}: {} (released by {} at {})",
                f.kind.label(),
                f.detail,
                name_of(names, r.released_by),
                date_time(r.released_at, &l.tz)
            ))
        })
        .collect();
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
        age: age_on(patient.details.birth_date, today_date),
        sex: patient.details.sex.as_str(),
        weight: match (
            patient.details.weight_kg,
            patient.details.weight_measured_on,
        ) {
            (Some(w), Some(on)) => format!("{w} kg (taken {on})"),
            (Some(w), None) => format!("{w} kg (date not recorded)"),
            (None, _) => "not recorded: mg/kg cannot be shown".to_owned(),
        },
        date: s.scheduled_on,
        status: status_label(s.status),
        held,
        completed,
        cancelled,
        signed: s.signature.as_ref().map(|sig| {
            format!(
                "{} on {}",
                name_of(names, sig.signed_by),
                date_time(sig.signed_at, &l.tz)
            )
        }),
        protocol_title: l.protocol_title.clone(),
        route_label: route.map_or("unknown route", Route::label),
        clinical: auth.can(Permission::ReadClinical),
        can_record: auth.can(Permission::RecordSession),
        can_decide: auth.can(Permission::Decide),
        can_schedule: auth.can(Permission::Schedule),
        today: is_today,
        threshold: bp_max.map(|m| format!("{}/{} mmHg", m.systolic, m.diastolic)),
        can_administer: is_today
            && !held
            && !completed
            && !cancelled
            && s.administration.is_none()
            && s.pre_checks.is_some(),
        holds,
        readings,
        admin: s.administration.as_ref().map(|a| AdminView {
            route: a.route.label(),
            ordered: format!("{} mg", a.dose_ordered_mg),
            given: format!("{} mg", a.dose_given_mg),
            per_kg: match (a.mg_per_kg, a.weight_kg) {
                (Some(x), Some(w)) => format!("{x} mg/kg (weight {w} kg)"),
                _ => "-".to_owned(),
            },
            lot: a.lot.clone(),
            started: date_time(a.started_at, &l.tz),
            ended: a.ended_at.map(|e| clock(e, &l.tz)),
            flags: a.dose_flags.iter().map(|f| f.message()).collect(),
            confirmation: a.confirmation.clone(),
            by: name_of(names, a.recorded_by),
        }),
        timers: l.view.timers.clone(),
        timeline: view::timeline(&s.monitoring, start, names, &l.tz),
        alerts,
        released,
        dis: s.discharge.as_ref().map(|d| DischargeView {
            at: date_time(d.discharged_at, &l.tz),
            moaas: d.moaas,
            bp: format!("{}/{} mmHg", d.bp.systolic, d.bp.diastolic),
            stable: yes(d.clinically_stable),
            escort: yes(d.escort_present),
            ready: d
                .ready_after_minutes
                .map_or_else(|| "-".into(), |m| format!("{m} minutes")),
            by: name_of(names, d.recorded_by),
        }),
        exceptional: s.exceptional_end.as_ref().map(|x| {
            format!(
                "{} at {} by {}: {}",
                x.kind.label(),
                date_time(x.ended_at, &l.tz),
                name_of(names, x.recorded_by),
                x.reason
            )
        }),
        criteria: l
            .view
            .discharge_criteria
            .iter()
            .map(|c| CriterionRow {
                label: c.label.clone(),
                state: match c.met {
                    Some(true) => "Met",
                    Some(false) => "Not met",
                    None => "Not yet known",
                },
                unmet: c.met == Some(false),
                observed: c.observed.clone(),
            })
            .collect(),
        record: s
            .entries
            .iter()
            .map(|e| RecordRow {
                what: entry_label(e.kind),
                at: date_time(e.recorded_at, &l.tz),
                by: name_of(names, e.recorded_by),
                note: match (e.kind, e.corrects, &e.reason) {
                    (SessionEntryKind::Addendum, _, reason) => format!(
                        "{} (reason: {})",
                        e.body.get("text").and_then(|t| t.as_str()).unwrap_or(""),
                        reason.as_deref().unwrap_or("")
                    ),
                    (_, Some(c), reason) => {
                        format!("corrects entry {c}: {}", reason.as_deref().unwrap_or(""))
                    }
                    _ => String::new(),
                },
            })
            .collect(),
        rems: l.view.rems.clone(),
        first_treatment: yes(!l.earlier_dose),
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
        effects: ADVERSE_EFFECTS
            .iter()
            .map(|(code, label)| (*code, *label, picked.contains(code)))
            .collect(),
        end_kinds: ExceptionalEnd::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        min_moaas,
        forms,
        problems,
    }
}

/// The gate kinds a page may ask a clinician to release.
pub(super) fn gate_kind(text: &str) -> Option<FindingKind> {
    text.parse::<FindingKind>()
        .ok()
        .filter(|k| *k == FindingKind::SuicideScreenMissing)
}

async fn show(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = TreatmentSessionId(path_id(&id, &auth.chrome)?);
    let loaded = load(&state, &auth, "GET /sessions/{id}", id).await?;
    Ok(render(&page(
        &loaded,
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
    // Only what the panel shows: the session's timers (one audited read), not the whole course.
    match state.app.session_timers(auth.actor(), id).await {
        Ok(timers) => Ok(render(&TimersPartial { id: id.0, timers })),
        Err(e) => Err(fail(&state, &auth, "GET /sessions/{id}/timers", e).await),
    }
}
