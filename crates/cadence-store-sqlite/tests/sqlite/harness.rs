//! A fresh database in its own temporary directory, removed when dropped.

use cadence_store::Store;
use cadence_store::conformance::Backend;
use cadence_store_sqlite::SqliteStore;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A directory under the system temp dir, unique to this process and call, removed on drop.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "cadence-sqlite-test-{}-{n}-{name}",
            std::process::id()
        ));
        // A directory left by an earlier process with the same id is stale.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// A `sqlite://` URL for a file in the directory.
    pub fn url(&self, file: &str) -> String {
        format!("sqlite://{}", self.0.join(file).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A store on a fresh file.
#[derive(Debug)]
pub struct TempDb {
    pub store: SqliteStore,
    // Dropped after the store's last use in a test.
    pub dir: TempDir,
}

impl TempDb {
    pub async fn new(name: &str) -> TempDb {
        let dir = TempDir::new(name);
        let store = SqliteStore::open(&dir.url("cadence.db")).await.unwrap();
        TempDb { store, dir }
    }
}

#[async_trait::async_trait]
impl Backend for TempDb {
    fn store(&self) -> Arc<dyn Store> {
        Arc::new(self.store.clone())
    }

    async fn raw_update_audit(&self, seq: i64) -> Result<u64, String> {
        sqlx::query("UPDATE audit_log SET object_type = 'tampered' WHERE seq = ?")
            .bind(seq)
            .execute(self.store.pool())
            .await
            .map(|r| r.rows_affected())
            .map_err(|e| e.to_string())
    }

    async fn raw_delete_audit(&self, seq: i64) -> Result<u64, String> {
        sqlx::query("DELETE FROM audit_log WHERE seq = ?")
            .bind(seq)
            .execute(self.store.pool())
            .await
            .map(|r| r.rows_affected())
            .map_err(|e| e.to_string())
    }

    async fn raw_sql(&self, sql: &'static str) -> Result<u64, String> {
        sqlx::query(sql)
            .execute(self.store.pool())
            .await
            .map(|r| r.rows_affected())
            .map_err(|e| e.to_string())
    }
}
