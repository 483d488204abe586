//! Durability settings are set on every connection and read back; URLs and files.

use crate::harness::TempDir;
use cadence_store_sqlite::{OpenError, Pragmas, SqliteStore};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

fn required() -> Pragmas {
    Pragmas {
        journal_mode: "wal".into(),
        synchronous: 2,
        foreign_keys: 1,
        busy_timeout: 5000,
    }
}

/// A file left in rollback-journal mode with `synchronous=OFF` by another tool still gets WAL
/// and FULL on every pooled connection.
#[tokio::test]
async fn weakened_settings_are_restored_on_every_connection() {
    let dir = TempDir::new("weakened");
    let path = dir.0.join("cadence.db");
    let mut raw = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::query("PRAGMA journal_mode = DELETE")
        .execute(&mut raw)
        .await
        .unwrap();
    sqlx::query("PRAGMA synchronous = OFF")
        .execute(&mut raw)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE leftover (x INTEGER)")
        .execute(&mut raw)
        .await
        .unwrap();
    raw.close().await.unwrap();

    let store = SqliteStore::open(&dir.url("cadence.db")).await.unwrap();
    assert_eq!(store.pragmas().await.unwrap(), required());
    // Hold several connections at once so the pool opens more than one.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut conn = store.pool().acquire().await.unwrap();
        assert_eq!(Pragmas::read(&mut conn).await.unwrap(), required());
        held.push(conn);
    }
    drop(held);
    store.close().await;
}

/// The check refuses each weaker value, naming the setting and what it must be.
#[test]
fn weaker_settings_are_refused_by_name() {
    let normal = Pragmas {
        synchronous: 1,
        ..required()
    };
    let weak = normal.check().unwrap_err();
    assert_eq!(weak.setting, "synchronous");
    assert_eq!(weak.found, "1");
    let message = OpenError::from(weak).to_string();
    assert!(message.contains("synchronous"), "{message}");
    assert!(message.contains("FULL"), "{message}");
    assert!(message.contains("refusing to start"), "{message}");

    let delete = Pragmas {
        journal_mode: "delete".into(),
        ..required()
    };
    assert_eq!(delete.check().unwrap_err().setting, "journal_mode");
    let no_fk = Pragmas {
        foreign_keys: 0,
        ..required()
    };
    assert_eq!(no_fk.check().unwrap_err().setting, "foreign_keys");
    assert_eq!(required().check(), Ok(()));
}

/// Opening twice runs the migrations once and keeps the data.
#[tokio::test]
async fn reopening_keeps_data_and_migrations() {
    let dir = TempDir::new("reopen");
    let url = dir.url("cadence.db");
    let store = SqliteStore::open(&url).await.unwrap();
    let schema = store.schema().await.unwrap();
    sqlx::query("INSERT INTO clinics (name, time_zone, created_at) VALUES ('C', 'UTC', 0)")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let again = SqliteStore::open(&url).await.unwrap();
    assert_eq!(again.schema().await.unwrap(), schema);
    let (count,): (i64,) = sqlx::query_as("SELECT count(*) FROM clinics")
        .fetch_one(again.pool())
        .await
        .unwrap();
    assert_eq!(count, 1);
    again.integrity_check().await.unwrap();
    again.close().await;
}

/// The database file is created readable by its owner only, and so are SQLite's side files.
#[cfg(unix)]
#[tokio::test]
async fn the_database_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("private");
    let store = SqliteStore::open(&dir.url("cadence.db")).await.unwrap();
    sqlx::query("INSERT INTO clinics (name, time_zone, created_at) VALUES ('C', 'UTC', 0)")
        .execute(store.pool())
        .await
        .unwrap();
    for file in ["cadence.db", "cadence.db-wal"] {
        let mode = std::fs::metadata(dir.0.join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}: {mode:o}");
    }
    store.close().await;
}

/// Only `sqlite://<file>` is accepted; a missing directory is reported, not created.
#[tokio::test]
async fn bad_urls_and_paths_are_refused() {
    for url in [
        "postgres://localhost/cadence",
        "sqlite::memory:",
        "sqlite://",
        "sqlite://db.sqlite?mode=memory",
    ] {
        let err = SqliteStore::open(url).await.unwrap_err();
        assert!(matches!(err, OpenError::BadUrl(_)), "{url}: {err}");
    }
    let dir = TempDir::new("missing");
    let url = dir.url("no/such/dir/cadence.db");
    let err = SqliteStore::open(&url).await.unwrap_err();
    assert!(matches!(err, OpenError::CreateFile { .. }), "{err}");
}
