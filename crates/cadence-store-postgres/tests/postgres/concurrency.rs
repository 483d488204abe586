//! Several server processes against one database (AUD-4): four `PgStore`s, each with its own
//! connection pool, write and append audit rows in parallel. The chain must come out linear:
//! gap-free sequence numbers, every row pointing at its predecessor's hash, every change with
//! its audit row.

use crate::support::{TestDb, event};
use cadence_store::Store;
use cadence_store::audit::{AuditAction, ObjectType, verify_chain};
use cadence_store::ids::ClinicId;
use cadence_store::records::{NewClinic, PatientDetails, Sex};
use jiff::Timestamp;
use std::collections::HashSet;
use std::time::Duration;

const STORES: usize = 4;
const TASKS_PER_STORE: usize = 3;
const ROUNDS: usize = 12;

fn details(mrn: String) -> PatientDetails {
    PatientDetails {
        mrn,
        given_name: "Test".into(),
        family_name: "Patient".into(),
        birth_date: jiff::civil::date(1980, 1, 2),
        sex: Sex::Unknown,
        weight_kg: None,
        weight_measured_on: None,
        contact: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_server_processes_appending_at_once_keep_one_linear_chain() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    // Connect all four at once: their migrations race for sqlx's advisory lock.
    let mut connecting = Vec::new();
    for _ in 0..STORES {
        let url = db.url.clone();
        connecting.push(tokio::spawn(async move {
            cadence_store_postgres::PgStore::connect(&url).await
        }));
    }
    let mut stores = Vec::new();
    for handle in connecting {
        stores.push(handle.await.unwrap().expect("every process starts"));
    }
    let at = Timestamp::from_millisecond(1_800_000_000_000).unwrap();
    let clinic = stores[0]
        .create_clinic(
            NewClinic {
                name: "Concurrent".into(),
                time_zone: "UTC".parse().unwrap(),
                created_at: at,
            },
            event(ObjectType::Clinic, 1_800_000_000_000),
        )
        .await
        .unwrap();

    let mut tasks = Vec::new();
    for (s, store) in stores.iter().enumerate() {
        for t in 0..TASKS_PER_STORE {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let mut patients = Vec::new();
                for r in 0..ROUNDS {
                    let mrn = format!("MRN-{s}-{t}-{r}");
                    let mut e = event(ObjectType::Patient, 1_800_000_000_000 + r as i64);
                    e.clinic_id = Some(clinic.id);
                    let p = store
                        .create_patient(clinic.id, details(mrn), at, e.clone())
                        .await
                        .unwrap();
                    let mut read = e.clone();
                    read.action = AuditAction::Read;
                    store.get_patient(clinic.id, p.id, read).await.unwrap();
                    store.append_audit(e).await.unwrap();
                    patients.push(p.id);
                }
                patients
            }));
        }
    }
    let all = tokio::time::timeout(Duration::from_secs(120), async {
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        all
    })
    .await
    .expect("the parallel writers finish within two minutes");

    let writers = STORES * TASKS_PER_STORE * ROUNDS;
    assert_eq!(all.len(), writers);
    let chain = stores[1].audit_page(1, 10_000).await.unwrap();
    let head = verify_chain(&chain).expect("the chain verifies");
    // One row for the clinic, then three per round: create, read, standalone append.
    assert_eq!(head.seq, 1 + 3 * writers as i64);
    assert_eq!(chain.len() as i64, head.seq);
    let predecessors: HashSet<&str> = chain.iter().map(|r| r.prev_hash.as_str()).collect();
    assert_eq!(
        predecessors.len(),
        chain.len(),
        "no two rows share a predecessor"
    );
    for patient in &all {
        let created = chain.iter().filter(|r| {
            r.event.action == AuditAction::Create
                && r.event.object_type == ObjectType::Patient
                && r.event.object_id.as_deref() == Some(patient.to_string().as_str())
                && r.event.patient_id == Some(*patient)
        });
        assert_eq!(created.count(), 1, "patient {patient} has one create row");
    }
    let listed = stores[2]
        .list_patients(
            ClinicId(clinic.id.0),
            None,
            1_000,
            event(ObjectType::Patient, 0),
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), writers);
    for store in &stores {
        store.close().await;
    }
}
