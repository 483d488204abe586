//! Checks a response body against the OpenAPI document: the keys of every object are the
//! schema's properties (all required ones present, none undocumented), recursively through
//! `$ref`s. This keeps the hand-written response descriptions (`cadence_web::schema`) true.

use serde_json::Value;
use std::sync::OnceLock;

pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(cadence_web::openapi_document()).unwrap())
}

/// The documented response schema of an operation for a status, if it has a JSON body.
fn response_schema<'a>(
    doc: &'a Value,
    method: &str,
    route: &str,
    status: u16,
) -> Option<&'a Value> {
    let op = &doc["paths"][route][method.to_lowercase()];
    assert!(
        op.is_object(),
        "{method} {route} is not in the OpenAPI document"
    );
    let response = &op["responses"][status.to_string()];
    assert!(
        response.is_object(),
        "{method} {route} does not document status {status}"
    );
    let schema = &response["content"]["application/json"]["schema"];
    schema.is_object().then_some(schema)
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            let found = &doc["components"]["schemas"][name];
            assert!(found.is_object(), "no schema {name}");
            found
        }
        None => schema,
    }
}

fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = resolve(doc, schema);
    if let Some(alternatives) = schema["oneOf"].as_array() {
        if value.is_null() {
            return;
        }
        let non_null = alternatives
            .iter()
            .find(|a| a["type"] != "null")
            .expect("a non-null alternative");
        return check(doc, non_null, value, at);
    }
    if let (Some(props), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for key in object.keys() {
            assert!(props.contains_key(key), "{at}: `{key}` is not documented");
        }
        for required in schema["required"].as_array().into_iter().flatten() {
            let key = required.as_str().unwrap();
            assert!(
                object.contains_key(key),
                "{at}: required `{key}` is missing"
            );
        }
        for (key, v) in object {
            check(doc, &props[key], v, &format!("{at}.{key}"));
        }
    } else if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, v) in array.iter().enumerate() {
            check(doc, items, v, &format!("{at}[{i}]"));
        }
    }
}

/// Panics unless `body` fits the documented response of `method route` for `status`.
pub fn assert_documented(method: &str, route: &str, status: u16, body: &Value) {
    let doc = document();
    if let Some(schema) = response_schema(doc, method, route, status) {
        check(doc, schema, body, &format!("{method} {route} {status}"));
    }
}
