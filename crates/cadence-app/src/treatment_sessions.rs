//! Treatment sessions: booking, the nurse's record (pre-checks, administration, monitoring,
//! discharge) and status changes. A pre-dose blood pressure above the protocol's threshold
//! holds the session for clinician review (PRODUCT.md, "Safety holds").

use crate::authz::{Permission, allows, require};
use crate::validate;
use crate::{Actor, App, AppError};
use cadence_clinical::protocol::Protocol;
use cadence_clinical::route::Route;
use cadence_store::audit::AuditAction;
use cadence_store::ids::{CourseId, TreatmentSessionId};
use cadence_store::records::{
    Administration, Discharge, MonitoringEntry, NewMonitoringEntry, NewTreatmentSession, PreChecks,
    TreatmentSession, TreatmentSessionChange, TreatmentSessionStatus,
};
use jiff::Timestamp;
use jiff::civil::Date;

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

/// Administration as recorded.
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
    /// MOAA/S 0-5.
    pub moaas: Option<u8>,
    /// CADSS total 0-92.
    pub cadss: Option<u8>,
    /// Adverse effects (short codes).
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

/// Front desk sees a session's booking (date, status) only: no vitals, doses or notes.
pub(crate) fn redact_clinical(s: &mut TreatmentSession) {
    s.pre_checks = None;
    s.administration = None;
    s.discharge = None;
    s.monitoring.clear();
}

fn check_optional_vitals(hr: Option<u16>, spo2: Option<u8>) -> Result<(), AppError> {
    if let Some(hr) = hr {
        validate::within("heart_rate", hr, 20, 250)?;
    }
    if let Some(s) = spo2 {
        validate::within("spo2", s, 50, 100)?;
    }
    Ok(())
}

impl App {
    async fn session_and_protocol(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
    ) -> Result<(TreatmentSession, Protocol), AppError> {
        let event = actor
            .event(self, AuditAction::Read, "treatment_session")
            .with_object_id(id);
        let session = self
            .store
            .get_treatment_session(actor.clinic_id, id, event)
            .await?;
        let event = actor
            .event(self, AuditAction::Read, "course")
            .with_object_id(session.course_id);
        let bundle = self
            .store
            .get_course_bundle(actor.clinic_id, session.course_id, event)
            .await?;
        let protocol = Protocol::from_toml(&bundle.course.protocol_text)
            .map_err(|e| AppError::Internal(format!("frozen protocol: {e}")))?;
        // A session is recorded on the day it takes place: a record dated ahead of its booking
        // would be a session in the future.
        let today = self.clinic_today(actor).await?;
        if session.scheduled_on > today {
            return Err(AppError::Conflict {
                code: "session_not_today",
                message: format!(
                    "this session is booked for {}; record it on that day, or rebook it for \
                     today first",
                    session.scheduled_on
                ),
            });
        }
        Ok((session, protocol))
    }

    async fn change_session(
        &self,
        actor: &Actor,
        session: &TreatmentSession,
        change: TreatmentSessionChange,
        object: &str,
    ) -> Result<TreatmentSession, AppError> {
        let event = actor
            .event(self, AuditAction::Update, object)
            .with_patient(session.patient_id)
            .with_object_id(session.id);
        Ok(self
            .store
            .update_treatment_session(actor.clinic_id, session.id, change, self.now(), event)
            .await?)
    }

    /// Books a session in a course on a date (an open day of the clinic, not in the past).
    pub async fn book_session(
        &self,
        actor: &Actor,
        course: CourseId,
        date: Date,
    ) -> Result<TreatmentSession, AppError> {
        require(actor.role, Permission::Schedule)?;
        let today = self.clinic_today(actor).await?;
        if date < today {
            return Err(AppError::invalid(
                "date_in_past",
                format!("{date} is before today ({today})"),
            ));
        }
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        if !crate::courses::calendar_of(&clinic)?.is_open(date) {
            return Err(AppError::invalid(
                "clinic_closed",
                format!("the clinic is closed on {date}"),
            ));
        }
        let new = NewTreatmentSession {
            clinic_id: actor.clinic_id,
            course_id: course,
            scheduled_on: date,
            created_at: self.now(),
        };
        let event = actor.event(self, AuditAction::Create, "treatment_session");
        Ok(self.store.create_treatment_session(new, event).await?)
    }

    /// A treatment session; front desk sees the booking only.
    pub async fn get_session(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
    ) -> Result<TreatmentSession, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let event = actor
            .event(self, AuditAction::Read, "treatment_session")
            .with_object_id(id);
        let mut s = self
            .store
            .get_treatment_session(actor.clinic_id, id, event)
            .await?;
        if !allows(actor.role, Permission::ReadClinical) {
            redact_clinical(&mut s);
        }
        Ok(s)
    }

    /// Records pre-dose checks. A BP above the protocol's hold threshold marks the session
    /// `held` until a clinician reviews it.
    pub async fn record_pre_checks(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        input: PreCheckInput,
    ) -> Result<TreatmentSession, AppError> {
        require(actor.role, Permission::RecordSession)?;
        validate::blood_pressure(input.bp_systolic, input.bp_diastolic)?;
        check_optional_vitals(input.heart_rate, input.spo2)?;
        let (session, protocol) = self.session_and_protocol(actor, id).await?;
        let held = protocol.safety.bp_max.is_some_and(|max| {
            input.bp_systolic > max.systolic || input.bp_diastolic > max.diastolic
        });
        let change = TreatmentSessionChange {
            status: Some(if held {
                TreatmentSessionStatus::Held
            } else {
                TreatmentSessionStatus::InProgress
            }),
            pre_checks: Some(PreChecks {
                identity_confirmed: input.identity_confirmed,
                fasting_confirmed: input.fasting_confirmed,
                transport_arranged: input.transport_arranged,
                bp_systolic: input.bp_systolic,
                bp_diastolic: input.bp_diastolic,
                heart_rate: input.heart_rate,
                spo2: input.spo2,
                recorded_by: actor.user_id,
                recorded_at: self.now(),
            }),
            ..Default::default()
        };
        self.change_session(actor, &session, change, "pre_checks")
            .await
    }

    /// Records what was administered (never before pre-checks, never on a held session).
    pub async fn record_administration(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        input: AdministrationInput,
    ) -> Result<TreatmentSession, AppError> {
        require(actor.role, Permission::RecordSession)?;
        validate::decimal("dose_ordered_mg", input.dose_ordered_mg, 0.1, 1000.0)?;
        validate::decimal("dose_given_mg", input.dose_given_mg, 0.0, 1000.0)?;
        let lot = validate::text("lot", &input.lot, 40)?;
        let (session, protocol) = self.session_and_protocol(actor, id).await?;
        if input.route != protocol.route {
            return Err(AppError::invalid(
                "route_mismatch",
                format!(
                    "this course's protocol is {}, not {}",
                    protocol.route, input.route
                ),
            ));
        }
        match session.status {
            TreatmentSessionStatus::InProgress if session.pre_checks.is_some() => {}
            TreatmentSessionStatus::Held => {
                return Err(AppError::Conflict {
                    code: "session_held",
                    message: "this session is held for clinician review; record a decision first"
                        .into(),
                });
            }
            _ => {
                return Err(AppError::Conflict {
                    code: "pre_checks_missing",
                    message: "record the pre-dose checks before administration".into(),
                });
            }
        }
        let change = TreatmentSessionChange {
            administration: Some(Administration {
                route: input.route,
                dose_ordered_mg: input.dose_ordered_mg,
                dose_given_mg: input.dose_given_mg,
                lot,
                started_at: input.started_at.unwrap_or_else(|| self.now()),
                recorded_by: actor.user_id,
            }),
            ..Default::default()
        };
        self.change_session(actor, &session, change, "administration")
            .await
    }

    /// Adds a monitoring entry.
    pub async fn add_monitoring(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        input: MonitoringInput,
    ) -> Result<MonitoringEntry, AppError> {
        require(actor.role, Permission::RecordSession)?;
        match (input.bp_systolic, input.bp_diastolic) {
            (Some(s), Some(d)) => validate::blood_pressure(s, d)?,
            (None, None) => {}
            _ => {
                return Err(AppError::invalid(
                    "out_of_range",
                    "record both systolic and diastolic, or neither",
                ));
            }
        }
        check_optional_vitals(input.heart_rate, input.spo2)?;
        if let Some(m) = input.moaas {
            validate::within("moaas", m, 0, 5)?;
        }
        if let Some(c) = input.cadss {
            validate::within("cadss", c, 0, 92)?;
        }
        let effects = input
            .adverse_effects
            .iter()
            .map(|e| validate::text("adverse_effects", e, 60))
            .collect::<Result<Vec<_>, _>>()?;
        let session = self.get_session(actor, id).await?;
        let entry = NewMonitoringEntry {
            taken_at: input.taken_at.unwrap_or_else(|| self.now()),
            bp_systolic: input.bp_systolic,
            bp_diastolic: input.bp_diastolic,
            heart_rate: input.heart_rate,
            spo2: input.spo2,
            moaas: input.moaas,
            cadss: input.cadss,
            adverse_effects: effects,
            recorded_by: actor.user_id,
        };
        let event = actor
            .event(self, AuditAction::Create, "monitoring_entry")
            .with_patient(session.patient_id);
        Ok(self
            .store
            .add_monitoring_entry(actor.clinic_id, id, entry, event)
            .await?)
    }

    /// Records discharge and completes the session.
    pub async fn record_discharge(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        input: DischargeInput,
    ) -> Result<TreatmentSession, AppError> {
        require(actor.role, Permission::RecordSession)?;
        validate::within("moaas", input.moaas, 0, 5)?;
        validate::blood_pressure(input.bp_systolic, input.bp_diastolic)?;
        let (session, _) = self.session_and_protocol(actor, id).await?;
        if session.administration.is_none() {
            return Err(AppError::Conflict {
                code: "administration_missing",
                message: "record the administration before discharge".into(),
            });
        }
        let change = TreatmentSessionChange {
            status: Some(TreatmentSessionStatus::Completed),
            discharge: Some(Discharge {
                discharged_at: self.now(),
                moaas: input.moaas,
                bp_systolic: input.bp_systolic,
                bp_diastolic: input.bp_diastolic,
                clinically_stable: input.clinically_stable,
                escort_present: input.escort_present,
                ready_after_minutes: input.ready_after_minutes,
                recorded_by: actor.user_id,
            }),
            ..Default::default()
        };
        self.change_session(actor, &session, change, "discharge")
            .await
    }

    /// Marks a booked session cancelled or not attended (the planner rebooks it), or back to
    /// scheduled.
    pub async fn set_session_status(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        status: TreatmentSessionStatus,
    ) -> Result<TreatmentSession, AppError> {
        require(actor.role, Permission::Schedule)?;
        if !matches!(
            status,
            TreatmentSessionStatus::Cancelled
                | TreatmentSessionStatus::NoShow
                | TreatmentSessionStatus::Scheduled
        ) {
            return Err(AppError::invalid(
                "invalid_status",
                "status may be set to scheduled, cancelled or no_show; other states follow the session record",
            ));
        }
        let session = self.get_session(actor, id).await?;
        if session.status == TreatmentSessionStatus::Completed {
            return Err(AppError::Conflict {
                code: "session_completed",
                message: "a completed session cannot change status".into(),
            });
        }
        let change = TreatmentSessionChange {
            status: Some(status),
            ..Default::default()
        };
        self.change_session(actor, &session, change, "treatment_session")
            .await
    }

    /// The clinic's sessions on a date.
    pub async fn sessions_on(
        &self,
        actor: &Actor,
        date: Date,
    ) -> Result<Vec<TreatmentSession>, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let event = actor.event(self, AuditAction::Read, "schedule");
        let mut list = self
            .store
            .list_treatment_sessions_on(actor.clinic_id, date, event)
            .await?;
        if !allows(actor.role, Permission::ReadClinical) {
            list.iter_mut().for_each(redact_clinical);
        }
        Ok(list)
    }
}
