//! The chart: what a clinician and front desk see, the suicide-risk and safety-hold alerts, and
//! the decision form.

use super::*;

async fn chart_for_a_clinician(backend: Backend) {
    let w = World::new(backend).await;
    let (p, course) = seeded(&w, "iv-ketamine-6").await;
    let b = Browser::login(&w, Role::Clinician).await;
    let r = b.get(&format!("/patients/{p}")).await;
    assert!(r.text.contains("no price list"));
    // With a price list the forecasts carry their cost.
    let admin = w.t.actor(w.staff.user(Role::Admin));
    let prices = "currency = \"USD\"\n[per_session]\niv_ketamine = 450.00\n";
    w.t.app.set_price_list(&admin, prices).await.unwrap();
    let r = b.get(&format!("/patients/{p}")).await;
    r.expect(200);
    assert!(!r.text.contains("no price list"));
    assert!(r.text.contains("<td>USD 7650.00 (range USD "), "{}", r.text);
    assert_eq!(r.header("cache-control"), "no-store");
    assert!(
        r.header("content-security-policy")
            .contains("default-src 'self'")
    );
    let html = &r.text;
    for expected in [
        "Ada Lovelace",
        "Latest scores",
        "16 / 27",
        "Moderately severe",
        "id=\"trajectory\"",
        "role=\"img\"",
        "<title id=\"trajectory-title\">PHQ-9 over time</title>",
        "class=\"score-point\" data-total=\"16\"",
        "Baseline: 16",
        "Response (50% fall): 8",
        "Remission: 4 or less",
        "Phase</dt><dd>Induction",
        "id=\"suggestion\"",
        "never changes the course by itself",
        "How many treatments",
        "26 weeks",
        "52 weeks",
        &format!("/patients/{p}/courses/{course}/decisions"),
        &format!("/patients/{p}/assessments/new?instrument=phq9"),
        &format!("/patients/{p}/screening"),
        "href=\"/sessions/",
    ] {
        assert!(
            html.contains(expected),
            "the chart lacks {expected}: {html}"
        );
    }
    // A course is active: no "start a course" link.
    assert!(!html.contains(&format!("/patients/{p}/courses/new")));
    // The trajectory updates after a new PHQ-9.
    let mut form = phq9_form(["1", "1", "1", "1", "1", "1", "1", "1", "0"]);
    form.push(("instrument".into(), "phq9"));
    let r = b
        .post(
            &format!("/patients/{p}/assessments/new?instrument=phq9"),
            &pairs(&form),
        )
        .await;
    let location = see_other(&r);
    assert!(location.starts_with(&format!("/patients/{p}?saved=")));
    let r = b.get(&location).await;
    r.expect(200);
    assert_eq!(r.text.matches("class=\"score-point\"").count(), 2);
    assert!(r.text.contains("data-total=\"8\""));
    assert!(r.text.contains("Saved: PHQ-9"));
    assert!(!r.text.contains("Suicide-risk item positive"));
    // An unknown patient is the page-level 404.
    let r = b.get("/patients/999999").await;
    r.expect(404);
    assert!(r.text.contains("not_found"));
}

async fn front_desk_sees_no_scores(backend: Backend) {
    let w = World::new(backend).await;
    let (p, _) = seeded(&w, "iv-ketamine-6").await;
    let b = Browser::login(&w, Role::FrontDesk).await;
    let r = b.get(&format!("/patients/{p}")).await;
    r.expect(200);
    let html = &r.text;
    assert!(html.contains("Ada Lovelace") && html.contains("Booked sessions"));
    assert!(html.contains("href=\"/sessions/") && html.contains("Next session"));
    // Front desk sees bookings and the next date, not the plan or the phase (issue 15 §10).
    for hidden in [
        "<h3>Plan</h3>",
        "<dt>Phase</dt>",
        "How many treatments",
        "score-point",
        "Latest scores",
        "16 / 27",
        "id=\"suggestion\"",
        "id=\"decide\"",
        "id=\"decisions\"",
        "assessments/new",
        "How many treatments",
    ] {
        assert!(!html.contains(hidden), "front desk sees {hidden}");
    }
    // The session page shows the booking and the status form, no clinical sections.
    let s = html
        .split("href=\"/sessions/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let r = b.get(&format!("/sessions/{s}")).await;
    r.expect(200);
    assert!(r.text.contains("Booking status"));
    assert!(!r.text.contains("Pre-checks") && !r.text.contains("rems-summary"));
    // Forms a role may not use are refused.
    let r = b.get(&format!("/patients/{p}/assessments/new")).await;
    r.expect(403);
    assert!(r.text.contains("forbidden"));
}

async fn suicide_risk_alerts_on_the_chart(backend: Backend) {
    let w = World::new(backend).await;
    let (p, course) = seeded(&w, "iv-ketamine-6").await;
    let b = Browser::login(&w, Role::Nurse).await;
    let form = phq9_form(["1", "1", "1", "1", "1", "1", "1", "1", "2"]);
    let r = b
        .post(
            &format!("/patients/{p}/assessments/new?instrument=phq9"),
            &pairs(&form),
        )
        .await;
    let location = see_other(&r);
    let r = b.get(&location).await;
    r.expect(200);
    // One alert for the one finding, at the top.
    let alert = "<div class=\"alert\" role=\"alert\"><strong>Alert:</strong> Suicide-risk item \
                 answered: PHQ-9 item 9 (thoughts of death or self-harm) answered 2";
    assert!(r.text.contains(alert), "{}", r.text);
    assert_eq!(r.text.matches("role=\"alert\"><strong>Alert:").count(), 1);
    assert!(r.text.contains("Suicide risk: same-day clinician review"));
    assert!(r.text.contains("Hold for clinician review (safety)"));
    // A decision that names no finding does not release it (issue 13: a decision is not a
    // review of what it does not name).
    let clinician = Browser::login(&w, Role::Clinician).await;
    let r = clinician.get(&format!("/patients/{p}")).await;
    assert!(
        r.text
            .contains("<option value=\"\">Choose a decision</option>")
            && !r.text.contains("<option value=\"continue\" selected>"),
        "a hold pre-selects nothing: {}",
        r.text
    );
    let finding = w
        .as_clinician(Method::GET, &format!("/api/v1/patients/{p}/findings"), None)
        .await
        .json[0]["id"]
        .as_i64()
        .unwrap();
    assert!(
        r.text
            .contains(&format!("name=\"release\" value=\"{finding}\""))
    );
    let decide = |fields: Vec<(&'static str, String)>| {
        let url = format!("/patients/{p}/courses/{course}/decisions");
        let clinician = &clinician;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            clinician.post(&url, &pairs).await
        }
    };
    see_other(&decide(vec![("decision", "continue".into())]).await);
    let r = clinician.get(&format!("/patients/{p}")).await;
    assert_eq!(r.text.matches("role=\"alert\"><strong>Alert:").count(), 1);
    // Releasing it needs a note.
    let r = decide(vec![
        ("decision", "continue".into()),
        ("release", finding.to_string()),
    ])
    .await;
    r.expect(422);
    assert!(r.text.contains("note_required"), "{}", r.text);
    see_other(
        &decide(vec![
            ("decision", "continue".into()),
            ("release", finding.to_string()),
            (
                "note",
                "Seen in person: passive thoughts, no plan; safety plan".into(),
            ),
        ])
        .await,
    );
    let r = clinician.get(&format!("/patients/{p}")).await;
    assert!(
        !r.text.contains("role=\"alert\"><strong>Alert:"),
        "{}",
        r.text
    );
    assert!(r.text.contains("released by clinician"), "{}", r.text);
    assert!(r.text.contains("Seen in person: passive thoughts"));
    // The decision is marked on the trajectory.
    assert!(r.text.contains(&format!(
        "<title>{}: decision Continue as planned</title>",
        w.t.today()
    )));
}

async fn decisions_are_recorded_from_the_chart(backend: Backend) {
    let w = World::new(backend).await;
    let (p, course) = seeded(&w, "iv-ketamine-6").await;
    let b = Browser::login(&w, Role::Clinician).await;
    let r = b.get(&format!("/patients/{p}")).await;
    assert!(
        r.text.contains("<option value=\"continue\" selected>"),
        "{}",
        r.text
    );
    let path = format!("/patients/{p}/courses/{course}/decisions");
    let r = b
        .post(
            &path,
            &[("decision", "continue"), ("note", "Tolerating well.")],
        )
        .await;
    assert_eq!(see_other(&r), format!("/patients/{p}#decisions"));
    let r = b.get(&format!("/patients/{p}")).await;
    assert!(
        r.text
            .contains("<td>Continue as planned</td><td>continue</td><td>Tolerating well.</td>")
    );
    // Another patient's course is not found through this patient.
    let other = w.patient().await;
    let r = b
        .post(
            &format!("/patients/{other}/courses/{course}/decisions"),
            &[("decision", "continue")],
        )
        .await;
    r.expect(404);
    // Nurses do not decide.
    let nurse = Browser::login(&w, Role::Nurse).await;
    let before = w.t.data_counts().await;
    let r = nurse.post(&path, &[("decision", "continue")]).await;
    r.expect(403);
    assert!(r.text.contains("forbidden"));
    assert_eq!(w.t.data_counts().await, before);
    // An unknown decision re-renders the chart with the note kept.
    let r = b
        .post(&path, &[("decision", "retire"), ("note", "kept note")])
        .await;
    r.expect(422);
    assert!(r.text.contains("unknown_decision") && r.text.contains(">kept note</textarea>"));
}

on_every_backend!(
    chart_for_a_clinician,
    front_desk_sees_no_scores,
    suicide_risk_alerts_on_the_chart,
    decisions_are_recorded_from_the_chart,
);
