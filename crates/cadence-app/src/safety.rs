//! Safety findings and holds (issue 13): what holds a patient's sessions, and the clinician's
//! release that ends it.
//!
//! A finding is stored with the record that raised it (an assessment, a pre-checks reading, a
//! monitoring entry, a screening). Any open finding holds every session of the patient: the
//! service refuses a dose, in the same transaction as the dose, until a clinician records a
//! release naming the finding with a note. Gates (a suicide screen taken on the session day,
//! a REMS enrolment for esketamine) are derived for each session from what is recorded; a
//! clinician may release the suicide-screen gate of one session, never the REMS one.

use crate::authz::{Permission, require};
use crate::validate;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::protocol::{self, Protocol, Safety};
use cadence_clinical::safety::{ExceptionalEnd, FindingKind, GateInputs, Severity, session_gates};
use cadence_store::StoreError;
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::{FindingId, PatientId, TreatmentSessionId, UserId};
use cadence_store::records::{
    CourseBundle, ExceptionalEndRecord, Finding, FindingSource, NewFinding, NewRelease,
    RemsEnrolment, SessionEntryKind, SessionStatus, TreatmentSession,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// Longest release note, in characters.
pub const MAX_RELEASE_NOTE_CHARS: usize = 2000;

/// Most exceptional ends listed for admins (the newest).
pub const EXCEPTIONAL_END_LIST: u32 = 100;

/// A session ended without a normal discharge, as admins review it (issue 13 §3): when, how,
/// and which clinician recorded it. No patient and no reason: admins have no patient access;
/// clinicians read the reason on the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptionalEndSummary {
    /// The session.
    pub treatment_session_id: TreatmentSessionId,
    /// The session's day.
    pub scheduled_on: Date,
    /// How it ended.
    pub kind: ExceptionalEnd,
    /// When.
    pub ended_at: Timestamp,
    /// The clinician who recorded it.
    pub recorded_by: UserId,
}

/// One reason a session is held: an open finding, or a gate the session fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hold {
    /// What it is about.
    pub kind: FindingKind,
    /// The finding in words.
    pub label: &'static str,
    /// How urgent.
    pub severity: Severity,
    /// What was found, with the values.
    pub detail: String,
    /// The stored finding, to name in a release (`None` for a gate: release it on the session).
    pub finding_id: Option<FindingId>,
    /// When it was found (`None` for a gate).
    pub found_at: Option<Timestamp>,
    /// Whether a clinician's release can end it (a missing REMS enrolment cannot).
    pub releasable: bool,
    /// The protocol rule behind it.
    pub rule: &'static str,
}

impl Hold {
    fn of(f: &Finding) -> Hold {
        Hold {
            kind: f.kind,
            label: f.kind.label(),
            severity: f.severity,
            detail: f.detail.clone(),
            finding_id: Some(f.id),
            found_at: Some(f.found_at),
            releasable: f.kind.releasable(),
            rule: f.kind.rule(),
        }
    }
}

/// The safety rules that apply to a patient before any course: the built-in protocols'
/// (PHQ-9 item 9 and C-SSRS moderate or high hold; MADRS item 10 at 4 alerts). Once a course
/// runs, its frozen protocol's rules apply.
pub fn default_safety() -> Option<Safety> {
    protocol::builtin_ids()
        .first()
        .and_then(|id| protocol::builtin(id))
        .map(|p| p.safety)
}

/// The instruments taken on `date`, from a patient's assessments.
pub(crate) fn taken_on(bundle: &CourseBundle, date: Date) -> Vec<InstrumentId> {
    bundle
        .assessments
        .iter()
        .filter(|a| a.taken_on == date)
        .map(|a| a.instrument)
        .collect()
}

/// Everything that holds `session` now: every open finding of the patient, then every gate
/// the session fails that no clinician released for it. A session whose dose is recorded, or
/// that is over, is held by nothing (its findings hold the next sessions).
pub(crate) fn holds_for(
    session: &TreatmentSession,
    protocol: &Protocol,
    bundle: &CourseBundle,
) -> Vec<Hold> {
    let closed = matches!(
        session.status,
        SessionStatus::Completed | SessionStatus::Cancelled | SessionStatus::NoShow
    );
    if closed || session.administration.is_some() {
        return Vec::new();
    }
    let mut holds: Vec<Hold> = bundle
        .findings
        .iter()
        .filter(|f| f.is_open())
        .map(Hold::of)
        .collect();
    let taken = taken_on(bundle, session.scheduled_on);
    let gates = session_gates(
        &protocol.safety,
        GateInputs {
            route: protocol.route,
            taken_today: &taken,
            rems_enrolled: bundle.rems.is_some(),
        },
    );
    for gate in gates {
        let released = bundle.findings.iter().any(|f| {
            f.source == FindingSource::Gate
                && f.kind == gate.kind
                && f.treatment_session_id == Some(session.id)
                && !f.is_open()
        });
        if !released {
            holds.push(Hold {
                kind: gate.kind,
                label: gate.kind.label(),
                severity: gate.severity,
                detail: gate.detail,
                finding_id: None,
                found_at: None,
                releasable: gate.kind.releasable(),
                rule: gate.kind.rule(),
            });
        }
    }
    holds
}

/// The message of a refused dose: every hold, each with what ends it.
pub(crate) fn held_message(holds: &[Hold]) -> String {
    let each: Vec<String> = holds
        .iter()
        .map(|h| {
            let next = match (h.finding_id, h.releasable) {
                (_, false) => "record the REMS enrolment".to_owned(),
                (Some(id), true) => format!("a clinician releases finding {id}"),
                (None, true) => {
                    "record the missing screen, or a clinician releases this session".to_owned()
                }
            };
            format!("{} ({}): {next}", h.label, h.detail)
        })
        .collect();
    format!(
        "this session is held for clinician review; no dose can be recorded until each hold \
         ends: {}",
        each.join("; ")
    )
}

/// The store's refusal of a release, in the service's words.
fn release_error(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict { constraint } if constraint.contains("finding_releases") => {
            AppError::Conflict {
                code: ErrorCode::AlreadyReleased,
                message: "this finding has been released already".into(),
            }
        }
        other => other.into(),
    }
}

impl App {
    /// A patient's findings, oldest first, with their releases (clinical roles).
    pub async fn list_findings(
        &self,
        actor: &Actor,
        patient: PatientId,
    ) -> Result<Vec<Finding>, AppError> {
        require(actor.role, Permission::ReadClinical)?;
        let event = actor
            .event(self, AuditAction::Read, ObjectType::FindingList)
            .with_patient(patient);
        Ok(self
            .store
            .list_findings(actor.clinic_id, patient, event)
            .await?)
    }

    /// The clinic's open findings, oldest first (clinical roles): what `/today` alerts on.
    pub async fn open_findings(&self, actor: &Actor) -> Result<Vec<Finding>, AppError> {
        require(actor.role, Permission::ReadClinical)?;
        let event = actor.event(self, AuditAction::Read, ObjectType::FindingList);
        Ok(self
            .store
            .list_open_findings(actor.clinic_id, event)
            .await?)
    }

    /// The clinic's sessions ended exceptionally, newest first (at most
    /// [`EXCEPTIONAL_END_LIST`]), for admins: one audited read about no patient.
    pub async fn exceptional_ends(
        &self,
        actor: &Actor,
    ) -> Result<Vec<ExceptionalEndSummary>, AppError> {
        require(actor.role, Permission::Administer)?;
        let event = actor.event(self, AuditAction::Read, ObjectType::ExceptionalEndList);
        let found = self
            .store
            .list_clinic_entries(
                actor.clinic_id,
                SessionEntryKind::ExceptionalEnd,
                EXCEPTIONAL_END_LIST,
                event,
            )
            .await?;
        found
            .into_iter()
            .map(|e| {
                let record: ExceptionalEndRecord = serde_json::from_value(e.entry.body)
                    .map_err(|err| AppError::Internal(format!("exceptional end: {err}")))?;
                Ok(ExceptionalEndSummary {
                    treatment_session_id: e.treatment_session_id,
                    scheduled_on: e.scheduled_on,
                    kind: record.kind,
                    ended_at: record.ended_at,
                    recorded_by: record.recorded_by,
                })
            })
            .collect()
    }

    /// A clinician releases a finding with a note (required): the hold it caused ends. A
    /// missing REMS enrolment is not released: it ends when the enrolment is recorded.
    pub async fn release_finding(
        &self,
        actor: &Actor,
        id: FindingId,
        note: &str,
    ) -> Result<Finding, AppError> {
        require(actor.role, Permission::Decide)?;
        let note = required_note(note)?;
        let release = NewRelease {
            note,
            decision_id: None,
            released_by: actor.user_id,
            released_at: self.now(),
        };
        let event = actor.event(self, AuditAction::Create, ObjectType::FindingRelease);
        self.store
            .release_finding(actor.clinic_id, id, release, event)
            .await
            .map_err(release_error)
    }

    /// A clinician releases a gate of one session (the suicide screen not taken that day) with
    /// a note. Only a gate the session fails now can be released.
    pub async fn release_gate(
        &self,
        actor: &Actor,
        session: TreatmentSessionId,
        kind: FindingKind,
        note: &str,
    ) -> Result<Finding, AppError> {
        require(actor.role, Permission::Decide)?;
        let note = required_note(note)?;
        let ctx = self.session_context(actor, session).await?;
        let gate = ctx
            .holds
            .iter()
            .find(|h| h.kind == kind && h.finding_id.is_none());
        let Some(gate) = gate else {
            return Err(AppError::Conflict {
                code: ErrorCode::NothingToRelease,
                message: format!(
                    "this session is not held by `{kind}`: release a finding by its id, or check \
                     the session's holds"
                ),
            });
        };
        if !gate.releasable {
            return Err(AppError::Conflict {
                code: ErrorCode::FindingNotReleasable,
                message: "the REMS requires enrolment before a dose: record the patient's REMS \
                          enrolment instead"
                    .into(),
            });
        }
        let new = NewFinding {
            kind,
            severity: gate.severity,
            detail: gate.detail.clone(),
            course_id: Some(ctx.session.course_id),
        };
        let release = NewRelease {
            note,
            decision_id: None,
            released_by: actor.user_id,
            released_at: self.now(),
        };
        let event = actor.event(self, AuditAction::Create, ObjectType::FindingRelease);
        self.store
            .release_gate(actor.clinic_id, session, new, release, event)
            .await
            .map_err(release_error)
    }

    /// Records a patient's SPRAVATO REMS enrolment (clinicians): required before a first
    /// esketamine dose [SPRAVATOREMS-OUT].
    pub async fn set_rems_enrolment(
        &self,
        actor: &Actor,
        patient: PatientId,
        rems_patient_id: &str,
        enrolled_on: Date,
    ) -> Result<RemsEnrolment, AppError> {
        require(actor.role, Permission::Screen)?;
        let rems_patient_id = validate::text("rems_patient_id", rems_patient_id, 40)?;
        let today = self.clinic_today(actor).await?;
        let enrolled_on = validate::not_future("enrolled_on", enrolled_on, today)?;
        let found = self.get_patient(actor, patient).await?;
        if enrolled_on < found.details.birth_date {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                "enrolled_on is before the patient's birth date",
            ));
        }
        let enrolment = RemsEnrolment {
            patient_id: patient,
            rems_patient_id,
            enrolled_on,
            recorded_by: actor.user_id,
            recorded_at: self.now(),
        };
        let event = actor
            .event(self, AuditAction::Update, ObjectType::RemsEnrolment)
            .with_patient(patient)
            .with_object_id(patient);
        Ok(self
            .store
            .set_rems_enrolment(actor.clinic_id, enrolment, event)
            .await?)
    }
}

/// A required note: trimmed, 1 to [`MAX_RELEASE_NOTE_CHARS`] characters.
pub(crate) fn required_note(note: &str) -> Result<String, AppError> {
    match validate::note("note", Some(note), MAX_RELEASE_NOTE_CHARS)? {
        Some(n) => Ok(n),
        None => Err(AppError::invalid(
            ErrorCode::NoteRequired,
            "a note is required: say what was reviewed and why dosing may go ahead",
        )),
    }
}
