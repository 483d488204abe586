//! Hostile text in every free-text field the clinical pages render appears only escaped.

use super::*;

async fn hostile_text_is_escaped_everywhere(backend: Backend) {
    let w = World::new(backend).await;
    let r = w
        .as_clinician(
            Method::POST,
            "/api/v1/patients",
            Some(json!({
                "mrn": "MRN-HOSTILE",
                "given_name": SCRIPT,
                "family_name": format!("{ATTRIBUTE} {SQL}"),
                "birth_date": "1980-05-17",
                "sex": "female"
            })),
        )
        .await;
    let p = r.expect(201).id();
    // MRNs are restricted to letters, digits, '-' and '_': hostile text cannot be one.
    let r = w
        .as_clinician(
            Method::POST,
            "/api/v1/patients",
            Some(builders::patient(SCRIPT)),
        )
        .await;
    r.expect(422);
    w.as_clinician(
        Method::POST,
        &format!("/api/v1/patients/{p}/assessments"),
        Some(builders::phq9([1, 1, 1, 1, 1, 1, 1, 1, 0])),
    )
    .await
    .expect(201);
    w.as_clinician(
        Method::POST,
        &format!("/api/v1/patients/{p}/screenings"),
        Some(json!({ "route": "esketamine", "failed_adequate_trials": 2 })),
    )
    .await
    .expect(201);
    let course = w
        .as_clinician(
            Method::POST,
            &format!("/api/v1/patients/{p}/courses"),
            Some(json!({ "protocol": "esketamine-label", "start_date": w.t.today().to_string() })),
        )
        .await
        .expect(201)
        .id();
    w.as_clinician(
        Method::PUT,
        &format!("/api/v1/patients/{p}/rems-enrolment"),
        Some(json!({ "rems_patient_id": "REMS-9", "enrolled_on": w.t.today().to_string() })),
    )
    .await
    .expect(200);
    let s = first_session(&w, course).await;
    let b = Browser::login(&w, Role::Clinician).await;
    let note = format!("{SCRIPT} {ATTRIBUTE} {SQL}");
    see_other(
        &b.post(
            &format!("/patients/{p}/courses/{course}/decisions"),
            &[("decision", "continue"), ("note", &note)],
        )
        .await,
    );
    let page = format!("/sessions/{s}");
    see_other(
        &b.post(
            &format!("{page}/pre-checks"),
            &[
                ("identity_confirmed", "on"),
                ("fasting_confirmed", "on"),
                ("transport_arranged", "on"),
                ("bp_systolic", "120"),
                ("bp_diastolic", "80"),
            ],
        )
        .await,
    );
    see_other(
        &b.post(
            &format!("{page}/administration"),
            &[
                ("route", "esketamine"),
                ("dose_ordered_mg", "56"),
                ("dose_given_mg", "56"),
                ("lot", SCRIPT),
            ],
        )
        .await,
    );
    see_other(
        &b.post(&format!("{page}/monitoring"), &[("spo2", "97")])
            .await,
    );
    see_other(
        &b.post(
            &format!("{page}/addenda"),
            &[("text", SCRIPT), ("reason", &format!("{ATTRIBUTE} {SQL}"))],
        )
        .await,
    );
    let hostile_form = [
        ("route", "esketamine"),
        ("age_years", SCRIPT),
        ("failed_adequate_trials", ATTRIBUTE),
        ("bp_systolic", SQL),
    ];
    let pages = [
        b.get(&format!("/patients/{p}")).await,
        b.get(&format!("/patients/{p}/screening")).await,
        b.get(&format!("/patients/{p}/assessments/new?instrument=phq9"))
            .await,
        b.get(&format!("/patients/{p}/courses/new")).await,
        b.get(&page).await,
        b.post(&format!("/patients/{p}/screening"), &hostile_form)
            .await,
        b.post(
            &format!("/patients/{p}/assessments/new?instrument=phq9"),
            &[("item1", SCRIPT), ("taken_at", ATTRIBUTE)],
        )
        .await,
        b.post(
            &format!("{page}/monitoring"),
            &[("taken_at", SCRIPT), ("adverse_effects", ATTRIBUTE)],
        )
        .await,
        b.post(
            &format!("/patients/{p}/courses/{course}/decisions"),
            &[("decision", SCRIPT), ("note", &note)],
        )
        .await,
        b.get(&format!(
            "/patients/{p}/courses/preview?protocol={}&start_date={}",
            encode(SCRIPT),
            w.t.today()
        ))
        .await,
    ];
    for (i, r) in pages.iter().enumerate() {
        assert!(
            matches!(r.status.as_u16(), 200 | 422),
            "page {i}: {} {}",
            r.status,
            r.text
        );
        assert!(
            !r.text.contains("<script>alert"),
            "page {i} has raw script: {}",
            r.text
        );
        assert!(
            !r.text.contains(ATTRIBUTE),
            "page {i} has a raw attribute break-out"
        );
        assert!(!r.text.contains("'; DROP"), "page {i} has a raw quote");
        assert!(
            r.text.contains(ESCAPED),
            "page {i} does not show the text escaped: {}",
            r.text
        );
    }
    // The patient's name shows escaped on the session record and its REMS summary.
    let session = &pages[4].text;
    assert!(session.contains("id=\"rems-summary\""));
    assert!(session.matches(ESCAPED).count() >= 4);
}

on_every_backend!(hostile_text_is_escaped_everywhere,);
