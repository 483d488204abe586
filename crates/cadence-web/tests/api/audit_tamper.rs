//! Tampering the verifier must catch (issue 15 §5), on both backends: the newest entries
//! deleted (one, ten, all), which leaves a chain that verifies on its own and is caught only
//! against the recorded head; the same with the head rewritten, caught only against an anchor
//! kept elsewhere; and values that do not decode, reported as the entry that cannot be read
//! rather than a failure of the verifier.

use crate::support::{Backend, TestApp, on_every_backend};
use cadence_app::audit::{AuditAction, AuditEvent, AuditOutcome, ChainHead, ObjectType};
use cadence_app::audit_log::ChainCheck;
use jiff::Timestamp;

/// Statements that drop the append-only triggers, as an attacker with the file would.
fn drop_triggers(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
        Backend::Postgres => {
            "DROP TRIGGER audit_log_no_update_or_delete ON audit_log; \
             DROP TRIGGER audit_log_no_truncate ON audit_log;"
        }
    }
}

/// A database with 20 audit entries; the head after them.
async fn twenty_entries(backend: Backend) -> (TestApp, ChainHead) {
    let t = TestApp::on(backend).await;
    for n in 0..20 {
        t.store
            .append_audit(AuditEvent {
                at: Timestamp::from_second(1_772_442_000 + n).unwrap(),
                actor_id: None,
                actor_role: None,
                clinic_id: None,
                patient_id: None,
                action: AuditAction::LoginFailed,
                object_type: ObjectType::Login,
                object_id: None,
                outcome: AuditOutcome::Failure,
                request_id: format!("r{n}"),
            })
            .await
            .unwrap();
    }
    let ChainCheck::Intact(head) = t.app.verify_audit_chain().await.unwrap() else {
        panic!("a fresh chain verifies");
    };
    assert_eq!(head.seq, 20);
    (t, head)
}

fn broken_at(check: ChainCheck, seq: i64, words: &str) {
    match check {
        ChainCheck::Broken(b) => {
            assert_eq!(b.seq, seq, "{b}");
            assert!(b.to_string().contains(words), "{b}");
        }
        ChainCheck::Intact(head) => panic!("tampering not detected: intact to {}", head.seq),
    }
}

async fn deleting_the_newest_entries_is_detected(backend: Backend) {
    let cases: [(&str, i64); 3] = [
        ("DELETE FROM audit_log WHERE seq = 20", 20),
        ("DELETE FROM audit_log WHERE seq > 10", 11),
        ("DELETE FROM audit_log", 1),
    ];
    for (delete, first_missing) in cases {
        let (t, _) = twenty_entries(backend).await;
        t.execute_sql(drop_triggers(backend)).await;
        t.execute_sql(delete).await;
        broken_at(
            t.app.verify_audit_chain().await.unwrap(),
            first_missing,
            "missing",
        );
    }
}

async fn a_rewritten_head_is_caught_by_the_anchor(backend: Backend) {
    let (t, anchor) = twenty_entries(backend).await;
    t.execute_sql(drop_triggers(backend)).await;
    t.execute_sql(
        "DELETE FROM audit_log WHERE seq > 17; \
         UPDATE audit_head SET seq = 17, hash = (SELECT hash FROM audit_log WHERE seq = 17);",
    )
    .await;
    // On its own the log is consistent again...
    assert!(matches!(
        t.app.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact(ChainHead { seq: 17, .. })
    ));
    // ...but not with the head kept elsewhere.
    broken_at(
        t.app.verify_audit_chain_to(Some(&anchor)).await.unwrap(),
        18,
        "anchor",
    );
    // An anchor the log still holds is fine; one with another hash is not.
    let mut earlier = anchor.clone();
    earlier.seq = 10;
    let ChainCheck::Broken(b) = t.app.verify_audit_chain_to(Some(&earlier)).await.unwrap() else {
        panic!("a forged anchor hash must not verify");
    };
    assert_eq!(b.seq, 10);
}

async fn undecodable_values_are_entries_that_cannot_be_read(backend: Backend) {
    let mut edits = vec![
        "UPDATE audit_log SET action = 'forged' WHERE seq = 7",
        "UPDATE audit_log SET outcome = 'granted' WHERE seq = 7",
    ];
    if backend == Backend::Sqlite {
        // SQLite keeps whatever type it is given.
        edits.extend([
            "UPDATE audit_log SET at = 'yesterday' WHERE seq = 7",
            "UPDATE audit_log SET actor_id = 'admin' WHERE seq = 7",
            "UPDATE audit_log SET patient_id = 1.5 WHERE seq = 7",
        ]);
    }
    for edit in edits {
        let (t, _) = twenty_entries(backend).await;
        t.execute_sql(drop_triggers(backend)).await;
        t.execute_sql(edit).await;
        let check = t
            .app
            .verify_audit_chain()
            .await
            .unwrap_or_else(|e| panic!("{edit}: the verifier failed instead: {e}"));
        broken_at(check, 7, "entry 7: cannot be read");
    }
}

on_every_backend!(
    deleting_the_newest_entries_is_detected,
    a_rewritten_head_is_caught_by_the_anchor,
    undecodable_values_are_entries_that_cannot_be_read,
);
