//! Safety screening: the clinical crate judges, the store keeps input and result together.

use crate::authz::{Permission, require};
use crate::{Actor, App, AppError, ErrorCode};
use cadence_clinical::protocol;
use cadence_clinical::route::Route;
use cadence_clinical::safety::screening_finding;
use cadence_clinical::screening::{ScreeningConfig, ScreeningInput, age_on, screen};
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::{PatientId, ScreeningId};
use cadence_store::records::NewFinding;
use cadence_store::records::{NewScreening, Screening};

impl App {
    /// Screens a patient and stores the input with its result, judged by the clinic's protocol
    /// for the route (its blood-pressure threshold and Maudsley points). The age is the
    /// patient's on the clinic's today, from the recorded birth date: `age_years` may be left
    /// out, and a value that disagrees is refused. For esketamine the
    /// recorded REMS enrolment answers `rems_enrolled` when the input leaves it out. A
    /// screening that is not `eligible` while the patient has a running course of the same
    /// route is a new contraindication: it raises a finding that holds the patient's sessions.
    pub async fn create_screening(
        &self,
        actor: &Actor,
        patient: PatientId,
        mut input: ScreeningInput,
    ) -> Result<Screening, AppError> {
        require(actor.role, Permission::Screen)?;
        // The patient must exist in this clinic (and the read is audited as part of the chart).
        let record = self.get_patient(actor, patient).await?;
        // The age is the chart's, not the request's: derived from the birth date on the
        // screening day (the clinic's today), and a request that says otherwise is refused.
        let today = self.clinic_today(actor).await?;
        let birth = record.details.birth_date;
        let Some(age) = age_on(birth, today) else {
            return Err(AppError::invalid(
                ErrorCode::InvalidScreening,
                format!("the patient's birth date {birth} is after today ({today}): correct it"),
            ));
        };
        match input.age_years {
            Some(given) if given != age => {
                return Err(AppError::invalid(
                    ErrorCode::InvalidScreening,
                    format!(
                        "age_years is {given}, but the patient's birth date ({birth}) makes them \
                         {age} today: leave age_years out (it is derived) or correct the birth \
                         date"
                    ),
                ));
            }
            _ => input.age_years = Some(age),
        }
        let governing = self.governing_protocol(actor, patient).await?;
        let running = match &governing {
            Some((course, p)) if p.route == input.route => {
                let read = self.read_course(actor, *course).await?;
                if input.route == Route::Esketamine && input.rems_enrolled.is_none() {
                    input.rems_enrolled = Some(read.bundle.rems.is_some());
                }
                (!read.snapshot.stopped()).then_some(*course)
            }
            _ => None,
        };
        let mut config = screening_config(input.route);
        // IM ketamine has no built-in protocol: its threshold is the installation's setting.
        if config.im_ketamine_bp_threshold.is_none() {
            config.im_ketamine_bp_threshold = self.config.im_screening_bp_max;
        }
        let result = screen(&input, &config)
            .map_err(|e| AppError::invalid(ErrorCode::InvalidScreening, e))?;
        let findings: Vec<NewFinding> = running
            .and_then(|course| {
                screening_finding(&result).map(|f| NewFinding {
                    kind: f.kind,
                    severity: f.severity,
                    detail: f.detail,
                    course_id: Some(course),
                })
            })
            .into_iter()
            .collect();
        let new = NewScreening {
            clinic_id: actor.clinic_id,
            patient_id: patient,
            route: input.route,
            decision: result.decision,
            input,
            result,
            created_by: actor.user_id,
            created_at: self.now(),
        };
        let event = actor
            .event(self, AuditAction::Create, ObjectType::Screening)
            .with_patient(patient);
        Ok(self.store.create_screening(new, findings, event).await?)
    }

    /// A patient's screenings, newest first (clinical roles).
    pub async fn list_screenings(
        &self,
        actor: &Actor,
        patient: PatientId,
    ) -> Result<Vec<Screening>, AppError> {
        require(actor.role, Permission::ReadClinical)?;
        let event = actor
            .event(self, AuditAction::Read, ObjectType::ScreeningList)
            .with_patient(patient);
        Ok(self
            .store
            .list_screenings(actor.clinic_id, patient, event)
            .await?)
    }

    /// A stored screening.
    pub async fn get_screening(
        &self,
        actor: &Actor,
        id: ScreeningId,
    ) -> Result<Screening, AppError> {
        require(actor.role, Permission::ReadClinical)?;
        let event = actor
            .event(self, AuditAction::Read, ObjectType::Screening)
            .with_object_id(id);
        Ok(self.store.get_screening(actor.clinic_id, id, event).await?)
    }
}

/// What screening checks for a route: the clinic's protocol for it (the built-in one until
/// clinics keep their own), else Cadence's defaults.
pub fn screening_config(route: Route) -> ScreeningConfig {
    protocol::builtin_for_route(route)
        .map_or_else(ScreeningConfig::default, |p| p.screening_config())
}
