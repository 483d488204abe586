//! Patients: create, read, update, search, and MRN uniqueness per clinic.

use super::support::*;
use crate::Store;
use crate::audit::{AuditAction, ObjectType};
use crate::records::*;

/// A patient round-trips every field; create, read and update each append one audit row
/// naming the patient.
pub async fn patient_create_get_update(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let nurse = &a.clinician;

    let before = last_seq(s).await;
    let mut entered = details("Grace", "Hopper", "MRN-7");
    entered.weight_kg = None;
    entered.sex = Sex::Unknown;
    let patient = s
        .create_patient(
            a.clinic.id,
            entered.clone(),
            at(3),
            create(nurse, ObjectType::Patient),
        )
        .await
        .unwrap();
    assert_eq!(patient.clinic_id, a.clinic.id);
    assert_eq!(patient.details, entered);
    assert_eq!(patient.created_at, at(3));
    assert_eq!(patient.updated_at, at(3));
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::Patient,
        Some(patient.id.to_string()),
        Some(patient.id),
    );
    assert_eq!(row.event.clinic_id, Some(a.clinic.id));
    assert_eq!(row.event.actor_id, Some(nurse.id));

    let before = last_seq(s).await;
    let read_back = s
        .get_patient(
            a.clinic.id,
            patient.id,
            read(nurse, ObjectType::Patient, patient.id),
        )
        .await
        .unwrap();
    assert_eq!(read_back, patient);
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Read,
        ObjectType::Patient,
        Some(patient.id.to_string()),
        Some(patient.id),
    );

    let before = last_seq(s).await;
    let changed = PatientDetails {
        mrn: "MRN-8".into(),
        given_name: "Grace B.".into(),
        family_name: "Murray Hopper".into(),
        birth_date: day("1906-12-09"),
        sex: Sex::Female,
        weight_kg: Some(61.25),
        weight_measured_on: Some(day("2026-01-20")),
        contact: PatientContact {
            email: Some("grace@example.org".into()),
            phone: Some("+1 555 0100".into()),
            address: Some("1 Navy Yard\nArlington".into()),
            emergency_contact_name: Some("Vincent".into()),
            emergency_contact_phone: Some("+1 555 0101".into()),
            referrer: Some("Dr. Example, Eastside Psychiatry".into()),
            contact_consent: Some(true),
        },
    };
    let updated = s
        .update_patient(
            a.clinic.id,
            patient.id,
            changed.clone(),
            at(30),
            update(nurse, ObjectType::Patient, patient.id),
        )
        .await
        .unwrap();
    assert_eq!(updated.details, changed);
    assert_eq!(updated.created_at, at(3));
    assert_eq!(updated.updated_at, at(30));
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Update,
        ObjectType::Patient,
        Some(patient.id.to_string()),
        Some(patient.id),
    );
    let again = s
        .get_patient(
            a.clinic.id,
            patient.id,
            read(nurse, ObjectType::Patient, patient.id),
        )
        .await
        .unwrap();
    assert_eq!(again, updated);
    // The consent answer was recorded by the updating user at the update's time; saving the
    // same answer again keeps who and when, changing it records the new ones.
    let consent = updated
        .contact_consent_recorded
        .clone()
        .expect("consent recorded");
    assert_eq!(consent.recorded_by, Some(nurse.id));
    assert_eq!(consent.recorded_at, at(30));
    let desk = add_user(s, &a.clinic, "desk@a.test", Role::FrontDesk).await;
    let same = s
        .update_patient(
            a.clinic.id,
            patient.id,
            changed.clone(),
            at(32),
            update(&desk, ObjectType::Patient, patient.id),
        )
        .await
        .unwrap();
    assert_eq!(same.contact_consent_recorded, Some(consent));
    let mut refused = changed.clone();
    refused.contact.contact_consent = Some(false);
    let withdrawn = s
        .update_patient(
            a.clinic.id,
            patient.id,
            refused,
            at(33),
            update(&desk, ObjectType::Patient, patient.id),
        )
        .await
        .unwrap();
    assert_eq!(withdrawn.details.contact.contact_consent, Some(false));
    let recorded = withdrawn
        .contact_consent_recorded
        .expect("withdrawal recorded");
    assert_eq!(recorded.recorded_by, Some(desk.id));
    assert_eq!(recorded.recorded_at, at(33));

    let before = last_seq(s).await;
    let unknown = crate::ids::PatientId(patient.id.0 + 1000);
    assert_not_found(
        s.get_patient(
            a.clinic.id,
            unknown,
            read(nurse, ObjectType::Patient, unknown),
        )
        .await,
        "unknown patient",
    );
    assert_not_found(
        s.update_patient(
            a.clinic.id,
            unknown,
            changed,
            at(31),
            update(nurse, ObjectType::Patient, unknown),
        )
        .await,
        "update of an unknown patient",
    );
    no_new_audit(s, before).await;
}

/// Search matches given name, family name or MRN, ignoring ASCII case, literally (no
/// wildcards), only in the caller's clinic, ordered by family name, up to the limit.
pub async fn patient_search_by_name_and_mrn(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let nurse = &a.clinician;
    for (given, family, mrn) in [
        ("Alan", "Turing", "MRN-002"),
        ("Ada", "Lovelace", "MRN-001"),
        ("Grace", "Hopper", "X-100"),
        ("Edsger", "Dijkstra", "MRN_003"),
    ] {
        s.create_patient(
            a.clinic.id,
            details(given, family, mrn),
            at(1),
            create(nurse, ObjectType::Patient),
        )
        .await
        .unwrap();
    }
    s.create_patient(
        b.clinic.id,
        details("Ada", "Lovelace", "MRN-001"),
        at(1),
        create(&b.clinician, ObjectType::Patient),
    )
    .await
    .unwrap();

    let search = |text: Option<&'static str>, limit: u32| {
        let store = store.clone();
        let nurse = nurse.clone();
        let clinic = a.clinic.id;
        async move {
            let before = last_seq(&*store).await;
            let found = store
                .list_patients(clinic, text, limit, read_many(&nurse, ObjectType::Patient))
                .await
                .unwrap();
            let row = one_new_audit(&*store, before).await;
            assert_audit(&row, AuditAction::Read, ObjectType::Patient, None, None);
            assert!(found.iter().all(|p| p.clinic_id == clinic));
            found
                .into_iter()
                .map(|p| p.details.family_name)
                .collect::<Vec<_>>()
        }
    };

    assert_eq!(
        search(None, 50).await,
        ["Dijkstra", "Hopper", "Lovelace", "Turing"]
    );
    assert_eq!(search(None, 2).await, ["Dijkstra", "Hopper"]);
    assert_eq!(search(Some("love"), 50).await, ["Lovelace"]);
    assert_eq!(search(Some("LOVE"), 50).await, ["Lovelace"]);
    assert_eq!(search(Some("aDa"), 50).await, ["Lovelace"]);
    assert_eq!(search(Some("mrn-00"), 50).await, ["Lovelace", "Turing"]);
    assert_eq!(search(Some("x-1"), 50).await, ["Hopper"]);
    assert_eq!(search(Some("_"), 50).await, ["Dijkstra"]);
    // Several words: each must match part of a name, the MRN or the birth date.
    assert_eq!(search(Some("Ada Love"), 50).await, ["Lovelace"]);
    assert_eq!(search(Some("  love   ADA "), 50).await, ["Lovelace"]);
    assert_eq!(search(Some("Ada Turing"), 50).await, Vec::<String>::new());
    assert_eq!(
        search(Some("1980-05-17"), 50).await,
        ["Dijkstra", "Hopper", "Lovelace", "Turing"]
    );
    assert_eq!(
        search(Some("1980-05-17 mrn"), 50).await,
        ["Dijkstra", "Lovelace", "Turing"]
    );
    assert_eq!(search(Some("1980-05-18"), 50).await, Vec::<String>::new());
    assert!(search(Some("%"), 50).await.is_empty());
    assert!(search(Some("nobody"), 50).await.is_empty());
}

/// MRNs are unique within a clinic (`patients.mrn`), on create and on update, and free across
/// clinics.
pub async fn patient_duplicate_mrn_only_within_a_clinic(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let first = add_patient(s, &a, "MRN-1").await;
    let second = add_patient(s, &a, "MRN-2").await;

    let before = last_seq(s).await;
    let again = s
        .create_patient(
            a.clinic.id,
            details("Other", "Person", "MRN-1"),
            at(4),
            create(&a.clinician, ObjectType::Patient),
        )
        .await;
    assert_conflict(again, "patients.mrn");
    let moved = s
        .update_patient(
            a.clinic.id,
            second.id,
            details("Ada", "Lovelace", "MRN-1"),
            at(4),
            update(&a.clinician, ObjectType::Patient, second.id),
        )
        .await;
    assert_conflict(moved, "patients.mrn");
    no_new_audit(s, before).await;
    let all = s
        .list_patients(
            a.clinic.id,
            None,
            50,
            read_many(&a.clinician, ObjectType::Patient),
        )
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.contains(&first));
    assert!(all.contains(&second), "the refused update changed nothing");

    let elsewhere = add_patient(s, &b, "MRN-1").await;
    assert_eq!(elsewhere.details.mrn, "MRN-1");
    assert_eq!(elsewhere.clinic_id, b.clinic.id);
}

/// The MRN pattern is a clinic setting (set, replaced, audited; another clinic's is separate),
/// and the patient count is the clinic's own.
pub async fn mrn_pattern_and_count(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    assert_eq!(s.mrn_pattern(a.clinic.id).await.unwrap(), None);
    let before = last_seq(s).await;
    s.set_mrn_pattern(a.clinic.id, "A-{n:04}", settings_event(&a))
        .await
        .unwrap();
    one_new_audit(s, before).await;
    s.set_mrn_pattern(a.clinic.id, "P{n}", settings_event(&a))
        .await
        .unwrap();
    assert_eq!(
        s.mrn_pattern(a.clinic.id).await.unwrap().as_deref(),
        Some("P{n}")
    );
    assert_eq!(s.mrn_pattern(b.clinic.id).await.unwrap(), None);
    add_patient(s, &a, "M-1").await;
    add_patient(s, &a, "M-2").await;
    add_patient(s, &b, "M-1").await;
    assert_eq!(s.count_patients(a.clinic.id).await.unwrap(), 2);
    assert_eq!(s.count_patients(b.clinic.id).await.unwrap(), 1);
}

fn settings_event(site: &Site) -> crate::audit::AuditEvent {
    event(
        Some(&site.clinician),
        AuditAction::Update,
        ObjectType::RegistrationSettings,
        Some(site.clinic.id.to_string()),
    )
}
