//! The course read model and the page reads of issue 18 ([`Store::today_records`],
//! [`Store::schedule_records`], [`Store::patient_page`], [`Store::put_course_summaries`]): one audit row per read, a
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
        to_move: 0,
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
            to_move: 0,
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

/// The schedule's records: the range's sessions, and only the courses whose summary is stale or
/// counts a booking to move (stored by the write-back); `/today` brings those too, whatever
/// their next day. One audit row per read, never another clinic's course.
pub async fn read_model_schedule_and_to_move(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let ada = add_patient(s, &a, "A-1").await;
    let bea = add_patient(s, &a, "A-2").await;
    let fits = add_course(s, &a, &ada, "2026-03-02", &["2026-03-02", "2026-03-05"]).await;
    let moves = add_course(s, &a, &bea, "2026-03-09", &["2026-03-09"]).await;
    let bo = add_patient(s, &b, "B-1").await;
    add_course(s, &b, &bo, "2026-03-02", &["2026-03-02"]).await;
    let schedule = |from: &str, until: &str| {
        let event = read_many(&a.clinician, ObjectType::Schedule);
        let (from, until) = (day(from), day(until));
        async move {
            let before = last_seq(s).await;
            let found = s
                .schedule_records(a.clinic.id, from, until, event)
                .await
                .unwrap();
            one_new_audit(s, before).await;
            found
        }
    };
    let courses = |r: &ScheduleRecords| {
        r.courses
            .iter()
            .map(|c| c.bundle.course.id)
            .collect::<Vec<_>>()
    };

    let first = schedule("2026-03-02", "2026-03-03").await;
    assert_eq!(first.sessions.len(), 1, "the range's sessions only");
    assert_eq!(first.sessions[0].course_id, fits.id);
    assert_eq!(
        courses(&first),
        vec![fits.id, moves.id],
        "stale summaries are read, never another clinic's"
    );
    let mut named: Vec<_> = first.patients.iter().map(|p| p.id).collect();
    named.sort();
    let mut expected = vec![ada.id, bea.id];
    expected.sort();
    assert_eq!(named, expected);

    let update = |c: &CourseSummaryRecord, to_move| SummaryUpdate {
        course_id: c.course_id,
        version: c.version,
        phase: CoursePhase::Induction,
        next_due: Some(day("2026-03-09")),
        attention_on: day("2026-03-09"),
        computed_on: day("2026-03-02"),
        to_move,
    };
    let stored = s
        .put_course_summaries(
            a.clinic.id,
            vec![
                update(&first.courses[0].summary, 0),
                update(&first.courses[1].summary, 1),
            ],
        )
        .await
        .unwrap();
    assert_eq!(stored, 2);

    let later = schedule("2026-03-05", "2026-03-06").await;
    assert_eq!(
        courses(&later),
        vec![moves.id],
        "a course counting no move is not read"
    );
    assert_eq!(later.courses[0].summary.to_move, 1);
    assert_eq!(later.sessions.len(), 1);
    assert_eq!(later.sessions[0].course_id, fits.id);
    assert_eq!(
        later.patients.len(),
        2,
        "the session's and the move's patients"
    );

    let event = read_many(&a.clinician, ObjectType::CourseList);
    let today = s
        .today_records(a.clinic.id, day("2026-03-03"), event)
        .await
        .unwrap();
    assert_eq!(
        today
            .courses
            .iter()
            .map(|c| c.bundle.course.id)
            .collect::<Vec<_>>(),
        vec![moves.id],
        "today brings a course with a booking to move, not one due later"
    );
}

/// The background refresh's reads: the clinics with a stale summary, then a clinic's stale
/// courses in batches by course id, one audit row each; a stored summary is no longer stale.
pub async fn read_model_stale_courses_in_batches(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let ada = add_patient(s, &a, "A-1").await;
    let bea = add_patient(s, &a, "A-2").await;
    let first = add_course(s, &a, &ada, "2026-03-02", &["2026-03-02"]).await;
    let second = add_course(s, &a, &bea, "2026-03-02", &["2026-03-03"]).await;
    let bo = add_patient(s, &b, "B-1").await;
    add_course(s, &b, &bo, "2026-03-02", &["2026-03-02"]).await;
    let mut clinics = vec![a.clinic.id, b.clinic.id];
    clinics.sort();
    assert_eq!(s.clinics_with_stale_summaries().await.unwrap(), clinics);

    let batch = |limit| {
        let event = read_many(&a.clinician, ObjectType::CourseList);
        async move {
            let before = last_seq(s).await;
            let found = s.stale_courses(a.clinic.id, limit, event).await.unwrap();
            one_new_audit(s, before).await;
            found
        }
    };
    let one = batch(1).await;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].bundle.course.id, first.id, "by course id");
    assert!(one[0].latest);
    let both = batch(10).await;
    assert_eq!(
        both.iter().map(|c| c.bundle.course.id).collect::<Vec<_>>(),
        vec![first.id, second.id],
        "never another clinic's course"
    );
    let updates = both
        .iter()
        .map(|c| SummaryUpdate {
            course_id: c.bundle.course.id,
            version: c.summary.version,
            phase: CoursePhase::Induction,
            next_due: Some(day("2026-03-03")),
            attention_on: day("2026-03-03"),
            computed_on: day("2026-03-02"),
            to_move: 0,
        })
        .collect();
    assert_eq!(
        s.put_course_summaries(a.clinic.id, updates).await.unwrap(),
        2
    );
    assert!(batch(10).await.is_empty(), "stored summaries are not stale");
    assert_eq!(
        s.clinics_with_stale_summaries().await.unwrap(),
        vec![b.clinic.id]
    );
}
