//! Both backends migrate to the same schema: the same tables with the same column names (types
//! differ by design: BIGINT identity versus INTEGER PRIMARY KEY, BOOLEAN versus 0/1). A
//! migration added to one backend and not the other fails here.

use crate::support::TestDb;
use cadence_store_sqlite::{SCHEMA_TABLES, SqliteStore};

/// Tables and their columns, each sorted, so declaration order does not matter.
fn normalised(mut schema: Vec<(String, Vec<String>)>) -> Vec<(String, Vec<String>)> {
    for (_, columns) in &mut schema {
        columns.sort();
    }
    schema.sort();
    schema
}

#[tokio::test]
async fn sqlite_and_postgres_migrate_to_the_same_tables_and_columns() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let path = std::env::temp_dir().join(format!("cadence_parity_{}.db", std::process::id()));
    let remove = |path: &std::path::Path| {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            std::fs::remove_file(file).ok();
        }
    };
    remove(&path);
    let sqlite = SqliteStore::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let postgres = db.store().await;

    let lite = normalised(sqlite.schema().await.unwrap());
    let pg = normalised(postgres.schema().await.unwrap());
    let names = |s: &[(String, Vec<String>)]| s.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>();
    assert_eq!(names(&pg), names(&lite), "the same tables");
    assert_eq!(
        names(&pg),
        SCHEMA_TABLES,
        "the tables the SQLite backend lists"
    );
    for ((table, pg_columns), (_, lite_columns)) in pg.iter().zip(&lite) {
        assert_eq!(pg_columns, lite_columns, "columns of {table}");
    }
    assert!(pg.iter().all(|(_, columns)| !columns.is_empty()));

    sqlite.close().await;
    remove(&path);
    postgres.close().await;
}
