//! The clinical forms around the chart: the safety screening ([`screening`]), a questionnaire
//! ([`assessment`]) and starting a course with a plan preview ([`course`]). [`support`] holds
//! what these pages and the session record share (form fields, error pages, clinic times).

mod assessment;
mod course;
pub(in crate::pages) mod screening;
pub(in crate::pages) mod support;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/patients/{id}/screening",
            get(screening::form).post(screening::submit),
        )
        .route(
            "/patients/{id}/assessments/new",
            get(assessment::form).post(assessment::submit),
        )
        .route("/patients/{id}/courses/new", get(course::form))
        .route(
            "/patients/{id}/courses/preview",
            get(course::preview_partial),
        )
        .route("/patients/{id}/courses", post(course::create))
}
