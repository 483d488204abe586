//! What every response carries (security reference SES-5, INP-5, INP-6): the security headers
//! and a request id on successes and errors alike (200, 401, 403, 404, 405, 413, 500, 503), a
//! generic 500 for a panicking handler after which the server carries on, and a health check
//! that needs no login and says nothing.

use crate::support::{Backend, TestApp, TestResponse, on_every_backend};
use axum::Router;
use axum::http::Method;
use axum::routing::get;
use cadence_app::records::Role;
use cadence_testkit::TestOptions;
use std::collections::HashSet;
use std::time::Duration;

fn assert_headers(r: &TestResponse, what: &str) {
    assert_eq!(
        r.header("content-security-policy"),
        "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        "{what}"
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(r.header("referrer-policy"), "same-origin", "{what}");
    assert_eq!(r.header("cache-control"), "no-store", "{what}");
    let id = r.header("x-request-id");
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{what}: {id:?}"
    );
    assert!(
        r.header("strict-transport-security").is_empty(),
        "no HSTS over plain HTTP"
    );
    if !r.status.is_success() {
        assert!(
            r.header("content-type").starts_with("application/json"),
            "{what}"
        );
        assert!(!r.code().is_empty(), "{what}: {}", r.text);
    }
}

async fn panics() -> &'static str {
    panic!("a value that must not leak: Lovelace 1980-05-17")
}

async fn dawdles() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn every_response_has_the_security_headers(backend: Backend) {
    let options = TestOptions {
        extra_routes: Router::new().route("/test/panic", get(panics)),
        ..Default::default()
    };
    let t = TestApp::with_options(backend, options).await;
    let staff = t.staff("North Clinic").await;
    let token = staff.token(Role::Clinician);
    let big = serde_json::json!({ "mrn": "x".repeat(2 * 1024 * 1024) });
    let cases: Vec<(&str, u16, TestResponse)> = vec![
        (
            "health",
            200,
            t.request(Method::GET, "/healthz", None, None).await,
        ),
        (
            "api",
            200,
            t.request(Method::GET, "/api/v1/patients", Some(token), None)
                .await,
        ),
        (
            "document",
            200,
            t.request(Method::GET, "/api/v1/openapi.json", None, None)
                .await,
        ),
        (
            "no login",
            401,
            t.request(Method::GET, "/api/v1/patients", None, None).await,
        ),
        (
            "refused",
            403,
            t.request(
                Method::GET,
                "/api/v1/patients",
                Some(staff.token(Role::Researcher)),
                None,
            )
            .await,
        ),
        (
            "no route",
            404,
            t.request(Method::GET, "/api/v1/nowhere", None, None).await,
        ),
        (
            "no record",
            404,
            t.request(Method::GET, "/api/v1/patients/999", Some(token), None)
                .await,
        ),
        (
            "wrong method",
            405,
            t.request(Method::DELETE, "/api/v1/patients", Some(token), None)
                .await,
        ),
        (
            "too large",
            413,
            t.request(Method::POST, "/api/v1/patients", Some(token), Some(big))
                .await,
        ),
        (
            "panic",
            500,
            t.request(Method::GET, "/test/panic", None, None).await,
        ),
    ];
    let mut ids = HashSet::new();
    for (what, status, r) in &cases {
        assert_eq!(r.status.as_u16(), *status, "{what}: {}", r.text);
        assert_headers(r, what);
        assert!(
            ids.insert(r.header("x-request-id").to_owned()),
            "request ids are unique"
        );
    }
    let (_, _, panic) = &cases[9];
    assert_eq!(panic.code(), "internal");
    assert!(
        !panic.text.contains("Lovelace") && !panic.text.contains("panic"),
        "{}",
        panic.text
    );
    let (_, _, wrong_method) = &cases[7];
    assert_eq!(wrong_method.code(), "method_not_allowed");
    assert!(wrong_method.header("allow").contains("GET"));
    // Outside /api a missing page is an HTML page that shows its code, with the same headers.
    let page = t.request(Method::GET, "/nowhere", None, None).await;
    assert_eq!(page.status.as_u16(), 404);
    assert!(page.header("content-type").starts_with("text/html"));
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(
        page.header("content-security-policy")
            .contains("default-src 'self'")
    );
    assert!(page.text.contains("not_found"), "{}", page.text);
    // The server carries on after the panic.
    t.request(Method::GET, "/api/v1/patients", Some(token), None)
        .await
        .expect(200);
}

async fn slow_handlers_time_out_with_503(backend: Backend) {
    let options = TestOptions {
        web: cadence_web::WebConfig {
            request_timeout: Duration::from_millis(50),
            ..Default::default()
        },
        extra_routes: Router::new().route("/test/slow", get(dawdles)),
        ..Default::default()
    };
    let t = TestApp::with_options(backend, options).await;
    let r = t.request(Method::GET, "/test/slow", None, None).await;
    assert_eq!((r.status.as_u16(), r.code()), (503, "timeout"));
    assert_headers(&r, "timeout");
}

async fn healthz_needs_no_login_and_says_nothing_else(backend: Backend) {
    let t = TestApp::on(backend).await;
    let r = t.request(Method::GET, "/healthz", None, None).await;
    assert_eq!(r.expect(200).json, serde_json::json!({ "status": "ok" }));
    // A bad credential does not matter to it either.
    let r = t
        .request(Method::GET, "/healthz", Some("not-a-token"), None)
        .await;
    assert_eq!(r.expect(200).json, serde_json::json!({ "status": "ok" }));
}

on_every_backend!(
    every_response_has_the_security_headers,
    slow_handlers_time_out_with_503,
    healthz_needs_no_login_and_says_nothing_else,
);
