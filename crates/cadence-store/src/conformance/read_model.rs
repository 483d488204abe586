//! The course read model and the page reads of issue 18 ([`Store::today_records`],
//! [`Store::patient_page`], [`Store::put_course_summaries`]): one audit row per read, a
//! summary stale after every write to its course (in the write's transaction), a write-back
//! guarded by its version and its clinic.

use super::courses::phq9;
use super::support::*;
use crate::Store;
use crate::audit::ObjectType;
use crate::records::*;
use cadence_clinical::course::CoursePhase;

/// `/today`'s records, the new course stale until computed, written back, stale again after a
/// write; a write-back of an old version or another clinic's course is skipped.
pub async fn read_model_today_and_write_back(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let ada = add_patient(s, &a, "A-1").await;
    let course = add_course(s, &a, &ada, "2026-03-02", &["2026-03-02", "2026-03-05"]).await;
    let bo = add_patient(s, &b, "B-1").await;
    let other = add_course(s, &b, &bo, "2026-03-02", &["2026-03-02"]).await;
    let today = |on: &str| {
        let event = read_many(&a.clinician, ObjectType::CourseList);
        let on = day(on);
        async move {
            let before = last_seq(s).await;
            let found = s.today_records(a.clinic.id, on, event).await.unwrap();
            one_new_audit(s, before).await;
            found
        }
    };

    let first = today("2026-03-02").await;
    assert_eq!(first.sessions.len(), 1);
    assert_eq!(first.courses.len(), 1, "never another clinic's course");
    let looked = &first.courses[0];
    assert_eq!(looked.bundle.course.id, course.id);
    assert!(looked.latest);
    assert_eq!(
        looked.summary.attention_on, STALE,
        "a new course is due for a look"
    );
    assert_eq!(looked.summary.phase, None);
    assert_eq!(
        first.patients.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![ada.id]
    );

    let version = looked.summary.version;
    let update = |course_id, version| SummaryUpdate {
        course_id,
        version,
        phase: CoursePhase::Induction,
        next_due: Some(day("2026-03-05")),
        attention_on: day("2026-03-05"),
        computed_on: day("2026-03-02"),
    };
    let stored = s
        .put_course_summaries(a.clinic.id, vec![update(course.id, version)])
        .await
        .unwrap();
    assert_eq!(stored, 1);
    let other_clinic = s
        .put_course_summaries(a.clinic.id, vec![update(other.id, 0)])
        .await
        .unwrap();
    assert_eq!(other_clinic, 0, "another clinic's course is never written");
    assert!(
        today("2026-03-03").await.courses.is_empty(),
        "nothing due before the summary's day"
    );
    let due = today("2026-03-05").await;
    assert_eq!(due.courses.len(), 1);
    assert_eq!(due.courses[0].summary.phase, Some(CoursePhase::Induction));

    // An assessment of the patient marks the course stale in its own transaction.
    s.create_assessment(
        phq9(&a, &ada, Some(course.id), "2026-03-03", 12),
        Vec::new(),
        create(&a.clinician, ObjectType::Assessment),
    )
    .await
    .unwrap();
    let after = today("2026-03-03").await;
    assert_eq!(after.courses.len(), 1);
    assert_eq!(after.courses[0].summary.attention_on, STALE);
    assert!(after.courses[0].summary.version > version);
    let late = s
        .put_course_summaries(a.clinic.id, vec![update(course.id, version)])
        .await
        .unwrap();
    assert_eq!(late, 0, "a summary computed before the write is not stored");
}

/// A page of patients: searched and paginated in the database, the count of all matches, each
/// patient's newest course summary (with its bundle while the summary does not hold), one audit
/// row per page.
pub async fn read_model_patient_page(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let ada = add_patient(s, &a, "A-1").await;
    let bea = add_patient(s, &a, "A-2").await;
    add_patient(s, &b, "B-1").await;
    add_course(s, &a, &ada, "2026-01-05", &[]).await;
    let newest = add_course(s, &a, &ada, "2026-03-02", &["2026-03-02"]).await;
    let page = |search: Option<&'static str>, offset, limit| {
        let event = read_many(&a.clinician, ObjectType::PatientList);
        async move {
            let before = last_seq(s).await;
            let found = s
                .patient_page(a.clinic.id, search, offset, limit, day("2026-03-02"), event)
                .await
                .unwrap();
            one_new_audit(s, before).await;
            found
        }
    };
    let all = page(None, 0, 50).await;
    assert_eq!(all.matches, 2);
    let ids: Vec<_> = all.rows.iter().map(|r| r.patient.id).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&ada.id) && ids.contains(&bea.id));
    let first = page(None, 0, 1).await;
    let second = page(None, 1, 1).await;
    assert_eq!((first.matches, second.matches), (2, 2));
    assert_eq!(first.rows.len(), 1);
    assert_eq!(second.rows.len(), 1);
    assert_ne!(first.rows[0].patient.id, second.rows[0].patient.id);
    assert!(page(None, 2, 1).await.rows.is_empty());

    let found = page(Some("a-1"), 0, 50).await;
    assert_eq!(found.matches, 1);
    let row = &found.rows[0];
    assert_eq!(row.patient.id, ada.id);
    let latest = row.latest.as_ref().unwrap();
    assert_eq!(latest.course_id, newest.id, "the newest course");
    assert!(
        row.bundle.is_some(),
        "a stale summary comes with its bundle"
    );
    s.put_course_summaries(
        a.clinic.id,
        vec![SummaryUpdate {
            course_id: newest.id,
            version: latest.version,
            phase: CoursePhase::Induction,
            next_due: Some(day("2026-03-05")),
            attention_on: day("2026-03-05"),
            computed_on: day("2026-03-02"),
        }],
    )
    .await
    .unwrap();
    let held = page(Some("A-1"), 0, 50).await;
    assert!(
        held.rows[0].bundle.is_none(),
        "a summary that holds is enough"
    );
    assert_eq!(
        held.rows[0].latest.as_ref().unwrap().next_due,
        Some(day("2026-03-05"))
    );
    let none = page(Some("%"), 0, 50).await;
    assert_eq!(none.matches, 0, "`%` is not a wildcard");
    let bea_row = page(Some("A-2"), 0, 50).await;
    assert_eq!(bea_row.rows[0].latest, None, "no course yet");
}
