//! The small storage error every backend maps its failures onto.

/// What can go wrong in storage, as the application needs to tell it apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No such record (or it belongs to another clinic: the two are indistinguishable on
    /// purpose, so a user never learns that another clinic's record exists).
    #[error("not found")]
    NotFound,
    /// A uniqueness or consistency rule refused the write; nothing was changed.
    #[error("conflict with existing data ({constraint})")]
    Conflict {
        /// The rule that refused it, e.g. `patients.mrn`.
        constraint: String,
    },
    /// Anything else (connection lost, disk full, corrupt file). Details are for the operator's
    /// log, never for an HTTP response.
    #[error("storage failure: {0}")]
    Other(String),
}

impl StoreError {
    /// Shorthand for [`StoreError::Other`].
    pub fn other(err: impl std::fmt::Display) -> StoreError {
        StoreError::Other(err.to_string())
    }
}
