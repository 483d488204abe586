//! Induction and the end-of-induction review: continue while sessions remain, then start
//! maintenance on response or remission, extend on a partial response while an extension is
//! allowed, discontinue on non-response or after the extension; the 50% and 25% boundaries
//! exactly (PRODUCT.md; [ICSI] thresholds in both built-in protocols).

use super::*;
use cadence_clinical::course::CoursePhase;

const IN_PROGRESS: (&str, &str) = ("induction_in_progress", "induction.sessions");
const RESPONSE: (&str, &str) = ("end_of_induction_response", "end_of_induction.on_response");
const REMISSION: (&str, &str) = ("end_of_induction_remission", "end_of_induction.on_response");
const PARTIAL: (&str, &str) = (
    "end_of_induction_partial_response",
    "end_of_induction.on_partial",
);
const NON_RESPONSE: (&str, &str) = (
    "end_of_induction_non_response",
    "end_of_induction.on_non_response",
);
const EXTENSION_USED: (&str, &str) = ("extension_used", "induction.max_extensions");

/// The two sessions of the one IV extension, after `extend_induction` on MAINTENANCE_DAY.
const EXTENSION: [Date; 2] = [date(2026, 12, 22), date(2026, 12, 25)];

#[test]
fn induction_in_progress_continues() {
    let course = Course::baseline(20).sessions(&INDUCTION[..3]);
    let r = review_on(&iv(), &course, INDUCTION[2]);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    assert!(r.reasons[0].message.contains("3 of 6"), "{r:#?}");
    assert_eq!(r.outcome, None);
    // Before the first session, too.
    let r = review_on(&iv(), &Course::baseline(20), BASELINE_DAY);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    assert!(r.reasons[0].message.contains("0 of 6"), "{r:#?}");
}

#[test]
fn the_early_check_after_session_4_is_reported_but_changes_nothing() {
    // A 60% fall after three sessions: still continue, no early check yet.
    let course = Course::baseline(20)
        .sessions(&INDUCTION[..3])
        .phq9(INDUCTION[2], 8);
    let r = review_on(&iv(), &course, INDUCTION[2]);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    assert_eq!(r.outcome.as_ref().unwrap().current, 8);
    // After session 4 the early check is reported with the outcome; induction continues.
    let course = course.session(INDUCTION[3]).phq9(INDUCTION[3], 8);
    let r = review_on(&iv(), &course, INDUCTION[3]);
    assert_review(
        &r,
        Suggestion::Continue,
        &[IN_PROGRESS, ("early_check", "induction.early_check_after")],
    );
    assert!(
        r.reasons[1].message.contains("down 60.0% (20 -> 8)"),
        "{r:#?}"
    );
}

#[test]
fn cancelled_and_missed_sessions_do_not_count_towards_induction() {
    let course = Course::baseline(20)
        .sessions(&INDUCTION[..4])
        .record(INDUCTION[4], SessionStatus::Cancelled, None, None)
        .record(INDUCTION[5], SessionStatus::NoShow, None, None)
        .phq9(END, 8);
    let r = review_on(&iv(), &course, END);
    assert_review(
        &r,
        Suggestion::Continue,
        &[IN_PROGRESS, ("early_check", "induction.early_check_after")],
    );
    assert!(r.reasons[0].message.contains("4 of 6"), "{r:#?}");
}

#[test]
fn exactly_50_percent_at_the_end_of_induction_starts_maintenance() {
    for (baseline, end) in [(20, 10), (24, 12), (10, 5)] {
        let r = review_on(&iv(), &Course::after_induction(baseline, end), END);
        assert_review(&r, Suggestion::StartMaintenance, &[RESPONSE]);
        let o = r.outcome.unwrap();
        assert_eq!((o.percent_change, o.response), (Some(-50.0), true));
    }
}

#[test]
fn just_under_50_percent_extends_induction() {
    // PHQ-9 totals stop at 27, so no fall lies in [49%, 50%): the nearest below 50% is
    // 27 -> 14 (13/27 = 48.1%); 24 -> 13 (45.8%) and 21 -> 11 (47.6%) are partial too.
    for (baseline, end, percent) in [(27, 14, -48.1), (24, 13, -45.8), (21, 11, -47.6)] {
        let r = review_on(&iv(), &Course::after_induction(baseline, end), END);
        assert_review(&r, Suggestion::ExtendInduction, &[PARTIAL]);
        assert_eq!(r.outcome.unwrap().percent_change, Some(percent));
    }
}

#[test]
fn exactly_25_percent_extends_induction() {
    for (baseline, end) in [(20, 15), (24, 18), (12, 9)] {
        let r = review_on(&iv(), &Course::after_induction(baseline, end), END);
        assert_review(&r, Suggestion::ExtendInduction, &[PARTIAL]);
        let o = r.outcome.unwrap();
        assert_eq!((o.percent_change, o.partial_response), (Some(-25.0), true));
    }
}

#[test]
fn just_under_25_percent_is_non_response_and_discontinues() {
    // 25 -> 19 is a 24.0% fall (the nearest below 25% PHQ-9 allows); 20 -> 16 is 20%; a rise
    // is non-response too.
    for (baseline, end, percent) in [(25, 19, -24.0), (20, 16, -20.0), (20, 22, 10.0)] {
        let r = review_on(&iv(), &Course::after_induction(baseline, end), END);
        assert_review(&r, Suggestion::Discontinue, &[NON_RESPONSE]);
        assert_eq!(r.outcome.unwrap().percent_change, Some(percent));
    }
}

#[test]
fn remission_starts_maintenance() {
    // PHQ-9 <= 4 is remission [ICSI]; 20 -> 5 is a 75% response without remission.
    let r = review_on(&iv(), &Course::after_induction(20, 4), END);
    assert_review(&r, Suggestion::StartMaintenance, &[REMISSION]);
    assert_eq!(r.outcome.unwrap().remission, Some(true));
    let r = review_on(&iv(), &Course::after_induction(20, 5), END);
    assert_review(&r, Suggestion::StartMaintenance, &[RESPONSE]);
}

#[test]
fn every_end_of_induction_outcome_follows_the_thresholds() {
    // An independent oracle, in integers: response when the fall is at least half of baseline,
    // partial when at least a quarter, remission at 4 or below.
    for baseline in 1..=24u8 {
        for end in 0..=24u8 {
            let fall = i32::from(baseline) - i32::from(end);
            let base = i32::from(baseline);
            let (suggestion, reason) = if end <= 4 {
                (Suggestion::StartMaintenance, REMISSION)
            } else if 2 * fall >= base {
                (Suggestion::StartMaintenance, RESPONSE)
            } else if 4 * fall >= base {
                (Suggestion::ExtendInduction, PARTIAL)
            } else {
                (Suggestion::Discontinue, NON_RESPONSE)
            };
            let r = review_on(&iv(), &Course::after_induction(baseline, end), END);
            assert_review(&r, suggestion, &[reason]);
        }
    }
}

#[test]
fn a_partial_response_after_the_one_extension_discontinues() {
    let extended = Course::after_induction(20, 15)
        .decide(MAINTENANCE_DAY, Decision::ExtendInduction)
        .session(EXTENSION[0]);
    // One of the two extra sessions done: continue, 7 of 8.
    let r = review_on(&iv(), &extended, EXTENSION[0]);
    assert_review(
        &r,
        Suggestion::Continue,
        &[IN_PROGRESS, ("early_check", "induction.early_check_after")],
    );
    assert!(r.reasons[0].message.contains("7 of 8"), "{r:#?}");
    // Still partial after both: the extension is used, so discontinue.
    let done = extended.session(EXTENSION[1]);
    let r = review_on(&iv(), &done.clone().phq9(EXTENSION[1], 14), EXTENSION[1]);
    assert_review(&r, Suggestion::Discontinue, &[EXTENSION_USED]);
    // A response after the extension starts maintenance; none discontinues.
    let r = review_on(&iv(), &done.clone().phq9(EXTENSION[1], 10), EXTENSION[1]);
    assert_review(&r, Suggestion::StartMaintenance, &[RESPONSE]);
    let r = review_on(&iv(), &done.phq9(EXTENSION[1], 17), EXTENSION[1]);
    assert_review(&r, Suggestion::Discontinue, &[NON_RESPONSE]);
}

#[test]
fn esketamine_needs_eight_sessions_and_continues_into_maintenance_on_a_partial_response() {
    let course = Course::after_induction(20, 15);
    let r = review_on(&esk(), &course, END);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    assert!(r.reasons[0].message.contains("6 of 8"), "{r:#?}");
    // The label has no extension; its on_partial is start_maintenance.
    let course = course
        .sessions(&[date(2026, 12, 22), date(2026, 12, 25)])
        .phq9(date(2026, 12, 25), 15);
    let r = review_on(&esk(), &course, date(2026, 12, 25));
    assert_review(&r, Suggestion::StartMaintenance, &[PARTIAL]);
}

#[test]
fn induction_complete_without_a_score_asks_for_one() {
    let due = ("assessment_due", "end_of_induction.instrument");
    let course = Course::baseline(20).sessions(&INDUCTION);
    let r = review_on(&iv(), &course, END);
    assert_review(&r, Suggestion::Continue, &[due]);
    assert!(
        r.reasons[0].message.contains("an end-of-induction score"),
        "{r:#?}"
    );
    // A PHQ-9 taken only after the start is no baseline.
    let course = Course::starting(START).sessions(&INDUCTION).phq9(END, 8);
    let r = review_on(&iv(), &course, END);
    assert_review(&r, Suggestion::Continue, &[due]);
    assert!(r.reasons[0].message.contains("a baseline"), "{r:#?}");
    assert_eq!(r.outcome, None);
}

#[test]
fn the_end_of_induction_review_needs_a_score_from_the_last_session_on() {
    // The only follow-up score is from before the last induction session (an early check):
    // the review asks for a fresh one instead of judging on it.
    let course = Course::baseline(20)
        .sessions(&INDUCTION[..4])
        .phq9(INDUCTION[3], 8)
        .sessions(&INDUCTION[4..]);
    let r = review_on(&iv(), &course, END);
    assert_review(
        &r,
        Suggestion::Continue,
        &[("assessment_due", "end_of_induction.instrument")],
    );
    // A score on the day of the last session is accepted.
    let r = review_on(&iv(), &course.phq9(END, 8), END);
    assert_review(&r, Suggestion::StartMaintenance, &[RESPONSE]);
}

#[test]
fn a_suggestion_never_changes_the_course_by_itself() {
    // Response at the end of induction, but no decision recorded: two more sessions later the
    // course is still in induction and the suggestion is unchanged.
    let today = EXTENSION[1];
    let course = Course::after_induction(20, 8)
        .sessions(&EXTENSION)
        .phq9(today, 8);
    let r = review_on(&iv(), &course, today);
    assert_review(&r, Suggestion::StartMaintenance, &[RESPONSE]);
    let state = snapshot_of(&iv(), course.history(), today).unwrap();
    assert_eq!(state.phase, CoursePhase::Induction);
    assert_eq!(state.maintenance, None);
    // The clinician's recorded decision does change it.
    let decided = course.decide(today, Decision::StartMaintenance);
    let state = snapshot_of(&iv(), decided.history(), today).unwrap();
    assert_eq!(state.phase, CoursePhase::Maintenance);
    assert_eq!(state.maintenance.map(|m| m.started), Some(today));
}

#[test]
fn a_discontinued_course_stays_discontinued() {
    let course = Course::after_induction(20, 18).decide(MAINTENANCE_DAY, Decision::Discontinue);
    let stopped = ("course_discontinued", "decisions");
    let r = review_on(&iv(), &course, MAINTENANCE_DAY);
    assert_review(&r, Suggestion::Discontinue, &[stopped]);
    // Later scores and decisions do not revive it.
    let later = course
        .phq9(date(2027, 1, 10), 4)
        .decide(date(2027, 1, 10), Decision::StartMaintenance)
        .decide(date(2027, 1, 11), Decision::Resume);
    let r = review_on(&iv(), &later, date(2027, 1, 12));
    assert_review(&r, Suggestion::Discontinue, &[stopped]);
}

#[test]
fn a_paused_course_continues_only_when_resumed() {
    let paused = Course::baseline(20)
        .sessions(&INDUCTION[..2])
        .decide(date(2026, 12, 5), Decision::Pause);
    let r = review_on(&iv(), &paused, date(2026, 12, 10));
    assert_review(&r, Suggestion::Continue, &[("course_paused", "decisions")]);
    let resumed = paused.decide(date(2026, 12, 12), Decision::Resume);
    let r = review_on(&iv(), &resumed, date(2026, 12, 12));
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    assert!(r.reasons[0].message.contains("2 of 6"), "{r:#?}");
}
