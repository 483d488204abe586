//! The service side of the binary: opening the database by URL scheme, serving HTTP, and the
//! operator's commands (clinics, users, audit, backup and restore).

pub mod admin;
pub mod audit;
pub mod backup;
pub mod check;
pub mod connections;
pub mod database;
pub mod serve;

/// Builds the async runtime for a service command (the clinical commands need none).
pub fn runtime() -> Result<tokio::runtime::Runtime, crate::output::CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::output::CliError::Failed(e.into()))
}
