//! Cadence over HTTP: the JSON API under `/api/v1` and the clinic's HTML pages, calling the
//! same [`cadence_app::App`] services as the command line, so the interfaces cannot drift.
//!
//! Conventions (ids, errors, auth, limits) are in `docs/api.md`; who may call what is the
//! permission matrix in `docs/security.md`, walked route by route in this crate's tests. The
//! OpenAPI document is served at `/api/v1/openapi.json`.
//!
//! Reading order: [`WebConfig`] and [`router`] (here), [`middleware`] (what wraps every
//! request), [`error`] (the one error type and its codes), [`extract`] and [`auth`] (who is
//! asking, cookies and CSRF), then `routes/` (one module per group of endpoints), [`openapi`]
//! and [`schema`] (the document), then `pages/` (the HTML pages over the same services).

pub mod auth;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod openapi;
mod pages;
pub mod proxy;
mod routes;
pub mod schema;

pub use error::WebError;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use cadence_app::App;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// How the HTTP layer is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebConfig {
    /// Largest request body accepted; larger gets 413 (1 MiB by default).
    pub max_body_bytes: usize,
    /// The server is reached over TLS (its own or a TLS-terminating proxy's): cookies get
    /// `Secure` and the `__Host-` prefix, and responses carry HSTS. Off for plain HTTP on
    /// loopback in development and tests, where browsers would refuse such cookies.
    pub secure_cookies: bool,
    /// The reverse proxies whose `X-Forwarded-For` is believed ([`proxy`]): the client
    /// address (used for login throttling only) is then the right-most forwarded entry that is
    /// not one of them. Empty by default: the TCP peer is the client.
    pub trusted_proxies: Vec<proxy::TrustedProxy>,
    /// Longest a handler may run before the request is answered 503 `timeout`.
    pub request_timeout: Duration,
    /// Longest a client may take to send a request's header (and a kept-alive connection may
    /// wait for its next request) before the connection is closed: slow clients must not hold
    /// connections open. Applied by the server that accepts connections (`cadence serve`).
    pub header_read_timeout: Duration,
    /// Most connections served at once; further clients wait to be accepted. Keeps idle
    /// connections from using up the process's file descriptors. Applied by `cadence serve`.
    pub max_connections: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            max_body_bytes: 1024 * 1024,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

/// What every handler gets: the application and the web settings.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The application services.
    pub app: App,
    /// The web settings.
    pub config: Arc<WebConfig>,
}

/// The whole HTTP service: the API routes, the OpenAPI document, a JSON 404 for anything
/// else, and the middleware ([`middleware`]) around all of it.
pub fn router(app: App, config: WebConfig) -> Router {
    router_with(app, config, Router::new())
}

/// [`router`] with `extra` routes merged in under the same middleware (the HTML pages; tests
/// use it to add a route that panics).
pub fn router_with(app: App, config: WebConfig, extra: Router) -> Router {
    let (api, document) = routes::api().split_for_parts();
    let document = openapi::finish(document);
    let state = AppState {
        app,
        config: Arc::new(config.clone()),
    };
    let routes = api
        .route(
            openapi::DOCUMENT_PATH,
            axum::routing::get(openapi::serve).with_state(openapi::render(&document)),
        )
        .merge(pages::routes())
        .fallback(pages::no_page)
        .with_state(state.clone())
        .merge(extra)
        .layer(axum::middleware::from_fn_with_state(
            state,
            middleware::observe_answers,
        ));
    // `Router::layer` wraps what is already there: the last layer added is the outermost.
    routes
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::map_response(middleware::json_errors))
        .layer(axum::middleware::map_response(
            middleware::security_headers(&config),
        ))
        .layer(axum::middleware::from_fn(middleware::request_context))
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    openapi::finish(routes::api().into_openapi())
}
