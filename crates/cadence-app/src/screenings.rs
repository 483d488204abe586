//! Safety screening: the clinical crate judges, the store keeps input and result together.

use crate::authz::{Permission, require};
use crate::{Actor, App, AppError};
use cadence_clinical::screening::{ScreeningConfig, ScreeningInput, screen};
use cadence_store::audit::AuditAction;
use cadence_store::ids::{PatientId, ScreeningId};
use cadence_store::records::{NewScreening, Screening};

fn json(value: &impl serde::Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(|e| AppError::Internal(e.to_string()))
}

impl App {
    /// Screens a patient and stores the input with its result.
    pub async fn create_screening(
        &self,
        actor: &Actor,
        patient: PatientId,
        input: ScreeningInput,
    ) -> Result<Screening, AppError> {
        require(actor.role, Permission::Screen)?;
        // The patient must exist in this clinic (and the read is audited as part of the chart).
        self.get_patient(actor, patient).await?;
        let result = screen(&input, &ScreeningConfig::default())
            .map_err(|e| AppError::invalid("invalid_screening", e))?;
        let decision = json(&result.decision)?
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let new = NewScreening {
            clinic_id: actor.clinic_id,
            patient_id: patient,
            route: input.route,
            input: json(&input)?,
            result: json(&result)?,
            decision,
            created_by: actor.user_id,
            created_at: self.now(),
        };
        let event = actor
            .event(self, AuditAction::Create, "screening")
            .with_patient(patient);
        Ok(self.store.create_screening(new, event).await?)
    }

    /// A stored screening.
    pub async fn get_screening(
        &self,
        actor: &Actor,
        id: ScreeningId,
    ) -> Result<Screening, AppError> {
        require(actor.role, Permission::ReadClinical)?;
        let event = actor
            .event(self, AuditAction::Read, "screening")
            .with_object_id(id);
        Ok(self.store.get_screening(actor.clinic_id, id, event).await?)
    }
}
