//! The planner: from a course snapshot and the clinic calendar, the dated plan of sessions and
//! review points.
//!
//! It answers "when is my next treatment, and how many are left?" with real dates: sessions only
//! on open days, never closer than the protocol's minimum gap, at most `per_week` induction
//! sessions in any 7 consecutive days, a missed or cancelled session rebooked rather than
//! dropped, booked sessions kept where they are, and after a recorded decision the plan follows
//! that decision (PRODUCT.md: nothing changes a course without a clinician's recorded decision).
//! It is a pure function of its inputs: "today" is the snapshot's and the clock is never read,
//! so a plan can be reproduced.
//!
//! The snapshot ([`crate::course::snapshot`]) has replayed the history; the course's booking
//! (`course/book.rs`) continues from it (booked sessions first, then the rhythm), and its
//! review points (`course/reviews.rs`) are read off the result. Problems the planner can work around (induction running past its maximum weeks, a
//! decision that cannot apply) become warnings in the plan; a calendar that cannot host the
//! course is a [`PlanError`].

pub(crate) mod types;
pub use crate::course::reassessment_points;
pub use types::{
    MAX_HORIZON_WEEKS, PlanError, PlannedSession, Review, ReviewKind, SessionKind, SessionState,
};

use crate::calendar::ClinicCalendar;
use crate::course::book::{self, Assume};
use crate::course::reviews;
use crate::course::{CourseSnapshot, CourseSummary};
use crate::protocol::Protocol;
use jiff::civil::Date;
use serde::Serialize;

/// The dated plan of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Where the course stands (the snapshot's phase, induction, interval and next date).
    pub course: CourseSummary,
    /// Completed, booked then planned sessions, in date order.
    pub sessions: Vec<PlannedSession>,
    /// Review points, in date order.
    pub reviews: Vec<Review>,
    /// What the clinic should know about this plan, in plain words.
    pub warnings: Vec<String>,
}

impl Plan {
    /// The next session not yet given (booked or planned), if any.
    pub fn next_session(&self) -> Option<&PlannedSession> {
        self.sessions
            .iter()
            .find(|s| s.status != SessionState::Completed)
    }

    /// How many sessions of a kind the plan holds, completed, booked and planned.
    pub fn count(&self, kind: SessionKind) -> usize {
        self.sessions.iter().filter(|s| s.kind == kind).count()
    }

    /// Sessions still to come (booked or planned) of a kind, on days in `[from, until)`.
    pub fn ahead(&self, kind: SessionKind, from: Date, until: Date) -> u32 {
        let n = self
            .sessions
            .iter()
            .filter(|s| {
                s.kind == kind
                    && s.status != SessionState::Completed
                    && s.date >= from
                    && s.date < until
            })
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// Plans a course from its snapshot: the completed sessions with their kinds, the booked ones
/// where they are, the sessions still to come and the review points, up to `horizon_weeks`
/// after today (or after the start, when the course has not started yet). The horizon is
/// half-open: a session on the day `horizon_weeks` ends is not in it.
///
/// Deterministic: the same inputs always give the same plan.
pub fn plan(
    protocol: &Protocol,
    calendar: &ClinicCalendar,
    snapshot: &CourseSnapshot,
    horizon_weeks: u16,
) -> Result<Plan, PlanError> {
    book_from(
        protocol,
        calendar,
        snapshot,
        horizon_weeks,
        Assume::default(),
    )
}

/// The first day a plan over `horizon_weeks` leaves out.
pub fn horizon_end(snapshot: &CourseSnapshot, horizon_weeks: u16) -> Result<Date, PlanError> {
    book::add_days(
        snapshot.today.max(snapshot.start),
        7 * i64::from(horizon_weeks),
    )
}

/// [`plan`] under what-ifs.
pub(crate) fn book_from(
    protocol: &Protocol,
    calendar: &ClinicCalendar,
    snapshot: &CourseSnapshot,
    horizon_weeks: u16,
    assume: Assume,
) -> Result<Plan, PlanError> {
    if !(1..=MAX_HORIZON_WEEKS).contains(&horizon_weeks) {
        return Err(PlanError::Horizon {
            weeks: horizon_weeks,
        });
    }
    let mut course = snapshot.replay.clone();
    course.warnings = snapshot.warnings.clone();
    let earliest = snapshot.today.max(snapshot.start);
    let end = horizon_end(snapshot, horizon_weeks)?;
    book::book(
        &mut course,
        protocol,
        calendar,
        &snapshot.booked,
        earliest,
        end,
        assume,
    )?;
    let review_points = reviews::reviews(protocol, calendar, &course, end)?;
    reviews::max_weeks_warning(protocol, &mut course)?;
    Ok(Plan {
        course: snapshot.summary(),
        sessions: course.sessions,
        reviews: review_points,
        warnings: course.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::{CourseInputs, snapshot};
    use crate::history::CourseHistory;
    use crate::instrument::ScoringConfig;
    use crate::protocol::builtin;
    use jiff::civil::date;

    /// Snapshot then plan, as the commands do.
    fn plan_h(
        p: &Protocol,
        c: &ClinicCalendar,
        h: &CourseHistory,
        start: Date,
        today: Date,
        weeks: u16,
    ) -> Result<Plan, PlanError> {
        let snap = snapshot(&CourseInputs {
            protocol: p,
            calendar: c,
            history: h,
            start: Some(start),
            today,
            scoring: &ScoringConfig::default(),
        })
        .unwrap();
        plan(p, c, &snap, weeks)
    }

    fn iv() -> Protocol {
        builtin("iv-ketamine-6").unwrap()
    }

    #[test]
    fn horizon_must_be_in_range() {
        let c = ClinicCalendar::default();
        let h = CourseHistory::default();
        let s = date(2026, 12, 7);
        assert_eq!(
            plan_h(&iv(), &c, &h, s, s, 0).unwrap_err(),
            PlanError::Horizon { weeks: 0 }
        );
        assert!(plan_h(&iv(), &c, &h, s, s, 521).is_err());
        assert!(plan_h(&iv(), &c, &h, s, s, 520).is_ok());
        assert!(plan_h(&iv(), &c, &h, s, s, 1).is_ok());
    }

    #[test]
    fn an_invalid_protocol_is_refused_with_its_problems() {
        let mut p = iv();
        p.induction.per_week = 0;
        let err = snapshot(&CourseInputs {
            protocol: &p,
            calendar: &ClinicCalendar::default(),
            history: &CourseHistory::default(),
            start: Some(date(2026, 12, 7)),
            today: date(2026, 12, 7),
            scoring: &ScoringConfig::default(),
        })
        .unwrap_err();
        assert!(matches!(
            err,
            crate::course::SnapshotError::InvalidProtocol { .. }
        ));
        assert!(err.to_string().contains("induction.per_week"), "{err}");
    }

    #[test]
    fn next_session_and_counts() {
        let s = date(2026, 12, 7);
        let p = plan_h(
            &iv(),
            &ClinicCalendar::default(),
            &CourseHistory::default(),
            s,
            s,
            26,
        )
        .unwrap();
        assert_eq!(p.next_session().map(|x| x.date), Some(s));
        assert_eq!(p.count(SessionKind::Induction), 6);
        assert_eq!(p.count(SessionKind::Booster), 0);
        assert_eq!(p.course.next_due, Some(s));
    }
}
