//! How many treatments lie ahead, and what they cost: the question patients ask first.
//!
//! The forecast counts what the planner books from the course snapshot, so it cannot disagree
//! with the plan (issue 14): each figure is a plan over the same half-open horizon
//! (`[today, today + horizon)`), under one what-if each:
//!
//! - **expected**: the plan as it stands (booked sessions where they are, a pending booster,
//!   the interval in force), unless this patient's own symptoms came back sooner than the
//!   interval since the last interval decision: then every observed return counts once, in
//!   days from the session before it, and the median, rounded to whole weeks within the
//!   protocol's bounds, is the expected interval. With no such return the expected count *is*
//!   the plan's count.
//! - **low**: in induction, the non-response path: the course stops at the end-of-induction
//!   review and only the remaining induction sessions are counted; in maintenance, the
//!   protocol's longest interval.
//! - **high**: every extension the protocol still allows, then the shortest interval.
//!
//! The range is wide on purpose: it is a plan, not a promise, and the assumptions are returned
//! in plain words because patients read them.

use crate::calendar::ClinicCalendar;
use crate::course::book::Assume;
use crate::course::{CoursePhase, CourseSnapshot, CourseSummary, IntervalReason};
use crate::outcome::OutcomeError;
use crate::planner::{self, Plan, PlanError, SessionKind};
use crate::price::{PriceError, PriceList};
use crate::protocol::Protocol;
use jiff::civil::Date;
use serde::Serialize;

/// A count as a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    /// The fewest sessions (see [`Forecast::low_means`]).
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

    fn zero() -> Range {
        Range {
            low: 0,
            expected: 0,
            high: 0,
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
    /// Where the course stands (the snapshot's phase, induction, interval and next date).
    pub course: CourseSummary,
    /// The horizon in weeks from today.
    pub horizon_weeks: u16,
    /// Induction sessions still to come.
    pub remaining_induction: Range,
    /// Maintenance sessions (boosters included) within the horizon.
    pub maintenance: Range,
    /// Both together.
    pub total: Range,
    /// What the low figure stands for, in plain words.
    pub low_means: String,
    /// The cost of each figure, when a price list is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostRange>,
    /// The assumptions behind the figures, in plain words.
    pub assumptions: Vec<String>,
}

/// Why a forecast cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// The price list cannot price this course.
    #[error(transparent)]
    Price(#[from] PriceError),
    /// The calendar or horizon cannot be planned on.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// An outcome cannot be computed.
    #[error(transparent)]
    Outcome(#[from] OutcomeError),
}

/// One figure: induction and maintenance sessions ahead in a plan.
fn counts(plan: &Plan, from: Date, until: Date) -> (u32, u32) {
    (
        plan.ahead(SessionKind::Induction, from, until),
        plan.ahead(SessionKind::Maintenance, from, until)
            .saturating_add(plan.ahead(SessionKind::Booster, from, until)),
    )
}

/// Forecasts the sessions (and, with a price list, the cost) of a course over `horizon_weeks`
/// from the snapshot's today.
pub fn forecast(
    protocol: &Protocol,
    calendar: &ClinicCalendar,
    snap: &CourseSnapshot,
    horizon_weeks: u16,
    prices: Option<&PriceList>,
) -> Result<Forecast, ForecastError> {
    let m = &protocol.maintenance;
    let from = snap.today.max(snap.start);
    let until = planner::horizon_end(snap, horizon_weeks)?;
    let mut assumptions = Vec::new();
    let plan_under = |assume| planner::book_from(protocol, calendar, snap, horizon_weeks, assume);

    match snap.phase {
        CoursePhase::Discontinued => {
            assumptions
                .push("The course has been discontinued: no further sessions are planned.".into());
            return finish(
                protocol,
                snap,
                horizon_weeks,
                (Range::zero(), Range::zero()),
                "Nothing more: the course is discontinued.".into(),
                prices,
                assumptions,
            );
        }
        CoursePhase::Paused => {
            assumptions.push(
                "The course is paused: nothing is booked until a clinician records `resume`, \
                 so nothing is counted."
                    .into(),
            );
            return finish(
                protocol,
                snap,
                horizon_weeks,
                (Range::zero(), Range::zero()),
                "Nothing while the course is paused.".into(),
                prices,
                assumptions,
            );
        }
        CoursePhase::Induction | CoursePhase::Maintenance => {}
    }
    let in_induction = snap.phase == CoursePhase::Induction;
    if in_induction {
        assumptions.push(format!(
            "{} of {} induction sessions are done, at up to {} a week.",
            snap.induction.done, snap.induction.target, protocol.induction.per_week
        ));
    } else if let Some(started) = snap.maintenance.as_ref().map(|x| x.started) {
        assumptions.push(format!(
            "Induction is done; maintenance started on {started} and is every {} week(s) now.",
            snap.interval_weeks
        ));
    }
    if let Some(decided) = snap.booster.pending_since {
        assumptions.push(format!(
            "The booster decided on {decided} is counted in every figure."
        ));
    }
    if let Some(block) = &m.initial {
        assumptions.push(format!(
            "Maintenance starts with sessions every {} week(s) for {} weeks.",
            block.interval_weeks, block.weeks
        ));
    }

    // Expected: the plan, or the patient's own observed interval when it is shorter.
    let observed = observed_interval(protocol, snap)?;
    let expected_interval = observed.as_ref().map(|o| o.weeks);
    if let Some(o) = &observed {
        assumptions.push(o.text.clone());
    }
    let expected = counts(
        &plan_under(Assume {
            interval_weeks: expected_interval,
            ..Assume::default()
        })?,
        from,
        until,
    );
    let (low, low_means) = if in_induction {
        (
            counts(
                &plan_under(Assume {
                    induction_only: true,
                    ..Assume::default()
                })?,
                from,
                until,
            ),
            "No response at the end-of-induction review: the course stops after induction."
                .to_owned(),
        )
    } else {
        (
            counts(
                &plan_under(Assume {
                    interval_weeks: Some(m.max_interval_weeks),
                    ..Assume::default()
                })?,
                from,
                until,
            ),
            format!(
                "Maintenance at the protocol's longest interval, every {} week(s).",
                m.max_interval_weeks
            ),
        )
    };
    let high = counts(
        &plan_under(Assume {
            interval_weeks: Some(m.min_interval_weeks),
            all_extensions: true,
            ..Assume::default()
        })?,
        from,
        until,
    );
    if in_induction
        && snap.induction.extensions_left > 0
        && protocol.induction.extension_sessions > 0
    {
        assumptions.push(format!(
            "The high figure includes every extension the protocol still allows ({} \
             extension(s) of {} session(s)).",
            snap.induction.extensions_left, protocol.induction.extension_sessions
        ));
    }
    if in_induction {
        assumptions.push(
            "The expected and high figures assume a response at the end-of-induction review; \
             without one, the course may stop after induction (the low figure)."
                .into(),
        );
    }
    // The adaptive interval: an initial block has its own assumption above.
    let expected_weeks = expected_interval.unwrap_or(snap.replay.interval);
    let counted = if in_induction {
        format!(
            "maintenance is counted every {expected_weeks} week(s) (expected) and every {} \
             week(s) (high); the low figure counts none",
            m.min_interval_weeks
        )
    } else {
        format!(
            "maintenance is counted every {} week(s) (low), every {expected_weeks} week(s) \
             (expected) and every {} week(s) (high)",
            m.max_interval_weeks, m.min_interval_weeks
        )
    };
    assumptions.push(format!(
        "Over the next {horizon_weeks} weeks (from {from}, up to but not including {until}) \
         {counted}."
    ));
    let induction = Range {
        low: low.0,
        expected: expected.0,
        high: high.0,
    };
    let maintenance = Range {
        low: low.1,
        expected: expected.1,
        high: high.1,
    };
    finish(
        protocol,
        snap,
        horizon_weeks,
        (induction, maintenance),
        low_means,
        prices,
        assumptions,
    )
}

fn finish(
    protocol: &Protocol,
    snap: &CourseSnapshot,
    horizon_weeks: u16,
    (remaining_induction, maintenance): (Range, Range),
    low_means: String,
    prices: Option<&PriceList>,
    mut assumptions: Vec<String>,
) -> Result<Forecast, ForecastError> {
    let total = remaining_induction.add(maintenance);
    let cost = match prices {
        None => None,
        Some(list) => {
            let price = |induction: u32, other: u32| {
                list.cost_of_sessions(protocol.route, induction, snap.induction.done, other)
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
        course: snap.summary(),
        horizon_weeks,
        remaining_induction,
        maintenance,
        total,
        low_means,
        cost,
        assumptions,
    })
}

/// The patient's own time to symptom return, when it is shorter than the interval in force.
#[derive(Debug, Clone, PartialEq)]
struct Observed {
    weeks: u16,
    text: String,
}

/// Observed returns since the last interval decision (or booster, or maintenance start):
/// check-ins that show response lost (where there was one) or a reliable rise over the
/// post-induction score. Consecutive such check-ins are one episode, counted once, in days
/// from the last session before its first check-in (a check-in on a session day is taken
/// before dosing). The median, rounded to whole weeks within the protocol's bounds, is the
/// expected interval when it is shorter than the one in force.
fn observed_interval(
    protocol: &Protocol,
    snap: &CourseSnapshot,
) -> Result<Option<Observed>, OutcomeError> {
    let m = &protocol.maintenance;
    let Some(started) = snap.maintenance.as_ref().map(|x| x.started) else {
        return Ok(None);
    };
    let config = protocol.outcome_config();
    let scores = &snap.scores;
    let mut since = started;
    if let IntervalReason::Decision { on, .. } = snap.interval_reason {
        since = since.max(on);
    }
    if let Some(b) = snap.booster.last_given {
        since = since.max(b);
    }
    let sessions: Vec<Date> = snap
        .replay
        .sessions
        .iter()
        .filter(|s| s.status == crate::planner::SessionState::Completed)
        .map(|s| s.date)
        .collect();
    let mut returns: Vec<i64> = Vec::new();
    let mut in_episode = false;
    for a in scores.follow_ups.iter().filter(|a| a.date > since) {
        let j = scores.judge(a, &config)?;
        let returned = (scores.responded && !j.kept) || j.worse;
        if !returned {
            in_episode = false;
            continue;
        }
        if in_episode {
            continue;
        }
        in_episode = true;
        if let Some(prev) = sessions.iter().rev().find(|d| **d < a.date) {
            returns.push(i64::from((a.date - *prev).get_days()));
        }
    }
    if returns.is_empty() {
        return Ok(None);
    }
    returns.sort_unstable();
    let median = returns[returns.len() / 2];
    let current = snap.interval_weeks;
    let weeks = u16::try_from((median + 3) / 7)
        .unwrap_or(u16::MAX)
        .clamp(m.min_interval_weeks, m.max_interval_weeks);
    if weeks >= current {
        return Ok(None);
    }
    Ok(Some(Observed {
        weeks,
        text: format!(
            "Since {since}, symptoms have come back about {median} days after a session ({} \
             time(s)), so the expected figure uses sessions every {weeks} week(s).",
            returns.len()
        ),
    }))
}
