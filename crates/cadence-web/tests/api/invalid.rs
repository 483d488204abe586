//! Invalid input is rejected and nothing is stored (security reference INP-3, INP-5): each
//! case answers its status and code, leaves every data table's row count as it was, writes no
//! audit row for a change, and leaves the record it aimed at as it was.

use crate::support::{Backend, TestResponse, World, builders, on_every_backend};
use axum::body::Body;
use axum::http::{Method, Request};
use cadence_app::audit::AuditAction;
use cadence_app::records::Role;
use serde_json::{Value, json};

/// Sends `body` and checks it was refused with `(status, code)` without a trace.
async fn refused(
    w: &World,
    role: Role,
    method: Method,
    path: &str,
    body: Value,
    expected: (u16, &str),
) {
    let data_before = w.t.data_counts().await;
    let head = w.t.audit_head().await;
    let r =
        w.t.request(
            method.clone(),
            path,
            Some(w.token(role)),
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.code()),
        expected,
        "{method} {path} {body}: {}",
        r.text
    );
    assert!(
        !r.json["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
    );
    assert_eq!(
        w.t.data_counts().await,
        data_before,
        "{method} {path} {body}"
    );
    let changes: Vec<_> =
        w.t.audit_after(head)
            .await
            .into_iter()
            .filter(|r| r.event.action != AuditAction::Read)
            .collect();
    assert!(changes.is_empty(), "{method} {path} {body}: {changes:#?}");
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

async fn invalid_input_is_rejected_and_nothing_is_stored(backend: Backend) {
    let w = World::new(backend).await;
    let c = Role::Clinician;
    let p = builders::patient("P-1");
    let tomorrow = w.t.today().tomorrow().unwrap().to_string();
    let yesterday = w.t.today().yesterday().unwrap().to_string();

    // Patients.
    for (body, code) in [
        (
            with(p.clone(), "birth_date", json!(tomorrow)),
            "date_in_future",
        ),
        (
            with(p.clone(), "birth_date", json!("1850-01-01")),
            "out_of_range",
        ),
        (with(p.clone(), "weight_kg", json!(1000.0)), "out_of_range"),
        (with(p.clone(), "mrn", json!("A B")), "invalid_mrn"),
        (with(p.clone(), "given_name", json!("   ")), "missing_field"),
        (
            with(p.clone(), "family_name", json!("x".repeat(101))),
            "field_too_long",
        ),
        (
            with(p.clone(), "given_name", json!("Ada\u{0007}")),
            "invalid_characters",
        ),
    ] {
        refused(&w, c, Method::POST, "/api/v1/patients", body, (422, code)).await;
    }
    let patient = w.patient().await;
    let patient_path = format!("/api/v1/patients/{patient}");
    let before = w.as_clinician(Method::GET, &patient_path, None).await.json;
    refused(
        &w,
        c,
        Method::PUT,
        &patient_path,
        with(p.clone(), "weight_kg", json!(-3)),
        (422, "out_of_range"),
    )
    .await;
    // An MRN another patient has.
    let other = w
        .as_clinician(
            Method::POST,
            "/api/v1/patients",
            Some(builders::patient("TAKEN")),
        )
        .await;
    other.expect(201);
    refused(
        &w,
        c,
        Method::PUT,
        &patient_path,
        builders::patient("TAKEN"),
        (409, "conflict"),
    )
    .await;
    refused(
        &w,
        c,
        Method::POST,
        "/api/v1/patients",
        builders::patient("TAKEN"),
        (409, "conflict"),
    )
    .await;
    assert_eq!(
        w.as_clinician(Method::GET, &patient_path, None).await.json,
        before
    );

    // Screenings and assessments.
    let screenings = format!("{patient_path}/screenings");
    refused(
        &w,
        c,
        Method::POST,
        &screenings,
        with(builders::screening(), "age_years", json!(131)),
        (422, "invalid_screening"),
    )
    .await;
    let assessments = format!("{patient_path}/assessments");
    for (body, code) in [
        (
            builders::phq9([4, 0, 0, 0, 0, 0, 0, 0, 0]),
            "invalid_answers",
        ),
        (
            json!({ "instrument": "phq9", "answers": [1, 1, 1] }),
            "invalid_answers",
        ),
        (
            with(builders::phq9([1; 9]), "taken_at", json!(tomorrow)),
            "date_in_future",
        ),
        (
            with(builders::phq9([1; 9]), "taken_at", json!("1970-01-01")),
            "out_of_range",
        ),
    ] {
        refused(
            &w,
            Role::Nurse,
            Method::POST,
            &assessments,
            body,
            (422, code),
        )
        .await;
    }

    // Courses and booking.
    let courses = format!("{patient_path}/courses");
    refused(
        &w,
        c,
        Method::POST,
        &courses,
        json!({ "protocol": "nope", "start_date": w.t.today().to_string() }),
        (422, "unknown_protocol"),
    )
    .await;
    refused(
        &w,
        c,
        Method::POST,
        &courses,
        json!({ "protocol": "iv-ketamine-6", "start_date": yesterday }),
        (422, "start_in_past"),
    )
    .await;
    let course = w.course_for(patient).await;
    let book = format!("/api/v1/courses/{course}/sessions");
    refused(
        &w,
        c,
        Method::POST,
        &book,
        json!({ "date": yesterday }),
        (422, "date_in_past"),
    )
    .await;
    refused(
        &w,
        c,
        Method::POST,
        &book,
        json!({ "date": "2026-03-07" }),
        (422, "clinic_closed"),
    )
    .await;
    let decisions = format!("/api/v1/courses/{course}/decisions");
    refused(
        &w,
        c,
        Method::POST,
        &decisions,
        json!({ "decision": "continue", "note": "x".repeat(4001) }),
        (422, "field_too_long"),
    )
    .await;

    // Session records, in and out of order.
    let session = w.session().await;
    let s = |what: &str| format!("/api/v1/sessions/{session}/{what}");
    let session_before = w
        .as_clinician(Method::GET, &format!("/api/v1/sessions/{session}"), None)
        .await
        .json;
    for (body, code) in [
        (
            with(builders::pre_checks(), "bp_diastolic", json!(130)),
            "out_of_range",
        ),
        (
            with(builders::pre_checks(), "bp_systolic", json!(400)),
            "out_of_range",
        ),
        (
            with(builders::pre_checks(), "spo2", json!(30)),
            "out_of_range",
        ),
        (
            with(builders::pre_checks(), "heart_rate", json!(300)),
            "out_of_range",
        ),
    ] {
        refused(
            &w,
            Role::Nurse,
            Method::POST,
            &s("pre-checks"),
            body,
            (422, code),
        )
        .await;
    }
    refused(
        &w,
        Role::Nurse,
        Method::POST,
        &s("administration"),
        builders::administration(),
        (409, "pre_checks_missing"),
    )
    .await;
    refused(
        &w,
        Role::Nurse,
        Method::POST,
        &s("discharge"),
        builders::discharge(),
        (409, "administration_missing"),
    )
    .await;
    refused(
        &w,
        Role::Nurse,
        Method::POST,
        &s("monitoring"),
        json!({ "moaas": 9 }),
        (422, "out_of_range"),
    )
    .await;
    refused(
        &w,
        Role::Nurse,
        Method::POST,
        &s("monitoring"),
        json!({ "bp_systolic": 120 }),
        (422, "out_of_range"),
    )
    .await;
    refused(
        &w,
        Role::Nurse,
        Method::POST,
        &s("monitoring"),
        json!({ "cadss": 93 }),
        (422, "out_of_range"),
    )
    .await;
    refused(
        &w,
        Role::Nurse,
        Method::POST,
        &s("status"),
        json!({ "status": "completed" }),
        (422, "invalid_status"),
    )
    .await;
    assert_eq!(
        w.as_clinician(Method::GET, &format!("/api/v1/sessions/{session}"), None)
            .await
            .json,
        session_before
    );
    let prechecked = w.pre_checked_session().await;
    let wrong_route = with(builders::administration(), "route", json!("esketamine"));
    refused(
        &w,
        Role::Nurse,
        Method::POST,
        &format!("/api/v1/sessions/{prechecked}/administration"),
        wrong_route,
        (422, "route_mismatch"),
    )
    .await;
    let dose = with(builders::administration(), "dose_ordered_mg", json!(0));
    refused(
        &w,
        Role::Nurse,
        Method::POST,
        &format!("/api/v1/sessions/{prechecked}/administration"),
        dose,
        (422, "out_of_range"),
    )
    .await;
    // Issue 15 §8: a "ready after" of 2147483647 minutes is refused on a dosed session.
    let dosed = w.administered_session().await;
    let absurd = with(
        builders::discharge(),
        "ready_after_minutes",
        json!(2_147_483_647),
    );
    refused(
        &w,
        Role::Nurse,
        Method::POST,
        &format!("/api/v1/sessions/{dosed}/discharge"),
        absurd,
        (422, "out_of_range"),
    )
    .await;
}

async fn unreadable_requests_are_400_413_or_415(backend: Backend) {
    let w = World::new(backend).await;
    let token = w.token(Role::Clinician).to_owned();
    let send = |body: Body, content_type: Option<&'static str>, length: Option<usize>| {
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/patients")
            .header("authorization", format!("Bearer {token}"));
        if let Some(ct) = content_type {
            builder = builder.header("content-type", ct);
        }
        if let Some(len) = length {
            builder = builder.header("content-length", len);
        }
        let mut request = builder.body(body).unwrap();
        cadence_testkit::with_client_address(&mut request);
        w.t.send(request)
    };
    let check = |r: TestResponse, expected: (u16, &str)| {
        assert_eq!((r.status.as_u16(), r.code()), expected, "{}", r.text);
    };
    let data_before = w.t.data_counts().await;

    check(
        send(Body::from("{\"mrn\": "), Some("application/json"), None).await,
        (400, "malformed_request"),
    );
    check(
        send(Body::from("[]"), Some("application/json"), None).await,
        (400, "malformed_request"),
    );
    let wrong_type = with(builders::patient("T-1"), "weight_kg", json!("heavy")).to_string();
    check(
        send(Body::from(wrong_type), Some("application/json"), None).await,
        (400, "malformed_request"),
    );
    let unknown_field = with(builders::patient("T-2"), "ssn", json!("123")).to_string();
    check(
        send(Body::from(unknown_field), Some("application/json"), None).await,
        (400, "malformed_request"),
    );
    let missing = json!({ "mrn": "T-3" }).to_string();
    check(
        send(Body::from(missing), Some("application/json"), None).await,
        (400, "malformed_request"),
    );
    let bad_enum = with(builders::patient("T-4"), "sex", json!("robot")).to_string();
    check(
        send(Body::from(bad_enum), Some("application/json"), None).await,
        (400, "malformed_request"),
    );
    let valid = builders::patient("T-5").to_string();
    check(
        send(Body::from(valid.clone()), None, None).await,
        (415, "unsupported_media_type"),
    );
    check(
        send(Body::from(valid), Some("text/plain"), None).await,
        (415, "unsupported_media_type"),
    );

    // Over 1 MiB: refused whether the length is declared or the body is streamed.
    let big = format!("{{\"mrn\": \"{}\"}}", "x".repeat(1024 * 1024));
    check(
        send(
            Body::from(big.clone()),
            Some("application/json"),
            Some(big.len()),
        )
        .await,
        (413, "body_too_large"),
    );
    let stream = futures_stream(big);
    check(
        send(stream, Some("application/json"), None).await,
        (413, "body_too_large"),
    );

    // Bad ids and query values.
    for path in [
        "/api/v1/patients/abc",
        "/api/v1/patients/1.5",
        "/api/v1/patients/99999999999999999999",
    ] {
        let r = w.t.request(Method::GET, path, Some(&token), None).await;
        assert_eq!(
            (r.status.as_u16(), r.code()),
            (400, "malformed_request"),
            "{path}"
        );
    }
    let r =
        w.t.request(
            Method::GET,
            "/api/v1/schedule?date=tomorrow",
            Some(&token),
            None,
        )
        .await;
    assert_eq!((r.status.as_u16(), r.code()), (400, "malformed_request"));
    let r =
        w.t.request(Method::GET, "/api/v1/patients/424242", Some(&token), None)
            .await;
    assert_eq!((r.status.as_u16(), r.code()), (404, "not_found"));

    assert_eq!(w.t.data_counts().await, data_before);
}

/// Issue 14 §4: vital signs are typed inside, but an implausible value is still `422
/// out_of_range` naming the field, and the JSON keeps its flat `bp_systolic` / `bp_diastolic`
/// / `spo2` numbers (the session view, its stored entries, monitoring entries, discharge).
async fn issue_14_vitals_name_the_field_and_keep_their_json(backend: Backend) {
    let w = World::new(backend).await;
    let session = w.session().await;
    let s = |what: &str| format!("/api/v1/sessions/{session}/{what}");
    let nurse = Role::Nurse;
    for (path, body, names) in [
        (
            s("pre-checks"),
            with(builders::pre_checks(), "spo2", json!(30)),
            "SpO2 30 is outside 50-100",
        ),
        (
            s("pre-checks"),
            with(builders::pre_checks(), "bp_systolic", json!(40)),
            "systolic blood pressure 40 is outside 50-300",
        ),
        (
            s("pre-checks"),
            with(builders::pre_checks(), "bp_diastolic", json!(122)),
            "diastolic blood pressure must be below systolic",
        ),
        (
            s("monitoring"),
            json!({ "spo2": 49 }),
            "SpO2 49 is outside 50-100",
        ),
        (
            s("monitoring"),
            json!({ "bp_diastolic": 70 }),
            "systolic and diastolic",
        ),
        (
            s("discharge"),
            with(builders::discharge(), "bp_systolic", json!(301)),
            "systolic blood pressure 301 is outside 50-300",
        ),
    ] {
        let r =
            w.t.request(Method::POST, &path, Some(w.token(nurse)), Some(body))
                .await;
        assert_eq!(
            (r.status.as_u16(), r.code()),
            (422, "out_of_range"),
            "{path}"
        );
        let message = r.json["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(names), "{path}: {message}");
    }

    let pre_checked = w.pre_checked_session().await;
    let view = w
        .as_clinician(
            Method::GET,
            &format!("/api/v1/sessions/{pre_checked}"),
            None,
        )
        .await;
    let view = view.expect(200);
    let flat = |v: &Value| {
        (
            v["bp_systolic"].clone(),
            v["bp_diastolic"].clone(),
            v["spo2"].clone(),
        )
    };
    let sent = (json!(122), json!(78), json!(98));
    assert_eq!(flat(&view.json["pre_checks"]), sent, "{}", view.text);
    assert!(view.json["pre_checks"].get("bp").is_none(), "{}", view.text);
    assert_eq!(
        flat(&view.json["entries"][0]["body"]),
        sent,
        "{}",
        view.text
    );
    let r = w
        .as_clinician(
            Method::POST,
            &format!("/api/v1/sessions/{pre_checked}/monitoring"),
            Some(json!({ "bp_systolic": 131, "bp_diastolic": 84, "spo2": 96 })),
        )
        .await;
    let entry = &r.expect(201).json;
    assert_eq!(
        flat(entry),
        (json!(131), json!(84), json!(96)),
        "{}",
        r.text
    );
    let r = w
        .as_clinician(
            Method::POST,
            &format!("/api/v1/sessions/{pre_checked}/monitoring"),
            Some(json!({ "moaas": 4 })),
        )
        .await;
    let entry = &r.expect(201).json;
    assert_eq!(
        flat(entry),
        (json!(null), json!(null), json!(null)),
        "{}",
        r.text
    );
}

/// A body without a declared length, in chunks.
fn futures_stream(text: String) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = text
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

on_every_backend!(
    invalid_input_is_rejected_and_nothing_is_stored,
    unreadable_requests_are_400_413_or_415,
    issue_14_vitals_name_the_field_and_keep_their_json,
);
