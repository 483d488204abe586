//! Patients: registration, search and demographics, scoped to the actor's clinic.

use crate::authz::{Permission, require};
use crate::registration::{MAX_MRN_CHARS, MrnPattern, check_contact};
use crate::validate;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_store::StoreError;
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::PatientId;
use cadence_store::records::{MAX_SEARCH_WORDS, Patient, PatientDetails};
use jiff::civil::Date;

/// Most patients a search returns.
pub const SEARCH_LIMIT: u32 = 200;

/// How many numbers of the MRN pattern registration tries before asking for a typed MRN.
const MRN_ATTEMPTS: u64 = 50;

/// A search as the store takes it: trimmed, `None` when empty, at most 100 characters and
/// [`MAX_SEARCH_WORDS`] words.
pub(crate) fn check_search(search: Option<&str>) -> Result<Option<&str>, AppError> {
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = search {
        validate::text("search", s, 100)?;
        if s.split_whitespace().count() > MAX_SEARCH_WORDS {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                format!(
                    "a search has at most {MAX_SEARCH_WORDS} words (parts of the name, the MRN or \
                     the birth date)"
                ),
            ));
        }
    }
    Ok(search)
}

/// A typed MRN: letters, digits, `-` and `_`, at most 40 characters.
fn check_mrn(mrn: &str) -> Result<String, AppError> {
    let mrn = validate::text("mrn", mrn, MAX_MRN_CHARS)?;
    if !mrn
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::invalid(
            ErrorCode::InvalidMrn,
            "MRN may contain only letters, digits, '-' and '_'",
        ));
    }
    Ok(mrn)
}

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

    /// Checks what registration entered. An empty MRN is allowed only where the caller
    /// numbers the patient by the clinic's pattern (`mrn_optional`). A weight without the day
    /// it was taken is dated today.
    fn check_patient(
        &self,
        details: PatientDetails,
        today: Date,
        mrn_optional: bool,
    ) -> Result<PatientDetails, AppError> {
        let mrn = if mrn_optional && details.mrn.trim().is_empty() {
            String::new()
        } else {
            check_mrn(&details.mrn)?
        };
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
        let weight_measured_on = match (weight_kg, details.weight_measured_on) {
            (None, Some(_)) => {
                return Err(AppError::invalid(
                    ErrorCode::MissingField,
                    "weight (kg) is required with the day it was taken",
                ));
            }
            (None, None) => None,
            (Some(_), None) => Some(today),
            (Some(_), Some(on)) => {
                let on = validate::not_future("weight_measured_on", on, today)?;
                if on < birth_date {
                    return Err(AppError::invalid(
                        ErrorCode::OutOfRange,
                        "the weight was taken before the birth date",
                    ));
                }
                Some(on)
            }
        };
        Ok(PatientDetails {
            mrn,
            given_name: validate::text("given_name", &details.given_name, 100)?,
            family_name: validate::text("family_name", &details.family_name, 100)?,
            birth_date,
            sex: details.sex,
            weight_kg,
            weight_measured_on,
            contact: check_contact(details.contact)?,
        })
    }

    /// Registers a patient. Without a typed MRN, the patient is numbered by the clinic's MRN
    /// pattern: the next number after the clinic's patient count, skipping numbers already
    /// taken (by a typed MRN, or by a registration at the same moment).
    pub async fn create_patient(
        &self,
        actor: &Actor,
        details: PatientDetails,
    ) -> Result<Patient, AppError> {
        require(actor.role, Permission::WritePatients)?;
        let mut details = self.check_patient(details, self.clinic_today(actor).await?, true)?;
        let event = actor.event(self, AuditAction::Create, ObjectType::Patient);
        if !details.mrn.is_empty() {
            return Ok(self
                .store
                .create_patient(actor.clinic_id, details, self.now(), event)
                .await?);
        }
        let pattern = self.mrn_pattern(actor.clinic_id).await?;
        let mut n = self.store.count_patients(actor.clinic_id).await? + 1;
        for _ in 0..MRN_ATTEMPTS {
            details.mrn = pattern.mrn(n);
            match self
                .store
                .create_patient(actor.clinic_id, details.clone(), self.now(), event.clone())
                .await
            {
                Err(StoreError::Conflict { constraint }) if constraint.contains("mrn") => n += 1,
                other => return Ok(other?),
            }
        }
        Err(AppError::Conflict {
            code: ErrorCode::Conflict,
            message: format!(
                "the next {MRN_ATTEMPTS} numbers of the MRN pattern are taken: type the MRN, or \
                 ask an admin to change the pattern"
            ),
        })
    }

    /// The clinic's MRN pattern (the default until an admin sets one).
    pub(crate) async fn mrn_pattern(
        &self,
        clinic: cadence_store::ids::ClinicId,
    ) -> Result<MrnPattern, AppError> {
        match self.store.mrn_pattern(clinic).await? {
            Some(text) => Ok(text.parse()?),
            None => Ok(MrnPattern::default()),
        }
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
        let search = check_search(search)?;
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
        let details = self.check_patient(details, self.clinic_today(actor).await?, false)?;
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
