//! Logging in and out in a browser, and changing a one-time password.

use super::{Chrome, PageAuth, PageError, render, safe_next};
use crate::AppState;
use crate::auth::{browser_login, clear_session_cookie};
use crate::extract::{ClientAddress, RequestId};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use cadence_app::{AppError, ErrorCode};
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/today") }))
        .route("/login", get(login_form).post(login))
        .route("/logout", axum::routing::post(logout))
        .route("/password", get(password_form).post(change_password))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    problem: Option<String>,
    email: String,
    next: String,
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_form(Query(q): Query<NextQuery>) -> Response {
    render(&LoginPage {
        chrome: Chrome::default(),
        problem: None,
        email: String::new(),
        next: safe_next(q.next.as_deref().unwrap_or("/today")).to_owned(),
    })
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    request_id: RequestId,
    ClientAddress(address): ClientAddress,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(&form.next).to_owned();
    match browser_login(
        &state,
        &headers,
        &uri,
        &form.email,
        &form.password,
        &address,
        &request_id.0,
    )
    .await
    {
        Ok((login, cookie)) => {
            let target = if login.must_change_password {
                "/password".to_owned()
            } else {
                next
            };
            ([(SET_COOKIE, cookie)], Redirect::to(&target)).into_response()
        }
        Err(e) => {
            let status = e.status();
            let problem = match e.code() {
                ErrorCode::TooManyAttempts => e.message().to_owned(),
                ErrorCode::CsrfFailed => "This form must be sent from a Cadence page.".to_owned(),
                _ => "The email or password is not right.".to_owned(),
            };
            let page = LoginPage {
                chrome: Chrome::default(),
                problem: Some(problem),
                email: form.email,
                next,
            };
            (status, render(&page)).into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn logout(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    state
        .app
        .logout(&auth.authenticated)
        .await
        .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?;
    let mut response = Redirect::to("/login").into_response();
    let h = response.headers_mut();
    h.insert(SET_COOKIE, clear_session_cookie(&state.config));
    h.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    problem: Option<String>,
}

async fn password_form(auth: PageAuth) -> Response {
    render(&PasswordPage {
        chrome: auth.chrome,
        problem: None,
    })
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    csrf_token: String,
    current: String,
    new: String,
}

async fn change_password(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    ClientAddress(address): ClientAddress,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    auth.check_form(&headers, &uri, &form.csrf_token)?;
    match state
        .app
        .change_password(&auth.authenticated, &form.current, &form.new, &address)
        .await
    {
        Ok(()) => Ok(Redirect::to("/today").into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            let page = PasswordPage {
                chrome: auth.chrome,
                problem: Some(e.to_string()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(PageError::from_app(e, auth.chrome)),
    }
}
