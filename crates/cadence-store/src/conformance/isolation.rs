//! Clinic isolation: every clinic-scoped read and write, asked by another clinic, is
//! `NotFound`, changes nothing and appends no audit row.

use super::support::*;
use crate::Store;
use crate::audit::{AuditAction, ObjectType};
use crate::records::*;
use cadence_clinical::decision::Decision;
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::route::Route;
use cadence_clinical::screening::Eligibility;

/// Everything clinic A holds about one patient.
struct Chart {
    patient: Patient,
    screening: Screening,
    course: Course,
    session: TreatmentSession,
}

async fn chart(s: &dyn Store, a: &Site) -> Chart {
    let patient = add_patient(s, a, "MRN-A").await;
    let screening = s
        .create_screening(
            NewScreening {
                clinic_id: a.clinic.id,
                patient_id: patient.id,
                route: Route::IvKetamine,
                input: screening_input(Route::IvKetamine),
                result: screening_result(Eligibility::Eligible),
                decision: Eligibility::Eligible,
                created_by: a.clinician.id,
                created_at: at(3),
            },
            Vec::new(),
            create(&a.clinician, ObjectType::Screening),
        )
        .await
        .unwrap();
    let course = add_course(s, a, &patient, "2026-03-02", &["2026-03-02"]).await;
    s.create_assessment(
        NewAssessment {
            clinic_id: a.clinic.id,
            patient_id: patient.id,
            course_id: Some(course.id),
            instrument: InstrumentId::Madrs,
            answers: vec![Some(3); 10],
            total: Some(30),
            score: stored_score(serde_json::json!({"total": 30})),
            source: AssessmentSource::Clinic,
            taken_on: day("2026-03-02"),
            created_by: Some(a.clinician.id),
            created_at: at(4),
        },
        Vec::new(),
        create(&a.clinician, ObjectType::Assessment),
    )
    .await
    .unwrap();
    let session = s
        .list_treatment_sessions_on(
            a.clinic.id,
            day("2026-03-02"),
            read_many(&a.clinician, ObjectType::TreatmentSession),
        )
        .await
        .unwrap()
        .remove(0);
    Chart {
        patient,
        screening,
        course,
        session,
    }
}

/// Reads of clinic A's records by clinic B.
pub async fn other_clinic_reads_are_not_found(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let c = chart(s, &a).await;
    let intruder = &b.clinician;
    let (bc, p) = (b.clinic.id, c.patient.id);

    let before = last_seq(s).await;
    assert_not_found(
        s.get_patient(bc, p, read(intruder, ObjectType::Patient, p))
            .await,
        "get_patient",
    );
    assert_not_found(
        s.get_screening(
            bc,
            c.screening.id,
            read(intruder, ObjectType::Screening, c.screening.id),
        )
        .await,
        "get_screening",
    );
    assert_not_found(
        s.list_assessments(bc, p, read_many(intruder, ObjectType::Assessment))
            .await,
        "list_assessments",
    );
    assert_not_found(
        s.list_courses(bc, p, read_many(intruder, ObjectType::Course))
            .await,
        "list_courses",
    );
    assert_not_found(
        s.get_course_bundle(
            bc,
            c.course.id,
            read(intruder, ObjectType::Course, c.course.id),
        )
        .await,
        "get_course_bundle",
    );
    assert_not_found(
        s.get_treatment_session(
            bc,
            c.session.id,
            read(intruder, ObjectType::TreatmentSession, c.session.id),
        )
        .await,
        "get_treatment_session",
    );
    no_new_audit(s, before).await;

    // Lists scoped to B are B's own audited reads, and show none of A's records.
    let listed = s
        .list_patients(
            bc,
            Some("lovelace"),
            50,
            read_many(intruder, ObjectType::Patient),
        )
        .await
        .unwrap();
    assert!(listed.is_empty(), "{listed:?}");
    let today = s
        .list_treatment_sessions_on(
            bc,
            day("2026-03-02"),
            read_many(intruder, ObjectType::TreatmentSession),
        )
        .await
        .unwrap();
    assert!(today.is_empty(), "{today:?}");
    assert!(
        s.list_users(bc)
            .await
            .unwrap()
            .iter()
            .all(|u| u.clinic_id == bc)
    );
    let rows = s.audit_page(before + 1, 10).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.event.patient_id.is_none()));
}

/// Writes into clinic A's records by clinic B.
pub async fn other_clinic_writes_are_not_found_and_change_nothing(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let c = chart(s, &a).await;
    let nurse_a = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    let intruder = &b.clinician;
    let (bc, p) = (b.clinic.id, c.patient.id);
    let chart_before = s
        .get_course_bundle(
            a.clinic.id,
            c.course.id,
            read(&a.clinician, ObjectType::Course, c.course.id),
        )
        .await
        .unwrap();

    let before = last_seq(s).await;
    assert_not_found(
        s.update_patient(
            bc,
            p,
            details("Mallory", "Intruder", "MRN-X"),
            at(50),
            update(intruder, ObjectType::Patient, p),
        )
        .await,
        "update_patient",
    );
    assert_not_found(
        s.create_screening(
            NewScreening {
                clinic_id: bc,
                patient_id: p,
                route: Route::Esketamine,
                input: screening_input(Route::Esketamine),
                result: screening_result(Eligibility::Eligible),
                decision: Eligibility::Eligible,
                created_by: intruder.id,
                created_at: at(50),
            },
            Vec::new(),
            create(intruder, ObjectType::Screening),
        )
        .await,
        "create_screening",
    );
    assert_not_found(
        s.create_assessment(
            NewAssessment {
                clinic_id: bc,
                patient_id: p,
                course_id: None,
                instrument: InstrumentId::Phq9,
                answers: vec![Some(0); 9],
                total: Some(0),
                score: stored_score(serde_json::json!({"total": 0})),
                source: AssessmentSource::Clinic,
                taken_on: day("2026-03-03"),
                created_by: Some(intruder.id),
                created_at: at(50),
            },
            Vec::new(),
            create(intruder, ObjectType::Assessment),
        )
        .await,
        "create_assessment",
    );
    assert_not_found(
        s.create_course(
            NewCourse {
                clinic_id: bc,
                patient_id: p,
                protocol_id: "p".into(),
                protocol_version: 1,
                protocol_text: String::new(),
                start_date: day("2026-03-03"),
                screening_id: None,
                screening_override: None,
                created_by: intruder.id,
                created_at: at(50),
            },
            vec![slot("2026-03-03")],
            CHAIRS,
            create(intruder, ObjectType::Course),
        )
        .await,
        "create_course",
    );
    assert_not_found(
        s.create_treatment_session(
            NewTreatmentSession {
                clinic_id: bc,
                course_id: c.course.id,
                slot: slot("2026-03-03"),
                booking_reason: None,
                created_at: at(50),
            },
            CHAIRS,
            create(intruder, ObjectType::TreatmentSession),
        )
        .await,
        "create_treatment_session",
    );
    assert_not_found(
        s.set_treatment_session_status(
            bc,
            c.session.id,
            StatusChange {
                status: SessionStatus::Cancelled,
                at: at(50),
            },
            update(intruder, ObjectType::TreatmentSession, c.session.id),
        )
        .await,
        "set_treatment_session_status",
    );
    assert_not_found(
        s.append_session_entry(
            bc,
            c.session.id,
            super::sessions::entry(
                SessionEntryKind::PreChecks,
                super::sessions::pre_checks(intruder.id),
                intruder.id,
                50,
                None,
            ),
            EntryGuard::default(),
            Vec::new(),
            update(intruder, ObjectType::PreChecks, c.session.id),
        )
        .await
        .map(|(session, _)| session),
        "append_session_entry",
    );
    assert_not_found(
        s.add_monitoring_entry(
            bc,
            c.session.id,
            NewMonitoringEntry {
                taken_at: at(50),
                bp: Some(BloodPressure {
                    systolic: 120,
                    diastolic: 80,
                }),
                heart_rate: None,
                spo2: None,
                respiratory_rate: None,
                moaas: None,
                cadss: None,
                adverse_effects: vec![],
                recorded_by: intruder.id,
            },
            Vec::new(),
            create(intruder, ObjectType::MonitoringEntry),
        )
        .await,
        "add_monitoring_entry",
    );
    assert_not_found(
        s.create_decision(
            NewDecision {
                clinic_id: bc,
                course_id: c.course.id,
                decision: Decision::Discontinue,
                suggestion_shown: None,
                note: None,
                decided_by: intruder.id,
                decided_on: day("2026-03-03"),
                created_at: at(50),
            },
            Vec::new(),
            create(intruder, ObjectType::Decision),
        )
        .await,
        "create_decision",
    );
    assert_not_found(
        s.update_user_access(
            bc,
            nurse_a.id,
            Role::Admin,
            false,
            event(
                Some(intruder),
                AuditAction::PrivilegeChange,
                ObjectType::User,
                Some(nurse_a.id.to_string()),
            ),
        )
        .await,
        "update_user_access",
    );
    no_new_audit(s, before).await;

    let chart_after = s
        .get_course_bundle(
            a.clinic.id,
            c.course.id,
            read(&a.clinician, ObjectType::Course, c.course.id),
        )
        .await
        .unwrap();
    assert_eq!(chart_after, chart_before);
    assert_eq!(
        s.get_patient(a.clinic.id, p, read(&a.clinician, ObjectType::Patient, p))
            .await
            .unwrap(),
        c.patient
    );
    assert_eq!(
        s.list_courses(a.clinic.id, p, read_many(&a.clinician, ObjectType::Course))
            .await
            .unwrap(),
        std::slice::from_ref(&c.course)
    );
    assert_eq!(s.get_user(nurse_a.id).await.unwrap(), nurse_a);
    assert!(
        s.list_patients(bc, None, 50, read_many(intruder, ObjectType::Patient))
            .await
            .unwrap()
            .is_empty()
    );
}
