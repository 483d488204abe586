//! One course, one truth (issue 14): the course snapshot that the plan, the review and the
//! forecast all read. One scenario per deliberate rule of the issue, each naming it, plus the
//! issue's own examples; `properties` checks over generated histories that the three readers
//! always carry the same course summary and that the expected forecast is the plan's count.
//!
//! Every scenario goes through the three commands as the service runs them: each computes its
//! own snapshot from the same inputs, then reads it.

mod properties;

use crate::forecast::forecast_h;
use crate::suggestion::properties::up_to;
use crate::suggestion::{
    BASELINE_DAY, Course, END, INDUCTION, MAINTENANCE, MAINTENANCE_DAY, START, assert_review, esk,
    iv, plus, review_h, snapshot_of,
};
use cadence_clinical::calendar::ClinicCalendar;
use cadence_clinical::course::{CoursePhase, CourseSnapshot, CourseSummary, SnapshotError};
use cadence_clinical::decision::Decision;
use cadence_clinical::forecast::Forecast;
use cadence_clinical::history::{CourseHistory, SessionStatus};
use cadence_clinical::planner::{self, Plan, SessionKind, SessionState, plan};
use cadence_clinical::protocol::Protocol;
use cadence_clinical::suggestion::{Review, Suggestion};
use jiff::civil::{Date, date};

const IN_PROGRESS: (&str, &str) = ("induction_in_progress", "induction.sessions");
const RESPONSE: (&str, &str) = ("end_of_induction_response", "end_of_induction.on_response");
const PARTIAL: (&str, &str) = (
    "end_of_induction_partial_response",
    "end_of_induction.on_partial",
);
const STABLE: (&str, &str) = (
    "maintenance_stable",
    "maintenance.stable_checkins_to_lengthen",
);
const CHECK_IN_DUE: (&str, &str) = (
    "maintenance_check_in_due",
    "maintenance.start_interval_weeks",
);
const RESPONSE_LOST: (&str, &str) = ("response_lost", "maintenance.booster_when");
const BOOSTER_PENDING: (&str, &str) = ("booster_pending", "maintenance.booster_when");
const NO_RESPONSE_YET: (&str, &str) = ("no_response_yet", "end_of_induction.on_partial");
const SYMPTOM_RETURN: (&str, &str) = ("symptom_return", "maintenance.symptom_return");
const AT_MINIMUM: (&str, &str) = ("interval_at_minimum", "maintenance.min_interval_weeks");
const WEEKLY_NO_BOOSTER: (&str, &str) = ("weekly_no_booster", "maintenance.min_interval_weeks");
const SESSION_HELD: (&str, &str) = ("session_held", "safety");

/// `cadence plan`: the snapshot on `today` (Monday-Friday calendar), then the plan.
fn plan_on(
    p: &Protocol,
    history: &CourseHistory,
    start: Option<Date>,
    today: Date,
    weeks: u16,
) -> Result<Plan, SnapshotError> {
    let calendar = ClinicCalendar::default();
    let snap = cadence_clinical::course::snapshot(&cadence_clinical::course::CourseInputs {
        protocol: p,
        calendar: &calendar,
        history,
        start,
        today,
        scoring: &cadence_clinical::instrument::ScoringConfig::default(),
    })?;
    Ok(plan(p, &calendar, &snap, weeks)?)
}

/// What the three commands say about one course on one day, over one horizon.
#[derive(Debug)]
struct Readers {
    snap: CourseSnapshot,
    plan: Plan,
    review: Review,
    forecast: Forecast,
    weeks: u16,
}

impl Readers {
    /// Plan, review and forecast of `course` on `today`, each from its own snapshot.
    fn of(p: &Protocol, course: &Course, today: Date, weeks: u16) -> Readers {
        let h = course.history();
        Readers {
            snap: snapshot_of(p, h, today).unwrap(),
            plan: plan_on(p, h, None, today, weeks).unwrap(),
            review: review_h(p, h, today).unwrap(),
            forecast: forecast_h(p, h, today, weeks, None).unwrap(),
            weeks,
        }
    }

    /// The one summary all three carry (asserting that they do).
    #[track_caller]
    fn course(&self) -> CourseSummary {
        assert_eq!(self.plan.course, self.snap.summary(), "plan");
        assert_eq!(self.review.course, self.snap.summary(), "review");
        assert_eq!(self.forecast.course, self.snap.summary(), "forecast");
        self.snap.summary()
    }

    /// Sessions the plan books (booked or planned) in the forecast's horizon, `[from, until)`.
    fn plan_ahead(&self) -> u32 {
        let from = self.snap.today.max(self.snap.start);
        let until = planner::horizon_end(&self.snap, self.weeks).unwrap();
        SessionKind::ALL
            .iter()
            .map(|k| self.plan.ahead(*k, from, until))
            .sum()
    }

    fn said(&self, words: &str) -> bool {
        self.review
            .reasons
            .iter()
            .any(|r| r.message.contains(words))
            || self.forecast.assumptions.iter().any(|a| a.contains(words))
            || self.plan.warnings.iter().any(|w| w.contains(words))
    }
}

/// `course` with a completed session and a pre-dose PHQ-9 of `total` on `date`.
fn check_in(course: Course, date: Date, total: u8) -> Course {
    course.session(date).phq9(date, total)
}

// ---- Rule 1: the baseline ----------------------------------------------------------------

#[test]
fn the_baseline_is_the_last_score_before_the_first_dose_issue_example() {
    // Rule 1 (issue 14): PHQ-9 10 at referral (40 days before), 22 before the start, 9 at
    // the end of induction: judged 22 -> 9, a 59% fall (a response), not 10 -> 9. The
    // referral is outside the 30-day window anyway (`outcomes.baseline_window_days`).
    let course = Course::starting(START)
        .phq9(plus(START, -40), 10)
        .phq9(BASELINE_DAY, 22)
        .sessions(&INDUCTION)
        .phq9(END, 9);
    let snap = snapshot_of(&iv(), course.history(), END).unwrap();
    let baseline = snap.scores.baseline.as_ref().unwrap();
    assert_eq!(
        (baseline.date, baseline.score.total),
        (BASELINE_DAY, Some(22))
    );
    let r = review_h(&iv(), course.history(), END).unwrap();
    assert_review(&r, Suggestion::StartMaintenance, &[RESPONSE]);
    let o = r.outcome.unwrap();
    assert_eq!((o.baseline, o.current, o.response), (22, 9, true));
    assert_eq!(o.percent_change, Some(-59.1));
    // With only the referral score there is no baseline: the review asks for one.
    let referral_only = Course::starting(START)
        .phq9(plus(START, -40), 10)
        .sessions(&INDUCTION)
        .phq9(END, 9);
    let r = review_h(&iv(), referral_only.history(), END).unwrap();
    assert_review(
        &r,
        Suggestion::Continue,
        &[("assessment_due", "end_of_induction.instrument")],
    );
    assert!(r.reasons[0].message.contains("a baseline"), "{r:#?}");
    assert_eq!(r.outcome, None);
}

#[test]
fn a_pre_dose_score_on_day_one_is_the_baseline_and_the_window_is_30_days() {
    // Rule 1: the last score on or before the day of the first dose: a pre-dose score on day
    // 1 counts, and wins over an earlier one.
    let course = Course::starting(START)
        .phq9(BASELINE_DAY, 22)
        .phq9(START, 20)
        .sessions(&INDUCTION)
        .phq9(END, 9);
    let snap = snapshot_of(&iv(), course.history(), END).unwrap();
    let baseline = snap.scores.baseline.as_ref().unwrap();
    assert_eq!((baseline.date, baseline.score.total), (START, Some(20)));
    // Day 1's score is the baseline, not a follow-up.
    assert!(snap.scores.follow_ups.iter().all(|a| a.date > START));
    assert_eq!(
        review_h(&iv(), course.history(), END)
            .unwrap()
            .outcome
            .unwrap()
            .baseline,
        20
    );
    // 30 days before the first dose is inside the window; 31 is not.
    for (days, expected) in [(30, Some(22)), (31, None)] {
        let course = Course::starting(START)
            .phq9(plus(START, -days), 22)
            .sessions(&INDUCTION);
        let snap = snapshot_of(&iv(), course.history(), END).unwrap();
        assert_eq!(
            snap.scores.baseline.and_then(|b| b.score.total),
            expected,
            "{days} days before"
        );
    }
}

#[test]
fn before_any_dose_the_latest_score_so_far_is_the_baseline() {
    // Rule 1: no dose yet, so the latest score is the baseline (within 30 days of today).
    let course = Course::starting(START)
        .phq9(plus(START, -10), 15)
        .phq9(BASELINE_DAY, 18);
    let today = plus(START, -1);
    let snap = snapshot_of(&iv(), course.history(), today).unwrap();
    assert_eq!(snap.first_dose, None);
    assert_eq!(
        snap.scores
            .baseline
            .as_ref()
            .map(|b| (b.date, b.score.total)),
        Some((BASELINE_DAY, Some(18)))
    );
    let old = Course::starting(START).phq9(plus(today, -31), 18);
    let snap = snapshot_of(&iv(), old.history(), today).unwrap();
    assert_eq!(snap.scores.baseline, None);
}

// ---- Rule 2: maintenance confirmed by any interval decision ------------------------------

#[test]
fn lengthen_without_start_maintenance_is_maintenance_for_every_reader() {
    // Rule 2, the issue's example: induction done, a 7th session on 1 January, then
    // `lengthen_interval` and no `start_maintenance`. Plan, review and forecast all say
    // maintenance since 1 January, every 3 weeks, next on 22 January, 6 of 6 induction
    // sessions; nobody says "7 of 6".
    let course = Course::after_induction(20, 8)
        .session(MAINTENANCE[0])
        .phq9(MAINTENANCE[0], 8)
        .decide(MAINTENANCE[0], Decision::LengthenInterval);
    let today = date(2027, 1, 4);
    let read = Readers::of(&iv(), &course, today, 26);
    assert_eq!(
        read.course(),
        CourseSummary {
            phase: CoursePhase::Maintenance,
            induction_done: 6,
            induction_target: 6,
            interval_weeks: 3,
            next_due: Some(date(2027, 1, 22)),
            next_booked: false,
        }
    );
    assert_eq!(
        read.snap.maintenance.as_ref().map(|m| m.started),
        Some(MAINTENANCE[0])
    );
    assert_eq!(read.plan.sessions[6].kind, SessionKind::Maintenance);
    assert_eq!(read.plan.next_session().unwrap().date, date(2027, 1, 22));
    assert_eq!(read.plan.next_session().unwrap().interval_weeks, Some(3));
    assert!(!read.said("7 of 6"), "{read:#?}");
    assert!(!read.said("assumes a response"), "{read:#?}");
    assert_review(&read.review, Suggestion::Continue, &[CHECK_IN_DUE]);
    assert!(
        read.forecast.assumptions[0]
            .contains("maintenance started on 2027-01-01 and is every 3 week(s) now"),
        "{:#?}",
        read.forecast
    );
    assert_eq!(read.forecast.remaining_induction.expected, 0);
    assert_eq!(read.forecast.total.expected, read.plan_ahead());
}

#[test]
fn shorten_and_booster_after_induction_confirm_maintenance_too() {
    // Rule 2: the decision's date is when maintenance started.
    let decided = date(2026, 12, 21);
    for (decision, interval) in [
        (Decision::ShortenInterval, 1),
        (Decision::LengthenInterval, 3),
        (Decision::Booster, 2),
    ] {
        let course = Course::after_induction(20, 8).decide(decided, decision);
        let read = Readers::of(&iv(), &course, decided, 12);
        let c = read.course();
        assert_eq!(
            (c.phase, c.induction_done, c.interval_weeks),
            (CoursePhase::Maintenance, 6, interval),
            "{decision}"
        );
        assert_eq!(
            read.snap.maintenance.as_ref().map(|m| m.started),
            Some(decided),
            "{decision}"
        );
    }
}

// ---- Rule 3: one booster per episode -----------------------------------------------------

#[test]
fn a_booster_is_not_suggested_twice_for_the_same_return() {
    // Rule 3 (issue 14). Response lost on 1 January (20 -> 11): a booster is suggested.
    let lost = check_in(Course::in_maintenance(8), MAINTENANCE[0], 11);
    let r = review_h(&iv(), lost.history(), MAINTENANCE[0]).unwrap();
    assert_review(&r, Suggestion::Booster, &[RESPONSE_LOST]);
    // Decided on Monday 4 January, not yet given: wait, even with another lost score.
    let decided = date(2027, 1, 4);
    let pending = lost.decide(decided, Decision::Booster).phq9(decided, 12);
    let read = Readers::of(&iv(), &pending, decided, 8);
    assert_review(&read.review, Suggestion::Continue, &[BOOSTER_PENDING]);
    assert!(
        read.review.reasons[0]
            .message
            .contains("next on 2027-01-04"),
        "{:#?}",
        read.review
    );
    assert_eq!(read.snap.booster.pending_since, Some(decided));
    // A second booster decision while one is pending is ignored, with a warning.
    let twice = pending.clone().decide(decided, Decision::Booster);
    let read = Readers::of(&iv(), &twice, decided, 8);
    assert_eq!(read.plan.count(SessionKind::Booster), 1);
    assert!(
        read.said(
            "the booster decision on 2027-01-04 is ignored: the booster decided on 2027-01-04 \
             has not been given yet"
        ),
        "{read:#?}"
    );
    // Given on the 5th (with a pre-dose score still showing the return): the scores up to and
    // on that day are the return it treated, so no second booster.
    let given = date(2027, 1, 5);
    let after = check_in(pending, given, 12);
    let today = date(2027, 1, 6);
    let read = Readers::of(&iv(), &after, today, 8);
    assert_eq!(read.snap.booster.last_given, Some(given));
    assert_eq!(read.plan.sessions[7].kind, SessionKind::Booster);
    assert_review(&read.review, Suggestion::Continue, &[CHECK_IN_DUE]);
    assert!(
        read.review.reasons[0]
            .message
            .contains("A booster was given on 2027-01-05"),
        "{:#?}",
        read.review
    );
    // A check-in after it still lost (no response regained since): the same episode, so no
    // second booster; the clinician reviews.
    let still = after.clone().phq9(date(2027, 1, 8), 12);
    let r = review_h(&iv(), still.history(), date(2027, 1, 8)).unwrap();
    assert_eq!(r.suggestion, Suggestion::Continue, "{r:#?}");
    assert_eq!(r.reasons[0].code, "booster_not_regained", "{r:#?}");
    // Regained, then lost again: a new episode, and a booster may be suggested again.
    let regained = still
        .clone()
        .phq9(date(2027, 1, 12), 7)
        .session(date(2027, 1, 19))
        .phq9(date(2027, 1, 26), 12);
    let r = review_h(&iv(), regained.history(), date(2027, 1, 26)).unwrap();
    assert_eq!(r.suggestion, Suggestion::Booster, "{r:#?}");
    // The first check-in after it counts: stable, one of the two needed to lengthen.
    let stable = after.phq9(date(2027, 1, 12), 7);
    let r = review_h(&iv(), stable.history(), date(2027, 1, 12)).unwrap();
    assert_review(&r, Suggestion::Continue, &[STABLE]);
    assert!(r.reasons[0].message.contains("1 of 2"), "{r:#?}");
}

#[test]
fn demo_005_the_forecast_counts_what_the_plan_books_after_a_booster() {
    // The issue's example, shaped like the demo patient DEMO-005 (cadence-app demo): today is
    // Wednesday 3 March 2027 and `ago(n)` is n days before. PHQ-9 18 at ago(90), induction of
    // 6 from ago(88), PHQ-9 6 at ago(70), start_maintenance at ago(69), maintenance visits at
    // ago(55), ago(41), ago(27) (PHQ-9 6, 7, 9), symptoms back at ago(20) (PHQ-9 13 by link),
    // booster decided at ago(19) and given at ago(18) (PHQ-9 11), PHQ-9 7 at ago(11), a
    // session booked for today + 5.
    let today = date(2027, 3, 3);
    let ago = |n: i64| plus(today, -n);
    let mut course = Course::starting(ago(88)).phq9(ago(90), 18);
    for n in [88, 84, 81, 77, 74, 71] {
        course = course.session(ago(n));
    }
    course = course
        .phq9(ago(70), 6)
        .decide(ago(69), Decision::StartMaintenance);
    for (n, total) in [(55, 6), (41, 7), (27, 9)] {
        course = check_in(course, ago(n), total);
    }
    let course = course.phq9(ago(20), 13).decide(ago(19), Decision::Booster);
    let course = check_in(course, ago(18), 11).phq9(ago(11), 7).booked(
        plus(today, 5),
        SessionStatus::Scheduled,
        None,
    );
    let read = Readers::of(&iv(), &course, today, 26);
    assert_eq!(
        read.course(),
        CourseSummary {
            phase: CoursePhase::Maintenance,
            induction_done: 6,
            induction_target: 6,
            interval_weeks: 2,
            next_due: Some(plus(today, 5)),
            next_booked: true,
        }
    );
    // Stable since the booster: no return since it, so the expected figure is the plan's:
    // the booked Monday 8 March, then every 2 weeks before 1 September: 8 March + 14k,
    // k = 0..12: 13 sessions.
    assert!(!read.said("symptoms have come back"), "{read:#?}");
    assert_eq!(read.plan_ahead(), 13);
    assert_eq!(read.forecast.total.expected, read.plan_ahead());
    assert_eq!(read.forecast.remaining_induction.high, 0);
    assert_review(&read.review, Suggestion::Continue, &[STABLE]);
    assert!(read.snap.next_booked);
}

// ---- Rule 4: "response lost" needs a response -------------------------------------------

#[test]
fn an_esketamine_partial_responder_is_never_told_its_response_is_lost() {
    // Rule 4 (issue 14): esketamine-label continues a partial responder into maintenance
    // (on_partial = start_maintenance [SPRAVATOHCP-DOSING]). 20 -> 13 at the end of its 8
    // sessions is a 35% fall: never a response, so nothing can be "lost".
    let end = date(2026, 12, 25);
    let course = Course::baseline(20)
        .sessions(&INDUCTION)
        .sessions(&[date(2026, 12, 22), end])
        .phq9(end, 13);
    let r = review_h(&esk(), course.history(), end).unwrap();
    assert_review(&r, Suggestion::StartMaintenance, &[PARTIAL]);
    let course = course.decide(date(2026, 12, 26), Decision::StartMaintenance);
    // Still partial (14, 15): continue, no booster (it used to be "booster: response lost").
    let mut course = course;
    for (d, total) in [(date(2027, 1, 1), 14), (date(2027, 1, 8), 15)] {
        course = check_in(course, d, total);
        let read = Readers::of(&esk(), &course, d, 12);
        assert!(!read.snap.scores.responded);
        assert_review(&read.review, Suggestion::Continue, &[NO_RESPONSE_YET]);
        assert!(!read.said("symptoms have come back"), "{read:#?}");
    }
    // A reliable rise (13 -> 19) in the weekly block: symptoms returned, weekly already (rule
    // 5), so the clinician reviews; after the block, every 2 weeks, shorten. Never
    // "response_lost".
    let worse = check_in(course.clone(), date(2027, 1, 15), 19);
    let r = review_h(&esk(), worse.history(), date(2027, 1, 15)).unwrap();
    assert_review(
        &r,
        Suggestion::Continue,
        &[SYMPTOM_RETURN, AT_MINIMUM, WEEKLY_NO_BOOSTER],
    );
    let block_done = check_in(
        check_in(course, date(2027, 1, 15), 15),
        date(2027, 1, 22),
        15,
    );
    let worse = check_in(block_done, date(2027, 2, 5), 19);
    let r = review_h(&esk(), worse.history(), date(2027, 2, 5)).unwrap();
    assert_review(&r, Suggestion::ShortenInterval, &[SYMPTOM_RETURN]);
}

// ---- Rule 5: no booster on weekly dosing --------------------------------------------------

#[test]
fn response_lost_on_weekly_sessions_is_reviewed_not_boosted() {
    // Rule 5 (issue 14): shortened to every week, then response lost (20 -> 11): there is no
    // sooner session to add.
    let weekly = check_in(Course::in_maintenance(8), MAINTENANCE[0], 8)
        .decide(MAINTENANCE[0], Decision::ShortenInterval);
    let lost = check_in(weekly, date(2027, 1, 8), 11);
    let r = review_h(&iv(), lost.history(), date(2027, 1, 8)).unwrap();
    assert_eq!(r.course.interval_weeks, 1);
    assert_review(
        &r,
        Suggestion::Continue,
        &[RESPONSE_LOST, WEEKLY_NO_BOOSTER],
    );
}

// ---- Rule 6: a session held today --------------------------------------------------------

#[test]
fn a_session_held_today_holds_the_course() {
    // Rule 6 (issue 14): the service marks a session `held` (an open finding or a failed
    // gate); held today, the suggestion is a hold, whatever else the findings say.
    let today = INDUCTION[2];
    let course = Course::baseline(20).sessions(&INDUCTION[..2]);
    let held = course.clone().booked(today, SessionStatus::Held, None);
    let read = Readers::of(&iv(), &held, today, 4);
    assert_review(&read.review, Suggestion::HoldForReview, &[SESSION_HELD]);
    assert!(read.snap.held_today);
    // The plan keeps it on its day, booked.
    let s = &read.plan.sessions[2];
    assert_eq!(
        (s.date, s.kind, s.status),
        (today, SessionKind::Induction, SessionState::Booked)
    );
    // Scheduled rather than held, or held on another day: no hold.
    let scheduled = course.clone().booked(today, SessionStatus::Scheduled, None);
    let r = review_h(&iv(), scheduled.history(), today).unwrap();
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    let tomorrow = course.booked(plus(today, 1), SessionStatus::Held, None);
    let r = review_h(&iv(), tomorrow.history(), today).unwrap();
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
}

// ---- Rule 7: booked sessions are kept where they are ------------------------------------

/// Monday 7 December 2026, the planner tests' start (induction on Mondays and Wednesdays).
const MONDAY: Date = date(2026, 12, 7);

#[test]
fn a_booked_session_stays_on_its_day_and_the_rest_are_planned_around_it() {
    // Rule 7 (issue 14): three sessions given (7, 9, 14 December); the fourth, due Wednesday
    // 16th, was moved to Friday 18th. The plan keeps it there, with its reason, and books the
    // last two around it: Monday 21st, then Friday 25th (2 in any 7 days).
    let why = "moved to Friday at the patient's request";
    let course = Course::starting(MONDAY)
        .sessions(&[MONDAY, date(2026, 12, 9), date(2026, 12, 14)])
        .booked(date(2026, 12, 18), SessionStatus::Scheduled, Some(why));
    let today = date(2026, 12, 15);
    let read = Readers::of(&iv(), &course, today, 8);
    let induction: Vec<(Date, SessionState)> = read
        .plan
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Induction)
        .map(|s| (s.date, s.status))
        .collect();
    assert_eq!(
        induction,
        [
            (MONDAY, SessionState::Completed),
            (date(2026, 12, 9), SessionState::Completed),
            (date(2026, 12, 14), SessionState::Completed),
            (date(2026, 12, 18), SessionState::Booked),
            (date(2026, 12, 21), SessionState::Planned),
            (date(2026, 12, 25), SessionState::Planned),
        ]
    );
    assert_eq!(read.plan.sessions[3].booking_reason.as_deref(), Some(why));
    let c = read.course();
    assert_eq!(
        (c.induction_done, c.next_due),
        (3, Some(date(2026, 12, 18)))
    );
    assert!(read.snap.next_booked);
    assert_eq!(
        read.plan.warnings,
        [
            "maintenance after 2026-12-25 assumes a response at the end-of-induction review; \
          record the clinician's decision to confirm it"
        ]
    );
    // The forecast counts the booked session as the plan does.
    assert_eq!(read.forecast.total.expected, read.plan_ahead());
    assert_eq!(read.forecast.remaining_induction.expected, 3);
}

#[test]
fn a_session_booked_before_today_and_never_recorded_is_left_out_with_a_warning() {
    // Rule 7: a booking on Friday 11 December that was never marked completed, cancelled or
    // not attended: left out of the plan (the session is rebooked), with a warning.
    let course = Course::starting(MONDAY)
        .sessions(&[MONDAY, date(2026, 12, 9)])
        .booked(date(2026, 12, 11), SessionStatus::Scheduled, None);
    let today = date(2026, 12, 14);
    let read = Readers::of(&iv(), &course, today, 8);
    let warning = "the session booked on 2026-12-11 was never recorded: mark it not attended or \
                   cancelled";
    assert!(
        read.plan.warnings.iter().any(|w| w == warning),
        "{:?}",
        read.plan.warnings
    );
    assert!(read.snap.warnings.iter().any(|w| w == warning));
    assert!(
        read.plan
            .sessions
            .iter()
            .all(|s| s.date != date(2026, 12, 11))
    );
    assert_eq!(read.plan.next_session().unwrap().date, today);
    assert_eq!(read.course().next_due, Some(today));
    // Under way today is booked too: kept on today.
    let in_progress = Course::starting(MONDAY)
        .sessions(&[MONDAY, date(2026, 12, 9)])
        .booked(today, SessionStatus::InProgress, None);
    let read = Readers::of(&iv(), &in_progress, today, 8);
    assert_eq!(read.plan.sessions[2].status, SessionState::Booked);
    assert!(read.course().next_due == Some(today) && read.snap.next_booked);
}

// ---- Rule 8: the forecast is the plan's count --------------------------------------------

#[test]
fn the_low_figure_is_the_non_response_path_in_induction_and_the_longest_interval_after() {
    // Rule 8 (issue 14).
    let read = Readers::of(
        &iv(),
        &Course::baseline(20).sessions(&INDUCTION[..2]),
        INDUCTION[1],
        26,
    );
    assert_eq!(
        read.forecast.low_means,
        "No response at the end-of-induction review: the course stops after induction."
    );
    assert_eq!(read.forecast.total.low, 4);
    assert_eq!(read.forecast.maintenance.low, 0);
    assert_eq!(read.forecast.total.expected, read.plan_ahead());
    let read = Readers::of(&iv(), &Course::in_maintenance(8), MAINTENANCE_DAY, 26);
    assert_eq!(
        read.forecast.low_means,
        "Maintenance at the protocol's longest interval, every 4 week(s)."
    );
    assert_eq!(read.forecast.total.expected, read.plan_ahead());
    // Every 4 weeks from 15 January (4 weeks after the last session, 18 December) before
    // 19 June: 6; every 2 weeks from 1 January: 13; weekly from 25 December: 26.
    assert_eq!(
        (
            read.forecast.total.low,
            read.forecast.total.expected,
            read.forecast.total.high
        ),
        (6, 13, 26)
    );
}

#[test]
fn a_pending_booster_counts_in_the_expected_and_high_figures() {
    // Rule 8: the booster decided on Monday 4 January is booked that day by the plan, and the
    // forecast counts it as the plan does.
    let decided = date(2027, 1, 4);
    let lost = check_in(Course::in_maintenance(8), MAINTENANCE[0], 11);
    let course = lost.clone().decide(decided, Decision::Booster);
    let read = Readers::of(&iv(), &course, decided, 26);
    let until = planner::horizon_end(&read.snap, 26).unwrap();
    assert_eq!(read.plan.ahead(SessionKind::Booster, decided, until), 1);
    assert_eq!(read.plan.next_session().unwrap().kind, SessionKind::Booster);
    assert_eq!(read.forecast.total.expected, read.plan_ahead());
    assert!(read.forecast.total.high >= read.forecast.total.expected);
    assert!(
        read.said("The booster decided on 2027-01-04 is counted"),
        "{read:#?}"
    );
    // Over one week, the booster is the only session: counted in the expected and high
    // figures; without the decision the expected figure is 0 (next session 15 January).
    let read = Readers::of(&iv(), &course, decided, 1);
    assert_eq!(read.plan_ahead(), 1);
    let t = read.forecast.total;
    assert_eq!((t.expected, t.high), (1, 1));
    let base = Readers::of(&iv(), &lost, decided, 1);
    assert_eq!(base.forecast.total.expected, 0);
}

#[test]
fn horizons_are_half_open_in_the_plan_and_the_forecast_alike() {
    // Rule 8: from Friday 1 January (a session today), the next is due on the 15th. Over 2
    // weeks the horizon ends on the 15th: not booked, not counted; over 3 weeks it is both.
    let course = check_in(Course::in_maintenance(8), MAINTENANCE[0], 8);
    for (weeks, ahead) in [(2, 0), (3, 1)] {
        let read = Readers::of(&iv(), &course, MAINTENANCE[0], weeks);
        assert_eq!(
            read.plan.sessions.iter().any(|s| s.date == MAINTENANCE[1]),
            ahead == 1,
            "{weeks} weeks"
        );
        assert_eq!(read.plan_ahead(), ahead, "{weeks} weeks");
        assert_eq!(read.forecast.total.expected, ahead, "{weeks} weeks");
    }
}

#[test]
fn an_observed_return_shorter_than_the_interval_is_the_one_exception() {
    // Rule 8: symptoms back 10 days after each session (one episode): the expected figure is
    // weekly, so it exceeds the plan's count at every 2 weeks, and says why.
    let course = Course::in_maintenance(4)
        .session(MAINTENANCE[0])
        .phq9(plus(MAINTENANCE[0], 10), 10)
        .session(MAINTENANCE[1])
        .phq9(plus(MAINTENANCE[1], 10), 10);
    let read = Readers::of(&iv(), &course, plus(MAINTENANCE[1], 10), 26);
    read.course();
    assert!(read.said("symptoms have come back"), "{read:#?}");
    assert_eq!((read.plan_ahead(), read.forecast.total.expected), (13, 26));
}

#[test]
fn the_extension_can_push_maintenance_out_of_a_short_horizon() {
    // Rule 8: high is a plan too (every extension, then the shortest interval), so over a
    // short horizon the extension's sessions can take the place of the expected maintenance
    // session. Induction done on 18 December, no decision yet; on Monday 28 December over one
    // week: expected, one maintenance session on 1 January (2 weeks after the 6th session);
    // high, the two extension sessions (28th, 30th), then weekly from 6 January, outside the
    // week. The totals stay ordered (1 <= 2); the maintenance figure does not (1 > 0).
    let course = Course::after_induction(20, 15);
    let read = Readers::of(&iv(), &course, date(2026, 12, 28), 1);
    let f = &read.forecast;
    assert_eq!(
        (f.remaining_induction.expected, f.remaining_induction.high),
        (0, 2)
    );
    assert_eq!((f.maintenance.expected, f.maintenance.high), (1, 0));
    assert_eq!((f.total.expected, f.total.high), (1, 2));
    assert_eq!(f.total.expected, read.plan_ahead());
}

#[test]
fn paused_and_discontinued_courses_forecast_nothing() {
    // Rule 8: nothing is booked, so nothing is counted.
    let paused = Course::in_maintenance(8).decide(date(2026, 12, 21), Decision::Pause);
    let stopped = Course::in_maintenance(8).decide(date(2026, 12, 21), Decision::Discontinue);
    for course in [paused, stopped] {
        let read = Readers::of(&iv(), &course, date(2026, 12, 22), 26);
        assert_eq!(read.plan_ahead(), 0);
        let t = read.forecast.total;
        assert_eq!((t.low, t.expected, t.high), (0, 0, 0));
    }
}

// ---- Rule 9: the same refusals for every reader -----------------------------------------

/// The error each command gives, all three the same (or the test fails).
#[track_caller]
fn refused(history: &CourseHistory, start: Option<Date>, today: Date) -> SnapshotError {
    let p = iv();
    let plan = plan_on(&p, history, start, today, 26).unwrap_err();
    let review = review_h(&p, history, today).unwrap_err();
    let forecast = forecast_h(&p, history, today, 26, None).unwrap_err();
    assert_eq!(plan, review);
    assert_eq!(review, forecast);
    plan
}

#[test]
fn the_three_commands_refuse_the_same_histories_with_the_same_error() {
    // Rule 9 (issue 14). A decision after today:
    let today = date(2026, 12, 5);
    let course = Course::baseline(20)
        .sessions(&INDUCTION[..2])
        .decide(date(2026, 12, 10), Decision::Pause);
    let e = refused(course.history(), None, today);
    assert_eq!(
        e.to_string(),
        "the pause decision on 2026-12-10 is after today (2026-12-05): record only what has \
         happened, or check the date given as today"
    );
    // The same history up to today is accepted by all three.
    Readers::of(&iv(), &Course(up_to(course.history(), today)), today, 26).course();
    // A completed session before the start:
    let e = refused(
        Course::baseline(20).session(plus(START, -1)).history(),
        None,
        START,
    );
    assert_eq!(
        e,
        SnapshotError::BeforeStart {
            what: "completed session".into(),
            date: plus(START, -1),
            start: START
        }
    );
    // A cancelled or missed session after today, or before the start:
    let course = Course::baseline(20).record(plus(START, 3), SessionStatus::Cancelled, None, None);
    assert!(matches!(
        refused(course.history(), None, START),
        SnapshotError::AfterToday { what, .. } if what == "cancelled session"
    ));
    let course = Course::baseline(20).record(plus(START, -2), SessionStatus::NoShow, None, None);
    assert!(matches!(
        refused(course.history(), None, START),
        SnapshotError::BeforeStart { what, .. } if what == "no show session"
    ));
    // A decision before the start:
    let course = Course::baseline(20).decide(BASELINE_DAY, Decision::Continue);
    assert!(matches!(
        refused(course.history(), None, START),
        SnapshotError::BeforeStart { .. }
    ));
    // An assessment after today (an assessment before the start is a baseline, accepted):
    let course = Course::baseline(20).phq9(plus(START, 1), 12);
    assert!(matches!(
        refused(course.history(), None, START),
        SnapshotError::AfterToday { what, .. } if what == "phq9 assessment"
    ));
    // A booked session before the start (a booked one after today is fine):
    let course = Course::baseline(20).booked(plus(START, -1), SessionStatus::Scheduled, None);
    assert!(matches!(
        refused(course.history(), None, START),
        SnapshotError::BeforeStart { what, .. } if what == "booked session"
    ));
    // The plan's `--start` differs from the history's start_date: the plan refuses it (the
    // review and the forecast have no `--start`).
    let e = plan_on(
        &iv(),
        Course::baseline(20).history(),
        Some(plus(START, 1)),
        START,
        4,
    )
    .unwrap_err();
    assert!(matches!(e, SnapshotError::StartMismatch { .. }), "{e}");
    // No start at all: no start_date, no session.
    let nothing = CourseHistory::default();
    assert_eq!(refused(&nothing, None, START), SnapshotError::NoStart);
}
