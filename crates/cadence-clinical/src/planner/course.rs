//! The course as the planner sees it while replaying the history: where induction stands, the
//! maintenance interval in force, and whether the course is paused or stopped.
//!
//! Completed sessions and recorded decisions are applied in date order. Each completed session
//! takes the phase the course was in on its date (a pending booster makes it the booster); each
//! decision changes what comes after it. A decision that cannot apply (a third extension when
//! the protocol allows one, a booster during induction) is ignored with a warning rather than
//! guessed at, so the clinician sees it.

use super::{Phase, PlannedSession, SessionState};
use crate::decision::Decision;
use crate::protocol::Protocol;
use jiff::civil::Date;

/// Where the course stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// Induction sessions remain (`done < target`).
    Induction,
    /// Induction is over. `confirmed` is false until a clinician's decision (start maintenance,
    /// an interval change or a booster) says so: until then maintenance is provisional.
    Maintenance { confirmed: bool },
}

/// A recorded stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// Paused on this date until a `resume` decision.
    Paused(Date),
    /// Discontinued on this date: nothing after it.
    Discontinued(Date),
}

/// The course state, plus every session so far and the warnings met on the way.
#[derive(Debug)]
pub(super) struct Course<'p> {
    pub(super) protocol: &'p Protocol,
    /// Sessions in date order, completed then planned.
    pub(super) sessions: Vec<PlannedSession>,
    /// Induction sessions the course needs (base plus applied extensions).
    pub(super) target: u32,
    /// Induction sessions completed or booked.
    pub(super) done: u32,
    extensions_used: u32,
    pub(super) stage: Stage,
    initial_done: u32,
    initial_ended: bool,
    /// The adaptive maintenance interval, in weeks.
    interval: u16,
    /// The date of a `booster` decision not yet given.
    pub(super) booster_due: Option<Date>,
    pub(super) stop: Option<Stop>,
    /// Induction session numbers at which an end-of-induction review falls.
    pub(super) checkpoints: Vec<u32>,
    pub(super) warnings: Vec<String>,
}

impl<'p> Course<'p> {
    pub(super) fn new(protocol: &'p Protocol) -> Course<'p> {
        Course {
            protocol,
            sessions: Vec::new(),
            target: protocol.induction.sessions,
            done: 0,
            extensions_used: 0,
            stage: Stage::Induction,
            initial_done: 0,
            initial_ended: false,
            interval: protocol.maintenance.start_interval_weeks,
            booster_due: None,
            stop: None,
            checkpoints: vec![protocol.induction.sessions],
            warnings: Vec::new(),
        }
    }

    /// The date of the latest session, completed or planned.
    pub(super) fn last_date(&self) -> Option<Date> {
        self.sessions.last().map(|s| s.date)
    }

    /// The dates of the induction sessions, in order.
    pub(super) fn induction_dates(&self) -> Vec<Date> {
        self.sessions
            .iter()
            .filter(|s| s.phase == Phase::Induction)
            .map(|s| s.date)
            .collect()
    }

    /// Whether the fixed initial maintenance block is still running.
    fn initial_active(&self) -> bool {
        !self.initial_ended
            && self
                .protocol
                .maintenance
                .initial
                .as_ref()
                .is_some_and(|b| self.initial_done < b.sessions())
    }

    /// The interval the next maintenance session follows, in weeks.
    pub(super) fn nominal_interval(&self) -> u16 {
        match &self.protocol.maintenance.initial {
            Some(b) if self.initial_active() => b.interval_weeks,
            _ => self.interval,
        }
    }

    /// The phase the next session takes.
    pub(super) fn next_phase(&self) -> Phase {
        match self.stage {
            Stage::Induction => Phase::Induction,
            Stage::Maintenance { .. } if self.booster_due.is_some() => Phase::Booster,
            Stage::Maintenance { .. } => Phase::Maintenance,
        }
    }

    /// Adds a session of the given phase and moves the course on.
    pub(super) fn push(&mut self, date: Date, phase: Phase, status: SessionState) {
        let interval_weeks = (phase == Phase::Maintenance).then(|| self.nominal_interval());
        let number = u32::try_from(self.sessions.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        self.sessions.push(PlannedSession {
            number,
            phase,
            date,
            status,
            interval_weeks,
        });
        match phase {
            Phase::Induction => {
                self.done += 1;
                if self.done >= self.target {
                    self.stage = Stage::Maintenance { confirmed: false };
                }
            }
            Phase::Booster => self.booster_due = None,
            Phase::Maintenance => {
                if self.initial_active() {
                    self.initial_done += 1;
                }
            }
        }
    }

    /// A completed session from the history.
    pub(super) fn record_completed(&mut self, date: Date) {
        let gap = self.protocol.induction.min_days_between;
        if let Some(prev) = self.last_date() {
            let days = prev.duration_until(date).as_hours() / 24;
            if days < i64::from(gap) {
                self.warnings.push(format!(
                    "the completed sessions on {prev} and {date} are {days} day(s) apart, closer \
                     than the protocol's minimum of {gap} days"
                ));
            }
        }
        let phase = self.next_phase();
        match self.stop {
            Some(Stop::Paused(since)) => self.warnings.push(format!(
                "a session was completed on {date} while the course was paused (since {since}); \
                 it counts as a {} session",
                phase_name(phase)
            )),
            Some(Stop::Discontinued(on)) => self.warnings.push(format!(
                "a session was completed on {date} after the course was discontinued on {on}; it \
                 counts as a {} session",
                phase_name(phase)
            )),
            None => {}
        }
        self.push(date, phase, SessionState::Completed);
    }

    fn ignored(&mut self, date: Date, decision: Decision, why: String) {
        self.warnings.push(format!(
            "the {decision} decision on {date} is ignored: {why}"
        ));
    }

    /// A recorded decision.
    pub(super) fn apply(&mut self, date: Date, decision: Decision) {
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
        let i = &self.protocol.induction;
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
                    self.extensions_used += 1;
                    self.target = self.target.saturating_add(i.extension_sessions);
                    self.checkpoints.push(self.target);
                    if self.done < self.target {
                        self.stage = Stage::Induction;
                    }
                }
            }
            Decision::StartMaintenance => {
                self.stage = Stage::Maintenance { confirmed: true };
            }
            Decision::LengthenInterval | Decision::ShortenInterval => {
                if self.stage == Stage::Induction {
                    let why = format!(
                        "induction is not finished ({} of {} sessions); record start_maintenance \
                         first",
                        self.done, self.target
                    );
                    self.ignored(date, decision, why);
                } else {
                    self.stage = Stage::Maintenance { confirmed: true };
                    self.change_interval(date, decision);
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
                    self.stage = Stage::Maintenance { confirmed: true };
                    self.booster_due = Some(date);
                }
            }
            Decision::Pause => {
                if self.stop.is_none() {
                    self.stop = Some(Stop::Paused(date));
                }
            }
            Decision::Resume => {
                if self.stop.is_some() {
                    self.stop = None;
                } else {
                    self.ignored(date, decision, "the course is not paused".to_owned());
                }
            }
            Decision::Discontinue => {
                self.stop = Some(Stop::Discontinued(date));
            }
        }
    }

    /// Applies a lengthen / shorten step to the interval in force, clamped to the protocol's
    /// bounds. A change during the initial block ends the block: it applies to the interval the
    /// patient is on.
    fn change_interval(&mut self, date: Date, decision: Decision) {
        let m = &self.protocol.maintenance;
        let current = self.nominal_interval();
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
    }
}

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Induction => "induction",
        Phase::Maintenance => "maintenance",
        Phase::Booster => "booster",
    }
}
