//! Login sessions over HTTP (security reference SES-1..3, ACC-6): idle and absolute expiry
//! with the fake clock, server-side logout, one answer for unknown users and wrong passwords,
//! throttling, one-time passwords, and cookie attributes.

use crate::support::{Backend, Credential, TestApp, on_every_backend};
use axum::http::Method;
use cadence_app::StoreError;
use cadence_app::auth::token_hash;
use cadence_app::records::Role;
use cadence_testkit::{PASSWORD, TestOptions};
use jiff::SignedDuration;
use serde_json::json;

const PATIENTS: &str = "/api/v1/patients";

fn secs(s: i64) -> SignedDuration {
    SignedDuration::from_secs(s)
}

async fn session_row_exists(t: &TestApp, token: &str) -> bool {
    match t.store.get_auth_session(&token_hash(token)).await {
        Ok(_) => true,
        Err(StoreError::NotFound) => false,
        Err(e) => panic!("{e}"),
    }
}

async fn idle_sessions_expire_after_15_minutes(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let token = t.api_login(&nurse.user.email, PASSWORD).await;

    t.advance(secs(14 * 60 + 59));
    t.request(Method::GET, PATIENTS, Some(&token), None)
        .await
        .expect(200);
    // Activity restarts the idle clock.
    t.advance(secs(14 * 60 + 59));
    t.request(Method::GET, PATIENTS, Some(&token), None)
        .await
        .expect(200);
    assert!(session_row_exists(&t, &token).await);

    t.advance(secs(15 * 60 + 1));
    let r = t.request(Method::GET, PATIENTS, Some(&token), None).await;
    assert_eq!((r.status.as_u16(), r.code()), (401, "unauthenticated"));
    assert!(
        !session_row_exists(&t, &token).await,
        "the expired session is deleted"
    );
    // Going back in time does not revive it.
    t.advance(secs(-20 * 60));
    t.request(Method::GET, PATIENTS, Some(&token), None)
        .await
        .expect(401);
}

/// A page's own polling (the nurse's timer panel) does not keep an idle workstation logged in;
/// the page's activity report (`GET /api/v1/auth/session`) does, and gives the session's CSRF
/// token so a form typed before a re-login can still be sent (issue 16 §3).
async fn polling_does_not_keep_an_idle_session_alive(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let s = t.browser_login(&nurse.user.email, PASSWORD).await;
    let t = &t;
    let poll = || {
        let mut r = cadence_testkit::build(
            Method::GET,
            "/today",
            Credential::Cookie {
                cookie: &s.cookie,
                csrf: None,
            },
            None,
        );
        r.headers_mut()
            .insert("x-cadence-background", "1".parse().unwrap());
        t.send(r)
    };
    // Polled every 30 seconds for 16 minutes: still valid until the 15 minutes run out...
    for _ in 0..29 {
        t.advance(secs(30));
        poll().await.expect(200);
    }
    t.advance(secs(60 + 30));
    let r = poll().await;
    assert_eq!(
        r.status.as_u16(),
        303,
        "logged out: polling is not activity"
    );
    assert!(r.header("location").starts_with("/login"));

    // The activity report counts: 14 minutes, a report, 14 minutes more, still in.
    let s = t.browser_login(&nurse.user.email, PASSWORD).await;
    let cookie = Credential::Cookie {
        cookie: &s.cookie,
        csrf: None,
    };
    t.advance(secs(14 * 60));
    let status = t
        .request_as(Method::GET, "/api/v1/auth/session", cookie, None)
        .await;
    status.expect(200);
    assert_eq!(status.json["csrf_token"], s.csrf.as_str());
    assert_eq!(status.json["idle_timeout_secs"], 900);
    crate::support::schema::assert_documented("GET", "/api/v1/auth/session", 200, &status.json);
    t.advance(secs(14 * 60));
    t.request_as(Method::GET, "/api/v1/auth/session", cookie, None)
        .await
        .expect(200);
    // An API token has no CSRF token to give.
    let token = t.api_login(&nurse.user.email, PASSWORD).await;
    let r = t
        .request(Method::GET, "/api/v1/auth/session", Some(&token), None)
        .await;
    assert!(r.json["csrf_token"].is_null(), "{}", r.json);
}

async fn sessions_end_after_12_hours_whatever_the_activity(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let token = t.api_login(&nurse.user.email, PASSWORD).await;
    // 51 requests 14 minutes apart: 11 h 54 min, all within the idle limit.
    for _ in 0..51 {
        t.advance(secs(14 * 60));
        t.request(Method::GET, PATIENTS, Some(&token), None)
            .await
            .expect(200);
    }
    t.advance(secs(7 * 60)); // 12 h 01 min after login
    let r = t.request(Method::GET, PATIENTS, Some(&token), None).await;
    assert_eq!(r.code(), "unauthenticated");
    assert!(!session_row_exists(&t, &token).await);
}

async fn logout_ends_the_session_on_the_server(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;

    let token = t.api_login(&nurse.user.email, PASSWORD).await;
    let r = t
        .request(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await;
    r.expect(204);
    assert_eq!(
        r.header("clear-site-data"),
        "\"cache\", \"cookies\", \"storage\""
    );
    assert!(!session_row_exists(&t, &token).await);
    t.request(Method::GET, PATIENTS, Some(&token), None)
        .await
        .expect(401);

    // A browser: the cookie is cleared too, and replaying it is refused.
    let browser = t.browser_login(&nurse.user.email, PASSWORD).await;
    let cookie = Credential::Cookie {
        cookie: &browser.cookie,
        csrf: Some(&browser.csrf),
    };
    let r = t
        .request_as(Method::POST, "/api/v1/auth/logout", cookie, None)
        .await;
    r.expect(204);
    assert_eq!(
        r.header("set-cookie"),
        "cadence_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
    );
    let r = t.request_as(Method::GET, PATIENTS, cookie, None).await;
    assert_eq!(r.code(), "unauthenticated");
}

async fn unknown_users_and_wrong_passwords_get_the_same_answer(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let login = |email: &str, password: &str| {
        t.request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "email": email, "password": password })),
        )
    };
    let wrong_password = login(&nurse.user.email, "not the password").await;
    let unknown_user = login("nobody@clinic.test", "not the password").await;
    assert_eq!(wrong_password.status.as_u16(), 401);
    assert_eq!(wrong_password.code(), "invalid_credentials");
    assert_eq!(wrong_password.status, unknown_user.status);
    assert_eq!(wrong_password.json, unknown_user.json);
    // Both audited as failed logins, without naming anyone.
    let failures: Vec<_> = t
        .audit()
        .await
        .into_iter()
        .filter(|r| r.event.action == cadence_app::audit::AuditAction::LoginFailed)
        .collect();
    assert_eq!(failures.len(), 2);
    assert!(failures.iter().all(|r| r.event.actor_id.is_none()));
    // Emails are case-insensitive.
    login(&nurse.user.email.to_uppercase(), PASSWORD)
        .await
        .expect(200);
}

async fn repeated_failures_are_throttled(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let body = |password: &str| json!({ "email": nurse.user.email, "password": password });
    let max = t.app.config().max_failures_per_account;
    for _ in 0..max {
        let r = t
            .request(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(body("wrong password")),
            )
            .await;
        r.expect(401);
    }
    // Now even the right password waits: the account is protected, not locked for good.
    let r = t
        .request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(body(PASSWORD)),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.code()), (429, "too_many_attempts"));
    let retry: u64 = r.header("retry-after").parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    t.advance(secs(i64::try_from(retry).unwrap() + 1));
    t.request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(body(PASSWORD)),
    )
    .await
    .expect(200);
}

async fn one_time_passwords_must_be_changed_first(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let (user, otp) = t
        .app
        .create_user(clinic.id, "new.nurse@clinic.test", Role::Nurse, None)
        .await
        .unwrap();
    let otp = otp.expect("a one-time password");
    let r = t
        .request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "email": user.email, "password": otp })),
        )
        .await;
    assert_eq!(r.expect(200).json["must_change_password"], true);
    let token = r.json["token"].as_str().unwrap().to_owned();
    let r = t.request(Method::GET, PATIENTS, Some(&token), None).await;
    assert_eq!(
        (r.status.as_u16(), r.code()),
        (403, "password_change_required")
    );

    let change = |current: &str, new: &str| {
        t.request(
            Method::POST,
            "/api/v1/auth/password",
            Some(&token),
            Some(json!({ "current": current, "new": new })),
        )
    };
    let r = change("not it", "a new and longer passphrase").await;
    assert_eq!((r.status.as_u16(), r.code()), (401, "invalid_credentials"));
    let r = change(&otp, "short").await;
    assert_eq!((r.status.as_u16(), r.code()), (422, "password_too_short"));
    change(&otp, "a new and longer passphrase")
        .await
        .expect(204);
    t.request(Method::GET, PATIENTS, Some(&token), None)
        .await
        .expect(200);
}

async fn a_password_change_ends_the_users_other_sessions(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let here = t.api_login(&nurse.user.email, PASSWORD).await;
    let elsewhere = t.api_login(&nurse.user.email, PASSWORD).await;
    t.request(
        Method::POST,
        "/api/v1/auth/password",
        Some(&here),
        Some(json!({ "current": PASSWORD, "new": "a new and longer passphrase" })),
    )
    .await
    .expect(204);
    t.request(Method::GET, PATIENTS, Some(&here), None)
        .await
        .expect(200);
    t.request(Method::GET, PATIENTS, Some(&elsewhere), None)
        .await
        .expect(401);
}

async fn tokens_work_only_on_the_carrier_they_were_issued_for(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let api = t.api_login(&nurse.user.email, PASSWORD).await;
    let browser = t.browser_login(&nurse.user.email, PASSWORD).await;
    let browser_token = browser.cookie.split_once('=').unwrap().1.to_owned();
    // A browser token as a bearer token would skip the CSRF check: refused.
    t.request(Method::GET, PATIENTS, Some(&browser_token), None)
        .await
        .expect(401);
    let api_cookie = format!("cadence_session={api}");
    let r = t
        .request_as(
            Method::GET,
            PATIENTS,
            Credential::Cookie {
                cookie: &api_cookie,
                csrf: None,
            },
            None,
        )
        .await;
    r.expect(401);
    // Garbage is refused without trouble.
    for token in ["", "x", "Bearer", &"f".repeat(64), &"é".repeat(40)] {
        let r = t.request(Method::GET, PATIENTS, Some(token), None).await;
        assert_eq!(r.status.as_u16(), 401, "{token:?}");
    }
}

async fn browser_logins_set_a_hardened_cookie_and_replace_the_old_one(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let body = json!({ "email": nurse.user.email, "password": PASSWORD });
    let r = t
        .request(
            Method::POST,
            "/api/v1/auth/session",
            None,
            Some(body.clone()),
        )
        .await;
    r.expect(200);
    let set_cookie = r.header("set-cookie").to_owned();
    let (pair, attributes) = set_cookie.split_once("; ").unwrap();
    let (name, value) = pair.split_once('=').unwrap();
    assert_eq!(name, "cadence_session");
    assert_eq!(value.len(), 64, "256 bits, hex");
    assert_eq!(attributes, "Path=/; HttpOnly; SameSite=Strict");
    assert!(!r.text.contains(value), "the token is only in Set-Cookie");
    assert_eq!(r.json["csrf_token"].as_str().unwrap().len(), 64);

    // Logging in again from the same browser ends the session its cookie named.
    let old = pair.to_owned();
    let mut request = cadence_testkit::build(
        Method::POST,
        "/api/v1/auth/session",
        Credential::Anonymous,
        Some(&body),
    );
    request.headers_mut().insert("cookie", old.parse().unwrap());
    let again = t.send(request).await;
    again.expect(200);
    assert_ne!(cadence_testkit::cookie_pair(&again.headers).unwrap(), old);
    let r = t
        .request_as(
            Method::GET,
            PATIENTS,
            Credential::Cookie {
                cookie: &old,
                csrf: None,
            },
            None,
        )
        .await;
    r.expect(401);
}

async fn over_tls_the_cookie_is_secure_and_host_prefixed(backend: Backend) {
    let options = TestOptions {
        web: cadence_web::WebConfig {
            secure_cookies: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let t = TestApp::with_options(backend, options).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let body = json!({ "email": nurse.user.email, "password": PASSWORD });
    let r = t
        .request(Method::POST, "/api/v1/auth/session", None, Some(body))
        .await;
    r.expect(200);
    let set_cookie = r.header("set-cookie");
    assert!(
        set_cookie.starts_with("__Host-cadence_session="),
        "{set_cookie}"
    );
    assert!(
        set_cookie.ends_with("; Path=/; HttpOnly; SameSite=Strict; Secure"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("Domain"));
    assert_eq!(
        r.header("strict-transport-security"),
        "max-age=31536000; includeSubDomains"
    );
    let cookie = cadence_testkit::cookie_pair(&r.headers).unwrap();
    let r = t
        .request_as(
            Method::GET,
            PATIENTS,
            Credential::Cookie {
                cookie: &cookie,
                csrf: None,
            },
            None,
        )
        .await;
    r.expect(200);
}

on_every_backend!(
    idle_sessions_expire_after_15_minutes,
    polling_does_not_keep_an_idle_session_alive,
    sessions_end_after_12_hours_whatever_the_activity,
    logout_ends_the_session_on_the_server,
    unknown_users_and_wrong_passwords_get_the_same_answer,
    repeated_failures_are_throttled,
    one_time_passwords_must_be_changed_first,
    a_password_change_ends_the_users_other_sessions,
    tokens_work_only_on_the_carrier_they_were_issued_for,
    browser_logins_set_a_hardened_cookie_and_replace_the_old_one,
    over_tls_the_cookie_is_secure_and_host_prefixed,
);
