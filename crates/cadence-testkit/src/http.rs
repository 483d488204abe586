//! Driving the real router in-process: requests go through every layer with
//! `tower::ServiceExt::oneshot` (no sockets), as from a client on 127.0.0.1.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use serde_json::Value;
use std::net::SocketAddr;
use tower::ServiceExt;

/// Bodies larger than this are not read back (no API response comes near it).
const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// What came back.
#[derive(Debug, Clone)]
pub struct TestResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as JSON (`Null` when empty or not JSON).
    pub json: Value,
    /// The body as text.
    pub text: String,
}

impl TestResponse {
    /// The error code of an error response (`""` if the body is not an error).
    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or_default()
    }

    /// A header's value as text (`""` if absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The integer `id` of the JSON body, panicking with the whole response if there is none.
    pub fn id(&self) -> i64 {
        self.json["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {} {}", self.status, self.text))
    }

    /// Panics with the response unless the status is `expected`.
    #[track_caller]
    pub fn expect(&self, expected: u16) -> &TestResponse {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "expected {expected}, got {}: {}",
            self.status,
            self.text
        );
        self
    }
}

/// How a request proves who sends it.
#[derive(Debug, Clone, Copy)]
pub enum Credential<'a> {
    /// None.
    Anonymous,
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
    /// A browser session: the cookie, and the CSRF token to send (if any).
    Cookie {
        /// The `Cookie` header value, e.g. `cadence_session=...`.
        cookie: &'a str,
        /// The `X-CSRF-Token` to send; `None` to leave the header out.
        csrf: Option<&'a str>,
    },
}

/// Builds a request: JSON body if given, credential headers, and the connection info a real
/// server would add.
pub fn build(
    method: Method,
    path: &str,
    credential: Credential<'_>,
    json: Option<&Value>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    match credential {
        Credential::Anonymous => {}
        Credential::Bearer(token) => {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        Credential::Cookie { cookie, csrf } => {
            builder = builder.header(header::COOKIE, cookie);
            if let Some(csrf) = csrf {
                builder = builder.header("x-csrf-token", csrf);
            }
        }
    }
    let body = match json {
        Some(json) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let mut request = builder.body(body).expect("a valid test request");
    with_client_address(&mut request);
    request
}

/// Adds the `ConnectInfo` a real server adds (a client on loopback).
pub fn with_client_address(request: &mut Request<Body>) {
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))));
}

/// Sends a request through the router and reads the whole response.
pub async fn send(router: &axum::Router, request: Request<Body>) -> TestResponse {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|never| match never {});
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), MAX_RESPONSE_BYTES)
        .await
        .expect("read the response body");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    TestResponse {
        status,
        headers,
        json,
        text,
    }
}

/// The `name=value` part of a `Set-Cookie` header, ready to send back as `Cookie`.
pub fn cookie_pair(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::SET_COOKIE)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}
