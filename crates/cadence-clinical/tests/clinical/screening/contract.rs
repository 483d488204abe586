//! The JSON contract of `cadence screen`: what it reads and what it prints.

use super::run;
use cadence_clinical::screening::{ScreeningInput, ScreeningResult};
use serde_json::json;

#[test]
fn json_golden_example() {
    let input: ScreeningInput = serde_json::from_value(json!({
        "route": "esketamine",
        "age_years": 34,
        "conditions": ["psychosis"],
        "medications": ["benzodiazepine"],
        "bp": {"systolic": 150, "diastolic": 85},
        "failed_adequate_trials": 3,
        "maudsley": {
            "duration_months": 18,
            "severity": "moderate",
            "failed_antidepressants": 3,
            "augmentation": true,
            "ect": false
        }
    }))
    .unwrap();
    let result = run(&input);
    let expected = json!({
        "decision": "needs_review",
        "reasons": [
            {
                "code": "psychosis",
                "class": "relative",
                "message": "Psychosis (current or past) excluded patients from the esketamine \
                            phase-3 trials: treat only if benefit outweighs risk [PI-2019-P5], \
                            [JNJ-DISSOC]."
            },
            {
                "code": "benzodiazepine",
                "class": "relative",
                "message": "Concomitant benzodiazepine use: CNS depressants add to sedation and \
                            respiratory depression; monitor closely [PI-2019-P5], \
                            [JNJ-PMF-VIDEO]."
            },
            {
                "code": "bp_above_threshold",
                "class": "relative",
                "message": "Pre-treatment blood pressure 150/85 mmHg is above the esketamine \
                            threshold of 140/90 mmHg: decide whether to delay or proceed \
                            [JNJ-BP]."
            }
        ],
        "maudsley": {"score": 8, "band": "moderate"}
    });
    let actual = serde_json::to_value(&result).unwrap();
    assert_eq!(actual, expected);
    let back: ScreeningResult = serde_json::from_value(actual).unwrap();
    assert_eq!(back, result);
}

#[test]
fn maudsley_is_omitted_when_not_given() {
    let input: ScreeningInput = serde_json::from_value(json!({
        "route": "im_ketamine",
        "age_years": 52,
        "failed_adequate_trials": 2
    }))
    .unwrap();
    assert!(input.conditions.is_empty() && input.medications.is_empty() && input.bp.is_none());
    let actual = serde_json::to_value(run(&input)).unwrap();
    assert_eq!(actual, json!({"decision": "eligible", "reasons": []}));
}

#[test]
fn input_rejects_unknown_fields_and_ids() {
    let base = json!({"route": "esketamine", "age_years": 40, "failed_adequate_trials": 2});
    assert!(serde_json::from_value::<ScreeningInput>(base.clone()).is_ok());
    for (key, value) in [
        ("weight_kg", json!(70)),
        ("conditions", json!(["stroke"])),
        ("medications", json!(["ssri"])),
        ("bp", json!({"systolic": 120, "diastolic": 80, "pulse": 70})),
        (
            "maudsley",
            json!({"duration_months": 1, "severity": "extreme", "failed_antidepressants": 1,
                   "augmentation": false, "ect": false}),
        ),
        (
            "maudsley",
            json!({"duration_months": 1, "severity": "mild", "failed_antidepressants": 1}),
        ),
    ] {
        let mut v = base.clone();
        v[key] = value;
        assert!(
            serde_json::from_value::<ScreeningInput>(v).is_err(),
            "{key}"
        );
    }
    let no_route = json!({"age_years": 40, "failed_adequate_trials": 2});
    assert!(serde_json::from_value::<ScreeningInput>(no_route).is_err());
}
