//! Clinicians' decisions: the only thing that changes a course. The engine's suggestion at the
//! moment of deciding is stored beside the decision, so a review can see both.

use crate::authz::{Permission, require};
use crate::validate;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_clinical::decision::Decision;
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::{CourseId, FindingId};
use cadence_store::records::{DecisionRecord, NewDecision};

/// Longest decision note, in characters.
pub const MAX_NOTE_CHARS: usize = 4000;

impl App {
    /// Records a clinician's decision for a course, dated today in the clinic, releasing the
    /// safety findings it names (`releases`) in the same transaction. A decision that releases
    /// a finding needs a note (issue 16 §5): the note is the release's record.
    pub async fn record_decision(
        &self,
        actor: &Actor,
        course: CourseId,
        decision: Decision,
        note: Option<&str>,
        releases: &[FindingId],
    ) -> Result<DecisionRecord, AppError> {
        require(actor.role, Permission::Decide)?;
        let note = validate::note("note", note, MAX_NOTE_CHARS)?;
        if !releases.is_empty() && note.is_none() {
            return Err(AppError::invalid(
                ErrorCode::NoteRequired,
                "a decision that releases a safety finding needs a note: say what was reviewed",
            ));
        }
        let view = self.get_course(actor, course).await?;
        let event = actor
            .event(self, AuditAction::Read, ObjectType::FindingList)
            .with_patient(view.course.patient_id);
        let findings = self
            .store
            .list_findings(actor.clinic_id, view.course.patient_id, event)
            .await?;
        let mut unique: Vec<FindingId> = Vec::with_capacity(releases.len());
        for id in releases {
            let Some(f) = findings.iter().find(|f| f.id == *id) else {
                return Err(AppError::NotFound);
            };
            if !f.is_open() {
                return Err(AppError::Conflict {
                    code: ErrorCode::AlreadyReleased,
                    message: format!("finding {id} has been released already"),
                });
            }
            if !f.kind.releasable() {
                return Err(AppError::Conflict {
                    code: ErrorCode::FindingNotReleasable,
                    message: "a missing REMS enrolment ends when the enrolment is recorded".into(),
                });
            }
            if !unique.contains(id) {
                unique.push(*id);
            }
        }
        let today = self.clinic_today(actor).await?;
        if today < view.course.start_date {
            // The planner replays decisions from the start date on; one dated earlier would
            // have no session to act on.
            return Err(AppError::Conflict {
                code: ErrorCode::CourseNotStarted,
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
            .event(self, AuditAction::Create, ObjectType::Decision)
            .with_patient(view.course.patient_id);
        self.store
            .create_decision(new, unique, event)
            .await
            .map_err(|e| match e {
                cadence_store::StoreError::Conflict { constraint }
                    if constraint.contains("finding_releases") =>
                {
                    AppError::Conflict {
                        code: ErrorCode::AlreadyReleased,
                        message: "a named finding was released a moment ago: reload and decide \
                                  again"
                            .into(),
                    }
                }
                other => other.into(),
            })
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
            .event(self, AuditAction::Read, ObjectType::DecisionList)
            .with_object_id(course);
        let bundle = self
            .store
            .get_course_bundle(actor.clinic_id, course, event)
            .await?;
        Ok(bundle.decisions)
    }
}
