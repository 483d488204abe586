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
use cadence_app::records::{Role, TreatmentSessionStatus};
use cadence_testkit::{BrowserSession, cookie_pair, with_client_address};

const HOSTILE: [&str; 2] = ["<script>alert(1)</script>", "\"onmouseover=\"x"];

/// `application/x-www-form-urlencoded` encoding of one value.
fn encode(value: &str) -> String {
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

fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A page request with a browser cookie (if any).
async fn get(t: &TestApp, path: &str, cookie: Option<&str>) -> TestResponse {
    let mut builder = Request::builder().method(Method::GET).uri(path);
    if let Some(c) = cookie {
        builder = builder.header(header::COOKIE, c);
    }
    let mut request = builder.body(Body::empty()).unwrap();
    with_client_address(&mut request);
    t.send(request).await
}

/// A form post with a browser cookie (if any), from this site.
async fn post(
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
async fn demo(backend: Backend) -> TestApp {
    let t = TestApp::on(backend).await;
    assert!(t.app.seed_demo().await.unwrap());
    t
}

async fn login(t: &TestApp, who: &str) -> BrowserSession {
    t.browser_login(&format!("{who}@demo.test"), DEMO_PASSWORD)
        .await
}

fn assert_escaped(r: &TestResponse, what: &str) {
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

async fn settings_are_for_admins(backend: Backend) {
    let t = demo(backend).await;
    let clinic = demo_clinic(&t.app).await.unwrap();
    let admin = login(&t, "admin").await;
    let r = get(&t, "/settings", Some(&admin.cookie)).await;
    r.expect(200);
    for text in [
        "nurse@demo.test",
        "iv-ketamine-6",
        "value=\"UTC\"",
        "currency = ",
    ] {
        assert!(r.text.contains(text), "{text}: {}", r.text);
    }
    let r = get(&t, "/settings/protocols/iv-ketamine-6", Some(&admin.cookie)).await;
    r.expect(200);
    assert!(
        r.text.contains("<pre>") && r.text.contains("Source:"),
        "{}",
        r.text
    );

    // Change the nurse's role.
    let nurse = t.store.find_user_by_email("nurse@demo.test").await.unwrap();
    let path = format!("/settings/users/{}", nurse.id);
    let r = post(
        &t,
        &path,
        Some(&admin.cookie),
        &[("csrf_token", &admin.csrf), ("role", "front_desk")],
    )
    .await;
    r.expect(303);
    let changed = t.store.get_user(nurse.id).await.unwrap();
    assert_eq!((changed.role, changed.disabled), (Role::FrontDesk, false));
    // Without the CSRF token: refused, unchanged.
    let r = post(
        &t,
        &path,
        Some(&admin.cookie),
        &[("role", "admin"), ("disabled", "yes")],
    )
    .await;
    r.expect(403);
    assert!(r.text.contains("csrf_failed"), "{}", r.text);
    assert_eq!(
        t.store.get_user(nurse.id).await.unwrap().role,
        Role::FrontDesk
    );

    // Add users, hostile emails included: the one-time password once, the email escaped.
    for hostile in HOSTILE {
        let email = format!("{hostile}@evil.test");
        let r = post(
            &t,
            "/settings/users",
            Some(&admin.cookie),
            &[
                ("csrf_token", &admin.csrf),
                ("email", &email),
                ("role", "nurse"),
            ],
        )
        .await;
        r.expect(200);
        assert!(r.text.contains("one-time password is"), "{}", r.text);
        assert!(!r.text.contains(hostile), "{}", r.text);
        let user = t.store.find_user_by_email(&email).await.unwrap();
        assert!(user.must_change_password);
    }
    let r = get(&t, "/settings", Some(&admin.cookie)).await;
    assert_escaped(&r, "the users table");

    // The calendar: a bad time zone is refused with a message; a good one is stored.
    let before = t.store.get_clinic(clinic).await.unwrap();
    let calendar = |tz: &'static str| {
        vec![
            ("csrf_token", admin.csrf.as_str()),
            ("time_zone", tz),
            ("open_days", "mon"),
            ("open_days", "wed"),
            ("closed_dates", "2026-12-25\r\n2027-01-01\r\n"),
        ]
    };
    let r = post(
        &t,
        "/settings/calendar",
        Some(&admin.cookie),
        &calendar("Mars/Olympus"),
    )
    .await;
    r.expect(422);
    assert!(r.text.contains("not a known IANA time zone"), "{}", r.text);
    assert!(
        r.text.contains("value=\"Mars/Olympus\""),
        "typed value kept"
    );
    assert_eq!(t.store.get_clinic(clinic).await.unwrap(), before);
    let r = post(
        &t,
        "/settings/calendar",
        Some(&admin.cookie),
        &calendar("Europe/London"),
    )
    .await;
    r.expect(303);
    let after = t.store.get_clinic(clinic).await.unwrap();
    assert_eq!(after.time_zone, "Europe/London");
    assert_eq!(after.open_days, "mon,wed");
    assert_eq!(after.closed_dates.len(), 2);

    // The price list: a bad line is named; a good list is stored.
    let bad = "currency = \"EUR\"\n[per_session]\niv_ketamine = \"lots\"\n";
    let r = post(
        &t,
        "/settings/prices",
        Some(&admin.cookie),
        &[("csrf_token", &admin.csrf), ("prices", bad)],
    )
    .await;
    r.expect(422);
    assert!(r.text.contains("line 3"), "{}", r.text);
    let good = "currency = \"EUR\"\n\n[per_session]\niv_ketamine = 400.00\n";
    let r = post(
        &t,
        "/settings/prices",
        Some(&admin.cookie),
        &[("csrf_token", &admin.csrf), ("prices", good)],
    )
    .await;
    r.expect(303);
    assert_eq!(
        t.store.get_price_list(clinic).await.unwrap().as_deref(),
        Some(good)
    );

    // Anyone else: the forbidden page, and nothing changes.
    let clinician = login(&t, "clinician").await;
    let r = get(&t, "/settings", Some(&clinician.cookie)).await;
    r.expect(403);
    assert!(r.text.contains("forbidden"), "{}", r.text);
    let r = post(
        &t,
        "/settings/calendar",
        Some(&clinician.cookie),
        &[
            ("csrf_token", &clinician.csrf),
            ("time_zone", "UTC"),
            ("open_days", "sun"),
        ],
    )
    .await;
    r.expect(403);
    assert!(r.text.contains("forbidden"), "{}", r.text);
    assert_eq!(t.store.get_clinic(clinic).await.unwrap(), after);
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
                page.rows.iter().any(|r| r.phase == phase),
                "day {day}: {phase:?}"
            );
        }
        // No session booked in the past is left unrecorded.
        for course in page.rows.iter().filter_map(|r| r.course_id) {
            let view = t.app.get_course(&actor, course).await.unwrap();
            for s in &view.sessions {
                assert!(
                    s.scheduled_on >= t.today() || s.status != TreatmentSessionStatus::Scheduled,
                    "day {day}: course {course}, session on {}",
                    s.scheduled_on
                );
            }
        }
    }
}

on_every_backend!(
    logging_in_lands_on_today,
    today_shows_sessions_and_alerts_by_role,
    patients_are_searched_and_filtered_by_phase,
    the_patient_list_pages,
    registering_a_patient,
    settings_are_for_admins,
    pages_are_not_cached_and_carry_the_csp,
);
