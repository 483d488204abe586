//! The one error type of the HTTP layer.
//!
//! Every error response is `{"error": {"code": "...", "message": "..."}}` with the status of
//! its [`ErrorCode`] (the one list of codes; `docs/api.md`'s table is checked against it). A failure of the server itself is a 500
//! with a generic message: its detail goes to the log with the request id (the request span),
//! never to the client, and never health data (store errors carry no bound values).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cadence_app::{AppError, ErrorCode};
use serde::Serialize;

/// An error answered to an HTTP client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    retry_after_secs: Option<u64>,
}

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
    /// An error with a stable code (which gives the status) and a message for the client.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> WebError {
        WebError {
            status: status_of(code),
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
            ErrorCode::CsrfFailed,
            "this request did not come from a Cadence page; reload the page and try again",
        )
    }

    /// 404 for a path that is not a route.
    pub fn no_route() -> WebError {
        WebError::new(ErrorCode::NotFound, "no such page or resource")
    }

    /// 400: the request could not be read.
    pub fn malformed(message: impl Into<String>) -> WebError {
        WebError::new(ErrorCode::MalformedRequest, message)
    }

    /// 413: the body is over the limit.
    pub fn body_too_large() -> WebError {
        WebError::new(
            ErrorCode::BodyTooLarge,
            "the request body is larger than the server accepts",
        )
    }

    /// 500 with the generic message (the cause is logged by the caller, not shown).
    pub fn internal() -> WebError {
        WebError::new(
            ErrorCode::Internal,
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
                ErrorCode::MethodNotAllowed,
                "this method is not allowed here",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => WebError::body_too_large(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => WebError::new(
                ErrorCode::UnsupportedMediaType,
                "send JSON with Content-Type: application/json",
            ),
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => WebError::new(
                ErrorCode::Timeout,
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
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<AppError> for WebError {
    fn from(err: AppError) -> WebError {
        match &err {
            AppError::StorageUnavailable(detail) => {
                // The database's complaint (disk full, read-only, I/O), never a bound value.
                tracing::error!(detail = %detail, "storage unavailable");
            }
            AppError::Internal(detail) => {
                // Store errors name the operation and the database's complaint, never the
                // values bound to the query, so the detail is safe to log.
                tracing::error!(detail = %detail, "internal error");
                return WebError::internal();
            }
            _ => {}
        }
        // The code gives the status: a failed login's `invalid_credentials` is a 401, other
        // invalid input a 422, a conflict a 409.
        let mut web = WebError::new(err.code(), err.to_string());
        if let AppError::Throttled { retry_after_secs } = err {
            web.retry_after_secs = Some(retry_after_secs);
        }
        web
    }
}

/// The HTTP status of a code (every [`ErrorCode::status`] is a valid one: a test checks).
fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
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
                code: self.code.as_str(),
                message: &self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.code == ErrorCode::StorageUnavailable {
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
            (AppError::invalid(ErrorCode::OutOfRange, "x"), 422),
            (AppError::invalid(ErrorCode::InvalidCredentials, "x"), 401),
            (
                AppError::Conflict {
                    code: ErrorCode::Conflict,
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
        assert_eq!(web.code(), ErrorCode::Internal);
    }

    #[test]
    fn every_code_has_a_valid_status() {
        for code in ErrorCode::ALL {
            let status = StatusCode::from_u16(code.status()).unwrap();
            assert!(
                status.is_client_error() || status.is_server_error(),
                "{code}"
            );
            assert_eq!(WebError::new(*code, "x").status(), status, "{code}");
        }
    }

    #[test]
    fn statuses_answered_by_other_layers_keep_their_status() {
        for status in [404, 405, 413, 415, 503] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(WebError::for_status(status).status(), status);
        }
        let timeout = WebError::for_status(StatusCode::REQUEST_TIMEOUT);
        assert_eq!(
            (timeout.code(), timeout.status().as_u16()),
            (ErrorCode::Timeout, 503)
        );
    }
}
