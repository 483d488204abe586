//! Treatment sessions: the record as append-only entries (readings, a once-only
//! administration and end, corrections), status changes, monitoring entries, the day's list.

use super::support::*;
use crate::Store;
use crate::audit::{AuditAction, ObjectType};
use crate::ids::*;
use crate::records::*;
use cadence_clinical::route::Route;

pub(crate) fn pre_checks(by: UserId) -> PreChecks {
    PreChecks {
        identity_confirmed: true,
        fasting_confirmed: true,
        transport_arranged: false,
        bp: BloodPressure::reading(128, 82).unwrap(),
        heart_rate: Some(71),
        spo2: None,
        recorded_by: by,
        recorded_at: at(60),
    }
}

pub(crate) fn monitoring(by: UserId, minutes: i64, bp: Option<u16>) -> NewMonitoringEntry {
    NewMonitoringEntry {
        taken_at: at(minutes),
        bp: bp.map(|v| BloodPressure::reading(v, v - 50).unwrap()),
        heart_rate: Some(80),
        spo2: Some(Spo2::new(98).unwrap()),
        respiratory_rate: Some(14),
        moaas: Some(4),
        cadss: None,
        adverse_effects: vec!["nausea".into(), "dizziness".into()],
        recorded_by: by,
    }
}

/// An entry to append, by a user at a minute, moving the session to `status`.
pub(crate) fn entry(
    kind: SessionEntryKind,
    body: impl serde::Serialize,
    by: UserId,
    minute: i64,
    status: Option<SessionStatus>,
) -> NewSessionEntry {
    NewSessionEntry {
        kind,
        body: serde_json::to_value(body).unwrap(),
        corrects: None,
        reason: None,
        recorded_by: by,
        recorded_at: at(minute),
        status,
    }
}

pub(crate) fn administration(by: UserId, lot: &str) -> Administration {
    Administration {
        route: Route::Esketamine,
        dose_ordered_mg: 56.0,
        dose_given_mg: 56.0,
        lot: lot.into(),
        started_at: at(65),
        ended_at: None,
        weight_kg: None,
        mg_per_kg: None,
        dose_flags: Vec::new(),
        confirmation: None,
        recorded_by: by,
    }
}

/// A session's record grows by entries: a second pre-checks reading is added (the first is
/// kept), the administration and the discharge are in force as recorded, monitoring entries
/// come back in time order, and the session shows up on its day's list; every step is audited.
pub async fn treatment_session_entries_and_monitoring(backend: &dyn super::Backend) {
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
                slot: slot("2026-03-04"),
                booking_reason: Some("patient's choice".into()),
                created_at: at(20),
            },
            CHAIRS,
            create(&nurse, ObjectType::TreatmentSession),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::TreatmentSession,
        Some(booked.id.to_string()),
        Some(patient.id),
    );
    assert_eq!(booked.status, SessionStatus::Scheduled);
    assert_eq!(booked.patient_id, patient.id);
    assert_eq!(booked.scheduled_on, day("2026-03-04"));
    assert_eq!(booked.booking_reason.as_deref(), Some("patient's choice"));
    assert_eq!(booked.updated_at, at(20));
    assert!(booked.entries.is_empty());

    let first = pre_checks(nurse.id);
    let before = last_seq(s).await;
    let checked = s
        .append_session_entry(
            a.clinic.id,
            booked.id,
            entry(
                SessionEntryKind::PreChecks,
                &first,
                nurse.id,
                60,
                Some(SessionStatus::InProgress),
            ),
            EntryGuard::default(),
            Vec::new(),
            update(&nurse, ObjectType::PreChecks, booked.id),
        )
        .await
        .map(|(session, _)| session)
        .unwrap();
    assert_eq!(checked.status, SessionStatus::InProgress);
    assert_eq!(checked.pre_checks, Some(first.clone()));
    assert_eq!(checked.updated_at, at(60));
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Update,
        ObjectType::PreChecks,
        Some(booked.id.to_string()),
        Some(patient.id),
    );
    let second = PreChecks {
        bp: BloodPressure {
            systolic: 131,
            ..first.bp
        },
        recorded_at: at(62),
        ..first.clone()
    };
    let rechecked = s
        .append_session_entry(
            a.clinic.id,
            booked.id,
            entry(SessionEntryKind::PreChecks, &second, nurse.id, 62, None),
            EntryGuard::default(),
            Vec::new(),
            update(&nurse, ObjectType::PreChecks, booked.id),
        )
        .await
        .map(|(session, _)| session)
        .unwrap();
    assert_eq!(rechecked.pre_checks, Some(second), "the latest reading");
    assert_eq!(rechecked.entries.len(), 2, "the first reading is kept");
    assert_eq!(rechecked.status, SessionStatus::InProgress, "kept");

    let given = s
        .append_session_entry(
            a.clinic.id,
            booked.id,
            entry(
                SessionEntryKind::Administration,
                administration(nurse.id, "LOT-42"),
                nurse.id,
                66,
                None,
            ),
            EntryGuard {
                no_open_findings: true,
                not_signed: true,
            },
            Vec::new(),
            update(&nurse, ObjectType::Administration, booked.id),
        )
        .await
        .map(|(session, _)| session)
        .unwrap();
    assert_eq!(
        given.administration,
        Some(administration(nurse.id, "LOT-42"))
    );

    let before = last_seq(s).await;
    let late = s
        .add_monitoring_entry(
            a.clinic.id,
            booked.id,
            monitoring(nurse.id, 105, Some(140)),
            Vec::new(),
            create(&nurse, ObjectType::MonitoringEntry),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::MonitoringEntry,
        Some(late.id.to_string()),
        Some(patient.id),
    );
    assert_eq!(late.entry, monitoring(nurse.id, 105, Some(140)));
    let early = s
        .add_monitoring_entry(
            a.clinic.id,
            booked.id,
            monitoring(nurse.id, 70, None),
            Vec::new(),
            create(&nurse, ObjectType::MonitoringEntry),
        )
        .await
        .unwrap();

    let discharge = Discharge {
        discharged_at: at(190),
        moaas: 5,
        bp: BloodPressure {
            systolic: 126,
            diastolic: 80,
        },
        clinically_stable: true,
        escort_present: true,
        ready_after_minutes: Some(90),
        recorded_by: nurse.id,
    };
    let done = s
        .append_session_entry(
            a.clinic.id,
            booked.id,
            entry(
                SessionEntryKind::Discharge,
                &discharge,
                nurse.id,
                190,
                Some(SessionStatus::Completed),
            ),
            EntryGuard::default(),
            Vec::new(),
            update(&nurse, ObjectType::Discharge, booked.id),
        )
        .await
        .map(|(session, _)| session)
        .unwrap();
    assert_eq!(done.status, SessionStatus::Completed);
    assert_eq!(done.discharge, Some(discharge));
    assert_eq!(
        done.administration,
        Some(administration(nurse.id, "LOT-42"))
    );
    assert_eq!(done.monitoring, [early.clone(), late.clone()], "time order");
    assert_eq!(
        done.entries.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [
            SessionEntryKind::PreChecks,
            SessionEntryKind::PreChecks,
            SessionEntryKind::Administration,
            SessionEntryKind::Discharge
        ]
    );
    assert!(done.entries.iter().all(|e| e.recorded_by == nurse.id));

    let before = last_seq(s).await;
    let fetched = s
        .get_treatment_session(
            a.clinic.id,
            booked.id,
            read(&nurse, ObjectType::TreatmentSession, booked.id),
        )
        .await
        .unwrap();
    assert_eq!(fetched, done);
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Read,
        ObjectType::TreatmentSession,
        Some(booked.id.to_string()),
        Some(patient.id),
    );

    let before = last_seq(s).await;
    let today = s
        .list_treatment_sessions_on(
            a.clinic.id,
            day("2026-03-04"),
            read_many(&nurse, ObjectType::TreatmentSession),
        )
        .await
        .unwrap();
    assert_eq!(today, std::slice::from_ref(&done));
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Read,
        ObjectType::TreatmentSession,
        None,
        None,
    );
    let other_day = s
        .list_treatment_sessions_on(
            a.clinic.id,
            day("2026-03-05"),
            read_many(&nurse, ObjectType::TreatmentSession),
        )
        .await
        .unwrap();
    assert!(other_day.is_empty());
    // A range of days: the day itself is in `[from, until)`, the day after it is not.
    let before = last_seq(s).await;
    let range = |from: &'static str, until: &'static str| {
        s.list_treatment_sessions_between(
            a.clinic.id,
            day(from),
            day(until),
            read_many(&nurse, ObjectType::Schedule),
        )
    };
    assert_eq!(
        range("2026-03-01", "2026-03-05").await.unwrap(),
        std::slice::from_ref(&done)
    );
    one_new_audit(s, before).await;
    assert!(range("2026-03-01", "2026-03-04").await.unwrap().is_empty());
    assert!(range("2026-03-05", "2026-03-09").await.unwrap().is_empty());

    let before = last_seq(s).await;
    let unknown = TreatmentSessionId(booked.id.0 + 1000);
    assert_not_found(
        s.append_session_entry(
            a.clinic.id,
            unknown,
            entry(SessionEntryKind::PreChecks, &first, nurse.id, 140, None),
            EntryGuard::default(),
            Vec::new(),
            update(&nurse, ObjectType::PreChecks, unknown),
        )
        .await
        .map(|(session, _)| session),
        "an entry for an unknown session",
    );
    assert_not_found(
        s.set_treatment_session_status(
            a.clinic.id,
            unknown,
            StatusChange {
                status: SessionStatus::Cancelled,
                at: at(140),
            },
            update(&nurse, ObjectType::TreatmentSession, unknown),
        )
        .await,
        "a status change of an unknown session",
    );
    assert_not_found(
        s.add_monitoring_entry(
            a.clinic.id,
            unknown,
            monitoring(nurse.id, 140, None),
            Vec::new(),
            create(&nurse, ObjectType::MonitoringEntry),
        )
        .await,
        "monitoring of an unknown session",
    );
    assert_not_found(
        s.create_treatment_session(
            NewTreatmentSession {
                clinic_id: a.clinic.id,
                course_id: CourseId(course.id.0 + 1000),
                slot: slot("2026-03-04"),
                booking_reason: None,
                created_at: at(20),
            },
            CHAIRS,
            create(&nurse, ObjectType::TreatmentSession),
        )
        .await,
        "a session in an unknown course",
    );
    no_new_audit(s, before).await;
}

/// The once-only entries hold under any order of calls: a second administration or end that
/// corrects nothing is refused, a correction replaces the value in force and keeps the first,
/// one entry is corrected at most once, and a signed session takes no guarded entry.
pub async fn session_entries_once_and_corrections(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let nurse = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &["2026-03-04"]).await;
    let bundle = s
        .get_course_bundle(
            a.clinic.id,
            course.id,
            read(&nurse, ObjectType::Course, course.id),
        )
        .await
        .unwrap();
    let id = bundle.sessions[0].id;
    let append = |kind, body: serde_json::Value, corrects: Option<SessionEntryId>, guard| {
        let mut e = entry(kind, body, nurse.id, 70, None);
        e.corrects = corrects;
        e.reason = corrects.map(|_| "wrong lot number".to_owned());
        s.append_session_entry(
            a.clinic.id,
            id,
            e,
            guard,
            Vec::new(),
            update(&nurse, ObjectType::Administration, id),
        )
    };
    let json = |v: Administration| serde_json::to_value(v).unwrap();
    let (first, _) = append(
        SessionEntryKind::Administration,
        json(administration(nurse.id, "LOT-1")),
        None,
        EntryGuard::default(),
    )
    .await
    .unwrap();
    let first_id = first.entries[0].id;
    let before = last_seq(s).await;
    assert_conflict(
        append(
            SessionEntryKind::Administration,
            json(administration(nurse.id, "LOT-2")),
            None,
            EntryGuard::default(),
        )
        .await,
        "session_entries.once",
    );
    no_new_audit(s, before).await;
    let (corrected, _) = append(
        SessionEntryKind::Administration,
        json(administration(nurse.id, "LOT-2")),
        Some(first_id),
        EntryGuard::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        corrected.administration.map(|a| a.lot),
        Some("LOT-2".to_owned())
    );
    assert_eq!(corrected.entries.len(), 2, "the first is kept");
    assert_eq!(corrected.entries[1].corrects, Some(first_id));
    assert_eq!(
        corrected.entries[1].reason.as_deref(),
        Some("wrong lot number")
    );
    assert_conflict(
        append(
            SessionEntryKind::Administration,
            json(administration(nurse.id, "LOT-3")),
            Some(first_id),
            EntryGuard::default(),
        )
        .await,
        "session_entries.corrects",
    );
    // A correction must point at an entry of the same kind in this session.
    assert_not_found(
        append(
            SessionEntryKind::Discharge,
            serde_json::json!({}),
            Some(first_id),
            EntryGuard::default(),
        )
        .await,
        "a correction of an entry of another kind",
    );

    // One end: a discharge, then an exceptional end, is refused.
    append(
        SessionEntryKind::Discharge,
        serde_json::json!({"note": "discharged"}),
        None,
        EntryGuard::default(),
    )
    .await
    .unwrap();
    assert_conflict(
        append(
            SessionEntryKind::ExceptionalEnd,
            serde_json::json!({"note": "left"}),
            None,
            EntryGuard::default(),
        )
        .await,
        "session_entries.once",
    );
    // Signed: guarded entries are refused, addenda (unguarded) are taken.
    append(
        SessionEntryKind::Signature,
        serde_json::json!({}),
        None,
        EntryGuard {
            not_signed: true,
            ..EntryGuard::default()
        },
    )
    .await
    .unwrap();
    assert_conflict(
        append(
            SessionEntryKind::PreChecks,
            serde_json::to_value(pre_checks(nurse.id)).unwrap(),
            None,
            EntryGuard {
                not_signed: true,
                ..EntryGuard::default()
            },
        )
        .await,
        "session_entries.signed",
    );
    let (with_addendum, _) = append(
        SessionEntryKind::Addendum,
        serde_json::json!({"text": "late entry"}),
        None,
        EntryGuard::default(),
    )
    .await
    .unwrap();
    assert!(with_addendum.signature.is_some());
    assert_eq!(
        with_addendum.entries.last().map(|e| e.kind),
        Some(SessionEntryKind::Addendum)
    );

    // The entries cannot be changed or deleted behind the store's back.
    for sql in [
        "UPDATE session_entries SET reason = 'edited'",
        "DELETE FROM session_entries",
        "UPDATE monitoring_entries SET spo2 = 99",
        "DELETE FROM monitoring_entries",
    ] {
        let result = backend.raw_sql(sql).await;
        assert!(
            result.as_ref().is_err_and(|e| e.contains("append-only")) || result == Ok(0),
            "{sql}: {result:?}"
        );
    }
    let after = s
        .get_treatment_session(
            a.clinic.id,
            id,
            read(&nurse, ObjectType::TreatmentSession, id),
        )
        .await
        .unwrap();
    assert_eq!(after.entries, with_addendum.entries);
}

/// Front desk's status changes (cancelled, not attended, scheduled again) keep the record.
pub async fn treatment_session_status_changes(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let desk = add_user(s, &a.clinic, "desk@a.test", Role::FrontDesk).await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &["2026-03-04"]).await;
    let bundle = s
        .get_course_bundle(
            a.clinic.id,
            course.id,
            read(&desk, ObjectType::Course, course.id),
        )
        .await
        .unwrap();
    let id = bundle.sessions[0].id;
    let before = last_seq(s).await;
    let cancelled = s
        .set_treatment_session_status(
            a.clinic.id,
            id,
            StatusChange {
                status: SessionStatus::Cancelled,
                at: at(30),
            },
            update(&desk, ObjectType::TreatmentSession, id),
        )
        .await
        .unwrap();
    assert_eq!(cancelled.status, SessionStatus::Cancelled);
    assert_eq!(cancelled.updated_at, at(30));
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Update,
        ObjectType::TreatmentSession,
        Some(id.to_string()),
        Some(patient.id),
    );
}

/// A clinic's entries of one kind, newest first, within the limit; another clinic's and other
/// kinds never; one audit row.
pub async fn clinic_entries_of_one_kind(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let end = |minute| {
        entry(
            SessionEntryKind::ExceptionalEnd,
            serde_json::json!({"kind": "left_against_advice", "reason": "left"}),
            a.clinician.id,
            minute,
            Some(SessionStatus::Completed),
        )
    };
    let mut ids = Vec::new();
    for (site, mrn, day) in [
        (&a, "A-1", "2026-03-04"),
        (&a, "A-2", "2026-03-05"),
        (&b, "B-1", "2026-03-04"),
    ] {
        let patient = add_patient(s, site, mrn).await;
        let course = add_course(s, site, &patient, "2026-03-02", &[day]).await;
        let bundle = s
            .get_course_bundle(
                site.clinic.id,
                course.id,
                read(&site.clinician, ObjectType::Course, course.id),
            )
            .await
            .unwrap();
        ids.push((site.clinic.id, bundle.sessions[0].id));
    }
    // A-1 ends exceptionally at minute 10, A-2 at minute 20; B-1 (another clinic) at 30.
    for (n, &(clinic, id)) in ids.iter().enumerate() {
        let minute = 10 * (n as i64 + 1);
        let mut e = end(minute);
        if clinic == b.clinic.id {
            e.recorded_by = b.clinician.id;
        }
        s.append_session_entry(
            clinic,
            id,
            e,
            EntryGuard::default(),
            Vec::new(),
            update(&a.clinician, ObjectType::ExceptionalEnd, id),
        )
        .await
        .unwrap();
    }
    // An addendum in A is another kind.
    s.append_session_entry(
        a.clinic.id,
        ids[0].1,
        entry(
            SessionEntryKind::Addendum,
            serde_json::json!({"text": "note"}),
            a.clinician.id,
            30,
            None,
        ),
        EntryGuard::default(),
        Vec::new(),
        update(&a.clinician, ObjectType::Addendum, ids[0].1),
    )
    .await
    .unwrap();

    let before = last_seq(s).await;
    let found = s
        .list_clinic_entries(
            a.clinic.id,
            SessionEntryKind::ExceptionalEnd,
            10,
            read_many(&a.clinician, ObjectType::ExceptionalEndList),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_eq!(row.event.object_type, ObjectType::ExceptionalEndList);
    let sessions: Vec<TreatmentSessionId> = found.iter().map(|f| f.treatment_session_id).collect();
    assert_eq!(sessions, [ids[1].1, ids[0].1], "A's two, newest first");
    assert_eq!(
        found[0].scheduled_on,
        "2026-03-05".parse::<jiff::civil::Date>().unwrap()
    );
    assert!(
        found
            .iter()
            .all(|f| f.entry.kind == SessionEntryKind::ExceptionalEnd)
    );
    assert_eq!(found[1].entry.body["reason"], "left");

    let limited = s
        .list_clinic_entries(
            a.clinic.id,
            SessionEntryKind::ExceptionalEnd,
            1,
            read_many(&a.clinician, ObjectType::ExceptionalEndList),
        )
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
    assert_eq!(limited[0].treatment_session_id, ids[1].1);
}
