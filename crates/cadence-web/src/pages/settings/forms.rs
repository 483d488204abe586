//! The settings forms: change a user's role or access, add a user, set the calendar, set the
//! price list. Each checks the CSRF token first, then calls its admin service; a rejection
//! re-renders the settings page with the message beside the form (422).

use super::{WEEKDAYS, load, role_choices};
use crate::AppState;
use crate::pages::today::service_error;
use crate::pages::{PageAuth, PageError, render};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use cadence_app::ids::UserId;
use cadence_app::records::Role;
use cadence_app::settings::parse_closed_date_lines;
use cadence_app::{AppError, ErrorCode};
use cadence_clinical::calendar::OpenDays;
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

/// `POST /settings/prices`: the price list file, checked before it is stored.
pub(super) async fn prices(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<PricesForm>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    const ROUTE: &str = "POST /settings/prices";
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
