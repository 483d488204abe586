//! A clinic of many patients (issue 18): a page view never fails or waits on another page,
//! waits for a write only to append its own audit row, writes one audit row per view of a
//! list whatever the clinic's size, and the patient list is paginated and searched in the
//! database.

use crate::pages_clinical::Browser;
use crate::support::{Backend, World, builders, on_every_backend};
use axum::http::Method;
use cadence_app::audit::AuditAction;
use cadence_app::records::Role;
use serde_json::json;
use std::time::Duration;

on_every_backend!(
    regression_issue_18_today_writes_one_audit_row_at_any_size,
    regression_issue_18_patient_list_is_paginated_and_searched,
    regression_issue_18_a_page_view_succeeds_while_a_long_write_is_open,
    regression_issue_18_schedule_reads_the_days_and_the_bookings_to_move,
    regression_issue_18_stale_summaries_are_refreshed_in_the_background,
);

/// Registers `n` patients named `family` with MRNs `prefix-0000`...; their ids.
async fn register(w: &World, n: usize, prefix: &str, family: &str) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let mut body = builders::patient(&format!("{prefix}-{i:04}"));
        body["family_name"] = json!(family);
        let r = w
            .as_clinician(Method::POST, "/api/v1/patients", Some(body))
            .await;
        ids.push(r.expect(201).id());
    }
    ids
}

/// The audit rows one page view appends.
async fn rows_of_view(w: &World, browser: &Browser<'_>, path: &str) -> Vec<(AuditAction, String)> {
    let head = w.t.audit_head().await;
    let r = browser.get(path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    w.t.audit_after(head)
        .await
        .into_iter()
        .map(|r| (r.event.action, r.event.object_type.as_str().to_owned()))
        .collect()
}

async fn regression_issue_18_today_writes_one_audit_row_at_any_size(backend: Backend) {
    let w = World::new(backend).await;
    let browser = Browser::login(&w, Role::Clinician).await;
    let one = vec![(AuditAction::Read, "course_list".to_owned())];
    // A small clinic, then one past the 200 patients the old page looked at, with today's
    // sessions booked for patients whose names sort last.
    register(&w, 5, "A", "Abbott").await;
    assert_eq!(rows_of_view(&w, &browser, "/today").await, one);
    register(&w, 200, "M", "Moreau").await;
    let late = register(&w, 3, "Z", "Zuniga").await;
    for p in &late {
        w.course_for(*p).await;
    }
    assert_eq!(rows_of_view(&w, &browser, "/today").await, one);
    let page = browser.get("/today").await;
    assert!(
        page.text.matches("Zuniga").count() >= late.len(),
        "today's sessions of patients beyond the first 200 by name are listed"
    );
    // Front desk too.
    let desk = Browser::login(&w, Role::FrontDesk).await;
    assert_eq!(rows_of_view(&w, &desk, "/today").await, one);
}

async fn regression_issue_18_patient_list_is_paginated_and_searched(backend: Backend) {
    let w = World::new(backend).await;
    let browser = Browser::login(&w, Role::Clinician).await;
    register(&w, 120, "P", "Lovelace").await;
    let course_patient = register(&w, 1, "Q", "Lovelace").await[0];
    w.course_for(course_patient).await;
    let one = vec![(AuditAction::Read, "patient_list".to_owned())];

    assert_eq!(rows_of_view(&w, &browser, "/patients").await, one);
    let first = browser.get("/patients").await;
    assert!(
        first.text.contains("Patients 1-50 of 121"),
        "{}",
        first.text
    );
    assert!(first.text.contains("from=50"), "a link to the next page");
    assert!(first.text.contains("P-0000"));
    assert!(!first.text.contains("P-0050"));

    let last = browser.get("/patients?search=&phase=all&from=100").await;
    assert!(
        last.text.contains("Patients 101-121 of 121"),
        "{}",
        last.text
    );
    assert!(last.text.contains("from=50"), "a link to the previous page");
    assert!(last.text.contains("Q-0000"));
    assert!(
        last.text.contains("Induction"),
        "the course's phase from the read model"
    );
    assert_eq!(
        rows_of_view(&w, &browser, "/patients?search=&phase=all&from=100").await,
        one
    );

    // Searched in the database: literally, ignoring case, in the MRN or names.
    let found = browser.get("/patients?search=p-0007").await;
    assert!(found.text.contains("P-0007"));
    assert!(!found.text.contains("P-0008"));
    assert!(
        !found.text.contains("Patients 1-"),
        "one page: no range shown"
    );
    let none = browser.get("/patients?search=%25").await;
    assert!(!none.text.contains("P-0000"), "`%` is not a wildcard");
}

async fn regression_issue_18_a_page_view_succeeds_while_a_long_write_is_open(backend: Backend) {
    let w = World::new(backend).await;
    let p = w.patient().await;
    w.course_for(p).await;
    let browser = Browser::login(&w, Role::Clinician).await;
    // Warm the session so the view's only write is its audit row.
    assert_eq!(browser.get("/today").await.status, 200);
    let chart = format!("/patients/{p}");
    for path in ["/today", "/patients", chart.as_str()] {
        let head = w.t.audit_head().await;
        let hold = w.t.hold_writer().await;
        let view = browser.get(path);
        tokio::pin!(view);
        // While the write is open the view may read, but its data waits for its audit row.
        let early = tokio::time::timeout(Duration::from_millis(800), &mut view).await;
        assert!(
            early.is_err(),
            "{path}: answered before its audit row was written"
        );
        hold.release().await;
        let r = view.await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        assert!(
            !w.t.audit_after(head).await.is_empty(),
            "{path}: its audit row is written"
        );
    }
}

/// `/schedule` reads the days shown and the courses the read model counts a booking to move
/// for: one audit row per view at any size, patients beyond the first 200 by name named, and
/// a booking that must move (the clinic closed its day) listed on every view after the view
/// that computed it, on `/schedule`, its API and `/today`'s count.
async fn regression_issue_18_schedule_reads_the_days_and_the_bookings_to_move(backend: Backend) {
    let w = World::new(backend).await;
    let browser = Browser::login(&w, Role::Clinician).await;
    let one = vec![(AuditAction::Read, "schedule".to_owned())];
    register(&w, 200, "M", "Moreau").await;
    let late = register(&w, 2, "Z", "Zuniga").await;
    let mut courses = Vec::new();
    for p in &late {
        courses.push(w.course_for(*p).await);
    }
    assert_eq!(rows_of_view(&w, &browser, "/schedule").await, one);
    let page = browser.get("/schedule").await;
    assert!(
        page.text.matches("Zuniga").count() >= late.len(),
        "today's sessions of patients beyond the first 200 by name are named"
    );

    // The clinic closes the day of the first course's second session.
    let course = w
        .as_clinician(
            Method::GET,
            &format!("/api/v1/courses/{}", courses[0]),
            None,
        )
        .await;
    course.expect(200);
    let second = course.json["sessions"][1].clone();
    let (closed_on, moved) = (
        second["scheduled_on"].as_str().unwrap().to_owned(),
        second["id"].as_i64().unwrap(),
    );
    let clinic = w.t.store.get_clinic(w.staff.clinic.id).await.unwrap();
    let admin = w.t.actor(w.staff.user(Role::Admin));
    w.t.app
        .update_calendar(
            &admin,
            clinic.time_zone.as_str(),
            clinic.open_days,
            &[closed_on.parse().unwrap()],
        )
        .await
        .unwrap();
    for view in 0..2 {
        let r = w
            .as_clinician(Method::GET, "/api/v1/schedule/to-move", None)
            .await;
        r.expect(200);
        let listed: Vec<i64> = r
            .json
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["session_id"].as_i64().unwrap())
            .collect();
        // Both courses started the same day: each has a session on the closed day.
        assert_eq!(listed.len(), late.len(), "view {view}: {}", r.json);
        assert!(listed.contains(&moved), "view {view}: {}", r.json);
        for m in r.json.as_array().unwrap() {
            assert_eq!(m["reason"]["kind"], "clinic_closed");
            assert_eq!(m["date"], closed_on.as_str());
        }
    }
    let today = browser.get("/today").await;
    assert!(
        today.text.contains("2 booked sessions no longer fit"),
        "/today counts the clinic's booking to move: {}",
        today.text
    );
    assert_eq!(rows_of_view(&w, &browser, "/schedule").await, one);
}

/// The refresh `cadence serve` starts in the background brings every stale summary up to date
/// (as after an upgrade, which marks them all stale), in batches audited as the system's, and
/// then finds nothing left.
async fn regression_issue_18_stale_summaries_are_refreshed_in_the_background(backend: Backend) {
    use cadence_app::today::{REFRESH_BATCH, REFRESH_REQUEST_ID};
    let w = World::new(backend).await;
    let n = usize::try_from(REFRESH_BATCH).unwrap() + 5;
    let patients = register(&w, n, "R", "Rossi").await;
    for p in &patients {
        w.course_for(*p).await;
    }
    let head = w.t.audit_head().await;
    let stored = w.t.app.refresh_stale_summaries().await.unwrap();
    assert_eq!(stored, u64::try_from(n).unwrap(), "every course's summary");
    let rows = w.t.audit_after(head).await;
    assert_eq!(
        rows.len(),
        2,
        "two batches, one audit row each (then none left)"
    );
    for r in &rows {
        assert_eq!(r.event.request_id, REFRESH_REQUEST_ID);
        assert_eq!(r.event.actor_id, None, "the system's read");
        assert_eq!(r.event.clinic_id, Some(w.staff.clinic.id));
    }
    assert!(
        w.t.store
            .clinics_with_stale_summaries()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        w.t.app.refresh_stale_summaries().await.unwrap(),
        0,
        "nothing left"
    );
}
