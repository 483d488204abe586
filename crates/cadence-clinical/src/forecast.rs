//! How many treatments lie ahead, and what they cost: the question patients ask first.
//!
//! For a course at any point the forecast counts the remaining induction sessions and the
//! maintenance sessions over a horizon, as a `low` / `expected` / `high` range (issue 3 §4):
//! low at the protocol's longest interval, high at the shortest, expected at the current
//! interval, shortened to this patient's own observed time to symptom return when the history
//! shows one. The range is wide on purpose: it is a plan, not a promise, and the assumptions are
//! returned in plain words because patients read them.

use crate::course::{self, CoursePhase, CourseState};
use crate::history::{CourseHistory, HistoryError, ScoredAssessment};
use crate::instrument::ScoringConfig;
use crate::outcome::{OutcomeConfig, ReliableChange, outcome};
use crate::price::{PriceError, PriceList};
use crate::protocol::Protocol;
use jiff::civil::Date;
use serde::Serialize;

/// A count as a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    /// The fewest sessions (longest interval).
    pub low: u32,
    /// The expected number.
    pub expected: u32,
    /// The most sessions (shortest interval, every extension used).
    pub high: u32,
}

impl Range {
    fn add(self, other: Range) -> Range {
        Range {
            low: self.low.saturating_add(other.low),
            expected: self.expected.saturating_add(other.expected),
            high: self.high.saturating_add(other.high),
        }
    }
}

/// A cost range in the price list's currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostRange {
    /// ISO 4217 currency code.
    pub currency: String,
    /// Cost of the low count.
    pub low: crate::price::Money,
    /// Cost of the expected count.
    pub expected: crate::price::Money,
    /// Cost of the high count.
    pub high: crate::price::Money,
}

/// The forecast for one course.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// The horizon in weeks from `today`.
    pub horizon_weeks: u16,
    /// Induction sessions still to come.
    pub remaining_induction: Range,
    /// Maintenance sessions within the horizon.
    pub maintenance: Range,
    /// Both together.
    pub total: Range,
    /// The cost of each figure, when a price list is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostRange>,
    /// The assumptions behind the figures, in plain words.
    pub assumptions: Vec<String>,
}

/// Why a forecast cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// An assessment in the history does not score.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The price list cannot price this course.
    #[error(transparent)]
    Price(#[from] PriceError),
    /// A horizon outside 1-520 weeks.
    #[error("horizon of {0} weeks is out of range; use 1-520 weeks")]
    Horizon(u16),
}

/// Forecasts the sessions (and, with a price list, the cost) of a course from `today` over
/// `horizon_weeks`.
pub fn forecast(
    protocol: &Protocol,
    history: &CourseHistory,
    today: Date,
    horizon_weeks: u16,
    prices: Option<&PriceList>,
    scoring: &ScoringConfig,
) -> Result<Forecast, ForecastError> {
    if !(1..=520).contains(&horizon_weeks) {
        return Err(ForecastError::Horizon(horizon_weeks));
    }
    let assessments = history.scored_assessments(scoring)?;
    let state = course::course_state(protocol, history, today);
    let m = &protocol.maintenance;
    let horizon_days = i64::from(horizon_weeks) * 7;
    let mut assumptions = Vec::new();

    if state.phase == CoursePhase::Discontinued {
        assumptions
            .push("The course has been discontinued: no further sessions are planned.".into());
        return finish(
            protocol,
            &state,
            horizon_weeks,
            Range::default_zero(),
            Range::default_zero(),
            prices,
            assumptions,
        );
    }
    if state.phase == CoursePhase::Paused {
        assumptions.push("The course is paused; these figures assume it resumes today.".into());
    }
    let in_induction = state.maintenance_started.is_none();
    if let Some(started) = state.maintenance_started {
        assumptions.push(format!(
            "Induction is done; maintenance started on {started} and is every {} week(s) now.",
            state.interval_weeks
        ));
    }

    // Remaining induction: the sessions still due; the high figure adds every extension the
    // protocol still allows.
    let remaining_induction = if in_induction {
        let due = state
            .induction_target
            .saturating_sub(state.completed_induction);
        let extensions_left = protocol
            .induction
            .max_extensions
            .saturating_sub(state.extensions_used);
        let extra = protocol
            .induction
            .extension_sessions
            .saturating_mul(extensions_left);
        assumptions.push(format!(
            "{} of {} induction sessions are done; {due} remain at {} a week.",
            state.completed_induction, state.induction_target, protocol.induction.per_week
        ));
        if extra > 0 {
            assumptions.push(format!(
                "The high figure includes {extra} more induction session(s) in case the \
                 end-of-induction review extends induction."
            ));
        }
        Range {
            low: due,
            expected: due,
            high: due.saturating_add(extra),
        }
    } else {
        Range::default_zero()
    };

    // Days of the horizon left for maintenance once induction is done, measured from the last
    // session (maintenance sessions fall one interval after it). A session overdue by more than
    // an interval is booked from today: only one interval of the time since the last session
    // counts, so intervals missed in the past are not counted as sessions to come.
    let per_week = u64::from(protocol.induction.per_week.max(1));
    let induction_days = |n: u32| -> i64 {
        let n = u64::from(n);
        i64::try_from((n * 7).div_ceil(per_week)).unwrap_or(i64::MAX)
    };
    let elapsed_since_last = state
        .last_session
        .map_or(0, |last| (today - last).get_days().max(0));
    let span = |induction_sessions: u32, interval_days: i64| -> i64 {
        if in_induction {
            horizon_days - induction_days(induction_sessions)
        } else {
            horizon_days + i64::from(elapsed_since_last).min(interval_days)
        }
        .max(0)
    };
    if in_induction {
        assumptions.push(
            "Maintenance figures assume a response at the end-of-induction review; without one, \
             the course may stop after induction."
                .into(),
        );
    }

    // The initial block (e.g. esketamine weekly in weeks 5-8) is counted the same in every
    // figure; only the adaptive part varies.
    let (initial_sessions, initial_days) = match (&m.initial, in_induction) {
        (Some(block), true) => (
            u32::from(block.weeks / block.interval_weeks.max(1)),
            i64::from(block.weeks) * 7,
        ),
        (Some(block), false) => {
            let started = state.maintenance_started.unwrap_or(today);
            let end = started.saturating_add(jiff::Span::new().days(i64::from(block.weeks) * 7));
            let left = (end - today).get_days().max(0);
            let weeks = u32::try_from(left / 7).unwrap_or(0);
            (
                weeks / u32::from(block.interval_weeks.max(1)),
                i64::from(left),
            )
        }
        (None, _) => (0, 0),
    };
    if let Some(block) = &m.initial {
        assumptions.push(format!(
            "Maintenance starts with sessions every {} week(s) for {} weeks.",
            block.interval_weeks, block.weeks
        ));
    }

    let current = if in_induction {
        m.start_interval_weeks
    } else {
        state.interval_weeks
    };
    let (expected_interval, observed) =
        observed_interval(protocol, &state, history, &assessments, current, today);
    if let Some(text) = observed {
        assumptions.push(text);
    }
    let block_interval_days = m
        .initial
        .as_ref()
        .map_or(7, |b| i64::from(b.interval_weeks.max(1)) * 7);
    let count = |induction_sessions: u32, interval_weeks: u16| -> u32 {
        let per = i64::from(interval_weeks.max(1)) * 7;
        let days = span(induction_sessions, per);
        let block = initial_days.min(days);
        let block_sessions = if days >= initial_days {
            initial_sessions
        } else {
            u32::try_from(block / block_interval_days).unwrap_or(0)
        };
        let rest = days - block;
        block_sessions.saturating_add(u32::try_from(rest / per).unwrap_or(0))
    };
    let maintenance = Range {
        low: count(remaining_induction.low, m.max_interval_weeks),
        expected: count(remaining_induction.expected, expected_interval),
        high: count(remaining_induction.low, m.min_interval_weeks),
    };
    assumptions.push(format!(
        "Over the next {horizon_weeks} weeks maintenance is counted every {} week(s) (low), \
         every {expected_interval} week(s) (expected) and every {} week(s) (high).",
        m.max_interval_weeks, m.min_interval_weeks
    ));
    finish(
        protocol,
        &state,
        horizon_weeks,
        remaining_induction,
        maintenance,
        prices,
        assumptions,
    )
}

impl Range {
    fn default_zero() -> Range {
        Range {
            low: 0,
            expected: 0,
            high: 0,
        }
    }
}

fn finish(
    protocol: &Protocol,
    state: &CourseState,
    horizon_weeks: u16,
    remaining_induction: Range,
    maintenance: Range,
    prices: Option<&PriceList>,
    mut assumptions: Vec<String>,
) -> Result<Forecast, ForecastError> {
    let total = remaining_induction.add(maintenance);
    let cost = match prices {
        None => None,
        Some(list) => {
            let price = |induction: u32, other: u32| {
                list.cost_of_sessions(protocol.route, induction, state.completed_induction, other)
            };
            let cost = CostRange {
                currency: list.currency().to_owned(),
                low: price(remaining_induction.low, maintenance.low)?,
                expected: price(remaining_induction.expected, maintenance.expected)?,
                high: price(remaining_induction.high, maintenance.high)?,
            };
            assumptions.extend(list.explain(protocol.route));
            Some(cost)
        }
    };
    Ok(Forecast {
        horizon_weeks,
        remaining_induction,
        maintenance,
        total,
        cost,
        assumptions,
    })
}

/// The expected maintenance interval: the current one, shortened to the patient's own observed
/// time to symptom return (from the session before a check-in that showed response lost or a
/// reliable deterioration) when that is shorter, within the protocol's bounds. Only check-ins
/// up to `today` count, and a check-in on a session day is taken before dosing (the protocols
/// collect it `before_session`), so it is measured from the session before that day.
fn observed_interval(
    protocol: &Protocol,
    state: &CourseState,
    history: &CourseHistory,
    assessments: &[ScoredAssessment],
    current: u16,
    today: Date,
) -> (u16, Option<String>) {
    let m = &protocol.maintenance;
    let Some(started) = state.maintenance_started else {
        return (current, None);
    };
    let config = OutcomeConfig {
        response_percent: protocol.end_of_induction.response_percent,
        partial_percent: protocol.end_of_induction.partial_percent,
        ..OutcomeConfig::default()
    };
    let Some(base) = course::baseline(assessments, protocol, state) else {
        return (current, None);
    };
    let follow = course::follow_ups(assessments, protocol, Some(base), today);
    let post = follow.iter().rev().find(|a| a.date <= started).copied();
    let sessions = history.sessions_by_date();
    let mut returns: Vec<i64> = Vec::new();
    for a in follow.iter().filter(|a| a.date > started) {
        let (Some(b), Some(t)) = (base.score.total, a.score.total) else {
            continue;
        };
        let Ok(vs_base) = outcome(a.score.instrument, b, t, &config) else {
            continue;
        };
        let lost = !(vs_base.response || vs_base.remission == Some(true));
        let worse = post
            .and_then(|p| p.score.total)
            .and_then(|p| outcome(a.score.instrument, p, t, &config).ok())
            .is_some_and(|o| o.reliable_change == Some(ReliableChange::Deteriorated));
        if !(lost || worse) {
            continue;
        }
        if let Some(prev) = sessions
            .iter()
            .rev()
            .find(|s| s.date < a.date && s.status == crate::history::SessionStatus::Completed)
        {
            returns.push(i64::from((a.date - prev.date).get_days()));
        }
    }
    if returns.is_empty() {
        return (current, None);
    }
    returns.sort_unstable();
    let median = returns[returns.len() / 2];
    let weeks = u16::try_from((median / 7).max(1)).unwrap_or(u16::MAX);
    let interval = weeks.clamp(m.min_interval_weeks, current.max(m.min_interval_weeks));
    let text = format!(
        "Symptoms have returned about {median} days after a session ({} time(s) observed), so \
         the expected figure uses sessions every {interval} week(s).",
        returns.len()
    );
    (interval, Some(text))
}
