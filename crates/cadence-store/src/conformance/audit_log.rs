//! The audit log itself: appends, paging, time ranges, append-only enforcement, atomicity of
//! failed writes, and a linear chain under concurrent writers.

use super::support::*;
use crate::audit::{AuditAction, AuditEvent, AuditOutcome, GENESIS_HASH, ObjectType, chain_hash};
use crate::ids::*;
use crate::records::*;
use crate::{Store, StoreError};
use jiff::{SignedDuration, Timestamp};

fn standalone(at: Timestamp, patient: Option<PatientId>, request: &str) -> AuditEvent {
    AuditEvent {
        at,
        actor_id: None,
        actor_role: None,
        clinic_id: None,
        patient_id: patient,
        action: AuditAction::LoginFailed,
        object_type: ObjectType::User,
        object_id: None,
        outcome: AuditOutcome::Failure,
        request_id: request.into(),
    }
}

/// Appended rows come back exactly as stored, chained from the genesis hash, and pages start
/// at `from_seq` and stop at `limit`.
pub async fn audit_append_and_page(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    assert!(s.audit_page(1, 10).await.unwrap().is_empty());

    let first = s
        .append_audit(standalone(at(0), None, "r-1"))
        .await
        .unwrap();
    assert_eq!(first.seq, 1);
    assert_eq!(first.prev_hash, GENESIS_HASH);
    assert_eq!(first.hash, chain_hash(GENESIS_HASH, 1, &first.event));
    assert_eq!(first.event, standalone(at(0), None, "r-1"));

    let full = AuditEvent {
        at: Timestamp::from_millisecond(1_772_442_000_123).unwrap(),
        actor_id: Some(UserId(42)),
        actor_role: Some("clinician".into()),
        clinic_id: Some(ClinicId(7)),
        patient_id: Some(PatientId(9)),
        action: AuditAction::Export,
        object_type: ObjectType::Backup,
        object_id: Some("export-3".into()),
        outcome: AuditOutcome::Denied,
        request_id: "r-2".into(),
    };
    let second = s.append_audit(full.clone()).await.unwrap();
    assert_eq!(second.seq, 2);
    assert_eq!(second.prev_hash, first.hash);
    assert_eq!(second.event, full, "the event is stored as given");

    for i in 3..=12 {
        s.append_audit(standalone(at(i), None, &format!("r-{i}")))
            .await
            .unwrap();
    }
    let all = s.audit_page(1, 100).await.unwrap();
    assert_eq!(all.len(), 12);
    assert_eq!(all[0], first);
    assert_eq!(all[1], second);
    let page = s.audit_page(5, 3).await.unwrap();
    let seqs: Vec<i64> = page.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [5, 6, 7]);
    assert_eq!(page[0], all[4]);
    assert_eq!(s.audit_page(12, 10).await.unwrap().len(), 1);
    assert!(s.audit_page(13, 10).await.unwrap().is_empty());
    // Verification's reads: the same rows, all readable, and the head the last append wrote.
    let entries = s.audit_entries(5, 3).await.unwrap();
    let readable: Vec<_> = entries
        .into_iter()
        .map(|e| match e {
            crate::audit::AuditEntry::Readable(r) => *r,
            other => panic!("an intact row read as {other:?}"),
        })
        .collect();
    assert_eq!(readable, page);
    assert_eq!(
        s.audit_head().await.unwrap(),
        Some(crate::audit::ChainHead {
            seq: 12,
            hash: all[11].hash.clone(),
        })
    );
    assert_eq!(s.audit_page(0, 2).await.unwrap().len(), 2);
}

/// A write refused by a rule keeps nothing: no row, no audit row, the chain head unchanged;
/// and the next write continues the chain without a gap.
pub async fn failed_writes_leave_no_data_and_no_audit_row(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    add_patient(s, &a, "MRN-1").await;
    let head = all_audit(s).await.last().cloned().unwrap();

    let clinic = s
        .create_clinic(
            NewClinic {
                name: "A".into(),
                time_zone: TimeZoneName::utc(),
                created_at: at(9),
            },
            create(&a.clinician, ObjectType::Clinic),
        )
        .await;
    assert!(matches!(clinic, Err(StoreError::Conflict { .. })));
    let user = s
        .create_user(
            NewUser {
                clinic_id: a.clinic.id,
                email: a.clinician.email.clone(),
                role: Role::Nurse,
                password_hash: "h".into(),
                must_change_password: true,
                created_at: at(9),
            },
            create(&a.clinician, ObjectType::User),
        )
        .await;
    assert!(matches!(user, Err(StoreError::Conflict { .. })));
    let patient = s
        .create_patient(
            a.clinic.id,
            details("Twin", "Record", "MRN-1"),
            at(9),
            create(&a.clinician, ObjectType::Patient),
        )
        .await;
    assert!(matches!(patient, Err(StoreError::Conflict { .. })));

    let now = all_audit(s).await;
    assert_eq!(now.last(), Some(&head), "the chain head did not move");
    assert_eq!(
        s.list_users(a.clinic.id).await.unwrap(),
        std::slice::from_ref(&a.clinician)
    );
    let patients = s
        .list_patients(
            a.clinic.id,
            None,
            50,
            read_many(&a.clinician, ObjectType::Patient),
        )
        .await
        .unwrap();
    assert_eq!(patients.len(), 1);
    assert_eq!(patients[0].details.family_name, "Lovelace");
    let next = one_new_audit(s, head.seq).await;
    assert_eq!(next.seq, head.seq + 1);
    assert_eq!(next.prev_hash, head.hash);
}

/// Audit rows cannot be changed or removed through SQL, even on the store's own connection.
pub async fn audit_rows_are_append_only(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    for i in 0..3 {
        s.append_audit(standalone(at(i), None, "r")).await.unwrap();
    }
    let before = all_audit(s).await;

    let updated = backend.raw_update_audit(2).await;
    assert!(
        updated.is_err(),
        "UPDATE of an audit row must fail: {updated:?}"
    );
    let deleted = backend.raw_delete_audit(2).await;
    assert!(
        deleted.is_err(),
        "DELETE of an audit row must fail: {deleted:?}"
    );
    let deleted_last = backend.raw_delete_audit(3).await;
    assert!(
        deleted_last.is_err(),
        "DELETE of the last row must fail: {deleted_last:?}"
    );

    assert_eq!(all_audit(s).await, before, "rows unchanged");
    let next = s.append_audit(standalone(at(9), None, "r")).await.unwrap();
    assert_eq!(next.seq, 4);
}

/// `audit_range` includes `from`, excludes `to` (to the millisecond), keeps sequence order,
/// and filters by patient when asked.
pub async fn audit_range_boundaries_and_patient_filter(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let t = at(0);
    let ms = |n: i64| t.checked_add(SignedDuration::from_millis(n)).unwrap();
    let p1 = Some(PatientId(1));
    let p2 = Some(PatientId(2));
    // Appended out of time order on purpose: results follow seq, not time.
    let plan = [
        (ms(2), p1),
        (ms(0), p2),
        (ms(1), p1),
        (ms(3), p1),
        (ms(-1), p1),
        (ms(2), None),
    ];
    for (when, patient) in plan {
        s.append_audit(standalone(when, patient, "r"))
            .await
            .unwrap();
    }
    let seqs =
        |rows: Vec<crate::audit::AuditRecord>| rows.iter().map(|r| r.seq).collect::<Vec<_>>();

    assert_eq!(
        seqs(s.audit_range(ms(0), ms(3), None).await.unwrap()),
        [1, 2, 3, 6]
    );
    assert_eq!(seqs(s.audit_range(ms(0), ms(3), p1).await.unwrap()), [1, 3]);
    assert_eq!(seqs(s.audit_range(ms(0), ms(3), p2).await.unwrap()), [2]);
    assert_eq!(seqs(s.audit_range(ms(3), ms(4), None).await.unwrap()), [4]);
    assert_eq!(seqs(s.audit_range(ms(-1), ms(0), None).await.unwrap()), [5]);
    assert!(s.audit_range(ms(1), ms(1), None).await.unwrap().is_empty());
    assert_eq!(
        seqs(s.audit_range(ms(-10), ms(10), p1).await.unwrap()),
        [1, 3, 4, 5]
    );
    let rows = s.audit_range(ms(2), ms(3), None).await.unwrap();
    assert!(rows.iter().all(|r| r.event.at == ms(2)));
}

/// 8 tasks × 25 writes at once (patients and standalone appends) leave a gap-free, linear
/// chain with every write present.
pub async fn concurrent_writes_keep_the_chain_linear(backend: &dyn super::Backend) {
    const TASKS: usize = 8;
    const WRITES: usize = 25;
    let store = backend.store();
    let a = site(&*store, "A").await;
    let seeded = last_seq(&*store).await;

    let mut handles = Vec::new();
    for task in 0..TASKS {
        let store = store.clone();
        let a = a.clone();
        handles.push(tokio::spawn(async move {
            for i in 0..WRITES {
                if i % 2 == 0 {
                    store
                        .create_patient(
                            a.clinic.id,
                            details("P", "Concurrent", &format!("MRN-{task}-{i}")),
                            at(1),
                            create(&a.clinician, ObjectType::Patient),
                        )
                        .await
                        .unwrap();
                } else {
                    store
                        .append_audit(standalone(at(1), None, &format!("t{task}-{i}")))
                        .await
                        .unwrap();
                }
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }

    let rows = all_audit(&*store).await;
    let total = seeded + (TASKS * WRITES) as i64;
    assert_eq!(rows.len() as i64, total);
    let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=total).collect::<Vec<_>>());
    for pair in rows.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash, "seq {}", pair[1].seq);
    }
    let patients = store
        .list_patients(
            a.clinic.id,
            Some("concurrent"),
            1000,
            read_many(&a.clinician, ObjectType::Patient),
        )
        .await
        .unwrap();
    let per_task = WRITES.div_ceil(2);
    assert_eq!(patients.len(), TASKS * per_task);
}
