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
        "<option selected>UTC</option>",
        "<option>Europe/London</option>",
        "currency = ",
        "value=\"DEMO-{n:03}\"",
        "href=\"/settings/audit\"",
        "href=\"/research\"",
        "href=\"/password\"",
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
        "/settings/prices/import",
        Some(&admin.cookie),
        &[("csrf_token", &admin.csrf), ("prices", bad)],
    )
    .await;
    r.expect(422);
    assert!(r.text.contains("line 3"), "{}", r.text);
    let good = "currency = \"EUR\"\n\n[per_session]\niv_ketamine = 400.00\n";
    let r = post(
        &t,
        "/settings/prices/import",
        Some(&admin.cookie),
        &[("csrf_token", &admin.csrf), ("prices", good)],
    )
    .await;
    r.expect(303);
    assert_eq!(
        t.store.get_price_list(clinic).await.unwrap().as_deref(),
        Some(good)
    );
    let r = get(&t, "/settings/prices.toml", Some(&admin.cookie)).await;
    assert_eq!(r.expect(200).text, good, "the export is the stored file");
    // The same list as form fields: an amount that is not one is named, and a field cannot
    // smuggle TOML of its own; a good form writes the file the import reads.
    let fields = |iv: &'static str| {
        vec![
            ("csrf_token", admin.csrf.as_str()),
            ("currency", "GBP"),
            ("iv_ketamine", iv),
            ("esketamine", "850.5"),
            ("package_route", "iv_ketamine"),
            ("package_sessions", "6"),
            ("package_price", "2400"),
        ]
    };
    for bad in ["lots", "400\n[x]\ny = 1", "-5", "1.234"] {
        let r = post(&t, "/settings/prices", Some(&admin.cookie), &fields(bad)).await;
        r.expect(422);
        assert!(
            r.text.contains("IV ketamine") || r.text.contains("amount"),
            "{bad}: {}",
            r.text
        );
        assert_eq!(
            t.store.get_price_list(clinic).await.unwrap().as_deref(),
            Some(good),
            "{bad}: nothing stored"
        );
    }
    post(&t, "/settings/prices", Some(&admin.cookie), &fields("400"))
        .await
        .expect(303);
    let stored = t.store.get_price_list(clinic).await.unwrap().unwrap();
    let prices = cadence_clinical::price::PriceList::from_toml(&stored).unwrap();
    assert_eq!(prices.currency.to_string(), "GBP");
    assert_eq!(prices.per_session.len(), 2);
    assert_eq!(prices.induction_package.unwrap().sessions, 6);
    let r = get(&t, "/settings", Some(&admin.cookie)).await;
    assert!(
        r.text.contains("value=\"850.50\""),
        "the form shows the stored prices"
    );

    // Opening hours that close before they open are named beside the form, as typed.
    let before_hours = t.store.get_clinic(clinic).await.unwrap();
    let r = post(
        &t,
        "/settings/hours",
        Some(&admin.cookie),
        &[
            ("csrf_token", &admin.csrf),
            ("opening_hours", "mon 17:00-09:00"),
            ("chairs", "3"),
            ("session_minutes", "120"),
        ],
    )
    .await;
    r.expect(422);
    assert!(r.text.contains("role=\"alert\""), "{}", r.text);
    assert!(r.text.contains("mon 17:00-09:00"), "what was typed is kept");
    assert_eq!(t.store.get_clinic(clinic).await.unwrap(), before_hours);

    // The MRN pattern: a bad one is named and changes nothing.
    let r = post(
        &t,
        "/settings/registration",
        Some(&admin.cookie),
        &[("csrf_token", &admin.csrf), ("mrn_pattern", "P/{n}")],
    )
    .await;
    r.expect(422);
    assert!(r.text.contains("MRN pattern"), "{}", r.text);
    assert_eq!(
        t.store.mrn_pattern(clinic).await.unwrap().as_deref(),
        Some("DEMO-{n:03}")
    );
    post(
        &t,
        "/settings/registration",
        Some(&admin.cookie),
        &[("csrf_token", &admin.csrf), ("mrn_pattern", "CL-{n:05}")],
    )
    .await
    .expect(303);
    assert_eq!(
        t.store.mrn_pattern(clinic).await.unwrap().as_deref(),
        Some("CL-{n:05}")
    );

    // The audit view: this clinic's rows, filtered, the view itself recorded; the CSV.
    let nurse_id = t
        .store
        .find_user_by_email("frontdesk@demo.test")
        .await
        .unwrap()
        .id;
    let r = get(&t, "/settings/audit", Some(&admin.cookie)).await;
    r.expect(200);
    assert!(r.text.contains("registration_settings"), "{}", r.text);
    let r = get(
        &t,
        &format!("/settings/audit?user={nurse_id}"),
        Some(&admin.cookie),
    )
    .await;
    r.expect(200);
    assert!(
        !r.text.contains("registration_settings"),
        "filtered by user: {}",
        r.text
    );
    let r = get(
        &t,
        "/settings/audit?from=2026-01-01&to=2026-12-31",
        Some(&admin.cookie),
    )
    .await;
    r.expect(422);
    assert!(r.text.contains("at most 92 days"), "{}", r.text);
    let r = get(&t, "/settings/audit.csv", Some(&admin.cookie)).await;
    r.expect(200);
    assert!(r.text.starts_with("seq,at,actor_id"), "{}", r.text);
    assert!(
        r.text.contains(",audit_log,"),
        "the view was audited: {}",
        r.text
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
    for path in [
        "/settings/audit",
        "/settings/audit.csv",
        "/settings/prices.toml",
    ] {
        get(&t, path, Some(&clinician.cookie)).await.expect(403);
    }
}

on_every_backend!(settings_are_for_admins);
