//! Assessments: answers scored by the clinical engine, stored with the derived score.

use crate::authz::{Permission, require};
use crate::validate;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_clinical::instrument::{InstrumentId, ScoringConfig, StoredScore, score};
use cadence_clinical::protocol::Protocol;
use cadence_clinical::safety::assessment_findings;
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::CourseId;
use cadence_store::ids::PatientId;
use cadence_store::records::NewFinding;
use cadence_store::records::{Assessment, AssessmentSource, NewAssessment};
use jiff::civil::Date;

/// An assessment as a clinic enters it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentInput {
    /// The instrument.
    pub instrument: InstrumentId,
    /// Item answers, `None` for an item the flow skips.
    pub answers: Vec<Option<u8>>,
    /// The date taken (default: today in the clinic).
    pub taken_on: Option<Date>,
}

impl App {
    /// Scores and stores an assessment. Invalid answers are refused with the item named.
    pub async fn create_assessment(
        &self,
        actor: &Actor,
        patient: PatientId,
        input: AssessmentInput,
    ) -> Result<Assessment, AppError> {
        require(actor.role, Permission::RecordAssessment)?;
        let today = self.clinic_today(actor).await?;
        let taken_on = validate::not_future("taken_at", input.taken_on.unwrap_or(today), today)?;
        // Scored and judged under the rules of the patient's latest course; before any course,
        // under the built-in protocols' (crate::safety::default_safety).
        let governing = self.governing_protocol(actor, patient).await?;
        let scoring = governing
            .as_ref()
            .map_or_else(ScoringConfig::default, |(_, p)| p.scoring_config());
        let scored = score(input.instrument, &input.answers, &scoring)
            .map_err(|e| AppError::invalid(ErrorCode::InvalidAnswers, e))?;
        let patient_row = self.get_patient(actor, patient).await?;
        if taken_on < patient_row.details.birth_date {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                "taken_at is before the patient's birth date",
            ));
        }
        let new = NewAssessment {
            clinic_id: actor.clinic_id,
            patient_id: patient,
            // Assessments belong to the patient; courses find them by date.
            course_id: None,
            instrument: input.instrument,
            answers: input.answers,
            total: scored.total.map(i64::from),
            score: StoredScore::from(&scored),
            source: AssessmentSource::Clinic,
            taken_on,
            created_by: Some(actor.user_id),
            created_at: self.now(),
        };
        let safety = match &governing {
            Some((_, p)) => Some(p.safety.clone()),
            None => crate::safety::default_safety(),
        };
        let findings = safety
            .map(|s| assessment_findings(&scored, &new.answers, &s))
            .unwrap_or_default()
            .into_iter()
            .map(|f| NewFinding {
                kind: f.kind,
                severity: f.severity,
                detail: format!("{} (taken {taken_on})", f.detail),
                course_id: governing.as_ref().map(|(id, _)| *id),
            })
            .collect();
        let event = actor
            .event(self, AuditAction::Create, ObjectType::Assessment)
            .with_patient(patient);
        Ok(self.store.create_assessment(new, findings, event).await?)
    }

    /// The patient's latest course and its frozen protocol, if any: whose rules a new
    /// assessment or screening is judged by.
    pub(crate) async fn governing_protocol(
        &self,
        actor: &Actor,
        patient: PatientId,
    ) -> Result<Option<(CourseId, Protocol)>, AppError> {
        let event = actor
            .event(self, AuditAction::Read, ObjectType::CourseList)
            .with_patient(patient);
        let courses = self
            .store
            .list_courses(actor.clinic_id, patient, event)
            .await?;
        courses
            .first()
            .map(|c| {
                Protocol::from_toml(&c.protocol_text)
                    .map(|p| (c.id, p))
                    .map_err(|e| AppError::Internal(format!("frozen protocol: {e}")))
            })
            .transpose()
    }

    /// A patient's assessments, oldest first.
    pub async fn list_assessments(
        &self,
        actor: &Actor,
        patient: PatientId,
    ) -> Result<Vec<Assessment>, AppError> {
        require(actor.role, Permission::ReadClinical)?;
        let event = actor
            .event(self, AuditAction::Read, ObjectType::AssessmentList)
            .with_patient(patient);
        Ok(self
            .store
            .list_assessments(actor.clinic_id, patient, event)
            .await?)
    }
}
