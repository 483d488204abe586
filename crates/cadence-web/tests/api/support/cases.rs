//! One valid request for every route: the role matrix, the isolation and the CSRF tests all
//! walk this table, and the matrix test fails if a route has no row here.

use super::{World, builders};
use axum::http::Method;
use cadence_app::records::Role;
use cadence_testkit::{PASSWORD, TestUser};
use serde_json::{Value, json};

/// What a request needs to exist first; its id goes into the route's `{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Nothing,
    Patient,
    /// A patient with an eligible IV screening (the patient's id).
    Screened,
    Screening,
    Course,
    Session,
    PreChecked,
    Administered,
    /// A session discharged today.
    Discharged,
    /// An open safety finding (a PHQ-9 with item 9 above 0).
    Finding,
    /// A fresh user of the role, logged in for this request only (logout, password change).
    FreshUser,
}

/// A route, what a successful call answers, and what it needs.
#[derive(Debug)]
pub struct Case {
    pub method: Method,
    pub route: &'static str,
    pub ok: u16,
    pub need: Need,
}

const fn case(method: Method, route: &'static str, ok: u16, need: Need) -> Case {
    Case {
        method,
        route,
        ok,
        need,
    }
}

pub const CASES: &[Case] = &[
    case(Method::GET, "/healthz", 200, Need::Nothing),
    case(Method::GET, "/api/v1/openapi.json", 200, Need::Nothing),
    case(Method::POST, "/api/v1/auth/login", 200, Need::Nothing),
    case(Method::POST, "/api/v1/auth/session", 200, Need::Nothing),
    case(Method::GET, "/api/v1/auth/session", 200, Need::Nothing),
    case(Method::POST, "/api/v1/auth/logout", 204, Need::FreshUser),
    case(Method::POST, "/api/v1/auth/password", 204, Need::FreshUser),
    case(Method::GET, "/api/v1/patients", 200, Need::Patient),
    case(Method::POST, "/api/v1/patients", 201, Need::Nothing),
    case(Method::GET, "/api/v1/patients/{id}", 200, Need::Patient),
    case(Method::PUT, "/api/v1/patients/{id}", 200, Need::Patient),
    case(
        Method::POST,
        "/api/v1/patients/{id}/screenings",
        201,
        Need::Patient,
    ),
    case(Method::GET, "/api/v1/screenings/{id}", 200, Need::Screening),
    case(
        Method::GET,
        "/api/v1/patients/{id}/assessments",
        200,
        Need::Patient,
    ),
    case(
        Method::POST,
        "/api/v1/patients/{id}/assessments",
        201,
        Need::Patient,
    ),
    case(
        Method::GET,
        "/api/v1/patients/{id}/courses",
        200,
        Need::Patient,
    ),
    case(
        Method::POST,
        "/api/v1/patients/{id}/courses",
        201,
        Need::Screened,
    ),
    case(Method::GET, "/api/v1/courses/{id}", 200, Need::Course),
    case(
        Method::POST,
        "/api/v1/courses/{id}/sessions",
        201,
        Need::Course,
    ),
    case(
        Method::GET,
        "/api/v1/courses/{id}/decisions",
        200,
        Need::Course,
    ),
    case(
        Method::POST,
        "/api/v1/courses/{id}/decisions",
        201,
        Need::Course,
    ),
    case(Method::GET, "/api/v1/sessions/{id}", 200, Need::Session),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/pre-checks",
        200,
        Need::Session,
    ),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/administration",
        200,
        Need::PreChecked,
    ),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/monitoring",
        201,
        Need::PreChecked,
    ),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/discharge",
        200,
        Need::Administered,
    ),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/status",
        200,
        Need::Session,
    ),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/infusion-end",
        200,
        Need::Administered,
    ),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/exceptional-end",
        200,
        Need::PreChecked,
    ),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/sign",
        200,
        Need::Discharged,
    ),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/addenda",
        200,
        Need::Discharged,
    ),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/releases",
        201,
        Need::Session,
    ),
    case(Method::GET, "/api/v1/findings", 200, Need::Finding),
    case(Method::GET, "/api/v1/exceptional-ends", 200, Need::Nothing),
    case(
        Method::GET,
        "/api/v1/patients/{id}/findings",
        200,
        Need::Patient,
    ),
    case(
        Method::POST,
        "/api/v1/findings/{id}/release",
        200,
        Need::Finding,
    ),
    case(
        Method::PUT,
        "/api/v1/patients/{id}/rems-enrolment",
        200,
        Need::Patient,
    ),
    case(
        Method::GET,
        "/api/v1/patients/{id}/screenings",
        200,
        Need::Patient,
    ),
    case(Method::GET, "/api/v1/schedule", 200, Need::Session),
    case(Method::GET, "/api/v1/schedule/days", 200, Need::Session),
    case(Method::GET, "/api/v1/schedule/to-move", 200, Need::Session),
    case(
        Method::POST,
        "/api/v1/sessions/{id}/move",
        200,
        Need::Session,
    ),
    // The session is scheduled: a rebook passes the permission check, then is refused.
    case(
        Method::POST,
        "/api/v1/sessions/{id}/rebook",
        409,
        Need::Session,
    ),
    case(Method::GET, "/api/v1/research/summary", 200, Need::Nothing),
];

impl Case {
    /// `METHOD route`, as in the docs' table and denied audit rows.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.route)
    }
}

/// A request ready to send.
#[derive(Debug)]
pub struct Prepared {
    pub path: String,
    pub body: Option<Value>,
    /// For [`Need::FreshUser`]: the user to log in as.
    pub user: Option<TestUser>,
}

/// Makes what `case` needs in `w`'s clinic and the request's path and body. `role` is who
/// will send it (`None`: anonymous), for the routes whose body names the sender.
pub async fn prepare(w: &World, case: &Case, role: Option<Role>) -> Prepared {
    let id = match case.need {
        Need::Nothing | Need::FreshUser => None,
        Need::Patient => Some(w.patient().await),
        Need::Screened => Some(w.screened_patient().await),
        Need::Screening => Some(w.screening().await),
        Need::Course => Some(w.course().await),
        Need::Session => Some(w.session().await),
        Need::PreChecked => Some(w.pre_checked_session().await),
        Need::Administered => Some(w.administered_session().await),
        Need::Discharged => Some(w.discharged_session().await),
        Need::Finding => Some(w.open_finding().await),
    };
    let mut path = match id {
        Some(id) => case.route.replace("{id}", &id.to_string()),
        None => case.route.to_owned(),
    };
    let user = match case.need {
        Need::FreshUser => Some(
            w.t.user(w.staff.clinic.id, role.unwrap_or(Role::Clinician))
                .await,
        ),
        _ => None,
    };
    let sender = w.staff.user(role.unwrap_or(Role::Clinician));
    let today = w.t.today();
    // Eight weeks on: past the induction the course booked, on the same (open) weekday.
    let later = today.checked_add(jiff::Span::new().days(56)).unwrap();
    let body = match (case.method.as_str(), case.route) {
        ("POST", "/api/v1/auth/login" | "/api/v1/auth/session") => Some(json!({
            "email": sender.user.email, "password": sender.password
        })),
        ("POST", "/api/v1/auth/password") => Some(json!({
            "current": PASSWORD, "new": "a new and longer passphrase"
        })),
        ("POST", "/api/v1/patients") | ("PUT", "/api/v1/patients/{id}") => {
            Some(builders::patient(&w.mrn()))
        }
        ("POST", "/api/v1/patients/{id}/screenings") => Some(builders::screening()),
        ("POST", "/api/v1/patients/{id}/assessments") => Some(builders::phq9([1; 9])),
        ("POST", "/api/v1/patients/{id}/courses") => Some(builders::course(today)),
        ("POST", "/api/v1/courses/{id}/sessions") => Some(json!({
            "date": later.to_string(), "reason": "The patient's only free day that week"
        })),
        ("POST", "/api/v1/courses/{id}/decisions") => Some(builders::decision()),
        ("POST", "/api/v1/sessions/{id}/pre-checks") => Some(builders::pre_checks()),
        ("POST", "/api/v1/sessions/{id}/administration") => Some(builders::administration()),
        ("POST", "/api/v1/sessions/{id}/monitoring") => Some(builders::monitoring()),
        ("POST", "/api/v1/sessions/{id}/discharge") => Some(builders::discharge()),
        ("POST", "/api/v1/sessions/{id}/status") => Some(json!({ "status": "cancelled" })),
        ("POST", "/api/v1/sessions/{id}/move") => Some(json!({
            "date": today.to_string(), "start_time": "14:00"
        })),
        ("POST", "/api/v1/sessions/{id}/rebook") => Some(json!({ "date": later.to_string() })),
        ("POST", "/api/v1/sessions/{id}/infusion-end") => Some(json!({})),
        ("POST", "/api/v1/sessions/{id}/exceptional-end") => Some(json!({
            "kind": "left_against_advice", "reason": "Declined to stay for observation"
        })),
        ("POST", "/api/v1/sessions/{id}/sign") => None,
        ("POST", "/api/v1/sessions/{id}/addenda") => Some(json!({
            "text": "Patient phoned: home safely", "reason": "Follow-up call after discharge"
        })),
        ("POST", "/api/v1/sessions/{id}/releases") => Some(json!({
            "kind": "suicide_screen_missing", "note": "Screened verbally: no ideation"
        })),
        ("POST", "/api/v1/findings/{id}/release") => Some(json!({
            "note": "Seen today: passive thoughts, no plan; safety plan reviewed"
        })),
        ("PUT", "/api/v1/patients/{id}/rems-enrolment") => Some(json!({
            "rems_patient_id": "REMS-1234", "enrolled_on": today.to_string()
        })),
        ("POST", "/api/v1/auth/logout") => None,
        ("POST" | "PUT", route) => panic!("no body for {route}"),
        _ => None,
    };
    match case.route {
        "/api/v1/patients" if case.method == Method::GET => path.push_str("?search=love"),
        "/api/v1/schedule" => path.push_str(&format!("?date={today}")),
        "/api/v1/schedule/days" => path.push_str(&format!("?date={today}&view=week")),
        _ => {}
    }
    Prepared { path, body, user }
}
