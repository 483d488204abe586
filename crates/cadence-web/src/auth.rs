//! Who is asking: session credentials, the session cookie, and CSRF protection.
//!
//! Two carriers, one kind of server-side session each:
//! - API clients send `Authorization: Bearer <token>` (sessions of kind `api`). Nothing sends
//!   the header on its own, so these requests cannot be forged cross-site and need no CSRF
//!   token.
//! - Browsers hold the token in an `HttpOnly; SameSite=Strict` cookie (kind `browser`),
//!   named `__Host-cadence_session` when [`WebConfig::secure_cookies`] is set, and
//!   `cadence_session` on plain-HTTP development servers (browsers refuse `__Host-` cookies
//!   without `Secure`). A cookie rides along on any request, so every state-changing cookie
//!   request must also prove it came from a Cadence page: the session's CSRF token in the
//!   `X-CSRF-Token` header (or the `csrf_token` form field, for HTML forms: [`verify_csrf`]),
//!   no `Sec-Fetch-Site: cross-site` / `same-site`, and an `Origin`, if sent, naming this
//!   host.
//!
//! A token presented on the other carrier than its session's kind is refused, so a stolen
//! browser token cannot skip the CSRF check by moving to the header.

use crate::error::WebError;
use crate::extract::RequestId;
use crate::{AppState, WebConfig};
use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::header::{AUTHORIZATION, COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use cadence_app::audit::{AuditAction, ObjectType};
use cadence_app::auth::{Authenticated, Login};
use cadence_app::records::{AuthSession, AuthSessionKind};
use cadence_app::{Actor, App, AppError};

/// The header an API client or page script sends the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field an HTML form sends the CSRF token in.
pub const CSRF_FORM_FIELD: &str = "csrf_token";

/// How the request carried its session token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// `Authorization: Bearer`.
    Bearer,
    /// The session cookie.
    Cookie,
}

/// The session cookie's name under this configuration.
pub fn session_cookie_name(config: &WebConfig) -> &'static str {
    if config.secure_cookies {
        "__Host-cadence_session"
    } else {
        "cadence_session"
    }
}

/// The `Set-Cookie` value that hands a browser its session: no `Max-Age`, so it ends with the
/// browser session; the server enforces the idle and absolute limits either way.
pub fn session_cookie(config: &WebConfig, token: &str) -> Result<HeaderValue, WebError> {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict{secure}",
        session_cookie_name(config)
    ))
    .map_err(|_| WebError::internal())
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(config: &WebConfig) -> HeaderValue {
    let value = if config.secure_cookies {
        "__Host-cadence_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure"
    } else {
        "cadence_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
    };
    HeaderValue::from_static(value)
}

/// The value of the named cookie, if the request has it.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim())
}

/// The session token of a request and how it came: a bearer header wins over a cookie.
/// `Err` when an `Authorization` header is present but not a bearer token.
pub fn credential(
    headers: &HeaderMap,
    config: &WebConfig,
) -> Result<Option<(String, Carrier)>, WebError> {
    if let Some(value) = headers.get(AUTHORIZATION) {
        let value = value.to_str().map_err(|_| WebError::unauthenticated())?;
        let (scheme, token) = value
            .split_once(' ')
            .ok_or_else(WebError::unauthenticated)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(WebError::unauthenticated());
        }
        return Ok(Some((token.trim().to_owned(), Carrier::Bearer)));
    }
    Ok(cookie_value(headers, session_cookie_name(config)).map(|t| (t.to_owned(), Carrier::Cookie)))
}

/// Tokens are 64 hex characters; anything else is refused without a database lookup.
fn plausible_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a method changes state (and so needs CSRF protection on cookie sessions).
pub fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Fetch-metadata and origin checks: refuses a request a browser marked as coming from
/// another site, or whose `Origin` is not this host. Also guards the browser login form,
/// which has no session yet (login CSRF).
pub fn same_origin(headers: &HeaderMap, uri: &Uri) -> Result<(), WebError> {
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.as_bytes(), b"same-origin" | b"none") {
            return Err(WebError::csrf_failed());
        }
    }
    if let Some(origin) = headers.get(ORIGIN) {
        let origin = origin.to_str().map_err(|_| WebError::csrf_failed())?;
        let authority = origin
            .split_once("://")
            .map(|(_, rest)| rest)
            .ok_or_else(WebError::csrf_failed)?;
        let host = headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| uri.authority().map(|a| a.as_str()));
        if host.is_none_or(|host| !host.eq_ignore_ascii_case(authority)) {
            return Err(WebError::csrf_failed());
        }
    }
    Ok(())
}

/// The full CSRF check for a cookie session's state-changing request: [`same_origin`], then
/// the session's CSRF token, from `submitted` (an HTML form's `csrf_token` field) or else the
/// `X-CSRF-Token` header.
pub fn verify_csrf(
    headers: &HeaderMap,
    uri: &Uri,
    session: &AuthSession,
    submitted: Option<&str>,
) -> Result<(), WebError> {
    same_origin(headers, uri)?;
    let token = submitted.or_else(|| headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()));
    match token {
        Some(token) if App::csrf_ok(session, token) => Ok(()),
        _ => Err(WebError::csrf_failed()),
    }
}

/// An authenticated request, CSRF-checked if it came with a cookie and changes state. Refuses
/// users who must first change a one-time password (use [`PendingAuth`] for the routes that
/// let them).
#[derive(Debug, Clone)]
pub struct Auth {
    /// The session and the acting user.
    pub authenticated: Authenticated,
    /// How the token came.
    pub carrier: Carrier,
    /// `METHOD /route/{template}`, for denied-access audit rows.
    pub route: String,
    method: Method,
    /// For a cookie session, its CSRF token (a page's script refreshes its forms with it).
    pub csrf_token: Option<String>,
}

/// The header a page sends on its own polling requests: they do not count as the user's
/// activity, so an idle workstation still logs out (issue 16 §3).
pub const BACKGROUND_HEADER: &str = "x-cadence-background";

/// Whether a request is a page's own polling.
pub fn activity_of(headers: &HeaderMap) -> cadence_app::auth::Activity {
    if headers.contains_key(BACKGROUND_HEADER) {
        cadence_app::auth::Activity::Background
    } else {
        cadence_app::auth::Activity::User
    }
}

/// Like [`Auth`] but lets a user with a one-time password through: only for changing the
/// password and logging out.
#[derive(Debug, Clone)]
pub struct PendingAuth(pub Auth);

impl Auth {
    /// The acting user.
    pub fn actor(&self) -> &Actor {
        &self.authenticated.actor
    }

    /// Turns a service result into the response's: a refusal by the permission matrix is
    /// written to the audit log as `denied` (ASVS 16.3.2) before the 403 goes out.
    pub async fn done<T>(
        &self,
        state: &AppState,
        result: Result<T, AppError>,
    ) -> Result<T, WebError> {
        match result {
            Ok(value) => Ok(value),
            Err(err @ AppError::Forbidden(_)) => {
                self.audit_denied(&state.app, ObjectType::Route).await;
                Err(err.into())
            }
            Err(err) => Err(err.into()),
        }
    }

    async fn audit_denied(&self, app: &App, object_type: ObjectType) {
        let action = match self.method {
            Method::GET | Method::HEAD => AuditAction::Read,
            Method::POST => AuditAction::Create,
            _ => AuditAction::Update,
        };
        if let Err(e) = app
            .record_denied(self.actor(), action, object_type, Some(self.route.clone()))
            .await
        {
            tracing::error!(error = %e, "could not audit a denied request");
        }
    }
}

impl FromRequestParts<AppState> for PendingAuth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let request_id = RequestId::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        let (token, carrier) =
            credential(&parts.headers, &state.config)?.ok_or_else(WebError::unauthenticated)?;
        if !plausible_token(&token) {
            return Err(WebError::unauthenticated());
        }
        let authenticated = state
            .app
            .authenticate_for(&token, &request_id.0, activity_of(&parts.headers))
            .await?;
        let expected = match carrier {
            Carrier::Bearer => AuthSessionKind::Api,
            Carrier::Cookie => AuthSessionKind::Browser,
        };
        if authenticated.session.kind != expected {
            return Err(WebError::unauthenticated());
        }
        let route = parts
            .extensions
            .get::<MatchedPath>()
            .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
        let auth = Auth {
            authenticated,
            carrier,
            route: format!("{} {route}", parts.method),
            method: parts.method.clone(),
            csrf_token: (carrier == Carrier::Cookie).then(|| cadence_app::auth::csrf_for(&token)),
        };
        if carrier == Carrier::Cookie && is_state_changing(&parts.method) {
            if let Err(e) = verify_csrf(
                &parts.headers,
                &parts.uri,
                &auth.authenticated.session,
                None,
            ) {
                auth.audit_denied(&state.app, ObjectType::Csrf).await;
                return Err(e);
            }
        }
        Ok(PendingAuth(auth))
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let PendingAuth(auth) = PendingAuth::from_request_parts(parts, state).await?;
        if auth.authenticated.must_change_password {
            return Err(AppError::PasswordChangeRequired.into());
        }
        Ok(auth)
    }
}

/// A browser login, shared by the JSON endpoint and the HTML login form: checks the request
/// came from a Cadence page, ends any session the browser already had (a new token at every
/// login: no session fixation), and returns the login with its `Set-Cookie` value.
pub async fn browser_login(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    email: &str,
    password: &str,
    address: &str,
    request_id: &str,
) -> Result<(Login, HeaderValue), WebError> {
    same_origin(headers, uri)?;
    if let Some(old) = cookie_value(headers, session_cookie_name(&state.config)) {
        if plausible_token(old) {
            if let Ok(previous) = state.app.authenticate(old, request_id).await {
                state.app.logout(&previous).await?;
            }
        }
    }
    let login = state
        .app
        .login(
            email,
            password,
            AuthSessionKind::Browser,
            address,
            request_id,
        )
        .await?;
    let cookie = session_cookie(&state.config, &login.token)?;
    Ok((login, cookie))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn session() -> AuthSession {
        AuthSession {
            token_hash: "x".into(),
            user_id: cadence_app::ids::UserId(1),
            kind: AuthSessionKind::Browser,
            csrf_hash: Some(cadence_app::auth::token_hash("good")),
            created_at: jiff::Timestamp::UNIX_EPOCH,
            last_seen_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let h = headers(&[(
            "cookie",
            "a=1; cadence_session=tok; __Host-cadence_session=x",
        )]);
        assert_eq!(cookie_value(&h, "cadence_session"), Some("tok"));
        assert_eq!(cookie_value(&h, "__Host-cadence_session"), Some("x"));
        assert_eq!(cookie_value(&h, "cadence"), None);
    }

    #[test]
    fn bearer_wins_and_other_schemes_are_refused() {
        let config = WebConfig::default();
        let h = headers(&[
            ("authorization", "Bearer abc"),
            ("cookie", "cadence_session=c"),
        ]);
        assert_eq!(
            credential(&h, &config).unwrap(),
            Some(("abc".into(), Carrier::Bearer))
        );
        let h = headers(&[("authorization", "Basic abc")]);
        assert!(credential(&h, &config).is_err());
        let h = headers(&[("cookie", "cadence_session=c")]);
        assert_eq!(
            credential(&h, &config).unwrap(),
            Some(("c".into(), Carrier::Cookie))
        );
    }

    #[test]
    fn secure_cookies_use_the_host_prefix() {
        let secure = WebConfig {
            secure_cookies: true,
            ..WebConfig::default()
        };
        let c = session_cookie(&secure, "t").unwrap();
        assert_eq!(
            c.to_str().unwrap(),
            "__Host-cadence_session=t; Path=/; HttpOnly; SameSite=Strict; Secure"
        );
        let plain = session_cookie(&WebConfig::default(), "t").unwrap();
        assert!(!plain.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn csrf_accepts_the_header_or_a_form_field() {
        let uri = Uri::from_static("/x");
        let s = session();
        assert!(verify_csrf(&headers(&[("x-csrf-token", "good")]), &uri, &s, None).is_ok());
        assert!(verify_csrf(&HeaderMap::new(), &uri, &s, Some("good")).is_ok());
        assert!(verify_csrf(&HeaderMap::new(), &uri, &s, Some("bad")).is_err());
        assert!(verify_csrf(&HeaderMap::new(), &uri, &s, None).is_err());
    }

    #[test]
    fn fetch_metadata_and_origin_must_be_this_site() {
        let uri = Uri::from_static("/x");
        let ok = |pairs: &[(&'static str, &str)]| same_origin(&headers(pairs), &uri).is_ok();
        assert!(ok(&[]));
        assert!(ok(&[("sec-fetch-site", "same-origin")]));
        assert!(ok(&[("sec-fetch-site", "none")]));
        assert!(!ok(&[("sec-fetch-site", "cross-site")]));
        assert!(!ok(&[("sec-fetch-site", "same-site")]));
        assert!(ok(&[
            ("host", "clinic.test:8080"),
            ("origin", "https://clinic.test:8080")
        ]));
        assert!(!ok(&[
            ("host", "clinic.test"),
            ("origin", "https://evil.test")
        ]));
        assert!(!ok(&[("host", "clinic.test"), ("origin", "null")]));
    }
}
