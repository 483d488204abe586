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
    assert!(r.text.contains("birth_date must be a date"), "{}", r.text);
    assert!(r.text.contains("value=\"Typed\"") && r.text.contains("value=\"06/05/1981\""));
    let r = post(
        &t,
        "/patients",
        Some(&s.cookie),
        &good(HOSTILE[0], "Iris", "Typed"),
    )
    .await;
    r.expect(422);
    assert!(r.text.contains("mrn may contain only"), "{}", r.text);
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
);
