//! What has happened in a course so far: sessions, assessments and recorded decisions.
//!
//! This is the input shape of `cadence plan | review | forecast --history` and of the API. It is
//! plain data; [`CourseHistory::validate`] checks the parts that serde cannot (answers against
//! their instrument) and returns the scored assessments the engine works from.

use crate::decision::Decision;
use crate::instrument::{self, AnswerError, InstrumentId, Score, ScoringConfig};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A course's history, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseHistory {
    /// The date the course started (the first planned session).
    pub start_date: Option<Date>,
    /// Treatment sessions, in any order.
    #[serde(default)]
    pub sessions: Vec<SessionRecord>,
    /// Assessments, in any order.
    #[serde(default)]
    pub assessments: Vec<AssessmentRecord>,
    /// Clinicians' recorded decisions, in any order.
    #[serde(default)]
    pub decisions: Vec<DecisionRecord>,
    /// Safety findings and whether a clinician released each. The service gives them from its
    /// records (released by a recorded release naming the finding). Left out, as in history
    /// files, they are derived from the history's assessments and pre-dose readings, each
    /// released only by a decision dated a later day: with dates alone, a decision on the same
    /// day may have come before the finding, so it does not count (issue 13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<FindingRecord>>,
}

/// A safety finding as the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRecord {
    /// What it is about.
    pub kind: crate::safety::FindingKind,
    /// What was found.
    pub detail: String,
    /// The day it was found.
    pub date: Date,
    /// Whether a clinician has released it.
    pub released: bool,
}

crate::text_enum!(
    /// Where a treatment session stands: the one session status of the history, the store and
    /// the service. A history file lists what happened (`completed`, `cancelled`, `no_show`)
    /// and may list sessions still booked (`scheduled`, `in_progress`, `held`), which the
    /// planner places where they are.
    pub SessionStatus {
        /// Booked.
        Scheduled = "scheduled",
        /// Pre-checks or administration recorded, not yet discharged.
        InProgress = "in_progress",
        /// The session took place (discharged, or ended exceptionally after the dose).
        Completed = "completed",
        /// Cancelled ahead of time; it is rebooked, not dropped.
        Cancelled = "cancelled",
        /// The patient did not attend; it is rebooked, not dropped.
        NoShow = "no_show",
        /// Held for clinician review: an open finding or a failed gate. Never stored: the
        /// service derives it from the patient's findings when it reads a session.
        Held = "held",
    }
);

impl SessionStatus {
    /// Booked and not yet over: scheduled, under way or held.
    pub fn is_booked(self) -> bool {
        matches!(
            self,
            SessionStatus::Scheduled | SessionStatus::InProgress | SessionStatus::Held
        )
    }
}

/// A blood-pressure reading in mmHg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BloodPressure {
    /// Systolic pressure, mmHg.
    pub systolic: u16,
    /// Diastolic pressure, mmHg.
    pub diastolic: u16,
}

/// One treatment session as it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    /// The session date, in the clinic's time zone.
    pub date: Date,
    /// What became of it.
    pub status: SessionStatus,
    /// The pre-dose blood pressure, if taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bp_pre: Option<BloodPressure>,
    /// The MOAA/S level at discharge (0-5), if rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moaas_discharge: Option<u8>,
    /// For a booked session on a day that departs from the plan: why (shown with the plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_reason: Option<String>,
}

/// One completed questionnaire or rating, as answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentRecord {
    /// The date the assessment was taken.
    pub date: Date,
    /// Which instrument.
    pub instrument: InstrumentId,
    /// The item answers in item order; `null` for an item the instrument's flow does not ask.
    pub answers: Vec<Option<u8>>,
}

/// A clinician's recorded decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    /// The date the decision was recorded.
    pub date: Date,
    /// What was decided.
    pub decision: Decision,
}

/// An assessment with its score, as the engine uses it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredAssessment {
    /// The date the assessment was taken.
    pub date: Date,
    /// The derived score.
    pub score: Score,
}

/// A history whose assessments do not score.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("assessment {index} ({instrument} on {date}): {source}")]
pub struct HistoryError {
    /// 1-based position of the assessment in the history file.
    pub index: usize,
    /// The assessment's instrument.
    pub instrument: InstrumentId,
    /// The assessment's date.
    pub date: Date,
    /// What is wrong with its answers.
    #[source]
    pub source: AnswerError,
}

impl CourseHistory {
    /// Scores every assessment, sorted by date (stable for equal dates), or names the first one
    /// whose answers are invalid.
    pub fn scored_assessments(
        &self,
        config: &ScoringConfig,
    ) -> Result<Vec<ScoredAssessment>, HistoryError> {
        let mut scored = self
            .assessments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                instrument::score(a.instrument, &a.answers, config)
                    .map(|score| ScoredAssessment {
                        date: a.date,
                        score,
                    })
                    .map_err(|source| HistoryError {
                        index: i + 1,
                        instrument: a.instrument,
                        date: a.date,
                        source,
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        scored.sort_by_key(|a| a.date);
        Ok(scored)
    }

    /// Assessments sorted by date (stable for equal dates): the order of
    /// [`CourseHistory::scored_assessments`].
    pub fn assessments_by_date(&self) -> Vec<&AssessmentRecord> {
        let mut a: Vec<_> = self.assessments.iter().collect();
        a.sort_by_key(|a| a.date);
        a
    }

    /// Sessions sorted by date.
    pub fn sessions_by_date(&self) -> Vec<&SessionRecord> {
        let mut s: Vec<_> = self.sessions.iter().collect();
        s.sort_by_key(|s| s.date);
        s
    }

    /// Decisions sorted by date (stable for equal dates, so file order breaks ties).
    pub fn decisions_by_date(&self) -> Vec<&DecisionRecord> {
        let mut d: Vec<_> = self.decisions.iter().collect();
        d.sort_by_key(|d| d.date);
        d
    }
}
