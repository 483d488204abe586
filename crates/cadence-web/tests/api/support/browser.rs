//! A logged-in browser for page tests: GETs with its cookie, form posts from this site with
//! or without its CSRF token.

use super::{TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Method, Request, header};
use cadence_testkit::with_client_address;

/// `application/x-www-form-urlencoded` encoding of one value.
pub fn encode(value: &str) -> String {
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

/// A browser, logged in or not.
pub struct Browser<'a> {
    pub t: &'a TestApp,
    /// The session cookie (`None`: anonymous).
    pub cookie: Option<String>,
    /// The session's CSRF token (empty when anonymous).
    pub csrf: String,
}

impl<'a> Browser<'a> {
    pub fn anonymous(t: &'a TestApp) -> Browser<'a> {
        Browser {
            t,
            cookie: None,
            csrf: String::new(),
        }
    }

    pub async fn login(t: &'a TestApp, email: &str, password: &str) -> Browser<'a> {
        let s = t.browser_login(email, password).await;
        Browser {
            t,
            cookie: Some(s.cookie),
            csrf: s.csrf,
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        let mut builder = Request::builder().method(Method::GET).uri(path);
        if let Some(c) = &self.cookie {
            builder = builder.header(header::COOKIE, c);
        }
        let mut request = builder.body(Body::empty()).unwrap();
        with_client_address(&mut request);
        self.t.send(request).await
    }

    /// A form post with this session's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf_token", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// A form post exactly as given (no token added), marked same-origin as a browser would.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = &self.cookie {
            builder = builder.header(header::COOKIE, c);
        }
        let mut request = builder.body(Body::from(body)).unwrap();
        with_client_address(&mut request);
        self.t.send(request).await
    }
}
