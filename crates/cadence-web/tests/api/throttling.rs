//! Login throttling under attack (issue 15 §1-2): behind a trusted proxy the per-address limit
//! keys on the forwarded client, not the proxy; a forged `X-Forwarded-For` from an untrusted
//! peer changes nothing.

use crate::support::{Backend, TestApp, TestResponse, on_every_backend};
use axum::http::Method;
use cadence_app::AppConfig;
use cadence_app::records::Role;
use cadence_testkit::{Credential, PASSWORD, TestOptions, build};
use cadence_web::WebConfig;
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
    let r = login_via(&t, "nobody9@x.test", "guess", Some("198.51.100.1, 203.0.113.66")).await;
    assert_eq!(r.code(), "too_many_attempts");
    // Everyone else behind the same proxy still logs in (before issue 15 they all shared the
    // proxy's address and were locked out together).
    login_via(&t, &nurse.user.email, PASSWORD, Some("198.51.100.7"))
        .await
        .expect(200);
    // A chain of trusted proxies is walked back to the client.
    login_via(&t, &nurse.user.email, PASSWORD, Some("198.51.100.8, 127.0.0.9"))
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

on_every_backend!(
    behind_a_trusted_proxy_the_address_limit_is_per_client,
    an_untrusted_peer_cannot_choose_its_address,
);
