//! A database from before safety records upgrades with nothing lost: migrations 0001-0002 with
//! the shared old records, then the store applies 0003 (see
//! `cadence_store::conformance::records_survive_migration_0003`).

use crate::support::TestDb;
use cadence_store::conformance::{old_record_statements, records_survive_migration_0003};
use sqlx::migrate::Migrator;
use sqlx::{AssertSqlSafe, Connection, Executor};
use std::path::Path;

const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");

#[tokio::test]
async fn a_database_from_before_safety_records_upgrades_with_its_records() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    // Only the migrations before 0003, as an older Cadence applied them.
    let dir = std::env::temp_dir().join(format!("cadence-pg-upgrade-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["0001_initial.sql", "0002_clinic_indexes.sql"] {
        std::fs::copy(Path::new(MIGRATIONS).join(file), dir.join(file)).unwrap();
    }
    let mut conn = db.raw().await;
    Migrator::new(dir.as_path())
        .await
        .unwrap()
        .run(&mut conn)
        .await
        .unwrap();
    for sql in old_record_statements() {
        conn.execute(AssertSqlSafe(sql.clone()))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    conn.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let store = db.store().await;
    records_survive_migration_0003(&store).await;
}
