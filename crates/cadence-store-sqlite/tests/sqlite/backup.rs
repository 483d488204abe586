//! Online backup: a consistent, verified copy while writers carry on; never over an existing
//! file.

use crate::harness::TempDb;
use cadence_store::audit::{AuditAction, AuditEvent, AuditOutcome, ObjectType, verify_chain};
use cadence_store::records::{NewClinic, PatientDetails, Sex};
use cadence_store::{Store, StoreError};
use cadence_store_sqlite::{BACKUP_TARGET_EXISTS, SqliteStore};
use jiff::Timestamp;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

fn event(action: AuditAction, object_type: ObjectType) -> AuditEvent {
    AuditEvent {
        at: Timestamp::UNIX_EPOCH,
        actor_id: None,
        actor_role: None,
        clinic_id: None,
        patient_id: None,
        action,
        object_type,
        object_id: None,
        outcome: AuditOutcome::Success,
        request_id: "backup-test".into(),
    }
}

/// Files in a directory, by name.
fn files(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_under_write_load_is_consistent_and_verified() {
    let db = TempDb::new("backup-load").await;
    let store = Arc::new(db.store.clone());
    let clinic = store
        .create_clinic(
            NewClinic {
                name: "C".into(),
                time_zone: "UTC".parse().unwrap(),
                created_at: Timestamp::UNIX_EPOCH,
            },
            event(AuditAction::Create, ObjectType::Clinic),
        )
        .await
        .unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for task in 0..4 {
        let (store, stop, written) = (store.clone(), stop.clone(), written.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..400 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                store
                    .create_patient(
                        clinic.id,
                        PatientDetails {
                            mrn: format!("M-{task}-{i}"),
                            given_name: "G".into(),
                            family_name: "F".into(),
                            birth_date: "1990-01-01".parse().unwrap(),
                            sex: Sex::Unknown,
                            weight_kg: Some(80.0),
                            weight_measured_on: None,
                            contact: Default::default(),
                        },
                        Timestamp::UNIX_EPOCH,
                        event(AuditAction::Create, ObjectType::Patient),
                    )
                    .await
                    .unwrap();
                written.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    while written.load(Ordering::Relaxed) < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let target = db.dir.0.join("backup.db");
    store.backup_to(&target).await.unwrap();
    let at_backup = written.load(Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let leftovers: Vec<String> = files(&db.dir.0)
        .into_iter()
        .filter(|f| f.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let copy = SqliteStore::open(&format!("sqlite://{}", target.display()))
        .await
        .unwrap();
    copy.integrity_check().await.unwrap();
    let rows = copy.audit_page(1, 100_000).await.unwrap();
    let head = verify_chain(&rows).unwrap();
    assert_eq!(head.seq, rows.len() as i64);

    // Every patient in the copy has its create audit row, and vice versa.
    let patients: BTreeSet<String> = sqlx::query_as::<_, (i64,)>("SELECT id FROM patients")
        .fetch_all(copy.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|(id,)| id.to_string())
        .collect();
    let audited: BTreeSet<String> = rows
        .iter()
        .filter(|r| r.event.object_type == ObjectType::Patient)
        .filter_map(|r| r.event.object_id.clone())
        .collect();
    assert_eq!(patients, audited);
    assert!(patients.len() >= 40, "{} patients", patients.len());
    assert!(patients.len() <= at_backup + 4, "the copy is a snapshot");
    copy.close().await;

    // The live database carried on and is intact too.
    store.integrity_check().await.unwrap();
    let live = store.audit_page(1, 100_000).await.unwrap();
    assert!(verify_chain(&live).is_ok());
    assert!(live.len() >= rows.len());
    store.close().await;
}

#[tokio::test]
async fn backup_refuses_an_existing_target() {
    let db = TempDb::new("backup-exists").await;
    let target = db.dir.0.join("backup.db");
    std::fs::write(&target, b"an earlier backup").unwrap();
    let before = files(&db.dir.0);

    let err = db.store.backup_to(&target).await.unwrap_err();
    assert_eq!(
        err,
        StoreError::Conflict {
            constraint: BACKUP_TARGET_EXISTS.into()
        }
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"an earlier backup");
    assert_eq!(files(&db.dir.0), before, "no temporary file left behind");

    // A second backup to a fresh name works, and a repeat to it is refused.
    let fresh = db.dir.0.join("backup-2.db");
    db.store.backup_to(&fresh).await.unwrap();
    let again = db.store.backup_to(&fresh).await.unwrap_err();
    assert!(matches!(again, StoreError::Conflict { .. }));
}
