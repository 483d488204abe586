//! Database-level rules: the audit log is append-only, and foreign keys are enforced and
//! reported as conflicts.

use crate::harness::TempDb;
use cadence_clinical::route::Route;
use cadence_store::audit::{AuditAction, AuditEvent, AuditOutcome, ObjectType};
use cadence_store::ids::{PatientId, UserId};
use cadence_store::records::{NewClinic, NewScreening, PatientDetails, Sex};
use cadence_store::{Store, StoreError};
use jiff::Timestamp;

fn event(action: AuditAction, object_type: ObjectType) -> AuditEvent {
    AuditEvent {
        at: Timestamp::from_millisecond(1_772_442_000_000).unwrap(),
        actor_id: None,
        actor_role: None,
        clinic_id: None,
        patient_id: None,
        action,
        object_type,
        object_id: None,
        outcome: AuditOutcome::Success,
        request_id: "t".into(),
    }
}

#[tokio::test]
async fn audit_rows_cannot_be_updated_or_deleted() {
    let db = TempDb::new("triggers").await;
    let store = &db.store;
    for _ in 0..3 {
        store
            .append_audit(event(AuditAction::LoginFailed, ObjectType::User))
            .await
            .unwrap();
    }
    for sql in [
        "UPDATE audit_log SET object_type = 'x' WHERE seq = 2",
        "UPDATE audit_log SET hash = hash",
        "DELETE FROM audit_log WHERE seq = 3",
        "DELETE FROM audit_log",
        "DELETE FROM audit_head",
    ] {
        let err = sqlx::query(sql).execute(store.pool()).await.unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("append-only") || message.contains("cannot be deleted"),
            "{sql}: {message}"
        );
    }
    let rows = store.audit_page(1, 10).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.event.object_type == ObjectType::User));
    assert!(cadence_store::audit::verify_chain(&rows).is_ok());
}

/// A row pointing at a missing user breaks a foreign key: a conflict named `foreign_key`,
/// with nothing kept.
#[tokio::test]
async fn foreign_key_violations_are_conflicts() {
    let db = TempDb::new("fk").await;
    let store = &db.store;
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
    let patient = store
        .create_patient(
            clinic.id,
            PatientDetails {
                mrn: "M".into(),
                given_name: "G".into(),
                family_name: "F".into(),
                birth_date: "1990-01-01".parse().unwrap(),
                sex: Sex::Other,
                weight_kg: None,
                weight_measured_on: None,
                contact: Default::default(),
            },
            Timestamp::UNIX_EPOCH,
            event(AuditAction::Create, ObjectType::Patient),
        )
        .await
        .unwrap();
    let before = store.audit_page(1, 100).await.unwrap().len();
    let err = store
        .create_screening(
            NewScreening {
                clinic_id: clinic.id,
                patient_id: PatientId(patient.id.0),
                route: Route::Esketamine,
                input: serde_json::from_value(serde_json::json!({
                    "route": "esketamine", "age_years": 40, "failed_adequate_trials": 2
                }))
                .unwrap(),
                result: cadence_clinical::screening::ScreeningResult {
                    decision: cadence_clinical::screening::Eligibility::Eligible,
                    reasons: Vec::new(),
                    maudsley: None,
                },
                decision: cadence_clinical::screening::Eligibility::Eligible,
                created_by: UserId(999),
                created_at: Timestamp::UNIX_EPOCH,
            },
            Vec::new(),
            event(AuditAction::Create, ObjectType::Screening),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        StoreError::Conflict {
            constraint: "foreign_key".into()
        }
    );
    assert_eq!(store.audit_page(1, 100).await.unwrap().len(), before);
    let (screenings,): (i64,) = sqlx::query_as("SELECT count(*) FROM screenings")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(screenings, 0);
}
