//! Over generated histories (completed sessions on a Monday-Friday calendar, decisions among
//! start_maintenance / extend_induction / lengthen / shorten / booster / pause / resume,
//! PHQ-9 totals, sessions booked ahead), the plan, the review and the forecast carry the same
//! course summary, and the forecast's expected figure is what the plan books over the same
//! horizon whenever the patient's own symptom return does not shorten it (rule 8, issue 14).
//!
//! The runner is driven by hand so that, after all cases, it can check it was not vacuous:
//! enough cases reached maintenance, induction and a pause, and compared the counts.

use super::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::cell::RefCell;

const DECISIONS: [Decision; 7] = [
    Decision::StartMaintenance,
    Decision::ExtendInduction,
    Decision::LengthenInterval,
    Decision::ShortenInterval,
    Decision::Booster,
    Decision::Pause,
    Decision::Resume,
];

/// The next open day of the default calendar on or after `d`.
fn open_on_or_after(d: Date) -> Date {
    ClinicCalendar::default()
        .next_open_on_or_after(d, 7)
        .unwrap()
}

/// A generated course: protocol (`true` = esketamine), history, today and a horizon.
fn course() -> impl Strategy<Value = (bool, CourseHistory, Date, u16)> {
    (
        any::<bool>(),
        // The baseline PHQ-9: total, days before the start (some outside the 30-day window).
        proptest::option::weighted(0.9, (0u8..=24, 0i64..=40)),
        // Completed sessions: days after the previous one (moved to an open day).
        proptest::collection::vec(2i64..=16, 0..=22),
        // Decisions: after which session, how many days after it, which.
        proptest::collection::vec((0usize..22, 0i64..=3, 0usize..DECISIONS.len()), 0..=7),
        // PHQ-9s: after which session, how many days after it, the total.
        proptest::collection::vec((0usize..22, 0i64..=6, 0u8..=24), 0..=12),
        // Sessions booked ahead: days after today, scheduled or held.
        proptest::collection::vec((0i64..=30, any::<bool>()), 0..=2),
        0i64..=30,
        1u16..=52,
    )
        .prop_map(
            |(is_esk, baseline, gaps, decisions, scores, booked, today_after, weeks)| {
                let mut course = Course::starting(MONDAY);
                if let Some((total, before)) = baseline {
                    course = course.phq9(plus(MONDAY, -before), total);
                }
                let mut sessions = Vec::new();
                let mut day = MONDAY;
                for (i, gap) in gaps.into_iter().enumerate() {
                    if i > 0 {
                        day = open_on_or_after(plus(day, gap));
                    }
                    sessions.push(day);
                }
                course = course.sessions(&sessions);
                let after = |i: usize, days: i64| {
                    let base = sessions
                        .get(i)
                        .or(sessions.last())
                        .copied()
                        .unwrap_or(MONDAY);
                    plus(base, days)
                };
                let mut last = sessions.last().copied().unwrap_or(MONDAY);
                for (i, days, which) in decisions {
                    let d = after(i, days);
                    last = last.max(d);
                    course = course.decide(d, DECISIONS[which]);
                }
                for (i, days, total) in scores {
                    let d = after(i, days);
                    last = last.max(d);
                    course = course.phq9(d, total);
                }
                let today = plus(last, today_after);
                for (days, held) in booked {
                    let status = if held {
                        SessionStatus::Held
                    } else {
                        SessionStatus::Scheduled
                    };
                    course = course.booked(plus(today, days), status, None);
                }
                (is_esk, course.0, today, weeks)
            },
        )
}

/// What the generated cases covered.
#[derive(Debug, Default)]
struct Seen {
    cases: u32,
    maintenance: u32,
    induction: u32,
    paused: u32,
    compared: u32,
    compared_in_maintenance: u32,
    observed_return: u32,
    booked_ahead: u32,
}

#[test]
fn plan_review_and_forecast_agree_on_generated_histories() {
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    let seen = RefCell::new(Seen::default());
    let result = runner.run(&course(), |(is_esk, history, today, weeks)| {
        let p = if is_esk { esk() } else { iv() };
        let plan = plan_on(&p, &history, None, today, weeks)
            .map_err(|e| TestCaseError::fail(format!("plan: {e}")))?;
        let review = review_h(&p, &history, today)
            .map_err(|e| TestCaseError::fail(format!("review: {e}")))?;
        let forecast = forecast_h(&p, &history, today, weeks, None)
            .map_err(|e| TestCaseError::fail(format!("forecast: {e}")))?;
        let snap = snapshot_of(&p, &history, today)
            .map_err(|e| TestCaseError::fail(format!("snapshot: {e}")))?;

        // One course, one truth: the same summary in all three.
        prop_assert_eq!(plan.course, review.course);
        prop_assert_eq!(review.course, forecast.course);
        prop_assert_eq!(forecast.course, snap.summary());
        let course = snap.summary();
        // Never "7 of 6": what is given is counted against what is due.
        prop_assert!(
            course.induction_done <= course.induction_target,
            "{:?}",
            course
        );
        // Maintenance has its start date; induction has none.
        match course.phase {
            CoursePhase::Maintenance => prop_assert!(snap.maintenance.is_some()),
            CoursePhase::Induction => prop_assert!(snap.maintenance.is_none()),
            CoursePhase::Paused | CoursePhase::Discontinued => {}
        }

        // The next session the summary names is the plan's first one still to come, and the
        // plan holds it when it falls inside the horizon.
        let from = today.max(snap.start);
        let until = planner::horizon_end(&snap, weeks).unwrap();
        let next_in_plan = plan
            .sessions
            .iter()
            .find(|s| s.status != SessionState::Completed)
            .map(|s| s.date);
        if next_in_plan.is_some() {
            prop_assert_eq!(next_in_plan, course.next_due, "{:#?}", plan);
        }
        if let Some(d) = course.next_due.filter(|d| *d < until) {
            prop_assert_eq!(next_in_plan, Some(d), "{:#?}", plan);
        }
        prop_assert_eq!(
            course.next_booked,
            plan.next_session()
                .is_some_and(|s| s.status == SessionState::Booked)
        );

        // The expected figure is the plan's count, unless the patient's symptoms came back
        // sooner than the interval in force.
        let returned = forecast
            .assumptions
            .iter()
            .any(|a| a.contains("symptoms have come back"));
        let ahead = |k: SessionKind| plan.ahead(k, from, until);
        if !returned {
            prop_assert_eq!(
                forecast.remaining_induction.expected,
                ahead(SessionKind::Induction)
            );
            prop_assert_eq!(
                forecast.maintenance.expected,
                ahead(SessionKind::Maintenance) + ahead(SessionKind::Booster)
            );
            prop_assert_eq!(
                forecast.total.expected,
                SessionKind::ALL.iter().map(|k| ahead(*k)).sum::<u32>()
            );
        }
        // Paused or stopped: nothing booked, nothing counted.
        if matches!(
            course.phase,
            CoursePhase::Paused | CoursePhase::Discontinued
        ) {
            prop_assert_eq!(forecast.total.high, 0);
            prop_assert!(plan.next_session().is_none());
        }

        let mut s = seen.borrow_mut();
        s.cases += 1;
        match course.phase {
            CoursePhase::Maintenance => s.maintenance += 1,
            CoursePhase::Induction => s.induction += 1,
            CoursePhase::Paused => s.paused += 1,
            CoursePhase::Discontinued => {}
        }
        if returned {
            s.observed_return += 1;
        } else {
            s.compared += 1;
            if course.phase == CoursePhase::Maintenance && forecast.total.expected > 0 {
                s.compared_in_maintenance += 1;
            }
        }
        if !snap.booked.is_empty() {
            s.booked_ahead += 1;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Not vacuous: each kind of course was generated, and the counts were compared.
    let s = seen.into_inner();
    assert_eq!(s.cases, 256, "{s:?}");
    assert!(s.maintenance >= 25, "too few cases in maintenance: {s:?}");
    assert!(s.induction >= 25, "too few cases in induction: {s:?}");
    assert!(s.paused >= 5, "too few paused cases: {s:?}");
    assert!(
        s.compared >= 128,
        "too few forecasts compared with the plan: {s:?}"
    );
    assert!(
        s.compared_in_maintenance >= 20,
        "too few maintenance forecasts compared with the plan: {s:?}"
    );
    assert!(
        s.booked_ahead >= 25,
        "too few cases with booked sessions: {s:?}"
    );
}
