//! The patient list (search, phase filter, paging) and registration.

use super::{HOSTILE, assert_escaped, demo, encode, get, login, post};
use crate::support::{Backend, TestApp, TestResponse, on_every_backend};
use cadence_app::demo::demo_clinic;
use cadence_app::records::Role;

async fn patients_are_searched_and_filtered_by_phase(backend: Backend) {
    let t = demo(backend).await;
    let s = login(&t, "nurse").await;
    let names = |r: &TestResponse| -> Vec<&'static str> {
        ["Ada", "Ben", "Cleo", "Dev", "Eve", "Finn", "Gus", "Hana"]
            .into_iter()
            .filter(|n| r.text.contains(&format!(", {n}</a>")))
            .collect()
    };
    let r = get(&t, "/patients", Some(&s.cookie)).await;
    r.expect(200);
    assert_eq!(names(&r).len(), 8, "{}", r.text);
    let r = get(&t, "/patients?search=cleo", Some(&s.cookie)).await;
    assert_eq!(names(r.expect(200)), ["Cleo"]);
    let r = get(&t, "/patients?search=DEMO-006&phase=all", Some(&s.cookie)).await;
    assert_eq!(names(r.expect(200)), ["Finn"]);
    for (phase, expected) in [
        ("screening", vec!["Ada"]),
        ("maintenance", vec!["Dev", "Eve"]),
        ("discontinued", vec!["Finn"]),
        ("induction", vec!["Ben", "Cleo", "Gus", "Hana"]),
    ] {
        let r = get(&t, &format!("/patients?phase={phase}"), Some(&s.cookie)).await;
        let mut found = names(r.expect(200));
        found.sort_unstable();
        assert_eq!(found, expected, "{phase}");
    }
    // The phase and the next booked session are shown.
    let r = get(&t, "/patients?search=Dev", Some(&s.cookie)).await;
    assert!(r.text.contains(">Maintenance</span>"), "{}", r.text);
    assert!(
        r.text.contains("2026-03-16"),
        "Dev's next session: {}",
        r.text
    );
    // A hostile search is echoed escaped.
    for hostile in HOSTILE {
        let r = get(
            &t,
            &format!("/patients?search={}", encode(hostile)),
            Some(&s.cookie),
        )
        .await;
        r.expect(200);
        assert!(!r.text.contains(hostile), "{}", r.text);
    }
}

async fn the_patient_list_pages(backend: Backend) {
    let t = demo(backend).await;
    let clinic = demo_clinic(&t.app).await.unwrap();
    let user = t
        .store
        .find_user_by_email("frontdesk@demo.test")
        .await
        .unwrap();
    let actor = cadence_app::Actor {
        user_id: user.id,
        clinic_id: clinic,
        role: Role::FrontDesk,
        request_id: "test".into(),
    };
    for i in 0..52 {
        let details = cadence_app::records::PatientDetails {
            mrn: format!("PAGE-{i:02}"),
            given_name: "Page".into(),
            family_name: format!("Zz{i:02}"),
            birth_date: "1980-01-01".parse().unwrap(),
            sex: cadence_app::records::Sex::Unknown,
            weight_kg: None,
            weight_measured_on: None,
            contact: Default::default(),
        };
        t.app.create_patient(&actor, details).await.unwrap();
    }
    let s = login(&t, "frontdesk").await;
    let r = get(&t, "/patients?search=page-", Some(&s.cookie)).await;
    r.expect(200);
    assert!(r.text.contains("Patients 1-50 of 52"), "{}", r.text);
    assert!(r.text.contains("Zz49, Page") && !r.text.contains("Zz50, Page"));
    // The link's `&` is escaped in the attribute (askama writes `&#38;`).
    let next = "/patients?search=page-&#38;phase=all&#38;from=50";
    assert!(r.text.contains(next), "{}", r.text);
    let r = get(&t, &next.replace("&#38;", "&"), Some(&s.cookie)).await;
    r.expect(200);
    assert!(r.text.contains("Patients 51-52 of 52"), "{}", r.text);
    assert!(r.text.contains("Zz51, Page") && !r.text.contains("Zz49, Page"));
    assert!(r.text.contains("Previous patients"));
}

async fn registering_a_patient(backend: Backend) {
    let t = demo(backend).await;
    let s = login(&t, "frontdesk").await;
    let r = get(&t, "/patients/new", Some(&s.cookie)).await;
    r.expect(200);
    for field in [
        "given_name",
        "family_name",
        "birth_date",
        "mrn",
        "sex",
        "weight_kg",
    ] {
        assert!(r.text.contains(&format!("name=\"{field}\"")), "{field}");
        assert!(
            r.text.contains(&format!("for=\"{field}\"")),
            "label for {field}"
        );
    }
    let count = || async { patients(&t).await };
    let before = count().await;
    let good = |mrn: &'static str, given: &'static str, family: &'static str| {
        vec![
            ("csrf_token", s.csrf.as_str()),
            ("given_name", given),
            ("family_name", family),
            ("birth_date", "1981-05-06"),
            ("mrn", mrn),
            ("sex", "female"),
            ("weight_kg", "64.5"),
        ]
    };
    let r = post(
        &t,
        "/patients",
        Some(&s.cookie),
        &good("NEW-1", HOSTILE[0], HOSTILE[1]),
    )
    .await;
    r.expect(303);
    assert!(r.header("location").starts_with("/patients/"), "{r:?}");
    assert_eq!(count().await, before + 1);

    // Bad input: the message, the typed values (escaped), nothing stored.
    let mut bad = good("NEW-2", "Iris", "Typed");
    bad[3] = ("birth_date", "06/05/1981");
    let r = post(&t, "/patients", Some(&s.cookie), &bad).await;
    r.expect(422);
    assert!(r.text.contains("birth date must be a date"), "{}", r.text);
    assert!(r.text.contains("value=\"Typed\"") && r.text.contains("value=\"06/05/1981\""));
    let r = post(
        &t,
        "/patients",
        Some(&s.cookie),
        &good(HOSTILE[0], "Iris", "Typed"),
    )
    .await;
    r.expect(422);
    assert!(r.text.contains("MRN may contain only"), "{}", r.text);
    assert_escaped(&r, "the rejected MRN");
    let r = post(
        &t,
        "/patients",
        Some(&s.cookie),
        &good("NEW-1", "Iris", "Again"),
    )
    .await;
    r.expect(422);
    assert!(r.text.contains("already exists"), "{}", r.text);
    assert_eq!(count().await, before + 1);

    // The hostile name is listed escaped.
    let r = get(&t, "/patients?search=alert", Some(&s.cookie)).await;
    r.expect(200);
    assert_escaped(&r, "the patient list");
    // Without the CSRF token: refused, nothing stored.
    let mut no_token = good("NEW-3", "Jo", "Token");
    no_token.remove(0);
    let r = post(&t, "/patients", Some(&s.cookie), &no_token).await;
    r.expect(403);
    assert!(r.text.contains("csrf_failed"), "{}", r.text);
    assert_eq!(count().await, before + 1);
}

/// Issue 16 §4: a registration without a typed MRN is numbered by the clinic's pattern; the
/// details are edited in the browser (audited as an update, the consent's recorder kept);
/// a bad phone changes nothing; search takes every word of a name, the MRN or the birth date.
async fn numbering_editing_and_searching(backend: Backend) {
    let t = demo(backend).await;
    let s = login(&t, "frontdesk").await;
    let r = post(
        &t,
        "/patients",
        Some(&s.cookie),
        &[
            ("csrf_token", s.csrf.as_str()),
            ("given_name", "Rita"),
            ("family_name", "Eskdale"),
            ("birth_date", "1977-04-05"),
            ("mrn", ""),
            ("sex", "female"),
            ("phone", "+1 555 0142"),
            ("email", "rita@example.org"),
            ("contact_consent", "yes"),
            ("emergency_contact_name", "Sam Eskdale"),
            ("emergency_contact_phone", "+1 555 0143"),
            ("referrer", "Dr. Example"),
        ],
    )
    .await;
    r.expect(303);
    let chart = r.header("location").to_owned();
    let id: i64 = chart.trim_start_matches("/patients/").parse().unwrap();
    // The demo's pattern is DEMO-{n:03} and it has nine patients.
    let r = get(&t, &chart, Some(&s.cookie)).await;
    r.expect(200);
    for shown in [
        "DEMO-010",
        "+1 555 0142",
        "rita@example.org",
        "Sam Eskdale, +1 555 0143",
        "Dr. Example",
        "given",
        "Edit details",
    ] {
        assert!(r.text.contains(shown), "{shown}: {}", r.text);
    }
    // Search by parts of both names, by birth date, by MRN.
    for search in [
        "Rita Esk",
        "esk rit",
        "1977-04-05",
        "demo-010",
        "RITA 1977-04-05",
    ] {
        let r = get(
            &t,
            &format!("/patients?search={}", encode(search)),
            Some(&s.cookie),
        )
        .await;
        assert!(r.text.contains("Eskdale, Rita"), "{search}: {}", r.text);
    }
    let r = get(&t, "/patients?search=Rita%20Ada", Some(&s.cookie)).await;
    assert!(!r.text.contains("Eskdale, Rita"), "every word must match");

    // The edit form is filled from the record; a bad phone is refused and changes nothing.
    let edit = format!("/patients/{id}/edit");
    let r = get(&t, &edit, Some(&s.cookie)).await;
    r.expect(200);
    assert!(r.text.contains("value=\"Eskdale\"") && r.text.contains("value=\"DEMO-010\""));
    let fields = |phone: &'static str, family: &'static str| {
        vec![
            ("csrf_token", s.csrf.as_str()),
            ("given_name", "Rita"),
            ("family_name", family),
            ("birth_date", "1977-04-05"),
            ("mrn", "DEMO-010"),
            ("sex", "female"),
            ("weight_kg", "61.5"),
            ("weight_measured_on", "2026-02-20"),
            ("phone", phone),
            ("contact_consent", "no"),
        ]
    };
    let before = t.audit_head().await;
    let r = post(
        &t,
        &edit,
        Some(&s.cookie),
        &fields("call me", "Eskdale-Moor"),
    )
    .await;
    r.expect(422);
    assert!(
        r.text.contains("phone must be a phone number"),
        "{}",
        r.text
    );
    assert!(
        r.text.contains("value=\"Eskdale-Moor\""),
        "what was typed is kept"
    );
    let api = t
        .api_login("frontdesk@demo.test", cadence_app::demo::DEMO_PASSWORD)
        .await;
    let stored = t
        .request(
            axum::http::Method::GET,
            &format!("/api/v1/patients/{id}"),
            Some(&api),
            None,
        )
        .await;
    assert_eq!(stored.json["family_name"], "Eskdale", "nothing changed");
    let r = post(
        &t,
        &edit,
        Some(&s.cookie),
        &fields("+1 555 0199", "Eskdale-Moor"),
    )
    .await;
    r.expect(303);
    let updates: Vec<_> = t
        .audit_after(before)
        .await
        .into_iter()
        .filter(|r| {
            r.event.action.as_str() == "update" && r.event.object_type.as_str() == "patient"
        })
        .collect();
    assert_eq!(updates.len(), 1, "the edit is audited once");
    let stored = t
        .request(
            axum::http::Method::GET,
            &format!("/api/v1/patients/{id}"),
            Some(&api),
            None,
        )
        .await;
    assert_eq!(stored.json["family_name"], "Eskdale-Moor");
    assert_eq!(stored.json["contact_consent"], false);
    assert_eq!(stored.json["weight_measured_on"], "2026-02-20");
    assert!(stored.json["contact_consent_recorded"]["recorded_at"].is_string());
    let r = get(&t, &chart, Some(&s.cookie)).await;
    assert!(r.text.contains("61.5 kg (taken 2026-02-20)"), "{}", r.text);
    // A nurse may not edit demographics.
    let nurse = login(&t, "nurse").await;
    get(&t, &edit, Some(&nurse.cookie)).await.expect(403);
}

/// Issue 15 §10: front desk sees bookings, not plans: the list has no phase column or filter,
/// and asking for a phase does not narrow the list (which would reveal a discontinuation).
async fn front_desk_sees_no_phase(backend: Backend) {
    let t = demo(backend).await;
    let s = login(&t, "frontdesk").await;
    let r = get(&t, "/patients", Some(&s.cookie)).await;
    r.expect(200);
    assert!(!r.text.contains(">Phase<"), "{}", r.text);
    assert!(!r.text.contains(">Discontinued</span>") && !r.text.contains(">Maintenance</span>"));
    let all = r.text.matches("<th scope=\"row\">").count();
    let r = get(&t, "/patients?phase=discontinued", Some(&s.cookie)).await;
    r.expect(200);
    assert_eq!(
        r.text.matches("<th scope=\"row\">").count(),
        all,
        "the filter is ignored"
    );
    let nurse = login(&t, "nurse").await;
    let r = get(&t, "/patients", Some(&nurse.cookie)).await;
    assert!(r.text.contains(">Phase<") && r.text.contains(">Discontinued</span>"));
}

async fn patients(t: &TestApp) -> i64 {
    t.data_counts()
        .await
        .into_iter()
        .find(|(table, _)| *table == "patients")
        .map(|(_, n)| n)
        .unwrap()
}

on_every_backend!(
    patients_are_searched_and_filtered_by_phase,
    the_patient_list_pages,
    registering_a_patient,
    numbering_editing_and_searching,
    front_desk_sees_no_phase,
);
