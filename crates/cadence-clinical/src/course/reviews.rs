//! Review points (early check, end-of-induction reviews, reassessments) and the warning when
//! induction overruns its maximum weeks, both read off the sessions of a finished plan.

use super::book;
use super::replay::{Replay, Stop};
use crate::calendar::ClinicCalendar;
use crate::planner::types::{MAX_HORIZON_WEEKS, PlanError, Review, ReviewKind};
use crate::protocol::Protocol;
use jiff::civil::Date;

/// Early check, end-of-induction reviews and reassessments.
pub(crate) fn reviews(
    p: &Protocol,
    calendar: &ClinicCalendar,
    course: &Replay,
    horizon_end: Date,
) -> Result<Vec<Review>, PlanError> {
    let induction = course.induction_dates();
    let at = |n: u32| {
        usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| induction.get(i).copied())
    };
    let mut out = Vec::new();
    if let Some(date) = p.induction.early_check_after.and_then(at) {
        out.push(Review {
            kind: ReviewKind::EarlyCheck,
            date,
        });
    }
    for date in course.checkpoints.iter().filter_map(|n| at(*n)) {
        out.push(Review {
            kind: ReviewKind::EndOfInductionReview,
            date,
        });
    }
    if let Some(first) = course.sessions.first().map(|s| s.date) {
        let stop = match course.stop {
            Some(Stop::Discontinued(d)) => Some(d),
            _ => None,
        };
        out.extend(
            reassessment_points(p, calendar, first, horizon_end, stop)?
                .into_iter()
                .map(|date| Review {
                    kind: ReviewKind::Reassessment,
                    date,
                }),
        );
    }
    out.sort_by_key(|r| (r.date, r.kind));
    out.dedup();
    Ok(out)
}

/// The dates of the protocol's periodic reassessments: every `reassessment.every_weeks` after
/// the first session, each moved to the clinic's next open day, before `until` (half-open, as
/// every horizon) and never after a discontinuation. The plan's review points and the assessments due
/// ([`crate::collection`]) both read these, so they name the same days.
pub fn reassessment_points(
    p: &Protocol,
    calendar: &ClinicCalendar,
    first: Date,
    until: Date,
    stop: Option<Date>,
) -> Result<Vec<Date>, PlanError> {
    let every = 7 * i64::from(p.reassessment.every_weeks);
    let mut out = Vec::new();
    if every == 0 {
        return Ok(out);
    }
    for k in 1..=i64::from(MAX_HORIZON_WEEKS) {
        let nominal = book::add_days(first, k * every)?;
        if nominal >= until || stop.is_some_and(|s| nominal > s) {
            break;
        }
        match calendar.next_open_on_or_after(nominal, book::SEARCH_DAYS) {
            Some(date) if date < until => out.push(date),
            _ => break,
        }
    }
    Ok(out)
}

/// Warns when the protocol's induction sessions end after its maximum weeks.
pub(crate) fn max_weeks_warning(p: &Protocol, course: &mut Replay) -> Result<(), PlanError> {
    let induction = course.induction_dates();
    let n = p.induction.sessions;
    let (Some(first), Some(last)) = (
        induction.first().copied(),
        usize::try_from(n)
            .ok()
            .and_then(|n| induction.get(n.saturating_sub(1)).copied()),
    ) else {
        return Ok(());
    };
    let weeks = p.induction.max_weeks;
    let deadline = book::add_days(first, 7 * i64::from(weeks) - 1)?;
    if last > deadline {
        course.warnings.push(format!(
            "induction runs past its {weeks} weeks: induction session {n} falls on {last}, after \
             {deadline} ({weeks} weeks from the first session on {first}); the clinic calendar \
             and the sessions so far allow no earlier date"
        ));
    }
    Ok(())
}
