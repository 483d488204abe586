//! The SQLite backend's tests: the whole conformance suite on a fresh temp-file database per
//! case, then what only SQLite has (settings read back, triggers, backup, schema).
//!
//! One integration-test binary for the crate (STYLE.md #11).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly by design; helpers outside #[test] fns are tests too"
)]

mod backup;
mod conformance;
mod harness;
mod plans;
mod schema;
mod settings;
mod triggers;
mod upgrade;
