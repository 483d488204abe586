//! The expected figure follows this patient's own observed time to symptom return (issue 3 §4):
//! the days from the session before a check-in that showed a reliable rise or response lost.
//! Since issue 14 (rule 8) consecutive such check-ins are one episode, counted once, and the
//! observed interval is used only when it is shorter than the interval in force. A pre-dose
//! check-in is measured from the session before that day; a check-in after today is refused.

use super::*;

#[test]
fn symptoms_returning_after_about_10_days_expect_weekly_sessions() {
    // Post-induction 4; sessions on 1 and 15 January; at home on the 11th and the 25th, 10
    // days after each, PHQ-9 10: 6 points up, a reliable deterioration. No check-in in
    // between showed recovery, so both are one episode, counted once (rule 8, issue 14: it
    // used to count 2 times): a return 10 days after the session before it, so the expected
    // interval is 10 / 7 = 1 week (within 1 and shorter than the current 2).
    // On Monday 25 January, 10 days after the last session, over [25 January, 26 July):
    // low every 4 weeks from 12 February: 6; expected and high weekly, one due today: 26
    // (rule 8, half-open horizon: 26 July is not counted; it used to be, 27).
    let course = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(plus(MAINTENANCE[0], 10), 10)
        .session(MAINTENANCE[1])
        .phq9(plus(MAINTENANCE[1], 10), 10);
    let today = plus(MAINTENANCE[1], 10);
    let f = run(&iv(), &course, today, 26, None);
    assert_eq!(f.maintenance, r(6, 26, 26));
    assert!(
        f.assumptions.contains(
            &"Since 2026-12-19, symptoms have come back about 10 days after a session (1 \
              time(s)), so the expected figure uses sessions every 1 week(s)."
                .to_owned()
        ),
        "{f:#?}"
    );
    // A stable check-in between the two returns makes them two episodes.
    let two = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(plus(MAINTENANCE[0], 10), 10)
        .session(MAINTENANCE[1])
        .phq9(MAINTENANCE[1], 5)
        .phq9(plus(MAINTENANCE[1], 10), 10);
    let f = run(&iv(), &two, today, 26, None);
    assert!(
        f.assumptions
            .iter()
            .any(|a| a.contains("about 10 days after a session (2 time(s))")),
        "{f:#?}"
    );
    // Stable scores instead: the expected interval stays at 2 weeks: every 2 weeks from 29
    // January before 26 July: 13.
    let stable = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(plus(MAINTENANCE[0], 10), 6)
        .session(MAINTENANCE[1])
        .phq9(plus(MAINTENANCE[1], 10), 6);
    let f = run(&iv(), &stable, today, 26, None);
    assert_eq!(f.maintenance, r(6, 13, 26));
    assert!(!f.assumptions.iter().any(|a| a.contains("come back")));
}

#[test]
fn a_pre_dose_score_measures_return_from_the_previous_session() {
    // PHQ-9 10 taken before dosing on 1 and 15 January: symptoms returned 14 days after the
    // previous session (18 December), not 0 days after that day's session; the two
    // check-ins are one episode (rule 8). 14 days is 2 weeks, not shorter than the interval in
    // force, so the expected figure is the plan's (rule 8: the observed return is named only
    // when it shortens the interval; it used to be named anyway). On the 15th, over
    // [15 January, 16 July): every 2 weeks from 29 January: 12; weekly from 22 January: 25;
    // every 4 weeks from 12 February: 6 (half-open: 16 July is not counted; it was 13 and 26).
    let course = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(MAINTENANCE[0], 10)
        .session(MAINTENANCE[1])
        .phq9(MAINTENANCE[1], 10);
    let f = run(&iv(), &course, MAINTENANCE[1], 26, None);
    assert_eq!(f.maintenance, r(6, 12, 25));
    assert!(
        !f.assumptions.iter().any(|a| a.contains("come back")),
        "{f:#?}"
    );
    // A home score 6 days after a session is a return 6 days after it: weekly.
    let home = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(plus(MAINTENANCE[0], 6), 10);
    let f = run(&iv(), &home, plus(MAINTENANCE[0], 6), 26, None);
    assert!(
        f.assumptions
            .iter()
            .any(|a| a.contains("about 6 days after a session")),
        "{f:#?}"
    );
}

#[test]
fn scores_after_today_are_refused_and_do_not_shape_the_expected_interval() {
    // Forecast on 2 January: the deterioration on the 11th has not happened yet. A history
    // that holds it is refused (rule 9, issue 14: it used to be ignored); the history as it
    // stood forecasts every 2 weeks: from 15 January before 3 July, 13.
    let course = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(plus(MAINTENANCE[0], 10), 10);
    let today = plus(MAINTENANCE[0], 1);
    let e = forecast_h(&iv(), course.history(), today, 26, None).unwrap_err();
    assert!(matches!(e, SnapshotError::AfterToday { .. }), "{e}");
    let then = crate::suggestion::properties::up_to(course.history(), today);
    let f = forecast_h(&iv(), &then, today, 26, None).unwrap();
    assert!(
        !f.assumptions.iter().any(|a| a.contains("come back")),
        "{f:#?}"
    );
    assert_eq!(f.maintenance.expected, 13);
}
