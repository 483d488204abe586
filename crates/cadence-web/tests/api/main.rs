//! HTTP-level tests of the JSON API: the real router on a fresh database per test, driven
//! in-process, on SQLite always and on PostgreSQL when `CADENCE_TEST_DATABASE_URL` is set.
//!
//! Modules: `matrix` (every route as every role, against `docs/security.md`), `isolation`
//! (clinics never see each other), `invalid` (bad input rejected, nothing stored), `csrf`,
//! `sessions` (expiry, logout, throttling), `audit`, `headers`, `flow` (a course end to end),
//! `docs` (the OpenAPI snapshot and the error-code table).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on anything unexpected"
)]

mod support;

mod audit;
mod audit_tamper;
mod contract;
mod course_truth;
mod csrf;
mod docs;
mod flow;
mod headers;
mod invalid;
mod isolation;
mod leaks;
mod matrix;
mod page_matrix;
mod pages_admin;
mod pages_clinical;
mod redirects;
mod safety;
mod safety_properties;
mod scale;
mod schedule;
mod sessions;
mod storage;
mod throttling;
