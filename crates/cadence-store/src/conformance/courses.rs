//! Courses with their first sessions, course bundles, and clinicians' decisions.

use super::sessions::monitoring;
use super::support::*;
use crate::Store;
use crate::audit::{AuditAction, ObjectType};
use crate::ids::*;
use crate::records::*;
use cadence_clinical::decision::Decision;

/// A course and its first sessions are stored together with one audit row; courses list
/// newest first.
pub async fn course_books_initial_sessions_in_one_transaction(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let patient = add_patient(s, &a, "MRN-1").await;

    let before = last_seq(s).await;
    let course = add_course(
        s,
        &a,
        &patient,
        "2026-03-02",
        &["2026-03-05", "2026-03-02", "2026-03-09"],
    )
    .await;
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::Course,
        Some(course.id.to_string()),
        Some(patient.id),
    );
    assert_eq!(course.clinic_id, a.clinic.id);
    assert_eq!(course.patient_id, patient.id);
    assert_eq!(course.protocol_id, "esketamine-standard");
    assert_eq!(course.protocol_version, 3);
    assert_eq!(
        course.protocol_text,
        "id = \"esketamine-standard\"\nversion = 3\n"
    );
    assert_eq!(course.start_date, day("2026-03-02"));
    assert_eq!(course.created_by, a.clinician.id);
    assert_eq!(course.created_at, at(2));

    let bundle = s
        .get_course_bundle(
            a.clinic.id,
            course.id,
            read(&a.clinician, ObjectType::Course, course.id),
        )
        .await
        .unwrap();
    assert_eq!(bundle.course, course);
    let dates: Vec<_> = bundle.sessions.iter().map(|t| t.scheduled_on).collect();
    assert_eq!(
        dates,
        [day("2026-03-02"), day("2026-03-05"), day("2026-03-09")]
    );
    for t in &bundle.sessions {
        assert_eq!(t.status, SessionStatus::Scheduled);
        assert_eq!(t.course_id, course.id);
        assert_eq!(t.patient_id, patient.id);
        assert_eq!(t.clinic_id, a.clinic.id);
        assert_eq!(t.pre_checks, None);
        assert_eq!(t.administration, None);
        assert_eq!(t.discharge, None);
        assert!(t.monitoring.is_empty());
        assert_eq!(t.updated_at, at(2));
    }

    let second = add_course(s, &a, &patient, "2026-06-01", &[]).await;
    let before = last_seq(s).await;
    let listed = s
        .list_courses(
            a.clinic.id,
            patient.id,
            read_many(&a.clinician, ObjectType::Course),
        )
        .await
        .unwrap();
    assert_eq!(listed, [second, course]);
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Read,
        ObjectType::Course,
        None,
        Some(patient.id),
    );

    let before = last_seq(s).await;
    let ghost = PatientId(patient.id.0 + 1000);
    let refused = s
        .create_course(
            NewCourse {
                clinic_id: a.clinic.id,
                patient_id: ghost,
                protocol_id: "p".into(),
                protocol_version: 1,
                protocol_text: String::new(),
                start_date: day("2026-03-02"),
                screening_id: None,
                screening_override: None,
                created_by: a.clinician.id,
                created_at: at(2),
            },
            vec![slot("2026-03-02")],
            CHAIRS,
            create(&a.clinician, ObjectType::Course),
        )
        .await;
    assert_not_found(refused, "a course for an unknown patient");
    assert_not_found(
        s.list_courses(
            a.clinic.id,
            ghost,
            read_many(&a.clinician, ObjectType::Course),
        )
        .await,
        "courses of an unknown patient",
    );
    no_new_audit(s, before).await;
    let day_list = s
        .list_treatment_sessions_on(
            a.clinic.id,
            day("2026-03-02"),
            read_many(&a.clinician, ObjectType::TreatmentSession),
        )
        .await
        .unwrap();
    assert_eq!(day_list.len(), 1, "the refused course booked nothing");
}

pub(crate) fn new_decision(
    site: &Site,
    course: &Course,
    decision: Decision,
    on: &str,
) -> NewDecision {
    NewDecision {
        clinic_id: site.clinic.id,
        course_id: course.id,
        decision,
        suggestion_shown: Some("start_maintenance: 4 of 4 induction sessions".into()),
        note: Some("Responded; patient agrees.".into()),
        decided_by: site.clinician.id,
        decided_on: day(on),
        created_at: at(200),
    }
}

/// Decisions round-trip, each audited about the course's patient, and a bundle lists them in
/// the order recorded.
pub async fn decisions_round_trip(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &[]).await;

    let before = last_seq(s).await;
    let first = s
        .create_decision(
            new_decision(&a, &course, Decision::StartMaintenance, "2026-03-30"),
            Vec::new(),
            create(&a.clinician, ObjectType::Decision),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::Decision,
        Some(first.id.to_string()),
        Some(patient.id),
    );
    assert_eq!(first.decision, Decision::StartMaintenance);
    assert_eq!(first.course_id, course.id);
    assert_eq!(first.clinic_id, a.clinic.id);
    assert_eq!(first.decided_by, a.clinician.id);
    assert_eq!(first.decided_on, day("2026-03-30"));
    assert_eq!(first.created_at, at(200));
    assert_eq!(
        first.suggestion_shown.as_deref(),
        Some("start_maintenance: 4 of 4 induction sessions")
    );
    assert_eq!(first.note.as_deref(), Some("Responded; patient agrees."));

    let mut bare = new_decision(&a, &course, Decision::Pause, "2026-03-01");
    bare.suggestion_shown = None;
    bare.note = None;
    let second = s
        .create_decision(bare, Vec::new(), create(&a.clinician, ObjectType::Decision))
        .await
        .unwrap();
    assert_eq!(second.suggestion_shown, None);
    assert_eq!(second.note, None);

    let bundle = s
        .get_course_bundle(
            a.clinic.id,
            course.id,
            read(&a.clinician, ObjectType::Course, course.id),
        )
        .await
        .unwrap();
    assert_eq!(
        bundle.decisions,
        [first, second],
        "recorded order, not date"
    );

    let before = last_seq(s).await;
    let mut ghost = new_decision(&a, &course, Decision::Continue, "2026-03-30");
    ghost.course_id = CourseId(course.id.0 + 1000);
    assert_not_found(
        s.create_decision(
            ghost,
            Vec::new(),
            create(&a.clinician, ObjectType::Decision),
        )
        .await,
        "a decision on an unknown course",
    );
    no_new_audit(s, before).await;
}

/// A bundle holds the course, its sessions (with monitoring) by date, all of the patient's
/// assessments (including a baseline before the course) and none of another patient's, and its
/// decisions; reading it appends one audit row about the patient.
pub async fn course_bundle_contents(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let other = add_patient(s, &a, "MRN-2").await;
    let baseline = s
        .create_assessment(
            phq9(&a, &patient, None, "2026-02-27", 20),
            Vec::new(),
            create(&a.clinician, ObjectType::Assessment),
        )
        .await
        .unwrap();
    let course = add_course(s, &a, &patient, "2026-03-02", &["2026-03-02", "2026-03-05"]).await;
    let other_course = add_course(s, &a, &other, "2026-03-02", &["2026-03-03"]).await;
    s.create_assessment(
        phq9(&a, &other, Some(other_course.id), "2026-03-01", 9),
        Vec::new(),
        create(&a.clinician, ObjectType::Assessment),
    )
    .await
    .unwrap();
    let week1 = s
        .create_assessment(
            phq9(&a, &patient, Some(course.id), "2026-03-09", 14),
            Vec::new(),
            create(&a.clinician, ObjectType::Assessment),
        )
        .await
        .unwrap();
    let decision = s
        .create_decision(
            new_decision(&a, &course, Decision::Continue, "2026-03-09"),
            Vec::new(),
            create(&a.clinician, ObjectType::Decision),
        )
        .await
        .unwrap();
    s.create_decision(
        new_decision(&a, &other_course, Decision::Pause, "2026-03-09"),
        Vec::new(),
        create(&a.clinician, ObjectType::Decision),
    )
    .await
    .unwrap();
    let first_day = s
        .list_treatment_sessions_on(
            a.clinic.id,
            day("2026-03-02"),
            read_many(&a.clinician, ObjectType::TreatmentSession),
        )
        .await
        .unwrap();
    let session = first_day[0].id;
    let entry = s
        .add_monitoring_entry(
            a.clinic.id,
            session,
            monitoring(a.clinician.id, 75, Some(135)),
            Vec::new(),
            create(&a.clinician, ObjectType::MonitoringEntry),
        )
        .await
        .unwrap();

    let before = last_seq(s).await;
    let bundle = s
        .get_course_bundle(
            a.clinic.id,
            course.id,
            read(&a.clinician, ObjectType::Course, course.id),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Read,
        ObjectType::Course,
        Some(course.id.to_string()),
        Some(patient.id),
    );
    assert_eq!(bundle.course, course);
    assert_eq!(bundle.assessments, [baseline, week1]);
    assert_eq!(bundle.decisions, [decision]);
    assert_eq!(bundle.sessions.len(), 2);
    assert_eq!(bundle.sessions[0].id, session);
    assert_eq!(bundle.sessions[0].monitoring, [entry]);
    assert!(bundle.sessions[1].monitoring.is_empty());
    assert_eq!(bundle.sessions[1].scheduled_on, day("2026-03-05"));

    let before = last_seq(s).await;
    let unknown = CourseId(other_course.id.0 + 1000);
    assert_not_found(
        s.get_course_bundle(
            a.clinic.id,
            unknown,
            read(&a.clinician, ObjectType::Course, unknown),
        )
        .await,
        "unknown course",
    );
    no_new_audit(s, before).await;
}

pub(crate) fn phq9(
    site: &Site,
    patient: &Patient,
    course: Option<CourseId>,
    taken_on: &str,
    total: i64,
) -> NewAssessment {
    NewAssessment {
        clinic_id: site.clinic.id,
        patient_id: patient.id,
        course_id: course,
        instrument: cadence_clinical::instrument::InstrumentId::Phq9,
        answers: vec![Some(2); 9],
        total: Some(total),
        score: stored_score(serde_json::json!({"total": total})),
        source: AssessmentSource::Clinic,
        taken_on: day(taken_on),
        created_by: Some(site.clinician.id),
        created_at: at(7),
    }
}
