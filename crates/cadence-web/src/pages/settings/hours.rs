//! `POST /settings/hours`: the clinic's day (issue 16 §1): opening hours per weekday, chairs
//! and the session length, through [`cadence_app::App::set_clinic_hours`]. Self-contained so
//! the rest of the settings page can change around it.

use crate::AppState;
use crate::pages::clinical_forms::support::Fields;
use crate::pages::today::service_error;
use crate::pages::{PageAuth, PageError, render};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use cadence_app::{AppError, ErrorCode};

/// The form's number field, or `out_of_range`.
fn number(fields: &Fields, name: &str) -> Result<u16, AppError> {
    let text = fields.get(name).unwrap_or_default();
    text.parse::<u16>().map_err(|_| {
        AppError::invalid(
            ErrorCode::OutOfRange,
            format!("{name} `{text}` is not a number"),
        )
    })
}

pub(super) async fn hours(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    const ROUTE: &str = "POST /settings/hours";
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let result = async {
        let chairs = number(&fields, "chairs")?;
        let minutes = number(&fields, "session_minutes")?;
        state
            .app
            .set_clinic_hours(auth.actor(), &fields.text("opening_hours"), chairs, minutes)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/settings?saved=hours#hours").into_response()),
        // A refusal shows beside the form, with what was typed, like the other settings.
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            let mut page = super::load(&state, &auth, ROUTE).await?;
            page.hours_problem = Some(e.to_string());
            page.opening_hours = fields.text("opening_hours");
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(service_error(&state, &auth, e, ROUTE).await),
    }
}
