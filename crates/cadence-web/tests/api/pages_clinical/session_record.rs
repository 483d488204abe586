//! The nurse's session record: pre-checks to discharge, timers, the blood-pressure hold and the
//! esketamine REMS summary.

use super::*;

async fn the_session_record_completes_a_session(backend: Backend) {
    let w = World::new(backend).await;
    let (p, course) = seeded(&w, "iv-ketamine-6").await;
    let s = first_session(&w, course).await;
    let b = Browser::login(&w, Role::Nurse).await;
    let page = format!("/sessions/{s}");
    let r = b.get(&page).await;
    r.expect(200);
    assert!(
        r.text
            .contains("over <strong>140/90 mmHg</strong> holds the session")
    );
    assert!(
        r.text
            .contains("Timers start when the administration is recorded.")
    );
    let r = b
        .post(
            &format!("{page}/pre-checks"),
            &[
                ("identity_confirmed", "on"),
                ("fasting_confirmed", "on"),
                ("transport_arranged", "on"),
                ("bp_systolic", "122"),
                ("bp_diastolic", "78"),
                ("heart_rate", "72"),
                ("spo2", "98"),
            ],
        )
        .await;
    assert_eq!(see_other(&r), format!("{page}#pre-checks"));
    let r = b
        .post(
            &format!("{page}/administration"),
            &[
                ("route", "iv_ketamine"),
                ("dose_ordered_mg", "35"),
                ("dose_given_mg", "35"),
                ("lot", "LOT-1"),
            ],
        )
        .await;
    see_other(&r);
    let r = b.get(&page).await;
    // The clock is at 15:00 UTC: the BP re-check falls at 15:40.
    assert!(r.text.contains("BP due at <time datetime=\"2026-03-02T15:40:00Z\" data-due=\"2026-03-02T15:40:00Z\">15:40</time> (40 min)"), "{}", r.text);
    assert!(r.text.contains("hx-get=\"/sessions/"));
    let r = b.get(&format!("{page}/timers")).await;
    r.expect(200);
    assert!(r.text.starts_with("<div id=\"timers\""));
    // Time passes in steps shorter than the idle timeout, the logins staying active.
    for minutes in [10, 10, 10, 11] {
        w.t.advance(jiff::SignedDuration::from_mins(minutes));
        b.get(&format!("{page}/timers")).await.expect(200);
        w.as_clinician(Method::GET, &format!("/api/v1/sessions/{s}"), None)
            .await
            .expect(200);
    }
    let r = b.get(&format!("{page}/timers")).await;
    assert!(r.text.contains("due now"));
    let r = b
        .post(
            &format!("{page}/monitoring"),
            &[
                ("bp_systolic", "134"),
                ("bp_diastolic", "84"),
                ("spo2", "97"),
                ("moaas", "4"),
                ("cadss", "6"),
                ("adverse_effects", "nausea"),
            ],
        )
        .await;
    see_other(&r);
    let r = b.get(&page).await;
    assert!(r.text.contains("+41 min"));
    assert!(r.text.contains("Dissociation (CADSS over 4)"));
    assert!(r.text.contains("done: a reading is recorded"));
    let r = b
        .post(
            &format!("{page}/discharge"),
            &[
                ("moaas", "5"),
                ("bp_systolic", "124"),
                ("bp_diastolic", "80"),
                ("clinically_stable", "on"),
                ("escort_present", "on"),
            ],
        )
        .await;
    see_other(&r);
    let r = w
        .as_clinician(Method::GET, &format!("/api/v1/sessions/{s}"), None)
        .await;
    assert_eq!(r.expect(200).json["status"], "completed");
    let r = b.get(&page).await;
    assert!(r.text.contains("Completed"));
    for section in [
        "pre-checks",
        "administration",
        "monitoring",
        "discharge",
        "status",
    ] {
        assert!(
            !r.text.contains(&format!("action=\"{page}/{section}\"")),
            "a completed record takes no {section}"
        );
    }
    // Each step shows who recorded it; what follows are addenda.
    assert!(
        r.text.contains("<strong>Pre-checks reading</strong>"),
        "{}",
        r.text
    );
    assert!(r.text.contains(", by nurse"), "{}", r.text);
    assert!(r.text.contains(&format!("action=\"{page}/addenda\"")));
    // IV ketamine: no REMS summary.
    assert!(!r.text.contains("rems-summary"));
    let chart = b.get(&format!("/patients/{p}")).await;
    assert!(chart.text.contains("class=\"session-completed\""));
}

async fn blood_pressure_over_threshold_holds(backend: Backend) {
    let w = World::new(backend).await;
    let (_, course) = seeded(&w, "iv-ketamine-6").await;
    let s = first_session(&w, course).await;
    let b = Browser::login(&w, Role::Nurse).await;
    let page = format!("/sessions/{s}");
    let r = b
        .post(
            &format!("{page}/pre-checks"),
            &[
                ("identity_confirmed", "on"),
                ("fasting_confirmed", "on"),
                ("transport_arranged", "on"),
                ("bp_systolic", "152"),
                ("bp_diastolic", "96"),
            ],
        )
        .await;
    see_other(&r);
    let r = b.get(&page).await;
    assert!(
        r.text.contains(
            "class=\"alert\" role=\"alert\">\n<h2 id=\"holds\">Held for clinician review</h2>"
        ),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("Pre-dose blood pressure 152/96 mmHg is above the protocol")
    );
    assert!(
        r.text
            .contains("152/96 mmHg <span class=\"badge alert-badge\">over threshold</span>")
    );
    // The dose form is not shown while held, and a nurse sees no release form.
    assert!(
        !r.text
            .contains(&format!("action=\"{page}/administration\""))
    );
    assert!(!r.text.contains(&format!("action=\"{page}/releases\"")));
    // Administration is refused on a held session; the message shows next to the form.
    let before = w.t.data_counts().await;
    let r = b
        .post(
            &format!("{page}/administration"),
            &[
                ("route", "iv_ketamine"),
                ("dose_ordered_mg", "35"),
                ("dose_given_mg", "35"),
                ("lot", "L"),
            ],
        )
        .await;
    r.expect(422);
    assert!(r.text.contains("session_held"));
    assert_eq!(w.t.data_counts().await, before);
    // Refused vitals are named and kept.
    let r = b
        .post(
            &format!("{page}/pre-checks"),
            &[("bp_systolic", "400"), ("bp_diastolic", "80")],
        )
        .await;
    r.expect(422);
    assert!(
        r.text
            .contains("systolic blood pressure 400 is outside 50-300")
    );
    assert!(r.text.contains("name=\"bp_systolic\" type=\"number\" inputmode=\"numeric\" min=\"50\" max=\"300\" required aria-describedby=\"bp-threshold\" value=\"400\""));
}

async fn esketamine_rems_summary(backend: Backend) {
    let w = World::new(backend).await;
    let (p, course) = seeded(&w, "esketamine-label").await;
    let s = first_session(&w, course).await;
    let b = Browser::login(&w, Role::Nurse).await;
    let page = format!("/sessions/{s}");
    let r = b.get(&page).await;
    r.expect(200);
    // No REMS enrolment recorded: the session is held, and no release can end that.
    assert!(r.text.contains("No REMS enrolment recorded"), "{}", r.text);
    w.as_clinician(
        Method::PUT,
        &format!("/api/v1/patients/{p}/rems-enrolment"),
        Some(json!({ "rems_patient_id": "REMS-77", "enrolled_on": w.t.today().to_string() })),
    )
    .await
    .expect(200);
    let r = b.get(&page).await;
    assert!(!r.text.contains("No REMS enrolment recorded"));
    assert!(r.text.contains("id=\"rems-summary\""));
    assert!(
        r.text
            .contains("Required fields still missing:</strong> Dose; Lot number;")
    );
    see_other(
        &b.post(
            &format!("{page}/pre-checks"),
            &[
                ("bp_systolic", "128"),
                ("bp_diastolic", "82"),
                ("identity_confirmed", "on"),
                ("fasting_confirmed", "on"),
                ("transport_arranged", "on"),
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
                ("lot", "ESK-9"),
            ],
        )
        .await,
    );
    let r = b.get(&page).await;
    assert!(
        r.text
            .contains("Observation ends at <time datetime=\"2026-03-02T17:00:00Z\""),
        "{}",
        r.text
    );
    assert!(r.text.contains("(2 h)"));
    assert!(r.text.contains("<dt>Dose</dt><dd>56 mg</dd>"));
    assert!(r.text.contains("<dt>Lot number</dt><dd>ESK-9</dd>"));
    assert!(!r.text.contains("missing:</strong> Dose"));
    assert!(r.text.contains("Blood pressure about 40 minutes post-dose"));
    // A route other than the protocol's is refused.
    let r = b
        .post(
            &format!("{page}/administration"),
            &[
                ("route", "iv_ketamine"),
                ("dose_ordered_mg", "56"),
                ("dose_given_mg", "56"),
                ("lot", "X"),
            ],
        )
        .await;
    r.expect(422);
}

on_every_backend!(
    the_session_record_completes_a_session,
    blood_pressure_over_threshold_holds,
    esketamine_rems_summary,
);
