//! Safety holds (PRODUCT.md "Safety holds"; both built-in protocols): a pre-dose blood pressure
//! above 140/90 [JNJ-BP], PHQ-9 item 9 > 0 [MII-PROMS], C-SSRS moderate or high risk
//! [CSSRS-TRIAGE], and a discharge MOAA/S below 5 [THORAX-MOAAS] hold the course for clinician
//! review. A hold wins over every other suggestion, and a clinician's decision recorded on or
//! after the finding clears it.

use super::*;

const BP: (&str, &str) = ("bp_above_threshold", "safety.bp_max");
const SUICIDE_ITEM: (&str, &str) = ("suicide_risk_flag", "safety.hold_on_suicide_risk");
const CSSRS: (&str, &str) = ("cssrs_risk", "safety.hold_on_cssrs");
const SEDATION: (&str, &str) = ("sedation_not_resolved", "safety.discharge_min_moaas");
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
            r.reasons[0]
                .message
                .contains(&format!("{systolic}/{diastolic} on 2026-12-08")),
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
fn sedation_not_resolved_at_discharge_holds() {
    for level in [4, 2, 0] {
        let r = review_on(&iv(), &third_session(None, Some(level)), INDUCTION[2]);
        assert_review(&r, Suggestion::HoldForReview, &[SEDATION]);
        assert!(
            r.reasons[0]
                .message
                .contains(&format!("was {level}, below")),
            "{r:#?}"
        );
    }
    let r = review_on(
        &iv(),
        &third_session(Some((130, 85)), Some(5)),
        INDUCTION[2],
    );
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
}

#[test]
fn thresholds_come_from_the_protocol() {
    let mut p = iv();
    p.safety.bp_max = None;
    p.safety.discharge_min_moaas = None;
    p.safety.hold_on_suicide_risk = false;
    let course = third_session(Some((170, 100)), Some(3)).assess(
        INDUCTION[2],
        InstrumentId::Phq9,
        phq9_with_item9(10, 2),
    );
    let r = review_on(&p, &course, INDUCTION[2]);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
    // The built-in protocol holds on all three, sessions first, then assessments.
    let r = review_on(&iv(), &course, INDUCTION[2]);
    assert_review(&r, Suggestion::HoldForReview, &[BP, SEDATION, SUICIDE_ITEM]);
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
fn a_decision_recorded_on_or_after_the_finding_clears_the_hold() {
    let finding = Course::baseline(20)
        .sessions(&INDUCTION[..5])
        .session_bp(END, 150, 95)
        .phq9(END, 8);
    let response = ("end_of_induction_response", "end_of_induction.on_response");
    // A decision before the finding does not clear it.
    let before = finding.clone().decide(INDUCTION[4], Decision::Continue);
    let r = review_on(&iv(), &before, END);
    assert_review(&r, Suggestion::HoldForReview, &[BP]);
    // The clinician reviews it the same day, or later: the end-of-induction rule applies again.
    for day in [END, date(2026, 12, 20)] {
        let cleared = finding.clone().decide(day, Decision::Continue);
        let r = review_on(&iv(), &cleared, day);
        assert_review(&r, Suggestion::StartMaintenance, &[response]);
    }
    // Recorded on 20 December, the decision is not yet known on the 19th.
    let later = finding
        .clone()
        .decide(date(2026, 12, 20), Decision::Continue);
    let r = review_on(&iv(), &later, date(2026, 12, 19));
    assert_review(&r, Suggestion::HoldForReview, &[BP]);
    // A new finding after the decision holds again, and only the new one is cited.
    let again = finding.decide(END, Decision::Continue).record(
        date(2026, 12, 21),
        SessionStatus::Cancelled,
        None,
        Some(4),
    );
    let r = review_on(&iv(), &again, date(2026, 12, 21));
    assert_review(&r, Suggestion::HoldForReview, &[SEDATION]);
}

#[test]
fn findings_after_today_are_not_seen() {
    let course = third_session(Some((150, 95)), None);
    let r = review_on(&iv(), &course, INDUCTION[1]);
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
    // `Course::baseline(25)` records that review.
    let r = review_on(&iv(), &Course::baseline(25), BASELINE_DAY);
    assert_review(&r, Suggestion::Continue, &[IN_PROGRESS]);
}
