//! The planner: exact dates for the built-in protocols, every decision, and properties over
//! random calendars and histories.

use cadence_clinical::calendar::{ClinicCalendar, OpenDays};
use cadence_clinical::decision::Decision;
use cadence_clinical::history::{CourseHistory, DecisionRecord, SessionRecord, SessionStatus};
use cadence_clinical::planner::{
    Phase, Plan, PlanError, PlannedSession, ReviewKind, SessionState, plan,
};
use cadence_clinical::protocol::{Protocol, builtin};
use jiff::civil::{Date, date};
use proptest::prelude::*;

/// Monday 7 December 2026.
const START: Date = date(2026, 12, 7);

fn iv() -> Protocol {
    builtin("iv-ketamine-6").unwrap()
}

fn esk() -> Protocol {
    builtin("esketamine-label").unwrap()
}

fn weekdays() -> ClinicCalendar {
    ClinicCalendar::default()
}

fn completed(dates: &[Date]) -> Vec<SessionRecord> {
    dates
        .iter()
        .map(|d| SessionRecord {
            date: *d,
            status: SessionStatus::Completed,
            bp_pre: None,
            moaas_discharge: None,
        })
        .collect()
}

fn decided(list: &[(Date, Decision)]) -> Vec<DecisionRecord> {
    list.iter()
        .map(|(date, decision)| DecisionRecord {
            date: *date,
            decision: *decision,
        })
        .collect()
}

fn history(sessions: &[Date], decisions: &[(Date, Decision)]) -> CourseHistory {
    CourseHistory {
        start_date: Some(START),
        sessions: completed(sessions),
        assessments: Vec::new(),
        decisions: decided(decisions),
    }
}

fn dates(plan: &Plan, phase: Phase) -> Vec<Date> {
    plan.sessions
        .iter()
        .filter(|s| s.phase == phase)
        .map(|s| s.date)
        .collect()
}

fn planned_dates(plan: &Plan) -> Vec<(Phase, Date)> {
    plan.sessions
        .iter()
        .filter(|s| s.status == SessionState::Planned)
        .map(|s| (s.phase, s.date))
        .collect()
}

fn reviews(plan: &Plan, kind: ReviewKind) -> Vec<Date> {
    plan.reviews
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.date)
        .collect()
}

/// The six IV induction sessions on a Monday-Friday calendar from START.
const IV_INDUCTION: [Date; 6] = [
    date(2026, 12, 7),
    date(2026, 12, 9),
    date(2026, 12, 14),
    date(2026, 12, 16),
    date(2026, 12, 21),
    date(2026, 12, 23),
];

#[test]
fn iv_from_a_monday_books_mondays_and_wednesdays() {
    let p = plan(
        &iv(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        START,
        26,
    )
    .unwrap();
    assert_eq!(dates(&p, Phase::Induction), IV_INDUCTION);
    assert_eq!(
        dates(&p, Phase::Maintenance),
        [
            date(2027, 1, 6),
            date(2027, 1, 20),
            date(2027, 2, 3),
            date(2027, 2, 17),
            date(2027, 3, 3),
            date(2027, 3, 17),
            date(2027, 3, 31),
            date(2027, 4, 14),
            date(2027, 4, 28),
            date(2027, 5, 12),
            date(2027, 5, 26),
        ]
    );
    assert!(p.sessions.iter().all(|s| s.status == SessionState::Planned));
    let numbers: Vec<u32> = p.sessions.iter().map(|s| s.number).collect();
    assert_eq!(numbers, (1..=17).collect::<Vec<_>>());
    assert_eq!(reviews(&p, ReviewKind::EarlyCheck), [date(2026, 12, 16)]);
    assert_eq!(
        reviews(&p, ReviewKind::EndOfInductionReview),
        [date(2026, 12, 23)]
    );
    assert_eq!(
        reviews(&p, ReviewKind::Reassessment),
        [date(2027, 3, 1), date(2027, 5, 24)]
    );
    assert_eq!(
        p.warnings,
        [
            "maintenance after 2026-12-23 assumes a response at the end-of-induction review; record \
          the clinician's decision to confirm it"
        ]
    );
}

#[test]
fn plan_json_has_the_contract_shape() {
    let p = plan(
        &iv(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        START,
        5,
    )
    .unwrap();
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(
        v["sessions"][0],
        serde_json::json!({"number": 1, "phase": "induction", "date": "2026-12-07", "status": "planned"})
    );
    assert_eq!(
        v["sessions"][6],
        serde_json::json!({"number": 7, "phase": "maintenance", "date": "2027-01-06", "status": "planned", "interval_weeks": 2})
    );
    assert_eq!(
        v["reviews"][0],
        serde_json::json!({"kind": "early_check", "date": "2026-12-16"})
    );
    assert_eq!(v["reviews"][1]["kind"], "end_of_induction_review");
    assert!(v["warnings"].is_array());
}

#[test]
fn a_start_on_a_closed_day_moves_to_the_next_open_day() {
    // Saturday 5 December: first session on Monday 7.
    let sat = date(2026, 12, 5);
    let p = plan(&iv(), &weekdays(), &CourseHistory::default(), sat, sat, 4).unwrap();
    assert_eq!(p.sessions[0].date, START);
}

#[test]
fn a_closed_date_is_skipped() {
    let cal = ClinicCalendar::new("UTC", OpenDays::MONDAY_TO_FRIDAY, [date(2026, 12, 9)]).unwrap();
    let p = plan(&iv(), &cal, &CourseHistory::default(), START, START, 4).unwrap();
    assert_eq!(
        dates(&p, Phase::Induction),
        [
            date(2026, 12, 7),
            date(2026, 12, 10),
            date(2026, 12, 14),
            date(2026, 12, 17),
            date(2026, 12, 21),
            date(2026, 12, 24),
        ]
    );
}

#[test]
fn a_cancelled_session_is_rebooked_not_dropped() {
    let mut h = history(&[START], &[]);
    h.sessions.push(SessionRecord {
        date: date(2026, 12, 9),
        status: SessionStatus::Cancelled,
        bp_pre: None,
        moaas_discharge: None,
    });
    h.sessions.push(SessionRecord {
        date: date(2026, 12, 10),
        status: SessionStatus::NoShow,
        bp_pre: None,
        moaas_discharge: None,
    });
    let today = date(2026, 12, 11);
    let p = plan(&iv(), &weekdays(), &h, START, today, 4).unwrap();
    assert_eq!(p.sessions[0].status, SessionState::Completed);
    assert_eq!(
        dates(&p, Phase::Induction),
        [
            date(2026, 12, 7),
            date(2026, 12, 11),
            date(2026, 12, 14),
            date(2026, 12, 18),
            date(2026, 12, 21),
            date(2026, 12, 25),
        ]
    );
    assert_eq!(p.count(Phase::Induction), 6);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
}

#[test]
fn an_extension_adds_two_sessions_once() {
    let end = date(2026, 12, 23);
    let h = history(&IV_INDUCTION, &[(end, Decision::ExtendInduction)]);
    let p = plan(&iv(), &weekdays(), &h, START, end, 8).unwrap();
    assert_eq!(
        planned_dates(&p)[..2],
        [
            (Phase::Induction, date(2026, 12, 28)),
            (Phase::Induction, date(2026, 12, 30))
        ]
    );
    assert_eq!(p.count(Phase::Induction), 8);
    assert_eq!(
        reviews(&p, ReviewKind::EndOfInductionReview),
        [date(2026, 12, 23), date(2026, 12, 30)]
    );
    assert_eq!(dates(&p, Phase::Maintenance)[0], date(2027, 1, 13));
    // A second extension is beyond the protocol's one and is ignored with a warning.
    let later = date(2026, 12, 30);
    let mut sessions = IV_INDUCTION.to_vec();
    sessions.extend([date(2026, 12, 28), later]);
    let h = history(
        &sessions,
        &[
            (end, Decision::ExtendInduction),
            (later, Decision::ExtendInduction),
        ],
    );
    let p = plan(&iv(), &weekdays(), &h, START, later, 8).unwrap();
    assert_eq!(p.count(Phase::Induction), 8);
    assert!(
        p.warnings.iter().any(|w| w
            == "the extend_induction decision on 2026-12-30 is ignored: the protocol allows 1 \
                extension(s) and 1 already applied"),
        "{:?}",
        p.warnings
    );
}

#[test]
fn start_maintenance_confirms_and_can_end_induction_early() {
    let end = date(2026, 12, 23);
    let h = history(&IV_INDUCTION, &[(end, Decision::StartMaintenance)]);
    let p = plan(&iv(), &weekdays(), &h, START, end, 8).unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(dates(&p, Phase::Maintenance)[0], date(2027, 1, 6));
    // Decided at the early check, after 4 sessions: no more induction is booked.
    let early = date(2026, 12, 16);
    let h = history(&IV_INDUCTION[..4], &[(early, Decision::StartMaintenance)]);
    let p = plan(&iv(), &weekdays(), &h, START, early, 8).unwrap();
    assert_eq!(p.count(Phase::Induction), 4);
    assert_eq!(dates(&p, Phase::Maintenance)[0], date(2026, 12, 30));
    assert!(reviews(&p, ReviewKind::EndOfInductionReview).is_empty());
}

#[test]
fn lengthen_and_shorten_move_the_interval_within_bounds() {
    let m1 = date(2027, 1, 6);
    let base = [(date(2026, 12, 23), Decision::StartMaintenance)];
    let mut sessions = IV_INDUCTION.to_vec();
    sessions.push(m1);
    let with = |d: Decision| {
        let mut list = base.to_vec();
        list.push((m1, d));
        history(&sessions, &list)
    };
    let p = plan(
        &iv(),
        &weekdays(),
        &with(Decision::LengthenInterval),
        START,
        m1,
        12,
    )
    .unwrap();
    let next = p.next_session().unwrap();
    assert_eq!(
        (next.date, next.interval_weeks),
        (date(2027, 1, 27), Some(3))
    );
    let p = plan(
        &iv(),
        &weekdays(),
        &with(Decision::ShortenInterval),
        START,
        m1,
        12,
    )
    .unwrap();
    let next = p.next_session().unwrap();
    assert_eq!(
        (next.date, next.interval_weeks),
        (date(2027, 1, 13), Some(1))
    );
    // The completed maintenance session keeps the interval in force when it happened.
    assert_eq!(p.sessions[6].interval_weeks, Some(2));

    // Three lengthenings from 2 weeks: 3, 4, then clamped at the maximum of 4.
    let mut list = base.to_vec();
    list.extend([(m1, Decision::LengthenInterval); 3]);
    let p = plan(
        &iv(),
        &weekdays(),
        &history(&sessions, &list),
        START,
        m1,
        12,
    )
    .unwrap();
    assert_eq!(p.next_session().unwrap().interval_weeks, Some(4));
    assert_eq!(p.next_session().unwrap().date, date(2027, 2, 3));
    assert_eq!(
        p.warnings,
        [
            "the lengthen_interval decision on 2027-01-06 would make the interval 5 week(s); it \
          stays at the protocol's maximum of 4 week(s)"
        ]
    );
}

#[test]
fn a_booster_is_booked_then_maintenance_resumes_from_it() {
    let m1 = date(2027, 1, 6);
    let decided_on = date(2027, 1, 11);
    let mut sessions = IV_INDUCTION.to_vec();
    sessions.push(m1);
    let h = history(
        &sessions,
        &[
            (date(2026, 12, 23), Decision::StartMaintenance),
            (decided_on, Decision::Booster),
        ],
    );
    let p = plan(&iv(), &weekdays(), &h, START, decided_on, 8).unwrap();
    let planned = planned_dates(&p);
    assert_eq!(planned[0], (Phase::Booster, decided_on));
    assert_eq!(planned[1], (Phase::Maintenance, date(2027, 1, 25)));
    assert_eq!(p.sessions[7].interval_weeks, None);
    // Once given, the booster is a completed booster session.
    let mut sessions = sessions.clone();
    sessions.push(decided_on);
    let h2 = CourseHistory {
        sessions: completed(&sessions),
        ..h
    };
    let today = date(2027, 1, 12);
    let p = plan(&iv(), &weekdays(), &h2, START, today, 8).unwrap();
    assert_eq!(p.sessions[7].phase, Phase::Booster);
    assert_eq!(p.sessions[7].status, SessionState::Completed);
    assert_eq!(p.next_session().unwrap().date, date(2027, 1, 25));
}

#[test]
fn a_booster_during_induction_is_ignored_with_a_warning() {
    let d = date(2026, 12, 9);
    let h = history(&IV_INDUCTION[..2], &[(d, Decision::Booster)]);
    let p = plan(&iv(), &weekdays(), &h, START, d, 4).unwrap();
    assert_eq!(p.count(Phase::Booster), 0);
    assert!(p.warnings[0].contains(
        "the booster decision on 2026-12-09 is ignored: the course is still in induction"
    ));
}

#[test]
fn pause_books_nothing_until_resume() {
    let paused = date(2026, 12, 15);
    let h = history(&IV_INDUCTION[..3], &[(paused, Decision::Pause)]);
    let today = date(2026, 12, 16);
    let p = plan(&iv(), &weekdays(), &h, START, today, 12).unwrap();
    assert!(planned_dates(&p).is_empty());
    assert_eq!(
        p.warnings,
        [
            "the course is paused since 2026-12-15: no session is booked until a resume decision is \
          recorded"
        ]
    );
    // Resumed on Monday 4 January: induction continues from then, past its 3 weeks.
    let resumed = date(2027, 1, 4);
    let h = history(
        &IV_INDUCTION[..3],
        &[(paused, Decision::Pause), (resumed, Decision::Resume)],
    );
    let p = plan(&iv(), &weekdays(), &h, START, resumed, 12).unwrap();
    assert_eq!(
        planned_dates(&p)[..3],
        [
            (Phase::Induction, date(2027, 1, 4)),
            (Phase::Induction, date(2027, 1, 6)),
            (Phase::Induction, date(2027, 1, 11)),
        ]
    );
    assert!(p.warnings.iter().any(|w| w.starts_with(
        "induction runs past its 3 weeks: induction session 6 falls on 2027-01-11, after 2026-12-27"
    )));
}

#[test]
fn discontinue_ends_the_course() {
    let end = date(2026, 12, 23);
    let h = history(&IV_INDUCTION, &[(end, Decision::Discontinue)]);
    let p = plan(&iv(), &weekdays(), &h, START, end, 26).unwrap();
    assert_eq!(p.sessions.len(), 6);
    assert!(planned_dates(&p).is_empty());
    assert!(reviews(&p, ReviewKind::Reassessment).is_empty());
    assert_eq!(reviews(&p, ReviewKind::EndOfInductionReview), [end]);
    // A later decision is ignored with a warning.
    let h = history(
        &IV_INDUCTION,
        &[
            (end, Decision::Discontinue),
            (date(2026, 12, 28), Decision::Resume),
        ],
    );
    let p = plan(&iv(), &weekdays(), &h, START, date(2026, 12, 28), 26).unwrap();
    assert!(planned_dates(&p).is_empty());
    assert!(p.warnings[0].contains(
        "the resume decision on 2026-12-28 is ignored: the course was discontinued on 2026-12-23"
    ));
}

#[test]
fn continue_changes_nothing() {
    let end = date(2026, 12, 23);
    let a = plan(
        &iv(),
        &weekdays(),
        &history(&IV_INDUCTION, &[]),
        START,
        end,
        8,
    )
    .unwrap();
    let b = plan(
        &iv(),
        &weekdays(),
        &history(&IV_INDUCTION, &[(end, Decision::Continue)]),
        START,
        end,
        8,
    )
    .unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_monday_only_calendar_warns_that_induction_overruns() {
    let cal = ClinicCalendar::new("UTC", "mon".parse().unwrap(), []).unwrap();
    let p = plan(&iv(), &cal, &CourseHistory::default(), START, START, 12).unwrap();
    assert_eq!(
        dates(&p, Phase::Induction),
        [
            date(2026, 12, 7),
            date(2026, 12, 14),
            date(2026, 12, 21),
            date(2026, 12, 28),
            date(2027, 1, 4),
            date(2027, 1, 11),
        ]
    );
    let expected = "induction runs past its 3 weeks: induction session 6 falls on 2027-01-11, \
                    after 2026-12-27 (3 weeks from the first session on 2026-12-07); the clinic \
                    calendar and the sessions so far allow no earlier date";
    assert!(p.warnings.iter().any(|w| w == expected), "{:?}", p.warnings);
}

#[test]
fn the_esketamine_label_plan() {
    let p = plan(
        &esk(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        START,
        16,
    )
    .unwrap();
    assert_eq!(
        dates(&p, Phase::Induction),
        [
            date(2026, 12, 7),
            date(2026, 12, 9),
            date(2026, 12, 14),
            date(2026, 12, 16),
            date(2026, 12, 21),
            date(2026, 12, 23),
            date(2026, 12, 28),
            date(2026, 12, 30),
        ]
    );
    let maintenance: Vec<(Date, Option<u16>)> = p
        .sessions
        .iter()
        .filter(|s| s.phase == Phase::Maintenance)
        .map(|s| (s.date, s.interval_weeks))
        .collect();
    assert_eq!(
        maintenance,
        [
            (date(2027, 1, 6), Some(1)),
            (date(2027, 1, 13), Some(1)),
            (date(2027, 1, 20), Some(1)),
            (date(2027, 1, 27), Some(1)),
            (date(2027, 2, 10), Some(2)),
            (date(2027, 2, 24), Some(2)),
            (date(2027, 3, 10), Some(2)),
            (date(2027, 3, 24), Some(2)),
        ]
    );
    assert!(reviews(&p, ReviewKind::EarlyCheck).is_empty());
    assert_eq!(
        reviews(&p, ReviewKind::EndOfInductionReview),
        [date(2026, 12, 30)]
    );
}

#[test]
fn a_lengthen_during_the_weekly_block_ends_it() {
    let ind = [
        date(2026, 12, 7),
        date(2026, 12, 9),
        date(2026, 12, 14),
        date(2026, 12, 16),
        date(2026, 12, 21),
        date(2026, 12, 23),
        date(2026, 12, 28),
        date(2026, 12, 30),
        date(2027, 1, 6),
    ];
    let h = history(
        &ind,
        &[
            (date(2026, 12, 30), Decision::StartMaintenance),
            (date(2027, 1, 6), Decision::LengthenInterval),
        ],
    );
    let p = plan(&esk(), &weekdays(), &h, START, date(2027, 1, 6), 8).unwrap();
    let next = p.next_session().unwrap();
    assert_eq!(
        (next.date, next.interval_weeks),
        (date(2027, 1, 20), Some(2))
    );
}

#[test]
fn inputs_that_cannot_be_planned_are_errors() {
    let h = history(&[date(2026, 12, 1)], &[]);
    let e = plan(&iv(), &weekdays(), &h, START, START, 4).unwrap_err();
    assert!(matches!(e, PlanError::BeforeStart { .. }));
    assert_eq!(
        e.to_string(),
        "the completed session on 2026-12-01 is before the course start 2026-12-07: check its \
         date, or start the course earlier"
    );
    let h = history(&[date(2026, 12, 9)], &[]);
    let e = plan(&iv(), &weekdays(), &h, START, START, 4).unwrap_err();
    assert!(matches!(e, PlanError::AfterToday { .. }), "{e}");
    let h = history(&[], &[(date(2026, 12, 9), Decision::Pause)]);
    let e = plan(&iv(), &weekdays(), &h, START, START, 4).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("the pause decision on 2026-12-09 is after today"),
        "{e}"
    );
    let h = CourseHistory {
        start_date: Some(date(2026, 12, 8)),
        ..CourseHistory::default()
    };
    let e = plan(&iv(), &weekdays(), &h, START, START, 4).unwrap_err();
    assert!(matches!(e, PlanError::StartMismatch { .. }));
}

#[test]
fn planning_is_deterministic_and_ahead_of_start() {
    // Planning a week before the course starts.
    let today = date(2026, 11, 30);
    let a = plan(
        &iv(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        today,
        26,
    )
    .unwrap();
    let b = plan(
        &iv(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        today,
        26,
    )
    .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.sessions[0].date, START);
    // The horizon counts from the start when today is earlier.
    assert_eq!(a.sessions.last().unwrap().date, date(2027, 5, 26));
}

// ---- properties ------------------------------------------------------------------------------

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
        .filter(|s| s.phase == Phase::Induction && s.status == SessionState::Completed)
        .count() as u32;
    let planned_induction = sessions
        .iter()
        .filter(|s| s.phase == Phase::Induction && s.status == SessionState::Planned)
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
            if s.phase == Phase::Maintenance {
                let weeks = s.interval_weeks.unwrap();
                assert!(days(prev.date, s.date) >= 7 * i64::from(weeks));
            }
        }
        if s.phase == Phase::Induction {
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
        if s.phase == Phase::Maintenance {
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
        let plan = plan(&p, &cal, &history, start, today, horizon).unwrap();
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
        let plan = plan(&p, &cal, &history, start, today, 26).unwrap();
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
        let plan = plan(&p, &cal, &history, start, today, 26).unwrap();
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
