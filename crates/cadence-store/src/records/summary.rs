//! The course read model (issue 18): what pages need about a course between writes, so the
//! clinic-wide pages read only what they show.
//!
//! The service computes each summary from the one replay of the course
//! (`cadence_clinical::course::snapshot`) and stores it with
//! [`Store::put_course_summaries`](crate::Store::put_course_summaries). The store never
//! computes one: every write that can change a course marks its summary stale in the same
//! transaction (database triggers, migration `0006_read_model.sql`), by setting
//! `attention_on` to [`STALE`] and bumping `version`. A stale summary is always "due for a
//! look", so `/today` recomputes it; a write-back names the version it was computed from and
//! is ignored when a write came in between.

use crate::ids::{CourseId, PatientId};
use crate::records::{CourseBundle, Finding, Patient, TreatmentSession};
use cadence_clinical::course::CoursePhase;
use jiff::civil::{Date, date};

/// `attention_on` of a summary that must be recomputed (before any real date).
pub const STALE: Date = date(1000, 1, 1);
/// `attention_on` of a course that needs no look on any day until something is written.
pub const NEVER: Date = date(9999, 12, 31);

/// A course's stored summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseSummaryRecord {
    /// The course.
    pub course_id: CourseId,
    /// Its patient.
    pub patient_id: PatientId,
    /// Bumped by every write to the course (the write-back's guard).
    pub version: i64,
    /// The phase when last computed (`None` until computed).
    pub phase: Option<CoursePhase>,
    /// The next session's day when last computed.
    pub next_due: Option<Date>,
    /// The first day on which the course may need a look on `/today` (a review, an assessment
    /// or a session due); [`STALE`] when it must be recomputed, [`NEVER`] when nothing is due.
    pub attention_on: Date,
    /// The day it was computed for.
    pub computed_on: Option<Date>,
    /// How many of its bookings from the day computed no longer fit the plan or the calendar
    /// (front desk's to-move list, issue 16 §1). A count of zero holds until a write: as days
    /// pass a booking can only stop needing a move (`cadence_clinical::schedule::to_move`), and
    /// calendar and opening-hour changes mark every summary of the clinic stale.
    pub to_move: u32,
}

impl CourseSummaryRecord {
    /// Whether the stored phase and next session still hold on `today` without a replay.
    pub fn holds_on(&self, today: Date) -> bool {
        self.phase.is_some() && self.attention_on > today
    }
}

/// A freshly computed summary to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryUpdate {
    /// The course.
    pub course_id: CourseId,
    /// The version read with the course: the update is ignored if it moved since.
    pub version: i64,
    /// The phase.
    pub phase: CoursePhase,
    /// The next session's day.
    pub next_due: Option<Date>,
    /// See [`CourseSummaryRecord::attention_on`].
    pub attention_on: Date,
    /// The day it was computed for.
    pub computed_on: Date,
    /// See [`CourseSummaryRecord::to_move`].
    pub to_move: u32,
}

/// A course read for a clinic-wide page: the bundle, its summary and whether it is its
/// patient's latest course (the one a clinician acts on).
#[derive(Debug, Clone, PartialEq)]
pub struct SummarisedBundle {
    /// The course and its records.
    pub bundle: CourseBundle,
    /// Its stored summary.
    pub summary: CourseSummaryRecord,
    /// Whether it is the patient's newest course.
    pub latest: bool,
}

/// What `/today` shows, read in one read transaction with one audit row
/// ([`Store::today_records`](crate::Store::today_records)).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TodayRecords {
    /// Sessions booked on the day, by id.
    pub sessions: Vec<TreatmentSession>,
    /// The clinic's open findings, oldest first.
    pub open_findings: Vec<Finding>,
    /// The courses of the day's sessions and every course whose summary is due for a look
    /// (`attention_on` on or before the day, stale ones included) or counts bookings to move,
    /// by course id.
    pub courses: Vec<SummarisedBundle>,
    /// Every patient named by the above, by id.
    pub patients: Vec<Patient>,
}

/// What `/schedule` shows for a range of days, read in one read transaction with one audit
/// row ([`Store::schedule_records`](crate::Store::schedule_records)).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScheduleRecords {
    /// Sessions booked on the days asked for, by day and id.
    pub sessions: Vec<TreatmentSession>,
    /// Every course whose summary is stale or counts bookings to move, by course id: the
    /// only courses whose bookings may need a move.
    pub courses: Vec<SummarisedBundle>,
    /// Every patient named by the above, by id.
    pub patients: Vec<Patient>,
}

/// One patient of a page of the patient list.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientRow {
    /// The patient.
    pub patient: Patient,
    /// The summary of their newest course, if they have one.
    pub latest: Option<CourseSummaryRecord>,
    /// That course's bundle, when its summary does not hold on the day asked for
    /// ([`CourseSummaryRecord::holds_on`]).
    pub bundle: Option<CourseBundle>,
}

/// A page of the patient list ([`Store::patient_page`](crate::Store::patient_page)).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PatientPage {
    /// The page's patients, by family name, given name, id.
    pub rows: Vec<PatientRow>,
    /// How many patients match the search in all.
    pub matches: u64,
}
