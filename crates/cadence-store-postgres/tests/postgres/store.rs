//! PostgreSQL-specific behaviour of the Store methods that the shared suite cannot see from
//! outside: how constraint errors are named, that a refused write leaves no audit row, byte
//! order sorting like SQLite's, literal search text, and values surviving the round trip.

use crate::support::{TestDb, event};
use cadence_store::audit::{AuditAction, ObjectType, verify_chain};
use cadence_store::ids::{ClinicId, CourseId, PatientId, UserId};
use cadence_store::records::*;
use cadence_store::{Store, StoreError};
use cadence_store_postgres::PgStore;
use jiff::Timestamp;
use jiff::civil::date;

const T0: i64 = 1_800_000_000_000;

fn at() -> Timestamp {
    Timestamp::from_millisecond(T0).unwrap()
}

async fn clinic(store: &PgStore, name: &str) -> ClinicId {
    store
        .create_clinic(
            NewClinic {
                name: name.into(),
                time_zone: "Europe/London".parse().unwrap(),
                created_at: at(),
            },
            event(ObjectType::Clinic, T0),
        )
        .await
        .unwrap()
        .id
}

fn person(mrn: &str, family: &str) -> PatientDetails {
    PatientDetails {
        mrn: mrn.into(),
        given_name: "Alex".into(),
        family_name: family.into(),
        birth_date: date(1975, 6, 30),
        sex: Sex::Female,
        weight_kg: Some(71.25),
        weight_measured_on: None,
        contact: Default::default(),
    }
}

fn user(clinic: ClinicId, email: &str) -> NewUser {
    NewUser {
        clinic_id: clinic,
        email: email.into(),
        role: Role::Clinician,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".into(),
        must_change_password: true,
        created_at: at(),
    }
}

fn conflict(name: &str) -> StoreError {
    StoreError::Conflict {
        constraint: name.into(),
    }
}

#[tokio::test]
async fn unique_rules_are_named_as_sqlite_names_them_and_leave_no_audit_row() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    let a = clinic(&store, "North").await;
    let b = clinic(&store, "South").await;
    let err = store
        .create_clinic(
            NewClinic {
                name: "North".into(),
                time_zone: "UTC".parse().unwrap(),
                created_at: at(),
            },
            event(ObjectType::Clinic, T0),
        )
        .await
        .unwrap_err();
    assert_eq!(err, conflict("clinics.name"));

    store
        .create_user(user(a, "a@example.org"), event(ObjectType::User, T0))
        .await
        .unwrap();
    let err = store
        .create_user(user(b, "a@example.org"), event(ObjectType::User, T0))
        .await
        .unwrap_err();
    assert_eq!(err, conflict("users.email"));

    let p = store
        .create_patient(
            a,
            person("M1", "Smith"),
            at(),
            event(ObjectType::Patient, T0),
        )
        .await
        .unwrap();
    let err = store
        .create_patient(
            a,
            person("M1", "Jones"),
            at(),
            event(ObjectType::Patient, T0),
        )
        .await
        .unwrap_err();
    assert_eq!(err, conflict("patients.mrn"));
    // The same MRN in another clinic is a different patient.
    store
        .create_patient(
            b,
            person("M1", "Jones"),
            at(),
            event(ObjectType::Patient, T0),
        )
        .await
        .unwrap();
    let second = store
        .create_patient(
            a,
            person("M2", "Brown"),
            at(),
            event(ObjectType::Patient, T0),
        )
        .await
        .unwrap();
    let err = store
        .update_patient(
            a,
            second.id,
            person("M1", "Brown"),
            at(),
            event(ObjectType::Patient, T0),
        )
        .await
        .unwrap_err();
    assert_eq!(err, conflict("patients.mrn"));

    // Refused writes kept neither the change nor an audit row: 2 clinics, 1 user, 3 patients.
    let chain = store.audit_page(1, 100).await.unwrap();
    assert_eq!(verify_chain(&chain).unwrap().seq, 6);
    let stored = store
        .get_patient(a, p.id, event(ObjectType::Patient, T0))
        .await
        .unwrap();
    assert_eq!(stored.details, person("M1", "Smith"));
    store.close().await;
}

#[tokio::test]
async fn a_reference_to_a_missing_user_is_a_foreign_key_conflict() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    let c = clinic(&store, "North").await;
    let p = store
        .create_patient(
            c,
            person("M1", "Smith"),
            at(),
            event(ObjectType::Patient, T0),
        )
        .await
        .unwrap();
    let err = store
        .create_course(
            NewCourse {
                clinic_id: c,
                patient_id: p.id,
                protocol_id: "esketamine-standard".into(),
                protocol_version: 1,
                protocol_text: "id = \"esketamine-standard\"".into(),
                start_date: date(2027, 1, 4),
                screening_id: None,
                screening_override: None,
                created_by: UserId(999),
                created_at: at(),
            },
            vec![BookingSlot {
                on: date(2027, 1, 4),
                starts_at: jiff::civil::time(9, 0, 0, 0),
                minutes: 120,
                chair: 1,
            }],
            1,
            event(ObjectType::Course, T0),
        )
        .await
        .unwrap_err();
    assert_eq!(err, conflict("foreign_key"));
    let courses = store
        .list_courses(c, p.id, event(ObjectType::Course, T0))
        .await
        .unwrap();
    assert!(
        courses.is_empty(),
        "the course and its sessions rolled back together"
    );
    store.close().await;
}

#[tokio::test]
async fn another_clinics_records_are_not_found() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    let a = clinic(&store, "North").await;
    let b = clinic(&store, "South").await;
    let p = store
        .create_patient(
            a,
            person("M1", "Smith"),
            at(),
            event(ObjectType::Patient, T0),
        )
        .await
        .unwrap();
    let e = || event(ObjectType::Patient, T0);
    assert_eq!(
        store.get_patient(b, p.id, e()).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store
            .update_patient(b, p.id, person("M9", "X"), at(), e())
            .await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.list_assessments(b, p.id, e()).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store
            .get_course_bundle(b, CourseId(1), e())
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        store.get_patient(a, PatientId(p.id.0 + 100), e()).await,
        Err(StoreError::NotFound)
    );
    store.close().await;
}

#[tokio::test]
async fn lists_sort_by_bytes_and_search_text_is_literal() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    let c = clinic(&store, "North").await;
    for (mrn, family) in [
        ("A-1", "de Vries"),
        ("A-2", "Smith"),
        ("A-3", "Zed"),
        ("100%", "Able"),
    ] {
        store
            .create_patient(c, person(mrn, family), at(), event(ObjectType::Patient, T0))
            .await
            .unwrap();
    }
    let all = store
        .list_patients(c, None, 10, event(ObjectType::Patient, T0))
        .await
        .unwrap();
    let families: Vec<&str> = all.iter().map(|p| p.details.family_name.as_str()).collect();
    // Byte order, as SQLite sorts: upper case before lower case.
    assert_eq!(families, ["Able", "Smith", "Zed", "de Vries"]);
    let percent = store
        .list_patients(c, Some("0%"), 10, event(ObjectType::Patient, T0))
        .await
        .unwrap();
    assert_eq!(percent.len(), 1);
    assert_eq!(percent[0].details.mrn, "100%");
    let vries = store
        .list_patients(c, Some("VRIES"), 10, event(ObjectType::Patient, T0))
        .await
        .unwrap();
    assert_eq!(vries.len(), 1);
    let limited = store
        .list_patients(c, Some("a-"), 2, event(ObjectType::Patient, T0))
        .await
        .unwrap();
    assert_eq!(limited.len(), 2);
    store.close().await;
}

#[tokio::test]
async fn a_course_round_trips_with_sessions_monitoring_and_decisions() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    let c = clinic(&store, "North").await;
    let nurse = store
        .create_user(user(c, "n@example.org"), event(ObjectType::User, T0))
        .await
        .unwrap()
        .id;
    let p = store
        .create_patient(
            c,
            person("M1", "Smith"),
            at(),
            event(ObjectType::Patient, T0),
        )
        .await
        .unwrap();
    let course = store
        .create_course(
            NewCourse {
                clinic_id: c,
                patient_id: p.id,
                protocol_id: "esketamine-standard".into(),
                protocol_version: 3,
                protocol_text: "frozen text".into(),
                start_date: date(2027, 1, 4),
                screening_id: None,
                screening_override: None,
                created_by: nurse,
                created_at: at(),
            },
            vec![
                BookingSlot {
                    on: date(2027, 1, 4),
                    starts_at: jiff::civil::time(9, 0, 0, 0),
                    minutes: 120,
                    chair: 1,
                },
                BookingSlot {
                    on: date(2027, 1, 7),
                    starts_at: jiff::civil::time(9, 0, 0, 0),
                    minutes: 120,
                    chair: 1,
                },
            ],
            1,
            event(ObjectType::Course, T0),
        )
        .await
        .unwrap();
    let mut read = event(ObjectType::Course, T0);
    read.action = AuditAction::Read;
    let bundle = store.get_course_bundle(c, course.id, read).await.unwrap();
    assert_eq!(bundle.course, course);
    assert_eq!(bundle.sessions.len(), 2);
    let first = bundle.sessions[0].id;
    let checks = PreChecks {
        identity_confirmed: true,
        fasting_confirmed: true,
        transport_arranged: true,
        bp: BloodPressure {
            systolic: 128,
            diastolic: 82,
        },
        heart_rate: Some(70),
        spo2: Spo2::new(98).ok(),
        recorded_by: nurse,
        recorded_at: at(),
    };
    let updated = store
        .append_session_entry(
            c,
            first,
            NewSessionEntry {
                kind: SessionEntryKind::PreChecks,
                body: serde_json::to_value(&checks).unwrap(),
                corrects: None,
                reason: None,
                recorded_by: nurse,
                recorded_at: at(),
                status: Some(SessionStatus::InProgress),
            },
            EntryGuard::default(),
            Vec::new(),
            event(ObjectType::TreatmentSession, T0),
        )
        .await
        .map(|(session, _)| session)
        .unwrap();
    assert_eq!(updated.pre_checks, Some(checks.clone()));
    let entry = NewMonitoringEntry {
        taken_at: at(),
        // The highest plausible readings (the types hold nothing higher).
        bp: BloodPressure::reading(300, 200).ok(),
        heart_rate: Some(72),
        spo2: Spo2::new(100).ok(),
        respiratory_rate: Some(12),
        moaas: Some(5),
        cadss: Some(0),
        adverse_effects: vec!["nausea".into()],
        recorded_by: nurse,
    };
    store
        .add_monitoring_entry(
            c,
            first,
            entry.clone(),
            Vec::new(),
            event(ObjectType::MonitoringEntry, T0),
        )
        .await
        .unwrap();
    // A status change keeps the record.
    let later = store
        .set_treatment_session_status(
            c,
            first,
            StatusChange {
                status: SessionStatus::Completed,
                at: at(),
            },
            event(ObjectType::TreatmentSession, T0),
        )
        .await
        .unwrap();
    assert_eq!(later.pre_checks, Some(checks));
    assert_eq!(later.status, SessionStatus::Completed);
    assert_eq!(later.monitoring.len(), 1);
    assert_eq!(later.monitoring[0].entry, entry);
    assert_eq!(later.patient_id, p.id);

    let decision = store
        .create_decision(
            NewDecision {
                clinic_id: c,
                course_id: course.id,
                decision: cadence_clinical::decision::Decision::ExtendInduction,
                suggestion_shown: Some("extend_induction".into()),
                note: None,
                decided_by: nurse,
                decided_on: date(2027, 1, 7),
                created_at: at(),
            },
            Vec::new(),
            event(ObjectType::Decision, T0),
        )
        .await
        .unwrap();
    let bundle = store
        .get_course_bundle(c, course.id, event(ObjectType::Course, T0))
        .await
        .unwrap();
    assert_eq!(bundle.decisions, vec![decision.clone()]);

    // Every patient-scoped audit row names the patient; creates name the new object.
    let chain = store.audit_page(1, 100).await.unwrap();
    verify_chain(&chain).unwrap();
    let decision_row = chain
        .iter()
        .find(|r| r.event.object_type == ObjectType::Decision)
        .unwrap();
    assert_eq!(decision_row.event.patient_id, Some(p.id));
    assert_eq!(decision_row.event.object_id, Some(decision.id.to_string()));
    assert!(
        chain
            .iter()
            .filter(|r| r.event.object_type != ObjectType::Clinic
                && r.event.object_type != ObjectType::User)
            .all(|r| r.event.patient_id == Some(p.id))
    );
    let reads = store
        .audit_range(
            at(),
            Timestamp::from_millisecond(T0 + 1).unwrap(),
            Some(p.id),
        )
        .await
        .unwrap();
    assert!(reads.iter().any(|r| r.event.action == AuditAction::Read));
    store.close().await;
}
