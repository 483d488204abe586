//! CSRF (security reference SES-4): every state-changing route, called with a valid session
//! cookie, is refused with `403 csrf_failed` and changes nothing when (a) the token is missing,
//! (b) it is another session's, or (c) the browser marks the request cross-site or its origin
//! is another site; with the right token it succeeds. Bearer requests need no token.

use crate::support::cases::{CASES, prepare};
use crate::support::{Backend, Credential, World, on_every_backend};
use axum::http::Method;
use cadence_app::audit::ObjectType;
use cadence_app::records::Role;
use cadence_testkit::{BrowserSession, build};

/// What is wrong with a request, the CSRF token it sends, and extra headers.
type Attempt<'a> = (&'a str, Option<&'a str>, &'a [(&'static str, &'static str)]);

async fn cookie_requests_need_the_csrf_token(backend: Backend) {
    let w = World::new(backend).await;
    let clinician = w.staff.user(Role::Clinician).clone();
    let other =
        w.t.browser_login(&clinician.user.email, &clinician.password)
            .await;
    let state_changing = CASES.iter().filter(|c| {
        c.method != Method::GET
            && !c.route.starts_with("/api/v1/auth/login")
            && c.route != "/api/v1/auth/session"
    });
    for case in state_changing {
        let prepared = prepare(&w, case, Some(Role::Clinician)).await;
        let user = prepared.user.as_ref().unwrap_or(&clinician);
        let mine: BrowserSession = w.t.browser_login(&user.user.email, &user.password).await;
        let attempts: [Attempt<'_>; 5] = [
            ("no token", None, &[]),
            ("another session's token", Some(&other.csrf), &[]),
            (
                "cross-site",
                Some(&mine.csrf),
                &[("sec-fetch-site", "cross-site")],
            ),
            (
                "same-site",
                Some(&mine.csrf),
                &[("sec-fetch-site", "same-site")],
            ),
            (
                "another origin",
                Some(&mine.csrf),
                &[("origin", "http://evil.test"), ("host", "cadence.test")],
            ),
        ];
        for (what, csrf, headers) in attempts {
            let data_before = w.t.data_counts().await;
            let credential = Credential::Cookie {
                cookie: &mine.cookie,
                csrf,
            };
            let mut request = build(
                case.method.clone(),
                &prepared.path,
                credential,
                prepared.body.as_ref(),
            );
            for (name, value) in headers {
                request.headers_mut().insert(*name, value.parse().unwrap());
            }
            let r = w.t.send(request).await;
            assert_eq!(
                (r.status.as_u16(), r.code()),
                (403, "csrf_failed"),
                "{} with {what}: {}",
                case.key(),
                r.text
            );
            assert_eq!(
                w.t.data_counts().await,
                data_before,
                "{} with {what}",
                case.key()
            );
        }
        // The refusals did not end the session: with the token, from this site, it works.
        let credential = Credential::Cookie {
            cookie: &mine.cookie,
            csrf: Some(&mine.csrf),
        };
        let mut request = build(
            case.method.clone(),
            &prepared.path,
            credential,
            prepared.body.as_ref(),
        );
        request
            .headers_mut()
            .insert("sec-fetch-site", "same-origin".parse().unwrap());
        request
            .headers_mut()
            .insert("host", "cadence.test".parse().unwrap());
        request
            .headers_mut()
            .insert("origin", "https://cadence.test".parse().unwrap());
        let r = w.t.send(request).await;
        assert_eq!(
            r.status.as_u16(),
            case.ok,
            "{} with the token: {}",
            case.key(),
            r.text
        );
    }
}

async fn refusals_are_audited_and_reads_need_no_token(backend: Backend) {
    let w = World::new(backend).await;
    let clinician = w.staff.user(Role::Clinician);
    let mine =
        w.t.browser_login(&clinician.user.email, &clinician.password)
            .await;
    let cookie = Credential::Cookie {
        cookie: &mine.cookie,
        csrf: None,
    };
    let head = w.t.audit_head().await;
    w.t.request_as(
        Method::POST,
        "/api/v1/patients",
        cookie,
        Some(cadence_testkit::builders::patient("X-1")),
    )
    .await
    .expect(403);
    let rows = w.t.audit_after(head).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].event.outcome,
        cadence_app::audit::AuditOutcome::Denied
    );
    assert_eq!(rows[0].event.object_type, ObjectType::Csrf);
    assert_eq!(rows[0].event.actor_id, Some(clinician.user.id));
    // GET never needs the token.
    w.t.request_as(Method::GET, "/api/v1/patients", cookie, None)
        .await
        .expect(200);
}

async fn bearer_requests_need_no_csrf_token(backend: Backend) {
    let w = World::new(backend).await;
    let r =
        w.t.request(
            Method::POST,
            "/api/v1/patients",
            Some(w.token(Role::FrontDesk)),
            Some(cadence_testkit::builders::patient("B-1")),
        )
        .await;
    r.expect(201);
}

async fn the_browser_login_refuses_cross_site_posts(backend: Backend) {
    let w = World::new(backend).await;
    let nurse = w.staff.user(Role::Nurse);
    let body = serde_json::json!({ "email": nurse.user.email, "password": nurse.password });
    let mut request = build(
        Method::POST,
        "/api/v1/auth/session",
        Credential::Anonymous,
        Some(&body),
    );
    request
        .headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    let before = w.t.row_counts().await;
    let r = w.t.send(request).await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "csrf_failed"));
    assert!(r.header("set-cookie").is_empty());
    assert_eq!(w.t.row_counts().await, before, "no session, no audit row");
}

on_every_backend!(
    cookie_requests_need_the_csrf_token,
    refusals_are_audited_and_reads_need_no_token,
    bearer_requests_need_no_csrf_token,
    the_browser_login_refuses_cross_site_posts,
);
