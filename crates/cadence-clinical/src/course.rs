//! Where a course stands on a given day, derived from its protocol and history.
//!
//! The suggestion engine and the forecast both need the same facts (how much of induction is
//! done, whether maintenance has started, the current interval, the baseline and the
//! post-induction score), so they are derived once, here, from recorded data only: sessions that
//! took place and decisions a clinician recorded, on or before `today`. Suggestions are never
//! inputs.
//!
//! The planner (`planner/course.rs`) replays the same history to book dates and warns about
//! decisions it cannot apply; this module only summarises where the course stands. Both follow
//! the same rules (extensions up to the protocol's maximum, interval steps clamped to its bounds,
//! a session on a decision's day counted before the decision); the scenario tests of both pin
//! them.

use crate::decision::Decision;
use crate::history::{CourseHistory, ScoredAssessment, SessionStatus};
use crate::protocol::Protocol;
use jiff::civil::Date;

/// The phase a course is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoursePhase {
    /// Induction sessions are still to be given (or the end-of-induction review is pending).
    Induction,
    /// A clinician recorded `start_maintenance`.
    Maintenance,
    /// A clinician recorded `pause` (and no later `resume`).
    Paused,
    /// A clinician recorded `discontinue`.
    Discontinued,
}

/// The derived state of a course on `today`.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseState {
    /// The phase today.
    pub phase: CoursePhase,
    /// The phase before a pause (what `resume` returns to).
    pub phase_before_pause: Option<CoursePhase>,
    /// The date the course started (history `start_date`, else the first session).
    pub start_date: Option<Date>,
    /// Completed sessions before maintenance started (or all, when it has not).
    pub completed_induction: u32,
    /// Induction sessions due: the protocol's count plus applied extensions.
    pub induction_target: u32,
    /// `extend_induction` decisions applied (up to the protocol's maximum).
    pub extensions_used: u32,
    /// The date of the `start_maintenance` decision.
    pub maintenance_started: Option<Date>,
    /// Completed sessions on or after the maintenance start.
    pub completed_maintenance: u32,
    /// The current maintenance interval in weeks (the protocol's start, moved by decisions,
    /// within its bounds).
    pub interval_weeks: u16,
    /// The date of the last decision that changed the interval or booked a booster.
    pub last_interval_change: Option<Date>,
    /// The last completed session.
    pub last_session: Option<Date>,
    /// The date of the most recent recorded decision of any kind.
    pub last_decision: Option<Date>,
}

impl CourseState {
    /// Whether every induction session due has been given.
    pub fn induction_complete(&self) -> bool {
        self.completed_induction >= self.induction_target
    }

    /// Whether the protocol allows another extension.
    pub fn extension_available(&self, protocol: &Protocol) -> bool {
        protocol.induction.extension_sessions > 0
            && self.extensions_used < protocol.induction.max_extensions
    }
}

/// Derives the state of a course on `today` from recorded sessions and decisions.
pub fn course_state(protocol: &Protocol, history: &CourseHistory, today: Date) -> CourseState {
    let m = &protocol.maintenance;
    let mut state = CourseState {
        phase: CoursePhase::Induction,
        phase_before_pause: None,
        start_date: history.start_date,
        completed_induction: 0,
        induction_target: protocol.induction.sessions,
        extensions_used: 0,
        maintenance_started: None,
        completed_maintenance: 0,
        interval_weeks: m.start_interval_weeks,
        last_interval_change: None,
        last_session: None,
        last_decision: None,
    };
    for d in history.decisions_by_date() {
        if d.date > today {
            break;
        }
        state.last_decision = Some(d.date);
        if state.phase == CoursePhase::Discontinued {
            continue;
        }
        match d.decision {
            Decision::Continue => {}
            Decision::ExtendInduction => {
                if state.maintenance_started.is_none()
                    && state.extensions_used < protocol.induction.max_extensions
                {
                    state.extensions_used += 1;
                    state.induction_target += protocol.induction.extension_sessions;
                }
            }
            Decision::StartMaintenance => {
                if state.maintenance_started.is_none() {
                    state.maintenance_started = Some(d.date);
                    state.phase = CoursePhase::Maintenance;
                }
            }
            Decision::LengthenInterval => {
                state.interval_weeks = state
                    .interval_weeks
                    .saturating_add(m.lengthen_by_weeks)
                    .clamp(m.min_interval_weeks, m.max_interval_weeks);
                state.last_interval_change = Some(d.date);
            }
            Decision::ShortenInterval => {
                state.interval_weeks = state
                    .interval_weeks
                    .saturating_sub(m.shorten_by_weeks)
                    .clamp(m.min_interval_weeks, m.max_interval_weeks);
                state.last_interval_change = Some(d.date);
            }
            Decision::Booster => state.last_interval_change = Some(d.date),
            Decision::Pause => {
                if state.phase != CoursePhase::Paused {
                    state.phase_before_pause = Some(state.phase);
                    state.phase = CoursePhase::Paused;
                }
            }
            Decision::Resume => {
                if let Some(previous) = state.phase_before_pause.take() {
                    state.phase = previous;
                }
            }
            Decision::Discontinue => state.phase = CoursePhase::Discontinued,
        }
    }
    for s in history.sessions_by_date() {
        if s.date > today || s.status != SessionStatus::Completed {
            continue;
        }
        state.start_date = state.start_date.or(Some(s.date));
        state.last_session = Some(s.date);
        // A session on the day maintenance was decided is the last of induction: the
        // end-of-induction review happens at that visit (the planner orders a day the same way).
        match state.maintenance_started {
            Some(started) if s.date > started => state.completed_maintenance += 1,
            _ => state.completed_induction += 1,
        }
    }
    state
}

/// The baseline: the first assessment of `instrument` on or before the course start (issue 3:
/// "the first assessment of the protocol's instrument on or before the start date is the
/// baseline"). Without a start date, the first assessment of the instrument.
pub fn baseline<'a>(
    assessments: &'a [ScoredAssessment],
    protocol: &Protocol,
    state: &CourseState,
) -> Option<&'a ScoredAssessment> {
    let instrument = protocol.end_of_induction.instrument;
    assessments
        .iter()
        .filter(|a| a.score.instrument == instrument)
        .find(|a| state.start_date.is_none_or(|start| a.date <= start))
}

/// Assessments of the protocol's outcome instrument after the baseline, up to `today`, in date
/// order.
pub fn follow_ups<'a>(
    assessments: &'a [ScoredAssessment],
    protocol: &Protocol,
    baseline: Option<&ScoredAssessment>,
    today: Date,
) -> Vec<&'a ScoredAssessment> {
    let instrument = protocol.end_of_induction.instrument;
    assessments
        .iter()
        .filter(|a| a.score.instrument == instrument && a.date <= today)
        .filter(|a| baseline.is_none_or(|b| !std::ptr::eq(*a, b) && a.date >= b.date))
        .collect()
}
