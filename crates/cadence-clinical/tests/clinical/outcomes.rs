//! Outcomes versus baseline, tested against issue 2 and reference section 2: the response and
//! partial-response boundaries (exactly 50% and 25%), baseline 0, every remission cut, reliable
//! change by points and by the Jacobson-Truax index, instruments without thresholds, properties
//! over every pair of totals, and golden worked examples as JSON snapshots.

use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::outcome::{
    MadrsRemission, Outcome, OutcomeConfig, OutcomeError, OutcomeStatus, ReliableChange,
    ReliableChangeRule, outcome,
};
use proptest::prelude::*;

fn with_defaults(instrument: InstrumentId, baseline: u16, current: u16) -> Outcome {
    outcome(instrument, baseline, current, &OutcomeConfig::default()).unwrap()
}

fn status(instrument: InstrumentId, baseline: u16, current: u16) -> OutcomeStatus {
    with_defaults(instrument, baseline, current).status
}

#[test]
fn exactly_50_percent_is_a_response() {
    // PHQ-9 20 -> 10 (10 is not remission).
    let o = with_defaults(InstrumentId::Phq9, 20, 10);
    assert_eq!((o.change, o.percent_change), (-10, Some(-50.0)));
    assert!(o.response);
    assert!(!o.partial_response);
    assert_eq!(o.status, OutcomeStatus::Response);
    // MADRS 40 -> 20 and 36 -> 18.
    assert_eq!(status(InstrumentId::Madrs, 40, 20), OutcomeStatus::Response);
    assert_eq!(status(InstrumentId::Madrs, 36, 18), OutcomeStatus::Response);
}

#[test]
fn just_under_50_percent_is_partial() {
    // MADRS 59 -> 30: a fall of 29/59 = 49.15%.
    let o = with_defaults(InstrumentId::Madrs, 59, 30);
    assert_eq!(o.percent_change, Some(-49.2));
    assert!(!o.response);
    assert!(o.partial_response);
    assert_eq!(o.status, OutcomeStatus::PartialResponse);
    // PHQ-9 21 -> 11: 47.6%; PHQ-9 27 -> 14: 48.1%.
    assert_eq!(
        status(InstrumentId::Phq9, 21, 11),
        OutcomeStatus::PartialResponse
    );
    assert_eq!(
        status(InstrumentId::Phq9, 27, 14),
        OutcomeStatus::PartialResponse
    );
    // And 27 -> 13 is 51.9%: a response.
    assert_eq!(status(InstrumentId::Phq9, 27, 13), OutcomeStatus::Response);
}

#[test]
fn exactly_25_percent_is_partial() {
    for (instrument, baseline, current) in [
        (InstrumentId::Phq9, 20, 15),
        (InstrumentId::Phq9, 24, 18),
        (InstrumentId::Madrs, 40, 30),
    ] {
        let o = with_defaults(instrument, baseline, current);
        assert_eq!(o.percent_change, Some(-25.0));
        assert!(
            o.partial_response && !o.response,
            "{instrument} {baseline}->{current}"
        );
        assert_eq!(o.status, OutcomeStatus::PartialResponse);
    }
}

#[test]
fn just_under_25_percent_is_non_response() {
    // MADRS 58 -> 44: 14/58 = 24.14%.
    let o = with_defaults(InstrumentId::Madrs, 58, 44);
    assert_eq!(o.percent_change, Some(-24.1));
    assert!(!o.response && !o.partial_response);
    assert_eq!(o.status, OutcomeStatus::NonResponse);
    // PHQ-9 21 -> 16: 23.8%.
    assert_eq!(
        status(InstrumentId::Phq9, 21, 16),
        OutcomeStatus::NonResponse
    );
    // No change and a rise.
    assert_eq!(
        status(InstrumentId::Phq9, 20, 20),
        OutcomeStatus::NonResponse
    );
    let worse = with_defaults(InstrumentId::Phq9, 12, 18);
    assert_eq!((worse.change, worse.percent_change), (6, Some(50.0)));
    assert_eq!(worse.status, OutcomeStatus::NonResponse);
}

#[test]
fn baseline_zero_gives_null_percent_and_no_response() {
    let o = with_defaults(InstrumentId::Gad7, 0, 0);
    assert_eq!(o.percent_change, None);
    assert!(!o.response && !o.partial_response);
    assert_eq!(o.status, OutcomeStatus::NonResponse);
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(json["percent_change"], serde_json::Value::Null);
    // A PHQ-9 of 0 stays in remission; it is still not a "response".
    let o = with_defaults(InstrumentId::Phq9, 0, 3);
    assert_eq!((o.change, o.percent_change, o.response), (3, None, false));
    assert_eq!(o.remission, Some(true));
}

#[test]
fn remission_cuts() {
    let remits = |instrument, current, config: &OutcomeConfig| {
        outcome(instrument, 30.min(max(instrument)), current, config)
            .unwrap()
            .remission
    };
    let default = OutcomeConfig::default();
    // PHQ-9 < 5.
    assert_eq!(remits(InstrumentId::Phq9, 4, &default), Some(true));
    assert_eq!(remits(InstrumentId::Phq9, 5, &default), Some(false));
    // QIDS-SR16 <= 5.
    assert_eq!(remits(InstrumentId::QidsSr16, 5, &default), Some(true));
    assert_eq!(remits(InstrumentId::QidsSr16, 6, &default), Some(false));
    // MADRS <= 10 by default.
    assert_eq!(remits(InstrumentId::Madrs, 10, &default), Some(true));
    assert_eq!(remits(InstrumentId::Madrs, 11, &default), Some(false));
    // MADRS <= 12 when selected.
    let twelve = OutcomeConfig {
        madrs_remission: MadrsRemission::AtMost12,
        ..OutcomeConfig::default()
    };
    assert_eq!(remits(InstrumentId::Madrs, 11, &twelve), Some(true));
    assert_eq!(remits(InstrumentId::Madrs, 12, &twelve), Some(true));
    assert_eq!(remits(InstrumentId::Madrs, 13, &twelve), Some(false));
    // Remission outranks response in the single status.
    let o = with_defaults(InstrumentId::Phq9, 20, 4);
    assert!(o.response);
    assert_eq!(o.status, OutcomeStatus::Remission);
    // At 5 the same patient is a responder, not remitted.
    assert_eq!(status(InstrumentId::Phq9, 20, 5), OutcomeStatus::Response);
}

fn max(instrument: InstrumentId) -> u16 {
    instrument.definition().total_range.unwrap().1
}

#[test]
fn instruments_without_a_threshold_give_null() {
    for instrument in [InstrumentId::Gad7, InstrumentId::Pcl5, InstrumentId::Wsas] {
        let o = with_defaults(instrument, 20, 2);
        assert_eq!(o.remission, None, "{instrument}");
        assert_eq!(o.status, OutcomeStatus::Response, "{instrument}");
    }
    for instrument in [
        InstrumentId::QidsSr16,
        InstrumentId::Madrs,
        InstrumentId::Pcl5,
        InstrumentId::Wsas,
    ] {
        let o = with_defaults(instrument, 20, 2);
        assert_eq!(o.reliable_change, None, "{instrument}");
        assert_eq!(o.rci, None, "{instrument}");
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(
            json["reliable_change"],
            serde_json::Value::Null,
            "{instrument}"
        );
    }
    assert_eq!(
        outcome(InstrumentId::CssrsScreen, 0, 0, &OutcomeConfig::default()),
        Err(OutcomeError::NoTotal(InstrumentId::CssrsScreen))
    );
}

#[test]
fn reliable_change_by_points() {
    let rc = |instrument, baseline, current| {
        with_defaults(instrument, baseline, current)
            .reliable_change
            .unwrap()
    };
    // PHQ-9: 6 points (IAPT).
    assert_eq!(rc(InstrumentId::Phq9, 18, 12), ReliableChange::Improved);
    assert_eq!(
        rc(InstrumentId::Phq9, 18, 13),
        ReliableChange::NoReliableChange
    );
    assert_eq!(rc(InstrumentId::Phq9, 10, 16), ReliableChange::Deteriorated);
    assert_eq!(
        rc(InstrumentId::Phq9, 10, 15),
        ReliableChange::NoReliableChange
    );
    assert_eq!(
        rc(InstrumentId::Phq9, 10, 10),
        ReliableChange::NoReliableChange
    );
    // GAD-7: 4 points (IAPT).
    assert_eq!(rc(InstrumentId::Gad7, 15, 11), ReliableChange::Improved);
    assert_eq!(
        rc(InstrumentId::Gad7, 15, 12),
        ReliableChange::NoReliableChange
    );
    assert_eq!(rc(InstrumentId::Gad7, 5, 9), ReliableChange::Deteriorated);
    assert_eq!(
        rc(InstrumentId::Gad7, 5, 8),
        ReliableChange::NoReliableChange
    );
    // A threshold configured for another instrument (PCL-5, Marx 2022: 15 points).
    let config = OutcomeConfig {
        other_reliable_change: vec![(
            InstrumentId::Pcl5,
            ReliableChangeRule::Points { points: 15 },
        )],
        ..OutcomeConfig::default()
    };
    let pcl5 = |b, c| {
        outcome(InstrumentId::Pcl5, b, c, &config)
            .unwrap()
            .reliable_change
    };
    assert_eq!(pcl5(50, 35), Some(ReliableChange::Improved));
    assert_eq!(pcl5(50, 36), Some(ReliableChange::NoReliableChange));
    assert_eq!(pcl5(20, 35), Some(ReliableChange::Deteriorated));
}

#[test]
fn jacobson_truax_gad7_worked_case() {
    // Bischoff 2020: GAD-7 r = .87 gave a reliable-change threshold of 5.59 points; with an SD
    // of 5.6 (back-solved in the reference) the minimum reliable change is
    // 1.96 × 5.6 × sqrt(2 × 0.13) = 5.597 points: a 6-point change is reliable, 5 is not.
    let (sd, r) = (5.6_f64, 0.87_f64);
    let se_diff = sd * 2f64.sqrt() * (1.0 - r).sqrt();
    let threshold = 1.96 * se_diff;
    assert!((threshold - 5.597).abs() < 0.001, "{threshold}");
    let config = OutcomeConfig {
        gad7_reliable_change: Some(ReliableChangeRule::JacobsonTruax { sd, reliability: r }),
        ..OutcomeConfig::default()
    };
    let at = |baseline, current| outcome(InstrumentId::Gad7, baseline, current, &config).unwrap();
    let rounded = |change: f64| Some((change / se_diff * 100.0).round() / 100.0);

    let six = at(15, 9);
    assert_eq!(six.reliable_change, Some(ReliableChange::Improved));
    assert_eq!(six.rci, rounded(-6.0));
    assert_eq!(six.rci, Some(-2.1));
    let five = at(15, 10);
    assert_eq!(five.reliable_change, Some(ReliableChange::NoReliableChange));
    assert_eq!(five.rci, Some(-1.75));
    assert_eq!(
        at(9, 15).reliable_change,
        Some(ReliableChange::Deteriorated)
    );
    assert_eq!(
        at(10, 15).reliable_change,
        Some(ReliableChange::NoReliableChange)
    );
}

#[test]
fn unusable_parameters_are_errors_with_a_message() {
    let config = OutcomeConfig {
        gad7_reliable_change: Some(ReliableChangeRule::JacobsonTruax {
            sd: 0.0,
            reliability: 0.87,
        }),
        ..OutcomeConfig::default()
    };
    let e = outcome(InstrumentId::Gad7, 10, 5, &config).unwrap_err();
    assert!(matches!(e, OutcomeError::RciParameters { .. }));
    assert!(e.to_string().contains("SD 0 and reliability 0.87"), "{e}");
    let thresholds = OutcomeConfig {
        partial_percent: 50,
        ..OutcomeConfig::default()
    };
    assert_eq!(
        outcome(InstrumentId::Phq9, 10, 5, &thresholds),
        Err(OutcomeError::Thresholds {
            partial: 50,
            response: 50
        })
    );
    assert_eq!(
        outcome(InstrumentId::Phq9, 28, 5, &OutcomeConfig::default())
            .unwrap_err()
            .to_string(),
        "baseline total 28 is out of range for phq9; allowed 0-27"
    );
    assert_eq!(
        outcome(InstrumentId::Gad7, 10, 22, &OutcomeConfig::default())
            .unwrap_err()
            .to_string(),
        "current total 22 is out of range for gad7; allowed 0-21"
    );
}

proptest! {
    /// Every pair of PHQ-9 or MADRS totals: the flags agree with exact integer arithmetic and
    /// with each other.
    #[test]
    fn response_rules_hold_for_every_pair(
        madrs in any::<bool>(),
        baseline in 0..=60_u16,
        current in 0..=60_u16,
    ) {
        let (instrument, cap) = if madrs { (InstrumentId::Madrs, 60) } else { (InstrumentId::Phq9, 27) };
        let (baseline, current) = (baseline.min(cap), current.min(cap));
        let o = with_defaults(instrument, baseline, current);
        let fall = i64::from(baseline) - i64::from(current);
        let b = i64::from(baseline);
        prop_assert_eq!(o.change, -i32::try_from(fall).unwrap());
        prop_assert_eq!(o.response, b > 0 && 2 * fall >= b);
        prop_assert_eq!(o.partial_response, b > 0 && 4 * fall >= b && 2 * fall < b);
        prop_assert!(!(o.response && o.partial_response));
        prop_assert_eq!(o.percent_change.is_none(), baseline == 0);
        let cut = if madrs { 10 } else { 4 };
        prop_assert_eq!(o.remission, Some(current <= cut));
        let expected = if current <= cut {
            OutcomeStatus::Remission
        } else if o.response {
            OutcomeStatus::Response
        } else if o.partial_response {
            OutcomeStatus::PartialResponse
        } else {
            OutcomeStatus::NonResponse
        };
        prop_assert_eq!(o.status, expected);
    }
}

#[test]
fn golden_outcomes() {
    let config = OutcomeConfig {
        gad7_reliable_change: Some(ReliableChangeRule::JacobsonTruax {
            sd: 5.6,
            reliability: 0.87,
        }),
        ..OutcomeConfig::default()
    };
    let examples = [
        // PHQ-9 22 -> 9: fall 13 = 59.1%, response, reliable improvement (>= 6), not < 5.
        outcome(InstrumentId::Phq9, 22, 9, &OutcomeConfig::default()).unwrap(),
        // PHQ-9 18 -> 3: remission.
        outcome(InstrumentId::Phq9, 18, 3, &OutcomeConfig::default()).unwrap(),
        // MADRS 32 -> 22: 31.3%, partial; no reliable-change rule, so null.
        outcome(InstrumentId::Madrs, 32, 22, &OutcomeConfig::default()).unwrap(),
        // GAD-7 15 -> 9 with the Jacobson-Truax rule: RCI -2.1, improved; no remission cut.
        outcome(InstrumentId::Gad7, 15, 9, &config).unwrap(),
        // QIDS-SR16 0 -> 4: baseline 0, null percent, remission.
        outcome(InstrumentId::QidsSr16, 0, 4, &OutcomeConfig::default()).unwrap(),
    ];
    assert_eq!(examples[0].percent_change, Some(-59.1));
    assert_eq!(examples[2].percent_change, Some(-31.3));
    insta::assert_json_snapshot!("outcomes_worked_examples", examples);
}

#[test]
fn session_measures_have_no_outcome_versus_baseline() {
    // MOAA/S falls as sedation deepens and CADSS rates one session: a "fall from baseline"
    // would read as a response, so both are refused with a message naming the symptom scales.
    for instrument in [InstrumentId::Moaas, InstrumentId::Cadss] {
        let err = outcome(instrument, 5, 2, &OutcomeConfig::default()).unwrap_err();
        assert_eq!(err, OutcomeError::SessionMeasure(instrument));
        assert!(err.to_string().contains("phq9"), "{err}");
    }
}
