//! `score`, `outcome`, `screen` and `instruments`: the issue-2 contract.

use crate::{cadence, temp_file};

#[test]
fn score_json_has_the_contract_fields() {
    let v = cadence(
        &["score", "phq9", "--answers", "3,3,2,2,2,2,2,2,1", "--json"],
        None,
    )
    .json();
    assert_eq!(v["instrument"], "phq9");
    assert_eq!(v["total"], 19);
    assert_eq!(v["max"], 27);
    assert_eq!(v["band"], "moderately_severe");
    assert_eq!(v["critical_items"], serde_json::json!([9]));
    assert_eq!(v["flags"], serde_json::json!(["suicide_risk"]));
    assert_eq!(v["subscales"], serde_json::json!({}));
    assert!(v.get("risk").is_none() && v.get("provisional_ptsd").is_none());
}

#[test]
fn score_cssrs_takes_dashes_for_skipped_items() {
    let v = cadence(
        &[
            "score",
            "cssrs_screen",
            "--answers",
            "1,1,0,1,0,0,-",
            "--json",
        ],
        None,
    )
    .json();
    assert_eq!(v["total"], serde_json::Value::Null);
    assert_eq!(v["band"], serde_json::Value::Null);
    assert_eq!(v["risk"], "high");
    assert_eq!(v["flags"], serde_json::json!(["suicide_risk"]));
}

#[test]
fn score_pcl5_reports_provisional_ptsd_and_clusters() {
    let answers = "2,0,0,0,0,2,0,2,2,0,0,0,0,0,2,2,0,0,0,0";
    let v = cadence(&["score", "pcl5", "--answers", answers, "--json"], None).json();
    assert_eq!(v["total"], 12);
    assert_eq!(v["provisional_ptsd"], true);
    assert_eq!(
        v["subscales"],
        serde_json::json!({"B": 2, "C": 2, "D": 4, "E": 4})
    );
    assert_eq!(v["flags"], serde_json::json!([]));
}

#[test]
fn score_text_summary_is_for_people() {
    let run = cadence(&["score", "gad7", "--answers", "1,1,1,1,1,0,0"], None);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("total 5 of 21"), "{}", run.stdout);
    assert!(run.stdout.contains("mild"), "{}", run.stdout);
}

#[test]
fn score_rejects_invalid_answers_with_exit_2_and_one_line() {
    cadence(&["score", "phq9", "--answers", "1,1,1"], None).assert_invalid("9 or 10");
    cadence(&["score", "phq9", "--answers", "0,0,0,0,0,0,0,0,4"], None)
        .assert_invalid("item9: 4 is out of range; allowed 0-3");
    cadence(
        &["score", "cssrs_screen", "--answers", "0,0,1,-,-,0,-"],
        None,
    )
    .assert_invalid("q3 is not asked when q2 is no");
    cadence(&["score", "gad7", "--answers", "1,x,1,1,1,1,1"], None).assert_invalid("item 2");
    cadence(&["score", "nope", "--answers", "1"], None).assert_invalid("nope");
}

#[test]
fn outcome_json_has_the_contract_fields() {
    let v = cadence(
        &[
            "outcome",
            "phq9",
            "--baseline",
            "20",
            "--current",
            "10",
            "--json",
        ],
        None,
    )
    .json();
    assert_eq!(v["change"], -10);
    assert_eq!(v["percent_change"], -50.0);
    assert_eq!(v["response"], true);
    assert_eq!(v["partial_response"], false);
    assert_eq!(v["remission"], false);
    assert_eq!(v["reliable_change"], "improved");
    assert_eq!(v["status"], "response");
}

#[test]
fn outcome_madrs_remission_cut_is_selectable() {
    let at = |cut: &str| {
        cadence(
            &[
                "outcome",
                "madrs",
                "--baseline",
                "30",
                "--current",
                "12",
                "--madrs-remission",
                cut,
                "--json",
            ],
            None,
        )
        .json()["remission"]
            .clone()
    };
    assert_eq!(at("10"), false);
    assert_eq!(at("12"), true);
}

#[test]
fn outcome_rejects_out_of_range_totals() {
    cadence(
        &["outcome", "phq9", "--baseline", "28", "--current", "3"],
        None,
    )
    .assert_invalid("baseline total 28 is out of range");
    cadence(
        &[
            "outcome",
            "cssrs_screen",
            "--baseline",
            "1",
            "--current",
            "0",
        ],
        None,
    )
    .assert_invalid("no total");
}

#[test]
fn screen_reads_a_file_or_stdin() {
    let input = r#"{"route": "esketamine", "age_years": 44, "conditions": ["intracerebral_hemorrhage_history"],
        "medications": ["benzodiazepine"], "bp": {"systolic": 150, "diastolic": 85},
        "failed_adequate_trials": 3,
        "maudsley": {"duration_months": 30, "severity": "severe", "failed_antidepressants": 4, "augmentation": true, "ect": false}}"#;
    let path = temp_file("screen.json", input);
    let v = cadence(
        &["screen", "--input", path.to_str().unwrap(), "--json"],
        None,
    )
    .json();
    assert_eq!(v["decision"], "not_eligible");
    let codes: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "intracerebral_hemorrhage_history",
            "benzodiazepine",
            "bp_above_threshold"
        ]
    );
    assert_eq!(v["reasons"][0]["class"], "absolute");
    // 3 (chronic) + 4 (severe) + 2 (3-4 failures) + 1 (augmentation) = 10: moderate.
    assert_eq!(
        v["maudsley"],
        serde_json::json!({"score": 10, "band": "moderate"})
    );

    let v = cadence(&["screen", "--input", "-", "--json"], Some(
        r#"{"route": "iv_ketamine", "age_years": 40, "conditions": [], "medications": [], "failed_adequate_trials": 2}"#,
    ))
    .json();
    assert_eq!(v["decision"], "eligible");
    assert_eq!(v["reasons"], serde_json::json!([]));
    assert!(v.get("maudsley").is_none());
}

#[test]
fn screen_rejects_unknown_fields_and_codes() {
    cadence(&["screen", "--input", "-"], Some(r#"{"route": "esketamine", "age_years": 40, "conditions": ["flu"], "medications": [], "failed_adequate_trials": 2}"#))
        .assert_invalid("flu");
    cadence(&["screen", "--input", "/nonexistent/x.json"], None).assert_invalid("cannot read");
}

#[test]
fn instruments_lists_every_instrument_with_licence() {
    let v = cadence(&["instruments", "--json"], None).json();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "phq9",
            "gad7",
            "qids_sr16",
            "pcl5",
            "madrs",
            "wsas",
            "cadss",
            "moaas",
            "cssrs_screen"
        ]
    );
    for d in v.as_array().unwrap() {
        let ships = d["licence"]["ships_item_text"].as_bool().unwrap();
        let has_text = d["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| !i["text"].is_null());
        assert_eq!(
            ships, has_text,
            "{}: wording ships only where licensed",
            d["id"]
        );
    }
}
