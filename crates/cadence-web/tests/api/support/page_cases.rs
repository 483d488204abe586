//! One valid request for every HTML page route, as [`super::cases`] is for the API: the page
//! matrix test walks this table, and fails if a page route has no row here.

use super::World;
use axum::http::Method;
use cadence_app::records::Role;
use cadence_testkit::{PASSWORD, TestUser};

/// What a page request needs to exist first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Nothing,
    Patient,
    /// A patient with an eligible screening (a course may start).
    ScreenedPatient,
    /// A patient with a course: `{id}` is the patient, `{course_id}` the course.
    Course,
    /// A course: `{id}` is the course.
    CourseOnly,
    Session,
    PreChecked,
    Administered,
    Discharged,
    /// A fresh user of the sender's role (whose password the request changes).
    FreshUser,
    /// Another user of the clinic, for `{id}` (whose access the request changes).
    OtherUser,
}

/// A page route, what a successful call answers, and what it needs.
#[derive(Debug)]
pub struct PageCase {
    pub method: Method,
    pub route: &'static str,
    pub ok: u16,
    pub need: Need,
}

const fn page(method: Method, route: &'static str, ok: u16, need: Need) -> PageCase {
    PageCase {
        method,
        route,
        ok,
        need,
    }
}

const GET: Method = Method::GET;
const POST: Method = Method::POST;

pub const PAGE_CASES: &[PageCase] = &[
    page(GET, "/", 303, Need::Nothing),
    page(GET, "/login", 200, Need::Nothing),
    page(POST, "/login", 303, Need::Nothing),
    page(POST, "/logout", 303, Need::Nothing),
    page(GET, "/password", 200, Need::Nothing),
    page(POST, "/password", 303, Need::FreshUser),
    page(GET, "/favicon.ico", 200, Need::Nothing),
    page(GET, "/static/cadence.css", 200, Need::Nothing),
    page(GET, "/static/htmx.min.js", 200, Need::Nothing),
    page(GET, "/static/idle.js", 200, Need::Nothing),
    page(GET, "/today", 200, Need::Nothing),
    page(GET, "/research", 200, Need::Nothing),
    page(GET, "/patients", 200, Need::Patient),
    page(POST, "/patients", 303, Need::Nothing),
    page(GET, "/patients/new", 200, Need::Nothing),
    page(POST, "/patients/new", 303, Need::Nothing),
    page(GET, "/patients/{id}", 200, Need::Patient),
    page(GET, "/patients/{id}/edit", 200, Need::Patient),
    page(POST, "/patients/{id}/edit", 303, Need::Patient),
    page(GET, "/patients/{id}/screening", 200, Need::Patient),
    page(POST, "/patients/{id}/screening", 303, Need::Patient),
    page(GET, "/patients/{id}/assessments/new", 200, Need::Patient),
    page(POST, "/patients/{id}/assessments/new", 303, Need::Patient),
    page(GET, "/patients/{id}/courses/new", 200, Need::Patient),
    page(GET, "/patients/{id}/courses/preview", 200, Need::Patient),
    page(POST, "/patients/{id}/courses", 303, Need::ScreenedPatient),
    page(
        POST,
        "/patients/{id}/courses/{course_id}/decisions",
        303,
        Need::Course,
    ),
    page(GET, "/courses/{id}/protocol", 200, Need::CourseOnly),
    page(GET, "/sessions/{id}", 200, Need::Session),
    page(GET, "/sessions/{id}/timers", 200, Need::Session),
    page(POST, "/sessions/{id}/pre-checks", 303, Need::Session),
    page(POST, "/sessions/{id}/administration", 303, Need::PreChecked),
    page(POST, "/sessions/{id}/monitoring", 303, Need::PreChecked),
    page(POST, "/sessions/{id}/discharge", 303, Need::Administered),
    page(POST, "/sessions/{id}/infusion-end", 303, Need::Administered),
    page(
        POST,
        "/sessions/{id}/exceptional-end",
        303,
        Need::Administered,
    ),
    page(POST, "/sessions/{id}/sign", 303, Need::Discharged),
    page(POST, "/sessions/{id}/addenda", 303, Need::PreChecked),
    page(POST, "/sessions/{id}/releases", 303, Need::Session),
    page(POST, "/sessions/{id}/status", 303, Need::Session),
    page(GET, "/schedule", 200, Need::Session),
    page(POST, "/schedule/courses/{id}/book", 303, Need::CourseOnly),
    page(POST, "/schedule/sessions/{id}/move", 303, Need::Session),
    page(POST, "/schedule/sessions/{id}/cancel", 303, Need::Session),
    // The session is scheduled: a rebook passes the permission check, then is refused.
    page(POST, "/schedule/sessions/{id}/rebook", 409, Need::Session),
    page(GET, "/settings", 200, Need::Nothing),
    page(GET, "/settings/protocols/{id}", 200, Need::Nothing),
    page(POST, "/settings/users", 200, Need::Nothing),
    page(POST, "/settings/users/{id}", 303, Need::OtherUser),
    page(POST, "/settings/calendar", 303, Need::Nothing),
    page(POST, "/settings/hours", 303, Need::Nothing),
    page(POST, "/settings/prices", 303, Need::Nothing),
    page(POST, "/settings/prices/import", 303, Need::Nothing),
    page(GET, "/settings/prices.toml", 200, Need::Nothing),
    page(POST, "/settings/registration", 303, Need::Nothing),
    page(GET, "/settings/audit", 200, Need::Nothing),
    page(GET, "/settings/audit.csv", 200, Need::Nothing),
];

impl PageCase {
    /// `METHOD route`, as in the docs' table and denied audit rows.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.route)
    }
}

/// A page request ready to send.
#[derive(Debug)]
pub struct PreparedPage {
    pub path: String,
    /// Form fields (the CSRF token is added by the browser).
    pub fields: Vec<(String, String)>,
    /// For [`Need::FreshUser`]: the user to log in as.
    pub user: Option<TestUser>,
}

/// Makes what `case` needs in `w`'s clinic, and the request's path and form. `role` is who
/// will send it (`None`: anonymous), for the login form.
pub async fn prepare_page(w: &World, case: &PageCase, role: Option<Role>) -> PreparedPage {
    let mut course = None;
    let id = match case.need {
        Need::Nothing | Need::FreshUser => None,
        Need::Patient => Some(w.patient().await),
        Need::ScreenedPatient => Some(w.screened_patient().await),
        Need::Course => {
            let p = w.patient().await;
            course = Some(w.course_for(p).await);
            Some(p)
        }
        Need::CourseOnly => Some(w.course().await),
        Need::Session => Some(w.session().await),
        Need::PreChecked => Some(w.pre_checked_session().await),
        Need::Administered => Some(w.administered_session().await),
        Need::Discharged => Some(w.discharged_session().await),
        Need::OtherUser => Some(w.t.user(w.staff.clinic.id, Role::Nurse).await.user.id.0),
    };
    let mut path = case.route.to_owned();
    if let Some(id) = id {
        path = path.replace("{id}", &id.to_string());
    }
    if let Some(c) = course {
        path = path.replace("{course_id}", &c.to_string());
    }
    let user = match case.need {
        Need::FreshUser => Some(
            w.t.user(w.staff.clinic.id, role.unwrap_or(Role::Clinician))
                .await,
        ),
        _ => None,
    };
    let today = w.t.today().to_string();
    let later =
        w.t.today()
            .checked_add(jiff::Span::new().days(56))
            .unwrap()
            .to_string();
    let sender = w.staff.user(role.unwrap_or(Role::Clinician));
    let mrn = w.mrn();
    let email = format!("{}@pages.test", mrn.to_lowercase());
    let fields: Vec<(&str, &str)> = match (case.method.as_str(), case.route) {
        ("POST", "/login") => vec![
            ("email", &sender.user.email),
            ("password", PASSWORD),
            ("next", "/today"),
        ],
        ("POST", "/password") => vec![
            ("current", PASSWORD),
            ("new", "a new and longer passphrase"),
        ],
        ("POST", "/patients" | "/patients/new") => vec![
            ("given_name", "Page"),
            ("family_name", "Matrix"),
            ("birth_date", "1980-05-17"),
            ("mrn", &mrn),
            ("sex", "female"),
            ("weight_kg", "70"),
        ],
        ("POST", "/patients/{id}/screening") => vec![
            ("route", "iv_ketamine"),
            ("age_years", "45"),
            ("failed_adequate_trials", "2"),
            ("bp_systolic", "120"),
            ("bp_diastolic", "80"),
        ],
        ("POST", "/patients/{id}/assessments/new") => {
            let mut items = vec![("instrument", "phq9")];
            items.extend(
                [
                    "item1", "item2", "item3", "item4", "item5", "item6", "item7", "item8", "item9",
                ]
                .map(|item| (item, "1")),
            );
            items
        }
        ("POST", "/patients/{id}/courses") => {
            vec![("protocol", "iv-ketamine-6"), ("start_date", &today)]
        }
        ("POST", "/patients/{id}/courses/{course_id}/decisions") => {
            vec![("decision", "continue")]
        }
        ("POST", "/sessions/{id}/pre-checks") => vec![
            ("identity_confirmed", "on"),
            ("fasting_confirmed", "on"),
            ("transport_arranged", "on"),
            ("bp_systolic", "122"),
            ("bp_diastolic", "78"),
            ("heart_rate", "72"),
            ("spo2", "98"),
        ],
        ("POST", "/sessions/{id}/administration") => vec![
            ("route", "iv_ketamine"),
            ("dose_ordered_mg", "35"),
            ("dose_given_mg", "35"),
            ("lot", "LOT-1"),
        ],
        ("POST", "/sessions/{id}/monitoring") => vec![
            ("bp_systolic", "134"),
            ("bp_diastolic", "84"),
            ("spo2", "97"),
            ("moaas", "4"),
            ("cadss", "6"),
        ],
        ("POST", "/sessions/{id}/discharge") => vec![
            ("moaas", "5"),
            ("bp_systolic", "124"),
            ("bp_diastolic", "80"),
            ("clinically_stable", "on"),
            ("escort_present", "on"),
        ],
        ("POST", "/sessions/{id}/status") => vec![("status", "cancelled")],
        ("POST", "/schedule/courses/{id}/book") => vec![
            ("date", &later),
            ("start_time", "13:00"),
            ("reason", "The patient's only free day that week"),
        ],
        ("POST", "/schedule/sessions/{id}/move") => vec![("date", &today), ("start_time", "14:00")],
        ("POST", "/schedule/sessions/{id}/cancel") => vec![],
        ("POST", "/settings/hours") => vec![
            ("opening_hours", "mon 08:00-18:00\ntue 08:00-18:00"),
            ("chairs", "50"),
            ("session_minutes", "120"),
        ],
        ("POST", "/schedule/sessions/{id}/rebook") => vec![("date", &later)],
        ("POST", "/sessions/{id}/infusion-end") => vec![],
        ("POST", "/sessions/{id}/exceptional-end") => vec![
            ("kind", "transferred_to_emergency_care"),
            ("reason", "Chest pain after the dose; ambulance called"),
        ],
        ("POST", "/sessions/{id}/sign") => vec![],
        ("POST", "/sessions/{id}/addenda") => vec![
            ("text", "Patient mentioned mild nausea on the way out"),
            ("reason", "Reported after discharge"),
        ],
        ("POST", "/sessions/{id}/releases") => vec![
            ("gate", "suicide_screen_missing"),
            ("note", "Screened verbally: no ideation"),
        ],
        ("POST", "/settings/users") => vec![("email", &email), ("role", "nurse")],
        ("POST", "/settings/users/{id}") => vec![("role", "front_desk")],
        ("POST", "/settings/calendar") => vec![
            ("time_zone", "UTC"),
            ("open_days", "mon"),
            ("open_days", "tue"),
            ("open_days", "wed"),
            ("open_days", "thu"),
            ("open_days", "fri"),
            ("open_days", "sat"),
            ("open_days", "sun"),
        ],
        ("POST", "/settings/prices") => vec![
            ("currency", "EUR"),
            ("iv_ketamine", "400"),
            ("package_route", "iv_ketamine"),
            ("package_sessions", "6"),
            ("package_price", "2100.50"),
        ],
        ("POST", "/settings/registration") => vec![("mrn_pattern", "PM-{n:05}")],
        ("POST", "/patients/{id}/edit") => vec![
            ("given_name", "Page"),
            ("family_name", "Edited"),
            ("birth_date", "1980-05-17"),
            ("mrn", &mrn),
            ("sex", "female"),
            ("weight_kg", "70"),
            ("weight_measured_on", "2026-01-02"),
            ("phone", "+1 555 0100"),
            ("contact_consent", "yes"),
        ],
        ("POST", "/settings/prices/import") => vec![(
            "prices",
            "currency = \"EUR\"\n\n[per_session]\niv_ketamine = 400.00\n",
        )],
        ("POST", "/logout") => vec![],
        ("POST", route) => panic!("no form for {route}"),
        _ => vec![],
    };
    let fields: Vec<(String, String)> = fields
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    match case.route {
        "/settings/protocols/{id}" => path = path.replace("{id}", "iv-ketamine-6"),
        "/patients/{id}/assessments/new" if case.method == GET => {
            path.push_str("?instrument=phq9");
        }
        "/patients/{id}/courses/preview" => {
            path.push_str(&format!("?protocol=iv-ketamine-6&start_date={today}"));
        }
        "/patients" if case.method == GET => path.push_str("?search=love"),
        _ => {}
    }
    PreparedPage { path, fields, user }
}
