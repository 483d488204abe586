//! Issue 13's property: no sequence of nurse actions reaches a recorded dose while anything
//! holds the session. Random sequences of assessments, pre-checks, monitoring entries,
//! administrations, discharges and clinicians' releases run against the real router; before
//! every administration the session's holds and the patient's open findings are read, and the
//! administration must succeed exactly when there are none.

use crate::support::{Backend, World};
use axum::http::Method;
use cadence_app::records::Role;
use proptest::prelude::*;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
enum Step {
    /// A nurse records a PHQ-9 today with this item 9.
    Phq9(u8),
    /// A nurse records a C-SSRS screener with this risk.
    Cssrs(&'static str),
    /// A nurse records pre-checks at this blood pressure, confirmations all on or not.
    PreChecks(u16, u16, bool),
    /// A nurse records a monitoring entry.
    Monitoring { spo2: u8, moaas: u8 },
    /// A nurse records the administration.
    Administer,
    /// A clinician releases every open finding and the day's releasable gate.
    Release,
    /// A nurse records a discharge.
    Discharge,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u8..=2).prop_map(Step::Phq9),
        prop_oneof![Just("none"), Just("low"), Just("moderate"), Just("high")]
            .prop_map(Step::Cssrs),
        (100u16..=190, 60u16..=110, any::<bool>()).prop_map(|(s, d, c)| Step::PreChecks(s, d, c)),
        (80u8..=100, 1u8..=5).prop_map(|(spo2, moaas)| Step::Monitoring { spo2, moaas }),
        Just(Step::Administer),
        Just(Step::Administer),
        Just(Step::Release),
        Just(Step::Discharge),
    ]
}

fn cssrs(risk: &str) -> Value {
    match risk {
        "none" => json!([0, 0, null, null, null, 0, null]),
        "low" => json!([1, 0, null, null, null, 0, null]),
        "moderate" => json!([1, 1, 1, 0, 0, 0, null]),
        _ => json!([1, 1, 0, 1, 0, 0, null]),
    }
}

/// Runs the steps; the number of doses recorded.
async fn run(steps: Vec<Step>) -> Result<usize, TestCaseError> {
    let w = World::new(Backend::Sqlite).await;
    let session = w.session().await;
    let sp = format!("/api/v1/sessions/{session}");
    let nurse = w.token(Role::Nurse).to_owned();
    let clinician = w.token(Role::Clinician).to_owned();
    let get = |path: String, token: String| {
        let t = &w.t;
        async move { t.request(Method::GET, &path, Some(&token), None).await }
    };
    let patient = get(sp.clone(), clinician.clone()).await.json["patient_id"]
        .as_i64()
        .unwrap();
    let mut doses = 0;
    let post = |path: String, token: String, body: Value| {
        let t = &w.t;
        async move {
            t.request(Method::POST, &path, Some(&token), Some(body))
                .await
        }
    };
    for s in steps {
        match s {
            Step::Phq9(item9) => {
                let mut answers = vec![1u8; 8];
                answers.push(item9);
                post(
                    format!("/api/v1/patients/{patient}/assessments"),
                    nurse.clone(),
                    json!({"instrument": "phq9", "answers": answers}),
                )
                .await;
            }
            Step::Cssrs(risk) => {
                post(
                    format!("/api/v1/patients/{patient}/assessments"),
                    nurse.clone(),
                    json!({"instrument": "cssrs_screen", "answers": cssrs(risk)}),
                )
                .await;
            }
            Step::PreChecks(systolic, diastolic, confirmed) => {
                post(
                    format!("{sp}/pre-checks"),
                    nurse.clone(),
                    json!({
                        "identity_confirmed": confirmed, "fasting_confirmed": confirmed,
                        "transport_arranged": confirmed,
                        "bp_systolic": systolic, "bp_diastolic": diastolic
                    }),
                )
                .await;
            }
            Step::Monitoring { spo2, moaas } => {
                post(
                    format!("{sp}/monitoring"),
                    nurse.clone(),
                    json!({"spo2": spo2, "moaas": moaas}),
                )
                .await;
            }
            Step::Release => {
                let findings = get(
                    format!("/api/v1/patients/{patient}/findings"),
                    clinician.clone(),
                )
                .await;
                for f in findings.json.as_array().unwrap() {
                    if f["release"].is_null() {
                        post(
                            format!("/api/v1/findings/{}/release", f["id"]),
                            clinician.clone(),
                            json!({"note": "Reviewed in person"}),
                        )
                        .await;
                    }
                }
                post(
                    format!("{sp}/releases"),
                    clinician.clone(),
                    json!({"kind": "suicide_screen_missing", "note": "Screened verbally"}),
                )
                .await;
            }
            Step::Discharge => {
                post(
                    format!("{sp}/discharge"),
                    nurse.clone(),
                    json!({"moaas": 5, "bp_systolic": 124, "bp_diastolic": 80,
                           "clinically_stable": true, "escort_present": true}),
                )
                .await;
            }
            Step::Administer => {
                let before = get(sp.clone(), clinician.clone()).await.json;
                let findings = get(
                    format!("/api/v1/patients/{patient}/findings"),
                    clinician.clone(),
                )
                .await;
                let open = findings
                    .json
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| f["release"].is_null())
                    .count();
                let holds = before["holds"].as_array().unwrap().len();
                let dosed = !before["administration"].is_null();
                let r = post(
                    format!("{sp}/administration"),
                    nurse.clone(),
                    json!({"route": "iv_ketamine", "dose_ordered_mg": 32.0,
                           "dose_given_mg": 32.0, "lot": "P-1"}),
                )
                .await;
                if r.status.as_u16() == 200 {
                    doses += 1;
                    prop_assert_eq!(open, 0, "dosed with an open finding: {}", r.text);
                    prop_assert_eq!(holds, 0, "dosed while held: {}", r.text);
                    prop_assert!(!dosed, "dosed twice");
                }
                if (open > 0 || holds > 0) && !dosed {
                    prop_assert_eq!(r.status.as_u16(), 409, "{}", r.text);
                    prop_assert!(
                        matches!(
                            r.code(),
                            "session_held" | "pre_checks_missing" | "pre_checks_incomplete"
                        ),
                        "{}",
                        r.text
                    );
                }
            }
        }
    }
    Ok(doses)
}

/// The property is not vacuous: the plain sequence doses, and so does one after a release.
#[test]
fn the_sequences_can_reach_a_dose() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let plain = vec![
        Step::Phq9(0),
        Step::PreChecks(120, 80, true),
        Step::Administer,
    ];
    assert_eq!(runtime.block_on(run(plain)).unwrap(), 1);
    let held = vec![
        Step::Phq9(2),
        Step::PreChecks(160, 100, true),
        Step::Administer,
        Step::Release,
        Step::Administer,
    ];
    assert_eq!(runtime.block_on(run(held)).unwrap(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn no_nurse_sequence_doses_while_anything_holds_the_session(
        steps in proptest::collection::vec(step(), 1..12)
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(run(steps))?;
    }
}
