//! Treatment sessions: field-by-field changes, monitoring entries, the day's list.

use super::support::*;
use crate::Store;
use crate::audit::AuditAction;
use crate::ids::*;
use crate::records::*;
use cadence_clinical::route::Route;

pub(crate) fn pre_checks(by: UserId) -> PreChecks {
    PreChecks {
        identity_confirmed: true,
        fasting_confirmed: true,
        transport_arranged: false,
        bp_systolic: 128,
        bp_diastolic: 82,
        heart_rate: Some(71),
        spo2: None,
        recorded_by: by,
        recorded_at: at(60),
    }
}

pub(crate) fn monitoring(by: UserId, minutes: i64, bp: Option<u16>) -> NewMonitoringEntry {
    NewMonitoringEntry {
        taken_at: at(minutes),
        bp_systolic: bp,
        bp_diastolic: bp.map(|v| v - 50),
        heart_rate: Some(80),
        spo2: Some(98),
        moaas: Some(4),
        cadss: None,
        adverse_effects: vec!["nausea".into(), "dizziness".into()],
        recorded_by: by,
    }
}

/// A session changes field by field (a field left out keeps its value), gathers monitoring
/// entries in time order, and shows up on its day's list; every step is audited.
pub async fn treatment_session_update_and_monitoring(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let nurse = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &[]).await;

    let before = last_seq(s).await;
    let booked = s
        .create_treatment_session(
            NewTreatmentSession {
                clinic_id: a.clinic.id,
                course_id: course.id,
                scheduled_on: day("2026-03-04"),
                created_at: at(20),
            },
            create(&nurse, "treatment_session"),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        "treatment_session",
        Some(booked.id.to_string()),
        Some(patient.id),
    );
    assert_eq!(booked.status, TreatmentSessionStatus::Scheduled);
    assert_eq!(booked.patient_id, patient.id);
    assert_eq!(booked.scheduled_on, day("2026-03-04"));
    assert_eq!(booked.updated_at, at(20));

    let before = last_seq(s).await;
    let checked = s
        .update_treatment_session(
            a.clinic.id,
            booked.id,
            TreatmentSessionChange {
                status: Some(TreatmentSessionStatus::InProgress),
                pre_checks: Some(pre_checks(nurse.id)),
                ..Default::default()
            },
            at(61),
            update(&nurse, "treatment_session", booked.id),
        )
        .await
        .unwrap();
    assert_eq!(checked.status, TreatmentSessionStatus::InProgress);
    assert_eq!(checked.pre_checks, Some(pre_checks(nurse.id)));
    assert_eq!(checked.updated_at, at(61));
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Update,
        "treatment_session",
        Some(booked.id.to_string()),
        Some(patient.id),
    );

    let administration = Administration {
        route: Route::Esketamine,
        dose_ordered_mg: 56.0,
        dose_given_mg: 56.0,
        lot: "LOT-42".into(),
        started_at: at(65),
        recorded_by: nurse.id,
    };
    let given = s
        .update_treatment_session(
            a.clinic.id,
            booked.id,
            TreatmentSessionChange {
                administration: Some(administration.clone()),
                ..Default::default()
            },
            at(66),
            update(&nurse, "treatment_session", booked.id),
        )
        .await
        .unwrap();
    assert_eq!(given.status, TreatmentSessionStatus::InProgress, "kept");
    assert_eq!(given.pre_checks, Some(pre_checks(nurse.id)), "kept");
    assert_eq!(given.administration, Some(administration.clone()));

    let before = last_seq(s).await;
    let late = s
        .add_monitoring_entry(
            a.clinic.id,
            booked.id,
            monitoring(nurse.id, 105, Some(140)),
            create(&nurse, "monitoring_entry"),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        "monitoring_entry",
        Some(late.id.to_string()),
        Some(patient.id),
    );
    assert_eq!(late.entry, monitoring(nurse.id, 105, Some(140)));
    let early = s
        .add_monitoring_entry(
            a.clinic.id,
            booked.id,
            monitoring(nurse.id, 70, None),
            create(&nurse, "monitoring_entry"),
        )
        .await
        .unwrap();

    let discharge = Discharge {
        discharged_at: at(130),
        moaas: 5,
        bp_systolic: 126,
        bp_diastolic: 80,
        clinically_stable: true,
        escort_present: true,
        ready_after_minutes: Some(90),
        recorded_by: nurse.id,
    };
    let done = s
        .update_treatment_session(
            a.clinic.id,
            booked.id,
            TreatmentSessionChange {
                status: Some(TreatmentSessionStatus::Completed),
                discharge: Some(discharge.clone()),
                ..Default::default()
            },
            at(131),
            update(&nurse, "treatment_session", booked.id),
        )
        .await
        .unwrap();
    assert_eq!(done.status, TreatmentSessionStatus::Completed);
    assert_eq!(done.discharge, Some(discharge));
    assert_eq!(done.administration, Some(administration));
    assert_eq!(done.monitoring, [early.clone(), late.clone()], "time order");

    let before = last_seq(s).await;
    let fetched = s
        .get_treatment_session(
            a.clinic.id,
            booked.id,
            read(&nurse, "treatment_session", booked.id),
        )
        .await
        .unwrap();
    assert_eq!(fetched, done);
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Read,
        "treatment_session",
        Some(booked.id.to_string()),
        Some(patient.id),
    );

    let before = last_seq(s).await;
    let today = s
        .list_treatment_sessions_on(
            a.clinic.id,
            day("2026-03-04"),
            read_many(&nurse, "treatment_session"),
        )
        .await
        .unwrap();
    assert_eq!(today, [done]);
    let row = one_new_audit(s, before).await;
    assert_audit(&row, AuditAction::Read, "treatment_session", None, None);
    let other_day = s
        .list_treatment_sessions_on(
            a.clinic.id,
            day("2026-03-05"),
            read_many(&nurse, "treatment_session"),
        )
        .await
        .unwrap();
    assert!(other_day.is_empty());

    let before = last_seq(s).await;
    let unknown = TreatmentSessionId(booked.id.0 + 1000);
    assert_not_found(
        s.update_treatment_session(
            a.clinic.id,
            unknown,
            TreatmentSessionChange::default(),
            at(140),
            update(&nurse, "treatment_session", unknown),
        )
        .await,
        "update of an unknown session",
    );
    assert_not_found(
        s.add_monitoring_entry(
            a.clinic.id,
            unknown,
            monitoring(nurse.id, 140, None),
            create(&nurse, "monitoring_entry"),
        )
        .await,
        "monitoring of an unknown session",
    );
    assert_not_found(
        s.create_treatment_session(
            NewTreatmentSession {
                clinic_id: a.clinic.id,
                course_id: CourseId(course.id.0 + 1000),
                scheduled_on: day("2026-03-04"),
                created_at: at(20),
            },
            create(&nurse, "treatment_session"),
        )
        .await,
        "a session in an unknown course",
    );
    no_new_audit(s, before).await;
}
