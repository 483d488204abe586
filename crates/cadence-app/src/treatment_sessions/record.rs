//! The nurse's record of a session, entry by entry (issue 13): pre-checks (each a reading,
//! nothing overwritten), the administration (refused while anything holds the session, its
//! departures from the order or label confirmed with a reason), the infusion's end, monitoring
//! entries (which raise in-session alerts), and the end: a discharge once the protocol's
//! criteria are met, or a clinician's exceptional end. Then the clinician's signature, and
//! addenda after it (issue 16).
//!
//! Each write is one store transaction; the checks that depend on other writers (no open
//! finding, one administration, not signed) are repeated inside it.

use super::{SessionContext, SessionView};
use crate::authz::{Permission, require};
use crate::safety::held_message;
use crate::validate;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_clinical::route::Route;
use cadence_clinical::safety::{
    ADVERSE_EFFECTS, Confirmations, ExceptionalEnd, FindingDraft, Readiness, Vitals,
    discharge_criteria, dose_flags, mg_per_kg, monitoring_findings, pre_dose_finding, unconfirmed,
};
use cadence_clinical::vitals::Spo2;
use cadence_store::StoreError;
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::{SessionEntryId, TreatmentSessionId};
use cadence_store::records::{
    Administration, Discharge, EntryGuard, ExceptionalEndRecord, MonitoringEntry, NewFinding,
    NewMonitoringEntry, NewSessionEntry, PreChecks, SessionEntryKind, SessionStatus,
};
use jiff::Timestamp;

/// Most adverse effects one monitoring entry lists (each code once).
const MAX_EFFECTS: usize = ADVERSE_EFFECTS.len();
/// Longest reason or note on a record, in characters.
const MAX_REASON_CHARS: usize = 2000;

/// Pre-dose checks as a nurse enters them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreCheckInput {
    /// Identity confirmed.
    pub identity_confirmed: bool,
    /// Fasting as instructed.
    pub fasting_confirmed: bool,
    /// Transport home arranged.
    pub transport_arranged: bool,
    /// Systolic BP, mmHg.
    pub bp_systolic: u16,
    /// Diastolic BP, mmHg.
    pub bp_diastolic: u16,
    /// Heart rate, bpm.
    pub heart_rate: Option<u16>,
    /// SpO2, percent.
    pub spo2: Option<u8>,
}

/// Administration as recorded, or a correction of it.
#[derive(Debug, Clone, PartialEq)]
pub struct AdministrationInput {
    /// Route (must match the course's protocol).
    pub route: Route,
    /// Dose ordered, mg.
    pub dose_ordered_mg: f64,
    /// Dose given, mg.
    pub dose_given_mg: f64,
    /// Lot number.
    pub lot: String,
    /// When administration started (default: now).
    pub started_at: Option<Timestamp>,
    /// When an infusion ended, if already known.
    pub ended_at: Option<Timestamp>,
    /// The reason that confirms a dose departing from the order or the label.
    pub confirm_reason: Option<String>,
    /// The administration entry this corrects (with `correction_reason`).
    pub corrects: Option<SessionEntryId>,
    /// Why the correction is made.
    pub correction_reason: Option<String>,
}

/// A monitoring entry as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonitoringInput {
    /// When taken (default: now).
    pub taken_at: Option<Timestamp>,
    /// Systolic BP.
    pub bp_systolic: Option<u16>,
    /// Diastolic BP.
    pub bp_diastolic: Option<u16>,
    /// Heart rate.
    pub heart_rate: Option<u16>,
    /// SpO2.
    pub spo2: Option<u8>,
    /// Respiratory rate, breaths a minute.
    pub respiratory_rate: Option<u16>,
    /// MOAA/S 0-5.
    pub moaas: Option<u8>,
    /// CADSS total 0-92.
    pub cadss: Option<u8>,
    /// Adverse effects (codes of [`ADVERSE_EFFECTS`], each once).
    pub adverse_effects: Vec<String>,
}

/// Discharge as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DischargeInput {
    /// MOAA/S at discharge.
    pub moaas: u8,
    /// Systolic BP before leaving.
    pub bp_systolic: u16,
    /// Diastolic BP before leaving.
    pub bp_diastolic: u16,
    /// Clinically stable.
    pub clinically_stable: bool,
    /// Escort present.
    pub escort_present: bool,
    /// Minutes after start the patient would have been ready to leave.
    pub ready_after_minutes: Option<u32>,
}

/// An exceptional end, recorded by a clinician.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionalEndInput {
    /// How the session ended.
    pub kind: ExceptionalEnd,
    /// Why (required).
    pub reason: String,
}

/// The optional vital signs checked, SpO2 as a reading.
fn check_optional_vitals(
    hr: Option<u16>,
    spo2: Option<u8>,
    rr: Option<u16>,
) -> Result<Option<Spo2>, AppError> {
    if let Some(hr) = hr {
        validate::within("heart_rate", hr, 20, 250)?;
    }
    let spo2 = validate::spo2(spo2)?;
    if let Some(r) = rr {
        validate::within("respiratory_rate", r, 1, 80)?;
    }
    Ok(spo2)
}

fn json(value: &impl serde::Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(|e| AppError::Internal(e.to_string()))
}

fn drafts(found: Vec<FindingDraft>, ctx: &SessionContext) -> Vec<NewFinding> {
    found
        .into_iter()
        .map(|f| NewFinding {
            kind: f.kind,
            severity: f.severity,
            detail: f.detail,
            course_id: Some(ctx.session.course_id),
        })
        .collect()
}

/// The store's refusals of an entry, in the service's words.
fn entry_error(e: StoreError, holds: &[crate::safety::Hold]) -> AppError {
    match e {
        StoreError::Conflict { constraint } => match constraint.as_str() {
            "session_entries.once" => AppError::Conflict {
                code: ErrorCode::AlreadyRecorded,
                message: "this is recorded already for this session: to change it, send a \
                          correction naming the entry (`corrects`) with a reason"
                    .into(),
            },
            "session_entries.corrects" => AppError::Conflict {
                code: ErrorCode::AlreadyCorrected,
                message: "that entry has been corrected already: correct the latest entry".into(),
            },
            "session_entries.signed" => AppError::Conflict {
                code: ErrorCode::SessionSigned,
                message: "this session is signed and locked: add an addendum instead".into(),
            },
            "findings.open" => AppError::Conflict {
                code: ErrorCode::SessionHeld,
                message: if holds.is_empty() {
                    "a safety finding was recorded for this patient a moment ago: reload the \
                     session and have a clinician review it"
                        .into()
                } else {
                    held_message(holds)
                },
            },
            other => StoreError::Conflict {
                constraint: other.to_owned(),
            }
            .into(),
        },
        other => other.into(),
    }
}

impl App {
    /// Refuses an instant outside the session's day in the clinic, or in the future.
    async fn within_session_day(
        &self,
        actor: &Actor,
        ctx: &SessionContext,
        field: &'static str,
        at: Timestamp,
    ) -> Result<Timestamp, AppError> {
        if at > self.now() {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                format!("{} {at} is in the future", validate::words(field)),
            ));
        }
        if self.clinic_date(actor, at).await? != ctx.session.scheduled_on {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                format!(
                    "{} is not on the session's day ({}): record times of the session",
                    validate::words(field),
                    ctx.session.scheduled_on
                ),
            ));
        }
        Ok(at)
    }

    /// The session for a record made today by the nurse, or why not.
    async fn session_for_record(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
    ) -> Result<SessionContext, AppError> {
        require(actor.role, Permission::RecordSession)?;
        let ctx = self.session_context(actor, id).await?;
        // A session is recorded on the day it takes place: a record dated ahead of its booking
        // would be a session in the future.
        if ctx.session.scheduled_on > ctx.today {
            return Err(AppError::Conflict {
                code: ErrorCode::SessionNotToday,
                message: format!(
                    "this session is booked for {}; record it on that day, or move it to today \
                     first",
                    ctx.session.scheduled_on
                ),
            });
        }
        Ok(ctx)
    }

    async fn append(
        &self,
        actor: &Actor,
        ctx: SessionContext,
        entry: NewSessionEntry,
        guard: EntryGuard,
        findings: Vec<NewFinding>,
        object: ObjectType,
    ) -> Result<SessionView, AppError> {
        let event = actor
            .event(self, AuditAction::Update, object)
            .with_patient(ctx.session.patient_id);
        let (session, findings) = self
            .store
            .append_session_entry(
                actor.clinic_id,
                ctx.session.id,
                entry,
                guard,
                findings,
                event,
            )
            .await
            .map_err(|e| entry_error(e, &ctx.holds))?;
        // The findings as they are after the write (one just raised holds the session too).
        let mut ctx = ctx;
        ctx.course.bundle.findings = findings;
        if let Some(slot) = ctx
            .course
            .bundle
            .sessions
            .iter_mut()
            .find(|s| s.id == session.id)
        {
            *slot = session.clone();
        }
        let holds = crate::safety::holds_for(&session, &ctx.course.protocol, &ctx.course.bundle);
        Ok(SessionContext {
            session,
            holds,
            ..ctx
        }
        .view(actor, self.now()))
    }

    /// Records pre-dose checks: a new reading, the earlier ones kept. A blood pressure over the
    /// protocol's threshold raises a finding (one per session until released) that holds the
    /// session until a clinician releases it.
    pub async fn record_pre_checks(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        input: PreCheckInput,
    ) -> Result<SessionView, AppError> {
        require(actor.role, Permission::RecordSession)?;
        let bp = validate::blood_pressure(input.bp_systolic, input.bp_diastolic)?;
        let spo2 = check_optional_vitals(input.heart_rate, input.spo2, None)?;
        let ctx = self.session_for_record(actor, id).await?;
        ctx.require_open()?;
        ctx.require_active()?;
        if ctx.session.administration.is_some() {
            return Err(AppError::Conflict {
                code: ErrorCode::AlreadyDosed,
                message: "the dose is recorded: record further vital signs as monitoring entries"
                    .into(),
            });
        }
        let open_bp = ctx.course.bundle.findings.iter().any(|f| {
            f.is_open()
                && f.treatment_session_id == Some(id)
                && f.kind == cadence_clinical::safety::FindingKind::PreDoseBloodPressure
        });
        let found = pre_dose_finding(bp, &ctx.course.protocol.safety)
            .filter(|_| !open_bp)
            .into_iter()
            .collect();
        let now = self.now();
        let reading = PreChecks {
            identity_confirmed: input.identity_confirmed,
            fasting_confirmed: input.fasting_confirmed,
            transport_arranged: input.transport_arranged,
            bp,
            heart_rate: input.heart_rate,
            spo2,
            recorded_by: actor.user_id,
            recorded_at: now,
        };
        let entry = NewSessionEntry {
            kind: SessionEntryKind::PreChecks,
            body: json(&reading)?,
            corrects: None,
            reason: None,
            recorded_by: actor.user_id,
            recorded_at: now,
            status: Some(SessionStatus::InProgress),
        };
        let findings = drafts(found, &ctx);
        let guard = EntryGuard {
            not_signed: true,
            ..EntryGuard::default()
        };
        self.append(actor, ctx, entry, guard, findings, ObjectType::PreChecks)
            .await
    }

    /// Records what was administered, or corrects it. A first record needs the latest
    /// pre-checks to confirm identity, transport (and fasting where the protocol asks), and
    /// nothing may hold the session; a dose that departs from the order or the label needs
    /// `confirm_reason`. Cadence never suggests a dose.
    pub async fn record_administration(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        input: AdministrationInput,
    ) -> Result<SessionView, AppError> {
        require(actor.role, Permission::RecordSession)?;
        validate::decimal("dose_ordered_mg", input.dose_ordered_mg, 0.1, 1000.0)?;
        validate::decimal("dose_given_mg", input.dose_given_mg, 0.0, 1000.0)?;
        let lot = validate::text("lot", &input.lot, 40)?;
        let confirm = validate::note("confirm_reason", input.confirm_reason.as_deref(), 500)?;
        let ctx = self.session_for_record(actor, id).await?;
        if input.route != ctx.course.protocol.route {
            return Err(AppError::invalid(
                ErrorCode::RouteMismatch,
                format!(
                    "this course's protocol is {}, not {}",
                    ctx.course.protocol.route, input.route
                ),
            ));
        }
        let correction = match input.corrects {
            Some(entry) => Some((
                entry,
                validate::note(
                    "correction_reason",
                    input.correction_reason.as_deref(),
                    MAX_REASON_CHARS,
                )?
                .ok_or_else(|| {
                    AppError::invalid(
                        ErrorCode::NoteRequired,
                        "a correction needs correction_reason",
                    )
                })?,
            )),
            None => None,
        };
        if correction.is_none() {
            ctx.require_open()?;
            ctx.require_active()?;
            let Some(pre) = ctx.session.pre_checks.as_ref() else {
                return Err(AppError::Conflict {
                    code: ErrorCode::PreChecksMissing,
                    message: "record the pre-dose checks before administration".into(),
                });
            };
            let missing = unconfirmed(
                Confirmations {
                    identity: pre.identity_confirmed,
                    fasting: pre.fasting_confirmed,
                    transport: pre.transport_arranged,
                },
                &ctx.course.protocol.safety,
            );
            if !missing.is_empty() {
                return Err(AppError::Conflict {
                    code: ErrorCode::PreChecksIncomplete,
                    message: format!(
                        "the latest pre-checks do not confirm {}: record the pre-checks again \
                         once confirmed",
                        missing.join(", ")
                    ),
                });
            }
            if !ctx.holds.is_empty() {
                return Err(AppError::Conflict {
                    code: ErrorCode::SessionHeld,
                    message: held_message(&ctx.holds),
                });
            }
        }
        let now = self.now();
        let started_at = self
            .within_session_day(actor, &ctx, "started_at", input.started_at.unwrap_or(now))
            .await?;
        let ended_at = match input.ended_at {
            Some(end) => {
                let end = self
                    .within_session_day(actor, &ctx, "ended_at", end)
                    .await?;
                if end < started_at {
                    return Err(AppError::invalid(
                        ErrorCode::OutOfRange,
                        "ended_at is before started_at",
                    ));
                }
                Some(end)
            }
            None => None,
        };
        let first_session = !ctx.course.bundle.sessions.iter().any(|o| {
            o.id != id && o.administration.is_some() && o.scheduled_on <= ctx.session.scheduled_on
        });
        let flags = dose_flags(
            ctx.course.protocol.dose_check.as_ref(),
            input.dose_ordered_mg,
            input.dose_given_mg,
            first_session,
        );
        if !flags.is_empty() && confirm.is_none() {
            let each: Vec<String> = flags.iter().map(|f| f.message()).collect();
            return Err(AppError::invalid(
                ErrorCode::DoseConfirmationRequired,
                format!(
                    "confirm this dose with a reason (confirm_reason): {}",
                    each.join("; ")
                ),
            ));
        }
        let per_kg = ctx
            .course
            .protocol
            .dose_check
            .as_ref()
            .is_some_and(|d| d.per_kg);
        let weight = if per_kg {
            self.get_patient(actor, ctx.session.patient_id)
                .await?
                .details
                .weight_kg
        } else {
            None
        };
        let record = Administration {
            route: input.route,
            dose_ordered_mg: input.dose_ordered_mg,
            dose_given_mg: input.dose_given_mg,
            lot,
            started_at,
            ended_at,
            weight_kg: weight,
            mg_per_kg: weight.and_then(|w| mg_per_kg(input.dose_given_mg, w)),
            confirmation: if flags.is_empty() { None } else { confirm },
            dose_flags: flags,
            recorded_by: actor.user_id,
        };
        let (corrects, reason) = match correction {
            Some((entry, reason)) => (Some(entry), Some(reason)),
            None => (None, None),
        };
        let entry = NewSessionEntry {
            kind: SessionEntryKind::Administration,
            body: json(&record)?,
            corrects,
            reason,
            recorded_by: actor.user_id,
            recorded_at: now,
            status: None,
        };
        let guard = EntryGuard {
            no_open_findings: corrects.is_none(),
            not_signed: true,
        };
        self.append(
            actor,
            ctx,
            entry,
            guard,
            Vec::new(),
            ObjectType::Administration,
        )
        .await
    }

    /// Records when an infusion ended (once; after the administration).
    pub async fn record_infusion_end(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        ended_at: Option<Timestamp>,
    ) -> Result<SessionView, AppError> {
        let ctx = self.session_for_record(actor, id).await?;
        let Some(admin) = ctx.session.administration.as_ref() else {
            return Err(AppError::Conflict {
                code: ErrorCode::AdministrationMissing,
                message: "record the administration before its end".into(),
            });
        };
        if let Some(ended) = admin.ended_at {
            return Err(AppError::Conflict {
                code: ErrorCode::AlreadyRecorded,
                message: format!(
                    "the infusion's end is recorded already ({ended}): correct the \
                     administration to change it"
                ),
            });
        }
        let started = admin.started_at;
        let now = self.now();
        let end = self
            .within_session_day(actor, &ctx, "ended_at", ended_at.unwrap_or(now))
            .await?;
        if end < started {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                "ended_at is before the administration started",
            ));
        }
        let entry = NewSessionEntry {
            kind: SessionEntryKind::AdministrationEnd,
            body: serde_json::json!({ "ended_at": end }),
            corrects: None,
            reason: None,
            recorded_by: actor.user_id,
            recorded_at: now,
            status: None,
        };
        let guard = EntryGuard {
            not_signed: true,
            ..EntryGuard::default()
        };
        self.append(
            actor,
            ctx,
            entry,
            guard,
            Vec::new(),
            ObjectType::Administration,
        )
        .await
    }

    /// Adds a monitoring entry. Values outside the protocol's in-session limits raise an alert
    /// at once: a finding that holds the patient's next sessions until a clinician releases
    /// it.
    pub async fn add_monitoring(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        input: MonitoringInput,
    ) -> Result<MonitoringEntry, AppError> {
        require(actor.role, Permission::RecordSession)?;
        let bp = match (input.bp_systolic, input.bp_diastolic) {
            (Some(s), Some(d)) => Some(validate::blood_pressure(s, d)?),
            (None, None) => None,
            _ => {
                return Err(AppError::invalid(
                    ErrorCode::OutOfRange,
                    "record both systolic and diastolic, or neither",
                ));
            }
        };
        let spo2 = check_optional_vitals(input.heart_rate, input.spo2, input.respiratory_rate)?;
        if let Some(m) = input.moaas {
            validate::within("moaas", m, 0, 5)?;
        }
        if let Some(c) = input.cadss {
            validate::within("cadss", c, 0, 92)?;
        }
        if input.adverse_effects.len() > MAX_EFFECTS {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                format!("adverse_effects lists at most {MAX_EFFECTS} effects, each once"),
            ));
        }
        let mut effects: Vec<String> = Vec::with_capacity(input.adverse_effects.len());
        for e in &input.adverse_effects {
            if !ADVERSE_EFFECTS.iter().any(|(code, _)| code == e) {
                let known: Vec<&str> = ADVERSE_EFFECTS.iter().map(|(c, _)| *c).collect();
                return Err(AppError::invalid(
                    ErrorCode::OutOfRange,
                    format!("adverse_effects: unknown code; use {}", known.join(", ")),
                ));
            }
            if effects.contains(e) {
                return Err(AppError::invalid(
                    ErrorCode::OutOfRange,
                    "adverse_effects lists an effect twice",
                ));
            }
            effects.push(e.clone());
        }
        let ctx = self.session_for_record(actor, id).await?;
        ctx.require_open()?;
        let now = self.now();
        let taken_at = self
            .within_session_day(actor, &ctx, "taken_at", input.taken_at.unwrap_or(now))
            .await?;
        let vitals = Vitals {
            bp,
            spo2,
            moaas: input.moaas,
            respiratory_rate: input.respiratory_rate,
        };
        let findings = drafts(
            monitoring_findings(&vitals, ctx.course.protocol.safety.in_session.as_ref()),
            &ctx,
        );
        let entry = NewMonitoringEntry {
            taken_at,
            bp,
            heart_rate: input.heart_rate,
            spo2,
            respiratory_rate: input.respiratory_rate,
            moaas: input.moaas,
            cadss: input.cadss,
            adverse_effects: effects,
            recorded_by: actor.user_id,
        };
        let event = actor
            .event(self, AuditAction::Create, ObjectType::MonitoringEntry)
            .with_patient(ctx.session.patient_id);
        Ok(self
            .store
            .add_monitoring_entry(actor.clinic_id, id, entry, findings, event)
            .await?)
    }

    /// Records discharge and completes the session, once the protocol's discharge criteria
    /// are met (issue 13 §3); otherwise refused, listing what is unmet. A clinician records an
    /// exceptional end instead when they cannot be met.
    pub async fn record_discharge(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        input: DischargeInput,
    ) -> Result<SessionView, AppError> {
        require(actor.role, Permission::RecordSession)?;
        validate::within("moaas", input.moaas, 0, 5)?;
        let bp = validate::blood_pressure(input.bp_systolic, input.bp_diastolic)?;
        if let Some(m) = input.ready_after_minutes {
            validate::within("ready_after_minutes", m, 0, 24 * 60)?;
        }
        let ctx = self.session_for_record(actor, id).await?;
        ctx.require_open()?;
        let Some(admin) = ctx.session.administration.as_ref() else {
            return Err(AppError::Conflict {
                code: ErrorCode::AdministrationMissing,
                message: "record the administration before discharge".into(),
            });
        };
        let now = self.now();
        let unmet: Vec<String> = discharge_criteria(
            &ctx.course.protocol,
            &Readiness {
                dosed_at: Some(admin.started_at),
                at: Some(now),
                moaas: Some(input.moaas),
                bp: Some(bp),
                clinically_stable: Some(input.clinically_stable),
                escort_present: Some(input.escort_present),
            },
        )
        .into_iter()
        .filter(|c| c.met != Some(true))
        .map(|c| format!("{} (observed: {})", c.label, c.observed))
        .collect();
        if !unmet.is_empty() {
            return Err(AppError::Conflict {
                code: ErrorCode::DischargeCriteriaUnmet,
                message: format!(
                    "the discharge criteria are not met: {}. Keep monitoring, or a clinician \
                     records an exceptional end",
                    unmet.join("; ")
                ),
            });
        }
        let record = Discharge {
            discharged_at: now,
            moaas: input.moaas,
            bp,
            clinically_stable: input.clinically_stable,
            escort_present: input.escort_present,
            ready_after_minutes: input.ready_after_minutes,
            recorded_by: actor.user_id,
        };
        let entry = NewSessionEntry {
            kind: SessionEntryKind::Discharge,
            body: json(&record)?,
            corrects: None,
            reason: None,
            recorded_by: actor.user_id,
            recorded_at: now,
            status: Some(SessionStatus::Completed),
        };
        let guard = EntryGuard {
            not_signed: true,
            ..EntryGuard::default()
        };
        self.append(actor, ctx, entry, guard, Vec::new(), ObjectType::Discharge)
            .await
    }

    /// A clinician ends a session that cannot meet the discharge criteria (transfer to
    /// emergency care, left against advice), with a reason; the session is flagged.
    pub async fn record_exceptional_end(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        input: ExceptionalEndInput,
    ) -> Result<SessionView, AppError> {
        require(actor.role, Permission::Decide)?;
        let reason =
            validate::note("reason", Some(&input.reason), MAX_REASON_CHARS)?.ok_or_else(|| {
                AppError::invalid(ErrorCode::NoteRequired, "an exceptional end needs a reason")
            })?;
        let ctx = self.session_context(actor, id).await?;
        if ctx.session.scheduled_on > ctx.today {
            return Err(AppError::Conflict {
                code: ErrorCode::SessionNotToday,
                message: "this session has not taken place yet: cancel it instead".into(),
            });
        }
        ctx.require_open()?;
        if ctx.session.entries.is_empty() {
            return Err(AppError::Conflict {
                code: ErrorCode::SessionNotStarted,
                message: "this session has no record yet: cancel it or mark it not attended \
                          instead"
                    .into(),
            });
        }
        let now = self.now();
        let record = ExceptionalEndRecord {
            kind: input.kind,
            reason,
            ended_at: now,
            recorded_by: actor.user_id,
        };
        let entry = NewSessionEntry {
            kind: SessionEntryKind::ExceptionalEnd,
            body: json(&record)?,
            corrects: None,
            reason: None,
            recorded_by: actor.user_id,
            recorded_at: now,
            status: Some(SessionStatus::Completed),
        };
        let guard = EntryGuard {
            not_signed: true,
            ..EntryGuard::default()
        };
        self.append(
            actor,
            ctx,
            entry,
            guard,
            Vec::new(),
            ObjectType::ExceptionalEnd,
        )
        .await
    }

    /// A clinician signs a completed session: its record is locked; later changes are addenda.
    pub async fn sign_session(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
    ) -> Result<SessionView, AppError> {
        require(actor.role, Permission::Decide)?;
        let ctx = self.session_context(actor, id).await?;
        if ctx.session.status != SessionStatus::Completed {
            return Err(AppError::Conflict {
                code: ErrorCode::SessionNotCompleted,
                message: "sign a session once it is discharged or ended".into(),
            });
        }
        let now = self.now();
        let entry = NewSessionEntry {
            kind: SessionEntryKind::Signature,
            body: serde_json::json!({}),
            corrects: None,
            reason: None,
            recorded_by: actor.user_id,
            recorded_at: now,
            status: None,
        };
        let guard = EntryGuard {
            not_signed: true,
            ..EntryGuard::default()
        };
        self.append(actor, ctx, entry, guard, Vec::new(), ObjectType::Signature)
            .await
    }

    /// Adds an addendum to a session's record: a note with its reason, after the fact (the
    /// only change a signed record takes).
    pub async fn add_addendum(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        text: &str,
        reason: &str,
    ) -> Result<SessionView, AppError> {
        require(actor.role, Permission::RecordSession)?;
        let text = validate::note("text", Some(text), MAX_REASON_CHARS)?
            .ok_or_else(|| AppError::invalid(ErrorCode::MissingField, "text is required"))?;
        let reason = validate::note("reason", Some(reason), 500)?.ok_or_else(|| {
            AppError::invalid(ErrorCode::NoteRequired, "an addendum needs a reason")
        })?;
        let ctx = self.session_context(actor, id).await?;
        if ctx.session.entries.is_empty() {
            return Err(AppError::Conflict {
                code: ErrorCode::SessionNotStarted,
                message: "this session has no record to add to yet".into(),
            });
        }
        let entry = NewSessionEntry {
            kind: SessionEntryKind::Addendum,
            body: serde_json::json!({ "text": text }),
            corrects: None,
            reason: Some(reason),
            recorded_by: actor.user_id,
            recorded_at: self.now(),
            status: None,
        };
        self.append(
            actor,
            ctx,
            entry,
            EntryGuard::default(),
            Vec::new(),
            ObjectType::Addendum,
        )
        .await
    }
}
