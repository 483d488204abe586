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
