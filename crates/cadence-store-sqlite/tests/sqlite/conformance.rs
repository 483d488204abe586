//! The shared conformance suite, one test per case, each on its own fresh database file.

use crate::harness::TempDb;

async fn fresh(case: &'static str) -> Option<TempDb> {
    Some(TempDb::new(case).await)
}

cadence_store::conformance_tests!(fresh);
