//! Cadence clinical domain: scenario and property tests, one module per feature.
//!
//! One integration-test binary for the crate (STYLE.md #11: each extra binary costs a link).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly by design; helpers outside #[test] fns are tests too"
)]

mod forecast;
mod instruments;
mod outcomes;
mod planner;
mod protocol;
mod screening;
mod snapshot;
mod suggestion;
