//! The settings forms: change a user's role or access, add a user, set the calendar, set the
//! price list. Each checks the CSRF token first, then calls its admin service; a rejection
//! re-renders the settings page with the message beside the form (422).

use super::{WEEKDAYS, load, role_choices};
use crate::AppState;
use crate::pages::today::service_error;
use crate::pages::{PageAuth, PageError, render};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use cadence_app::ids::UserId;
use cadence_app::records::Role;
use cadence_app::settings::parse_closed_date_lines;
use cadence_app::{AppError, ErrorCode};
use cadence_clinical::calendar::OpenDays;
use cadence_clinical::price::PriceList;
use cadence_clinical::route::Route;
use serde::Deserialize;

/// An error a form shows beside itself (invalid input or a conflict); anything else is the
/// error page.
fn shown(err: &AppError) -> bool {
    matches!(err, AppError::Invalid { .. } | AppError::Conflict { .. })
}

fn unprocessable(page: &super::SettingsPage) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AccessForm {
    csrf_token: String,
    role: String,
    disabled: Option<String>,
}

/// `POST /settings/users/{id}`: a user's role and whether they are disabled.
pub(super) async fn update_user(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<AccessForm>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    const ROUTE: &str = "POST /settings/users/{id}";
    let Some(id) = id.parse::<i64>().ok().filter(|id| *id > 0) else {
        return Err(PageError::not_found(auth.chrome));
    };
    let result = match form.role.parse::<Role>() {
        Ok(role) => {
            state
                .app
                .update_user_access(auth.actor(), UserId(id), role, form.disabled.is_some())
                .await
        }
        Err(_) => Err(AppError::invalid(
            ErrorCode::InvalidRole,
            "choose a role: admin, clinician, nurse, front_desk or researcher",
        )),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/settings?saved=user#users").into_response()),
        Err(e) if shown(&e) => {
            let mut page = load(&state, &auth, ROUTE).await?;
            page.user_problem = Some(e.to_string());
            Ok(unprocessable(&page))
        }
        Err(e) => Err(service_error(&state, &auth, e, ROUTE).await),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct NewUserForm {
    csrf_token: String,
    email: String,
    role: String,
}

/// `POST /settings/users`: adds a user and shows their one-time password, once.
pub(super) async fn add_user(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<NewUserForm>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    const ROUTE: &str = "POST /settings/users";
    let result = match form.role.parse::<Role>() {
        Ok(role) => state.app.add_user(auth.actor(), &form.email, role).await,
        Err(_) => Err(AppError::invalid(
            ErrorCode::InvalidRole,
            "choose a role: admin, clinician, nurse, front_desk or researcher",
        )),
    };
    match result {
        Ok(account) => {
            // Loaded after the change, so the new user is in the table.
            let mut page = load(&state, &auth, ROUTE).await?;
            page.new_account = Some((account.user.email, account.one_time_password));
            Ok(render(&page))
        }
        Err(e) if shown(&e) => {
            let mut page = load(&state, &auth, ROUTE).await?;
            page.user_problem = Some(e.to_string());
            page.new_email = form.email;
            page.new_roles = role_choices(&form.role);
            Ok(unprocessable(&page))
        }
        Err(e) => Err(service_error(&state, &auth, e, ROUTE).await),
    }
}

/// The calendar form's fields (a checkbox per open weekday, all named `open_days`).
#[derive(Debug, Default)]
struct CalendarForm {
    csrf_token: String,
    time_zone: String,
    open_days: Vec<String>,
    closed_dates: String,
}

impl CalendarForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> CalendarForm {
        let mut form = CalendarForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf_token" => form.csrf_token = value,
                "time_zone" => form.time_zone = value,
                "open_days" => form.open_days.push(value),
                "closed_dates" => form.closed_dates = value,
                _ => {}
            }
        }
        form
    }

    /// The open weekdays, or why not.
    fn open_days(&self) -> Result<OpenDays, AppError> {
        let days = self
            .open_days
            .iter()
            .map(|id| {
                WEEKDAYS
                    .iter()
                    .find(|(day, _, _)| day == id)
                    .map(|(_, _, weekday)| *weekday)
                    .ok_or_else(|| {
                        AppError::invalid(
                            ErrorCode::InvalidOpenDays,
                            format!("`{id}` is not a weekday"),
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        OpenDays::from_weekdays(days).map_err(|e| AppError::invalid(ErrorCode::InvalidOpenDays, e))
    }
}

/// `POST /settings/calendar`: time zone, open weekdays and closed dates.
pub(super) async fn calendar(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = CalendarForm::from_pairs(pairs);
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    const ROUTE: &str = "POST /settings/calendar";
    let result = async {
        let open = form.open_days()?;
        let closed = parse_closed_date_lines(&form.closed_dates)?;
        state
            .app
            .update_calendar(auth.actor(), &form.time_zone, open, &closed)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/settings?saved=calendar#calendar").into_response()),
        Err(e) if shown(&e) => {
            let mut page = load(&state, &auth, ROUTE).await?;
            page.calendar_problem = Some(e.to_string());
            let ticked = |id: &str| form.open_days.iter().any(|d| d == id);
            page.set_calendar(form.time_zone.clone(), &ticked, form.closed_dates.clone());
            Ok(unprocessable(&page))
        }
        Err(e) => Err(service_error(&state, &auth, e, ROUTE).await),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PricesForm {
    csrf_token: String,
    prices: String,
}

/// `POST /settings/prices/import`: a price list file, checked before it is stored.
pub(super) async fn prices(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<PricesForm>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    const ROUTE: &str = "POST /settings/prices/import";
    // Browsers send textarea line breaks as CRLF; the stored file uses LF.
    let text = form.prices.replace("\r\n", "\n");
    match state.app.set_price_list(auth.actor(), &text).await {
        Ok(_) => Ok(Redirect::to("/settings?saved=prices#prices").into_response()),
        Err(e) if shown(&e) => {
            let mut page = load(&state, &auth, ROUTE).await?;
            page.prices_problem = Some(e.to_string());
            page.prices = text;
            Ok(unprocessable(&page))
        }
        Err(e) => Err(service_error(&state, &auth, e, ROUTE).await),
    }
}

/// The price list as form fields: a price per route and an optional induction package
/// (issue 16 §7). The form writes the TOML file the import takes, so both stay one format.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct PriceFields {
    pub(crate) csrf_token: String,
    pub(crate) currency: String,
    pub(crate) esketamine: String,
    pub(crate) iv_ketamine: String,
    pub(crate) im_ketamine: String,
    /// A route id, or empty for no package.
    pub(crate) package_route: String,
    pub(crate) package_sessions: String,
    pub(crate) package_price: String,
}

impl PriceFields {
    /// The fields of a stored price list (empty when none, or when it does not parse).
    pub(crate) fn of(text: Option<&str>) -> PriceFields {
        let Some(prices) = text.and_then(|t| PriceList::from_toml(t).ok()) else {
            return PriceFields {
                currency: "USD".into(),
                ..PriceFields::default()
            };
        };
        let price = |r: Route| {
            prices
                .per_session
                .get(&r)
                .map(ToString::to_string)
                .unwrap_or_default()
        };
        let package = prices.induction_package;
        PriceFields {
            csrf_token: String::new(),
            currency: prices.currency.to_string(),
            esketamine: price(Route::Esketamine),
            iv_ketamine: price(Route::IvKetamine),
            im_ketamine: price(Route::ImKetamine),
            package_route: package
                .map(|p| p.route.as_str().to_owned())
                .unwrap_or_default(),
            package_sessions: package.map(|p| p.sessions.to_string()).unwrap_or_default(),
            package_price: package.map(|p| p.price.to_string()).unwrap_or_default(),
        }
    }

    /// The routes for the form: id, label, price as typed.
    pub(crate) fn routes(&self) -> Vec<(&'static str, &'static str, &str)> {
        vec![
            (
                "iv_ketamine",
                Route::IvKetamine.label(),
                self.iv_ketamine.as_str(),
            ),
            (
                "im_ketamine",
                Route::ImKetamine.label(),
                self.im_ketamine.as_str(),
            ),
            (
                "esketamine",
                Route::Esketamine.label(),
                self.esketamine.as_str(),
            ),
        ]
    }

    /// The price list file these fields make, or the field to fix. Every value is checked
    /// to be a plain number or code before it is written, so no field can add TOML of its own.
    fn to_toml(&self) -> Result<String, AppError> {
        let bad = |field: &str, what: &str| {
            AppError::invalid(ErrorCode::InvalidPriceList, format!("{field}: {what}"))
        };
        let amount = |field: &str, v: &str| -> Result<Option<String>, AppError> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            let (whole, cents) = v.split_once('.').unwrap_or((v, "00"));
            let digits = |s: &str, max: usize| {
                !s.is_empty() && s.len() <= max && s.chars().all(|c| c.is_ascii_digit())
            };
            if !digits(whole, 9) || !digits(cents, 2) {
                return Err(bad(field, "write an amount like 450 or 450.00"));
            }
            Ok(Some(format!("{whole}.{cents:0<2}")))
        };
        let currency = self.currency.trim();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(bad(
                "currency",
                "write a 3-letter code like USD, EUR or GBP",
            ));
        }
        let mut text = format!("currency = \"{currency}\"\n\n[per_session]\n");
        for (id, label, value) in self.routes() {
            if let Some(a) = amount(label, value)? {
                text.push_str(&format!("{id} = {a}\n"));
            }
        }
        let route = self.package_route.trim();
        if !route.is_empty() {
            let route = route
                .parse::<Route>()
                .map_err(|_| bad("induction package", "choose a route"))?;
            let sessions = self
                .package_sessions
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(|| bad("package sessions", "write a number of sessions, 1 to 100"))?;
            let price = amount("package price", &self.package_price)?
                .ok_or_else(|| bad("package price", "write the package's price"))?;
            text.push_str(&format!(
                "\n[induction_package]\nroute = \"{}\"\nsessions = {sessions}\nprice = {price}\n",
                route.as_str()
            ));
        }
        Ok(text)
    }
}

/// `POST /settings/prices`: the price list from the form's fields.
pub(super) async fn price_fields(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<PriceFields>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    const ROUTE: &str = "POST /settings/prices";
    let result = match form.to_toml() {
        Ok(text) => state
            .app
            .set_price_list(auth.actor(), &text)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/settings?saved=prices#prices").into_response()),
        Err(e) if shown(&e) => {
            let mut page = load(&state, &auth, ROUTE).await?;
            page.prices_problem = Some(e.to_string());
            page.price_fields = form;
            Ok(unprocessable(&page))
        }
        Err(e) => Err(service_error(&state, &auth, e, ROUTE).await),
    }
}

/// `GET /settings/prices.toml`: the stored price list file, to keep or edit elsewhere.
pub(super) async fn export_prices(
    State(state): State<AppState>,
    auth: PageAuth,
) -> Result<Response, PageError> {
    match state.app.price_list_text(auth.actor()).await {
        Ok(text) => Ok((
            [
                (header::CONTENT_TYPE, "application/toml; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"price-list.toml\"",
                ),
            ],
            text.unwrap_or_default(),
        )
            .into_response()),
        Err(e) => Err(service_error(&state, &auth, e, "GET /settings/prices.toml").await),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RegistrationForm {
    csrf_token: String,
    mrn_pattern: String,
}

/// `POST /settings/registration`: the MRN pattern.
pub(super) async fn registration(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<RegistrationForm>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    const ROUTE: &str = "POST /settings/registration";
    match state
        .app
        .set_mrn_pattern(auth.actor(), &form.mrn_pattern)
        .await
    {
        Ok(_) => Ok(Redirect::to("/settings?saved=registration#registration").into_response()),
        Err(e) if shown(&e) => {
            let mut page = load(&state, &auth, ROUTE).await?;
            page.registration_problem = Some(e.to_string());
            page.mrn_pattern = form.mrn_pattern;
            Ok(unprocessable(&page))
        }
        Err(e) => Err(service_error(&state, &auth, e, ROUTE).await),
    }
}
