//! A database from before safety records upgrades with nothing lost: migrations 0001-0002 with
//! the shared old records, then the store applies 0003 (see
//! `cadence_store::conformance::records_survive_migration_0003`).

use crate::harness::TempDir;
use cadence_store::conformance::{old_record_statements, records_survive_migration_0003};
use cadence_store_sqlite::SqliteStore;
use sqlx::AssertSqlSafe;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::path::Path;
use std::str::FromStr;

const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");

#[tokio::test]
async fn a_database_from_before_safety_records_upgrades_with_its_records() {
    let dir = TempDir::new("upgrade-0003");
    // Only the migrations before 0003, as an older Cadence applied them.
    let old = dir.0.join("migrations");
    std::fs::create_dir_all(&old).unwrap();
    for file in ["0001_initial.sql", "0002_clinic_indexes.sql"] {
        std::fs::copy(Path::new(MIGRATIONS).join(file), old.join(file)).unwrap();
    }
    let options = SqliteConnectOptions::from_str(&dir.url("cadence.db"))
        .unwrap()
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    for sql in old_record_statements() {
        sqlx::query(AssertSqlSafe(sql.clone()))
            .execute(&pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    pool.close().await;

    let store = SqliteStore::open(&dir.url("cadence.db")).await.unwrap();
    records_survive_migration_0003(&store).await;
}
