//! The landing, patient-list and settings pages (issue 5 §1-2): logging in through the form
//! lands on `/today`; today shows the demo clinic's sessions and safety alerts (clinical
//! content for clinical roles only); the patient list searches and filters by phase;
//! registration stores a patient or re-renders the form and stores nothing; settings are
//! admin-only and every form checks its CSRF token first. Hostile text appears only escaped,
//! and every page is `no-store` under the CSP.

use crate::support::{Backend, TestApp, TestResponse, on_every_backend};
use axum::body::Body;
use axum::http::{Method, Request, header};
use cadence_app::demo::{DEMO_PASSWORD, demo_clinic};
use cadence_app::records::{Role, SessionStatus};
use cadence_testkit::{BrowserSession, cookie_pair, with_client_address};

mod patients;
mod settings;

pub(super) const HOSTILE: [&str; 2] = ["<script>alert(1)</script>", "\"onmouseover=\"x"];

/// `application/x-www-form-urlencoded` encoding of one value.
pub(super) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(super) fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A page request with a browser cookie (if any).
pub(super) async fn get(t: &TestApp, path: &str, cookie: Option<&str>) -> TestResponse {
    let mut builder = Request::builder().method(Method::GET).uri(path);
    if let Some(c) = cookie {
        builder = builder.header(header::COOKIE, c);
    }
    let mut request = builder.body(Body::empty()).unwrap();
    with_client_address(&mut request);
    t.send(request).await
}

/// A form post with a browser cookie (if any), from this site.
pub(super) async fn post(
    t: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> TestResponse {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        builder = builder.header(header::COOKIE, c);
    }
    let mut request = builder.body(Body::from(form_body(fields))).unwrap();
    with_client_address(&mut request);
    t.send(request).await
}

/// The demo clinic, seeded at the kit's clock (Monday 2 March 2026, an open day).
pub(super) async fn demo(backend: Backend) -> TestApp {
    let t = TestApp::on(backend).await;
    assert!(t.app.seed_demo().await.unwrap());
    t
}

pub(super) async fn login(t: &TestApp, who: &str) -> BrowserSession {
    t.browser_login(&format!("{who}@demo.test"), DEMO_PASSWORD)
        .await
}

pub(super) fn assert_escaped(r: &TestResponse, what: &str) {
    for raw in HOSTILE {
        assert!(!r.text.contains(raw), "{what}: `{raw}` unescaped");
    }
    assert!(r.text.contains("alert(1)"), "{what}: the text is missing");
}

async fn logging_in_lands_on_today(backend: Backend) {
    let t = demo(backend).await;
    let r = get(&t, "/login", None).await;
    r.expect(200);
    assert!(r.text.contains("name=\"email\"") && r.text.contains("name=\"password\""));
    let r = post(
        &t,
        "/login",
        None,
        &[
            ("email", "clinician@demo.test"),
            ("password", DEMO_PASSWORD),
            ("next", "/today"),
        ],
    )
    .await;
    r.expect(303);
    assert_eq!(r.header("location"), "/today");
    let cookie = cookie_pair(&r.headers).expect("a session cookie");
    let r = get(&t, "/today", Some(&cookie)).await;
    r.expect(200);
    assert!(r.text.contains("<h1>Today"), "{}", r.text);
    // Without a login, today sends the browser to the login page.
    let r = get(&t, "/today", None).await;
    r.expect(303);
    assert_eq!(r.header("location"), "/login?next=/today");
}

async fn today_shows_sessions_and_alerts_by_role(backend: Backend) {
    let t = demo(backend).await;
    let s = login(&t, "clinician").await;
    let r = get(&t, "/today", Some(&s.cookie)).await;
    r.expect(200);
    assert!(r.text.contains("Monday 2 March 2026"), "{}", r.text);
    // Ben's fourth infusion and Hana's held one are booked today.
    assert!(r.text.contains("Induction, Ben"), "{}", r.text);
    assert!(r.text.contains("/sessions/"), "{}", r.text);
    assert!(r.text.contains(">held</span>"), "{}", r.text);
    // Gus's positive item 9 and Hana's blood pressure are alerts; Cleo's review is due.
    assert!(r.text.contains("role=\"alert\""));
    assert!(r.text.contains("Suicide-risk flag"), "{}", r.text);
    assert!(r.text.contains("Hold, Gus"), "{}", r.text);
    assert!(r.text.contains("Blood-pressure hold"), "{}", r.text);
    assert!(r.text.contains("158/97"), "{}", r.text);
    assert!(r.text.contains("End-of-induction review"), "{}", r.text);
    assert!(r.text.contains("Review, Cleo"), "{}", r.text);
    assert!(
        !r.text.contains("Nonresponse, Finn"),
        "discontinued: nothing due"
    );

    // Front desk: the schedule and "review due", no clinical content.
    let s = login(&t, "frontdesk").await;
    let r = get(&t, "/today", Some(&s.cookie)).await;
    r.expect(200);
    assert!(r.text.contains("Induction, Ben"), "{}", r.text);
    assert!(r.text.contains("Review, Cleo"), "{}", r.text);
    for clinical in [
        "Suicide-risk flag",
        "PHQ-9",
        "158/97",
        "item 9",
        "Suggestion</th>",
    ] {
        assert!(!r.text.contains(clinical), "front desk sees `{clinical}`");
    }

    // Admin lands on settings; a researcher on the de-identified summary.
    let s = login(&t, "admin").await;
    let r = get(&t, "/today", Some(&s.cookie)).await;
    r.expect(303);
    assert_eq!(r.header("location"), "/settings");
    let s = login(&t, "researcher").await;
    let r = get(&t, "/today", Some(&s.cookie)).await;
    r.expect(200);
    assert!(r.text.contains("Research summary"));
    assert!(
        !r.text.contains("DEMO-0"),
        "no patient on the researcher's page"
    );
}

async fn pages_are_not_cached_and_carry_the_csp(backend: Backend) {
    let t = demo(backend).await;
    let clinician = login(&t, "clinician").await;
    let admin = login(&t, "admin").await;
    let pages = [
        ("/login", None),
        ("/today", Some(&clinician.cookie)),
        ("/patients", Some(&clinician.cookie)),
        ("/patients/new", Some(&clinician.cookie)),
        ("/settings", Some(&admin.cookie)),
        ("/settings/protocols/esketamine-label", Some(&admin.cookie)),
        ("/settings", Some(&clinician.cookie)),
    ];
    for (path, cookie) in pages {
        let r = get(&t, path, cookie.map(String::as_str)).await;
        assert!(
            r.status.as_u16() == 200 || r.status.as_u16() == 403,
            "{path}"
        );
        assert_eq!(r.header("cache-control"), "no-store", "{path}");
        let csp = r.header("content-security-policy");
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(!r.text.contains("style=\""), "{path}: an inline style");
        assert!(!r.text.contains("<script>"), "{path}: an inline script");
    }
}

/// The demo clinic shows every stage whatever the weekday it is seeded on (the clinic is shut
/// at weekends, so the day's sessions move; the alerts and reviews stay).
#[tokio::test]
async fn the_demo_clinic_is_complete_on_every_weekday() {
    use cadence_app::today::{AlertKind, PatientPhase, ReviewKind};
    for day in 0..7 {
        let t = TestApp::new().await;
        t.advance(jiff::SignedDuration::from_hours(24 * day));
        assert!(t.app.seed_demo().await.unwrap());
        let clinic = demo_clinic(&t.app).await.unwrap();
        let user = t
            .store
            .find_user_by_email("clinician@demo.test")
            .await
            .unwrap();
        let actor = cadence_app::Actor {
            user_id: user.id,
            clinic_id: clinic,
            role: Role::Clinician,
            request_id: "test".into(),
        };
        let view = t.app.today(&actor).await.unwrap();
        let kinds: Vec<AlertKind> = view.alerts.iter().map(|a| a.kind).collect();
        assert!(
            kinds.contains(&AlertKind::SuicideRisk),
            "day {day}: {kinds:?}"
        );
        assert!(
            kinds.contains(&AlertKind::BloodPressureHold),
            "day {day}: {kinds:?}"
        );
        let reviews: Vec<ReviewKind> = view.reviews_due.iter().map(|r| r.kind).collect();
        assert!(
            reviews.contains(&ReviewKind::EndOfInduction),
            "day {day}: {reviews:?}"
        );
        // The demo clinic opens every day, so a session is booked today whatever the day.
        assert!(
            !view.sessions.is_empty(),
            "day {day}: a session booked today"
        );
        let page = t.app.patient_overview(&actor, None, None, 0).await.unwrap();
        for phase in [
            PatientPhase::Screening,
            PatientPhase::Induction,
            PatientPhase::Maintenance,
            PatientPhase::Discontinued,
        ] {
            assert!(
                page.rows.iter().any(|r| r.phase == Some(phase)),
                "day {day}: {phase:?}"
            );
        }
        // No session booked in the past is left unrecorded.
        for course in page.rows.iter().filter_map(|r| r.course_id) {
            let view = t.app.get_course(&actor, course).await.unwrap();
            for s in &view.sessions {
                assert!(
                    s.scheduled_on >= t.today() || s.status != SessionStatus::Scheduled,
                    "day {day}: course {course}, session on {}",
                    s.scheduled_on
                );
            }
        }
    }
}

/// The demo clinic shows each safety feature of issue 13 with data: sessions held today, an
/// in-session alert and a blood-pressure hold each released by a clinician with a note, an
/// exceptional end the admin sees, and an esketamine patient with a REMS enrolment whose doses
/// follow the label (56 mg, then 84 mg) and whose session today is not held.
async fn the_demo_shows_each_safety_feature(backend: Backend) {
    use cadence_clinical::safety::{ExceptionalEnd, FindingKind};
    let t = demo(backend).await;
    let clinician = demo_actor(&t, "clinician@demo.test", Role::Clinician).await;
    let admin = demo_actor(&t, "admin@demo.test", Role::Admin).await;

    let today = t.app.today(&clinician).await.unwrap();
    let held = today
        .sessions
        .iter()
        .filter(|s| s.session.status == SessionStatus::Held)
        .count();
    assert!(held >= 2, "held sessions today: {held}");
    let ben = demo_patient(&t, &clinician, "DEMO-002").await;
    assert!(
        released(&t, &clinician, &ben, FindingKind::DeepSedation).await,
        "Ben's in-session alert, released"
    );
    let dev = demo_patient(&t, &clinician, "DEMO-004").await;
    assert!(
        released(&t, &clinician, &dev, FindingKind::PreDoseBloodPressure).await,
        "Dev's blood-pressure hold, released after a repeat reading"
    );
    let ends = t.app.exceptional_ends(&admin).await.unwrap();
    assert_eq!(ends.len(), 1, "{ends:?}");
    assert_eq!(ends[0].kind, ExceptionalEnd::LeftAgainstAdvice);

    let ivy = demo_patient(&t, &clinician, "DEMO-009").await;
    let course = t
        .app
        .get_course(&clinician, ivy.course_id.unwrap())
        .await
        .unwrap();
    assert_eq!(course.course.protocol_id, "esketamine-label");
    let doses: Vec<f64> = course
        .sessions
        .iter()
        .filter_map(|s| s.administration.as_ref().map(|a| a.dose_given_mg))
        .collect();
    assert_eq!(doses, [56.0, 84.0]);
    let next = course
        .sessions
        .iter()
        .find(|s| s.scheduled_on == t.today())
        .expect("Ivy's session today");
    let view = t.app.get_session(&clinician, next.id).await.unwrap();
    assert!(
        view.holds.is_empty(),
        "REMS enrolled and screened: {:?}",
        view.holds
    );
}

async fn demo_actor(t: &TestApp, email: &str, role: Role) -> cadence_app::Actor {
    let user = t.store.find_user_by_email(email).await.unwrap();
    cadence_app::Actor {
        user_id: user.id,
        clinic_id: demo_clinic(&t.app).await.unwrap(),
        role,
        request_id: "test".into(),
    }
}

async fn demo_patient(
    t: &TestApp,
    actor: &cadence_app::Actor,
    mrn: &str,
) -> cadence_app::today::PatientOverview {
    let page = t
        .app
        .patient_overview(actor, Some(mrn), None, 0)
        .await
        .unwrap();
    page.rows.into_iter().next().expect(mrn)
}

/// Whether the patient has a finding of this kind released with a note.
async fn released(
    t: &TestApp,
    actor: &cadence_app::Actor,
    row: &cadence_app::today::PatientOverview,
    kind: cadence_clinical::safety::FindingKind,
) -> bool {
    t.app
        .list_findings(actor, row.patient.id)
        .await
        .unwrap()
        .iter()
        .any(|f| f.kind == kind && f.release.as_ref().is_some_and(|r| !r.note.is_empty()))
}

on_every_backend!(
    the_demo_shows_each_safety_feature,
    logging_in_lands_on_today,
    today_shows_sessions_and_alerts_by_role,
    pages_are_not_cached_and_carry_the_csp,
);
