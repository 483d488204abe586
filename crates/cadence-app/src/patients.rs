//! Patients: registration, search and demographics, scoped to the actor's clinic.

use crate::authz::{Permission, require};
use crate::validate;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::PatientId;
use cadence_store::records::{Patient, PatientDetails};
use jiff::civil::Date;

/// Most patients a search returns.
pub const SEARCH_LIMIT: u32 = 200;

impl App {
    /// Today's date in the actor's clinic's time zone.
    pub async fn clinic_today(&self, actor: &Actor) -> Result<Date, AppError> {
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        Ok(self
            .now()
            .to_zoned(clinic.time_zone.time_zone().clone())
            .date())
    }

    /// The date an instant falls on in the actor's clinic's time zone.
    pub async fn clinic_date(&self, actor: &Actor, at: jiff::Timestamp) -> Result<Date, AppError> {
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        Ok(at.to_zoned(clinic.time_zone.time_zone().clone()).date())
    }

    /// The actor's clinic's time zone (pages show session times in it). Clinic settings, not
    /// health data: not audited.
    pub async fn clinic_time_zone(&self, actor: &Actor) -> Result<jiff::tz::TimeZone, AppError> {
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        Ok(clinic.time_zone.time_zone().clone())
    }

    fn check_patient(
        &self,
        details: PatientDetails,
        today: Date,
    ) -> Result<PatientDetails, AppError> {
        let mrn = validate::text("mrn", &details.mrn, 40)?;
        if !mrn
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(AppError::invalid(
                ErrorCode::InvalidMrn,
                "mrn may contain only letters, digits, '-' and '_'",
            ));
        }
        let birth_date = validate::not_future("birth_date", details.birth_date, today)?;
        if today.year() - birth_date.year() > 130 {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                "birth_date is more than 130 years ago",
            ));
        }
        let weight_kg = details
            .weight_kg
            .map(|w| validate::decimal("weight_kg", w, 1.0, 400.0))
            .transpose()?;
        Ok(PatientDetails {
            mrn,
            given_name: validate::text("given_name", &details.given_name, 100)?,
            family_name: validate::text("family_name", &details.family_name, 100)?,
            birth_date,
            sex: details.sex,
            weight_kg,
        })
    }

    /// Registers a patient.
    pub async fn create_patient(
        &self,
        actor: &Actor,
        details: PatientDetails,
    ) -> Result<Patient, AppError> {
        require(actor.role, Permission::WritePatients)?;
        let details = self.check_patient(details, self.clinic_today(actor).await?)?;
        let event = actor.event(self, AuditAction::Create, ObjectType::Patient);
        Ok(self
            .store
            .create_patient(actor.clinic_id, details, self.now(), event)
            .await?)
    }

    /// A patient's demographics.
    pub async fn get_patient(&self, actor: &Actor, id: PatientId) -> Result<Patient, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let event = actor
            .event(self, AuditAction::Read, ObjectType::Patient)
            .with_patient(id)
            .with_object_id(id);
        Ok(self.store.get_patient(actor.clinic_id, id, event).await?)
    }

    /// Patients whose name or MRN contains `search`.
    pub async fn list_patients(
        &self,
        actor: &Actor,
        search: Option<&str>,
    ) -> Result<Vec<Patient>, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        if let Some(s) = search {
            validate::text("search", s, 100)?;
        }
        let event = actor.event(self, AuditAction::Read, ObjectType::PatientList);
        Ok(self
            .store
            .list_patients(actor.clinic_id, search, SEARCH_LIMIT, event)
            .await?)
    }

    /// Replaces a patient's demographics.
    pub async fn update_patient(
        &self,
        actor: &Actor,
        id: PatientId,
        details: PatientDetails,
    ) -> Result<Patient, AppError> {
        require(actor.role, Permission::WritePatients)?;
        let details = self.check_patient(details, self.clinic_today(actor).await?)?;
        let event = actor
            .event(self, AuditAction::Update, ObjectType::Patient)
            .with_patient(id)
            .with_object_id(id);
        Ok(self
            .store
            .update_patient(actor.clinic_id, id, details, self.now(), event)
            .await?)
    }
}
