//! Clinicians' decisions: the only thing that changes a course. The engine's suggestion at the
//! moment of deciding is stored beside the decision, so a review can see both.

use crate::authz::{Permission, require};
use crate::validate;
use crate::{Actor, App, AppError};
use cadence_clinical::decision::Decision;
use cadence_store::audit::AuditAction;
use cadence_store::ids::CourseId;
use cadence_store::records::{DecisionRecord, NewDecision};

/// Longest decision note, in characters.
pub const MAX_NOTE_CHARS: usize = 4000;

impl App {
    /// Records a clinician's decision for a course, dated today in the clinic.
    pub async fn record_decision(
        &self,
        actor: &Actor,
        course: CourseId,
        decision: Decision,
        note: Option<&str>,
    ) -> Result<DecisionRecord, AppError> {
        require(actor.role, Permission::Decide)?;
        let note = validate::note("note", note, MAX_NOTE_CHARS)?;
        let view = self.get_course(actor, course).await?;
        let today = self.clinic_today(actor).await?;
        if today < view.course.start_date {
            // The planner replays decisions from the start date on; one dated earlier would
            // have no session to act on.
            return Err(AppError::Conflict {
                code: "course_not_started",
                message: format!(
                    "this course starts on {}; record decisions from that day on (change the \
                     start by starting a new course)",
                    view.course.start_date
                ),
            });
        }
        let new = NewDecision {
            clinic_id: actor.clinic_id,
            course_id: course,
            decision,
            suggestion_shown: view.suggestion.map(|s| s.suggestion.as_str().to_owned()),
            note,
            decided_by: actor.user_id,
            decided_on: today,
            created_at: self.now(),
        };
        let event = actor
            .event(self, AuditAction::Create, "decision")
            .with_patient(view.course.patient_id);
        Ok(self.store.create_decision(new, event).await?)
    }

    /// A course's decisions, in the order recorded (clinical roles only: decisions carry
    /// clinicians' notes).
    pub async fn list_decisions(
        &self,
        actor: &Actor,
        course: CourseId,
    ) -> Result<Vec<DecisionRecord>, AppError> {
        require(actor.role, Permission::ReadClinical)?;
        let event = actor
            .event(self, AuditAction::Read, "decision_list")
            .with_object_id(course);
        let bundle = self
            .store
            .get_course_bundle(actor.clinic_id, course, event)
            .await?;
        Ok(bundle.decisions)
    }
}
