//! The one error type of the HTTP layer, and the stable code table.
//!
//! Every error response is `{"error": {"code": "...", "message": "..."}}` with a status that
//! fits (see `docs/api.md`, kept complete by a test). A failure of the server itself is a 500
//! with a generic message: its detail goes to the log with the request id (the request span),
//! never to the client, and never health data (store errors carry no bound values).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cadence_app::AppError;
use serde::Serialize;

/// An error answered to an HTTP client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after_secs: Option<u64>,
}

/// The codes the web layer itself emits (beyond the app's validation and conflict codes,
/// which are all 422 and 409), with their status. `docs/api.md` must list every one.
pub const WEB_CODES: &[(&str, u16)] = &[
    ("malformed_request", 400),
    ("unauthenticated", 401),
    ("invalid_credentials", 401),
    ("forbidden", 403),
    ("csrf_failed", 403),
    ("password_change_required", 403),
    ("not_found", 404),
    ("method_not_allowed", 405),
    ("conflict", 409),
    ("body_too_large", 413),
    ("unsupported_media_type", 415),
    ("too_many_attempts", 429),
    ("internal", 500),
    ("timeout", 503),
    ("storage_unavailable", 503),
];

/// Marks a response answered `storage_unavailable`, so the layer that watches answers
/// ([`crate::middleware::observe_answers`]) can tell `/healthz`.
#[derive(Debug, Clone, Copy)]
pub struct StorageTrouble;

/// Marks an HTML form refused by its CSRF check, with who sent it, so the layer that watches
/// answers ([`crate::middleware::observe_answers`]) writes the `denied` audit row.
#[derive(Debug, Clone)]
pub struct CsrfRefused(pub cadence_app::Actor);

/// The JSON body of an error.
#[derive(Debug, Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Debug, Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: &'a str,
}

impl WebError {
    /// An error with a status, a stable code and a message for the client.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError {
            status,
            code,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    /// 401: no valid login.
    pub fn unauthenticated() -> WebError {
        WebError::from(AppError::Unauthenticated)
    }

    /// 403: the CSRF checks failed; nothing was done.
    pub fn csrf_failed() -> WebError {
        WebError::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "this request did not come from a Cadence page; reload the page and try again",
        )
    }

    /// 404 for a path that is not a route.
    pub fn no_route() -> WebError {
        WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such page or resource",
        )
    }

    /// 400: the request could not be read.
    pub fn malformed(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, "malformed_request", message)
    }

    /// 413: the body is over the limit.
    pub fn body_too_large() -> WebError {
        WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "the request body is larger than the server accepts",
        )
    }

    /// 500 with the generic message (the cause is logged by the caller, not shown).
    pub fn internal() -> WebError {
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on the server; nothing was changed. Try again, and tell \
             your administrator if it persists (quote the X-Request-Id header)",
        )
    }

    /// The JSON error for a status that some layer answered without a body of ours (405 from
    /// routing, 413 from the body limit, 503 from the timeout...).
    pub fn for_status(status: StatusCode) -> WebError {
        match status {
            StatusCode::NOT_FOUND => WebError::no_route(),
            StatusCode::METHOD_NOT_ALLOWED => WebError::new(
                status,
                "method_not_allowed",
                "this method is not allowed here",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => WebError::body_too_large(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => WebError::new(
                status,
                "unsupported_media_type",
                "send JSON with Content-Type: application/json",
            ),
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => WebError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the server took too long; nothing may have changed, check before retrying",
            ),
            s if s.is_client_error() => WebError::malformed("the request could not be read"),
            _ => WebError::internal(),
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<AppError> for WebError {
    fn from(err: AppError) -> WebError {
        let code = err.code();
        let status = match &err {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            // A failed login is an authentication failure, whichever part was wrong.
            AppError::Invalid { code, .. } if *code == "invalid_credentials" => {
                StatusCode::UNAUTHORIZED
            }
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::StorageUnavailable(detail) => {
                // The database's complaint (disk full, read-only, I/O), never a bound value.
                tracing::error!(detail = %detail, "storage unavailable");
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(detail) => {
                // Store errors name the operation and the database's complaint, never the
                // values bound to the query, so the detail is safe to log.
                tracing::error!(detail = %detail, "internal error");
                return WebError::internal();
            }
        };
        let mut web = WebError::new(status, code, err.to_string());
        if let AppError::Throttled { retry_after_secs } = err {
            web.retry_after_secs = Some(retry_after_secs);
        }
        web
    }
}

impl From<JsonRejection> for WebError {
    fn from(rejection: JsonRejection) -> WebError {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => WebError::body_too_large(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                WebError::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE)
            }
            // Syntax errors and wrong types alike. The message is serde's, about the client's
            // own input; it is never logged.
            _ => WebError::malformed(rejection.body_text()),
        }
    }
}

impl From<PathRejection> for WebError {
    fn from(rejection: PathRejection) -> WebError {
        WebError::malformed(rejection.body_text())
    }
}

impl From<QueryRejection> for WebError {
    fn from(rejection: QueryRejection) -> WebError {
        WebError::malformed(rejection.body_text())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Detail {
                code: self.code,
                message: &self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.code == "storage_unavailable" {
            response.extensions_mut().insert(StorageTrouble);
        }
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_errors_map_to_their_statuses() {
        let cases = [
            (AppError::Unauthenticated, 401),
            (AppError::Forbidden("x"), 403),
            (AppError::PasswordChangeRequired, 403),
            (AppError::NotFound, 404),
            (AppError::invalid("out_of_range", "x"), 422),
            (AppError::invalid("invalid_credentials", "x"), 401),
            (
                AppError::Conflict {
                    code: "conflict",
                    message: "x".into(),
                },
                409,
            ),
            (
                AppError::Throttled {
                    retry_after_secs: 3,
                },
                429,
            ),
            (AppError::Internal("db".into()), 500),
            (AppError::StorageUnavailable("disk full".into()), 503),
        ];
        for (err, status) in cases {
            assert_eq!(WebError::from(err).status().as_u16(), status);
        }
    }

    #[test]
    fn internal_errors_never_show_their_detail() {
        let web = WebError::from(AppError::Internal("table patients is locked".into()));
        assert!(!web.message().contains("patients"));
        assert_eq!(web.code(), "internal");
    }

    #[test]
    fn every_web_code_has_the_status_its_constructor_gives() {
        for (code, status) in WEB_CODES {
            let found = [
                WebError::for_status(StatusCode::from_u16(*status).unwrap_or_default()),
                WebError::csrf_failed(),
                WebError::unauthenticated(),
                WebError::from(AppError::PasswordChangeRequired),
                WebError::from(AppError::Forbidden("x")),
                WebError::from(AppError::invalid("invalid_credentials", "x")),
                WebError::from(AppError::Throttled {
                    retry_after_secs: 1,
                }),
                WebError::from(AppError::Conflict {
                    code: "conflict",
                    message: String::new(),
                }),
                WebError::from(AppError::StorageUnavailable(String::new())),
            ]
            .into_iter()
            .any(|e| e.code() == *code && e.status().as_u16() == *status);
            assert!(found, "{code} {status}");
        }
    }
}
