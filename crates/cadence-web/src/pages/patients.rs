//! The patient list (`GET /patients`: search by name or MRN, filter by phase) and registration
//! (`GET /patients/new`, `POST /patients`, also accepted at `POST /patients/new`).
//!
//! The list comes from [`cadence_app::App::patient_overview`], which derives each patient's
//! phase and next session from their latest course, a page of patients at a time (a bounded
//! number of reads; `from` is the page's position among the matches). A rejected
//! registration re-renders the form with the message and what was typed (422); a registered
//! patient's chart opens next (303 to `/patients/{id}`).

use super::today::service_error;
use super::{Chrome, PageAuth, PageError, percent_encode, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, MatchedPath, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use cadence_app::AppError;
use cadence_app::authz::Permission;
use cadence_app::ids::PatientId;
use cadence_app::patients::SEARCH_LIMIT;
use cadence_app::records::{Patient, PatientContact, PatientDetails, Sex};
use cadence_app::today::{OVERVIEW_PAGE, OverviewPage, PatientPhase};
use jiff::civil::Date;
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/patients", get(list).post(register))
        .route("/patients/new", get(new_form).post(register))
        .route("/patients/{id}/edit", get(edit_form).post(edit))
}

/// One row of the list.
struct PatientRow {
    id: i64,
    name: String,
    mrn: String,
    birth_date: Date,
    /// `None` for front desk (bookings, not plans).
    phase: Option<&'static str>,
    next_session: Option<Date>,
}

/// A phase choice of the filter.
struct PhaseChoice {
    id: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "patients.html")]
struct ListPage {
    chrome: Chrome,
    search: String,
    phases: Vec<PhaseChoice>,
    rows: Vec<PatientRow>,
    filtered: bool,
    problem: Option<String>,
    at_limit: bool,
    limit: u32,
    can_register: bool,
    /// Clinical roles see and filter by phase; front desk does not.
    clinical: bool,
    /// "patients 1-50 of 180" when the matches span pages.
    range: Option<String>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    search: String,
    #[serde(default)]
    phase: String,
    #[serde(default)]
    from: String,
}

fn phase_label(phase: PatientPhase) -> &'static str {
    match phase {
        PatientPhase::Screening => "Screening",
        PatientPhase::Induction => "Induction",
        PatientPhase::Maintenance => "Maintenance",
        PatientPhase::Paused => "Paused",
        PatientPhase::Discontinued => "Discontinued",
    }
}

async fn list(
    State(state): State<AppState>,
    auth: PageAuth,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let mut problem = None;
    let clinical = auth.can(Permission::ReadClinical);
    let wanted = match query.phase.trim() {
        "" | "all" => None,
        _ if !clinical => None,
        id => match PatientPhase::parse(id) {
            Some(p) => Some(p),
            None => {
                problem = Some(format!(
                    "`{id}` is not a phase; showing every phase. Choose one from the list."
                ));
                None
            }
        },
    };
    let search = query.search.trim();
    let from = query.from.trim().parse::<usize>().unwrap_or(0);
    let (overview, status) = match state
        .app
        .patient_overview(auth.actor(), Some(search), wanted, from)
        .await
    {
        Ok(overview) => (overview, StatusCode::OK),
        Err(e @ AppError::Invalid { .. }) => {
            problem = Some(e.to_string());
            (OverviewPage::default(), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return Err(service_error(&state, &auth, e, "GET /patients").await),
    };
    let link = |from: usize| {
        format!(
            "/patients?search={}&phase={}&from={from}",
            percent_encode(search),
            wanted.map_or("all", PatientPhase::as_str)
        )
    };
    let spans_pages = overview.from > 0 || overview.next_from.is_some();
    let range = spans_pages.then(|| {
        format!(
            "Patients {}-{} of {} (by family name).",
            overview.from.saturating_add(1).min(overview.matches),
            overview.next_from.unwrap_or(overview.matches),
            overview.matches
        )
    });
    let previous = (overview.from > 0).then(|| link(overview.from.saturating_sub(OVERVIEW_PAGE)));
    let next = overview.next_from.map(link);
    let rows = overview
        .rows
        .into_iter()
        .map(|o| PatientRow {
            id: o.patient.id.0,
            name: format!(
                "{}, {}",
                o.patient.details.family_name, o.patient.details.given_name
            ),
            mrn: o.patient.details.mrn,
            birth_date: o.patient.details.birth_date,
            phase: o.phase.map(phase_label),
            next_session: o.next_session,
        })
        .collect();
    let phases = PatientPhase::ALL
        .into_iter()
        .filter(|_| clinical)
        .map(|p| PhaseChoice {
            id: p.as_str(),
            label: phase_label(p),
            selected: wanted == Some(p),
        })
        .collect();
    let page = ListPage {
        clinical,
        can_register: auth.can(Permission::WritePatients),
        chrome: auth.chrome,
        search: search.to_owned(),
        phases,
        rows,
        filtered: wanted.is_some() || !search.is_empty(),
        problem,
        at_limit: overview.at_limit,
        limit: SEARCH_LIMIT,
        range,
        previous,
        next,
    };
    Ok((status, render(&page)).into_response())
}

/// The registration form's fields, as typed (also the edit form's, filled from the record).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PatientForm {
    csrf_token: String,
    given_name: String,
    family_name: String,
    birth_date: String,
    mrn: String,
    sex: String,
    weight_kg: String,
    weight_measured_on: String,
    email: String,
    phone: String,
    address: String,
    emergency_contact_name: String,
    emergency_contact_phone: String,
    referrer: String,
    /// `yes`, `no`, or empty for not asked.
    contact_consent: String,
}

impl PatientForm {
    /// The form filled from a stored patient, for editing.
    fn of(p: &Patient) -> PatientForm {
        let d = &p.details;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        PatientForm {
            csrf_token: String::new(),
            given_name: d.given_name.clone(),
            family_name: d.family_name.clone(),
            birth_date: d.birth_date.to_string(),
            mrn: d.mrn.clone(),
            sex: d.sex.as_str().to_owned(),
            weight_kg: d.weight_kg.map(|w| w.to_string()).unwrap_or_default(),
            weight_measured_on: d
                .weight_measured_on
                .map(|w| w.to_string())
                .unwrap_or_default(),
            email: text(&d.contact.email),
            phone: text(&d.contact.phone),
            address: text(&d.contact.address),
            emergency_contact_name: text(&d.contact.emergency_contact_name),
            emergency_contact_phone: text(&d.contact.emergency_contact_phone),
            referrer: text(&d.contact.referrer),
            contact_consent: match d.contact.contact_consent {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            }
            .to_owned(),
        }
    }
}

/// A sex choice of the form's select.
struct SexChoice {
    id: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "patients_new.html")]
struct NewPage {
    chrome: Chrome,
    form: PatientForm,
    sexes: Vec<SexChoice>,
    problem: Option<String>,
    /// `Some(id)` when editing that patient; `None` when registering.
    editing: Option<i64>,
}

fn new_page(chrome: Chrome, form: PatientForm, problem: Option<String>) -> NewPage {
    form_page(chrome, form, problem, None)
}

fn form_page(
    chrome: Chrome,
    form: PatientForm,
    problem: Option<String>,
    editing: Option<i64>,
) -> NewPage {
    let sexes = Sex::ALL
        .iter()
        .map(|s| SexChoice {
            id: s.as_str(),
            label: match s {
                Sex::Female => "Female",
                Sex::Male => "Male",
                Sex::Other => "Other",
                Sex::Unknown => "Unknown or not stated",
            },
            selected: form.sex == s.as_str(),
        })
        .collect();
    NewPage {
        chrome,
        form,
        sexes,
        problem,
        editing,
    }
}

async fn new_form(State(state): State<AppState>, auth: PageAuth) -> Result<Response, PageError> {
    if !auth.can(Permission::WritePatients) {
        let err = AppError::Forbidden(Permission::WritePatients.phrase());
        return Err(service_error(&state, &auth, err, "GET /patients/new").await);
    }
    Ok(render(&new_page(auth.chrome, PatientForm::default(), None)))
}

/// The typed form as demographics, or a message naming the field to fix.
fn details(form: &PatientForm) -> Result<PatientDetails, String> {
    let birth_date = form
        .birth_date
        .trim()
        .parse::<Date>()
        .map_err(|_| "birth date must be a date (YYYY-MM-DD), e.g. 1980-01-31".to_owned())?;
    let sex = form
        .sex
        .trim()
        .parse::<Sex>()
        .map_err(|_| "sex: choose female, male, other or unknown".to_owned())?;
    let weight = form.weight_kg.trim();
    let weight_kg = if weight.is_empty() {
        None
    } else {
        Some(
            weight
                .parse::<f64>()
                .ok()
                .filter(|w| w.is_finite())
                .ok_or_else(|| "weight (kg) must be a number of kilograms, e.g. 72.5".to_owned())?,
        )
    };
    let weight_measured_on =
        match form.weight_measured_on.trim() {
            "" => None,
            on => Some(on.parse::<Date>().map_err(|_| {
                "the day the weight was taken must be a date (YYYY-MM-DD)".to_owned()
            })?),
        };
    let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let contact_consent = match form.contact_consent.trim() {
        "" => None,
        "yes" => Some(true),
        "no" => Some(false),
        _ => return Err("contact consent: choose given, refused or not asked".to_owned()),
    };
    Ok(PatientDetails {
        mrn: form.mrn.clone(),
        given_name: form.given_name.clone(),
        family_name: form.family_name.clone(),
        birth_date,
        sex,
        weight_kg,
        weight_measured_on,
        contact: PatientContact {
            email: text(&form.email),
            phone: text(&form.phone),
            address: text(&form.address),
            emergency_contact_name: text(&form.emergency_contact_name),
            emergency_contact_phone: text(&form.emergency_contact_phone),
            referrer: text(&form.referrer),
            contact_consent,
        },
    })
}

async fn register(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    matched: MatchedPath,
    Form(form): Form<PatientForm>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    // The form posts to either route; a refusal names the one used.
    let route = format!("POST {}", matched.as_str());
    let rejected = |chrome: Chrome, form: PatientForm, message: String| {
        let page = new_page(chrome, form, Some(message));
        (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
    };
    let details = match details(&form) {
        Ok(d) => d,
        Err(message) if auth.can(Permission::WritePatients) => {
            return Ok(rejected(auth.chrome, form, message));
        }
        Err(_) => {
            let err = AppError::Forbidden(Permission::WritePatients.phrase());
            return Err(service_error(&state, &auth, err, &route).await);
        }
    };
    match state.app.create_patient(auth.actor(), details).await {
        Ok(patient) => Ok(Redirect::to(&format!("/patients/{}", patient.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            Ok(rejected(auth.chrome, form, e.to_string()))
        }
        Err(e) => Err(service_error(&state, &auth, e, &route).await),
    }
}

/// The edit form, filled from the record (front desk and clinicians; the read is audited).
async fn edit_form(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let route = "GET /patients/{id}/edit";
    if !auth.can(Permission::WritePatients) {
        let err = AppError::Forbidden(Permission::WritePatients.phrase());
        return Err(service_error(&state, &auth, err, route).await);
    }
    match state.app.get_patient(auth.actor(), PatientId(id)).await {
        Ok(p) => {
            let form = PatientForm::of(&p);
            Ok(render(&form_page(auth.chrome, form, None, Some(id))))
        }
        Err(e) => Err(service_error(&state, &auth, e, route).await),
    }
}

/// Saves edited demographics and contact details (audited as an update), then the chart.
async fn edit(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(form): Form<PatientForm>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    let route = "POST /patients/{id}/edit";
    if !auth.can(Permission::WritePatients) {
        let err = AppError::Forbidden(Permission::WritePatients.phrase());
        return Err(service_error(&state, &auth, err, route).await);
    }
    let rejected = |chrome: Chrome, form: PatientForm, message: String| {
        let page = form_page(chrome, form, Some(message), Some(id));
        (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
    };
    let details = match details(&form) {
        Ok(d) => d,
        Err(message) => return Ok(rejected(auth.chrome, form, message)),
    };
    match state
        .app
        .update_patient(auth.actor(), PatientId(id), details)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/patients/{id}?saved_details=1")).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            Ok(rejected(auth.chrome, form, e.to_string()))
        }
        Err(e) => Err(service_error(&state, &auth, e, route).await),
    }
}
