//! Settings: admin-only users and roles, calendar and price list, each form CSRF-checked.

use super::{HOSTILE, assert_escaped, demo, get, login, post};
use crate::support::{Backend, on_every_backend};
use cadence_app::demo::demo_clinic;
use cadence_app::records::Role;

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
    assert_eq!(after.time_zone.as_str(), "Europe/London");
    assert_eq!(after.open_days.to_string(), "mon,wed");
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

on_every_backend!(settings_are_for_admins);
