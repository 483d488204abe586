//! Safety findings: stored with the record that raised them, listed per patient and clinic-wide
//! while open, released once, checked inside a dose's transaction; REMS enrolment.

use super::sessions::{administration, entry, monitoring, pre_checks};
use super::support::*;
use crate::Store;
use crate::audit::{AuditAction, ObjectType};
use crate::ids::*;
use crate::records::*;
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::route::Route;
use cadence_clinical::safety::{FindingKind, Severity};
use cadence_clinical::screening::Eligibility;

fn finding(kind: FindingKind, detail: &str) -> NewFinding {
    NewFinding {
        kind,
        severity: Severity::High,
        detail: detail.to_owned(),
        course_id: None,
    }
}

fn assessment(site: &Site, patient: &Patient, minute: i64) -> NewAssessment {
    NewAssessment {
        clinic_id: site.clinic.id,
        patient_id: patient.id,
        course_id: None,
        instrument: InstrumentId::Phq9,
        answers: vec![Some(1); 9],
        total: Some(9),
        score: stored_score(serde_json::json!({"total": 9})),
        source: AssessmentSource::Clinic,
        taken_on: day("2026-03-04"),
        created_by: Some(site.clinician.id),
        created_at: at(minute),
    }
}

fn release(by: &User, minute: i64) -> NewRelease {
    NewRelease {
        note: "Reviewed with the patient; safety plan in place".to_owned(),
        decision_id: None,
        released_by: by.id,
        released_at: at(minute),
    }
}

/// Findings come with their source record and its time, show in the patient's list and the
/// clinic's open list, hold a guarded entry until released, and are released once.
pub async fn findings_are_stored_listed_and_released(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let nurse = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let other = add_patient(s, &a, "MRN-2").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &["2026-03-04"]).await;

    let before = last_seq(s).await;
    let stored = s
        .create_assessment(
            assessment(&a, &patient, 10),
            vec![finding(
                FindingKind::SuicideRiskItem,
                "PHQ-9 item 9 answered 2",
            )],
            create(&a.clinician, ObjectType::Assessment),
        )
        .await
        .unwrap();
    one_new_audit(s, before).await;
    let found = s
        .list_findings(
            a.clinic.id,
            patient.id,
            read(&a.clinician, ObjectType::FindingList, patient.id),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(f.kind, FindingKind::SuicideRiskItem);
    assert_eq!(f.source, FindingSource::Assessment);
    assert_eq!(f.source_id, Some(stored.id.0));
    assert_eq!(f.found_at, at(10), "the source record's time");
    assert_eq!(f.recorded_by, Some(a.clinician.id));
    assert!(f.is_open());

    // The other patient has none; the clinic's open list has this one.
    assert!(
        s.list_findings(
            a.clinic.id,
            other.id,
            read(&a.clinician, ObjectType::FindingList, other.id)
        )
        .await
        .unwrap()
        .is_empty()
    );
    let before = last_seq(s).await;
    let open = s
        .list_open_findings(
            a.clinic.id,
            read_many(&a.clinician, ObjectType::FindingList),
        )
        .await
        .unwrap();
    assert_eq!(open, found);
    let row = one_new_audit(s, before).await;
    assert_audit(&row, AuditAction::Read, ObjectType::FindingList, None, None);

    // A dose is refused inside its transaction while the finding is open.
    let bundle = s
        .get_course_bundle(
            a.clinic.id,
            course.id,
            read(&nurse, ObjectType::Course, course.id),
        )
        .await
        .unwrap();
    assert_eq!(
        bundle.findings, found,
        "the bundle carries the patient's findings"
    );
    let session = bundle.sessions[0].id;
    let guarded = || {
        s.append_session_entry(
            a.clinic.id,
            session,
            entry(
                SessionEntryKind::Administration,
                administration(nurse.id, "LOT-1"),
                nurse.id,
                20,
                None,
            ),
            EntryGuard {
                no_open_findings: true,
                not_signed: true,
            },
            Vec::new(),
            update(&nurse, ObjectType::Administration, session),
        )
    };
    let before = last_seq(s).await;
    assert_conflict(guarded().await, "findings.open");
    no_new_audit(s, before).await;

    let before = last_seq(s).await;
    let released = s
        .release_finding(
            a.clinic.id,
            f.id,
            release(&a.clinician, 15),
            create(&a.clinician, ObjectType::FindingRelease),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::FindingRelease,
        Some(f.id.to_string()),
        Some(patient.id),
    );
    let r = released.release.clone().unwrap();
    assert_eq!(r.released_by, a.clinician.id);
    assert_eq!(r.released_at, at(15));
    assert!(!released.is_open());
    assert_conflict(
        s.release_finding(
            a.clinic.id,
            f.id,
            release(&a.clinician, 16),
            create(&a.clinician, ObjectType::FindingRelease),
        )
        .await,
        "finding_releases.finding_id",
    );
    assert!(
        s.list_open_findings(
            a.clinic.id,
            read_many(&a.clinician, ObjectType::FindingList)
        )
        .await
        .unwrap()
        .is_empty()
    );
    let (given, _) = guarded().await.unwrap();
    assert!(given.administration.is_some(), "given once released");

    // Findings and releases cannot be changed or deleted behind the store's back.
    for sql in [
        "UPDATE findings SET detail = 'edited'",
        "DELETE FROM findings",
        "UPDATE finding_releases SET note = 'edited'",
        "DELETE FROM finding_releases",
    ] {
        let result = backend.raw_sql(sql).await;
        assert!(
            result.as_ref().is_err_and(|e| e.contains("append-only")),
            "{sql}: {result:?}"
        );
    }
}

/// Pre-checks, monitoring entries and screenings store the findings they raise in the same
/// transaction, each naming its source; a gate is stored with its release in one step.
pub async fn findings_from_each_source_and_gates(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let nurse = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &["2026-03-04"]).await;
    let session = s
        .get_course_bundle(
            a.clinic.id,
            course.id,
            read(&nurse, ObjectType::Course, course.id),
        )
        .await
        .unwrap()
        .sessions[0]
        .id;

    let held = s
        .append_session_entry(
            a.clinic.id,
            session,
            entry(
                SessionEntryKind::PreChecks,
                pre_checks(nurse.id),
                nurse.id,
                30,
                Some(SessionStatus::InProgress),
            ),
            EntryGuard::default(),
            vec![NewFinding {
                course_id: Some(course.id),
                ..finding(FindingKind::PreDoseBloodPressure, "158/97 mmHg")
            }],
            update(&nurse, ObjectType::PreChecks, session),
        )
        .await
        .map(|(session, _)| session)
        .unwrap();
    let entry_id = held.entries[0].id;
    let alert = s
        .add_monitoring_entry(
            a.clinic.id,
            session,
            monitoring(nurse.id, 40, Some(210)),
            vec![finding(FindingKind::BloodPressureCrisis, "210/160 mmHg")],
            create(&nurse, ObjectType::MonitoringEntry),
        )
        .await
        .unwrap();
    let screening = s
        .create_screening(
            NewScreening {
                clinic_id: a.clinic.id,
                patient_id: patient.id,
                route: Route::Esketamine,
                input: screening_input(Route::Esketamine),
                result: screening_result(Eligibility::NotEligible),
                decision: Eligibility::NotEligible,
                created_by: a.clinician.id,
                created_at: at(50),
            },
            vec![finding(
                FindingKind::ScreeningNotEligible,
                "a new contraindication",
            )],
            create(&a.clinician, ObjectType::Screening),
        )
        .await
        .unwrap();
    let before = last_seq(s).await;
    let gate = s
        .release_gate(
            a.clinic.id,
            session,
            NewFinding {
                severity: Severity::Moderate,
                ..finding(FindingKind::SuicideScreenMissing, "no screen today")
            },
            release(&a.clinician, 55),
            create(&a.clinician, ObjectType::FindingRelease),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::FindingRelease,
        Some(gate.id.to_string()),
        Some(patient.id),
    );
    assert!(!gate.is_open());
    assert_eq!(gate.source, FindingSource::Gate);
    assert_eq!(gate.treatment_session_id, Some(session));

    let all = s
        .list_findings(
            a.clinic.id,
            patient.id,
            read(&a.clinician, ObjectType::FindingList, patient.id),
        )
        .await
        .unwrap();
    let sources: Vec<(
        FindingKind,
        FindingSource,
        Option<i64>,
        Option<TreatmentSessionId>,
    )> = all
        .iter()
        .map(|f| (f.kind, f.source, f.source_id, f.treatment_session_id))
        .collect();
    assert_eq!(
        sources,
        [
            (
                FindingKind::PreDoseBloodPressure,
                FindingSource::PreChecks,
                Some(entry_id.0),
                Some(session)
            ),
            (
                FindingKind::BloodPressureCrisis,
                FindingSource::MonitoringEntry,
                Some(alert.id.0),
                Some(session)
            ),
            (
                FindingKind::ScreeningNotEligible,
                FindingSource::Screening,
                Some(screening.id.0),
                None
            ),
            (
                FindingKind::SuicideScreenMissing,
                FindingSource::Gate,
                Some(session.0),
                Some(session)
            ),
        ]
    );
    assert_eq!(all[0].course_id, Some(course.id));
    assert_eq!(all[1].found_at, at(40), "the monitoring entry's time");

    // Another clinic's finding or session is not found, and nothing is written.
    let b = site(s, "B").await;
    let before = last_seq(s).await;
    assert_not_found(
        s.release_finding(
            b.clinic.id,
            all[0].id,
            release(&b.clinician, 60),
            create(&b.clinician, ObjectType::FindingRelease),
        )
        .await,
        "another clinic's finding",
    );
    assert_not_found(
        s.release_gate(
            b.clinic.id,
            session,
            finding(FindingKind::SuicideScreenMissing, "x"),
            release(&b.clinician, 60),
            create(&b.clinician, ObjectType::FindingRelease),
        )
        .await,
        "another clinic's session",
    );
    assert_not_found(
        s.list_findings(
            b.clinic.id,
            patient.id,
            read(&b.clinician, ObjectType::FindingList, patient.id),
        )
        .await,
        "another clinic's patient",
    );
    no_new_audit(s, before).await;
}

/// A REMS enrolment is recorded, replaced, carried by the bundle, and scoped to the clinic.
pub async fn rems_enrolment_round_trip(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &[]).await;
    let enrolment = |id: &str, minute| RemsEnrolment {
        patient_id: patient.id,
        rems_patient_id: id.to_owned(),
        enrolled_on: day("2026-03-01"),
        recorded_by: a.clinician.id,
        recorded_at: at(minute),
    };
    let before = last_seq(s).await;
    let stored = s
        .set_rems_enrolment(
            a.clinic.id,
            enrolment("REMS-1", 5),
            update(&a.clinician, ObjectType::RemsEnrolment, patient.id),
        )
        .await
        .unwrap();
    assert_eq!(stored, enrolment("REMS-1", 5));
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Update,
        ObjectType::RemsEnrolment,
        Some(patient.id.to_string()),
        Some(patient.id),
    );
    let replaced = s
        .set_rems_enrolment(
            a.clinic.id,
            enrolment("REMS-2", 6),
            update(&a.clinician, ObjectType::RemsEnrolment, patient.id),
        )
        .await
        .unwrap();
    assert_eq!(replaced.rems_patient_id, "REMS-2");
    let bundle = s
        .get_course_bundle(
            a.clinic.id,
            course.id,
            read(&a.clinician, ObjectType::Course, course.id),
        )
        .await
        .unwrap();
    assert_eq!(bundle.rems, Some(replaced));
    let b = site(s, "B").await;
    let before = last_seq(s).await;
    assert_not_found(
        s.set_rems_enrolment(
            b.clinic.id,
            enrolment("REMS-3", 7),
            update(&b.clinician, ObjectType::RemsEnrolment, patient.id),
        )
        .await,
        "another clinic's patient",
    );
    no_new_audit(s, before).await;
}

/// A decision releases the findings it names in its own transaction: with its note, clinician
/// and time, naming the decision; a refused release leaves no decision behind.
pub async fn decisions_release_findings_atomically(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let other = add_patient(s, &a, "MRN-2").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &[]).await;
    let raise = |p: &Patient, minute| {
        s.create_assessment(
            assessment(&a, p, minute),
            vec![finding(FindingKind::SuicideRiskItem, "item 9 answered 1")],
            create(&a.clinician, ObjectType::Assessment),
        )
    };
    raise(&patient, 10).await.unwrap();
    raise(&other, 11).await.unwrap();
    let open = s
        .list_open_findings(
            a.clinic.id,
            read_many(&a.clinician, ObjectType::FindingList),
        )
        .await
        .unwrap();
    let (mine, theirs) = (open[0].id, open[1].id);
    let decide = |releases: Vec<FindingId>| {
        s.create_decision(
            NewDecision {
                clinic_id: a.clinic.id,
                course_id: course.id,
                decision: cadence_clinical::decision::Decision::Continue,
                suggestion_shown: Some("hold_for_review".into()),
                note: Some("Seen today; no plan or intent; continue".into()),
                decided_by: a.clinician.id,
                decided_on: day("2026-03-04"),
                created_at: at(20),
            },
            releases,
            create(&a.clinician, ObjectType::Decision),
        )
    };
    let before = last_seq(s).await;
    assert_not_found(
        decide(vec![mine, theirs]).await,
        "another patient's finding",
    );
    no_new_audit(s, before).await;
    let bundle = s
        .get_course_bundle(
            a.clinic.id,
            course.id,
            read(&a.clinician, ObjectType::Course, course.id),
        )
        .await
        .unwrap();
    assert!(
        bundle.decisions.is_empty(),
        "no decision without its releases"
    );
    assert!(bundle.findings[0].is_open());

    let decided = decide(vec![mine]).await.unwrap();
    let found = s
        .list_findings(
            a.clinic.id,
            patient.id,
            read(&a.clinician, ObjectType::FindingList, patient.id),
        )
        .await
        .unwrap();
    let release = found[0].release.clone().unwrap();
    assert_eq!(release.decision_id, Some(decided.id));
    assert_eq!(release.released_by, a.clinician.id);
    assert_eq!(release.released_at, at(20));
    assert_eq!(release.note, "Seen today; no plan or intent; continue");
    assert_conflict(decide(vec![mine]).await, "finding_releases.finding_id");
}
