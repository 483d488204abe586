//! `protocol`, `plan`, `review` and `forecast`: the issue-3 contract.

use crate::{cadence, temp_file};

const HISTORY: &str = r#"{
  "start_date": "2026-12-07",
  "sessions": [
    {"date": "2026-12-07", "status": "completed", "bp_pre": {"systolic": 128, "diastolic": 82}, "moaas_discharge": 5},
    {"date": "2026-12-09", "status": "completed"},
    {"date": "2026-12-14", "status": "completed"},
    {"date": "2026-12-16", "status": "completed"},
    {"date": "2026-12-21", "status": "completed"},
    {"date": "2026-12-23", "status": "completed"}
  ],
  "assessments": [
    {"date": "2026-12-04", "instrument": "phq9", "answers": [3,3,2,2,2,2,2,2,0]},
    {"date": "2026-12-23", "instrument": "phq9", "answers": [1,1,1,1,1,1,1,1,0]}
  ],
  "decisions": []
}"#;

#[test]
fn protocol_show_and_check() {
    let v = cadence(&["protocol", "show", "iv-ketamine-6", "--json"], None).json();
    assert_eq!(v["id"], "iv-ketamine-6");
    assert_eq!(v["induction"]["sessions"], 6);
    let run = cadence(&["protocol", "show", "esketamine-label"], None);
    assert_eq!(run.code, 0);
    assert!(!run.stdout.is_empty());

    let good = temp_file(
        "p.toml",
        cadence_clinical::protocol::builtin_text("iv-ketamine-6").unwrap(),
    );
    let run = cadence(&["protocol", "check", good.to_str().unwrap()], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("ok:"), "{}", run.stdout);

    let bad_text = cadence_clinical::protocol::builtin_text("iv-ketamine-6")
        .unwrap()
        .replace("per_week = 2", "per_week = 9");
    let bad = temp_file("bad.toml", &bad_text);
    let run = cadence(&["protocol", "check", bad.to_str().unwrap()], None);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("per_week"), "{}", run.stderr);
    assert!(
        run.stderr.contains("line "),
        "problems carry their line: {}",
        run.stderr
    );
}

#[test]
fn plan_json_books_induction_on_open_days() {
    let v = cadence(
        &[
            "plan",
            "--protocol",
            "iv-ketamine-6",
            "--start",
            "2026-12-07",
            "--json",
        ],
        None,
    )
    .json();
    let sessions = v["sessions"].as_array().unwrap();
    let induction: Vec<&str> = sessions
        .iter()
        .filter(|s| s["kind"] == "induction")
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        induction,
        [
            "2026-12-07",
            "2026-12-09",
            "2026-12-14",
            "2026-12-16",
            "2026-12-21",
            "2026-12-23"
        ]
    );
    assert_eq!(sessions[0]["number"], 1);
    assert!(
        v["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "end_of_induction_review")
    );
    assert!(v["warnings"].is_array());
}

#[test]
fn plan_respects_closed_dates_and_rejects_bad_options() {
    let v = cadence(
        &[
            "plan",
            "--protocol",
            "iv-ketamine-6",
            "--start",
            "2026-12-07",
            "--closed",
            "2026-12-07",
            "--json",
        ],
        None,
    )
    .json();
    assert_eq!(v["sessions"][0]["date"], "2026-12-08");
    cadence(
        &[
            "plan",
            "--protocol",
            "iv-ketamine-6",
            "--start",
            "2026-12-07",
            "--open-days",
            "mon,funday",
        ],
        None,
    )
    .assert_invalid("funday");
    cadence(
        &["plan", "--protocol", "nope", "--start", "2026-12-07"],
        None,
    )
    .assert_invalid("nope");
    cadence(
        &[
            "plan",
            "--protocol",
            "iv-ketamine-6",
            "--start",
            "2026-12-07",
            "--tz",
            "Mars/Base",
        ],
        None,
    )
    .assert_invalid("Mars/Base");
}

#[test]
fn review_suggests_maintenance_after_a_response() {
    let path = temp_file("h.json", HISTORY);
    let v = cadence(
        &[
            "review",
            "--protocol",
            "iv-ketamine-6",
            "--history",
            path.to_str().unwrap(),
            "--today",
            "2026-12-23",
            "--json",
        ],
        None,
    )
    .json();
    // Baseline 18, end of induction 8: a 55.6% fall, a response.
    assert_eq!(v["suggestion"], "start_maintenance");
    assert_eq!(v["reasons"][0]["code"], "end_of_induction_response");
    assert_eq!(v["outcome"]["change"], -10);
    assert_eq!(v["outcome"]["status"], "response");
}

#[test]
fn forecast_json_has_ranges_and_cost() {
    let history = temp_file("h.json", HISTORY);
    let prices = temp_file(
        "prices.toml",
        "currency = \"USD\"\n[per_session]\niv_ketamine = 450.00\n",
    );
    let v = cadence(
        &[
            "forecast",
            "--protocol",
            "iv-ketamine-6",
            "--history",
            history.to_str().unwrap(),
            "--today",
            "2026-12-23",
            "--prices",
            prices.to_str().unwrap(),
            "--json",
        ],
        None,
    )
    .json();
    for key in ["remaining_induction", "maintenance", "total", "cost"] {
        let r = &v[key];
        assert!(
            r["low"].as_f64().unwrap() <= r["expected"].as_f64().unwrap(),
            "{key}"
        );
        assert!(
            r["expected"].as_f64().unwrap() <= r["high"].as_f64().unwrap(),
            "{key}"
        );
    }
    assert_eq!(v["remaining_induction"]["expected"], 0);
    assert!(!v["assumptions"].as_array().unwrap().is_empty());

    let bad = temp_file(
        "bad.toml",
        "currency = \"USD\"\n[per_session]\niv_ketamine = -5\n",
    );
    cadence(
        &[
            "forecast",
            "--protocol",
            "iv-ketamine-6",
            "--history",
            history.to_str().unwrap(),
            "--prices",
            bad.to_str().unwrap(),
        ],
        None,
    )
    .assert_invalid("line 3");
}

#[test]
fn invalid_history_is_rejected_naming_the_assessment() {
    let path = temp_file(
        "h.json",
        r#"{"start_date": "2026-12-07", "assessments": [{"date": "2026-12-04", "instrument": "phq9", "answers": [9,0,0,0,0,0,0,0,0]}]}"#,
    );
    cadence(
        &[
            "review",
            "--protocol",
            "iv-ketamine-6",
            "--history",
            path.to_str().unwrap(),
            "--today",
            "2026-12-23",
        ],
        None,
    )
    .assert_invalid("assessment 1");
}

/// Induction done, then `lengthen_interval` with no `start_maintenance` (issue 14): the three
/// commands read one snapshot, so they agree that the course is in maintenance, with six
/// induction sessions done, at the lengthened interval, and on the next date.
const LENGTHENED: &str = r#"{
  "start_date": "2026-12-07",
  "sessions": [
    {"date": "2026-12-07", "status": "completed"},
    {"date": "2026-12-09", "status": "completed"},
    {"date": "2026-12-14", "status": "completed"},
    {"date": "2026-12-16", "status": "completed"},
    {"date": "2026-12-21", "status": "completed"},
    {"date": "2026-12-23", "status": "completed"},
    {"date": "2027-01-06", "status": "completed"}
  ],
  "assessments": [
    {"date": "2026-12-04", "instrument": "phq9", "answers": [3,3,2,2,2,2,2,2,0]},
    {"date": "2026-12-23", "instrument": "phq9", "answers": [1,1,1,1,1,1,1,1,0]}
  ],
  "decisions": [{"date": "2027-01-06", "decision": "lengthen_interval"}]
}"#;

fn course_json(command: &str, history: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        command,
        "--protocol",
        "iv-ketamine-6",
        "--history",
        history.to_str().unwrap(),
        "--today",
        "2027-01-08",
        "--json",
    ];
    args.extend_from_slice(extra);
    cadence(&args, None).json()
}

#[test]
fn plan_review_and_forecast_agree_on_where_the_course_stands() {
    let path = temp_file("lengthened.json", LENGTHENED);
    let plan = course_json("plan", &path, &[]);
    let review = course_json("review", &path, &[]);
    let forecast = course_json("forecast", &path, &[]);
    assert_eq!(plan["course"], review["course"]);
    assert_eq!(plan["course"], forecast["course"]);
    let c = &plan["course"];
    assert_eq!(c["phase"], "maintenance", "{c}");
    assert_eq!(c["induction_done"], 6);
    assert_eq!(c["induction_target"], 6);
    assert_eq!(c["interval_weeks"], 3, "2 weeks lengthened by 1");
    // Session 7 took place on the decision's day, before it (at the old interval); the next
    // is three weeks on.
    assert_eq!(c["next_due"], "2027-01-27");
    let seventh = &plan["sessions"][6];
    assert_eq!(seventh["kind"], "maintenance");
    assert_eq!(forecast["remaining_induction"]["expected"], 0);
    assert!(
        !forecast["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().contains("7 of 6")),
        "{forecast}"
    );
    // With no observed return, the expected figure is the plan's count over the horizon.
    let ahead = plan["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] != "completed" && s["date"].as_str().unwrap() < "2027-07-09")
        .count();
    assert_eq!(forecast["total"]["expected"], ahead);
}

#[test]
fn the_three_commands_refuse_the_same_histories() {
    let after_today = temp_file(
        "after.json",
        &LENGTHENED.replace(
            r#"{"date": "2027-01-06", "decision": "lengthen_interval"}"#,
            r#"{"date": "2027-02-01", "decision": "lengthen_interval"}"#,
        ),
    );
    let before_start = temp_file(
        "before.json",
        &LENGTHENED.replace(
            r#"{"date": "2026-12-07", "status": "completed"}"#,
            r#"{"date": "2026-12-01", "status": "completed"}"#,
        ),
    );
    for (path, message) in [
        (&after_today, "is after today (2027-01-08)"),
        (&before_start, "before the course starts"),
    ] {
        for command in ["plan", "review", "forecast"] {
            cadence(
                &[
                    command,
                    "--protocol",
                    "iv-ketamine-6",
                    "--history",
                    path.to_str().unwrap(),
                    "--today",
                    "2027-01-08",
                ],
                None,
            )
            .assert_invalid(message);
        }
    }
}
