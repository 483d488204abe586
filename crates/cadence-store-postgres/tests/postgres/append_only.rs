//! The audit log is append-only in the database itself (AUD-2): whoever connects, with whatever
//! SQL, cannot change, delete or truncate rows, nor remove the chain head.

use crate::support::{TestDb, event};
use cadence_store::Store;
use cadence_store::audit::{ObjectType, verify_chain};
use sqlx::{Connection, Executor, PgConnection};

/// Runs a statement the triggers must refuse, and checks they did, with their message.
async fn refused(conn: &mut PgConnection, statement: &'static str, message: &str) {
    let err = conn
        .execute(statement)
        .await
        .expect_err("the statement must be refused");
    let text = err.to_string();
    assert!(text.contains(message), "{statement}: {text}");
}

#[tokio::test]
async fn update_delete_and_truncate_of_audit_rows_are_refused() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    for i in 0..3 {
        store
            .append_audit(event(ObjectType::Login, 1_800_000_000_000 + i))
            .await
            .unwrap();
    }
    let before = store.audit_page(1, 100).await.unwrap();

    let mut raw = db.raw().await;
    let append_only = "audit_log is append-only";
    refused(
        &mut raw,
        "UPDATE audit_log SET outcome = 'denied' WHERE seq = 2",
        append_only,
    )
    .await;
    refused(&mut raw, "UPDATE audit_log SET seq = seq + 10", append_only).await;
    refused(&mut raw, "DELETE FROM audit_log WHERE seq = 3", append_only).await;
    refused(&mut raw, "DELETE FROM audit_log", append_only).await;
    refused(&mut raw, "TRUNCATE audit_log", append_only).await;
    refused(
        &mut raw,
        "DELETE FROM audit_head",
        "audit_head cannot be deleted",
    )
    .await;
    refused(
        &mut raw,
        "TRUNCATE audit_head",
        "audit_head cannot be deleted",
    )
    .await;
    // Inserting is what the log is for; a second head row is not.
    refused(
        &mut raw,
        "INSERT INTO audit_head (id, seq, hash) VALUES (2, 0, 'x')",
        "audit_head",
    )
    .await;
    raw.close().await.unwrap();

    let after = store.audit_page(1, 100).await.unwrap();
    assert_eq!(after, before);
    assert_eq!(verify_chain(&after).unwrap().seq, 3);
    store.close().await;
}

#[tokio::test]
async fn a_refused_change_inside_a_transaction_rolls_the_whole_transaction_back() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    store
        .append_audit(event(ObjectType::Login, 1_800_000_000_000))
        .await
        .unwrap();
    let mut raw = db.raw().await;
    let mut tx = raw.begin().await.unwrap();
    tx.execute("INSERT INTO clinics (name, time_zone, created_at) VALUES ('X', 'UTC', 0)")
        .await
        .unwrap();
    let err = tx
        .execute("UPDATE audit_log SET request_id = 'forged'")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    tx.rollback().await.unwrap();
    let clinics: i64 = sqlx::query_scalar("SELECT count(*) FROM clinics")
        .fetch_one(&mut raw)
        .await
        .unwrap();
    assert_eq!(clinics, 0);
    raw.close().await.unwrap();
    store.close().await;
}
