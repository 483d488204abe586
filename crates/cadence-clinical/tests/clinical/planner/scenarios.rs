//! Scenario tests: exact dates for each rule and each decision.

use super::*;

#[test]
fn iv_from_a_monday_books_mondays_and_wednesdays() {
    let p = plan_h(
        &iv(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        START,
        26,
    )
    .unwrap();
    assert_eq!(dates(&p, SessionKind::Induction), IV_INDUCTION);
    assert_eq!(
        dates(&p, SessionKind::Maintenance),
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
    let p = plan_h(
        &iv(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        START,
        5,
    )
    .unwrap();
    let v = serde_json::to_value(&p).unwrap();
    // Issue 14: a session's `phase` is now its `kind` (SessionKind), and the plan carries the
    // course summary every reader carries.
    assert_eq!(
        v["sessions"][0],
        serde_json::json!({"number": 1, "kind": "induction", "date": "2026-12-07", "status": "planned"})
    );
    assert_eq!(
        v["sessions"][6],
        serde_json::json!({"number": 7, "kind": "maintenance", "date": "2027-01-06", "status": "planned", "interval_weeks": 2})
    );
    assert_eq!(
        v["course"],
        serde_json::json!({"phase": "induction", "induction_done": 0, "induction_target": 6, "interval_weeks": 2, "next_due": "2026-12-07", "next_booked": false})
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
    let p = plan_h(&iv(), &weekdays(), &CourseHistory::default(), sat, sat, 4).unwrap();
    assert_eq!(p.sessions[0].date, START);
}

#[test]
fn a_closed_date_is_skipped() {
    let cal = ClinicCalendar::new("UTC", OpenDays::MONDAY_TO_FRIDAY, [date(2026, 12, 9)]).unwrap();
    let p = plan_h(&iv(), &cal, &CourseHistory::default(), START, START, 4).unwrap();
    assert_eq!(
        dates(&p, SessionKind::Induction),
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
        booking_reason: None,
    });
    h.sessions.push(SessionRecord {
        date: date(2026, 12, 10),
        status: SessionStatus::NoShow,
        bp_pre: None,
        moaas_discharge: None,
        booking_reason: None,
    });
    let today = date(2026, 12, 11);
    let p = plan_h(&iv(), &weekdays(), &h, START, today, 4).unwrap();
    assert_eq!(p.sessions[0].status, SessionState::Completed);
    assert_eq!(
        dates(&p, SessionKind::Induction),
        [
            date(2026, 12, 7),
            date(2026, 12, 11),
            date(2026, 12, 14),
            date(2026, 12, 18),
            date(2026, 12, 21),
            date(2026, 12, 25),
        ]
    );
    assert_eq!(p.count(SessionKind::Induction), 6);
    // Rule 8 (issue 14, half-open horizons): the first maintenance session would fall on 8
    // January, the day the 4-week horizon ends, so it is no longer booked, and neither is the
    // "assumes a response" warning that came with it. Nothing warns about the rebooking.
    assert_eq!(p.sessions.last().unwrap().date, date(2026, 12, 25));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn an_extension_adds_two_sessions_once() {
    let end = date(2026, 12, 23);
    let h = history(&IV_INDUCTION, &[(end, Decision::ExtendInduction)]);
    let p = plan_h(&iv(), &weekdays(), &h, START, end, 8).unwrap();
    assert_eq!(
        planned_dates(&p)[..2],
        [
            (SessionKind::Induction, date(2026, 12, 28)),
            (SessionKind::Induction, date(2026, 12, 30))
        ]
    );
    assert_eq!(p.count(SessionKind::Induction), 8);
    assert_eq!(
        reviews(&p, ReviewKind::EndOfInductionReview),
        [date(2026, 12, 23), date(2026, 12, 30)]
    );
    assert_eq!(dates(&p, SessionKind::Maintenance)[0], date(2027, 1, 13));
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
    let p = plan_h(&iv(), &weekdays(), &h, START, later, 8).unwrap();
    assert_eq!(p.count(SessionKind::Induction), 8);
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
    let p = plan_h(&iv(), &weekdays(), &h, START, end, 8).unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(dates(&p, SessionKind::Maintenance)[0], date(2027, 1, 6));
    // Decided at the early check, after 4 sessions: no more induction is booked.
    let early = date(2026, 12, 16);
    let h = history(&IV_INDUCTION[..4], &[(early, Decision::StartMaintenance)]);
    let p = plan_h(&iv(), &weekdays(), &h, START, early, 8).unwrap();
    assert_eq!(p.count(SessionKind::Induction), 4);
    assert_eq!(dates(&p, SessionKind::Maintenance)[0], date(2026, 12, 30));
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
    let p = plan_h(
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
    let p = plan_h(
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
    let p = plan_h(
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
    let p = plan_h(&iv(), &weekdays(), &h, START, decided_on, 8).unwrap();
    let planned = planned_dates(&p);
    assert_eq!(planned[0], (SessionKind::Booster, decided_on));
    assert_eq!(planned[1], (SessionKind::Maintenance, date(2027, 1, 25)));
    assert_eq!(p.sessions[7].interval_weeks, None);
    // Once given, the booster is a completed booster session.
    let mut sessions = sessions.clone();
    sessions.push(decided_on);
    let h2 = CourseHistory {
        sessions: completed(&sessions),
        ..h
    };
    let today = date(2027, 1, 12);
    let p = plan_h(&iv(), &weekdays(), &h2, START, today, 8).unwrap();
    assert_eq!(p.sessions[7].kind, SessionKind::Booster);
    assert_eq!(p.sessions[7].status, SessionState::Completed);
    assert_eq!(p.next_session().unwrap().date, date(2027, 1, 25));
}

#[test]
fn a_booster_during_induction_is_ignored_with_a_warning() {
    let d = date(2026, 12, 9);
    let h = history(&IV_INDUCTION[..2], &[(d, Decision::Booster)]);
    let p = plan_h(&iv(), &weekdays(), &h, START, d, 4).unwrap();
    assert_eq!(p.count(SessionKind::Booster), 0);
    assert!(p.warnings[0].contains(
        "the booster decision on 2026-12-09 is ignored: the course is still in induction"
    ));
}

#[test]
fn pause_books_nothing_until_resume() {
    let paused = date(2026, 12, 15);
    let h = history(&IV_INDUCTION[..3], &[(paused, Decision::Pause)]);
    let today = date(2026, 12, 16);
    let p = plan_h(&iv(), &weekdays(), &h, START, today, 12).unwrap();
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
    let p = plan_h(&iv(), &weekdays(), &h, START, resumed, 12).unwrap();
    assert_eq!(
        planned_dates(&p)[..3],
        [
            (SessionKind::Induction, date(2027, 1, 4)),
            (SessionKind::Induction, date(2027, 1, 6)),
            (SessionKind::Induction, date(2027, 1, 11)),
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
    let p = plan_h(&iv(), &weekdays(), &h, START, end, 26).unwrap();
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
    let p = plan_h(&iv(), &weekdays(), &h, START, date(2026, 12, 28), 26).unwrap();
    assert!(planned_dates(&p).is_empty());
    assert!(p.warnings[0].contains(
        "the resume decision on 2026-12-28 is ignored: the course was discontinued on 2026-12-23"
    ));
}

#[test]
fn continue_changes_nothing() {
    let end = date(2026, 12, 23);
    let a = plan_h(
        &iv(),
        &weekdays(),
        &history(&IV_INDUCTION, &[]),
        START,
        end,
        8,
    )
    .unwrap();
    let b = plan_h(
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
    let p = plan_h(&iv(), &cal, &CourseHistory::default(), START, START, 12).unwrap();
    assert_eq!(
        dates(&p, SessionKind::Induction),
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
    let p = plan_h(
        &esk(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        START,
        16,
    )
    .unwrap();
    assert_eq!(
        dates(&p, SessionKind::Induction),
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
        .filter(|s| s.kind == SessionKind::Maintenance)
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
    let p = plan_h(&esk(), &weekdays(), &h, START, date(2027, 1, 6), 8).unwrap();
    let next = p.next_session().unwrap();
    assert_eq!(
        (next.date, next.interval_weeks),
        (date(2027, 1, 20), Some(2))
    );
}

#[test]
fn inputs_that_cannot_be_planned_are_errors() {
    // Rule 9 (issue 14): the snapshot refuses these, with the same error for plan, review and
    // forecast (the wording is the snapshot's).
    let h = history(&[date(2026, 12, 1)], &[]);
    let e = plan_h(&iv(), &weekdays(), &h, START, START, 4).unwrap_err();
    assert!(matches!(e, SnapshotError::BeforeStart { .. }));
    assert_eq!(
        e.to_string(),
        "the completed session on 2026-12-01 is before the course starts (2026-12-07): correct \
         its date or start the course earlier"
    );
    let h = history(&[date(2026, 12, 9)], &[]);
    let e = plan_h(&iv(), &weekdays(), &h, START, START, 4).unwrap_err();
    assert!(matches!(e, SnapshotError::AfterToday { .. }), "{e}");
    let h = history(&[], &[(date(2026, 12, 9), Decision::Pause)]);
    let e = plan_h(&iv(), &weekdays(), &h, START, START, 4).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("the pause decision on 2026-12-09 is after today"),
        "{e}"
    );
    let h = CourseHistory {
        start_date: Some(date(2026, 12, 8)),
        ..CourseHistory::default()
    };
    let e = plan_h(&iv(), &weekdays(), &h, START, START, 4).unwrap_err();
    assert!(matches!(e, SnapshotError::StartMismatch { .. }));
    // The horizon is the planner's own check.
    let e = plan_h(
        &iv(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        START,
        0,
    )
    .unwrap_err();
    assert_eq!(e, SnapshotError::Plan(PlanError::Horizon { weeks: 0 }));
}

#[test]
fn planning_is_deterministic_and_ahead_of_start() {
    // Planning a week before the course starts.
    let today = date(2026, 11, 30);
    let a = plan_h(
        &iv(),
        &weekdays(),
        &CourseHistory::default(),
        START,
        today,
        26,
    )
    .unwrap();
    let b = plan_h(
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
