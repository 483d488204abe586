//! The PostgreSQL backend's integration tests: the shared conformance suite, the database-level
//! audit rules, appends from several server processes at once, the durability refusal, and
//! schema parity with SQLite. Every case gets a fresh database ([`support::TestDb`]); without
//! `CADENCE_TEST_DATABASE_URL` the PostgreSQL cases print a note and pass without running.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on unexpected errors"
)]

mod append_only;
mod concurrency;
mod conformance;
mod durability;
mod parity;
mod plans;
mod store;
mod support;
mod upgrade;
