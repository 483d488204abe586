//! The harness ([`Backend`]) and the helpers the cases share: fixed times, audit events,
//! seeded clinics, and audit-log probes.

use crate::audit::{AuditAction, AuditEvent, AuditOutcome, AuditRecord, ObjectType, verify_chain};
use crate::ids::*;
use crate::records::*;
use crate::{Store, StoreError};
use cadence_clinical::screening::{Eligibility, ScreeningInput, ScreeningResult};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

/// What a backend gives each case.
#[async_trait::async_trait]
pub trait Backend: Send + Sync {
    /// The store under test: fresh, migrated, empty.
    fn store(&self) -> Arc<dyn Store>;
    /// Runs `UPDATE audit_log SET object_type = 'tampered' WHERE seq = <seq>` through the
    /// backend's own connection, returning rows affected or the database's error text.
    async fn raw_update_audit(&self, seq: i64) -> Result<u64, String>;
    /// Runs `DELETE FROM audit_log WHERE seq = <seq>` the same way.
    async fn raw_delete_audit(&self, seq: i64) -> Result<u64, String>;
    /// Runs a fixed statement (no bound values) through the backend's own connection,
    /// returning rows affected or the database's error text: for the append-only checks of
    /// the other record tables.
    async fn raw_sql(&self, sql: &'static str) -> Result<u64, String>;
}

/// Pages through the whole audit log and asserts the chain verifies, with gap-free `seq`.
pub async fn assert_chain_verifies(store: &dyn Store) {
    let rows = all_audit(store).await;
    let head = verify_chain(&rows).unwrap_or_else(|e| panic!("audit chain: {e}"));
    assert_eq!(head.seq, rows.len() as i64, "seq must be gap-free from 1");
}

/// The whole audit log, read in pages of 100 (so paging itself is exercised).
pub(crate) async fn all_audit(store: &dyn Store) -> Vec<AuditRecord> {
    let mut rows = Vec::new();
    loop {
        let from = rows.last().map_or(1, |r: &AuditRecord| r.seq + 1);
        let page = store.audit_page(from, 100).await.unwrap();
        let done = page.len() < 100;
        rows.extend(page);
        if done {
            return rows;
        }
    }
}

/// The last audit `seq` (0 for an empty log).
pub(crate) async fn last_seq(store: &dyn Store) -> i64 {
    all_audit(store).await.last().map_or(0, |r| r.seq)
}

/// The one audit row appended since `before`; fails if there are none or several.
pub(crate) async fn one_new_audit(store: &dyn Store, before: i64) -> AuditRecord {
    let mut rows = store.audit_page(before + 1, 10).await.unwrap();
    assert_eq!(
        rows.len(),
        1,
        "expected exactly one audit row after seq {before}, got {rows:#?}"
    );
    rows.remove(0)
}

/// Asserts that nothing was appended since `before`.
pub(crate) async fn no_new_audit(store: &dyn Store, before: i64) {
    let rows = store.audit_page(before + 1, 10).await.unwrap();
    assert!(rows.is_empty(), "expected no audit row, got {rows:#?}");
}

/// Asserts an audit row's action, object and patient (and that it records success).
pub(crate) fn assert_audit(
    row: &AuditRecord,
    action: AuditAction,
    object_type: ObjectType,
    object_id: Option<String>,
    patient: Option<PatientId>,
) {
    let e = &row.event;
    assert_eq!(e.action, action, "action of {row:#?}");
    assert_eq!(e.object_type, object_type, "object_type of {row:#?}");
    assert_eq!(e.object_id, object_id, "object_id of {row:#?}");
    assert_eq!(e.patient_id, patient, "patient_id of {row:#?}");
    assert_eq!(e.outcome, AuditOutcome::Success, "outcome of {row:#?}");
}

/// Asserts a result is `NotFound`.
pub(crate) fn assert_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>, what: &str) {
    match result {
        Err(StoreError::NotFound) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

/// Asserts a result is a conflict on `rule`.
pub(crate) fn assert_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, rule: &str) {
    match result {
        Err(StoreError::Conflict { constraint }) => assert_eq!(constraint, rule),
        other => panic!("expected Conflict({rule}), got {other:?}"),
    }
}

/// 2026-03-02 09:00:00 UTC plus `minutes`: every time in the suite is millisecond-exact.
pub(crate) fn at(minutes: i64) -> Timestamp {
    let t0 = Timestamp::from_second(1_772_442_000).unwrap();
    t0.checked_add(SignedDuration::from_mins(minutes)).unwrap()
}

/// A civil date from `YYYY-MM-DD`.
pub(crate) fn day(text: &str) -> Date {
    text.parse().unwrap()
}

/// Chairs the fixtures' bookings are checked against.
pub(crate) const CHAIRS: u16 = 50;

/// A 09:00 slot of 120 minutes on `YYYY-MM-DD`, in the next of [`CHAIRS`] chairs (so fixtures
/// of unrelated patients never share a chair; the scheduling cases pick their own).
pub(crate) fn slot(text: &str) -> BookingSlot {
    static NEXT: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    BookingSlot {
        on: day(text),
        starts_at: jiff::civil::time(9, 0, 0, 0),
        minutes: 120,
        chair: n % CHAIRS + 1,
    }
}

/// A known IANA time zone by name.
pub(crate) fn zone(name: &str) -> TimeZoneName {
    name.parse().unwrap()
}

/// A successful event by `actor` in `clinic` (no patient: stores fill it in).
pub(crate) fn event(
    actor: Option<&User>,
    action: AuditAction,
    object_type: ObjectType,
    object_id: Option<String>,
) -> AuditEvent {
    AuditEvent {
        at: at(0),
        actor_id: actor.map(|u| u.id),
        actor_role: actor.map(|u| u.role.as_str().to_owned()),
        clinic_id: actor.map(|u| u.clinic_id),
        patient_id: None,
        action,
        object_type,
        object_id,
        outcome: AuditOutcome::Success,
        request_id: "conformance".to_owned(),
    }
}

/// A create event by `actor` (the store fills in the id).
pub(crate) fn create(actor: &User, object_type: ObjectType) -> AuditEvent {
    event(Some(actor), AuditAction::Create, object_type, None)
}

/// A read event by `actor` about object `id`.
pub(crate) fn read(actor: &User, object_type: ObjectType, id: impl ToString) -> AuditEvent {
    event(
        Some(actor),
        AuditAction::Read,
        object_type,
        Some(id.to_string()),
    )
}

/// A read event about no single object (lists, searches).
pub(crate) fn read_many(actor: &User, object_type: ObjectType) -> AuditEvent {
    event(Some(actor), AuditAction::Read, object_type, None)
}

/// An update event by `actor` about object `id`.
pub(crate) fn update(actor: &User, object_type: ObjectType, id: impl ToString) -> AuditEvent {
    event(
        Some(actor),
        AuditAction::Update,
        object_type,
        Some(id.to_string()),
    )
}

/// A clinic with a clinician, seeded for a case.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// The clinic.
    pub clinic: Clinic,
    /// A clinician of it.
    pub clinician: User,
}

/// Creates a clinic named `name` with a clinician `clinician@<name>.test`.
pub(crate) async fn site(store: &dyn Store, name: &str) -> Site {
    let clinic = store
        .create_clinic(
            NewClinic {
                name: name.to_owned(),
                time_zone: zone("Europe/London"),
                created_at: at(0),
            },
            event(None, AuditAction::Create, ObjectType::Clinic, None),
        )
        .await
        .unwrap();
    let domain = name.to_lowercase().replace(' ', "-");
    let clinician = add_user(
        store,
        &clinic,
        &format!("clinician@{domain}.test"),
        Role::Clinician,
    )
    .await;
    Site { clinic, clinician }
}

/// Adds a user to a clinic.
pub(crate) async fn add_user(store: &dyn Store, clinic: &Clinic, email: &str, role: Role) -> User {
    store
        .create_user(
            NewUser {
                clinic_id: clinic.id,
                email: email.to_owned(),
                role,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".to_owned(),
                must_change_password: true,
                created_at: at(0),
            },
            event(None, AuditAction::Create, ObjectType::User, None),
        )
        .await
        .unwrap()
}

/// Patient details with the given names and MRN.
pub(crate) fn details(given: &str, family: &str, mrn: &str) -> PatientDetails {
    PatientDetails {
        mrn: mrn.to_owned(),
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        birth_date: day("1980-05-17"),
        sex: Sex::Female,
        weight_kg: Some(72.5),
        weight_measured_on: None,
        contact: PatientContact::default(),
    }
}

/// Adds a patient to a site.
pub(crate) async fn add_patient(store: &dyn Store, site: &Site, mrn: &str) -> Patient {
    store
        .create_patient(
            site.clinic.id,
            details("Ada", "Lovelace", mrn),
            at(1),
            create(&site.clinician, ObjectType::Patient),
        )
        .await
        .unwrap()
}

/// A course for a patient starting on `start`, with sessions on `sessions`.
pub(crate) async fn add_course(
    store: &dyn Store,
    site: &Site,
    patient: &Patient,
    start: &str,
    sessions: &[&str],
) -> Course {
    store
        .create_course(
            NewCourse {
                clinic_id: site.clinic.id,
                patient_id: patient.id,
                protocol_id: "esketamine-standard".to_owned(),
                protocol_version: 3,
                protocol_text: "id = \"esketamine-standard\"\nversion = 3\n".to_owned(),
                start_date: day(start),
                screening_id: None,
                screening_override: None,
                created_by: site.clinician.id,
                created_at: at(2),
            },
            sessions.iter().map(|d| slot(d)).collect(),
            CHAIRS,
            create(&site.clinician, ObjectType::Course),
        )
        .await
        .unwrap()
}

/// A screening input for a route (a 40-year-old, two failed trials).
pub(crate) fn screening_input(route: cadence_clinical::route::Route) -> ScreeningInput {
    serde_json::from_value(serde_json::json!({
        "route": route,
        "age_years": 40,
        "conditions": ["cardiovascular_disease"],
        "bp": {"systolic": 150, "diastolic": 92},
        "failed_adequate_trials": 2
    }))
    .unwrap()
}

/// A screening result with a decision and no reasons.
pub(crate) fn screening_result(decision: Eligibility) -> ScreeningResult {
    ScreeningResult {
        decision,
        reasons: Vec::new(),
        maudsley: None,
    }
}

/// A stored score from its JSON form (the typed shape the store keeps).
pub(crate) fn stored_score(v: serde_json::Value) -> cadence_clinical::instrument::StoredScore {
    serde_json::from_value(v).unwrap()
}
