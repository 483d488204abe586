//! Cadence's storage boundary.
//!
//! The application talks to storage only through the [`Store`] trait, so the embedded SQLite
//! default and the PostgreSQL scale-out path are interchangeable and run the same conformance
//! suite ([`conformance`], behind the `conformance` feature). Every method that writes or reads
//! health information takes the [`audit::AuditEvent`] describing the access and appends it to the
//! hash-chained audit log **in the same transaction**, so there is never a change without its
//! audit row, nor an audit row for a change that was rolled back.
//!
//! Reading order: [`ids`], [`records`], [`error`], [`audit`], [`Store`].

pub mod audit;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod error;
pub mod ids;
pub mod records;
mod store;

pub use error::StoreError;
pub use store::Store;
