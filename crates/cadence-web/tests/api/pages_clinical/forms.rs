//! The questionnaire, screening and course forms: what they ask, CSRF first, refused input
//! re-rendered with the problem named and nothing stored, and the plan preview.

use super::*;

async fn the_phq9_form(backend: Backend) {
    let w = World::new(backend).await;
    let p = w.patient().await;
    let b = Browser::login(&w, Role::Nurse).await;
    let r = b
        .get(&format!("/patients/{p}/assessments/new?instrument=phq9"))
        .await;
    r.expect(200);
    for n in 1..=9 {
        for v in 0..=3 {
            let input = format!("type=\"radio\" id=\"item{n}-{v}\" name=\"item{n}\" value=\"{v}\"");
            assert!(r.text.contains(&input), "no {input}");
        }
        assert!(r.text.contains(&format!("<label for=\"item{n}-0\">")));
    }
    assert!(!r.text.contains("value=\"4\""));
    assert!(
        r.text
            .contains("<legend>9. Thoughts that you would be better off dead")
    );
    assert!(r.text.contains("Optional; not scored."));
    assert!(r.text.contains("name=\"taken_at\" type=\"date\""));
    // Unlicensed wording is not shown; the C-SSRS radios are item1..item7.
    let r = b
        .get(&format!(
            "/patients/{p}/assessments/new?instrument=cssrs_screen"
        ))
        .await;
    r.expect(200);
    assert!(r.text.contains("name=\"item7\"") && !r.text.contains("name=\"item8\""));
    assert!(r.text.contains("Item wording is not shown"));
    let r = b
        .get(&format!("/patients/{p}/assessments/new?instrument=nope"))
        .await;
    r.expect(422);
    assert!(r.text.contains("unknown_instrument"));
}

async fn forms_check_the_csrf_token_first(backend: Backend) {
    let w = World::new(backend).await;
    let (p, course) = seeded(&w, "iv-ketamine-6").await;
    let s = first_session(&w, course).await;
    let b = Browser::login(&w, Role::Clinician).await;
    let other = Browser::login(&w, Role::Clinician).await;
    let before = w.t.data_counts().await;
    let form = phq9_form(["3", "3", "3", "3", "3", "3", "3", "3", "3"]);
    let mut fields = pairs(&form);
    fields.push(("csrf_token", other.csrf.as_str()));
    let targets = [
        format!("/patients/{p}/assessments/new?instrument=phq9"),
        format!("/patients/{p}/screening"),
        format!("/patients/{p}/courses"),
        format!("/patients/{p}/courses/{course}/decisions"),
        format!("/sessions/{s}/pre-checks"),
        format!("/sessions/{s}/administration"),
        format!("/sessions/{s}/monitoring"),
        format!("/sessions/{s}/discharge"),
        format!("/sessions/{s}/status"),
    ];
    for path in &targets {
        for attempt in [fields.clone(), pairs(&form)] {
            let r = b.post_raw(path, &attempt).await;
            assert_eq!(r.status.as_u16(), 403, "{path}: {}", r.text);
            assert!(r.text.contains("csrf_failed"), "{path}: {}", r.text);
        }
    }
    assert_eq!(w.t.data_counts().await, before);
}

async fn invalid_answers_re_render_and_store_nothing(backend: Backend) {
    let w = World::new(backend).await;
    let p = w.patient().await;
    let b = Browser::login(&w, Role::Clinician).await;
    let before = w.t.data_counts().await;
    let form = phq9_form(["2", "1", "7", "0", "0", "0", "0", "0", "0"]);
    let r = b
        .post(
            &format!("/patients/{p}/assessments/new?instrument=phq9"),
            &pairs(&form),
        )
        .await;
    r.expect(422);
    assert!(
        r.text.contains("item3: 7 is out of range; allowed 0-3"),
        "{}",
        r.text
    );
    assert!(r.text.contains("invalid_answers"));
    assert!(r.text.contains("name=\"item1\" value=\"2\" checked"));
    assert!(r.text.contains("name=\"item2\" value=\"1\" checked"));
    // A missing required item is named too.
    let form = phq9_form(["2", "", "1", "0", "0", "0", "0", "0", "0"]);
    let r = b
        .post(
            &format!("/patients/{p}/assessments/new?instrument=phq9"),
            &pairs(&form),
        )
        .await;
    r.expect(422);
    assert!(r.text.contains("item2 is required"));
    // A C-SSRS follow-up left blank after a "yes" is named by its key.
    let form = [
        ("instrument", "cssrs_screen"),
        ("item1", "1"),
        ("item2", "1"),
        ("item6", "0"),
    ];
    let r = b
        .post(
            &format!("/patients/{p}/assessments/new?instrument=cssrs_screen"),
            &form,
        )
        .await;
    r.expect(422);
    assert!(r.text.contains("q3 is required"), "{}", r.text);
    assert_eq!(w.t.data_counts().await, before);
}

async fn screening_shows_the_outcome(backend: Backend) {
    let w = World::new(backend).await;
    let p = w.patient().await;
    let b = Browser::login(&w, Role::Clinician).await;
    let r = b.get(&format!("/patients/{p}/screening")).await;
    r.expect(200);
    // Born 1980-05-17; the kit's today is 2026-03-02.
    assert!(r.text.contains(
        "name=\"age_years\" type=\"number\" min=\"0\" max=\"130\" required value=\"45\""
    ));
    assert!(r.text.contains("<label for=\"condition-psychosis\""));
    assert!(r.text.contains("value=\"maoi\""));
    let r = b
        .post(
            &format!("/patients/{p}/screening"),
            &[
                ("route", "esketamine"),
                ("age_years", "45"),
                ("conditions", "aneurysmal_vascular_disease"),
                ("conditions", "psychosis"),
                ("medications", "benzodiazepine"),
                ("failed_adequate_trials", "3"),
                ("rems_enrolled", "unknown"),
                ("maudsley_duration_months", "30"),
                ("maudsley_severity", "severe"),
                ("maudsley_failed", "3"),
            ],
        )
        .await;
    let location = see_other(&r);
    assert!(location.starts_with(&format!("/patients/{p}/screening?result=")));
    let r = b.get(&location).await;
    r.expect(200);
    for expected in [
        "Not eligible",
        "<code>aneurysmal_vascular_disease</code>",
        "<code>psychosis</code>",
        "<code>benzodiazepine</code>",
        "Absolute contraindication",
        "Maudsley stage: ",
        " of 15 (",
    ] {
        assert!(r.text.contains(expected), "no {expected}: {}", r.text);
    }
    // Unusable input re-renders with the field named and stores nothing.
    let before = w.t.data_counts().await;
    let r = b
        .post(
            &format!("/patients/{p}/screening"),
            &[
                ("route", "iv_ketamine"),
                ("age_years", "45"),
                ("failed_adequate_trials", "2"),
                ("bp_systolic", "150"),
                ("conditions", "psychosis"),
            ],
        )
        .await;
    r.expect(422);
    assert!(r.text.contains("diastolic"));
    assert!(r.text.contains("value=\"psychosis\" checked"));
    assert_eq!(w.t.data_counts().await, before);
}

async fn course_preview_then_start(backend: Backend) {
    let w = World::new(backend).await;
    let p = w.patient().await;
    let screening = json!({ "route": "iv_ketamine", "failed_adequate_trials": 2,
                            "medications": ["benzodiazepine"] });
    w.as_clinician(
        Method::POST,
        &format!("/api/v1/patients/{p}/screenings"),
        Some(screening),
    )
    .await
    .expect(201);
    let b = Browser::login(&w, Role::Clinician).await;
    let today = w.t.today().to_string();
    let r = b.get(&format!("/patients/{p}/courses/new")).await;
    r.expect(200);
    assert!(
        r.text
            .contains(&format!("hx-get=\"/patients/{p}/courses/preview\""))
    );
    assert!(r.text.contains("id=\"plan-preview\""));
    assert!(
        r.text.contains("value=\"iv-ketamine-6\"") && r.text.contains("value=\"esketamine-label\"")
    );
    let before = w.t.data_counts().await;
    let r = b
        .get(&format!(
            "/patients/{p}/courses/preview?protocol=iv-ketamine-6&start_date={today}"
        ))
        .await;
    r.expect(200);
    assert!(r.text.contains("Proposed plan"));
    assert!(r.text.contains("Induction: 6 sessions"));
    assert!(r.text.contains(&format!("<td>{today}</td>")));
    assert!(!r.text.contains("<html"), "the partial has no layout");
    // Without JavaScript: the same page with the fields as query parameters.
    let r = b
        .get(&format!(
            "/patients/{p}/courses/new?protocol=esketamine-label&start_date={today}"
        ))
        .await;
    r.expect(200);
    assert!(r.text.contains("Induction: 8 sessions"));
    assert!(r.text.contains("value=\"esketamine-label\" selected"));
    // A date in the past has no plan and says why.
    let r = b
        .get(&format!(
            "/patients/{p}/courses/preview?protocol=iv-ketamine-6&start_date=2020-01-01"
        ))
        .await;
    r.expect(200);
    assert!(r.text.contains("start_in_past"));
    assert_eq!(w.t.data_counts().await, before, "previews store nothing");
    // The screening needs review (a benzodiazepine): the course starts only with the
    // clinician's reason, which the page asks for.
    let r = b
        .post(
            &format!("/patients/{p}/courses"),
            &[("protocol", "iv-ketamine-6"), ("start_date", &today)],
        )
        .await;
    r.expect(409);
    assert!(r.text.contains("screening_needs_review"), "{}", r.text);
    assert_eq!(w.t.data_counts().await, before, "nothing started");
    let r = b
        .post(
            &format!("/patients/{p}/courses"),
            &[
                ("protocol", "iv-ketamine-6"),
                ("start_date", &today),
                (
                    "screening_override",
                    "Benzodiazepine reviewed: lorazepam stopped 2 weeks ago",
                ),
            ],
        )
        .await;
    assert_eq!(see_other(&r), format!("/patients/{p}"));
    let r = w
        .as_clinician(Method::GET, &format!("/api/v1/patients/{p}/courses"), None)
        .await;
    assert_eq!(r.expect(200).json.as_array().unwrap().len(), 1);
    let r = b
        .post(
            &format!("/patients/{p}/courses"),
            &[("protocol", "nope"), ("start_date", &today)],
        )
        .await;
    r.expect(422);
    assert!(r.text.contains("unknown_protocol"));
}

on_every_backend!(
    the_phq9_form,
    forms_check_the_csrf_token_first,
    invalid_answers_re_render_and_store_nothing,
    screening_shows_the_outcome,
    course_preview_then_start,
);
