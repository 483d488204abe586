//! The OpenAPI document as a contract the server keeps (issue 15 §11): every authenticated
//! change declares the refusals it can answer (409 among them), and what the request schemas
//! mark nullable the server takes as `null`, while what they do not (the screening's
//! `conditions` and `medications`) it refuses.

use crate::support::cases::{CASES, prepare};
use crate::support::schema::document;
use crate::support::{Backend, World, builders, on_every_backend};
use axum::http::Method;
use cadence_app::records::Role;
use serde_json::Value;

#[test]
fn every_authenticated_change_declares_its_refusals() {
    let doc = document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let secured = op.get("security").is_some();
            let changes = matches!(method.as_str(), "post" | "put" | "delete" | "patch");
            let responses = op["responses"].as_object().unwrap();
            let mut expected = vec!["500", "503"];
            if secured {
                expected.extend(["400", "401", "403", "404", "413", "415", "422", "429"]);
            }
            if secured && changes {
                expected.push("409");
            }
            for status in expected {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} does not declare {status}"
                );
            }
        }
    }
}

/// The request body schema of an operation, `$ref` resolved.
fn request_schema<'a>(method: &str, route: &str) -> Option<&'a Value> {
    let doc = document();
    let schema = &doc["paths"][route][method.to_lowercase()]["requestBody"]["content"]["application/json"]
        ["schema"];
    let name = schema["$ref"]
        .as_str()?
        .trim_start_matches("#/components/schemas/");
    Some(&doc["components"]["schemas"][name])
}

fn nullable(property: &Value) -> bool {
    let in_type = property["type"]
        .as_array()
        .is_some_and(|ts| ts.iter().any(|t| t == "null"));
    let in_one_of = property["oneOf"]
        .as_array()
        .is_some_and(|alts| alts.iter().any(|a| a["type"] == "null"));
    in_type || in_one_of
}

async fn nullable_fields_take_null_and_others_refuse_it(backend: Backend) {
    let w = World::new(backend).await;
    let mut tried = 0;
    for case in CASES {
        let Some(schema) = request_schema(case.method.as_str(), case.route) else {
            continue;
        };
        let properties = schema["properties"].as_object().unwrap();
        for name in properties.keys().filter(|n| nullable(&properties[*n])) {
            let prepared = prepare(&w, case, Some(Role::Clinician)).await;
            let mut body = prepared.body.clone().unwrap();
            body[name] = Value::Null;
            let r =
                w.t.request(
                    case.method.clone(),
                    &prepared.path,
                    Some(w.token(Role::Clinician)),
                    Some(body),
                )
                .await;
            assert_ne!(
                r.code(),
                "malformed_request",
                "{}: `{name}` is documented nullable: {}",
                case.key(),
                r.text
            );
            tried += 1;
        }
    }
    assert!(tried > 5, "nullable fields were tried: {tried}");

    // The screening's lists may be left out, not sent as null (issue 15: they were documented
    // nullable and refused).
    let schema = request_schema("POST", "/api/v1/patients/{id}/screenings").unwrap();
    for list in ["conditions", "medications"] {
        assert!(!nullable(&schema["properties"][list]), "{list}");
        let p = w.patient().await;
        let path = format!("/api/v1/patients/{p}/screenings");
        let mut body = builders::screening();
        body[list] = Value::Null;
        let r = w.as_clinician(Method::POST, &path, Some(body)).await;
        assert_eq!(r.code(), "malformed_request", "{list}: null: {}", r.text);
        let mut body = builders::screening();
        body.as_object_mut().unwrap().remove(list);
        w.as_clinician(Method::POST, &path, Some(body))
            .await
            .expect(201);
    }
}

on_every_backend!(nullable_fields_take_null_and_others_refuse_it);
