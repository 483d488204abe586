//! Cadence's embedded SQLite backend, the default storage.
//!
//! One file holds an installation's data. It is opened in WAL mode with `synchronous=FULL`
//! (every acknowledged commit survives a power cut), foreign keys on and a busy timeout, and
//! those settings are read back before the store is used: a weaker database refuses to start
//! ([`OpenError::Weak`]). Every write runs in a `BEGIN IMMEDIATE` transaction together with its
//! audit row, so the hash chain stays linear and a change never exists without its audit row.
//! Backups are online and consistent (`VACUUM INTO`, verified before they get their name).
//!
//! Reading order: [`open`](SqliteStore::open) (`open.rs`), `audit.rs` (transactions and the
//! chain), `codec.rs` (columns and errors), `store/` (the [`Store`](cadence_store::Store)
//! methods, one module per kind of record), `maintenance.rs` (integrity, backup, schema).
//! The schema is `migrations/0001_initial.sql`.

mod audit;
mod codec;
mod maintenance;
mod open;
mod store;

pub use maintenance::{BACKUP_TARGET_EXISTS, SCHEMA_TABLES};
pub use open::{OpenError, Pragmas, WeakSetting};

use sqlx::sqlite::SqlitePool;
use std::path::{Path, PathBuf};

/// A Cadence store in one SQLite file. Cloning shares the connection pool.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    /// Writes (`BEGIN IMMEDIATE`) and audit appends.
    pool: SqlitePool,
    /// Reads: deferred transactions that run beside the writer under WAL (issue 18).
    readers: SqlitePool,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if missing, owner-only) the database at `sqlite://<path>`, checks its
    /// durability settings and runs the migrations.
    pub async fn open(url: &str) -> Result<SqliteStore, OpenError> {
        let (pool, readers, path) = open::open_pool(url).await?;
        Ok(SqliteStore {
            pool,
            readers,
            path,
        })
    }

    /// Opens an existing database file for reading only (verifying or reporting on a copy,
    /// which may be read-only): no file is created, no migration runs, nothing is written.
    /// Writes through the store fail.
    pub async fn open_read_only(url: &str) -> Result<SqliteStore, OpenError> {
        let (pool, path) = open::open_read_only_pool(url).await?;
        Ok(SqliteStore {
            readers: pool.clone(),
            pool,
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection pool, for maintenance tools and backend tests that need raw SQL (for
    /// example to show that the audit triggers refuse changes). Application code goes through
    /// [`cadence_store::Store`], which audits.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Refreshes the query planner's statistics where SQLite finds them stale (`PRAGMA
    /// optimize`, cheap when nothing changed). Run when the store closes and periodically by
    /// `cadence serve`; errors are ignored (statistics only make plans better).
    pub async fn optimize(&self) {
        let _ = sqlx::query("PRAGMA optimize").execute(&self.pool).await;
    }

    /// Closes every connection (checkpointing the WAL into the database file), after refreshing
    /// the planner's statistics.
    pub async fn close(&self) {
        self.optimize().await;
        self.readers.close().await;
        self.pool.close().await;
    }
}
