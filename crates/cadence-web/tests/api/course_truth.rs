//! Issue 14, through the API and the pages: one course snapshot, so the course view's summary,
//! plan, suggestion and forecasts agree for every demo patient, the chart shows the same phase
//! and next session as the API, and the forecast's expected count is the plan's count over the
//! same horizon. A booking on a day the plan does not propose needs a reason, which the plan
//! shows.

use crate::support::{Backend, TestApp, World, on_every_backend};
use axum::http::Method;
use cadence_app::demo::DEMO_PASSWORD;
use cadence_app::records::Role;
use serde_json::{Value, json};

async fn demo_token(t: &TestApp, who: &str) -> String {
    t.api_login(&format!("{who}@demo.test"), DEMO_PASSWORD)
        .await
}

/// Sessions of a plan not yet given, on days in `[from, until)`.
fn ahead(plan: &Value, from: &str, until: &str) -> u64 {
    let n = plan["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] != "completed")
        .filter(|s| {
            let d = s["date"].as_str().unwrap();
            d >= from && d < until
        })
        .count();
    u64::try_from(n).unwrap()
}

async fn every_demo_course_agrees_with_itself_and_with_its_chart(backend: Backend) {
    let t = TestApp::on(backend).await;
    assert!(t.app.seed_demo().await.unwrap());
    let token = demo_token(&t, "clinician").await;
    let desk = demo_token(&t, "frontdesk").await;
    let page = t.browser_login("clinician@demo.test", DEMO_PASSWORD).await;
    let patients = t
        .request(Method::GET, "/api/v1/patients", Some(&token), None)
        .await;
    let today = t.today();
    let until = today.checked_add(jiff::Span::new().days(26 * 7)).unwrap();
    let (today, until) = (today.to_string(), until.to_string());
    let mut checked = 0;
    let mut maintenance = 0;
    for p in patients.json.as_array().unwrap() {
        let id = p["id"].as_i64().unwrap();
        let courses = t
            .request(
                Method::GET,
                &format!("/api/v1/patients/{id}/courses"),
                Some(&token),
                None,
            )
            .await;
        let Some(course) = courses.json.as_array().unwrap().first() else {
            continue;
        };
        let cid = course["id"].as_i64().unwrap();
        let path = format!("/api/v1/courses/{cid}");
        let view = t.request(Method::GET, &path, Some(&token), None).await;
        view.expect(200);
        let v = &view.json;
        let summary = &v["summary"];
        assert_eq!(&v["plan"]["course"], summary, "{}: plan", p["mrn"]);
        assert_eq!(
            &v["suggestion"]["course"], summary,
            "{}: suggestion",
            p["mrn"]
        );
        for f in v["forecasts"].as_array().unwrap() {
            assert_eq!(&f["course"], summary, "{}: forecast", p["mrn"]);
        }
        if summary["phase"] == "maintenance" {
            maintenance += 1;
        }
        // With no observed early return, the forecast's expected count is the plan's count.
        let f26 = &v["forecasts"][0];
        let observed = f26["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().contains("symptoms have come back"));
        if !observed && summary["phase"] != "paused" {
            assert_eq!(
                f26["total"]["expected"].as_u64().unwrap(),
                ahead(&v["plan"], &today, &until),
                "{}: forecast vs plan\n{v:#}",
                p["mrn"]
            );
        }
        // Front desk sees bookings and the next date to book, not the plan (issue 15 §10: a
        // plan dropping to nothing would reveal a discontinuation).
        let theirs = t.request(Method::GET, &path, Some(&desk), None).await;
        assert_eq!(theirs.json["next_due"], summary["next_due"]);
        assert_eq!(v["next_due"], summary["next_due"]);
        for hidden in ["summary", "plan", "suggestion", "decisions", "trajectory"] {
            assert!(
                theirs.json.get(hidden).is_none(),
                "front desk sees no {hidden}"
            );
        }
        assert_eq!(theirs.json["forecasts"], json!([]));
        // The chart shows the API's phase and next session.
        let chart =
            crate::pages_admin::get(&t, &format!("/patients/{id}"), Some(&page.cookie)).await;
        chart.expect(200);
        let phase_label = match summary["phase"].as_str().unwrap() {
            "induction" => "Induction",
            "maintenance" => "Maintenance",
            "paused" => "Paused",
            _ => "Discontinued",
        };
        assert!(
            chart
                .text
                .contains(&format!("<dt>Phase</dt><dd>{phase_label}</dd>")),
            "{}: phase {phase_label}",
            p["mrn"]
        );
        if let Some(next) = summary["next_due"].as_str() {
            assert!(chart.text.contains(next), "{}: next {next}", p["mrn"]);
        }
        checked += 1;
    }
    assert!(checked >= 8, "every demo course looked at: {checked}");
    assert!(maintenance >= 2, "some demo courses are in maintenance");
}

async fn a_day_off_the_plan_needs_a_reason_and_the_plan_shows_it(backend: Backend) {
    let w = World::new(backend).await;
    let course = w.course().await;
    let path = format!("/api/v1/courses/{course}");
    let view = w.as_clinician(Method::GET, &path, None).await;
    let planned: Vec<String> = view.json["plan"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "planned")
        .map(|s| s["date"].as_str().unwrap().to_owned())
        .collect();
    let first = planned
        .first()
        .expect("a planned (not yet booked) session")
        .clone();
    let w = &w;
    let book_path = format!("/api/v1/courses/{course}/sessions");
    let book = |body: Value| {
        let path = book_path.clone();
        async move {
            w.t.request(
                Method::POST,
                &path,
                Some(w.token(Role::FrontDesk)),
                Some(body),
            )
            .await
        }
    };
    // The plan's own day needs no reason.
    book(json!({"date": first})).await.expect(201);
    // A day the plan does not propose: refused without a reason, taken with one.
    let day: jiff::civil::Date = first.parse().unwrap();
    let off = (1..7)
        .map(|n| day.checked_add(jiff::Span::new().days(n)).unwrap())
        .find(|d| {
            !planned.contains(&d.to_string())
                && !matches!(
                    d.weekday(),
                    jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
                )
        })
        .unwrap();
    let r = book(json!({"date": off.to_string()})).await;
    r.expect(422);
    assert_eq!(r.json["error"]["code"], "booking_reason_required");
    let before = w.as_clinician(Method::GET, &path, None).await;
    book(json!({"date": off.to_string(), "reason": "Travels for work that week"}))
        .await
        .expect(201);
    let after = w.as_clinician(Method::GET, &path, None).await;
    let sessions = after.json["plan"]["sessions"].as_array().unwrap();
    let kept = sessions
        .iter()
        .find(|s| s["date"] == off.to_string().as_str())
        .expect("the booked day is in the plan");
    assert_eq!(kept["status"], "booked");
    assert_eq!(kept["booking_reason"], "Travels for work that week");
    let first_after = sessions
        .iter()
        .find(|s| s["date"] == first.as_str())
        .unwrap();
    assert_eq!(first_after["status"], "booked", "the plan's day, booked");
    assert_ne!(
        before.json["plan"], after.json["plan"],
        "the plan is rebuilt around the bookings"
    );
}

/// The nurse's timer panel polls every 30 seconds: each poll reads the session only (one
/// audit row, not the whole course), and the JSON session view carries the same timers.
async fn the_timer_panel_reads_only_the_session(backend: Backend) {
    let w = World::new(backend).await;
    let session = w.administered_session().await;
    let nurse = crate::pages_clinical::Browser::login(&w, Role::Nurse).await;
    let head = w.t.audit_head().await;
    let panel = nurse.get(&format!("/sessions/{session}/timers")).await;
    panel.expect(200);
    assert!(panel.text.contains("BP due at"), "{}", panel.text);
    let rows = w.t.audit_after(head).await;
    let types: Vec<&str> = rows.iter().map(|r| r.event.object_type.as_str()).collect();
    assert_eq!(types, ["session_timers"], "one row per poll");
    let view = w
        .as_clinician(Method::GET, &format!("/api/v1/sessions/{session}"), None)
        .await;
    assert_eq!(view.json["timers"][0]["what"], "BP due at", "{}", view.json);
    assert!(
        view.json.get("rems").is_none(),
        "IV ketamine has no REMS form"
    );
}

on_every_backend!(
    the_timer_panel_reads_only_the_session,
    every_demo_course_agrees_with_itself_and_with_its_chart,
    a_day_off_the_plan_needs_a_reason_and_the_plan_shows_it,
);
