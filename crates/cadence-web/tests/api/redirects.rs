//! Where a login returns to (issue 15 §3): only pages of this site from an allow-list; a
//! `next` that a browser could read as another site, or that holds CR, LF or a tab, lands on
//! `/today`, never off-site and never a 500 after the session was made.

use crate::support::{Backend, TestApp, TestResponse, on_every_backend};
use axum::body::Body;
use axum::http::{Method, Request, header};
use cadence_app::records::Role;
use cadence_testkit::{PASSWORD, with_client_address};

/// Form-encodes a value, every byte but letters and digits as `%XX`.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn login_form(t: &TestApp, email: &str, next: &str) -> TestResponse {
    let body = format!(
        "email={}&password={}&next={}",
        encode(email),
        encode(PASSWORD),
        encode(next)
    );
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    with_client_address(&mut request);
    t.send(request).await
}

const HOSTILE: &[&str] = &[
    "/\t/evil.example",
    "/%09/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/today",
    "http:evil.example",
    "javascript:alert(1)",
    "/today\r\nSet-Cookie: stolen=1",
    "/today\nLocation: https://evil.example",
    "/today?q=\r\n",
    "/\u{3000}/evil.example",
    "/patients/../../evil",
];

async fn login_never_redirects_off_site(backend: Backend) {
    let t = TestApp::on(backend).await;
    let clinic = t.clinic("North Clinic").await;
    let nurse = t.user(clinic.id, Role::Nurse).await;
    for next in HOSTILE {
        let r = login_form(&t, &nurse.user.email, next).await;
        assert_eq!(r.status.as_u16(), 303, "{next:?}: {}", r.text);
        assert_eq!(r.header("location"), "/today", "{next:?}");
        // The login form that carries `next` along never echoes it either.
        let mut request = Request::builder()
            .uri(format!("/login?next={}", encode(next)))
            .body(Body::empty())
            .unwrap();
        with_client_address(&mut request);
        let page = t.send(request).await;
        page.expect(200);
        assert!(
            page.text.contains("name=\"next\" value=\"/today\""),
            "{next:?}: {}",
            page.text
        );
    }
    // Pages of this site are returned to, queries included.
    for next in [
        "/patients/12",
        "/patients?search=ann&phase=induction",
        "/settings",
    ] {
        let r = login_form(&t, &nurse.user.email, next).await;
        r.expect(303);
        assert_eq!(r.header("location"), next);
    }
}

on_every_backend!(login_never_redirects_off_site);
