//! Safety findings, their releases, and REMS enrolment.
//!
//! A finding is stored with the record that raised it, in the same transaction (issue 13 §1):
//! its source, time and severity are facts, never recomputed. A release is a separate,
//! append-only row naming the finding, written by a clinician with a note; a finding has at
//! most one (the database refuses a second).

use crate::ids::*;
use cadence_clinical::safety::{FindingKind, Severity};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

super::string_enum!(
    /// The kind of record a finding came from.
    FindingSource {
        /// A scored assessment.
        Assessment = "assessment",
        /// A pre-checks reading of a treatment session.
        PreChecks = "pre_checks",
        /// A monitoring entry during a session.
        MonitoringEntry = "monitoring_entry",
        /// A screening recorded during a course.
        Screening = "screening",
        /// A gate of one session, stored when a clinician releases it.
        Gate = "gate",
        /// Carried over from before findings were stored (migration 0003).
        Migrated = "migrated",
    }
);

/// A finding to store; the store fills in the clinic, the patient, the source record's id and
/// the time from the write it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFinding {
    /// What it is about.
    pub kind: FindingKind,
    /// How urgent.
    pub severity: Severity,
    /// What was found, with the values (never a name).
    pub detail: String,
    /// The course it arose in, if any.
    pub course_id: Option<CourseId>,
}

/// A release of a finding: a clinician's recorded review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRelease {
    /// Why the clinician releases it (required).
    pub note: String,
    /// The decision recorded with it, when released from the decision form.
    pub decision_id: Option<DecisionId>,
    /// The clinician.
    pub released_by: UserId,
    /// When.
    pub released_at: Timestamp,
}

/// A stored release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRelease {
    /// The clinician's note.
    pub note: String,
    /// The decision recorded with it.
    pub decision_id: Option<DecisionId>,
    /// The clinician.
    pub released_by: UserId,
    /// When.
    pub released_at: Timestamp,
}

/// A stored finding, with its release once there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Id.
    pub id: FindingId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient whose sessions it holds.
    pub patient_id: PatientId,
    /// The course it arose in.
    pub course_id: Option<CourseId>,
    /// The session it arose in (pre-checks, monitoring, a released gate).
    pub treatment_session_id: Option<TreatmentSessionId>,
    /// What it is about.
    pub kind: FindingKind,
    /// How urgent.
    pub severity: Severity,
    /// What was found.
    pub detail: String,
    /// The kind of record it came from.
    pub source: FindingSource,
    /// That record's id.
    pub source_id: Option<i64>,
    /// When it was found (the source record's time).
    pub found_at: Timestamp,
    /// Who recorded the source record (`None` for a patient's own link).
    pub recorded_by: Option<UserId>,
    /// The release, once a clinician has recorded one.
    pub release: Option<FindingRelease>,
}

impl Finding {
    /// Whether it still holds the patient's sessions.
    pub fn is_open(&self) -> bool {
        self.release.is_none()
    }
}

/// A patient's SPRAVATO REMS enrolment (required before a first esketamine dose
/// [SPRAVATOREMS-OUT]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemsEnrolment {
    /// The patient.
    pub patient_id: PatientId,
    /// The REMS patient id.
    pub rems_patient_id: String,
    /// The enrolment date.
    pub enrolled_on: Date,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// When.
    pub recorded_at: Timestamp,
}
