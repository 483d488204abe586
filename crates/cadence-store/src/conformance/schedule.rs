//! Scheduling (issue 16 §1): a session's slot (start, length, chair) round-trips; a booking or
//! a move into a taken chair, a full clinic or a second session of the patient that day is
//! refused inside the transaction, also when two bookings race; the clinic's day settings.

use super::support::*;
use crate::Store;
use crate::audit::ObjectType;
use crate::records::*;
use cadence_clinical::schedule::OpeningHours;
use jiff::civil::time;

fn at_time(on: &str, h: i8, m: i8, minutes: u16, chair: u16) -> BookingSlot {
    BookingSlot {
        on: day(on),
        starts_at: time(h, m, 0, 0),
        minutes,
        chair,
    }
}

fn new_session(site: &Site, course: &Course, slot: BookingSlot) -> NewTreatmentSession {
    NewTreatmentSession {
        clinic_id: site.clinic.id,
        course_id: course.id,
        slot,
        booking_reason: None,
        created_at: at(20),
    }
}

/// The clinic's day settings default to 09:00-17:00, four chairs, 120 minutes, and change with
/// one audit row.
pub async fn clinic_schedule_settings(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    assert_eq!(a.clinic.opening_hours, OpeningHours::default());
    assert_eq!((a.clinic.chairs, a.clinic.session_minutes), (4, 120));
    let hours: OpeningHours = "mon 08:00-12:30,sat 10:00-14:00".parse().unwrap();
    let before = last_seq(s).await;
    let updated = s
        .update_clinic_schedule(
            a.clinic.id,
            &hours,
            3,
            150,
            update(&a.clinician, ObjectType::Clinic, a.clinic.id),
        )
        .await
        .unwrap();
    one_new_audit(s, before).await;
    assert_eq!(updated.opening_hours, hours);
    assert_eq!((updated.chairs, updated.session_minutes), (3, 150));
    assert_eq!(s.get_clinic(a.clinic.id).await.unwrap(), updated);
    assert_not_found(
        s.update_clinic_schedule(
            crate::ids::ClinicId(a.clinic.id.0 + 100),
            &hours,
            1,
            60,
            update(&a.clinician, ObjectType::Clinic, 0),
        )
        .await,
        "schedule of an unknown clinic",
    );
}

/// A slot round-trips; a taken chair, a full clinic and a second session of the patient that
/// day are refused and change nothing; back to back is allowed; a cancelled session frees its
/// chair.
pub async fn booking_refuses_taken_chairs_full_days_and_double_booking(
    backend: &dyn super::Backend,
) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let nurse = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    let p1 = add_patient(s, &a, "MRN-1").await;
    let p2 = add_patient(s, &a, "MRN-2").await;
    let p3 = add_patient(s, &a, "MRN-3").await;
    let c1 = add_course(s, &a, &p1, "2026-03-02", &[]).await;
    let c2 = add_course(s, &a, &p2, "2026-03-02", &[]).await;
    let c3 = add_course(s, &a, &p3, "2026-03-02", &[]).await;
    let book = |c: &Course, slot: BookingSlot, chairs: u16| {
        s.create_treatment_session(
            new_session(&a, c, slot),
            chairs,
            create(&nurse, ObjectType::TreatmentSession),
        )
    };

    let first = book(&c1, at_time("2026-03-04", 9, 30, 120, 1), 2)
        .await
        .unwrap();
    assert_eq!(first.starts_at, time(9, 30, 0, 0));
    assert_eq!((first.minutes, first.chair), (120, Some(1)));
    assert_eq!(first.scheduled_on, day("2026-03-04"));

    let before = last_seq(s).await;
    assert_conflict(
        book(&c2, at_time("2026-03-04", 10, 0, 60, 1), 2).await,
        "treatment_sessions.chair",
    );
    assert_conflict(
        book(&c2, at_time("2026-03-04", 10, 0, 60, 3), 2).await,
        "treatment_sessions.chair",
    );
    assert_conflict(
        book(&c1, at_time("2026-03-04", 14, 0, 60, 2), 2).await,
        "treatment_sessions.patient_day",
    );
    no_new_audit(s, before).await;

    let second = book(&c2, at_time("2026-03-04", 10, 0, 60, 2), 2)
        .await
        .unwrap();
    assert_conflict(
        book(&c3, at_time("2026-03-04", 10, 30, 60, 1), 2).await,
        "treatment_sessions.capacity",
    );
    // Back to back with the first session is not an overlap.
    book(&c3, at_time("2026-03-04", 11, 30, 60, 1), 2)
        .await
        .unwrap();

    // Cancelling frees the chair.
    s.set_treatment_session_status(
        a.clinic.id,
        second.id,
        StatusChange {
            status: SessionStatus::Cancelled,
            at: at(30),
        },
        update(&nurse, ObjectType::TreatmentSession, second.id),
    )
    .await
    .unwrap();
    let sessions = s
        .get_course_bundle(a.clinic.id, c2.id, read(&nurse, ObjectType::Course, c2.id))
        .await
        .unwrap()
        .sessions;
    assert_eq!(sessions.len(), 1);
    book(&c2, at_time("2026-03-05", 10, 0, 60, 2), 2)
        .await
        .unwrap();
}

/// A move takes a new slot and reason with one audit row; a move into a taken chair or a day
/// the patient already has a session is refused; a move of a cancelled session is refused;
/// another clinic's session is not found.
pub async fn moving_a_session_is_checked_like_a_booking(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let nurse = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    let p1 = add_patient(s, &a, "MRN-1").await;
    let p2 = add_patient(s, &a, "MRN-2").await;
    let c1 = add_course(s, &a, &p1, "2026-03-02", &[]).await;
    let c2 = add_course(s, &a, &p2, "2026-03-02", &[]).await;
    let mk = |c: &Course, slot| {
        s.create_treatment_session(
            new_session(&a, c, slot),
            1,
            create(&nurse, ObjectType::TreatmentSession),
        )
    };
    let one = mk(&c1, at_time("2026-03-04", 9, 0, 120, 1)).await.unwrap();
    let two = mk(&c1, at_time("2026-03-06", 9, 0, 120, 1)).await.unwrap();
    let other = mk(&c2, at_time("2026-03-05", 9, 0, 120, 1)).await.unwrap();
    let mv = |id, slot, reason: Option<&str>| {
        s.move_treatment_session(
            a.clinic.id,
            id,
            slot,
            reason.map(str::to_owned),
            1,
            at(40),
            update(&nurse, ObjectType::TreatmentSession, id),
        )
    };

    let before = last_seq(s).await;
    assert_conflict(
        mv(one.id, at_time("2026-03-05", 10, 0, 120, 1), None).await,
        "treatment_sessions.capacity",
    );
    assert_conflict(
        mv(one.id, at_time("2026-03-06", 13, 0, 120, 1), None).await,
        "treatment_sessions.patient_day",
    );
    no_new_audit(s, before).await;

    // Within its own day, overlapping itself, is fine.
    let moved = mv(
        one.id,
        at_time("2026-03-04", 10, 0, 90, 1),
        Some("patient's choice"),
    )
    .await
    .unwrap();
    one_new_audit(s, before).await;
    assert_eq!(moved.starts_at, time(10, 0, 0, 0));
    assert_eq!(moved.minutes, 90);
    assert_eq!(moved.booking_reason.as_deref(), Some("patient's choice"));
    let moved = mv(one.id, at_time("2026-03-05", 11, 0, 120, 1), None)
        .await
        .unwrap();
    assert_eq!(moved.scheduled_on, day("2026-03-05"));
    assert_eq!(moved.booking_reason, None);

    s.set_treatment_session_status(
        a.clinic.id,
        two.id,
        StatusChange {
            status: SessionStatus::Cancelled,
            at: at(50),
        },
        update(&nurse, ObjectType::TreatmentSession, two.id),
    )
    .await
    .unwrap();
    assert_conflict(
        mv(two.id, at_time("2026-03-09", 9, 0, 120, 1), None).await,
        "treatment_sessions.status",
    );
    assert_not_found(
        s.move_treatment_session(
            b.clinic.id,
            other.id,
            at_time("2026-03-09", 9, 0, 120, 1),
            None,
            1,
            at(60),
            update(&b.clinician, ObjectType::TreatmentSession, other.id),
        )
        .await,
        "another clinic's session",
    );
}

/// Two bookings of the last chair at once: exactly one is stored.
pub async fn concurrent_bookings_of_one_chair_store_one(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let nurse = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    let p1 = add_patient(s, &a, "MRN-1").await;
    let p2 = add_patient(s, &a, "MRN-2").await;
    let c1 = add_course(s, &a, &p1, "2026-03-02", &[]).await;
    let c2 = add_course(s, &a, &p2, "2026-03-02", &[]).await;
    let mut tasks = Vec::new();
    for c in [c1.clone(), c2.clone()] {
        let store = store.clone();
        let new = new_session(&a, &c, at_time("2026-03-04", 9, 0, 120, 1));
        let event = create(&nurse, ObjectType::TreatmentSession);
        tasks.push(tokio::spawn(async move {
            store.create_treatment_session(new, 1, event).await
        }));
    }
    let mut stored = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => stored += 1,
            Err(e) => assert!(
                matches!(&e, crate::StoreError::Conflict { constraint } if constraint == "treatment_sessions.chair" || constraint == "treatment_sessions.capacity"),
                "{e:?}"
            ),
        }
    }
    assert_eq!(stored, 1);
}
