//! The clinic's web pages: server-rendered HTML (askama) with htmx for partial updates, over
//! the same [`cadence_app::App`] services as the JSON API. No SPA and no CDN: the stylesheet
//! and htmx are served by the binary, and the Content-Security-Policy allows no inline script.
//!
//! Every page is behind a browser login ([`PageAuth`]); a missing or expired login redirects to
//! `/login`. Every form carries the session's CSRF token (`csrf_token`), checked together with
//! Fetch-Metadata and Origin before any change ([`PageAuth::check_form`]). Errors render as a
//! page showing the stable error code ([`PageError`]).
//!
//! One module per page family: [`session`] (login, logout, password), `today`, `patients`,
//! `chart`, `clinical_forms`, `sessions`, `settings`.

mod assets;
mod chart;
pub(crate) mod clinical_forms;
mod patients;
mod schedule;
mod session;
mod sessions;
mod settings;
mod today;

use crate::AppState;
use crate::auth::{cookie_value, session_cookie_name, verify_csrf};
use crate::error::{CsrfRefused, StorageTrouble, WebError};
use crate::extract::RequestId;
use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cadence_app::ErrorCode;
use cadence_app::auth::{Authenticated, csrf_for};
use cadence_app::authz::{Permission, allows};
use cadence_app::records::{AuthSessionKind, Role};
use cadence_app::{Actor, AppError};

/// Every page route, with the state applied by the caller.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(session::routes())
        .merge(today::routes())
        .merge(schedule::routes())
        .merge(patients::routes())
        .merge(chart::routes())
        .merge(clinical_forms::routes())
        .merge(sessions::routes())
        .merge(settings::routes())
}

/// What the layout needs on every page: who is logged in, what the menu shows, and the CSRF
/// token forms must carry.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// The user's email (`None` on the login page).
    pub user: Option<String>,
    /// The user's role in words.
    pub role_label: &'static str,
    /// The session's CSRF token for forms.
    pub csrf_token: String,
    /// Whether the menu shows patient pages.
    pub sees_patients: bool,
    /// Whether the menu shows settings.
    pub is_admin: bool,
    /// The idle timeout, for the page's warning (0 when not logged in).
    pub idle_timeout_secs: i64,
}

/// A logged-in browser user on a page.
#[derive(Debug, Clone)]
pub struct PageAuth {
    /// The session and acting user.
    pub authenticated: Authenticated,
    /// The layout data.
    pub chrome: Chrome,
}

impl PageAuth {
    /// The acting user.
    pub fn actor(&self) -> &Actor {
        &self.authenticated.actor
    }

    /// Whether the user's role has a permission (to show or hide parts of a page).
    pub fn can(&self, permission: Permission) -> bool {
        allows(self.actor().role, permission)
    }

    /// The CSRF check for a submitted form: same origin, and its `csrf_token` field. A refusal
    /// is written to the audit log (object type `csrf`, as for the API) on its way out
    /// ([`crate::middleware::observe_answers`]), so the handlers' calls stay synchronous.
    pub fn check_form(&self, headers: &HeaderMap, uri: &Uri, token: &str) -> Result<(), PageError> {
        verify_csrf(headers, uri, &self.authenticated.session, Some(token)).map_err(|e| {
            let mut page = PageError::from_web(e, self.chrome.clone());
            page.csrf_refused = Some(Box::new(self.actor().clone()));
            page
        })
    }
}

/// Why a page could not be shown to this request.
#[derive(Debug)]
pub enum PageRejection {
    /// No valid login: go to the login page, then come back.
    Login(String),
    /// A one-time password must be changed first.
    Password,
    /// Anything else.
    Error(PageError),
}

impl IntoResponse for PageRejection {
    fn into_response(self) -> Response {
        match self {
            PageRejection::Login(next) => {
                Redirect::to(&format!("/login?next={}", percent_encode(&next))).into_response()
            }
            PageRejection::Password => Redirect::to("/password").into_response(),
            PageRejection::Error(e) => e.into_response(),
        }
    }
}

/// Percent-encodes a path for a query parameter (only unreserved characters and `/` pass).
pub(crate) fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The pages a login may return to: pages a person navigates to (no partials, no form
/// targets), as route templates. `{id}` is a record id (digits), `{name}` a protocol id.
const RETURN_PAGES: &[&str] = &[
    "/today",
    "/schedule",
    "/patients",
    "/patients/new",
    "/patients/{id}",
    "/patients/{id}/screening",
    "/patients/{id}/assessments/new",
    "/patients/{id}/courses/new",
    "/sessions/{id}",
    "/settings",
    "/settings/protocols/{name}",
    "/password",
];

/// Where to go after login: `next` if it is one of [`RETURN_PAGES`], with a query string of
/// plain or percent-encoded characters only; otherwise `/today`. An allow-list, because
/// browsers read far more than a leading `//` as another site (`/\evil`, `/%09/evil`
/// decoded to a tab, ...), and a CR or LF would not even fit in the `Location` header.
pub(crate) fn safe_next(next: &str) -> &str {
    let (path, query) = next.split_once('?').unwrap_or((next, ""));
    let query_ok = query.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~' | b'%' | b'=' | b'&' | b'+')
    });
    if query_ok && RETURN_PAGES.iter().any(|page| route_matches(page, path)) {
        next
    } else {
        "/today"
    }
}

fn route_matches(template: &str, path: &str) -> bool {
    let mut want = template.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some("{id}"), Some(seg)) => {
                if seg.is_empty() || seg.len() > 18 || !seg.bytes().all(|b| b.is_ascii_digit()) {
                    return false;
                }
            }
            (Some("{name}"), Some(seg)) => {
                let plain = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
                if seg.is_empty() || seg.len() > 64 || !seg.bytes().all(plain) {
                    return false;
                }
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

impl FromRequestParts<AppState> for PageAuth {
    type Rejection = PageRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = parts
            .uri
            .path_and_query()
            .map_or("/today", |p| p.as_str())
            .to_owned();
        let request_id = RequestId::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        let Some(token) = cookie_value(&parts.headers, session_cookie_name(&state.config)) else {
            return Err(PageRejection::Login(next));
        };
        let token = token.to_owned();
        let activity = crate::auth::activity_of(&parts.headers);
        let authenticated = match state
            .app
            .authenticate_for(&token, &request_id.0, activity)
            .await
        {
            Ok(a) if a.session.kind == AuthSessionKind::Browser => a,
            Ok(_) | Err(AppError::Unauthenticated) => return Err(PageRejection::Login(next)),
            Err(e) => {
                return Err(PageRejection::Error(PageError::from_app(
                    e,
                    Chrome::default(),
                )));
            }
        };
        let user = state
            .app
            .store()
            .get_user(authenticated.actor.user_id)
            .await
            .map_err(|e| PageRejection::Error(PageError::from_app(e.into(), Chrome::default())))?;
        let role = authenticated.actor.role;
        let chrome = Chrome {
            user: Some(user.email),
            role_label: role.label(),
            csrf_token: csrf_for(&token),
            sees_patients: allows(role, Permission::ReadPatients),
            is_admin: role == Role::Admin,
            idle_timeout_secs: state.app.config().idle_timeout.as_secs(),
        };
        let must_change = authenticated.must_change_password;
        let auth = PageAuth {
            authenticated,
            chrome,
        };
        if must_change && parts.uri.path() != "/password" && parts.uri.path() != "/logout" {
            return Err(PageRejection::Password);
        }
        Ok(auth)
    }
}

/// An error shown as a page, with its stable code.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    code: ErrorCode,
    message: Box<str>,
    /// Boxed, as errors travel by value.
    chrome: Box<Chrome>,
    /// Who sent a form that failed its CSRF check (to be audited); boxed, as errors travel
    /// by value.
    csrf_refused: Option<Box<Actor>>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: &'a Chrome,
    title: &'a str,
    message: &'a str,
    code: &'a str,
    status: u16,
}

impl PageError {
    /// From a service error.
    pub fn from_app(err: AppError, chrome: Chrome) -> PageError {
        PageError::from_web(WebError::from(err), chrome)
    }

    /// From a web-layer error.
    pub fn from_web(err: WebError, chrome: Chrome) -> PageError {
        PageError {
            status: err.status(),
            code: err.code(),
            message: err.message().into(),
            chrome: Box::new(chrome),
            csrf_refused: None,
        }
    }

    /// A page-level 404.
    pub fn not_found(chrome: Chrome) -> PageError {
        PageError {
            status: StatusCode::NOT_FOUND,
            code: ErrorCode::NotFound,
            message: "There is no such page, or it belongs to another clinic.".into(),
            chrome: Box::new(chrome),
            csrf_refused: None,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "Please check the form",
            StatusCode::CONFLICT => "Cannot do that now",
            StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
            StatusCode::SERVICE_UNAVAILABLE => "Cannot save right now",
            _ => "Something went wrong",
        };
        let page = ErrorPage {
            chrome: &self.chrome,
            title,
            message: &self.message,
            code: self.code.as_str(),
            status: self.status.as_u16(),
        };
        let mut response = (self.status, render(&page)).into_response();
        if self.code == ErrorCode::StorageUnavailable {
            response.extensions_mut().insert(StorageTrouble);
        }
        if let Some(actor) = self.csrf_refused {
            response.extensions_mut().insert(CsrfRefused(*actor));
        }
        response
    }
}

/// Renders a template into an HTML response body (a failed render is a generic 500 page).
pub(crate) fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>Error</title><p>Something went wrong (error code internal).</p>".to_owned()),
            )
                .into_response()
        }
    }
}

/// The fallback for paths that are not routes: JSON under `/api`, a page elsewhere.
pub(crate) async fn no_page(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        WebError::no_route().into_response()
    } else {
        PageError::not_found(Chrome::default()).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_known_pages_are_returned_to() {
        for good in [
            "/today",
            "/patients?search=ann+lee&phase=induction",
            "/patients/12",
            "/patients/12/assessments/new",
            "/sessions/7",
            "/settings/protocols/iv-ketamine-6",
        ] {
            assert_eq!(safe_next(good), good);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\tevil.example",
            "/\t/evil.example",
            "https://evil.example/today",
            "javascript:alert(1)",
            "/today\r\nSet-Cookie: x=1",
            "/today?x=\n",
            "/patients/../today",
            "/patients/12/",
            "/patients/-1",
            "/settings/protocols/%2F%2Fevil",
            "/login",
            "/sessions/3/timers",
            "today",
            "",
        ] {
            assert_eq!(safe_next(bad), "/today", "{bad:?}");
        }
    }
}
