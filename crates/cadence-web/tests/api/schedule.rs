//! Scheduling (issue 16 §1) through the API and the pages: times, chairs and open slots; the
//! refusals (closed day, outside hours, absurd times, a taken chair, a full clinic, double
//! booking the patient, moving into a conflict, two bookings at once, another clinic's
//! session); front desk moves, cancels and rebooks; the demo clinic's to-move list.

use crate::support::{Backend, TestApp, World, on_every_backend};
use axum::http::Method;
use cadence_app::demo::DEMO_PASSWORD;
use cadence_app::records::Role;
use serde_json::{Value, json};

fn code(r: &cadence_testkit::TestResponse) -> String {
    r.code().to_owned()
}

/// The first booked session of a fresh course, with its course and day.
async fn first_session(w: &World) -> (i64, i64, String) {
    let c = w.course().await;
    let v = w
        .as_clinician(Method::GET, &format!("/api/v1/courses/{c}"), None)
        .await;
    let s = &v.json["sessions"][0];
    (
        c,
        s["id"].as_i64().unwrap(),
        s["scheduled_on"].as_str().unwrap().to_owned(),
    )
}

async fn bookings_are_checked_and_front_desk_moves_cancels_and_rebooks(backend: Backend) {
    let w = World::new(backend).await;
    let desk = w.token(Role::FrontDesk).to_owned();
    let post = |path: String, body: Value| {
        let desk = desk.clone();
        let w = &w;
        async move {
            w.t.request(Method::POST, &path, Some(&desk), Some(body))
                .await
        }
    };
    let (course, session, day) = first_session(&w).await;
    let view = w
        .as_clinician(Method::GET, &format!("/api/v1/sessions/{session}"), None)
        .await;
    assert_eq!(view.json["starts_at"], "09:00", "the day's first open slot");
    assert_eq!(view.json["minutes"], 120);
    assert_eq!(view.json["chair"], 1);

    let mv = format!("/api/v1/sessions/{session}/move");
    // Absurd and out-of-hours times are refused and change nothing.
    for (time, want) in [
        ("25:99", "invalid_time"),
        ("9", "invalid_time"),
        ("07:00", "outside_opening_hours"),
        ("16:00", "outside_opening_hours"),
    ] {
        let r = post(mv.clone(), json!({"date": day, "start_time": time})).await;
        assert_eq!(code(&r), want, "{time}: {}", r.json);
    }
    let r = post(
        mv.clone(),
        json!({"date": day, "start_time": "10:00", "chair": 51}),
    )
    .await;
    assert_eq!(code(&r), "chair_taken", "{}", r.json);
    let r = post(mv.clone(), json!({"date": "2020-01-01"})).await;
    assert_eq!(code(&r), "date_in_past");
    // Same day, another time: no reason needed.
    let r = post(mv.clone(), json!({"date": day, "start_time": "13:30"})).await;
    r.expect(200);
    assert_eq!(r.json["starts_at"], "13:30");

    // Another patient cannot take the same chair at an overlapping time.
    let (_, other, other_day) = first_session(&w).await;
    assert_eq!(other_day, day);
    let r = post(
        format!("/api/v1/sessions/{other}/move"),
        json!({"date": day, "start_time": "14:00", "chair": 1}),
    )
    .await;
    assert_eq!(code(&r), "chair_taken", "{}", r.json);

    // The patient is never booked twice on a day.
    let r = post(
        format!("/api/v1/courses/{course}/sessions"),
        json!({"date": day, "start_time": "15:00", "reason": "twice"}),
    )
    .await;
    assert_eq!(code(&r), "already_booked", "{}", r.json);

    // Cancel, then rebook; a scheduled session is not rebooked, a cancelled one not moved.
    let r = post(
        format!("/api/v1/sessions/{session}/rebook"),
        json!({"date": day}),
    )
    .await;
    assert_eq!(code(&r), "session_not_cancelled");
    post(
        format!("/api/v1/sessions/{session}/status"),
        json!({"status": "cancelled"}),
    )
    .await
    .expect(200);
    let r = post(mv.clone(), json!({"date": day})).await;
    assert_eq!(code(&r), "session_not_scheduled");
    let r = post(
        format!("/api/v1/sessions/{session}/rebook"),
        json!({"date": day, "start_time": "11:00", "reason": "Came back the same day"}),
    )
    .await;
    r.expect(201);
    assert_eq!(r.json["starts_at"], "11:00");
    assert_ne!(r.json["id"], session);

    // The week view lists it; the researcher may not see the schedule.
    let week =
        w.t.request(
            Method::GET,
            &format!("/api/v1/schedule/days?date={day}&view=week"),
            Some(&desk),
            None,
        )
        .await;
    week.expect(200);
    assert_eq!(week.json["days"].as_array().unwrap().len(), 7);
    let r =
        w.t.request(
            Method::GET,
            "/api/v1/schedule/days",
            Some(w.token(Role::Researcher)),
            None,
        )
        .await;
    r.expect(403);
}

/// A full clinic refuses a booking; of two bookings of the last chair at once, one is stored.
async fn a_full_clinic_refuses_and_a_race_books_once(backend: Backend) {
    let w = World::new(backend).await;
    let (_, _, day) = first_session(&w).await;
    let clinic = w.staff.clinic.id;
    // One chair: the first course's session holds 09:00-11:00.
    w.t.app
        .configure_clinic_day(clinic, "", 1, 120)
        .await
        .unwrap();
    let p1 = w.patient().await;
    let p2 = w.patient().await;
    let c1 = w.course_for(p1).await;
    let c2 = w.course_for(p2).await;
    let desk = w.token(Role::FrontDesk).to_owned();
    let later: jiff::civil::Date = day.parse().unwrap();
    let later = later
        .checked_add(jiff::Span::new().days(56))
        .unwrap()
        .to_string();
    let book = |c: i64, time: &'static str| {
        let desk = desk.clone();
        let later = later.clone();
        let w = &w;
        async move {
            w.t.request(
                Method::POST,
                &format!("/api/v1/courses/{c}/sessions"),
                Some(&desk),
                Some(json!({"date": later, "start_time": time, "reason": "test"})),
            )
            .await
        }
    };
    let (a, b) = tokio::join!(book(c1, "10:00"), book(c2, "10:30"));
    let codes = [a.status.as_u16(), b.status.as_u16()];
    assert!(codes.contains(&201) && codes.contains(&409), "{codes:?}");
    let loser = if a.status.as_u16() == 409 { &a } else { &b };
    assert!(
        ["slot_full", "chair_taken"].contains(&code(loser).as_str()),
        "{}",
        loser.json
    );
}

/// Two course starts at the same moment, asking the same time: the store refuses the second's
/// slot inside its transaction, and that start plans again from a fresh read, so both courses
/// start, never on one chair at one time.
async fn two_course_starts_at_once_both_start_on_different_chairs(backend: Backend) {
    let w = World::new(backend).await;
    w.t.app
        .configure_clinic_day(w.staff.clinic.id, "", 2, 120)
        .await
        .unwrap();
    let p1 = w.screened_patient().await;
    let p2 = w.screened_patient().await;
    let start = |p: i64| {
        let w = &w;
        async move {
            let mut body = cadence_testkit::builders::course(w.t.today());
            body["start_time"] = json!("09:00");
            w.as_clinician(
                Method::POST,
                &format!("/api/v1/patients/{p}/courses"),
                Some(body),
            )
            .await
        }
    };
    let (a, b) = tokio::join!(start(p1), start(p2));
    let (a, b) = (a.expect(201).id(), b.expect(201).id());
    let first = |c: i64| {
        let w = &w;
        async move {
            let v = w
                .as_clinician(Method::GET, &format!("/api/v1/courses/{c}"), None)
                .await;
            let s = v.json["sessions"][0].clone();
            (
                s["scheduled_on"].clone(),
                s["starts_at"].clone(),
                s["chair"].clone(),
            )
        }
    };
    let (sa, sb) = (first(a).await, first(b).await);
    assert_eq!(sa.0, sb.0, "both start today");
    assert_ne!(
        (sa.1.clone(), sa.2.clone()),
        (sb.1.clone(), sb.2.clone()),
        "{sa:?} {sb:?}"
    );
}

/// Another clinic's session is not found, for moving and rebooking alike.
async fn another_clinics_session_is_not_found(backend: Backend) {
    let w = World::new(backend).await;
    let (_, session, day) = first_session(&w).await;
    let other = w.t.staff("South Clinic").await;
    for op in ["move", "rebook"] {
        let r =
            w.t.request(
                Method::POST,
                &format!("/api/v1/sessions/{session}/{op}"),
                Some(other.token(Role::FrontDesk)),
                Some(json!({"date": day})),
            )
            .await;
        r.expect(404);
    }
}

/// The demo clinic: times on /today and /schedule, and the closed day's sessions on the to-move
/// list with the reason, on the API, the schedule page and a line on /today.
async fn the_demo_shows_times_and_a_session_to_move(backend: Backend) {
    let t = TestApp::on(backend).await;
    assert!(t.app.seed_demo().await.unwrap());
    let desk = t.api_login("frontdesk@demo.test", DEMO_PASSWORD).await;
    let moves = t
        .request(Method::GET, "/api/v1/schedule/to-move", Some(&desk), None)
        .await;
    moves.expect(200);
    let list = moves.json.as_array().unwrap();
    assert!(!list.is_empty(), "the demo's closed day: {}", moves.json);
    assert_eq!(list[0]["reason"]["kind"], "clinic_closed");
    let page =
        crate::support::browser::Browser::login(&t, "frontdesk@demo.test", DEMO_PASSWORD).await;
    let schedule = page.get("/schedule?view=week").await;
    schedule.expect(200);
    assert!(schedule.text.contains("To move"), "{}", schedule.text);
    assert!(
        schedule.text.contains("the clinic is now closed that day"),
        "{}",
        schedule.text
    );
    let today = page.get("/today").await;
    assert!(today.text.contains("no longer fit"), "{}", today.text);
    assert!(today.text.contains(":00") || today.text.contains(":30"));
}

on_every_backend!(
    bookings_are_checked_and_front_desk_moves_cancels_and_rebooks,
    a_full_clinic_refuses_and_a_race_books_once,
    two_course_starts_at_once_both_start_on_different_chairs,
    another_clinics_session_is_not_found,
    the_demo_shows_times_and_a_session_to_move,
);
