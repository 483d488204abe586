//! Booking what is still to come: the sessions already booked (kept on their days), the
//! remaining induction sessions, a pending booster, then maintenance up to the horizon.
//!
//! Every booking goes through one rule: the first date on or after a lower bound that is an
//! open day of the clinic calendar and at least `min_days_between` days after the previous
//! session; induction sessions must also leave at most `per_week` sessions in the 7 days ending
//! on that date. The search is bounded ([`SEARCH_DAYS`]) so a calendar that cannot host the
//! rhythm is an error, never a hang. Booked sessions take the kind the course is in when they
//! come (the next induction session, the pending booster, the next maintenance session).

use super::BookedSession;
use super::replay::{Replay, Stage, Stop};
use crate::calendar::ClinicCalendar;
use crate::planner::types::{PlanError, SessionKind, SessionState};
use crate::protocol::Protocol;
use jiff::civil::Date;

/// How far ahead a free day is looked for, in days.
pub(crate) const SEARCH_DAYS: u32 = 366;

/// `date` plus `days` (may be negative).
pub(crate) fn add_days(date: Date, days: i64) -> Result<Date, PlanError> {
    jiff::Span::new()
        .try_days(days)
        .and_then(|span| date.checked_add(span))
        .map_err(|_| PlanError::OutOfRange { near: date })
}

/// The earliest date a session may follow the previous one, given the minimum gap.
fn after_gap(course: &Replay, protocol: &Protocol, lower: Date) -> Result<Date, PlanError> {
    let gap = i64::from(protocol.induction.min_days_between);
    match course.last_date() {
        Some(prev) => Ok(lower.max(add_days(prev, gap)?)),
        None => Ok(lower),
    }
}

/// The first open date on or after `from` that `accept` takes.
fn find(
    calendar: &ClinicCalendar,
    from: Date,
    mut accept: impl FnMut(Date) -> Result<bool, PlanError>,
) -> Result<Date, PlanError> {
    for offset in 0..=i64::from(SEARCH_DAYS) {
        let d = add_days(from, offset)?;
        if calendar.is_open(d) && accept(d)? {
            return Ok(d);
        }
    }
    Err(PlanError::NoSlot {
        from,
        days: SEARCH_DAYS,
    })
}

/// The next induction date: open, after the gap, and under the weekly limit.
fn induction_slot(
    course: &Replay,
    protocol: &Protocol,
    calendar: &ClinicCalendar,
    lower: Date,
) -> Result<Date, PlanError> {
    let per_week = usize::try_from(protocol.induction.per_week).unwrap_or(usize::MAX);
    find(calendar, after_gap(course, protocol, lower)?, |d| {
        let window_start = add_days(d, -6)?;
        let in_window = course
            .sessions
            .iter()
            .filter(|s| s.date >= window_start && s.date <= d)
            .count();
        Ok(in_window < per_week)
    })
}

/// What-ifs the forecast plans under (the plan itself assumes nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Assume {
    /// The adaptive maintenance interval, in weeks, instead of the one in force.
    pub interval_weeks: Option<u16>,
    /// Every extension the protocol still allows is used.
    pub all_extensions: bool,
    /// The course stops after induction (no response at the end-of-induction review).
    pub induction_only: bool,
}

/// Books the rest of the course into `course`, from `earliest` on, up to (not including)
/// `horizon_end`.
pub(crate) fn book(
    course: &mut Replay,
    protocol: &Protocol,
    calendar: &ClinicCalendar,
    booked: &[BookedSession],
    earliest: Date,
    horizon_end: Date,
    assume: Assume,
) -> Result<(), PlanError> {
    match course.stop {
        Some(Stop::Discontinued(_)) => {
            if !booked.is_empty() {
                course.warnings.push(format!(
                    "{} session(s) are still booked on a discontinued course: cancel them",
                    booked.len()
                ));
            }
            return Ok(());
        }
        Some(Stop::Paused(since)) => {
            course.warnings.push(format!(
                "the course is paused since {since}: no session is booked until a resume \
                 decision is recorded"
            ));
            if !booked.is_empty() {
                course.warnings.push(format!(
                    "{} session(s) are still booked while the course is paused",
                    booked.len()
                ));
            }
            return Ok(());
        }
        None => {}
    }
    if assume.all_extensions && course.stage != (Stage::Maintenance { confirmed: true }) {
        while course.extensions_used < protocol.induction.max_extensions
            && protocol.induction.extension_sessions > 0
        {
            course.extend(protocol);
        }
    }
    if let Some(weeks) = assume.interval_weeks {
        course.assume_interval(weeks);
    }
    for b in booked {
        if assume.induction_only && course.stage != Stage::Induction {
            break;
        }
        let kind = course.next_kind();
        course.push(
            protocol,
            b.date,
            kind,
            SessionState::Booked,
            b.booking_reason.clone(),
        );
    }
    while course.stage == Stage::Induction {
        let d = induction_slot(course, protocol, calendar, earliest)?;
        course.push(
            protocol,
            d,
            SessionKind::Induction,
            SessionState::Planned,
            None,
        );
    }
    if assume.induction_only {
        return Ok(());
    }
    if let Some(decided) = course.booster_due {
        let d = find(
            calendar,
            after_gap(course, protocol, earliest.max(decided))?,
            |_| Ok(true),
        )?;
        course.push(
            protocol,
            d,
            SessionKind::Booster,
            SessionState::Planned,
            None,
        );
    }
    let provisional = course.stage == (Stage::Maintenance { confirmed: false });
    let mut booked_maintenance = false;
    loop {
        let weeks = i64::from(course.nominal_interval(protocol).0);
        let from = match course.last_date() {
            Some(prev) => after_gap(course, protocol, earliest)?.max(add_days(prev, 7 * weeks)?),
            None => earliest,
        };
        if from >= horizon_end {
            break;
        }
        let d = find(calendar, from, |_| Ok(true))?;
        if d >= horizon_end {
            break;
        }
        course.push(
            protocol,
            d,
            SessionKind::Maintenance,
            SessionState::Planned,
            None,
        );
        booked_maintenance = true;
    }
    if provisional && booked_maintenance {
        if let Some(last) = course.induction_dates().last() {
            course.warnings.push(format!(
                "maintenance after {last} assumes a response at the end-of-induction review; \
                 record the clinician's decision to confirm it"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn add_days_goes_both_ways_and_reports_the_edge() {
        assert_eq!(add_days(date(2026, 12, 30), 3).unwrap(), date(2027, 1, 2));
        assert_eq!(add_days(date(2026, 3, 1), -1).unwrap(), date(2026, 2, 28));
        assert_eq!(
            add_days(Date::MAX, 1).unwrap_err(),
            PlanError::OutOfRange { near: Date::MAX }
        );
    }

    #[test]
    fn find_gives_up_after_a_year() {
        let closed: Vec<Date> = (0..400)
            .map(|i| add_days(date(2026, 1, 1), i).unwrap())
            .collect();
        let cal = ClinicCalendar::new("UTC", Default::default(), closed).unwrap();
        assert_eq!(
            find(&cal, date(2026, 1, 1), |_| Ok(true)).unwrap_err(),
            PlanError::NoSlot {
                from: date(2026, 1, 1),
                days: SEARCH_DAYS
            }
        );
    }
}
