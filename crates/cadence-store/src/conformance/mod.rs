//! The conformance suite: the behaviour every [`Store`](crate::Store) backend must show,
//! written once and run by each backend's tests on a fresh database per case.
//!
//! A backend provides a [`Backend`] (its store plus raw SQL access for the append-only checks)
//! and an async constructor, then expands [`conformance_tests!`](crate::conformance_tests):
//!
//! ```ignore
//! async fn fresh(case: &'static str) -> Option<MyBackend> { /* new empty database */ }
//! cadence_store::conformance_tests!(fresh);
//! ```
//!
//! Each case becomes its own `#[tokio::test]`, so failures are reported by name; `fresh`
//! returning `None` skips the case (PostgreSQL without `CADENCE_TEST_DATABASE_URL`). After
//! every case the whole audit chain is paged through [`Store::audit_page`](crate::Store) and
//! verified (the kanidm teardown pattern).
//!
//! Contract details the cases pin down beyond the trait's doc comment:
//! - a create's audit event gets the new object's id as `object_id` (a login or logout gets the
//!   user's id when the caller left it out: a session's token hash never enters the log), and
//!   every patient-scoped event gets the patient's id when the caller left it out (and a
//!   clinic's creation its clinic id);
//! - a record in another clinic, an unknown id, or a referenced patient or course that does not
//!   exist (in that clinic) is `NotFound`, with no audit row; an unknown acting user
//!   (`created_by`, `decided_by`) is `Conflict { constraint: "foreign_key" }`;
//! - `touch_auth_session` and `delete_auth_session` of an unknown token are `NotFound`;
//! - patient search matches the text literally (`%` and `_` are not wildcards), ignoring ASCII
//!   case, in given name, family name or MRN;
//! - reads without an audit event (`get_clinic`, `get_user`, `get_price_list`, ...) append
//!   nothing.
//!
//! Reading order: `support.rs` (the harness and helpers), then one module per area.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "the conformance suite is test code: a failed step fails the test loudly"
)]

mod audit_log;
mod auth;
mod bundles;
mod clinical;
mod courses;
mod isolation;
mod patients;
mod people;
mod price_list;
mod read_model;
mod safety;
mod schedule;
mod sessions;
mod support;
mod upgrade;

pub use audit_log::*;
pub use auth::*;
pub use bundles::*;
pub use clinical::*;
pub use courses::*;
pub use isolation::*;
pub use patients::*;
pub use people::*;
pub use price_list::*;
pub use read_model::*;
pub use safety::*;
pub use schedule::*;
pub use sessions::*;
pub use support::{Backend, assert_chain_verifies};
pub use upgrade::{OLD_RECORDS, old_record_statements, records_survive_migration_0003};

/// Expands to one `#[tokio::test]` per conformance case, each on a fresh backend made by
/// `$fresh(case_name).await` (an `Option<impl Backend>`; `None` skips), ending with a full
/// audit-chain verification.
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:path) => {
        $crate::conformance_tests!(@cases $fresh;
            clinic_create_get_find_and_calendar,
            clinic_calendar_text_that_does_not_parse_is_other,
            clinic_duplicate_name_is_a_conflict,
            user_create_find_and_list,
            user_duplicate_email_is_a_conflict,
            set_password_ends_other_sessions,
            disabling_a_user_ends_their_sessions,
            auth_session_lifecycle,
            expired_auth_sessions_are_purged,
            patient_create_get_update,
            mrn_pattern_and_count,
            patient_search_by_name_and_mrn,
            patient_duplicate_mrn_only_within_a_clinic,
            other_clinic_reads_are_not_found,
            other_clinic_writes_are_not_found_and_change_nothing,
            screening_round_trip,
            assessment_round_trip,
            course_books_initial_sessions_in_one_transaction,
            course_bundle_contents,
            clinic_course_bundles,
            read_model_today_and_write_back,
            read_model_patient_page,
            read_model_schedule_and_to_move,
            read_model_stale_courses_in_batches,
            treatment_session_entries_and_monitoring,
            session_entries_once_and_corrections,
            clinic_entries_of_one_kind,
            treatment_session_status_changes,
            findings_are_stored_listed_and_released,
            findings_from_each_source_and_gates,
            rems_enrolment_round_trip,
            decisions_release_findings_atomically,
            decisions_round_trip,
            price_list_round_trip,
            course_protocol_text_is_the_frozen_text,
            audit_append_and_page,
            failed_writes_leave_no_data_and_no_audit_row,
            audit_rows_are_append_only,
            audit_range_boundaries_and_patient_filter,
            concurrent_writes_keep_the_chain_linear,
            clinic_schedule_settings,
            booking_refuses_taken_chairs_full_days_and_double_booking,
            moving_a_session_is_checked_like_a_booking,
            concurrent_bookings_of_one_chair_store_one,
        );
    };
    (@cases $fresh:path; $($case:ident),+ $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let Some(backend) = $fresh(stringify!($case)).await else {
                    return;
                };
                let backend: &dyn $crate::conformance::Backend = &backend;
                $crate::conformance::$case(backend).await;
                $crate::conformance::assert_chain_verifies(&*backend.store()).await;
            }
        )+
    };
}
