//! Smaller leaks (issue 15 §10): a clinic admin cannot tell that an email belongs to another
//! clinic's user; the course preview answers 404 for another clinic's or a missing patient
//! like every other page; HTML forms refused by their CSRF check are audited, as
//! `docs/security.md` says.

use crate::support::browser::Browser;
use crate::support::{Backend, World, builders, on_every_backend};
use axum::http::Method;
use cadence_app::audit::{AuditAction, AuditOutcome};
use cadence_app::records::Role;
use cadence_testkit::PASSWORD;

async fn an_email_in_another_clinic_is_not_revealed(backend: Backend) {
    let w = World::new(backend).await;
    let other = w.t.staff("South Clinic").await;
    let theirs = other.user(Role::Nurse).user.email.clone();
    let ours = w.staff.user(Role::Nurse).user.email.clone();
    let admin = w.staff.user(Role::Admin);
    let browser = Browser::login(&w.t, &admin.user.email, PASSWORD).await;
    let add = |email: String| {
        let browser = &browser;
        async move {
            browser
                .post(
                    "/settings/users",
                    &[("email", &email), ("role", "clinician")],
                )
                .await
        }
    };
    let elsewhere = add(theirs.clone()).await;
    elsewhere.expect(422);
    let here = add(ours).await;
    here.expect(422);
    let problem = |text: &str| {
        let start = text.find("cannot be used").expect("the problem is shown");
        text[start..start + 60].to_owned()
    };
    assert_eq!(
        problem(&elsewhere.text),
        problem(&here.text),
        "one answer for both"
    );
    // The other clinic's name (the time-zone picker lists `Atlantic/South_Georgia`, so the
    // name is looked for as a word of its own).
    for leak in ["already exists", "another clinic", "South ", ">South<"] {
        assert!(
            !elsewhere.text.contains(leak),
            "`{leak}`: {}",
            elsewhere.text
        );
    }
    // The service says the same to any caller.
    let actor = w.t.actor(admin);
    let err =
        w.t.app
            .add_user(&actor, &theirs, Role::Nurse)
            .await
            .unwrap_err();
    assert!(!err.to_string().contains("exists"), "{err}");
}

async fn the_course_preview_is_404_for_patients_not_in_the_clinic(backend: Backend) {
    let w = World::new(backend).await;
    let other = w.t.staff("South Clinic").await;
    let theirs =
        w.t.request(
            Method::POST,
            "/api/v1/patients",
            Some(other.token(Role::Clinician)),
            Some(builders::patient("SOUTH-1")),
        )
        .await
        .expect(201)
        .id();
    let ours = w.patient().await;
    let clinician = w.staff.user(Role::Clinician);
    let browser = Browser::login(&w.t, &clinician.user.email, PASSWORD).await;
    let query = format!("?protocol=iv-ketamine-6&start_date={}", w.t.today());
    let r = browser
        .get(&format!("/patients/{ours}/courses/preview{query}"))
        .await;
    r.expect(200);
    for id in [theirs, 999_999] {
        let r = browser
            .get(&format!("/patients/{id}/courses/preview{query}"))
            .await;
        r.expect(404);
        assert!(r.text.contains("not_found"), "{}", r.text);
    }
}

async fn refused_html_forms_are_audited(backend: Backend) {
    let w = World::new(backend).await;
    let patient = w.patient().await;
    let course = w.course_for(patient).await;
    let session = w.session().await;
    let nurse_id = w.staff.user(Role::Nurse).user.id;
    let clinical = [
        "/logout".to_owned(),
        "/password".to_owned(),
        "/patients".to_owned(),
        "/patients/new".to_owned(),
        format!("/patients/{patient}/screening"),
        format!("/patients/{patient}/assessments/new"),
        format!("/patients/{patient}/courses"),
        format!("/patients/{patient}/courses/{course}/decisions"),
        format!("/sessions/{session}/pre-checks"),
        format!("/sessions/{session}/administration"),
        format!("/sessions/{session}/monitoring"),
        format!("/sessions/{session}/discharge"),
        format!("/sessions/{session}/status"),
    ];
    let admin = [
        "/settings/users".to_owned(),
        format!("/settings/users/{nurse_id}"),
        "/settings/calendar".to_owned(),
        "/settings/prices".to_owned(),
    ];
    for (role, paths) in [(Role::Clinician, &clinical[..]), (Role::Admin, &admin[..])] {
        let user = w.staff.user(role);
        for path in paths {
            // A fresh login each time: a refused logout must not end the next attempt's session.
            let browser = Browser::login(&w.t, &user.user.email, PASSWORD).await;
            let head = w.t.audit_head().await;
            let data = w.t.data_counts().await;
            let r = browser
                .post_raw(
                    path,
                    &[("csrf_token", "forged"), ("current", "x"), ("new", "y")],
                )
                .await;
            assert_eq!(r.status.as_u16(), 403, "{path}: {}", r.text);
            assert!(r.text.contains("csrf_failed"), "{path}: {}", r.text);
            assert_eq!(w.t.data_counts().await, data, "{path} changed data");
            let rows = w.t.audit_after(head).await;
            assert_eq!(rows.len(), 1, "{path}: {rows:#?}");
            let e = &rows[0].event;
            assert_eq!(
                (e.action, e.outcome, e.object_type.as_str()),
                (AuditAction::Create, AuditOutcome::Denied, "csrf"),
                "{path}"
            );
            assert_eq!(e.actor_id, Some(user.user.id), "{path}");
            let route = e.object_id.as_deref().unwrap_or_default();
            assert!(route.starts_with("POST /"), "{path}: {route}");
            assert!(
                !route.chars().any(|c| c.is_ascii_digit()),
                "a template: {route}"
            );
        }
    }
}

on_every_backend!(
    an_email_in_another_clinic_is_not_revealed,
    the_course_preview_is_404_for_patients_not_in_the_clinic,
    refused_html_forms_are_audited,
);
