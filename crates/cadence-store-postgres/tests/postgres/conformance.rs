//! The shared conformance suite on PostgreSQL, one fresh database per case.

use crate::support::TestDb;
use cadence_store::Store;
use cadence_store::conformance::Backend;
use cadence_store_postgres::PgStore;
use sqlx::Connection;
use std::sync::Arc;

/// A case's store and its database (dropped after the store: fields drop in order).
struct PgBackend {
    store: Arc<PgStore>,
    db: TestDb,
}

#[async_trait::async_trait]
impl Backend for PgBackend {
    fn store(&self) -> Arc<dyn Store> {
        self.store.clone()
    }

    async fn raw_update_audit(&self, seq: i64) -> Result<u64, String> {
        let mut conn = self.db.raw().await;
        let result = sqlx::query("UPDATE audit_log SET object_type = 'tampered' WHERE seq = $1")
            .bind(seq)
            .execute(&mut conn)
            .await;
        conn.close().await.ok();
        result.map(|r| r.rows_affected()).map_err(|e| e.to_string())
    }

    async fn raw_delete_audit(&self, seq: i64) -> Result<u64, String> {
        let mut conn = self.db.raw().await;
        let result = sqlx::query("DELETE FROM audit_log WHERE seq = $1")
            .bind(seq)
            .execute(&mut conn)
            .await;
        conn.close().await.ok();
        result.map(|r| r.rows_affected()).map_err(|e| e.to_string())
    }

    async fn raw_sql(&self, sql: &'static str) -> Result<u64, String> {
        let mut conn = self.db.raw().await;
        let result = sqlx::query(sql).execute(&mut conn).await;
        conn.close().await.ok();
        result.map(|r| r.rows_affected()).map_err(|e| e.to_string())
    }
}

async fn fresh(_case: &'static str) -> Option<PgBackend> {
    let db = TestDb::create().await?;
    let store = Arc::new(db.store().await);
    Some(PgBackend { store, db })
}

cadence_store::conformance_tests!(fresh);
