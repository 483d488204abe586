//! The contracts as documents: the OpenAPI document (snapshot; served as built), and the
//! error-code table of `docs/api.md`, which must list every code the API can answer.

use crate::support::TestApp;
use axum::http::Method;
use cadence_web::error::WEB_CODES;
use std::collections::BTreeMap;

#[test]
fn the_openapi_document_is_stable() {
    let doc = serde_json::to_value(cadence_web::openapi_document()).unwrap();
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn the_served_document_is_the_built_one() {
    let t = TestApp::new().await;
    let r = t
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    r.expect(200);
    assert!(r.header("content-type").starts_with("application/json"));
    assert_eq!(
        r.json,
        serde_json::to_value(cadence_web::openapi_document()).unwrap()
    );
    assert_eq!(r.json["openapi"], "3.1.0");
}

/// `code -> status` from the table in `docs/api.md`.
fn documented_codes() -> BTreeMap<String, u16> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api.md");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find("| code | status | meaning |")
        .expect("the code table");
    let mut codes = BTreeMap::new();
    for line in text[start..].lines().skip(2) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let code = cells[0].trim_matches('`').to_owned();
        let status: u16 = cells[1]
            .parse()
            .unwrap_or_else(|_| panic!("status in {line}"));
        assert!(codes.insert(code.clone(), status).is_none(), "{code} twice");
    }
    codes
}

/// Every code the app's services can fail with, found in their source: `invalid("code", ..)`
/// is a 422 (a failed login's `invalid_credentials` is a 401), `code: "code"` a 409 conflict.
fn app_codes() -> BTreeMap<String, u16> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../cadence-app/src");
    let mut codes = BTreeMap::new();
    let mut files = vec![std::path::PathBuf::from(dir)];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (marker, status) in [("invalid(", 422), ("code: \"", 409)] {
            for (at, _) in text.match_indices(marker) {
                let rest = text[at + marker.len()..].trim_start();
                let rest = rest.strip_prefix('"').unwrap_or(rest);
                let code: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if code.is_empty() || !rest[code.len()..].starts_with('"') {
                    continue; // not a literal (e.g. the `invalid` helper's definition)
                }
                let status = if code == "invalid_credentials" {
                    401
                } else {
                    status
                };
                codes.insert(code, status);
            }
        }
    }
    codes
}

#[test]
fn every_error_code_is_in_the_docs_table_with_its_status() {
    let documented = documented_codes();
    let app = app_codes();
    assert!(app.len() >= 20, "the scan found the app's codes: {app:?}");
    let web = WEB_CODES.iter().map(|(c, s)| ((*c).to_owned(), *s));
    for (code, status) in app.into_iter().chain(web) {
        assert_eq!(
            documented.get(&code),
            Some(&status),
            "`{code}` ({status}) in docs/api.md"
        );
    }
}
