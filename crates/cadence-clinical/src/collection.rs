//! What the protocol says to collect, and what of it is due (issue 13 §8).
//!
//! A protocol's `[[collect]]` lists and its `[reassessment]` name the instruments a course
//! collects and when; each list carries its source in the protocol file. This module reads them
//! against what has been recorded and says what is still owed:
//!
//! - **Baseline**: before the first dose, each baseline instrument needs a score taken within
//!   the protocol's baseline window (`outcomes.baseline_window_days`, no limit when unset) before
//!   the first booked session; due on that session's day. A score older than the window is not a
//!   baseline, the same rule the outcome uses.
//! - **Before each session**: on the day of the next booked session, each `before_session`
//!   instrument needs a score taken that day. (The session itself is held without the suicide
//!   screen: see [`crate::safety::session_gates`].)
//! - **Reassessment**: at each reassessment point (every `reassessment.every_weeks` after the
//!   first session, on the clinic's next open day: the plan's own review points, from
//!   [`crate::planner::reassessment_points`]), each reassessment instrument needs a score taken
//!   on or after that day. The latest point that has passed is overdue until collected; the next
//!   one is listed as coming.
//!
//! A stopped course owes nothing. Nothing here decides care: a due item is a reminder, and only
//! the missing suicide screen holds a session.

use crate::calendar::ClinicCalendar;
use crate::course::reviews::reassessment_points;
use crate::instrument::InstrumentId;
use crate::planner::types::PlanError;
use crate::protocol::{CollectWhen, Protocol};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// Why an instrument is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DueReason {
    /// The course's baseline, before the first dose.
    Baseline,
    /// Before the next session, in clinic that day.
    BeforeSession,
    /// The periodic full reassessment.
    Reassessment,
}

impl DueReason {
    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            DueReason::Baseline => "baseline",
            DueReason::BeforeSession => "before_session",
            DueReason::Reassessment => "reassessment",
        }
    }

    /// In the clinic's words.
    pub fn label(self) -> &'static str {
        match self {
            DueReason::Baseline => "Baseline",
            DueReason::BeforeSession => "Before the session",
            DueReason::Reassessment => "Reassessment",
        }
    }
}

/// One instrument the protocol says to collect, not yet collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueAssessment {
    /// Which instrument.
    pub instrument: InstrumentId,
    /// Why.
    pub reason: DueReason,
    /// The day it is due.
    pub due_on: Date,
    /// Whether that day has passed without it.
    pub overdue: bool,
}

/// What the due list is computed from.
#[derive(Debug, Clone, Copy)]
pub struct CollectionInputs<'a> {
    /// The course's protocol.
    pub protocol: &'a Protocol,
    /// The clinic's calendar (reassessment points fall on open days).
    pub calendar: &'a ClinicCalendar,
    /// The day of the course's first dose, once given.
    pub first_dose: Option<Date>,
    /// The next booked session on or after today, if any.
    pub next_session: Option<Date>,
    /// Whether the course has stopped (discontinued or completed).
    pub stopped: bool,
    /// The patient's recorded scores: instrument and the day taken.
    pub taken: &'a [(InstrumentId, Date)],
    /// The clinic's today.
    pub today: Date,
}

/// What the protocol says to collect that has not been collected, soonest first.
pub fn due_assessments(inputs: &CollectionInputs<'_>) -> Result<Vec<DueAssessment>, PlanError> {
    let CollectionInputs {
        protocol: p,
        calendar,
        first_dose,
        next_session,
        stopped,
        taken,
        today,
    } = *inputs;
    let mut out = Vec::new();
    if stopped {
        return Ok(out);
    }
    let has = |i: InstrumentId, from: Date, to: Date| {
        taken.iter().any(|&(t, d)| t == i && from <= d && d <= to)
    };
    let mut push = |instrument, reason, due_on: Date| {
        let item = DueAssessment {
            instrument,
            reason,
            due_on,
            overdue: due_on < today,
        };
        if !out.contains(&item) {
            out.push(item);
        }
    };

    match first_dose {
        None => {
            let due_on = next_session.unwrap_or(today).max(today);
            let from = match p.baseline_window_days() {
                Some(days) => due_on
                    .checked_sub(i64::from(days).days())
                    .unwrap_or(Date::MIN),
                None => Date::MIN,
            };
            for i in p.collected(CollectWhen::Baseline) {
                if !has(i, from, due_on) {
                    push(i, DueReason::Baseline, due_on);
                }
            }
        }
        Some(first) => {
            // The latest point that has come, and the next one.
            let every = i64::from(p.reassessment.every_weeks) * 7;
            let until = today
                .checked_add((every + 1).days())
                .unwrap_or(Date::MAX)
                .max(today);
            let points = reassessment_points(p, calendar, first, until, None)?;
            let latest = points.iter().copied().filter(|d| *d <= today).max();
            let next = points.iter().copied().find(|d| *d > today);
            for point in latest.into_iter().chain(next) {
                for &i in &p.reassessment.instruments {
                    if !has(i, point, Date::MAX) {
                        push(i, DueReason::Reassessment, point);
                    }
                }
            }
        }
    }
    if let Some(day) = next_session.filter(|d| *d >= today) {
        for i in p.collected(CollectWhen::BeforeSession) {
            if !has(i, day, day) {
                push(i, DueReason::BeforeSession, day);
            }
        }
    }
    out.sort_by_key(|d| (d.due_on, d.reason, d.instrument));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::OpenDays;
    use crate::protocol::builtin;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn calendar() -> ClinicCalendar {
        ClinicCalendar::new("UTC", OpenDays::MONDAY_TO_FRIDAY, []).unwrap()
    }

    fn inputs<'a>(
        p: &'a Protocol,
        cal: &'a ClinicCalendar,
        taken: &'a [(InstrumentId, Date)],
    ) -> CollectionInputs<'a> {
        CollectionInputs {
            protocol: p,
            calendar: cal,
            first_dose: None,
            next_session: Some(d("2026-03-02")),
            stopped: false,
            taken,
            today: d("2026-02-27"),
        }
    }

    #[test]
    fn baseline_instruments_are_due_on_the_first_session_until_taken_within_the_window() {
        let p = builtin("iv-ketamine-6").unwrap();
        let cal = calendar();
        let all = inputs(&p, &cal, &[]);
        let due = due_assessments(&all).unwrap();
        let baseline: Vec<_> = due
            .iter()
            .filter(|x| x.reason == DueReason::Baseline)
            .map(|x| x.instrument)
            .collect();
        let mut expected = p.collected(CollectWhen::Baseline);
        expected.sort();
        let mut baseline = baseline;
        baseline.sort();
        assert_eq!(baseline, expected);
        assert!(
            due.iter()
                .all(|x| x.due_on == d("2026-03-02") && !x.overdue)
        );

        // A PHQ-9 inside the 30-day window counts; one outside it does not.
        let taken = [
            (InstrumentId::Phq9, d("2026-02-20")),
            (InstrumentId::Gad7, d("2026-01-01")),
        ];
        let due = due_assessments(&inputs(&p, &cal, &taken)).unwrap();
        assert!(
            !due.iter()
                .any(|x| x.reason == DueReason::Baseline && x.instrument == InstrumentId::Phq9)
        );
        assert!(
            due.iter()
                .any(|x| x.reason == DueReason::Baseline && x.instrument == InstrumentId::Gad7)
        );
    }

    #[test]
    fn the_suicide_screen_is_due_on_the_session_day_and_only_that_days_score_counts() {
        let p = builtin("iv-ketamine-6").unwrap();
        let cal = calendar();
        let taken = [(InstrumentId::Phq9, d("2026-03-01"))];
        let mut i = inputs(&p, &cal, &taken);
        i.first_dose = Some(d("2026-02-02"));
        i.today = d("2026-03-02");
        let due = due_assessments(&i).unwrap();
        let before: Vec<_> = due
            .iter()
            .filter(|x| x.reason == DueReason::BeforeSession)
            .map(|x| x.instrument)
            .collect();
        assert!(
            before.contains(&InstrumentId::Phq9),
            "yesterday's PHQ-9 is not today's"
        );
        assert!(before.contains(&InstrumentId::CssrsScreen));

        let taken = [(InstrumentId::Phq9, d("2026-03-02"))];
        i.taken = &taken;
        let due = due_assessments(&i).unwrap();
        assert!(!due.iter().any(|x| x.reason == DueReason::BeforeSession
            && x.instrument == InstrumentId::Phq9));
    }

    #[test]
    fn a_passed_reassessment_is_overdue_until_collected_and_the_next_is_coming() {
        let p = builtin("iv-ketamine-6").unwrap();
        let cal = calendar();
        // First dose Monday 2026-01-05; 12 weeks later is Monday 2026-03-30.
        let mut i = inputs(&p, &cal, &[]);
        i.first_dose = Some(d("2026-01-05"));
        i.next_session = None;
        i.today = d("2026-04-02");
        let due = due_assessments(&i).unwrap();
        let overdue: Vec<_> = due.iter().filter(|x| x.overdue).collect();
        assert_eq!(overdue.len(), p.reassessment.instruments.len());
        assert!(
            overdue
                .iter()
                .all(|x| x.due_on == d("2026-03-30") && x.reason == DueReason::Reassessment)
        );
        let coming: Vec<_> = due.iter().filter(|x| !x.overdue).collect();
        assert!(coming.iter().all(|x| x.due_on == d("2026-06-22")));

        // Collected on the day: nothing overdue; a score before the point does not count.
        let taken: Vec<_> = p
            .reassessment
            .instruments
            .iter()
            .map(|&x| (x, d("2026-03-30")))
            .chain([(InstrumentId::Phq9, d("2026-03-27"))])
            .collect();
        i.taken = &taken;
        assert!(due_assessments(&i).unwrap().iter().all(|x| !x.overdue));
    }

    #[test]
    fn a_reassessment_point_on_a_closed_day_moves_to_the_next_open_day_as_in_the_plan() {
        let p = builtin("iv-ketamine-6").unwrap();
        let cal = calendar();
        let mut i = inputs(&p, &cal, &[]);
        // Saturday first dose (an exceptional opening): 12 weeks on is a Saturday -> Monday.
        i.first_dose = Some(d("2026-01-03"));
        i.next_session = None;
        i.today = d("2026-03-31");
        let due = due_assessments(&i).unwrap();
        assert!(due.iter().any(|x| x.overdue && x.due_on == d("2026-03-30")));
    }

    #[test]
    fn a_stopped_course_owes_nothing() {
        let p = builtin("iv-ketamine-6").unwrap();
        let cal = calendar();
        let mut i = inputs(&p, &cal, &[]);
        i.stopped = true;
        assert!(due_assessments(&i).unwrap().is_empty());
    }
}
