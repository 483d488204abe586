//! Choosing the storage backend from the database URL's scheme (`sqlite://` or `postgres://`).

use crate::output::{CliError, invalid};
use cadence_store::Store;
use cadence_store_postgres::PgStore;
use cadence_store_sqlite::SqliteStore;
use std::sync::Arc;

/// The default database: an embedded SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./cadence.db";

/// An opened backend.
#[derive(Debug, Clone)]
pub enum Database {
    /// Embedded SQLite.
    Sqlite(Arc<SqliteStore>),
    /// PostgreSQL.
    Postgres(Arc<PgStore>),
}

impl Database {
    /// Opens (and migrates) the database named by `url`. The URL may carry a password, so it is
    /// never printed: errors name the scheme only.
    pub async fn open(url: &str) -> Result<Database, CliError> {
        if url.starts_with("sqlite://") {
            let store = SqliteStore::open(url)
                .await
                .map_err(|e| invalid(format!("cannot open the SQLite database: {e}")))?;
            Ok(Database::Sqlite(Arc::new(store)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let store = PgStore::connect(url)
                .await
                .map_err(|e| invalid(format!("cannot open the PostgreSQL database: {e}")))?;
            Ok(Database::Postgres(Arc::new(store)))
        } else {
            Err(invalid(
                "--database-url must start with sqlite:// (embedded file) or postgres:// (server)",
            ))
        }
    }

    /// Opens the database named by `url` to read it only (verifying, checking, reporting): an
    /// SQLite file is opened read-only, so a read-only copy can be checked; PostgreSQL as
    /// [`Database::open`] does.
    pub async fn open_read_only(url: &str) -> Result<Database, CliError> {
        if url.starts_with("sqlite://") {
            let store = SqliteStore::open_read_only(url)
                .await
                .map_err(|e| invalid(format!("cannot open the SQLite database: {e}")))?;
            Ok(Database::Sqlite(Arc::new(store)))
        } else {
            Database::open(url).await
        }
    }

    /// The store behind the trait the app uses.
    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Database::Sqlite(s) => s.clone(),
            Database::Postgres(s) => s.clone(),
        }
    }

    /// Closes the connection pool (waits for in-flight queries).
    pub async fn close(&self) {
        match self {
            Database::Sqlite(s) => s.close().await,
            Database::Postgres(s) => s.close().await,
        }
    }
}
