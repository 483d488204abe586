//! The clinical pages (issue 5 §2): the chart, the screening, the questionnaire form, starting
//! a course with a plan preview, and the nurse's session record. Each renders for a clinician
//! with seeded data; front desk sees no scores; forms check their CSRF token first, re-render
//! refused input with the problem named and store nothing; a positive suicide-risk item and a
//! blood pressure over the threshold show alerts; the session record completes a session; and
//! hostile text in every free-text field appears only escaped.

//!
//! Modules: `chart`, `forms`, `session_record`, `escaping`; the helpers below drive a logged-in
//! browser (form posts with the session's CSRF token) and seed a patient with a course.

mod chart;
mod escaping;
mod forms;
mod session_record;

use crate::support::{Backend, TestApp, TestResponse, World, builders, on_every_backend};
use axum::body::Body;
use axum::http::{Method, Request, header};
use cadence_app::records::Role;
use cadence_testkit::with_client_address;
use serde_json::json;

const SCRIPT: &str = "<script>alert(1)</script>";
const ATTRIBUTE: &str = "\"onmouseover=\"x";
const SQL: &str = "'; DROP TABLE patients; --";
/// How askama writes `SCRIPT` (numeric character references: `&#60;` is `&lt;`).
const ESCAPED: &str = "&#60;script&#62;alert(1)&#60;/script&#62;";

/// `application/x-www-form-urlencoded` encoding of one value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A logged-in browser of one role.
pub(crate) struct Browser<'a> {
    t: &'a TestApp,
    cookie: String,
    csrf: String,
}

impl<'a> Browser<'a> {
    pub(crate) async fn login(w: &'a World, role: Role) -> Browser<'a> {
        let user = w.staff.user(role);
        let s = w.t.browser_login(&user.user.email, &user.password).await;
        Browser {
            t: &w.t,
            cookie: s.cookie,
            csrf: s.csrf,
        }
    }

    pub(crate) async fn get(&self, path: &str) -> TestResponse {
        let mut request = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())
            .unwrap();
        with_client_address(&mut request);
        self.t.send(request).await
    }

    /// A form post with this session's CSRF token.
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf_token", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// A form post exactly as given (no token added).
    async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        with_client_address(&mut request);
        self.t.send(request).await
    }
}

/// The redirect target of a 303.
#[track_caller]
fn see_other(r: &TestResponse) -> String {
    assert_eq!(r.status.as_u16(), 303, "expected a redirect: {}", r.text);
    r.header("location").to_owned()
}

/// A PHQ-9 form: nine answers and no item 10.
fn phq9_form(answers: [&'static str; 9]) -> Vec<(String, &'static str)> {
    answers
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("item{}", i + 1), *v))
        .collect()
}

fn pairs<'a>(v: &'a [(String, &'static str)]) -> Vec<(&'a str, &'a str)> {
    v.iter().map(|(k, v)| (k.as_str(), *v)).collect()
}

/// A patient with a baseline PHQ-9 of 16 (item 9 at 0), an eligible screening for the route
/// and a course starting today; its id and the course's.
async fn seeded(w: &World, protocol: &str) -> (i64, i64) {
    let p = w.patient().await;
    let route = if protocol.starts_with("esketamine") {
        "esketamine"
    } else {
        "iv_ketamine"
    };
    w.as_clinician(
        Method::POST,
        &format!("/api/v1/patients/{p}/screenings"),
        Some(json!({ "route": route, "failed_adequate_trials": 2,
                     "rems_enrolled": true })),
    )
    .await
    .expect(201);
    w.as_clinician(
        Method::POST,
        &format!("/api/v1/patients/{p}/assessments"),
        Some(builders::phq9([2, 2, 2, 2, 2, 2, 2, 2, 0])),
    )
    .await
    .expect(201);
    let r = w
        .as_clinician(
            Method::POST,
            &format!("/api/v1/patients/{p}/courses"),
            Some(json!({ "protocol": protocol, "start_date": w.t.today().to_string() })),
        )
        .await;
    (p, r.expect(201).id())
}

async fn first_session(w: &World, course: i64) -> i64 {
    let r = w
        .as_clinician(Method::GET, &format!("/api/v1/courses/{course}"), None)
        .await;
    r.expect(200).json["sessions"][0]["id"].as_i64().unwrap()
}
