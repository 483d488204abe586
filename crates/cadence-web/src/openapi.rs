//! The OpenAPI 3.1 document, built from the handlers' `#[utoipa::path]` annotations as they
//! are registered (so every route is in it) and served at [`DOCUMENT_PATH`] without login.
//!
//! [`finish`] adds what every operation can answer (500, 503), what every authenticated one
//! can (400, 401, 403, 404, 413, 415, 422, 429) and what every authenticated change can
//! (409), each with the error body, so the annotations list only their own outcomes (and may
//! say more about a 409 they know the codes of).

use crate::schema::ErrorBody;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";

/// The document's fixed parts; paths come from the router.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Cadence API",
        version = "v1",
        description = "Measurement-based planning for ketamine and esketamine courses. \
            Conventions, error codes and limits: docs/api.md. Permissions by role: \
            docs/security.md.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    components(schemas(ErrorBody)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Login, logout, password"),
        (name = "patients", description = "Patient demographics"),
        (name = "clinical", description = "Screenings and assessments"),
        (name = "courses", description = "Courses, plans, forecasts, booking and decisions"),
        (name = "sessions", description = "Treatment sessions and the day's schedule"),
        (name = "schedule", description = "The schedule by day and week, open slots, moving, rebooking and the to-move list"),
        (name = "safety", description = "Safety findings, holds and their release; REMS enrolment"),
        (name = "research", description = "De-identified aggregates"),
        (name = "meta", description = "Health"),
    )
)]
pub struct ApiDoc;

#[derive(Debug)]
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A token from POST /api/v1/auth/login. No CSRF token needed.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "__Host-cadence_session",
                "The browser session from POST /api/v1/auth/session (named cadence_session on \
                 plain-HTTP development servers). State-changing requests also need the \
                 X-CSRF-Token header.",
            ))),
        );
    }
}

/// The statuses any operation may answer.
const SERVER_ERRORS: &[(&str, &str)] = &[
    ("500", "Server failure; nothing was changed"),
    (
        "503",
        "The server took too long (`timeout`), or storage cannot take the change (`storage_unavailable`)",
    ),
];

/// The statuses any authenticated operation may answer besides its own.
const STANDARD_ERRORS: &[(&str, &str)] = &[
    (
        "400",
        "Malformed request: unreadable JSON, wrong types, bad path or query",
    ),
    ("401", "Not logged in, or the session expired"),
    (
        "403",
        "The role may not do this, the CSRF check failed, or the password must be changed",
    ),
    ("404", "No such record in your clinic"),
    ("413", "Body over the limit"),
    ("415", "Body is not JSON"),
    ("422", "Invalid input; nothing was changed"),
    ("429", "Too many attempts; see Retry-After"),
];

fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}

/// The status any authenticated change may answer besides its own: the record's state or
/// existing data refuses it. The code says which (`conflict`, `session_held`,
/// `pre_checks_missing`, `session_not_today`, `course_not_started`, ...; `docs/api.md`).
const CHANGE_ERRORS: &[(&str, &str)] = &[(
    "409",
    "Refused by existing data or the record's state; the code says which (docs/api.md)",
)];

fn add_standard_errors(operation: &mut Operation, changes: bool) {
    let secured = operation.security.is_some();
    let standard = SERVER_ERRORS
        .iter()
        .chain(STANDARD_ERRORS.iter().filter(|_| secured))
        .chain(CHANGE_ERRORS.iter().filter(|_| secured && changes));
    for (status, description) in standard {
        operation
            .responses
            .responses
            .entry((*status).to_owned())
            .or_insert_with(|| error_response(description));
    }
}

/// Completes a document built from the routes.
pub fn finish(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    for item in doc.paths.paths.values_mut() {
        for (operation, changes) in [
            (&mut item.get, false),
            (&mut item.put, true),
            (&mut item.post, true),
            (&mut item.delete, true),
            (&mut item.patch, true),
        ] {
            if let Some(operation) = operation {
                add_standard_errors(operation, changes);
            }
        }
    }
    doc
}

/// The document as served: compact JSON, rendered once.
pub fn render(doc: &utoipa::openapi::OpenApi) -> Bytes {
    Bytes::from(serde_json::to_vec(doc).unwrap_or_default())
}

/// `GET /api/v1/openapi.json` (no login: the document describes the API, not any data).
pub async fn serve(State(doc): State<Bytes>) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], doc)
}
