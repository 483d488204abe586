//! Properties: the Maudsley score stays in 3-15 and never falls with more failed
//! antidepressants; more findings never make screening less restrictive.

use super::{bp, cites_a_source, msm, run};
use cadence_clinical::maudsley::{MaudsleyBand, Severity};
use cadence_clinical::route::Route;
use cadence_clinical::screening::{Condition, Eligibility, MedicationClass, ScreeningInput};
use proptest::prelude::*;

fn any_condition() -> impl Strategy<Value = Condition> {
    prop::sample::select(Condition::ALL.to_vec())
}

fn any_medication() -> impl Strategy<Value = MedicationClass> {
    prop::sample::select(MedicationClass::ALL.to_vec())
}

fn any_input() -> impl Strategy<Value = ScreeningInput> {
    (
        prop::sample::select(Route::ALL.to_vec()),
        0u16..=130,
        prop::collection::vec(any_condition(), 0..5),
        prop::collection::vec(any_medication(), 0..3),
        prop::option::of((100u16..=200, 50u16..=99)),
        0u16..=5,
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(route, age, conditions, medications, reading, trials, rems)| ScreeningInput {
                route,
                age_years: Some(age),
                conditions,
                medications,
                bp: reading.map(|(s, d)| bp(s, d)),
                failed_adequate_trials: trials,
                maudsley: None,
                rems_enrolled: rems,
            },
        )
}

fn any_severity() -> impl Strategy<Value = Severity> {
    prop::sample::select(Severity::ALL.to_vec())
}

proptest! {
    #[test]
    fn maudsley_score_is_always_3_to_15(
        months in 0u16..=600,
        severity in any_severity(),
        failed in 1u16..=60,
        aug: bool,
        ect: bool,
    ) {
        let score = msm(months, severity, failed, aug, ect);
        prop_assert!((3..=15).contains(&score));
        prop_assert!(MaudsleyBand::for_score(score).is_some());
    }

    #[test]
    fn more_failed_antidepressants_never_lower_the_score(
        months in 0u16..=600,
        severity in any_severity(),
        failed in 1u16..=60,
        more in 0u16..=20,
        aug: bool,
        ect: bool,
    ) {
        prop_assert!(
            msm(months, severity, failed + more, aug, ect) >= msm(months, severity, failed, aug, ect)
        );
    }

    #[test]
    fn adding_a_condition_never_relaxes_the_decision(input in any_input(), c in any_condition()) {
        let before = run(&input).decision;
        let mut more = input.clone();
        more.conditions.push(c);
        prop_assert!(run(&more).decision >= before);
    }

    #[test]
    fn adding_a_medication_never_relaxes_the_decision(input in any_input(), m in any_medication()) {
        let before = run(&input).decision;
        let mut more = input.clone();
        more.medications.push(m);
        prop_assert!(run(&more).decision >= before);
    }

    #[test]
    fn reasons_are_ordered_and_match_the_decision(input in any_input()) {
        let r = run(&input);
        prop_assert!(r.reasons.windows(2).all(|w| w[0].class <= w[1].class));
        prop_assert_eq!(r.decision, Eligibility::from_reasons(&r.reasons));
        let mut seen = std::collections::HashSet::new();
        prop_assert!(r.reasons.iter().all(|reason| seen.insert(reason.code)));
        prop_assert!(r.reasons.iter().all(cites_a_source));
    }
}
