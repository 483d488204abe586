//! `/api/v1/auth`: logins (bearer token for API clients, cookie for browsers), logout and
//! password change.

use crate::AppState;
use crate::auth::{Carrier, PendingAuth, browser_login, clear_session_cookie};
use crate::error::WebError;
use crate::extract::{ApiJson, ClientAddress, RequestId};
use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use cadence_app::records::AuthSessionKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Login email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// An API session.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiLogin {
    /// The bearer token (256 random bits, hex). Only its hash is stored.
    pub token: String,
    /// The session ends after this many seconds without a request.
    pub expires_in_idle_secs: i64,
    /// The session ends this many seconds after login, whatever the activity.
    pub absolute_lifetime_secs: i64,
    /// The one-time password must be changed (POST /api/v1/auth/password) before anything
    /// else.
    pub must_change_password: bool,
}

/// A browser session: the token is in the `Set-Cookie` header, never in the body.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrowserLogin {
    /// Send as `X-CSRF-Token` with every state-changing request.
    pub csrf_token: String,
    /// The session ends after this many seconds without a request.
    pub expires_in_idle_secs: i64,
    /// The session ends this many seconds after login, whatever the activity.
    pub absolute_lifetime_secs: i64,
    /// The one-time password must be changed before anything else.
    pub must_change_password: bool,
}

/// The session as it stands, for a page's idle warning.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignInState {
    /// The session ends this many seconds after the user's last request (this one counts).
    pub idle_timeout_secs: i64,
    /// When it ends if nothing more happens (RFC 3339).
    #[schema(value_type = String)]
    pub idle_ends_at: jiff::Timestamp,
    /// When it ends whatever happens (RFC 3339).
    #[schema(value_type = String)]
    pub absolute_ends_at: jiff::Timestamp,
    /// For a cookie session, its CSRF token: a page refreshes its forms with it after a new
    /// login in another tab, so what was typed can still be sent.
    pub csrf_token: Option<String>,
}

/// The current session: when it ends. A call is the user's activity (the page reports typing
/// this way), so it also keeps the session alive up to its absolute lifetime.
#[utoipa::path(
    get, path = "/api/v1/auth/session", tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The session", body = SignInState),
        (status = 401, description = "No session, or it ended", body = crate::schema::ErrorBody),
    )
)]
pub(crate) async fn session_status(
    State(state): State<AppState>,
    auth: PendingAuth,
) -> Result<Json<SignInState>, WebError> {
    let auth = auth.0;
    let config = state.app.config();
    let now = state.app.now();
    let session = &auth.authenticated.session;
    let later = |at: jiff::Timestamp, by: jiff::SignedDuration| at.saturating_add(by).unwrap_or(at);
    Ok(Json(SignInState {
        idle_timeout_secs: config.idle_timeout.as_secs(),
        idle_ends_at: later(now, config.idle_timeout),
        absolute_ends_at: later(session.created_at, config.absolute_timeout),
        csrf_token: auth.csrf_token.clone(),
    }))
}

/// The current and the new password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// The current password.
    pub current: String,
    /// The new password: 8 to 128 characters, no other rules.
    pub new: String,
}

fn lifetimes(state: &AppState) -> (i64, i64) {
    let config = state.app.config();
    (
        config.idle_timeout.as_secs(),
        config.absolute_timeout.as_secs(),
    )
}

/// Log in as an API client.
///
/// An unknown email and a wrong password get the same answer. Repeated failures for one
/// account or from one address are refused with 429 and `Retry-After`.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Logged in", body = ApiLogin),
        (status = 400, description = "Malformed request", body = crate::schema::ErrorBody),
        (status = 401, description = "Wrong email or password (`invalid_credentials`)", body = crate::schema::ErrorBody),
        (status = 413, description = "Body over the limit", body = crate::schema::ErrorBody),
        (status = 415, description = "Body is not JSON", body = crate::schema::ErrorBody),
        (status = 429, description = "Too many failed attempts", body = crate::schema::ErrorBody),
    )
)]
pub(crate) async fn login(
    State(state): State<AppState>,
    request_id: RequestId,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Json<ApiLogin>, WebError> {
    let login = state
        .app
        .login(
            &body.email,
            &body.password,
            AuthSessionKind::Api,
            &address,
            &request_id.0,
        )
        .await?;
    let (idle, absolute) = lifetimes(&state);
    Ok(Json(ApiLogin {
        token: login.token,
        expires_in_idle_secs: idle,
        absolute_lifetime_secs: absolute,
        must_change_password: login.must_change_password,
    }))
}

/// Log in as a browser: the session cookie is set (`HttpOnly; SameSite=Strict`, `Secure`
/// over TLS) and the CSRF token returned. A session the browser already had is ended.
#[utoipa::path(
    post, path = "/api/v1/auth/session", tag = "auth",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Logged in; see Set-Cookie", body = BrowserLogin),
        (status = 400, description = "Malformed request", body = crate::schema::ErrorBody),
        (status = 401, description = "Wrong email or password", body = crate::schema::ErrorBody),
        (status = 403, description = "Cross-site request (`csrf_failed`)", body = crate::schema::ErrorBody),
        (status = 413, description = "Body over the limit", body = crate::schema::ErrorBody),
        (status = 415, description = "Body is not JSON", body = crate::schema::ErrorBody),
        (status = 429, description = "Too many failed attempts", body = crate::schema::ErrorBody),
    )
)]
pub(crate) async fn browser_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    request_id: RequestId,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Response, WebError> {
    let (login, cookie) = browser_login(
        &state,
        &headers,
        &uri,
        &body.email,
        &body.password,
        &address,
        &request_id.0,
    )
    .await?;
    let (idle, absolute) = lifetimes(&state);
    let body = BrowserLogin {
        csrf_token: login.csrf_token.unwrap_or_default(),
        expires_in_idle_secs: idle,
        absolute_lifetime_secs: absolute,
        must_change_password: login.must_change_password,
    };
    Ok(([(SET_COOKIE, cookie)], Json(body)).into_response())
}

/// Log out: the session ends on the server, and the browser is told to clear its copy.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Logged out"))
)]
pub(crate) async fn logout(
    State(state): State<AppState>,
    PendingAuth(auth): PendingAuth,
) -> Result<Response, WebError> {
    state.app.logout(&auth.authenticated).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    if auth.carrier == Carrier::Cookie {
        headers.insert(SET_COOKIE, clear_session_cookie(&state.config));
    }
    Ok(response)
}

/// Change your password. Your other sessions end; this one stays.
///
/// Wrong current passwords count against the same limits as failed logins (429 and
/// `Retry-After`).
#[utoipa::path(
    post, path = "/api/v1/auth/password", tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    request_body = PasswordBody,
    responses((status = 204, description = "Changed"))
)]
pub(crate) async fn change_password(
    State(state): State<AppState>,
    PendingAuth(auth): PendingAuth,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<PasswordBody>,
) -> Result<StatusCode, WebError> {
    state
        .app
        .change_password(&auth.authenticated, &body.current, &body.new, &address)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
