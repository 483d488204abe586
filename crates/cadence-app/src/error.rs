//! The application's error: what went wrong, classified so the web layer can answer with the
//! right status and a stable code ([`ErrorCode`]), without leaking internals.

mod code;

pub use code::ErrorCode;

use cadence_store::StoreError;

/// A use case's failure.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AppError {
    /// No valid login (or it expired).
    #[error("log in to continue")]
    Unauthenticated,
    /// Logged in, but the role may not do this.
    #[error("your role may not {0}")]
    Forbidden(&'static str),
    /// No such record in the caller's clinic.
    #[error("not found")]
    NotFound,
    /// Invalid input; nothing was changed.
    #[error("{message}")]
    Invalid {
        /// The stable code.
        code: ErrorCode,
        /// What is wrong and what to do.
        message: String,
    },
    /// Conflicts with existing data; nothing was changed.
    #[error("{message}")]
    Conflict {
        /// The stable code.
        code: ErrorCode,
        /// What conflicts.
        message: String,
    },
    /// Too many failed attempts; wait and retry.
    #[error("too many failed attempts; wait {retry_after_secs} seconds and try again")]
    Throttled {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// The password must be changed before anything else.
    #[error("change your one-time password to continue")]
    PasswordChangeRequired,
    /// Storage cannot take writes right now (disk full, read-only, I/O or connection
    /// trouble); nothing was changed (logged; never shown in detail).
    #[error(
        "the database is unavailable (full, read-only or unreachable); nothing was changed. \
         Try again later"
    )]
    StorageUnavailable(String),
    /// A storage or internal failure (logged; never shown in detail).
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// Shorthand for [`AppError::Invalid`].
    pub fn invalid(code: ErrorCode, message: impl std::fmt::Display) -> AppError {
        AppError::Invalid {
            code,
            message: message.to_string(),
        }
    }

    /// The stable error code (its status is [`ErrorCode::status`]).
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound => ErrorCode::NotFound,
            AppError::Invalid { code, .. } | AppError::Conflict { code, .. } => *code,
            AppError::Throttled { .. } => ErrorCode::TooManyAttempts,
            AppError::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            AppError::StorageUnavailable(_) => ErrorCode::StorageUnavailable,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> AppError {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { constraint }
                if constraint == "treatment_sessions.patient_day" =>
            {
                AppError::Conflict {
                    code: ErrorCode::AlreadyBooked,
                    message: "the patient already has a session that day: move or cancel it first"
                        .into(),
                }
            }
            StoreError::Conflict { constraint } if constraint == "treatment_sessions.capacity" => {
                AppError::Conflict {
                    code: ErrorCode::SlotFull,
                    message: "every chair is taken at that time (another booking was just made): \
                              choose another time"
                        .into(),
                }
            }
            StoreError::Conflict { constraint } if constraint == "treatment_sessions.chair" => {
                AppError::Conflict {
                    code: ErrorCode::ChairTaken,
                    message: "that chair is taken at that time: choose another chair or time"
                        .into(),
                }
            }
            StoreError::Conflict { constraint } if constraint == "treatment_sessions.status" => {
                AppError::Conflict {
                    code: ErrorCode::SessionNotScheduled,
                    message: "this session is no longer scheduled: it cannot be moved".into(),
                }
            }
            StoreError::Conflict { constraint } => AppError::Conflict {
                code: ErrorCode::Conflict,
                message: match constraint.as_str() {
                    c if c.contains("mrn") => {
                        "a patient with this MRN already exists in this clinic".into()
                    }
                    c if c.contains("email") => "a user with this email already exists".into(),
                    c if c.contains("name") => "a clinic with this name already exists".into(),
                    _ => "this conflicts with existing data".into(),
                },
            },
            StoreError::Unavailable(detail) => AppError::StorageUnavailable(detail),
            StoreError::Other(detail) => AppError::Internal(detail),
        }
    }
}
