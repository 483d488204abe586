//! A course end to end through the API, as a clinic runs it: register, screen, baseline,
//! start a course, run sessions (one held for a high blood pressure), decide. Also what front
//! desk sees of it (bookings, never clinical records).

use crate::support::schema::assert_documented;
use crate::support::{Backend, World, builders, on_every_backend};
use axum::http::Method;
use cadence_app::records::Role;
use serde_json::json;

async fn a_course_end_to_end(backend: Backend) {
    let w = World::new(backend).await;
    let (c, n, f) = (
        w.token(Role::Clinician).to_owned(),
        w.token(Role::Nurse).to_owned(),
        w.token(Role::FrontDesk).to_owned(),
    );
    let t = &w.t;
    let p = t
        .request(
            Method::POST,
            "/api/v1/patients",
            Some(&f),
            Some(builders::patient("FLOW-1")),
        )
        .await;
    let patient = p.expect(201).id();
    assert_eq!(p.json["family_name"], "Lovelace");
    assert_documented("POST", "/api/v1/patients", 201, &p.json);

    let found = t
        .request(Method::GET, "/api/v1/patients?search=LOVE", Some(&f), None)
        .await;
    assert_eq!(found.expect(200).json[0]["id"], patient);

    let s = t
        .request(
            Method::POST,
            &format!("/api/v1/patients/{patient}/screenings"),
            Some(&c),
            Some(builders::screening()),
        )
        .await;
    s.expect(201);
    assert_eq!(s.json["decision"], "eligible", "{}", s.text);
    let screening = s.id();
    let again = t
        .request(
            Method::GET,
            &format!("/api/v1/screenings/{screening}"),
            Some(&n),
            None,
        )
        .await;
    assert_eq!(again.expect(200).json, s.json);

    // A baseline PHQ-9 taken last night in New York: the clinic (UTC) dates it today.
    let baseline = json!({
        "instrument": "phq9",
        "answers": [3, 3, 2, 2, 2, 2, 2, 2, 0],
        "taken_at": "2026-03-01T21:30:00-05:00"
    });
    let a = t
        .request(
            Method::POST,
            &format!("/api/v1/patients/{patient}/assessments"),
            Some(&n),
            Some(baseline),
        )
        .await;
    a.expect(201);
    assert_eq!(a.json["taken_on"], "2026-03-02");
    assert_eq!(a.json["total"], 18);
    assert!(a.json["score"].is_object(), "the score object: {}", a.text);
    assert_documented("POST", "/api/v1/patients/{id}/assessments", 201, &a.json);

    let course = t
        .request(
            Method::POST,
            &format!("/api/v1/patients/{patient}/courses"),
            Some(&c),
            Some(builders::course(t.today())),
        )
        .await;
    let course = course.expect(201).id();
    let view = t
        .request(
            Method::GET,
            &format!("/api/v1/courses/{course}"),
            Some(&c),
            None,
        )
        .await;
    view.expect(200);
    assert_documented("GET", "/api/v1/courses/{id}", 200, &view.json);
    assert_eq!(view.json["forecasts"].as_array().unwrap().len(), 2);
    assert!(view.json["suggestion"].is_object());
    assert!(view.json["plan"].is_object());
    let sessions: Vec<i64> = view.json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert!(sessions.len() >= 6, "induction is booked: {sessions:?}");

    // Session 1: normal.
    let s1 = format!("/api/v1/sessions/{}", sessions[0]);
    let r = t
        .request(
            Method::POST,
            &format!("{s1}/pre-checks"),
            Some(&n),
            Some(builders::pre_checks()),
        )
        .await;
    assert_eq!(r.expect(200).json["status"], "in_progress");
    t.request(
        Method::POST,
        &format!("{s1}/administration"),
        Some(&n),
        Some(builders::administration()),
    )
    .await
    .expect(200);
    let m = t
        .request(
            Method::POST,
            &format!("{s1}/monitoring"),
            Some(&n),
            Some(builders::monitoring()),
        )
        .await;
    assert_documented(
        "POST",
        "/api/v1/sessions/{id}/monitoring",
        201,
        &m.expect(201).json,
    );
    let done = t
        .request(
            Method::POST,
            &format!("{s1}/discharge"),
            Some(&n),
            Some(builders::discharge()),
        )
        .await;
    assert_eq!(done.expect(200).json["status"], "completed");
    assert_eq!(done.json["monitoring"].as_array().unwrap().len(), 1);
    assert_documented("POST", "/api/v1/sessions/{id}/discharge", 200, &done.json);
    let r = t
        .request(
            Method::POST,
            &format!("{s1}/status"),
            Some(&f),
            Some(json!({ "status": "cancelled" })),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.code()), (409, "session_completed"));

    // Front desk sees the booking, not the record.
    let fd = t.request(Method::GET, &s1, Some(&f), None).await;
    fd.expect(200);
    assert_eq!(fd.json["status"], "completed");
    for field in ["pre_checks", "administration", "discharge"] {
        assert!(fd.json[field].is_null(), "{field}: {}", fd.text);
    }
    assert_eq!(fd.json["monitoring"], json!([]));
    let fd_course = t
        .request(
            Method::GET,
            &format!("/api/v1/courses/{course}"),
            Some(&f),
            None,
        )
        .await;
    fd_course.expect(200);
    assert!(
        fd_course.json.get("suggestion").is_none() && fd_course.json.get("decisions").is_none()
    );
    assert!(fd_course.json["sessions"][0]["pre_checks"].is_null());
    assert_documented("GET", "/api/v1/courses/{id}", 200, &fd_course.json);

    // A second patient's first session, today: a blood pressure over the protocol's limit
    // holds it, and only a clinician's release (here with a decision) ends the hold.
    let second = w.patient().await;
    let other_course = w.course_for(second).await;
    let other = t
        .request(
            Method::GET,
            &format!("/api/v1/courses/{other_course}"),
            Some(&c),
            None,
        )
        .await;
    let extra = other.expect(200).json["sessions"][0]["id"]
        .as_i64()
        .unwrap();
    t.request(
        Method::POST,
        &format!("/api/v1/patients/{second}/assessments"),
        Some(&n),
        Some(builders::suicide_screen()),
    )
    .await
    .expect(201);
    let s2 = format!("/api/v1/sessions/{extra}");
    let high = json!({
        "identity_confirmed": true, "fasting_confirmed": true, "transport_arranged": true,
        "bp_systolic": 185, "bp_diastolic": 112
    });
    let r = t
        .request(
            Method::POST,
            &format!("{s2}/pre-checks"),
            Some(&n),
            Some(high),
        )
        .await;
    assert_eq!(r.expect(200).json["status"], "held", "{}", r.text);
    assert_documented("POST", "/api/v1/sessions/{id}/pre-checks", 200, &r.json);
    let finding = r.json["holds"][0]["finding_id"].as_i64().unwrap();
    assert_eq!(r.json["holds"][0]["kind"], "pre_dose_blood_pressure");
    let r = t
        .request(
            Method::POST,
            &format!("{s2}/administration"),
            Some(&n),
            Some(builders::administration()),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.code()), (409, "session_held"));
    // Only the clinician decides.
    let release = json!({
        "decision": "continue",
        "note": "BP reviewed: 185/112 rechecked after rest; benefit outweighs the risk",
        "releases": [finding]
    });
    let d = t
        .request(
            Method::POST,
            &format!("/api/v1/courses/{other_course}/decisions"),
            Some(&n),
            Some(release.clone()),
        )
        .await;
    assert_eq!((d.status.as_u16(), d.code()), (403, "forbidden"));
    let d = t
        .request(
            Method::POST,
            &format!("/api/v1/courses/{other_course}/decisions"),
            Some(&c),
            Some(release),
        )
        .await;
    d.expect(201);
    assert_documented("POST", "/api/v1/courses/{id}/decisions", 201, &d.json);
    t.request(
        Method::POST,
        &format!("{s2}/administration"),
        Some(&n),
        Some(builders::administration()),
    )
    .await
    .expect(200);
    let list = t
        .request(
            Method::GET,
            &format!("/api/v1/courses/{other_course}/decisions"),
            Some(&n),
            None,
        )
        .await;
    assert_eq!(list.expect(200).json.as_array().unwrap().len(), 1);
    let findings = t
        .request(
            Method::GET,
            &format!("/api/v1/patients/{second}/findings"),
            Some(&n),
            None,
        )
        .await;
    let released = &findings.expect(200).json[0]["release"];
    assert_eq!(released["decision_id"], d.json["id"]);
    assert_documented("GET", "/api/v1/patients/{id}/findings", 200, &findings.json);

    // Today's schedule lists both sessions.
    let today = t
        .request(Method::GET, "/api/v1/schedule", Some(&f), None)
        .await;
    let ids: Vec<i64> = today
        .expect(200)
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [sessions[0], extra]);
    assert_documented("GET", "/api/v1/schedule", 200, &today.json);
}

on_every_backend!(a_course_end_to_end);
