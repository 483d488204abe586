//! The stylesheet, htmx and the page script (idle warning, print buttons), compiled into the
//! binary (no CDN).

use crate::AppState;
use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;

/// htmx 2.0.11 (0BSD licence), vendored from the npm package `htmx.org`.
const HTMX: &str = include_str!("../../static/htmx.min.js");
const CSS: &str = include_str!("../../static/cadence.css");
/// The idle warning and activity report (Cadence's own, no dependency).
const IDLE: &str = include_str!("../../static/idle.js");
const ICON: &str = include_str!("../../static/favicon.svg");

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/static/htmx.min.js",
            get(|| async {
                ([(CONTENT_TYPE, "text/javascript; charset=utf-8")], HTMX).into_response()
            }),
        )
        .route(
            "/static/idle.js",
            get(|| async {
                ([(CONTENT_TYPE, "text/javascript; charset=utf-8")], IDLE).into_response()
            }),
        )
        .route(
            "/favicon.ico",
            get(|| async { ([(CONTENT_TYPE, "image/svg+xml")], ICON).into_response() }),
        )
        .route(
            "/static/cadence.css",
            get(|| async { ([(CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response() }),
        )
}
