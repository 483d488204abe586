//! `/settings`, the clinic admin's page: users and roles, the protocols in use, the clinic
//! calendar and the price list. Admins only; anyone else gets the `forbidden` page (and a
//! `denied` audit row).
//!
//! The page reads three services (the clinic, its users, its price list). Each form posts to
//! its own path ([`forms`]); a success redirects back here with `?saved=<what>`, a rejection
//! re-renders this page with the message beside the form and what was typed (422). A new
//! user's one-time password is shown once, on the page that answers the form.

mod audit;
mod forms;
mod hours;

use super::today::service_error;
use super::{Chrome, PageAuth, PageError, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use cadence_app::AppError;
use cadence_app::authz::Permission;
use cadence_app::records::{Clinic, Role};
use cadence_clinical::protocol;
use jiff::civil::Weekday;
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings", get(settings))
        .route("/settings/protocols/{id}", get(protocol_page))
        .route("/settings/users", post(forms::add_user))
        .route("/settings/users/{id}", post(forms::update_user))
        .route("/settings/calendar", post(forms::calendar))
        .route("/settings/prices", post(forms::price_fields))
        .route("/settings/prices/import", post(forms::prices))
        .route("/settings/prices.toml", get(forms::export_prices))
        .route("/settings/registration", post(forms::registration))
        .route("/settings/audit", get(audit::view))
        .route("/settings/audit.csv", get(audit::csv))
        .route("/settings/hours", post(hours::hours))
}

/// The weekdays as the calendar form lists them, Monday first.
const WEEKDAYS: [(&str, &str, Weekday); 7] = [
    ("mon", "Monday", Weekday::Monday),
    ("tue", "Tuesday", Weekday::Tuesday),
    ("wed", "Wednesday", Weekday::Wednesday),
    ("thu", "Thursday", Weekday::Thursday),
    ("fri", "Friday", Weekday::Friday),
    ("sat", "Saturday", Weekday::Saturday),
    ("sun", "Sunday", Weekday::Sunday),
];

fn role_label(role: Role) -> &'static str {
    role.label()
}

/// An option of a select.
struct Choice {
    id: &'static str,
    label: &'static str,
    selected: bool,
}

fn role_choices(selected: &str) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            id: r.as_str(),
            label: role_label(*r),
            selected: r.as_str() == selected,
        })
        .collect()
}

/// A user row.
struct UserRow {
    id: i64,
    email: String,
    role: &'static str,
    roles: Vec<Choice>,
    disabled: bool,
    must_change: bool,
    is_me: bool,
}

/// A built-in protocol.
struct ProtocolRow {
    id: &'static str,
    title: String,
    version: u32,
    route: &'static str,
}

/// A weekday checkbox.
struct DayChoice {
    id: &'static str,
    label: &'static str,
    checked: bool,
}

/// A session ended exceptionally, as admins review it.
struct ExceptionalRow {
    session_id: i64,
    date: jiff::civil::Date,
    kind: &'static str,
    at: String,
    by: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    clinic_name: String,
    exceptional: Vec<ExceptionalRow>,
    saved: Option<&'static str>,
    users: Vec<UserRow>,
    user_problem: Option<String>,
    new_email: String,
    new_roles: Vec<Choice>,
    new_account: Option<(String, String)>,
    protocols: Vec<ProtocolRow>,
    time_zone: String,
    days: Vec<DayChoice>,
    closed_dates: String,
    calendar_problem: Option<String>,
    prices: String,
    prices_problem: Option<String>,
    /// The price list as form fields (from the stored file, or as typed).
    price_fields: forms::PriceFields,
    /// Every time zone of the bundled database, for the picker.
    zones: Vec<String>,
    mrn_pattern: String,
    /// The MRN the pattern gives the first patient, as an example.
    mrn_example: String,
    registration_problem: Option<String>,
    /// The clinic's day (issue 16 §1): `mon 09:00-17:00` lines, chairs, session minutes.
    opening_hours: String,
    chairs: u16,
    session_minutes: u16,
    hours_problem: Option<String>,
}

impl SettingsPage {
    /// Shows the calendar form with these values (stored or as typed).
    fn set_calendar(&mut self, time_zone: String, open: &dyn Fn(&str) -> bool, closed: String) {
        self.time_zone = time_zone;
        self.days = WEEKDAYS
            .iter()
            .map(|(id, label, _)| DayChoice {
                id,
                label,
                checked: open(id),
            })
            .collect();
        self.closed_dates = closed;
    }
}

/// Builds the page from the stored settings (a read per section), or the error page.
async fn load(state: &AppState, auth: &PageAuth, route: &str) -> Result<SettingsPage, PageError> {
    let app = &state.app;
    let actor = auth.actor();
    let loaded: Result<(Clinic, _, _, _, _), AppError> = async {
        let clinic = app.clinic_settings(actor).await?;
        let users = app.list_users(actor).await?;
        let prices = app.price_list_text(actor).await?;
        let ends = app.exceptional_ends(actor).await?;
        let pattern = app.registration_mrn_pattern(actor).await?;
        Ok((clinic, users, prices, ends, pattern))
    }
    .await;
    let (clinic, users, prices, ends, pattern) = match loaded {
        Ok(l) => l,
        Err(e) => return Err(service_error(state, auth, e, route).await),
    };
    let tz = clinic.time_zone.time_zone().clone();
    let exceptional = ends
        .iter()
        .map(|e| ExceptionalRow {
            session_id: e.treatment_session_id.0,
            date: e.scheduled_on,
            kind: e.kind.label(),
            at: e
                .ended_at
                .to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string(),
            by: users
                .iter()
                .find(|u| u.id == e.recorded_by)
                .map_or_else(|| format!("user {}", e.recorded_by), |u| u.email.clone()),
        })
        .collect();
    let users = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id.0,
            roles: role_choices(u.role.as_str()),
            role: role_label(u.role),
            email: u.email,
            disabled: u.disabled,
            must_change: u.must_change_password,
            is_me: u.id == actor.user_id,
        })
        .collect();
    let protocols = protocol::builtin_ids()
        .iter()
        .filter_map(|id| protocol::builtin(id).map(|p| (*id, p)))
        .map(|(id, p)| ProtocolRow {
            id,
            title: p.title,
            version: p.version,
            route: p.route.label(),
        })
        .collect();
    let open = clinic.open_days;
    let closed = clinic
        .closed_dates
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    let mut page = SettingsPage {
        chrome: auth.chrome.clone(),
        clinic_name: clinic.name,
        exceptional,
        saved: None,
        users,
        user_problem: None,
        new_email: String::new(),
        new_roles: role_choices(Role::Clinician.as_str()),
        new_account: None,
        protocols,
        time_zone: String::new(),
        days: Vec::new(),
        closed_dates: String::new(),
        calendar_problem: None,
        price_fields: forms::PriceFields::of(prices.as_deref()),
        prices: prices.unwrap_or_default(),
        prices_problem: None,
        zones: jiff::tz::db()
            .available()
            .map(|z| z.as_str().to_owned())
            .collect(),
        mrn_example: pattern.mrn(1),
        mrn_pattern: pattern.to_string(),
        registration_problem: None,
        opening_hours: clinic.opening_hours.to_string().replace(',', "\n"),
        chairs: clinic.chairs,
        session_minutes: clinic.session_minutes,
        hours_problem: None,
    };
    let is_open = |id: &str| {
        WEEKDAYS
            .iter()
            .any(|(day, _, weekday)| *day == id && open.contains(*weekday))
    };
    page.set_calendar(clinic.time_zone.into(), &is_open, closed);
    Ok(page)
}

#[derive(Debug, Default, Deserialize)]
struct SavedQuery {
    #[serde(default)]
    saved: String,
}

async fn settings(
    State(state): State<AppState>,
    auth: PageAuth,
    Query(query): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let mut page = load(&state, &auth, "GET /settings").await?;
    page.saved = match query.saved.as_str() {
        "user" => Some("The user's access is saved."),
        "calendar" => Some("The clinic calendar is saved."),
        "prices" => Some("The price list is saved."),
        "registration" => Some("The MRN pattern is saved."),
        "hours" => Some("The opening hours, chairs and session length are saved."),
        _ => None,
    };
    Ok(render(&page))
}

/// Columns of the resolved protocol's `<pre>`: it must fit a 768-px tablet without scrolling
/// sideways (the stylesheet, and so the CSP, leave `<pre>` unwrapped).
pub(crate) const PRE_COLUMNS: usize = 72;

/// Wraps each line longer than `width` at spaces; continuation lines keep the line's indent
/// plus two spaces. A word longer than the width stays whole.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width.max(1));
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let mut current = " ".repeat(indent);
        let mut empty = true;
        for word in line.split_whitespace() {
            if !empty && current.chars().count() + 1 + word.chars().count() > width {
                out.push_str(&current);
                out.push('\n');
                current = " ".repeat(indent + 2);
                empty = true;
            }
            if !empty {
                current.push(' ');
            }
            current.push_str(word);
            empty = false;
        }
        out.push_str(current.trim_end());
        out.push('\n');
    }
    out
}

#[derive(Template)]
#[template(path = "settings_protocol.html")]
struct ProtocolPage {
    chrome: Chrome,
    id: String,
    title: String,
    resolved: String,
    text: &'static str,
}

async fn protocol_page(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    if !auth.can(Permission::Administer) {
        let err = AppError::Forbidden(Permission::Administer.phrase());
        return Err(service_error(&state, &auth, err, "GET /settings/protocols/{id}").await);
    }
    let (Some(text), Some(p)) = (protocol::builtin_text(&id), protocol::builtin(&id)) else {
        return Err(PageError::not_found(auth.chrome));
    };
    Ok(render(&ProtocolPage {
        chrome: auth.chrome,
        id: p.id.clone(),
        title: p.title.clone(),
        resolved: wrap(&p.describe(), PRE_COLUMNS),
        text,
    }))
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_lines_wrap_with_a_hanging_indent() {
        let text = "Title\n  one two three four five six\n\nx";
        assert_eq!(
            wrap(text, 12),
            "Title\n  one two\n    three\n    four\n    five six\n\nx\n"
        );
        for line in wrap(&"word ".repeat(40), 20).lines() {
            assert!(line.len() <= 20, "{line}");
        }
    }
}
