//! A whole clinic's course bundles in one read ([`Store::list_course_bundles`]): exactly the
//! bundles read course by course, in patient then newest-first order, never another clinic's,
//! with one audit row (the caller's event as given).

use super::courses::{new_decision, phq9};
use super::sessions::{monitoring, pre_checks};
use super::support::*;
use crate::Store;
use crate::audit::{AuditAction, ObjectType};
use crate::records::*;
use cadence_clinical::decision::Decision;

/// Lists the clinic's bundles, asserting the call appended exactly one row: the caller's
/// event, naming no patient.
async fn listed(s: &dyn Store, site: &Site) -> Vec<CourseBundle> {
    let before = last_seq(s).await;
    let bundles = s
        .list_course_bundles(
            site.clinic.id,
            read_many(&site.clinician, ObjectType::CourseList),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(&row, AuditAction::Read, ObjectType::CourseList, None, None);
    assert_eq!(row.event.clinic_id, Some(site.clinic.id));
    bundles
}

/// Every course of a clinic with several patients, each bundle equal to
/// [`Store::get_course_bundle`]'s for it; an empty clinic has none; another clinic's records
/// never appear.
pub async fn clinic_course_bundles(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    assert!(listed(s, &a).await.is_empty(), "no course yet");

    // Ada: three courses (two starting the same day), assessments out of date order.
    let ada = add_patient(s, &a, "A-1").await;
    let bea = add_patient(s, &a, "A-2").await;
    let cy = add_patient(s, &a, "A-3").await;
    let assess = |site: &Site, p: &Patient, course, on: &str, total| {
        let new = phq9(site, p, course, on, total);
        let event = create(&site.clinician, ObjectType::Assessment);
        async move { s.create_assessment(new, Vec::new(), event).await.unwrap() }
    };
    assess(&a, &ada, None, "2026-02-27", 20).await;
    let first = add_course(s, &a, &ada, "2026-03-02", &["2026-03-05", "2026-03-02"]).await;
    let second = add_course(s, &a, &ada, "2026-06-01", &["2026-06-01"]).await;
    let third = add_course(s, &a, &ada, "2026-06-01", &[]).await;
    assess(&a, &ada, Some(first.id), "2026-03-09", 14).await;
    assess(&a, &ada, None, "2026-02-20", 22).await;
    s.create_decision(
        new_decision(&a, &first, Decision::StartMaintenance, "2026-03-30"),
        Vec::new(),
        create(&a.clinician, ObjectType::Decision),
    )
    .await
    .unwrap();

    // Bea: one course with a held session, monitoring recorded out of time order, decisions.
    let theirs = add_course(s, &a, &bea, "2026-03-03", &["2026-03-06", "2026-03-03"]).await;
    assess(&a, &bea, Some(theirs.id), "2026-03-03", 17).await;
    let day_one = s
        .list_treatment_sessions_on(
            a.clinic.id,
            day("2026-03-03"),
            read_many(&a.clinician, ObjectType::TreatmentSession),
        )
        .await
        .unwrap();
    let held = day_one[0].id;
    s.append_session_entry(
        a.clinic.id,
        held,
        super::sessions::entry(
            SessionEntryKind::PreChecks,
            pre_checks(a.clinician.id),
            a.clinician.id,
            61,
            Some(SessionStatus::InProgress),
        ),
        EntryGuard::default(),
        Vec::new(),
        update(&a.clinician, ObjectType::TreatmentSession, held),
    )
    .await
    .map(|(session, _)| session)
    .unwrap();
    for minutes in [90, 75] {
        s.add_monitoring_entry(
            a.clinic.id,
            held,
            monitoring(a.clinician.id, minutes, Some(170)),
            Vec::new(),
            create(&a.clinician, ObjectType::MonitoringEntry),
        )
        .await
        .unwrap();
    }
    for (decision, on) in [
        (Decision::Pause, "2026-03-04"),
        (Decision::Continue, "2026-03-02"),
    ] {
        s.create_decision(
            new_decision(&a, &theirs, decision, on),
            Vec::new(),
            create(&a.clinician, ObjectType::Decision),
        )
        .await
        .unwrap();
    }
    // Cy: assessed, no course.
    assess(&a, &cy, None, "2026-03-01", 11).await;

    // Clinic B: a course with everything, which A never sees.
    let other = add_patient(s, &b, "A-1").await;
    let elsewhere = add_course(s, &b, &other, "2026-03-02", &["2026-03-02"]).await;
    assess(&b, &other, Some(elsewhere.id), "2026-03-02", 9).await;
    s.create_decision(
        new_decision(&b, &elsewhere, Decision::Continue, "2026-03-02"),
        Vec::new(),
        create(&b.clinician, ObjectType::Decision),
    )
    .await
    .unwrap();
    let b_session = s
        .list_treatment_sessions_on(
            b.clinic.id,
            day("2026-03-02"),
            read_many(&b.clinician, ObjectType::TreatmentSession),
        )
        .await
        .unwrap()[0]
        .id;
    s.add_monitoring_entry(
        b.clinic.id,
        b_session,
        monitoring(b.clinician.id, 80, Some(120)),
        Vec::new(),
        create(&b.clinician, ObjectType::MonitoringEntry),
    )
    .await
    .unwrap();

    let bundles = listed(s, &a).await;
    let order: Vec<_> = bundles.iter().map(|x| x.course.id).collect();
    assert_eq!(
        order,
        [third.id, second.id, first.id, theirs.id],
        "by patient, each patient's newest first"
    );
    for bundle in &bundles {
        let id = bundle.course.id;
        let one = s
            .get_course_bundle(a.clinic.id, id, read(&a.clinician, ObjectType::Course, id))
            .await
            .unwrap();
        assert_eq!(bundle, &one, "course {id} as get_course_bundle reads it");
    }
    // The comparison above is not vacuous: the bundles hold what was recorded.
    let ada_first = &bundles[2];
    let taken: Vec<_> = ada_first.assessments.iter().map(|x| x.taken_on).collect();
    assert_eq!(
        taken,
        [day("2026-02-20"), day("2026-02-27"), day("2026-03-09")]
    );
    assert_eq!(bundles[0].assessments, ada_first.assessments);
    let dates: Vec<_> = ada_first.sessions.iter().map(|x| x.scheduled_on).collect();
    assert_eq!(dates, [day("2026-03-02"), day("2026-03-05")]);
    assert_eq!(ada_first.decisions.len(), 1);
    assert!(bundles[0].sessions.is_empty() && bundles[0].decisions.is_empty());
    assert_eq!(bundles[1].sessions.len(), 1);
    let bea_course = &bundles[3];
    assert_eq!(bea_course.sessions[0].id, held);
    assert_eq!(bea_course.sessions[0].status, SessionStatus::InProgress);
    let times: Vec<_> = bea_course.sessions[0]
        .monitoring
        .iter()
        .map(|m| m.entry.taken_at)
        .collect();
    assert_eq!(times, [at(75), at(90)]);
    assert!(bea_course.sessions[1].monitoring.is_empty());
    let decided: Vec<_> = bea_course.decisions.iter().map(|d| d.decision).collect();
    assert_eq!(
        decided,
        [Decision::Pause, Decision::Continue],
        "recorded order"
    );
    assert_eq!(bea_course.assessments.len(), 1);
    // Where an earlier course of the patient ended: its last decision (no session of it was
    // completed); the first course, and a patient's only course, have none.
    let ends: Vec<_> = bundles.iter().map(|x| x.earlier_course_end).collect();
    assert_eq!(
        ends,
        [Some(day("2026-03-30")), Some(day("2026-03-30")), None, None]
    );

    for bundle in &bundles {
        assert_eq!(bundle.course.clinic_id, a.clinic.id);
        assert!(bundle.sessions.iter().all(|x| x.clinic_id == a.clinic.id));
        assert!(
            bundle
                .assessments
                .iter()
                .all(|x| x.clinic_id == a.clinic.id)
        );
        assert!(bundle.decisions.iter().all(|x| x.clinic_id == a.clinic.id));
        assert_ne!(bundle.course.patient_id, cy.id, "no course, no bundle");
    }
    let theirs_listed = listed(s, &b).await;
    let one = s
        .get_course_bundle(
            b.clinic.id,
            elsewhere.id,
            read(&b.clinician, ObjectType::Course, elsewhere.id),
        )
        .await
        .unwrap();
    assert_eq!(theirs_listed, [one]);
    assert_eq!(theirs_listed[0].sessions[0].monitoring.len(), 1);
}
