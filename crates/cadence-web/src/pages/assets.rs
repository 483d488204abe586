//! The stylesheet and htmx, compiled into the binary (no CDN).

use crate::AppState;
use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;

/// htmx 2.0.11 (0BSD licence), vendored from the npm package `htmx.org`.
const HTMX: &str = include_str!("../../static/htmx.min.js");
const CSS: &str = include_str!("../../static/cadence.css");
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
            "/favicon.ico",
            get(|| async { ([(CONTENT_TYPE, "image/svg+xml")], ICON).into_response() }),
        )
        .route(
            "/static/cadence.css",
            get(|| async { ([(CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response() }),
        )
}
