//! Clinics and staff users.

use super::support::*;
use crate::audit::{AuditAction, ObjectType};
use crate::records::*;
use crate::{Store, StoreError};

/// A clinic is created open Monday to Friday, found by id and by exact name, and its calendar
/// can be replaced; each write appends one audit row naming the clinic.
pub async fn clinic_create_get_find_and_calendar(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let clinic = s
        .create_clinic(
            NewClinic {
                name: "North Clinic".into(),
                time_zone: zone("Europe/London"),
                created_at: at(0),
            },
            event(None, AuditAction::Create, ObjectType::Clinic, None),
        )
        .await
        .unwrap();
    assert_eq!(clinic.name, "North Clinic");
    assert_eq!(clinic.time_zone.as_str(), "Europe/London");
    assert_eq!(clinic.open_days, OpenDays::MONDAY_TO_FRIDAY);
    assert!(clinic.closed_dates.is_empty());
    assert_eq!(clinic.created_at, at(0));
    let row = one_new_audit(s, 0).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::Clinic,
        Some(clinic.id.to_string()),
        None,
    );
    assert_eq!(
        row.event.clinic_id,
        Some(clinic.id),
        "filled in when left out"
    );

    assert_eq!(s.get_clinic(clinic.id).await.unwrap(), clinic);
    assert_eq!(s.find_clinic_by_name("North Clinic").await.unwrap(), clinic);
    assert_not_found(s.find_clinic_by_name("north clinic").await, "name is exact");
    assert_not_found(s.find_clinic_by_name("North").await, "name is whole");
    assert_not_found(
        s.get_clinic(crate::ids::ClinicId(clinic.id.0 + 1000)).await,
        "unknown clinic",
    );
    no_new_audit(s, 1).await;

    let admin = add_user(s, &clinic, "admin@north.test", Role::Admin).await;
    let before = last_seq(s).await;
    let closed = [day("2026-12-25"), day("2026-12-26")];
    let changed = s
        .update_clinic_calendar(
            clinic.id,
            &zone("America/New_York"),
            "mon,wed,fri".parse().unwrap(),
            &closed,
            update(&admin, ObjectType::Clinic, clinic.id),
        )
        .await
        .unwrap();
    assert_eq!(changed.time_zone.as_str(), "America/New_York");
    assert_eq!(changed.open_days.to_string(), "mon,wed,fri");
    assert_eq!(changed.closed_dates, closed);
    assert_eq!(changed.created_at, clinic.created_at);
    assert_eq!(s.get_clinic(clinic.id).await.unwrap(), changed);
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Update,
        ObjectType::Clinic,
        Some(clinic.id.to_string()),
        None,
    );

    let before = last_seq(s).await;
    assert_not_found(
        s.update_clinic_calendar(
            crate::ids::ClinicId(clinic.id.0 + 1000),
            &TimeZoneName::utc(),
            "mon".parse().unwrap(),
            &[],
            update(&admin, ObjectType::Clinic, clinic.id.0 + 1000),
        )
        .await,
        "calendar of an unknown clinic",
    );
    no_new_audit(s, before).await;
}

/// A clinic's time zone and open days are stored as text and read back typed: a stored value
/// that is not a known zone or not weekdays is `Other` at read (never a panic), for every
/// read of the clinic.
pub async fn clinic_calendar_text_that_does_not_parse_is_other(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let north = site(s, "North").await;
    let id = north.clinic.id;
    let stored = [
        "UPDATE clinics SET time_zone = 'Mars/Olympus_Mons'",
        "UPDATE clinics SET time_zone = 'UTC', open_days = 'mon,funday'",
        "UPDATE clinics SET open_days = ''",
    ];
    for sql in stored {
        assert_eq!(backend.raw_sql(sql).await, Ok(1), "{sql}");
        assert!(
            matches!(s.get_clinic(id).await, Err(StoreError::Other(_))),
            "{sql}"
        );
        assert!(
            matches!(
                s.find_clinic_by_name("North").await,
                Err(StoreError::Other(_))
            ),
            "{sql}"
        );
    }
    let fixed = "UPDATE clinics SET time_zone = 'europe/london', open_days = 'mon,fri'";
    assert_eq!(backend.raw_sql(fixed).await, Ok(1));
    let clinic = s.get_clinic(id).await.unwrap();
    assert_eq!(
        clinic.time_zone.as_str(),
        "Europe/London",
        "canonical spelling"
    );
    assert_eq!(clinic.open_days.to_string(), "mon,fri");
}

/// Clinic names are unique: the second is a conflict on `clinics.name`, leaves no clinic and no
/// audit row.
pub async fn clinic_duplicate_name_is_a_conflict(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let first = site(s, "Same Name").await;
    let before = last_seq(s).await;
    let again = s
        .create_clinic(
            NewClinic {
                name: "Same Name".into(),
                time_zone: TimeZoneName::utc(),
                created_at: at(5),
            },
            event(None, AuditAction::Create, ObjectType::Clinic, None),
        )
        .await;
    assert_conflict(again, "clinics.name");
    no_new_audit(s, before).await;
    assert_eq!(
        s.find_clinic_by_name("Same Name").await.unwrap(),
        first.clinic
    );
}

/// Users are created in a clinic, found by email and id, and listed per clinic by email.
pub async fn user_create_find_and_list(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let before = last_seq(s).await;
    let nurse = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::User,
        Some(nurse.id.to_string()),
        None,
    );
    assert_eq!(nurse.clinic_id, a.clinic.id);
    assert_eq!(nurse.email, "nurse@a.test");
    assert_eq!(nurse.role, Role::Nurse);
    assert!(nurse.must_change_password);
    assert!(!nurse.disabled);
    assert_eq!(nurse.created_at, at(0));
    assert!(nurse.password_hash.starts_with("$argon2id$"));

    let admin = add_user(s, &a.clinic, "admin@a.test", Role::Admin).await;
    let before = last_seq(s).await;
    assert_eq!(s.find_user_by_email("nurse@a.test").await.unwrap(), nurse);
    assert_eq!(s.get_user(nurse.id).await.unwrap(), nurse);
    assert_not_found(s.find_user_by_email("nobody@a.test").await, "unknown email");
    assert_not_found(
        s.get_user(crate::ids::UserId(nurse.id.0 + 1000)).await,
        "unknown user",
    );
    let listed: Vec<String> = s
        .list_users(a.clinic.id)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert_eq!(listed, ["admin@a.test", "clinician@a.test", "nurse@a.test"]);
    assert_eq!(s.list_users(b.clinic.id).await.unwrap(), [b.clinician]);
    assert!(admin.id != nurse.id);
    no_new_audit(s, before).await;
}

/// Login emails are unique across the installation, whatever the clinic.
pub async fn user_duplicate_email_is_a_conflict(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let before = last_seq(s).await;
    let again = s
        .create_user(
            NewUser {
                clinic_id: b.clinic.id,
                email: a.clinician.email.clone(),
                role: Role::Admin,
                password_hash: "x".into(),
                must_change_password: false,
                created_at: at(3),
            },
            event(None, AuditAction::Create, ObjectType::User, None),
        )
        .await;
    assert_conflict(again, "users.email");
    no_new_audit(s, before).await;
    assert_eq!(
        s.list_users(b.clinic.id).await.unwrap(),
        std::slice::from_ref(&b.clinician)
    );
    assert_eq!(
        s.find_user_by_email(&a.clinician.email).await.unwrap(),
        a.clinician
    );
}
