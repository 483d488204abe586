//! The checklist per route (reference section 4): conditions, medication classes, age, blood
//! pressure, failed trials, and how reasons combine into a decision.

use super::{bp, cites_a_source, clear, codes, run};
use cadence_clinical::history::BloodPressure;
use cadence_clinical::route::Route;
use cadence_clinical::screening::{
    Condition, Eligibility, MedicationClass, ReasonClass, ReasonCode, ScreeningConfig,
    ScreeningError, screen,
};

/// Written out by hand from reference section 4, not derived from the code under test.
fn expected_class(route: Route, c: Condition) -> ReasonClass {
    use Condition::*;
    match (route, c) {
        (_, KetamineHypersensitivity) => ReasonClass::Absolute,
        (
            Route::Esketamine,
            AneurysmalVascularDisease
            | ArteriovenousMalformation
            | IntracerebralHemorrhageHistory
            | ElevatedIntracranialPressure,
        ) => ReasonClass::Absolute,
        _ => ReasonClass::Relative,
    }
}

#[test]
fn every_condition_has_its_class_on_every_route() {
    for route in Route::ALL {
        for c in Condition::ALL {
            let mut input = clear(route);
            input.conditions = vec![c];
            let r = run(&input);
            assert_eq!(r.reasons.len(), 1, "{route} {c}");
            let reason = &r.reasons[0];
            assert_eq!(reason.code, ReasonCode::Condition(c));
            assert_eq!(reason.code.as_str(), c.as_str());
            assert_eq!(reason.class, expected_class(route, c), "{route} {c}");
            assert!(cites_a_source(reason), "{route} {c}: {}", reason.message);
            let expected_decision = match reason.class {
                ReasonClass::Absolute => Eligibility::NotEligible,
                _ => Eligibility::NeedsReview,
            };
            assert_eq!(r.decision, expected_decision, "{route} {c}");
        }
    }
}

#[test]
fn esketamine_only_rules_say_so_for_racemic_routes() {
    let esketamine_only = [
        Condition::AneurysmalVascularDisease,
        Condition::ArteriovenousMalformation,
        Condition::IntracerebralHemorrhageHistory,
        Condition::HypertensiveEncephalopathyHistory,
        Condition::Pregnancy,
        Condition::Breastfeeding,
        Condition::HepaticImpairmentModerate,
        Condition::HepaticImpairmentSevere,
    ];
    for route in [Route::IvKetamine, Route::ImKetamine] {
        for c in esketamine_only {
            let mut input = clear(route);
            input.conditions = vec![c];
            let message = &run(&input).reasons[0].message;
            assert!(message.contains("for esketamine"), "{message}");
            assert!(
                message.contains(&format!(
                    "no consensus rule confirmed for {}",
                    route.label()
                )),
                "{message}"
            );
            assert!(message.contains("clinician review"), "{message}");
        }
    }
}

#[test]
fn iv_rules_carry_an_im_note_on_im() {
    for c in [
        Condition::UncontrolledHypertension,
        Condition::ElevatedIntracranialPressure,
    ] {
        let mut input = clear(Route::IvKetamine);
        input.conditions = vec![c];
        let iv = run(&input).reasons[0].message.clone();
        input.route = Route::ImKetamine;
        let im = run(&input).reasons[0].message.clone();
        assert!(!iv.contains("IM ketamine"), "{iv}");
        assert!(
            im.contains("no separate rule confirmed for IM ketamine"),
            "{im}"
        );
    }
}

#[test]
fn intracerebral_haemorrhage_message_for_esketamine() {
    let mut input = clear(Route::Esketamine);
    input.conditions = vec![Condition::IntracerebralHemorrhageHistory];
    assert_eq!(
        run(&input).reasons[0].message,
        "History of intracerebral haemorrhage is a label contraindication to esketamine \
         [PI-2019-P2], [USMED-ISI]."
    );
}

#[test]
fn every_medication_class_is_relative_on_every_route() {
    for route in Route::ALL {
        for m in MedicationClass::ALL {
            let mut input = clear(route);
            input.medications = vec![m];
            let r = run(&input);
            assert_eq!(r.decision, Eligibility::NeedsReview, "{route} {m}");
            assert_eq!(r.reasons.len(), 1);
            assert_eq!(r.reasons[0].code, ReasonCode::Medication(m));
            assert_eq!(r.reasons[0].class, ReasonClass::Relative);
            assert!(cites_a_source(&r.reasons[0]), "{}", r.reasons[0].message);
        }
    }
}

#[test]
fn duplicates_are_reported_once() {
    let mut input = clear(Route::Esketamine);
    input.conditions = vec![
        Condition::Psychosis,
        Condition::Pregnancy,
        Condition::Psychosis,
    ];
    input.medications = vec![MedicationClass::Maoi, MedicationClass::Maoi];
    assert_eq!(codes(&run(&input)), ["psychosis", "pregnancy", "maoi"]);
}

// ---- age ----

#[test]
fn age_17_and_18_per_route() {
    for route in Route::ALL {
        let mut input = clear(route);
        input.age_years = Some(18);
        assert_eq!(run(&input).decision, Eligibility::Eligible, "{route}");
        input.age_years = Some(17);
        let r = run(&input);
        assert_eq!(codes(&r), ["under_18"]);
        let (class, decision) = if route == Route::Esketamine {
            (ReasonClass::Absolute, Eligibility::NotEligible)
        } else {
            (ReasonClass::Relative, Eligibility::NeedsReview)
        };
        assert_eq!(r.reasons[0].class, class, "{route}");
        assert_eq!(r.decision, decision, "{route}");
        assert!(r.reasons[0].message.contains("[PI-2019-P6]"));
        assert!(r.reasons[0].message.starts_with("Age 17"));
    }
}

#[test]
fn age_must_be_0_to_130() {
    let mut input = clear(Route::IvKetamine);
    input.age_years = Some(130);
    assert!(screen(&input, &ScreeningConfig::default()).is_ok());
    input.age_years = Some(0);
    assert_eq!(codes(&run(&input)), ["under_18"]);
    input.age_years = Some(131);
    let err = screen(&input, &ScreeningConfig::default()).unwrap_err();
    assert_eq!(err, ScreeningError::AgeOutOfRange(131));
    assert!(err.to_string().contains("age_years 131"));
    input.age_years = None;
    assert_eq!(
        screen(&input, &ScreeningConfig::default()).unwrap_err(),
        ScreeningError::AgeMissing
    );
}

#[test]
fn age_on_counts_whole_years_to_the_birthday() {
    use cadence_clinical::screening::age_on;
    use jiff::civil::date;
    assert_eq!(age_on(date(1980, 5, 17), date(2026, 5, 16)), Some(45));
    assert_eq!(age_on(date(1980, 5, 17), date(2026, 5, 17)), Some(46));
    assert_eq!(age_on(date(2009, 6, 1), date(2026, 3, 2)), Some(16));
    assert_eq!(age_on(date(2026, 3, 3), date(2026, 3, 2)), None);
}

// ---- blood pressure ----

#[test]
fn esketamine_threshold_is_above_140_over_90() {
    let mut input = clear(Route::Esketamine);
    for (reading, above) in [
        (bp(140, 90), false),
        (bp(141, 90), true),
        (bp(140, 91), true),
        (bp(160, 70), true),
        (bp(110, 95), true),
    ] {
        input.bp = Some(reading);
        let r = run(&input);
        if above {
            assert_eq!(codes(&r), ["bp_above_threshold"], "{reading:?}");
            assert_eq!(r.reasons[0].class, ReasonClass::Relative);
            assert_eq!(r.decision, Eligibility::NeedsReview);
            let m = &r.reasons[0].message;
            let shown = format!("{}/{} mmHg", reading.systolic, reading.diastolic);
            assert!(m.contains(&shown) && m.contains("140/90 mmHg"), "{m}");
            assert!(m.contains("[JNJ-BP]"), "{m}");
        } else {
            assert_eq!(r.decision, Eligibility::Eligible, "{reading:?}");
        }
    }
}

#[test]
fn missing_reading_is_not_a_reason() {
    let mut input = clear(Route::Esketamine);
    input.bp = None;
    assert_eq!(run(&input).decision, Eligibility::Eligible);
}

#[test]
fn racemic_routes_have_no_default_threshold_but_honour_the_clinics() {
    for route in [Route::IvKetamine, Route::ImKetamine] {
        assert_eq!(ScreeningConfig::default().bp_threshold(route), None);
        let mut input = clear(route);
        input.bp = Some(bp(190, 110));
        assert_eq!(run(&input).decision, Eligibility::Eligible, "{route}");

        let config = ScreeningConfig::default().with_bp_threshold(route, Some(bp(150, 95)));
        input.bp = Some(bp(150, 95));
        assert!(screen(&input, &config).unwrap().reasons.is_empty());
        input.bp = Some(bp(151, 95));
        let r = screen(&input, &config).unwrap();
        assert_eq!(codes(&r), ["bp_above_threshold"]);
        assert!(r.reasons[0].message.contains("150/95 mmHg"));
        assert!(r.reasons[0].message.contains(route.label()));
    }
    let off = ScreeningConfig::default().with_bp_threshold(Route::Esketamine, None);
    let mut input = clear(Route::Esketamine);
    input.bp = Some(bp(190, 110));
    assert!(screen(&input, &off).unwrap().reasons.is_empty());
}

#[test]
fn implausible_readings_are_errors_naming_the_field() {
    let check = |reading: BloodPressure| {
        let mut input = clear(Route::Esketamine);
        input.bp = Some(reading);
        screen(&input, &ScreeningConfig::default())
    };
    for ok in [bp(50, 20), bp(300, 200), bp(51, 50)] {
        assert!(check(ok).is_ok(), "{ok:?}");
    }
    for (wrong, field) in [
        (bp(49, 30), "bp.systolic"),
        (bp(301, 90), "bp.systolic"),
        (bp(120, 19), "bp.diastolic"),
        (bp(250, 201), "bp.diastolic"),
        (bp(90, 90), "bp.diastolic"),
        (bp(80, 120), "bp.diastolic"),
    ] {
        let err = check(wrong).unwrap_err();
        assert!(err.to_string().contains(field), "{wrong:?}: {err}");
    }
    assert_eq!(
        check(bp(80, 120)).unwrap_err(),
        ScreeningError::DiastolicNotBelowSystolic {
            systolic: 80,
            diastolic: 120
        }
    );
}

// ---- treatment history ----

#[test]
fn fewer_than_two_failed_trials_needs_review() {
    for route in Route::ALL {
        let mut input = clear(route);
        for trials in [0, 1] {
            input.failed_adequate_trials = trials;
            let r = run(&input);
            assert_eq!(codes(&r), ["trd_criteria_not_met"], "{route} {trials}");
            assert_eq!(r.reasons[0].class, ReasonClass::Relative);
            assert!(
                r.reasons[0]
                    .message
                    .contains("[SPRAVATO-TRD-CLINIC], [RYBAK-2021]")
            );
        }
        input.failed_adequate_trials = 1;
        assert!(
            run(&input).reasons[0]
                .message
                .starts_with("1 failed adequate antidepressant trial ")
        );
        input.failed_adequate_trials = 2;
        assert_eq!(run(&input).decision, Eligibility::Eligible, "{route}");
    }
}

// ---- decision precedence ----

#[test]
fn decision_precedence() {
    let mut input = clear(Route::Esketamine);
    input.rems_enrolled = Some(false);
    let r = run(&input);
    assert_eq!(r.decision, Eligibility::NeedsReview);
    assert_eq!(r.reasons[0].class, ReasonClass::Programme);
    assert!(
        r.reasons[0]
            .message
            .contains("[FDA-REMS], [SPRAVATOREMS-OUT]")
    );

    input.medications = vec![MedicationClass::Psychostimulant];
    assert_eq!(run(&input).decision, Eligibility::NeedsReview);

    input.conditions = vec![Condition::AneurysmalVascularDisease];
    let r = run(&input);
    assert_eq!(r.decision, Eligibility::NotEligible);
    let classes: Vec<_> = r.reasons.iter().map(|r| r.class).collect();
    assert_eq!(
        classes,
        [
            ReasonClass::Absolute,
            ReasonClass::Relative,
            ReasonClass::Programme
        ]
    );
}
