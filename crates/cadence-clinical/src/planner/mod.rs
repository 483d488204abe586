//! The planner: from a protocol, a start date, the clinic calendar and the course so far, the
//! dated plan of sessions and review points.
//!
//! It answers "when is my next treatment, and how many are left?" with real dates: sessions only
//! on open days, never closer than the protocol's minimum gap, at most `per_week` induction
//! sessions in any 7 consecutive days, a missed or cancelled session rebooked rather than
//! dropped, and after a recorded decision the plan follows that decision (PRODUCT.md: nothing
//! changes a course without a clinician's recorded decision). It is a pure function of its
//! inputs: "today" is a parameter and the clock is never read, so a plan can be reproduced.
//!
//! `course` replays the history (what happened, in date order); `book` books what is still to
//! come; `reviews` reads the review points off the result. Problems the planner can work around
//! (induction running past its maximum weeks, a decision that cannot apply) become warnings in
//! the plan; inputs it cannot plan from are a [`PlanError`].

mod book;
mod course;
mod reviews;
pub use reviews::reassessment_points;

use crate::calendar::ClinicCalendar;
use crate::decision::Decision;
use crate::history::{CourseHistory, SessionStatus};
use crate::protocol::{Problem, Protocol};
use course::Course;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Longest horizon a plan may look ahead, in weeks (10 years).
pub const MAX_HORIZON_WEEKS: u16 = 520;

/// The phase a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The induction series (extension sessions included).
    Induction,
    /// A regular maintenance session.
    Maintenance,
    /// An extra session booked by a `booster` decision.
    Booster,
}

/// Whether a session in the plan has happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// Recorded as completed in the history.
    Completed,
    /// Booked by the planner.
    Planned,
}

/// One session of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedSession {
    /// 1-based number within the course, in date order (cancelled sessions are not numbered).
    pub number: u32,
    /// The phase.
    pub phase: Phase,
    /// The date, in the clinic's time zone.
    pub date: Date,
    /// Completed or planned.
    pub status: SessionState,
    /// For maintenance sessions, the nominal interval in weeks from the previous session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_weeks: Option<u16>,
}

/// The kind of a review point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// The protocol's early check during induction.
    EarlyCheck,
    /// The end-of-induction review (again after each extension).
    EndOfInductionReview,
    /// The periodic full reassessment.
    Reassessment,
}

/// A dated review point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// What kind of review.
    pub kind: ReviewKind,
    /// When.
    pub date: Date,
}

/// The dated plan of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Completed then planned sessions, in date order.
    pub sessions: Vec<PlannedSession>,
    /// Review points, in date order.
    pub reviews: Vec<Review>,
    /// What the clinic should know about this plan, in plain words.
    pub warnings: Vec<String>,
}

impl Plan {
    /// The next planned session, if any.
    pub fn next_session(&self) -> Option<&PlannedSession> {
        self.sessions
            .iter()
            .find(|s| s.status == SessionState::Planned)
    }

    /// How many sessions of a phase the plan holds, completed and planned.
    pub fn count(&self, phase: Phase) -> usize {
        self.sessions.iter().filter(|s| s.phase == phase).count()
    }
}

/// Inputs the planner cannot plan from.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// The horizon is outside 1 to [`MAX_HORIZON_WEEKS`].
    #[error("a horizon of {weeks} weeks is out of range: use 1 to {MAX_HORIZON_WEEKS} weeks")]
    Horizon {
        /// The requested horizon.
        weeks: u16,
    },
    /// The protocol does not pass its checks.
    #[error(
        "protocol `{id}` is not valid; fix it first (`cadence protocol check`):\n{}",
        render(.problems)
    )]
    InvalidProtocol {
        /// The protocol's id.
        id: String,
        /// What is wrong with it.
        problems: Vec<Problem>,
    },
    /// The history names a different start date.
    #[error(
        "the history's start_date {history} differs from the requested start {requested}: use \
         the same date in both"
    )]
    StartMismatch {
        /// The history's start date.
        history: Date,
        /// The requested start date.
        requested: Date,
    },
    /// A completed session or decision dated before the course start.
    #[error(
        "the {what} on {date} is before the course start {start}: check its date, or start the \
         course earlier"
    )]
    BeforeStart {
        /// "completed session" or the decision id.
        what: String,
        /// Its date.
        date: Date,
        /// The course start.
        start: Date,
    },
    /// A completed session or decision dated after "today".
    #[error(
        "the {what} on {date} is after today ({today}): record only what has happened, or check \
         the date given as today"
    )]
    AfterToday {
        /// "completed session" or the decision id.
        what: String,
        /// Its date.
        date: Date,
        /// Today.
        today: Date,
    },
    /// No date within a year can take the next session.
    #[error(
        "no open day can take the next session within {days} days from {from}: open more \
         weekdays or remove closed dates from the clinic calendar"
    )]
    NoSlot {
        /// Where the search started.
        from: Date,
        /// How far it looked.
        days: u32,
    },
    /// Date arithmetic left the supported range (years -9999 to 9999).
    #[error("the plan runs past the supported date range near {near}: choose a nearer start date")]
    OutOfRange {
        /// The date where arithmetic failed.
        near: Date,
    },
}

fn render(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Plans a course: the completed sessions from `history` with their inferred phases, the
/// sessions still to come and the review points, up to `horizon_weeks` after `today` (or after
/// `start` when the course has not started yet).
///
/// Deterministic: the same inputs always give the same plan.
pub fn plan(
    protocol: &Protocol,
    calendar: &ClinicCalendar,
    history: &CourseHistory,
    start: Date,
    today: Date,
    horizon_weeks: u16,
) -> Result<Plan, PlanError> {
    if !(1..=MAX_HORIZON_WEEKS).contains(&horizon_weeks) {
        return Err(PlanError::Horizon {
            weeks: horizon_weeks,
        });
    }
    let problems = protocol.check();
    if !problems.is_empty() {
        return Err(PlanError::InvalidProtocol {
            id: protocol.id.clone(),
            problems,
        });
    }
    if let Some(h) = history.start_date {
        if h != start {
            return Err(PlanError::StartMismatch {
                history: h,
                requested: start,
            });
        }
    }
    let completed: Vec<Date> = history
        .sessions_by_date()
        .into_iter()
        .filter(|s| s.status == SessionStatus::Completed)
        .map(|s| s.date)
        .collect();
    let decisions = history.decisions_by_date();
    let dated = completed
        .iter()
        .map(|d| ("completed session".to_owned(), *d))
        .chain(
            decisions
                .iter()
                .map(|d| (format!("{} decision", d.decision), d.date)),
        );
    for (what, date) in dated {
        if date < start {
            return Err(PlanError::BeforeStart { what, date, start });
        }
        if date > today {
            return Err(PlanError::AfterToday { what, date, today });
        }
    }

    // Replay the history in date order. On one date a decision applies to the sessions after
    // it, so that day's session comes first: it was the last induction session before
    // `start_maintenance`, the session before a `pause`, at the old interval before a change.
    // `booster` and `resume` are the exceptions: that day's session is the booster, or the
    // first session after the pause.
    let opens = |d: Decision| matches!(d, Decision::Booster | Decision::Resume);
    let mut course = Course::new(protocol);
    let (mut s, mut d) = (0, 0);
    while s < completed.len() || d < decisions.len() {
        let session_first = match (completed.get(s), decisions.get(d)) {
            (Some(sd), Some(dr)) => *sd < dr.date || (*sd == dr.date && !opens(dr.decision)),
            (Some(_), None) => true,
            _ => false,
        };
        if session_first {
            if let Some(date) = completed.get(s) {
                course.record_completed(*date);
            }
            s += 1;
        } else {
            if let Some(dr) = decisions.get(d) {
                course.apply(dr.date, dr.decision);
            }
            d += 1;
        }
    }

    let earliest = today.max(start);
    let horizon_end = book::add_days(earliest, 7 * i64::from(horizon_weeks))?;
    book::book(&mut course, calendar, earliest, horizon_end)?;
    let review_points = reviews::reviews(protocol, calendar, &course, horizon_end)?;
    reviews::max_weeks_warning(protocol, &mut course)?;
    Ok(Plan {
        sessions: course.sessions,
        reviews: review_points,
        warnings: course.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::builtin;
    use jiff::civil::date;

    fn iv() -> Protocol {
        builtin("iv-ketamine-6").unwrap()
    }

    #[test]
    fn horizon_must_be_in_range() {
        let c = ClinicCalendar::default();
        let h = CourseHistory::default();
        let s = date(2026, 12, 7);
        assert_eq!(
            plan(&iv(), &c, &h, s, s, 0).unwrap_err(),
            PlanError::Horizon { weeks: 0 }
        );
        assert!(plan(&iv(), &c, &h, s, s, 521).is_err());
        assert!(plan(&iv(), &c, &h, s, s, 520).is_ok());
        assert!(plan(&iv(), &c, &h, s, s, 1).is_ok());
    }

    #[test]
    fn an_invalid_protocol_is_refused_with_its_problems() {
        let mut p = iv();
        p.induction.per_week = 0;
        let err = plan(
            &p,
            &ClinicCalendar::default(),
            &CourseHistory::default(),
            date(2026, 12, 7),
            date(2026, 12, 7),
            26,
        )
        .unwrap_err();
        assert!(matches!(err, PlanError::InvalidProtocol { .. }));
        assert!(err.to_string().contains("induction.per_week"), "{err}");
    }

    #[test]
    fn next_session_and_counts() {
        let s = date(2026, 12, 7);
        let p = plan(
            &iv(),
            &ClinicCalendar::default(),
            &CourseHistory::default(),
            s,
            s,
            26,
        )
        .unwrap();
        assert_eq!(p.next_session().map(|x| x.date), Some(s));
        assert_eq!(p.count(Phase::Induction), 6);
        assert_eq!(p.count(Phase::Booster), 0);
    }
}
