//! The pages' permission matrix (issue 15 §11), walked like the API's (`matrix.rs`): the page
//! table of `docs/security.md` must list exactly the page routes the source registers, agree
//! with the code's permission matrix, and hold when every page is requested by every role and
//! anonymously: success where it says ✓; a 403 page, nothing changed and one `denied` audit
//! row where it says –; the login page for anyone not logged in.

use crate::matrix::{ROLE_COLUMNS, Row, documented_table, permission};
use crate::support::browser::Browser;
use crate::support::page_cases::{PAGE_CASES, PageCase, prepare_page};
use crate::support::{Backend, World, on_every_backend};
use axum::http::Method;
use cadence_app::audit::{AuditAction, AuditOutcome, ObjectType};
use cadence_app::authz::allows;
use cadence_app::records::Role;
use cadence_testkit::PASSWORD;
use std::collections::{BTreeMap, BTreeSet};

fn documented_pages() -> BTreeMap<String, Row> {
    documented_table("| method | page | permission |")
}

/// The page routes the source registers: every `.route("path", get(..).post(..))` under
/// `src/pages/`, read from the text so that a new page cannot be added without a row.
fn served_pages() -> BTreeSet<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/pages");
    let mut routes = BTreeSet::new();
    let mut files = vec![std::path::PathBuf::from(dir)];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices(".route(") {
            let call = balanced(&text[at + ".route".len()..]);
            let route = call.split('"').nth(1).expect("a route path literal");
            for method in ["get", "post", "put", "delete", "patch"] {
                let called = call.match_indices(&format!("{method}(")).any(|(i, _)| {
                    i > 0
                        && !call.as_bytes()[i - 1].is_ascii_alphanumeric()
                        && call.as_bytes()[i - 1] != b'_'
                });
                if called {
                    routes.insert(format!("{} {route}", method.to_uppercase()));
                }
            }
        }
    }
    routes
}

/// The text of a parenthesised call, from its `(` to the matching `)`.
fn balanced(text: &str) -> &str {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..=i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced route call: {text}");
}

#[test]
fn the_documented_page_matrix_covers_exactly_the_served_pages() {
    let documented: BTreeSet<String> = documented_pages().into_keys().collect();
    assert_eq!(documented, served_pages(), "docs/security.md vs src/pages");
    let cases: BTreeSet<String> = PAGE_CASES.iter().map(PageCase::key).collect();
    assert_eq!(cases, served_pages(), "support/page_cases.rs vs src/pages");
}

#[test]
fn the_documented_page_matrix_is_the_codes_matrix() {
    for (key, row) in documented_pages() {
        for (role, allowed) in &row.allowed {
            let expected = permission(&row.permission).is_none_or(|p| allows(*role, p));
            assert_eq!(*allowed, expected, "{key} for {role} ({})", row.permission);
        }
    }
}

/// Where a successful request should land: its own status, except the roles `/today` sends
/// elsewhere, and logging out, which lands on the login page.
fn expected_success(case: &PageCase, role: Option<Role>) -> (u16, Option<&'static str>) {
    match (case.key().as_str(), role) {
        ("GET /today", Some(Role::Admin)) => (303, Some("/settings")),
        ("POST /logout", _) => (303, Some("/login")),
        ("GET /", _) => (303, Some("/today")),
        _ => (case.ok, None),
    }
}

async fn every_page_as_every_role(backend: Backend) {
    let w = World::new(backend).await;
    let matrix = documented_pages();
    for case in PAGE_CASES {
        let row = &matrix[&case.key()];
        let public = row.permission == "public";
        for role in ROLE_COLUMNS.iter().copied().map(Some).chain([None]) {
            let prepared = prepare_page(&w, case, role).await;
            let browser = match (role, &prepared.user) {
                (Some(_), Some(fresh)) => {
                    Browser::login(&w.t, &fresh.user.email, &fresh.password).await
                }
                (Some(role), None) => {
                    Browser::login(&w.t, &w.staff.user(role).user.email, PASSWORD).await
                }
                (None, _) => Browser::anonymous(&w.t),
            };
            let data_before = w.t.data_counts().await;
            let head = w.t.audit_head().await;
            let r = if case.method == Method::GET {
                browser.get(&prepared.path).await
            } else {
                let fields: Vec<(&str, &str)> = prepared
                    .fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                browser.post(&prepared.path, &fields).await
            };
            let who = role.map_or("anonymous".to_owned(), |r| r.to_string());
            let location = r.header("location").to_owned();
            let allowed = role.map_or(public, |role| row.allowed[&role]);
            if allowed {
                let (status, to) = expected_success(case, role);
                assert_eq!(
                    r.status.as_u16(),
                    status,
                    "{} as {who}: {} {location}",
                    case.key(),
                    r.text
                );
                match to {
                    Some(to) => assert_eq!(location, to, "{} as {who}", case.key()),
                    None => assert!(
                        !location.starts_with("/login"),
                        "{} as {who} was sent to log in",
                        case.key()
                    ),
                }
                continue;
            }
            let rows = w.t.audit_after(head).await;
            assert_eq!(
                w.t.data_counts().await,
                data_before,
                "{} as {who} changed data",
                case.key()
            );
            match role {
                Some(role) => {
                    assert_eq!(
                        r.status.as_u16(),
                        403,
                        "{} as {who}: {}",
                        case.key(),
                        r.text
                    );
                    assert!(r.text.contains("forbidden"), "{} as {who}", case.key());
                    assert_eq!(rows.len(), 1, "{} as {who}: {rows:#?}", case.key());
                    let e = &rows[0].event;
                    assert_eq!(e.outcome, AuditOutcome::Denied, "{}", case.key());
                    assert_eq!(e.actor_id, Some(w.staff.user(role).user.id));
                    assert_eq!(e.object_type, ObjectType::Route, "{}", case.key());
                    assert_eq!(e.object_id.as_deref(), Some(case.key().as_str()));
                    let action = match case.method.as_str() {
                        "GET" => AuditAction::Read,
                        _ => AuditAction::Create,
                    };
                    assert_eq!(e.action, action, "{}", case.key());
                }
                None => {
                    assert_eq!(
                        r.status.as_u16(),
                        303,
                        "{} anonymous: {}",
                        case.key(),
                        r.text
                    );
                    assert!(
                        location.starts_with("/login?next="),
                        "{} anonymous: {location}",
                        case.key()
                    );
                    assert!(rows.is_empty(), "{} anonymous: {rows:#?}", case.key());
                }
            }
        }
    }
}

on_every_backend!(every_page_as_every_role);
