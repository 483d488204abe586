//! The layers every response passes through, outermost first:
//!
//! 1. request context: a fresh request id (in the request's extensions, the `X-Request-Id`
//!    response header and a tracing span, so every log line and audit row of the request
//!    carries it), and one log line per request with method, path (never the query string,
//!    which may hold a patient's name), status and duration;
//! 2. security headers on every response, errors included (security reference SES-5);
//! 3. error bodies: a status some inner layer answered without our JSON (405, 413, 503...)
//!    gets the standard `{"error": ...}` body;
//! 4. a handler panic becomes a generic 500 (fail closed: the store's transaction was never
//!    committed; INP-6);
//! 5. the handler timeout;
//! 6. the request body limit.
//!
//! Inside them, [`observe_answers`] tells the application about every `storage_unavailable`
//! answer (for `/healthz`) and audits HTML forms refused by their CSRF check.

use crate::error::{CsrfRefused, StorageTrouble, WebError};
use crate::extract::RequestId;
use crate::{AppState, WebConfig};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cadence_app::audit::{AuditAction, ObjectType};
use std::any::Any;
use tracing::Instrument;

/// The response header carrying the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The Content-Security-Policy on every response: same-origin resources only, no plugins, no
/// `<base>` rewriting, no framing (clickjacking). No inline scripts are allowed.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Layer 1: the request id, the span and the access log line.
pub async fn request_context(mut request: Request, next: Next) -> Response {
    let id = RequestId::generate();
    request.extensions_mut().insert(id.clone());
    let span = tracing::info_span!(
        "request",
        request_id = %id.0,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    span.in_scope(|| tracing::info!(status, elapsed_ms, "request done"));
    if let Ok(value) = HeaderValue::from_str(&id.0) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    response
}

/// Layer 2: the security headers; HSTS too when the server is reached over TLS
/// ([`WebConfig::secure_cookies`]).
pub fn security_headers(
    config: &WebConfig,
) -> impl Fn(Response) -> std::future::Ready<Response> + Clone + use<> {
    let hsts = config.secure_cookies;
    move |mut response: Response| {
        let headers = response.headers_mut();
        let set = |headers: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        };
        set(headers, "content-security-policy", CONTENT_SECURITY_POLICY);
        set(headers, "x-content-type-options", "nosniff");
        // `same-origin`, not `no-referrer`: with `no-referrer` a browser sends `Origin: null` on
        // its own form posts, which the CSRF check (rightly) refuses. No URL leaves the site.
        set(headers, "referrer-policy", "same-origin");
        set(headers, "cross-origin-opener-policy", "same-origin");
        // Responses carry health data: no browser or proxy may keep a copy (ASVS 14.3.2).
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if hsts {
            set(
                headers,
                "strict-transport-security",
                "max-age=31536000; includeSubDomains",
            );
        }
        std::future::ready(response)
    }
}

/// Layer 3: gives an error status answered without a JSON body the standard error body.
pub async fn json_errors(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // JSON errors and HTML error pages (which show their code) are already answers.
    let answered = response.headers().get(CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/html")
    });
    if answered {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut replaced = WebError::for_status(status).into_response();
    // Keep what routing said (e.g. `Allow` on a 405), but our body and its type.
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            replaced.headers_mut().insert(name.clone(), value.clone());
        }
    }
    replaced
}

/// Acts on what handlers marked in their answers: a [`StorageTrouble`] (a write the database
/// could not take) goes into the application's storage health, which `/healthz` reports; a
/// [`CsrfRefused`] form is written to the audit log as `denied` (object type `csrf`, the route
/// as object id), as the API's refusals are, before the answer goes out.
pub async fn observe_answers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let route = format!(
        "{} {}",
        request.method(),
        request
            .extensions()
            .get::<MatchedPath>()
            .map_or_else(|| request.uri().path(), MatchedPath::as_str)
    );
    let action = match *request.method() {
        Method::GET | Method::HEAD => AuditAction::Read,
        Method::POST => AuditAction::Create,
        _ => AuditAction::Update,
    };
    let response = next.run(request).await;
    if response.extensions().get::<StorageTrouble>().is_some() {
        state.app.storage_failed();
    }
    if let Some(CsrfRefused(actor)) = response.extensions().get::<CsrfRefused>() {
        if let Err(e) = state
            .app
            .record_denied(actor, action, ObjectType::Csrf, Some(route))
            .await
        {
            tracing::error!(error = %e, "could not audit a refused form");
        }
    }
    response
}

/// Layer 4: a panicking handler answers a generic 500. The panic's message is not logged: it
/// might quote a value (health data); the request id in the span is enough to find the line.
pub fn panic_response(_: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked; answered 500");
    let mut response = WebError::internal().into_response();
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}
