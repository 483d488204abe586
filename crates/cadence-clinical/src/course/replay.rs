//! The one replay of a course's history: completed sessions and recorded decisions, applied in
//! date order, giving where induction stands, the maintenance interval in force and why, a
//! pending booster, and whether the course is paused or stopped.
//!
//! Each completed session takes the kind the course was in on its date (a pending booster makes
//! it the booster); each decision changes what comes after it. On one date a decision applies
//! to the sessions after it, so that day's session comes first (it was the last induction
//! session before `start_maintenance`, the session before a `pause`, at the old interval before
//! a change); `booster` and `resume` are the exceptions: that day's session is the booster, or
//! the first session after the pause. A decision that cannot apply (a third extension when the
//! protocol allows one, a booster during induction) is ignored with a warning rather than
//! guessed at, so the clinician sees it.
//!
//! The planner continues from the replay to book what is still to come (`planner/book.rs`);
//! nothing else replays a history.

use super::CoursePhase;
use crate::decision::Decision;
use crate::planner::types::{PlannedSession, SessionKind, SessionState};
use crate::protocol::Protocol;
use jiff::civil::Date;

/// Where the course stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Induction sessions remain (`done < target`).
    Induction,
    /// Induction is over. `confirmed` is false until a clinician's decision (start maintenance,
    /// an interval change or a booster) says so: until then maintenance is provisional.
    Maintenance { confirmed: bool },
}

/// A recorded stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Paused on this date until a `resume` decision.
    Paused(Date),
    /// Discontinued on this date: nothing after it.
    Discontinued(Date),
}

/// Why the maintenance interval is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum IntervalReason {
    /// The protocol's starting interval (`maintenance.start_interval_weeks`).
    ProtocolStart,
    /// The protocol's fixed initial block (`maintenance.initial`).
    InitialBlock,
    /// A clinician's `lengthen_interval` or `shorten_interval` decision on this date.
    Decision {
        /// The decision.
        decision: Decision,
        /// Its date.
        on: Date,
    },
}

/// The course state while replaying (and, in the planner, while booking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Replay {
    /// Sessions in date order: completed, then (once the planner books) booked and planned.
    pub(crate) sessions: Vec<PlannedSession>,
    /// Induction sessions the course needs (base plus applied extensions).
    pub(crate) target: u32,
    /// Induction sessions completed (or, while booking, completed or booked).
    pub(crate) done: u32,
    pub(crate) extensions_used: u32,
    pub(crate) stage: Stage,
    initial_done: u32,
    initial_ended: bool,
    /// The adaptive maintenance interval, in weeks.
    pub(crate) interval: u16,
    /// The decision that last set the adaptive interval.
    pub(crate) interval_decision: Option<(Decision, Date)>,
    /// The date of the decision that confirmed maintenance.
    pub(crate) maintenance_started: Option<Date>,
    /// The date of a `booster` decision not yet given.
    pub(crate) booster_due: Option<Date>,
    /// The date the last booster was given.
    pub(crate) booster_given: Option<Date>,
    pub(crate) stop: Option<Stop>,
    /// The phase before a pause (what `resume` returns to).
    pub(crate) paused_from: Option<CoursePhase>,
    /// Induction session numbers at which an end-of-induction review falls.
    pub(crate) checkpoints: Vec<u32>,
    /// The date of the latest decision of any kind.
    pub(crate) last_decision: Option<Date>,
    pub(crate) warnings: Vec<String>,
}

impl Replay {
    pub(crate) fn new(protocol: &Protocol) -> Replay {
        Replay {
            sessions: Vec::new(),
            target: protocol.induction.sessions,
            done: 0,
            extensions_used: 0,
            stage: Stage::Induction,
            initial_done: 0,
            initial_ended: false,
            interval: protocol.maintenance.start_interval_weeks,
            interval_decision: None,
            maintenance_started: None,
            booster_due: None,
            booster_given: None,
            stop: None,
            paused_from: None,
            checkpoints: vec![protocol.induction.sessions],
            last_decision: None,
            warnings: Vec::new(),
        }
    }

    /// Replays completed sessions and decisions, both in date order (see the module's rule
    /// for one date).
    pub(crate) fn run(
        protocol: &Protocol,
        completed: &[Date],
        decisions: &[(Date, Decision)],
    ) -> Replay {
        let opens = |d: Decision| matches!(d, Decision::Booster | Decision::Resume);
        let mut r = Replay::new(protocol);
        let (mut s, mut d) = (0, 0);
        while s < completed.len() || d < decisions.len() {
            let session_first = match (completed.get(s), decisions.get(d)) {
                (Some(sd), Some((dd, dec))) => *sd < *dd || (*sd == *dd && !opens(*dec)),
                (Some(_), None) => true,
                _ => false,
            };
            if session_first {
                if let Some(date) = completed.get(s) {
                    r.record_completed(protocol, *date);
                }
                s += 1;
            } else {
                if let Some((date, decision)) = decisions.get(d) {
                    r.apply(protocol, *date, *decision);
                }
                d += 1;
            }
        }
        r
    }

    /// The course phase: a stop first, then induction until a clinician confirms maintenance.
    pub(crate) fn phase(&self) -> CoursePhase {
        match (self.stop, self.stage) {
            (Some(Stop::Discontinued(_)), _) => CoursePhase::Discontinued,
            (Some(Stop::Paused(_)), _) => CoursePhase::Paused,
            (None, Stage::Maintenance { confirmed: true }) => CoursePhase::Maintenance,
            (None, _) => CoursePhase::Induction,
        }
    }

    /// The date of the latest session, completed or planned.
    pub(crate) fn last_date(&self) -> Option<Date> {
        self.sessions.last().map(|s| s.date)
    }

    /// The dates of the induction sessions, in order.
    pub(crate) fn induction_dates(&self) -> Vec<Date> {
        self.sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Induction)
            .map(|s| s.date)
            .collect()
    }

    /// Whether the fixed initial maintenance block is still running.
    pub(crate) fn initial_active(&self, protocol: &Protocol) -> bool {
        !self.initial_ended
            && protocol
                .maintenance
                .initial
                .as_ref()
                .is_some_and(|b| self.initial_done < b.sessions())
    }

    /// Sessions of the initial block given (or booked) so far.
    pub(crate) fn initial_done(&self) -> u32 {
        self.initial_done
    }

    /// The interval the next maintenance session follows, in weeks, and why.
    pub(crate) fn nominal_interval(&self, protocol: &Protocol) -> (u16, IntervalReason) {
        match &protocol.maintenance.initial {
            Some(b) if self.initial_active(protocol) => {
                (b.interval_weeks, IntervalReason::InitialBlock)
            }
            _ => (
                self.interval,
                match self.interval_decision {
                    Some((decision, on)) => IntervalReason::Decision { decision, on },
                    None => IntervalReason::ProtocolStart,
                },
            ),
        }
    }

    /// The kind the next session takes.
    pub(crate) fn next_kind(&self) -> SessionKind {
        match self.stage {
            Stage::Induction => SessionKind::Induction,
            Stage::Maintenance { .. } if self.booster_due.is_some() => SessionKind::Booster,
            Stage::Maintenance { .. } => SessionKind::Maintenance,
        }
    }

    /// Adds a session of the given kind and moves the course on.
    pub(crate) fn push(
        &mut self,
        protocol: &Protocol,
        date: Date,
        kind: SessionKind,
        status: SessionState,
        booking_reason: Option<String>,
    ) {
        let interval_weeks =
            (kind == SessionKind::Maintenance).then(|| self.nominal_interval(protocol).0);
        let number = u32::try_from(self.sessions.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        self.sessions.push(PlannedSession {
            number,
            kind,
            date,
            status,
            interval_weeks,
            booking_reason,
        });
        match kind {
            SessionKind::Induction => {
                self.done += 1;
                if self.done >= self.target {
                    self.stage = Stage::Maintenance { confirmed: false };
                }
            }
            SessionKind::Booster => {
                self.booster_due = None;
                if status == SessionState::Completed {
                    self.booster_given = Some(date);
                }
            }
            SessionKind::Maintenance => {
                if self.initial_active(protocol) {
                    self.initial_done += 1;
                }
            }
        }
    }

    /// A completed session from the history.
    fn record_completed(&mut self, protocol: &Protocol, date: Date) {
        let gap = protocol.induction.min_days_between;
        if let Some(prev) = self.last_date() {
            let days = prev.duration_until(date).as_hours() / 24;
            if days < i64::from(gap) {
                self.warnings.push(format!(
                    "the completed sessions on {prev} and {date} are {days} day(s) apart, closer \
                     than the protocol's minimum of {gap} days"
                ));
            }
        }
        let kind = self.next_kind();
        match self.stop {
            Some(Stop::Paused(since)) => self.warnings.push(format!(
                "a session was completed on {date} while the course was paused (since {since}); \
                 it counts as a {} session",
                kind.as_str()
            )),
            Some(Stop::Discontinued(on)) => self.warnings.push(format!(
                "a session was completed on {date} after the course was discontinued on {on}; it \
                 counts as a {} session",
                kind.as_str()
            )),
            None => {}
        }
        self.push(protocol, date, kind, SessionState::Completed, None);
    }

    fn ignored(&mut self, date: Date, decision: Decision, why: String) {
        self.warnings.push(format!(
            "the {decision} decision on {date} is ignored: {why}"
        ));
    }

    /// Confirms maintenance on `date` (the first decision that says so).
    fn confirm_maintenance(&mut self, date: Date) {
        self.stage = Stage::Maintenance { confirmed: true };
        self.maintenance_started.get_or_insert(date);
    }

    /// A recorded decision.
    fn apply(&mut self, protocol: &Protocol, date: Date, decision: Decision) {
        self.last_decision = Some(date);
        if let Some(Stop::Discontinued(on)) = self.stop {
            if decision != Decision::Discontinue {
                self.ignored(
                    date,
                    decision,
                    format!("the course was discontinued on {on}; start a new course instead"),
                );
            }
            return;
        }
        let i = &protocol.induction;
        match decision {
            Decision::Continue => {}
            Decision::ExtendInduction => {
                if self.stage == (Stage::Maintenance { confirmed: true }) {
                    self.ignored(date, decision, "maintenance has already started".to_owned());
                } else if self.extensions_used >= i.max_extensions {
                    let why = format!(
                        "the protocol allows {} extension(s) and {} already applied",
                        i.max_extensions, self.extensions_used
                    );
                    self.ignored(date, decision, why);
                } else {
                    self.extend(protocol);
                }
            }
            Decision::StartMaintenance => self.confirm_maintenance(date),
            Decision::LengthenInterval | Decision::ShortenInterval => {
                if self.stage == Stage::Induction {
                    let why = format!(
                        "induction is not finished ({} of {} sessions); record start_maintenance \
                         first",
                        self.done, self.target
                    );
                    self.ignored(date, decision, why);
                } else {
                    self.confirm_maintenance(date);
                    self.change_interval(protocol, date, decision);
                }
            }
            Decision::Booster => {
                if self.stage == Stage::Induction {
                    self.ignored(
                        date,
                        decision,
                        "the course is still in induction".to_owned(),
                    );
                } else if let Some(Stop::Paused(since)) = self.stop {
                    let why = format!("the course is paused since {since}; resume it first");
                    self.ignored(date, decision, why);
                } else if let Some(due) = self.booster_due {
                    let why = format!("the booster decided on {due} has not been given yet");
                    self.ignored(date, decision, why);
                } else {
                    self.confirm_maintenance(date);
                    self.booster_due = Some(date);
                }
            }
            Decision::Pause => {
                if self.stop.is_none() {
                    self.paused_from = Some(self.phase());
                    self.stop = Some(Stop::Paused(date));
                }
            }
            Decision::Resume => {
                if matches!(self.stop, Some(Stop::Paused(_))) {
                    self.stop = None;
                    self.paused_from = None;
                } else {
                    self.ignored(date, decision, "the course is not paused".to_owned());
                }
            }
            Decision::Discontinue => {
                self.stop = Some(Stop::Discontinued(date));
            }
        }
    }

    /// Applies one extension: the protocol's extension sessions join induction.
    pub(crate) fn extend(&mut self, protocol: &Protocol) {
        self.extensions_used += 1;
        self.target = self
            .target
            .saturating_add(protocol.induction.extension_sessions);
        self.checkpoints.push(self.target);
        if self.done < self.target {
            self.stage = Stage::Induction;
        }
    }

    /// Applies a lengthen / shorten step to the interval in force, clamped to the protocol's
    /// bounds. A change during the initial block ends the block: it applies to the interval the
    /// patient is on.
    fn change_interval(&mut self, protocol: &Protocol, date: Date, decision: Decision) {
        let m = &protocol.maintenance;
        let (current, _) = self.nominal_interval(protocol);
        let (wanted, bound, word) = if decision == Decision::LengthenInterval {
            (
                current.saturating_add(m.lengthen_by_weeks),
                m.max_interval_weeks,
                "maximum",
            )
        } else {
            (
                current.saturating_sub(m.shorten_by_weeks),
                m.min_interval_weeks,
                "minimum",
            )
        };
        let new = wanted.clamp(m.min_interval_weeks, m.max_interval_weeks);
        if new != wanted {
            self.warnings.push(format!(
                "the {decision} decision on {date} would make the interval {wanted} week(s); it \
                 stays at the protocol's {word} of {bound} week(s)"
            ));
        }
        self.initial_ended = true;
        self.interval = new;
        self.interval_decision = Some((decision, date));
    }

    /// Sets the adaptive interval for a what-if (the forecast's low and high figures).
    pub(crate) fn assume_interval(&mut self, weeks: u16) {
        self.interval = weeks;
    }
}
