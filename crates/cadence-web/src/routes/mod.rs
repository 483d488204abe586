//! The API's endpoints, one module per group. Each handler is registered together with its
//! OpenAPI description ([`utoipa_axum::routes`]), so the document lists exactly the routes
//! the server answers, and the role-matrix test (which walks the document) cannot miss one.
//!
//! Handlers stay thin: read the request, call one [`cadence_app::App`] service as the acting
//! user, shape the response. Authorization, validation and audit happen in the service.

mod auth;
mod clinical;
mod courses;
mod meta;
mod patients;
mod safety;
mod schedule;
mod sessions;

use crate::AppState;
use crate::openapi::ApiDoc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every route with its description.
pub(crate) fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(meta::healthz))
        .routes(routes!(auth::login))
        .routes(routes!(auth::browser_session, auth::session_status))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::change_password))
        .routes(routes!(patients::list_patients, patients::create_patient))
        .routes(routes!(patients::get_patient, patients::update_patient))
        .routes(routes!(clinical::create_screening, safety::list_screenings))
        .routes(routes!(clinical::get_screening))
        .routes(routes!(
            clinical::list_assessments,
            clinical::create_assessment
        ))
        .routes(routes!(courses::list_courses, courses::create_course))
        .routes(routes!(courses::get_course))
        .routes(routes!(courses::book_session))
        .routes(routes!(courses::list_decisions, courses::record_decision))
        .routes(routes!(sessions::get_session))
        .routes(routes!(sessions::record_pre_checks))
        .routes(routes!(sessions::record_administration))
        .routes(routes!(sessions::add_monitoring))
        .routes(routes!(sessions::record_infusion_end))
        .routes(routes!(sessions::record_discharge))
        .routes(routes!(sessions::record_exceptional_end))
        .routes(routes!(sessions::sign_session))
        .routes(routes!(sessions::add_addendum))
        .routes(routes!(sessions::release_gate))
        .routes(routes!(safety::list_findings))
        .routes(routes!(safety::open_findings))
        .routes(routes!(safety::exceptional_ends))
        .routes(routes!(safety::release_finding))
        .routes(routes!(safety::set_rems_enrolment))
        .routes(routes!(sessions::set_status))
        .routes(routes!(sessions::schedule))
        .routes(routes!(schedule::days))
        .routes(routes!(schedule::to_move))
        .routes(routes!(schedule::move_session))
        .routes(routes!(schedule::rebook_session))
        .routes(routes!(meta::research_summary))
}
