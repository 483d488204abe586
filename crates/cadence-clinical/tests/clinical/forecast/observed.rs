//! The expected figure follows this patient's own observed time to symptom return (issue 3 §4):
//! the days from the session before a check-in that showed a reliable rise or response lost.
//! Only check-ins up to `today` count, and a pre-dose check-in is measured from the session
//! before that day.

use super::*;

#[test]
fn symptoms_returning_after_about_10_days_expect_weekly_sessions() {
    // Post-induction 4; sessions on 1 and 15 January; at home on the 11th and the 25th, 10
    // days after each, PHQ-9 10: 6 points up, a reliable deterioration. The median return is
    // 10 days, so the expected interval is 10 / 7 = 1 week (within 1 and the current 2).
    // On the 25th, 10 days after the last session: low (182 + 10) / 28 = 6; expected and
    // high weekly, one due today: (182 + 7) / 7 = 27.
    let course = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(plus(MAINTENANCE[0], 10), 10)
        .session(MAINTENANCE[1])
        .phq9(plus(MAINTENANCE[1], 10), 10);
    let today = plus(MAINTENANCE[1], 10);
    let f = run(&iv(), &course, today, 26, None);
    assert_eq!(f.maintenance, r(6, 27, 27));
    assert!(
        f.assumptions.contains(
            &"Symptoms have returned about 10 days after a session (2 time(s) observed), so \
              the expected figure uses sessions every 1 week(s)."
                .to_owned()
        ),
        "{f:#?}"
    );
    // Stable scores instead: the expected interval stays at 2 weeks, (182 + 10) / 14 = 13.
    let stable = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(plus(MAINTENANCE[0], 10), 6)
        .session(MAINTENANCE[1])
        .phq9(plus(MAINTENANCE[1], 10), 6);
    let f = run(&iv(), &stable, today, 26, None);
    assert_eq!(f.maintenance, r(6, 13, 27));
    assert!(!f.assumptions.iter().any(|a| a.contains("returned")));
}

#[test]
fn a_pre_dose_score_measures_return_from_the_previous_session() {
    // PHQ-9 10 taken before dosing on 1 and 15 January: symptoms returned 14 days after the
    // previous sessions (18 December, 1 January), not 0 days after that day's session. The
    // expected interval stays 2 weeks: on the 15th 182 / 14 = 13.
    let course = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(MAINTENANCE[0], 10)
        .session(MAINTENANCE[1])
        .phq9(MAINTENANCE[1], 10);
    let f = run(&iv(), &course, MAINTENANCE[1], 26, None);
    assert_eq!(f.maintenance, r(6, 13, 26));
    assert!(
        f.assumptions
            .iter()
            .any(|a| a.starts_with("Symptoms have returned about 14 days after a session")),
        "{f:#?}"
    );
}

#[test]
fn scores_after_today_do_not_shape_the_expected_interval() {
    // Forecast on 2 January: the deterioration on the 11th has not happened yet.
    let course = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(plus(MAINTENANCE[0], 10), 10);
    let today = plus(MAINTENANCE[0], 1);
    let f = run(&iv(), &course, today, 26, None);
    assert!(
        !f.assumptions.iter().any(|a| a.contains("returned")),
        "{f:#?}"
    );
    assert_eq!(f.maintenance.expected, (182 + 1) / 14);
}
