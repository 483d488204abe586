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
    /// The database cannot take the write (or be reached) right now: the disk is full, the
    /// file or database is read-only, an I/O error, the connection is lost, or the pool timed
    /// out. Nothing was changed, and retrying later may succeed. Details are for the operator's
    /// log, never for an HTTP response.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else (a corrupt file, a value that does not decode, a broken rule). Details are
    /// for the operator's log, never for an HTTP response.
    #[error("storage failure: {0}")]
    Other(String),
}

impl StoreError {
    /// Shorthand for [`StoreError::Other`].
    pub fn other(err: impl std::fmt::Display) -> StoreError {
        StoreError::Other(err.to_string())
    }
}
