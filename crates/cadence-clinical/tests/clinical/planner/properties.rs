//! Property tests over random calendars, histories and decisions.

use super::*;
use proptest::prelude::*;

/// A random calendar: a non-empty set of open weekdays and up to 40 closed dates near START.
fn calendar() -> impl Strategy<Value = ClinicCalendar> {
    (
        proptest::collection::vec(any::<bool>(), 7)
            .prop_filter("an open day", |v| v.iter().any(|b| *b)),
        proptest::collection::btree_set(0i64..200, 0..40),
    )
        .prop_map(|(open, closed)| {
            let days = open
                .iter()
                .enumerate()
                .filter(|(_, o)| **o)
                .map(|(i, _)| jiff::civil::Weekday::from_monday_zero_offset(i as i8).unwrap());
            ClinicCalendar::new(
                "UTC",
                OpenDays::from_weekdays(days).unwrap(),
                closed
                    .into_iter()
                    .map(|d| START.checked_add(jiff::Span::new().days(d)).unwrap()),
            )
            .unwrap()
        })
}

/// A random history from `start`: sessions with random gaps and statuses, and `today` after them.
fn course() -> impl Strategy<Value = (Date, CourseHistory, Date)> {
    (
        0i64..30,
        proptest::collection::vec((1i64..10, 0u8..4), 0..14),
        0i64..10,
    )
        .prop_map(|(start_offset, gaps, today_offset)| {
            let start = START
                .checked_add(jiff::Span::new().days(start_offset))
                .unwrap();
            let mut d = start;
            let mut sessions = Vec::new();
            for (i, (gap, status)) in gaps.into_iter().enumerate() {
                if i > 0 {
                    d = d.checked_add(jiff::Span::new().days(gap)).unwrap();
                }
                sessions.push(SessionRecord {
                    date: d,
                    status: match status {
                        0 => SessionStatus::Cancelled,
                        1 => SessionStatus::NoShow,
                        _ => SessionStatus::Completed,
                    },
                    bp_pre: None,
                    moaas_discharge: None,
                    booking_reason: None,
                });
            }
            let today = d.checked_add(jiff::Span::new().days(today_offset)).unwrap();
            let history = CourseHistory {
                start_date: Some(start),
                sessions,
                ..CourseHistory::default()
            };
            (start, history, today)
        })
}

/// Random maintenance-time decisions after the history's last date.
fn decisions() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(0u8..4, 0..6)
}

/// The planner's guarantees for planned sessions; `extensions` (when known) checks the exact
/// induction count.
fn check_invariants(
    p: &Protocol,
    cal: &ClinicCalendar,
    plan: &Plan,
    today: Date,
    extensions: Option<u32>,
) {
    let gap = i64::from(p.induction.min_days_between);
    let days = |a: Date, b: Date| a.duration_until(b).as_hours() / 24;
    let sessions: &[PlannedSession] = &plan.sessions;
    for w in sessions.windows(2) {
        assert!(w[0].date <= w[1].date, "sessions out of order");
        assert_eq!(w[1].number, w[0].number + 1);
    }
    let completed_induction = sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Induction && s.status == SessionState::Completed)
        .count() as u32;
    let planned_induction = sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Induction && s.status == SessionState::Planned)
        .count() as u32;
    if let Some(extensions) = extensions {
        let expected = p.induction.sessions + extensions * p.induction.extension_sessions;
        assert_eq!(completed_induction + planned_induction, expected);
    }
    for (i, s) in sessions.iter().enumerate() {
        if s.status != SessionState::Planned {
            continue;
        }
        assert!(s.date >= today, "planned in the past: {s:?}");
        assert!(cal.is_open(s.date), "planned on a closed day: {s:?}");
        if i > 0 {
            let prev = &sessions[i - 1];
            assert!(
                days(prev.date, s.date) >= gap,
                "{prev:?} -> {s:?} closer than {gap} days"
            );
            if s.kind == SessionKind::Maintenance {
                let weeks = s.interval_weeks.unwrap();
                assert!(days(prev.date, s.date) >= 7 * i64::from(weeks));
            }
        }
        if s.kind == SessionKind::Induction {
            let in_window = sessions
                .iter()
                .filter(|o| days(o.date, s.date) >= 0 && days(o.date, s.date) <= 6)
                .count();
            assert!(
                in_window as u32 <= p.induction.per_week,
                "{in_window} sessions in 7 days ending {}",
                s.date
            );
        }
        if s.kind == SessionKind::Maintenance {
            let weeks = s.interval_weeks.unwrap();
            let m = &p.maintenance;
            assert!((m.min_interval_weeks..=m.max_interval_weeks).contains(&weeks));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn plans_respect_the_calendar_and_the_rhythm(
        cal in calendar(),
        (start, history, today) in course(),
        esketamine in any::<bool>(),
        horizon in 1u16..40,
    ) {
        let p = if esketamine { esk() } else { iv() };
        let plan = plan_h(&p, &cal, &history, start, today, horizon).unwrap();
        check_invariants(&p, &cal, &plan, today.max(start), Some(0));
    }

    #[test]
    fn decisions_keep_intervals_within_bounds(
        cal in calendar(),
        (start, history, today) in course(),
        choices in decisions(),
        extend in any::<bool>(),
        esketamine in any::<bool>(),
    ) {
        let p = if esketamine { esk() } else { iv() };
        let mut history = history;
        if extend {
            history.decisions.push(DecisionRecord { date: today, decision: Decision::ExtendInduction });
        }
        for c in choices {
            let decision = match c {
                0 => Decision::LengthenInterval,
                1 => Decision::ShortenInterval,
                2 => Decision::Booster,
                _ => Decision::Continue,
            };
            history.decisions.push(DecisionRecord { date: today, decision });
        }
        let plan = plan_h(&p, &cal, &history, start, today, 26).unwrap();
        // An extension applies only while maintenance is unconfirmed and the protocol allows it;
        // it is recorded first on `today`, so only a protocol without extensions ignores it.
        let applied = u32::from(extend && p.induction.max_extensions > 0);
        check_invariants(&p, &cal, &plan, today.max(start), Some(applied));
    }

    #[test]
    fn any_decisions_on_any_dates_keep_the_guarantees(
        cal in calendar(),
        (start, history, today) in course(),
        choices in proptest::collection::vec((0u16..120, 0usize..9), 0..8),
        esketamine in any::<bool>(),
    ) {
        let p = if esketamine { esk() } else { iv() };
        let span = start.duration_until(today).as_hours() / 24;
        let mut history = history;
        for (offset, which) in choices {
            let date = start.checked_add(jiff::Span::new().days(i64::from(offset) % (span + 1))).unwrap();
            history.decisions.push(DecisionRecord { date, decision: Decision::ALL[which] });
        }
        let plan = plan_h(&p, &cal, &history, start, today, 26).unwrap();
        check_invariants(&p, &cal, &plan, today.max(start), None);
        // Nothing is booked after a discontinuation, and nothing while paused.
        let stopped = history.decisions_by_date().iter().rev().find(|d| {
            matches!(d.decision, Decision::Discontinue | Decision::Pause | Decision::Resume)
        }).map(|d| d.decision);
        if history.decisions.iter().any(|d| d.decision == Decision::Discontinue)
            || stopped == Some(Decision::Pause)
        {
            prop_assert!(plan.next_session().is_none());
        }
    }
}
