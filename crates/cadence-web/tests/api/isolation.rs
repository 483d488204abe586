//! Clinics never see each other's data (security reference ACC-2): another clinic's record
//! is `404 not_found` on every route that takes an id, for reads and writes alike, and lists,
//! schedules and aggregates never include it.

use crate::support::cases::{CASES, Need, prepare};
use crate::support::{Backend, World, on_every_backend};
use axum::http::Method;
use cadence_app::records::Role;

async fn another_clinic_gets_404_for_every_id(backend: Backend) {
    let a = World::new(backend).await;
    let b_staff = a.t.staff("South Clinic").await;
    let b = b_staff.token(Role::Clinician);
    for case in CASES.iter().filter(|c| c.route.contains("{id}")) {
        let prepared = prepare(&a, case, Some(Role::Clinician)).await;
        // What clinic A sees of the record before and after B's attempt.
        let a_view = |path: &str| {
            let path = path.to_owned();
            let a = &a;
            async move {
                let r = a.as_clinician(Method::GET, &path, None).await;
                (r.status, r.json)
            }
        };
        let owner = owner_path(case.need, &prepared.path);
        let before = a_view(&owner).await;
        let data_before = a.t.data_counts().await;
        let head = a.t.audit_head().await;
        let r =
            a.t.request(case.method.clone(), &prepared.path, Some(b), prepared.body)
                .await;
        assert_eq!(
            (r.status.as_u16(), r.code()),
            (404, "not_found"),
            "{} from another clinic: {}",
            case.key(),
            r.text
        );
        assert_eq!(a.t.data_counts().await, data_before, "{}", case.key());
        assert!(
            a.t.audit_after(head).await.is_empty(),
            "a refused access leaves no success row: {}",
            case.key()
        );
        assert_eq!(
            a_view(&owner).await,
            before,
            "{} changed A's record",
            case.key()
        );
    }
}

/// The GET path showing the record a route's `{id}` points at.
fn owner_path(need: Need, path: &str) -> String {
    let id: String = path
        .split('/')
        .find(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .unwrap()
        .to_owned();
    match need {
        Need::Patient | Need::Screened => format!("/api/v1/patients/{id}"),
        Need::Screening => format!("/api/v1/screenings/{id}"),
        Need::Course => format!("/api/v1/courses/{id}"),
        Need::Session | Need::PreChecked | Need::Administered | Need::Discharged => {
            format!("/api/v1/sessions/{id}")
        }
        // No single-finding route: the clinic's open findings show whether it was released.
        Need::Finding => "/api/v1/findings".to_owned(),
        Need::Nothing | Need::FreshUser => unreachable!("no id"),
    }
}

async fn lists_and_aggregates_show_nothing_of_another_clinic(backend: Backend) {
    let a = World::new(backend).await;
    let session = a.session().await;
    let b_staff = a.t.staff("South Clinic").await;
    for role in [Role::Clinician, Role::Nurse, Role::FrontDesk] {
        let r =
            a.t.request(
                Method::GET,
                "/api/v1/patients",
                Some(b_staff.token(role)),
                None,
            )
            .await;
        assert_eq!(r.expect(200).json, serde_json::json!([]), "{role}");
        let r =
            a.t.request(
                Method::GET,
                "/api/v1/patients?search=Lovelace",
                Some(b_staff.token(role)),
                None,
            )
            .await;
        assert_eq!(r.expect(200).json, serde_json::json!([]), "{role}");
        let today = a.t.today();
        let r =
            a.t.request(
                Method::GET,
                &format!("/api/v1/schedule?date={today}"),
                Some(b_staff.token(role)),
                None,
            )
            .await;
        assert_eq!(r.expect(200).json, serde_json::json!([]), "{role}");
    }
    // Clinic A does see its own.
    let today = a.t.today();
    let r = a
        .as_clinician(Method::GET, &format!("/api/v1/schedule?date={today}"), None)
        .await;
    let ids: Vec<i64> = r
        .expect(200)
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&session), "{ids:?}");

    for role in [Role::Researcher, Role::Admin, Role::Clinician] {
        let r =
            a.t.request(
                Method::GET,
                "/api/v1/research/summary",
                Some(b_staff.token(role)),
                None,
            )
            .await;
        assert_eq!(
            r.expect(200).json,
            serde_json::json!({ "patients": 0, "courses": 0, "courses_by_protocol": [] }),
            "{role}"
        );
    }
    let r =
        a.t.request(
            Method::GET,
            "/api/v1/research/summary",
            Some(a.token(Role::Researcher)),
            None,
        )
        .await;
    assert_eq!(
        r.expect(200).json,
        serde_json::json!({
            "patients": 1,
            "courses": 1,
            "courses_by_protocol": [{ "protocol_id": "iv-ketamine-6", "courses": 1 }]
        })
    );
    assert!(
        !r.text.contains("Lovelace") && !r.text.contains("MRN-"),
        "{}",
        r.text
    );
}

on_every_backend!(
    another_clinic_gets_404_for_every_id,
    lists_and_aggregates_show_nothing_of_another_clinic
);
