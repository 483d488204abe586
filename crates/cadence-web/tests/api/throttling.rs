//! Login throttling under attack (issue 15 §1-2): behind a trusted proxy the per-address limit
//! keys on the forwarded client, not the proxy; a forged `X-Forwarded-For` from an untrusted
//! peer changes nothing; concurrent guesses never get more checks than the limit; password
//! changes count against the same limits; expired sessions are purged.

use crate::support::{Backend, TestApp, TestResponse, on_every_backend};
use axum::http::Method;
use cadence_app::AppConfig;
use cadence_app::audit::AuditAction;
use cadence_app::records::Role;
use cadence_testkit::{Credential, PASSWORD, TestOptions, build, with_client_address};
use cadence_web::WebConfig;
use futures_util::future::join_all;
use jiff::SignedDuration;
use serde_json::json;

/// A login attempt through a proxy on 127.0.0.1 (the kit's peer address) that forwards `xff`.
async fn login_via(t: &TestApp, email: &str, password: &str, xff: Option<&str>) -> TestResponse {
    let body = json!({ "email": email, "password": password });
    let mut request = build(
        Method::POST,
        "/api/v1/auth/login",
        Credential::Anonymous,
        Some(&body),
    );
    if let Some(xff) = xff {
        request
            .headers_mut()
            .insert("x-forwarded-for", xff.parse().unwrap());
    }
    t.send(request).await
}

fn per_address_limit(max_per_address: u32, trusted: &[&str]) -> TestOptions {
    TestOptions {
        app: AppConfig {
            max_failures_per_address: max_per_address,
            ..AppConfig::default()
        },
        web: WebConfig {
            trusted_proxies: trusted.iter().map(|p| p.parse().unwrap()).collect(),
            ..WebConfig::default()
        },
        ..TestOptions::default()
    }
}

async fn behind_a_trusted_proxy_the_address_limit_is_per_client(backend: Backend) {
    let t = TestApp::with_options(backend, per_address_limit(3, &["127.0.0.0/8"])).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let attacker = Some("203.0.113.66");
    for n in 0..3 {
        login_via(&t, &format!("nobody{n}@x.test"), "guess", attacker)
            .await
            .expect(401);
    }
    let r = login_via(&t, "nobody9@x.test", "guess", attacker).await;
    assert_eq!((r.status.as_u16(), r.code()), (429, "too_many_attempts"));
    // Forging entries to the left of the proxy's own does not make a new client.
    let r = login_via(
        &t,
        "nobody9@x.test",
        "guess",
        Some("198.51.100.1, 203.0.113.66"),
    )
    .await;
    assert_eq!(r.code(), "too_many_attempts");
    // Everyone else behind the same proxy still logs in (before issue 15 they all shared the
    // proxy's address and were locked out together).
    login_via(&t, &nurse.user.email, PASSWORD, Some("198.51.100.7"))
        .await
        .expect(200);
    // A chain of trusted proxies is walked back to the client.
    login_via(
        &t,
        &nurse.user.email,
        PASSWORD,
        Some("198.51.100.8, 127.0.0.9"),
    )
    .await
    .expect(200);
}

async fn an_untrusted_peer_cannot_choose_its_address(backend: Backend) {
    // No trusted proxy: the forwarded header is ignored, so rotating it does not help.
    let t = TestApp::with_options(backend, per_address_limit(3, &[])).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    for n in 0..3 {
        let xff = format!("203.0.113.{n}");
        login_via(&t, &format!("nobody{n}@x.test"), "guess", Some(&xff))
            .await
            .expect(401);
    }
    let r = login_via(&t, &nurse.user.email, PASSWORD, Some("198.51.100.7")).await;
    assert_eq!(r.code(), "too_many_attempts");
}

/// The number of answers with each status.
fn tally(answers: &[TestResponse]) -> std::collections::BTreeMap<u16, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for r in answers {
        *counts.entry(r.status.as_u16()).or_insert(0) += 1;
    }
    counts
}

async fn failed_logins(t: &TestApp) -> usize {
    t.audit()
        .await
        .iter()
        .filter(|r| r.event.action == AuditAction::LoginFailed)
        .count()
}

async fn concurrent_guesses_get_at_most_the_limit_of_checks(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    // 200 wrong passwords for one account at once: before issue 15 the limit was checked
    // before any of them had failed, and 33 of 200 were checked against a limit of 10.
    let guesses = (0..200).map(|n| {
        let xff = format!("203.0.113.{}", n % 250);
        let email = nurse.user.email.clone();
        let t = &t;
        async move { login_via(t, &email, &format!("guess {n}"), Some(&xff)).await }
    });
    let answers = join_all(guesses).await;
    let max = t.app.config().max_failures_per_account as usize;
    assert_eq!(tally(&answers), [(401, max), (429, 200 - max)].into());
    assert_eq!(failed_logins(&t).await, max, "only the checked guesses ran");

    // 300 from one address, each for another account: at most 50 are checked.
    let t = TestApp::on(backend).await;
    let guesses = (0..300).map(|n| {
        let t = &t;
        async move { login_via(t, &format!("user{n}@x.test"), "guess", None).await }
    });
    let answers = join_all(guesses).await;
    let max = t.app.config().max_failures_per_address as usize;
    assert_eq!(tally(&answers), [(401, max), (429, 300 - max)].into());
    assert_eq!(failed_logins(&t).await, max);
}

async fn password_changes_are_throttled_like_logins(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let token = t.api_login(&nurse.user.email, PASSWORD).await;
    let change = |current: &'static str| {
        t.request(
            Method::POST,
            "/api/v1/auth/password",
            Some(&token),
            Some(json!({ "current": current, "new": "a new and longer passphrase" })),
        )
    };
    let max = t.app.config().max_failures_per_account;
    for _ in 0..max {
        change("not my password").await.expect(401);
    }
    // Before issue 15, 30 wrong guesses and then the right one succeeded.
    let r = change(PASSWORD).await;
    assert_eq!((r.status.as_u16(), r.code()), (429, "too_many_attempts"));
    assert!(!r.header("retry-after").is_empty());
    // The guesses count for the account: logging in waits too.
    let r = login_via(&t, &nurse.user.email, PASSWORD, None).await;
    assert_eq!(r.code(), "too_many_attempts");
    t.advance(SignedDuration::from_mins(16));
    let token = t.api_login(&nurse.user.email, PASSWORD).await;
    t.request(
        Method::POST,
        "/api/v1/auth/password",
        Some(&token),
        Some(json!({ "current": PASSWORD, "new": "a new and longer passphrase" })),
    )
    .await
    .expect(204);

    // The page counts the same way.
    let clerk = t.user(clinic.id, Role::FrontDesk).await;
    let browser = t.browser_login(&clerk.user.email, PASSWORD).await;
    let page_change = |current: &'static str| {
        let form = format!(
            "csrf_token={}&current={}&new=a+new+and+longer+passphrase",
            browser.csrf,
            current.replace(' ', "+")
        );
        let mut request = axum::http::Request::builder()
            .method(Method::POST)
            .uri("/password")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &browser.cookie)
            .body(axum::body::Body::from(form))
            .unwrap();
        with_client_address(&mut request);
        t.send(request)
    };
    for _ in 0..max {
        page_change("not my password").await.expect(422);
    }
    page_change(PASSWORD).await.expect(429);
}

async fn expired_sessions_are_purged_on_login(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    let clerk = t.user(clinic.id, Role::FrontDesk).await;
    for _ in 0..5 {
        t.api_login(&nurse.user.email, PASSWORD).await;
    }
    let sessions = |counts: Vec<(&'static str, i64)>| {
        counts
            .into_iter()
            .find(|(table, _)| *table == "auth_sessions")
            .map(|(_, n)| n)
            .unwrap()
    };
    assert_eq!(sessions(t.row_counts().await), 5);
    // Abandoned: nobody presents them again. The next login, past the idle limit, sweeps them.
    t.advance(SignedDuration::from_mins(16));
    t.api_login(&clerk.user.email, PASSWORD).await;
    assert_eq!(sessions(t.row_counts().await), 1);
}

on_every_backend!(
    behind_a_trusted_proxy_the_address_limit_is_per_client,
    an_untrusted_peer_cannot_choose_its_address,
    concurrent_guesses_get_at_most_the_limit_of_checks,
    password_changes_are_throttled_like_logins,
    expired_sessions_are_purged_on_login,
);
