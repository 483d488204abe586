//! Audit rows for reads and writes (security reference AUD-1): each request appends exactly
//! the expected rows, with the actor, their role and clinic, the patient, the action, the
//! object and the request's id; and the chain verifies afterwards.

use crate::support::{Backend, World, builders, on_every_backend};
use axum::http::Method;
use cadence_app::audit::{AuditAction, AuditOutcome, AuditRecord};
use cadence_app::audit_log::ChainCheck;
use cadence_app::records::Role;
use serde_json::{Value, json};

use AuditAction::{Create, Login, LoginFailed, Logout, Read, Update};

/// One expected row: action, object type, whether it names the patient.
type Expected = (AuditAction, &'static str, bool);

/// Sends a request as `role` and checks the rows it appended.
async fn rows_of(
    w: &World,
    role: Role,
    method: Method,
    path: &str,
    body: Option<Value>,
    patient: Option<i64>,
    expected: &[Expected],
) -> Value {
    let head = w.t.audit_head().await;
    let r =
        w.t.request(method.clone(), path, Some(w.token(role)), body)
            .await;
    assert!(r.status.is_success(), "{method} {path}: {}", r.text);
    let rows = w.t.audit_after(head).await;
    let got: Vec<(AuditAction, String)> = rows
        .iter()
        .map(|r| (r.event.action, r.event.object_type.as_str().to_owned()))
        .collect();
    let want: Vec<(AuditAction, String)> = expected
        .iter()
        .map(|(a, o, _)| (*a, (*o).to_owned()))
        .collect();
    assert_eq!(got, want, "{method} {path}");
    let user = &w.staff.user(role).user;
    for (row, (_, _, names_patient)) in rows.iter().zip(expected) {
        let e = &row.event;
        assert_eq!(e.actor_id, Some(user.id), "{method} {path}: {row:?}");
        assert_eq!(e.actor_role.as_deref(), Some(role.as_str()));
        assert_eq!(e.clinic_id, Some(w.staff.clinic.id));
        assert_eq!(e.outcome, AuditOutcome::Success);
        assert_eq!(
            e.request_id,
            r.header("x-request-id"),
            "the row carries the request id"
        );
        assert_eq!(e.at, w.t.app.now());
        if *names_patient {
            assert_eq!(
                e.patient_id.map(|p| p.0),
                patient,
                "{method} {path}: {row:?}"
            );
        }
    }
    r.json
}

fn object_id(rows: &[AuditRecord]) -> Option<&str> {
    rows.last().and_then(|r| r.event.object_id.as_deref())
}

async fn reads_and_writes_append_exactly_their_rows(backend: Backend) {
    let w = World::new(backend).await;
    let c = Role::Clinician;

    let patient = rows_of(
        &w,
        c,
        Method::POST,
        "/api/v1/patients",
        Some(builders::patient("A-1")),
        None,
        &[(Create, "patient", false)],
    )
    .await;
    let p = patient["id"].as_i64().unwrap();
    let pid = Some(p);
    let rows = w.t.audit().await;
    assert_eq!(
        rows.last().unwrap().event.patient_id.map(|x| x.0),
        pid,
        "a create names its patient"
    );
    assert_eq!(object_id(&rows), Some(p.to_string().as_str()));

    let pp = format!("/api/v1/patients/{p}");
    rows_of(
        &w,
        Role::FrontDesk,
        Method::GET,
        &pp,
        None,
        pid,
        &[(Read, "patient", true)],
    )
    .await;
    rows_of(
        &w,
        Role::Nurse,
        Method::GET,
        "/api/v1/patients?search=love",
        None,
        None,
        &[(Read, "patient_list", false)],
    )
    .await;
    rows_of(
        &w,
        Role::FrontDesk,
        Method::PUT,
        &pp,
        Some(builders::patient("A-2")),
        pid,
        &[(Update, "patient", true)],
    )
    .await;
    rows_of(
        &w,
        c,
        Method::POST,
        &format!("{pp}/screenings"),
        Some(builders::screening()),
        pid,
        // The patient's courses are read for the rules a screening is judged by.
        &[
            (Read, "patient", true),
            (Read, "course_list", true),
            (Create, "screening", true),
        ],
    )
    .await;
    rows_of(
        &w,
        Role::Nurse,
        Method::POST,
        &format!("{pp}/assessments"),
        Some(builders::phq9([2, 2, 2, 2, 2, 2, 2, 2, 0])),
        pid,
        // The patient's courses are read for the rules a score is judged by.
        &[
            (Read, "course_list", true),
            (Read, "patient", true),
            (Create, "assessment", true),
        ],
    )
    .await;
    rows_of(
        &w,
        Role::Nurse,
        Method::GET,
        &format!("{pp}/assessments"),
        None,
        pid,
        &[(Read, "assessment_list", true)],
    )
    .await;
    let course = rows_of(
        &w,
        c,
        Method::POST,
        &format!("{pp}/courses"),
        Some(builders::course(w.t.today())),
        pid,
        // The screening gate reads the patient's screenings; the clinic's bookings are read
        // once to give each induction session a free chair and time.
        &[
            (Read, "patient", true),
            (Read, "screening_list", true),
            (Read, "schedule", false),
            (Create, "course", true),
        ],
    )
    .await;
    let course = course["id"].as_i64().unwrap();
    rows_of(
        &w,
        Role::FrontDesk,
        Method::GET,
        &format!("{pp}/courses"),
        None,
        pid,
        &[(Read, "course_list", true)],
    )
    .await;
    let view = rows_of(
        &w,
        c,
        Method::GET,
        &format!("/api/v1/courses/{course}"),
        None,
        pid,
        &[(Read, "course", true)],
    )
    .await;
    let session = view["sessions"][0]["id"].as_i64().unwrap();
    let sp = format!("/api/v1/sessions/{session}");
    rows_of(
        &w,
        Role::Nurse,
        Method::GET,
        &sp,
        None,
        pid,
        // The course is read for what holds the session.
        &[(Read, "treatment_session", true), (Read, "course", true)],
    )
    .await;
    let reads = [(Read, "treatment_session", true), (Read, "course", true)];
    rows_of(
        &w,
        Role::Nurse,
        Method::POST,
        &format!("{sp}/pre-checks"),
        Some(builders::pre_checks()),
        pid,
        &[reads[0], reads[1], (Update, "pre_checks", true)],
    )
    .await;
    rows_of(
        &w,
        Role::Nurse,
        Method::POST,
        &format!("{sp}/administration"),
        Some(builders::administration()),
        pid,
        // The patient's weight gives the dose per kg on this weight-based route.
        &[
            reads[0],
            reads[1],
            (Read, "patient", true),
            (Update, "administration", true),
        ],
    )
    .await;
    rows_of(
        &w,
        Role::Nurse,
        Method::POST,
        &format!("{sp}/monitoring"),
        Some(builders::monitoring()),
        pid,
        &[reads[0], reads[1], (Create, "monitoring_entry", true)],
    )
    .await;
    rows_of(
        &w,
        Role::Nurse,
        Method::POST,
        &format!("{sp}/discharge"),
        Some(builders::discharge()),
        pid,
        &[reads[0], reads[1], (Update, "discharge", true)],
    )
    .await;
    rows_of(
        &w,
        c,
        Method::POST,
        &format!("/api/v1/courses/{course}/decisions"),
        Some(builders::decision()),
        pid,
        // The findings a decision may release are read with the course.
        &[
            (Read, "course", true),
            (Read, "finding_list", true),
            (Create, "decision", true),
        ],
    )
    .await;
    rows_of(
        &w,
        Role::Nurse,
        Method::GET,
        &format!("/api/v1/courses/{course}/decisions"),
        None,
        pid,
        &[(Read, "decision_list", true)],
    )
    .await;
    // Eight weeks on: past the booked induction, on the same (open) weekday.
    let next_week = w.t.today().checked_add(jiff::Span::new().days(56)).unwrap();
    let booked = rows_of(
        &w,
        Role::FrontDesk,
        Method::POST,
        &format!("/api/v1/courses/{course}/sessions"),
        Some(json!({ "date": next_week.to_string(), "reason": "Holiday before" })),
        pid,
        // The course is read for its state (a paused or stopped course takes no booking), the
        // day's bookings for a free chair and time.
        &[
            (Read, "course", true),
            (Read, "schedule", false),
            (Create, "treatment_session", true),
        ],
    )
    .await;
    let booked = booked["id"].as_i64().unwrap();
    rows_of(
        &w,
        Role::FrontDesk,
        Method::POST,
        &format!("/api/v1/sessions/{booked}/status"),
        Some(json!({ "status": "cancelled" })),
        pid,
        &[
            (Read, "treatment_session", true),
            (Read, "course", true),
            (Update, "treatment_session", true),
        ],
    )
    .await;
    rows_of(
        &w,
        Role::FrontDesk,
        Method::GET,
        &format!("/api/v1/schedule?date={next_week}"),
        None,
        None,
        &[(Read, "schedule", false)],
    )
    .await;

    assert!(matches!(
        w.t.app.verify_audit_chain().await.unwrap(),
        ChainCheck::Intact(_)
    ));
}

async fn logins_logouts_and_failures_are_audited(backend: Backend) {
    let w = World::new(backend).await;
    let nurse = w.staff.user(Role::Nurse);
    let head = w.t.audit_head().await;
    let token = w.t.api_login(&nurse.user.email, &nurse.password).await;
    let r =
        w.t.request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "email": nurse.user.email, "password": "wrong password" })),
        )
        .await;
    r.expect(401);
    w.t.request(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await
        .expect(204);
    let rows = w.t.audit_after(head).await;
    let actions: Vec<_> = rows
        .iter()
        .map(|r| (r.event.action, r.event.outcome, r.event.actor_id))
        .collect();
    assert_eq!(
        actions,
        [
            (Login, AuditOutcome::Success, Some(nurse.user.id)),
            (LoginFailed, AuditOutcome::Failure, None),
            (Logout, AuditOutcome::Success, Some(nurse.user.id)),
        ]
    );
    // Health checks and the API document are not health information: no rows.
    let head = w.t.audit_head().await;
    w.t.request(Method::GET, "/healthz", None, None)
        .await
        .expect(200);
    w.t.request(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .expect(200);
    assert!(w.t.audit_after(head).await.is_empty());
}

on_every_backend!(
    reads_and_writes_append_exactly_their_rows,
    logins_logouts_and_failures_are_audited,
);
