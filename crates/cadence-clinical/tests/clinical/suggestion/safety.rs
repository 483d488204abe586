//! Safety holds (PRODUCT.md "Safety holds"; both built-in protocols): a pre-dose blood pressure
//! above 140/90 [JNJ-BP], PHQ-9 item 9 > 0 [MII-PROMS] and C-SSRS moderate or high risk
//! [CSSRS-TRIAGE] hold the course for clinician review. A hold wins over every other
//! suggestion. The service gives its stored findings (released by a clinician's recorded
//! release); a history file without them has them derived, each released only by a decision on
//! a later day (issue 13: time, not date: a same-day decision may have come first).

use super::*;
use cadence_clinical::history::FindingRecord;
use cadence_clinical::safety::FindingKind;

const BP: (&str, &str) = ("pre_dose_blood_pressure", "safety.bp_max");
const SUICIDE_ITEM: (&str, &str) = ("suicide_risk_item", "safety.hold_on_suicide_risk");
const CSSRS: (&str, &str) = ("cssrs_risk", "safety.hold_on_cssrs");
const SPO2: (&str, &str) = ("low_oxygen_saturation", "safety.in_session.spo2_below");
const IN_PROGRESS: (&str, &str) = ("induction_in_progress", "induction.sessions");

/// Two sessions done, the third on 8 December with the given readings.
fn third_session(bp: Option<(u16, u16)>, moaas: Option<u8>) -> Course {
    Course::baseline(20).sessions(&INDUCTION[..2]).record(
        INDUCTION[2],
        SessionStatus::Completed,
        bp,
        moaas,
    )
}

#[test]
fn blood_pressure_above_140_over_90_holds() {
    for (systolic, diastolic) in [(141, 90), (140, 91), (180, 110)] {
        let r = review_on(
            &iv(),
            &third_session(Some((systolic, diastolic)), None),
            INDUCTION[2],
        );
        assert_review(&r, Suggestion::HoldForReview, &[BP]);
        assert!(
            r.reasons[0].message.contains(&format!(
                "on 2026-12-08: Pre-dose blood pressure {systolic}/{diastolic}"
            )),
            "{r:#?}"
        );
    }
    // At the threshold, and below it, the course goes on.
    for (systolic, diastolic) in [(140, 90), (120, 80)] {
        let r = review_on(
            &iv(),
            &third_session(Some((systolic, diastolic)), None),
            INDUCTION[2],
        );
        assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    }
}

#[test]
fn a_blood_pressure_that_cancelled_a_session_still_holds_the_next() {
    let course = Course::baseline(20).sessions(&INDUCTION[..2]).record(
        INDUCTION[2],
        SessionStatus::Cancelled,
        Some((165, 95)),
        None,
    );
    let r = review_on(&iv(), &course, date(2026, 12, 9));
    assert_review(&r, Suggestion::HoldForReview, &[BP]);
}

#[test]
fn phq9_item_9_above_zero_holds() {
    // A low total (5) with item 9 = 1 still holds: the item, not the total, decides.
    for (total, item9) in [(5, 1), (14, 1), (20, 3)] {
        let course = Course::baseline(20).sessions(&INDUCTION[..2]).assess(
            INDUCTION[1],
            InstrumentId::Phq9,
            phq9_with_item9(total, item9),
        );
        let r = review_on(&iv(), &course, INDUCTION[1]);
        assert_review(&r, Suggestion::HoldForReview, &[SUICIDE_ITEM]);
        assert!(r.reasons[0].message.contains("item 9"), "{r:#?}");
    }
    // The same total with item 9 = 0 does not.
    let course = Course::baseline(20)
        .sessions(&INDUCTION[..2])
        .phq9(INDUCTION[1], 5);
    let r = review_on(&iv(), &course, INDUCTION[1]);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
}

#[test]
fn cssrs_moderate_and_high_hold_low_and_none_do_not() {
    let with = |risk: &str| {
        Course::baseline(20).sessions(&INDUCTION[..2]).assess(
            INDUCTION[1],
            InstrumentId::CssrsScreen,
            cssrs(risk),
        )
    };
    for risk in ["moderate", "high"] {
        let r = review_on(&iv(), &with(risk), INDUCTION[1]);
        assert_review(&r, Suggestion::HoldForReview, &[CSSRS]);
        assert!(
            r.reasons[0].message.contains(&format!("{risk} risk")),
            "{r:#?}"
        );
    }
    for risk in ["low", "none"] {
        let r = review_on(&iv(), &with(risk), INDUCTION[1]);
        assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    }
    // Which categories hold is the protocol's: with only `high` listed, moderate goes on.
    let mut p = iv();
    p.safety.hold_on_cssrs = vec![cadence_clinical::instrument::CssrsRisk::High];
    let r = review_on(&p, &with("moderate"), INDUCTION[1]);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    let r = review_on(&p, &with("high"), INDUCTION[1]);
    assert_review(&r, Suggestion::HoldForReview, &[CSSRS]);
}

#[test]
fn thresholds_come_from_the_protocol() {
    let mut p = iv();
    p.safety.bp_max = None;
    p.safety.hold_on_suicide_risk = false;
    let course = third_session(Some((170, 100)), Some(3)).assess(
        INDUCTION[2],
        InstrumentId::Phq9,
        phq9_with_item9(10, 2),
    );
    let r = review_on(&p, &course, INDUCTION[2]);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    // The built-in protocol holds on both, sessions first, then assessments.
    let r = review_on(&iv(), &course, INDUCTION[2]);
    assert_review(&r, Suggestion::HoldForReview, &[BP, SUICIDE_ITEM]);
}

#[test]
fn the_services_findings_replace_the_derived_ones() {
    // The history's own readings would hold; the service says the only finding (an in-session
    // SpO2) is open: that is what holds, cited with the service's words.
    let course = third_session(Some((170, 100)), None);
    let mut history = course.history().clone();
    history.findings = Some(vec![
        FindingRecord {
            kind: FindingKind::LowOxygenSaturation,
            detail: "SpO2 84%, below the protocol's 90%".into(),
            date: INDUCTION[2],
            released: false,
        },
        FindingRecord {
            kind: FindingKind::PreDoseBloodPressure,
            detail: "170/100 mmHg".into(),
            date: INDUCTION[2],
            released: true,
        },
    ]);
    let r = review_h(&iv(), &history, INDUCTION[2]).unwrap();
    assert_review(&r, Suggestion::HoldForReview, &[SPO2]);
    assert!(r.reasons[0].message.contains("SpO2 84%"), "{r:#?}");
    // Released, nothing holds: the course goes on.
    if let Some(f) = history.findings.as_mut() {
        f[0].released = true;
    }
    let r = review_h(&iv(), &history, INDUCTION[2]).unwrap();
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    // A finding dated after today is not seen yet.
    if let Some(f) = history.findings.as_mut() {
        f[0].released = false;
        f[0].date = date(2026, 12, 30);
    }
    let r = review_h(&iv(), &history, INDUCTION[2]).unwrap();
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
}

#[test]
fn a_hold_wins_over_start_maintenance() {
    // A 60% fall at the end of induction, but the last session's pre-dose BP was 150/95.
    let course = Course::baseline(20)
        .sessions(&INDUCTION[..5])
        .session_bp(END, 150, 95)
        .phq9(END, 8);
    let r = review_on(&iv(), &course, END);
    assert_review(&r, Suggestion::HoldForReview, &[BP]);
    // The outcome is still reported, so the clinician sees the response while reviewing.
    assert!(r.outcome.unwrap().response);
}

#[test]
fn a_hold_wins_in_maintenance_and_over_discontinue() {
    // Two stable check-ins would lengthen the interval; a C-SSRS high on the second holds.
    let course = Course::in_maintenance(8)
        .session(MAINTENANCE[0])
        .phq9(MAINTENANCE[0], 8)
        .session(MAINTENANCE[1])
        .phq9(MAINTENANCE[1], 8)
        .assess(MAINTENANCE[1], InstrumentId::CssrsScreen, cssrs("high"));
    let r = review_on(&iv(), &course, MAINTENANCE[1]);
    assert_review(&r, Suggestion::HoldForReview, &[CSSRS]);
    // Non-response at the end of induction with item 9 endorsed: hold, not discontinue.
    let course = Course::baseline(20).sessions(&INDUCTION).assess(
        END,
        InstrumentId::Phq9,
        phq9_with_item9(19, 1),
    );
    let r = review_on(&iv(), &course, END);
    assert_review(&r, Suggestion::HoldForReview, &[SUICIDE_ITEM]);
}

#[test]
fn only_a_decision_on_a_later_day_clears_a_derived_hold() {
    let finding = Course::baseline(20)
        .sessions(&INDUCTION[..5])
        .session_bp(END, 150, 95)
        .phq9(END, 8);
    let response = ("end_of_induction_response", "end_of_induction.on_response");
    // A decision before the finding does not clear it.
    let before = finding.clone().decide(INDUCTION[4], Decision::Continue);
    let r = review_on(&iv(), &before, END);
    assert_review(&r, Suggestion::HoldForReview, &[BP]);
    // Issue 13: a decision the same day does not either (with dates alone it may have come
    // before the finding: a morning decision never clears an afternoon finding).
    let same_day = finding.clone().decide(END, Decision::Continue);
    let r = review_on(&iv(), &same_day, END);
    assert_review(&r, Suggestion::HoldForReview, &[BP]);
    // A later day's decision does: the end-of-induction rule applies again.
    let day = date(2026, 12, 20);
    let cleared = finding.clone().decide(day, Decision::Continue);
    let r = review_on(&iv(), &cleared, day);
    assert_review(&r, Suggestion::StartMaintenance, &[response]);
    // Recorded on 20 December, the decision is not yet known on the 19th: without it the
    // course holds, and a history giving it on the 19th is refused (rule 9, issue 14: it used
    // to be ignored).
    let r = review_on(&iv(), &finding, date(2026, 12, 19));
    assert_review(&r, Suggestion::HoldForReview, &[BP]);
    let e = review_h(&iv(), cleared.history(), date(2026, 12, 19)).unwrap_err();
    assert!(matches!(e, SnapshotError::AfterToday { .. }), "{e}");
    // A new finding after the decision holds again, and only the new one is cited.
    let again = cleared.assess(date(2026, 12, 21), InstrumentId::CssrsScreen, cssrs("high"));
    let r = review_on(&iv(), &again, date(2026, 12, 21));
    assert_review(&r, Suggestion::HoldForReview, &[CSSRS]);
}

#[test]
fn readings_after_today_are_refused_not_ignored() {
    // Rule 9 (issue 14): a session dated after today is refused (it used to be left unseen);
    // the history as it stood that day does not hold, and on the session's day it holds.
    let course = third_session(Some((150, 95)), None);
    let e = review_h(&iv(), course.history(), INDUCTION[1]).unwrap_err();
    assert!(matches!(e, SnapshotError::AfterToday { .. }), "{e}");
    let then = super::properties::up_to(course.history(), INDUCTION[1]);
    let r = review_h(&iv(), &then, INDUCTION[1]).unwrap();
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    let r = review_on(&iv(), &course, INDUCTION[2]);
    assert_review(&r, Suggestion::HoldForReview, &[BP]);
}

#[test]
fn a_suicide_item_at_baseline_holds_until_reviewed() {
    // Baseline 25 needs item 9 > 0; without the clinician's review the course is held.
    let course =
        Course::starting(START).assess(BASELINE_DAY, InstrumentId::Phq9, phq9_with_item9(25, 1));
    let r = review_on(&iv(), &course, BASELINE_DAY);
    assert_review(&r, Suggestion::HoldForReview, &[SUICIDE_ITEM]);
    // `Course::baseline(25)` records that review, on the first day.
    let r = review_on(&iv(), &Course::baseline(25), START);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
}
