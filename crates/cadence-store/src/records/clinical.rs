//! Screenings, assessments, courses and decisions, and a course's bundle.

use super::{AssessmentSource, Finding, RemsEnrolment, TreatmentSession};
use crate::ids::*;
use cadence_clinical::decision::Decision;
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::route::Route;
use cadence_clinical::screening::{Eligibility, ScreeningInput, ScreeningResult};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// A screening to store: the input and the clinical crate's result (stored as JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct NewScreening {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The route screened for.
    pub route: Route,
    /// The screening input.
    pub input: ScreeningInput,
    /// The screening result.
    pub result: ScreeningResult,
    /// The decision (also in the result; stored on its own to be found by it).
    pub decision: Eligibility,
    /// Who screened.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// A stored screening.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening {
    /// Id.
    pub id: ScreeningId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The route screened for.
    pub route: Route,
    /// The input.
    pub input: ScreeningInput,
    /// The result.
    pub result: ScreeningResult,
    /// The decision.
    pub decision: Eligibility,
    /// Who screened.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// An assessment to store: the answers and the derived score.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAssessment {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The course it belongs to, if any.
    pub course_id: Option<CourseId>,
    /// The instrument.
    pub instrument: InstrumentId,
    /// Item answers (`None` for an item the flow skips).
    pub answers: Vec<Option<u8>>,
    /// The total (`None` for the C-SSRS).
    pub total: Option<i64>,
    /// The full score object as JSON (band, flags, subscales...).
    pub score: cadence_clinical::instrument::StoredScore,
    /// Where it came from.
    pub source: AssessmentSource,
    /// The date it was taken, in the clinic's time zone.
    pub taken_on: Date,
    /// Who entered it (`None` for a patient link).
    pub created_by: Option<UserId>,
    /// When stored.
    pub created_at: Timestamp,
}

/// A stored assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Id.
    pub id: AssessmentId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The course, if any.
    pub course_id: Option<CourseId>,
    /// The instrument.
    pub instrument: InstrumentId,
    /// Item answers.
    pub answers: Vec<Option<u8>>,
    /// The total.
    pub total: Option<i64>,
    /// The score object.
    pub score: cadence_clinical::instrument::StoredScore,
    /// Where it came from.
    pub source: AssessmentSource,
    /// The date taken.
    pub taken_on: Date,
    /// Who entered it.
    pub created_by: Option<UserId>,
    /// When stored.
    pub created_at: Timestamp,
}

/// A course to create. The protocol file's text and version are frozen with the course, so a
/// later edit of the clinic's protocol never changes a running course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCourse {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The protocol id.
    pub protocol_id: String,
    /// The protocol version.
    pub protocol_version: u32,
    /// The protocol file text, frozen.
    pub protocol_text: String,
    /// The start date.
    pub start_date: Date,
    /// The screening the course starts on (issue 13 §4).
    pub screening_id: Option<ScreeningId>,
    /// A clinician's reason for starting on a screening that needs review.
    pub screening_override: Option<String>,
    /// Who created it.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// A stored course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Course {
    /// Id.
    pub id: CourseId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The protocol id.
    pub protocol_id: String,
    /// The protocol version.
    pub protocol_version: u32,
    /// The frozen protocol text.
    #[serde(skip)]
    pub protocol_text: String,
    /// The start date.
    pub start_date: Date,
    /// The screening the course started on.
    pub screening_id: Option<ScreeningId>,
    /// A clinician's reason for starting on a screening that needed review.
    pub screening_override: Option<String>,
    /// Who created it.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// A clinician's decision to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The course.
    pub course_id: CourseId,
    /// What was decided.
    pub decision: Decision,
    /// The engine's suggestion shown at the time.
    pub suggestion_shown: Option<String>,
    /// The clinician's note.
    pub note: Option<String>,
    /// Who decided (a clinician).
    pub decided_by: UserId,
    /// The date, in the clinic's time zone.
    pub decided_on: Date,
    /// When stored.
    pub created_at: Timestamp,
}

/// A stored decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRecord {
    /// Id.
    pub id: DecisionId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The course.
    pub course_id: CourseId,
    /// What was decided.
    pub decision: Decision,
    /// The suggestion shown.
    pub suggestion_shown: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// Who decided.
    pub decided_by: UserId,
    /// The date.
    pub decided_on: Date,
    /// When stored.
    pub created_at: Timestamp,
}

/// Everything about one course the engine needs, read in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseBundle {
    /// The course.
    pub course: Course,
    /// Its treatment sessions, by date.
    pub sessions: Vec<TreatmentSession>,
    /// The patient's assessments, by date (baseline may predate the course).
    pub assessments: Vec<Assessment>,
    /// Its decisions, in the order recorded.
    pub decisions: Vec<DecisionRecord>,
    /// The patient's safety findings (every course's), oldest first, with their releases.
    pub findings: Vec<Finding>,
    /// The patient's REMS enrolment, if recorded.
    pub rems: Option<RemsEnrolment>,
    /// The last day anything happened (a completed session or a decision) in the patient's
    /// courses that started before this one: this course's scores come after it (issue 14).
    pub earlier_course_end: Option<Date>,
}

impl CourseBundle {
    /// The latest completed session or decision of the patient's courses that began before
    /// `course` (by start date, then id), among `bundles`: what
    /// [`CourseBundle::earlier_course_end`] holds.
    pub fn earlier_end_among(course: &Course, bundles: &[CourseBundle]) -> Option<Date> {
        bundles
            .iter()
            .filter(|b| {
                b.course.patient_id == course.patient_id
                    && (b.course.start_date, b.course.id.0) < (course.start_date, course.id.0)
            })
            .flat_map(|b| {
                b.sessions
                    .iter()
                    .filter(|s| s.status == super::SessionStatus::Completed)
                    .map(|s| s.scheduled_on)
                    .chain(b.decisions.iter().map(|d| d.decided_on))
            })
            .max()
    }
}
