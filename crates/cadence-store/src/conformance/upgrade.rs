//! Upgrading a database from before safety records (migration 0003): each backend applies its
//! migrations 0001-0002, runs [`OLD_RECORDS`] (records as an older Cadence stored them), opens
//! the store (which applies 0003) and calls [`records_survive_migration_0003`].

use crate::Store;
use crate::audit::{AuditAction, AuditEvent, AuditOutcome, ObjectType};
use crate::ids::*;
use crate::records::*;
use cadence_clinical::safety::FindingKind;
use jiff::Timestamp;

/// A clinic with one course: a completed session, a session held at 158/97, a flagged PHQ-9
/// reviewed by a later decision and one flagged after it. Plain SQL both backends run.
pub const OLD_RECORDS: &str = include_str!("upgrade_0003.sql");

/// The statements of [`OLD_RECORDS`], comments left out.
pub fn old_record_statements() -> Vec<String> {
    OLD_RECORDS
        .split(';')
        .map(|s| {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// Nothing is lost: each stored reading is an entry at its own time and by its author, the
/// held session's blood pressure is an open finding (a clinician releases it now), and a
/// flagged assessment followed by a decision counts as released by it, while one after the
/// last decision stays open.
pub async fn records_survive_migration_0003(store: &dyn Store) {
    let event = AuditEvent {
        at: "2026-03-06T12:00:00Z".parse().unwrap(),
        actor_id: Some(UserId(1)),
        actor_role: Some("clinician".into()),
        clinic_id: Some(ClinicId(1)),
        patient_id: None,
        action: AuditAction::Read,
        object_type: ObjectType::Course,
        object_id: Some("1".into()),
        outcome: AuditOutcome::Success,
        request_id: "upgrade".into(),
    };
    let bundle = store
        .get_course_bundle(ClinicId(1), CourseId(1), event)
        .await
        .unwrap();

    let done = &bundle.sessions[0];
    assert_eq!(done.status, SessionStatus::Completed);
    let kinds: Vec<SessionEntryKind> = done.entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            SessionEntryKind::PreChecks,
            SessionEntryKind::Administration,
            SessionEntryKind::Discharge
        ]
    );
    let at = |s: &str| s.parse::<Timestamp>().unwrap();
    let times: Vec<Timestamp> = done.entries.iter().map(|e| e.recorded_at).collect();
    assert_eq!(
        times,
        [
            at("2026-03-02T09:00:00Z"),
            at("2026-03-02T09:10:00Z"),
            at("2026-03-02T11:00:00Z")
        ],
        "each entry at its own time"
    );
    assert!(done.entries.iter().all(|e| e.recorded_by == UserId(2)));
    assert_eq!(
        done.administration.as_ref().map(|a| a.lot.as_str()),
        Some("OLD-LOT")
    );
    assert_eq!(done.discharge.as_ref().map(|d| d.moaas), Some(5));

    let held = &bundle.sessions[1];
    assert_eq!(
        held.pre_checks
            .as_ref()
            .map(|p| (p.bp.systolic, p.bp.diastolic)),
        Some((158, 97)),
        "the held reading is kept"
    );
    assert_eq!(held.status, SessionStatus::InProgress);

    let of =
        |kind| -> Vec<&Finding> { bundle.findings.iter().filter(|f| f.kind == kind).collect() };
    let bp = of(FindingKind::PreDoseBloodPressure);
    assert_eq!(bp.len(), 1, "{:#?}", bundle.findings);
    assert!(bp[0].is_open(), "a hold is released by a clinician now");
    assert_eq!(bp[0].treatment_session_id, Some(TreatmentSessionId(2)));
    assert!(bp[0].detail.contains("158/97"), "{}", bp[0].detail);

    let suicide = of(FindingKind::SuicideRiskItem);
    assert_eq!(suicide.len(), 2, "{suicide:#?}");
    let release = suicide[0]
        .release
        .as_ref()
        .expect("reviewed by the decision");
    assert_eq!(release.decision_id, Some(DecisionId(1)));
    assert_eq!(release.released_by, UserId(1));
    assert!(suicide[1].is_open(), "flagged after the last decision");
}
