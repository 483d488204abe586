//! The contracts as documents: the OpenAPI document (snapshot; served as built), and the
//! error-code table of `docs/api.md`, which must be [`ErrorCode::ALL`] (every code a user can
//! receive, with its status and meaning) row for row.

use crate::support::TestApp;
use axum::http::Method;
use cadence_app::ErrorCode;
use cadence_app::audit::ObjectType;

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

/// The code table of `docs/api.md`, as its rows.
fn documented_rows() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api.md");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find("| code | status | meaning |")
        .expect("the code table");
    text[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(str::to_owned)
        .collect()
}

/// The rows the table must have: every [`ErrorCode`], in order, with its status and meaning.
fn expected_rows() -> Vec<String> {
    ErrorCode::ALL
        .iter()
        .map(|c| format!("| `{c}` | {} | {} |", c.status(), c.meaning()))
        .collect()
}

#[test]
fn the_docs_code_table_is_the_error_code_enum() {
    let documented = documented_rows();
    let expected = expected_rows();
    if documented != expected {
        let first = documented
            .iter()
            .zip(&expected)
            .position(|(d, e)| d != e)
            .unwrap_or(documented.len().min(expected.len()));
        panic!(
            "docs/api.md's code table differs from ErrorCode::ALL (first at row {}:\n  docs: \
             {:?}\n  enum: {:?}). Paste this table:\n\n| code | status | meaning |\n\
             |---|---|---|\n{}\n",
            first + 1,
            documented.get(first),
            expected.get(first),
            expected.join("\n")
        );
    }
}

/// `docs/security.md` lists the audit log's object types: exactly [`ObjectType::ALL`], in order.
#[test]
fn the_security_docs_list_every_audit_object_type() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/security.md");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find("Object types are one fixed list")
        .expect("the list");
    let paragraph = &text[start..text[start..].find("\n\n").map_or(text.len(), |n| start + n)];
    let after_colon = &paragraph[paragraph.find("covers:").expect("the list's colon")..];
    let listed: Vec<&str> = after_colon
        .split('`')
        .skip(1)
        .step_by(2)
        .take_while(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    let expected: Vec<&str> = ObjectType::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        listed,
        expected,
        "docs/security.md's object types; paste: {}",
        expected
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// The OpenAPI document keys its schemas by type name, so two types with one name would
/// silently describe one of them with the other's schema (an auth `SessionStatus` once
/// replaced the treatment-session state). Every described type has its own name.
#[test]
fn every_described_type_has_its_own_name() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("schema.rs")];
    for entry in std::fs::read_dir(src.join("routes")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut duplicates = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut described = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                described = true;
            } else if described
                && (line.starts_with("pub struct ") || line.starts_with("pub enum "))
            {
                let name = line
                    .split_whitespace()
                    .nth(2)
                    .unwrap()
                    .trim_end_matches(|c: char| !c.is_alphanumeric())
                    .to_owned();
                let here = file.display().to_string();
                if let Some(first) = seen.insert(name.clone(), here.clone()) {
                    duplicates.push(format!("{name}: {first} and {here}"));
                }
                described = false;
            } else if !line.starts_with("#[") && !line.starts_with("///") && !line.is_empty() {
                described = false;
            }
        }
    }
    assert!(seen.len() > 50, "the scan found the described types");
    assert!(
        duplicates.is_empty(),
        "one name, two schemas: {duplicates:?}"
    );
}
