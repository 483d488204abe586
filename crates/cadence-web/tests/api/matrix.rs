//! The role matrix (security reference ACC-1): every route, as every role and anonymously,
//! against the table in `docs/security.md`, which is itself checked against the code's
//! permission matrix. A route the server answers without a row in the table, or a row for a
//! route that does not exist, fails here.

use crate::support::cases::{CASES, Case, prepare};
use crate::support::schema::{assert_documented, document};
use crate::support::{Backend, Credential, World, on_every_backend};
use cadence_app::audit::{AuditAction, AuditOutcome, ObjectType};
use cadence_app::authz::{Permission, allows};
use cadence_app::records::Role;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A row of the docs' matrix.
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) permission: String,
    pub(crate) allowed: HashMap<Role, bool>,
}

pub(crate) const ROLE_COLUMNS: [Role; 5] = [
    Role::Admin,
    Role::Clinician,
    Role::Nurse,
    Role::FrontDesk,
    Role::Researcher,
];

/// The permission matrix of `docs/security.md`, by `METHOD route`.
fn documented_matrix() -> BTreeMap<String, Row> {
    documented_table("| method | route | permission |")
}

/// A permission table of `docs/security.md` (the API's or the pages'), found by its header,
/// by `METHOD route`.
pub(crate) fn documented_table(header: &str) -> BTreeMap<String, Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/security.md");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find(header).expect("the matrix table");
    let mut rows = BTreeMap::new();
    for line in text[start..].lines().skip(2) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 8, "matrix row: {line}");
        let allowed = ROLE_COLUMNS
            .iter()
            .zip(&cells[3..])
            .map(|(role, cell)| match *cell {
                "✓" => (*role, true),
                "–" => (*role, false),
                other => panic!("matrix cell `{other}` in {line}"),
            })
            .collect();
        let key = format!("{} {}", cells[0], cells[1]);
        let row = Row {
            permission: cells[2].to_owned(),
            allowed,
        };
        assert!(
            rows.insert(key.clone(), row).is_none(),
            "duplicate row {key}"
        );
    }
    rows
}

pub(crate) fn permission(name: &str) -> Option<Permission> {
    use Permission::*;
    Some(match name {
        "ReadPatients" => ReadPatients,
        "WritePatients" => WritePatients,
        "ReadClinical" => ReadClinical,
        "Screen" => Screen,
        "RecordAssessment" => RecordAssessment,
        "CreateCourse" => CreateCourse,
        "Schedule" => Schedule,
        "RecordSession" => RecordSession,
        "Decide" => Decide,
        "Administer" => Administer,
        "ReadAudit" => ReadAudit,
        "ReadAggregates" => ReadAggregates,
        "public" | "login" => return None,
        other => panic!("unknown permission `{other}` in docs/security.md"),
    })
}

/// Every route the server answers: the OpenAPI document's operations plus the document itself.
fn served_routes() -> BTreeSet<String> {
    let mut routes = BTreeSet::from(["GET /api/v1/openapi.json".to_owned()]);
    for (path, item) in document()["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    routes
}

#[test]
fn the_documented_matrix_covers_exactly_the_served_routes() {
    let documented: BTreeSet<String> = documented_matrix().into_keys().collect();
    assert_eq!(
        documented,
        served_routes(),
        "docs/security.md vs the router"
    );
    let cases: BTreeSet<String> = CASES.iter().map(Case::key).collect();
    assert_eq!(cases, served_routes(), "support/cases.rs vs the router");
}

#[test]
fn the_documented_matrix_is_the_codes_matrix() {
    for (key, row) in documented_matrix() {
        for (role, allowed) in &row.allowed {
            let expected = match permission(&row.permission) {
                Some(p) => allows(*role, p),
                None => true,
            };
            assert_eq!(*allowed, expected, "{key} for {role} ({})", row.permission);
        }
    }
}

async fn every_route_as_every_role(backend: Backend) {
    let w = World::new(backend).await;
    let matrix = documented_matrix();
    for case in CASES {
        let row = &matrix[&case.key()];
        let public = row.permission == "public";
        let senders = ROLE_COLUMNS.iter().copied().map(Some).chain([None]);
        for role in senders {
            let prepared = prepare(&w, case, role).await;
            let token = match (&prepared.user, role) {
                (Some(fresh), Some(_)) => {
                    Some(w.t.api_login(&fresh.user.email, &fresh.password).await)
                }
                (_, Some(role)) => Some(w.token(role).to_owned()),
                (_, None) => None,
            };
            let credential = token
                .as_deref()
                .map_or(Credential::Anonymous, Credential::Bearer);
            let data_before = w.t.data_counts().await;
            let head = w.t.audit_head().await;
            let r =
                w.t.request_as(
                    case.method.clone(),
                    &prepared.path,
                    credential,
                    prepared.body,
                )
                .await;
            let who = role.map_or("anonymous".to_owned(), |r| r.to_string());
            let allowed = match role {
                Some(role) => row.allowed[&role],
                None => public,
            };
            if allowed {
                assert_eq!(
                    r.status.as_u16(),
                    case.ok,
                    "{} as {who}: {}",
                    case.key(),
                    r.text
                );
                if case.route != "/api/v1/openapi.json" {
                    assert_documented(case.method.as_str(), case.route, case.ok, &r.json);
                }
                continue;
            }
            let expected = if role.is_some() {
                (403, "forbidden")
            } else {
                (401, "unauthenticated")
            };
            assert_eq!(
                (r.status.as_u16(), r.code()),
                expected,
                "{} as {who}: {}",
                case.key(),
                r.text
            );
            assert_eq!(
                w.t.data_counts().await,
                data_before,
                "{} as {who} changed data",
                case.key()
            );
            let rows = w.t.audit_after(head).await;
            match role {
                Some(role) => {
                    // Exactly one row: the refusal, naming who and which route.
                    assert_eq!(rows.len(), 1, "{} as {who}: {rows:#?}", case.key());
                    let e = &rows[0].event;
                    assert_eq!(e.outcome, AuditOutcome::Denied);
                    assert_eq!(e.actor_id, Some(w.staff.user(role).user.id));
                    assert_eq!(e.object_type, ObjectType::Route);
                    assert_eq!(e.object_id.as_deref(), Some(case.key().as_str()));
                    let action = match case.method.as_str() {
                        "GET" => AuditAction::Read,
                        "POST" => AuditAction::Create,
                        _ => AuditAction::Update,
                    };
                    assert_eq!(e.action, action, "{}", case.key());
                }
                None => assert!(rows.is_empty(), "{} anonymous: {rows:#?}", case.key()),
            }
        }
    }
    assert!(matches!(
        w.t.app.verify_audit_chain().await.unwrap(),
        cadence_app::audit_log::ChainCheck::Intact(_)
    ));
}

on_every_backend!(every_route_as_every_role);
