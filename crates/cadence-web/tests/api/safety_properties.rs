//! Issue 13's property: no sequence of nurse actions reaches a recorded dose while a finding or
//! gate holds the session. Random sequences of nurse actions (assessments, pre-checks,
//! monitoring entries, administrations, discharges) run against the real router on every
//! backend. The oracle is a model of the built-in IV protocol's rules computed from the steps
//! themselves, not the service's own holds: PHQ-9 item 9 above 0, a C-SSRS screener at
//! moderate or high risk, a pre-dose blood pressure above 140/90, an in-session SpO2 below 90%
//! or MOAA/S at or below 3 each open a finding that only a clinician's release ends (and no
//! clinician acts in these sequences); no PHQ-9 or C-SSRS today, no pre-checks, or latest
//! pre-checks without identity and transport confirmed, refuse the dose. An administration
//! must be refused while the model holds, and recorded (once) when it does not.

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
    /// A clinician releases every open finding and the day's releasable gate (only in the
    /// fixed sequences that show the property is not vacuous; never in the random ones).
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

/// What the steps so far say about the session, by the built-in IV protocol's rules.
#[derive(Debug, Default)]
struct Model {
    /// A finding raised and not released.
    open_finding: bool,
    /// A PHQ-9 or C-SSRS taken today, or the gate released.
    screened: bool,
    /// Pre-checks recorded.
    pre_checked: bool,
    /// The latest pre-checks confirm identity and transport (IV asks no fasting).
    confirmed: bool,
    dosed: bool,
    completed: bool,
}

impl Model {
    /// Why the dose must be refused now, if it must.
    fn refusal(&self) -> Option<&'static str> {
        if self.completed {
            Some("the session is over")
        } else if self.dosed {
            Some("already dosed")
        } else if !self.pre_checked {
            Some("no pre-checks")
        } else if !self.confirmed {
            Some("pre-checks unconfirmed")
        } else if self.open_finding {
            Some("an open finding")
        } else if !self.screened {
            Some("no suicide screen today")
        } else {
            None
        }
    }
}

/// Runs the steps on `backend`; the number of doses recorded.
async fn run(backend: Backend, steps: Vec<Step>) -> Result<usize, TestCaseError> {
    let w = World::new(backend).await;
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
    let mut model = Model::default();
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
                let r = post(
                    format!("/api/v1/patients/{patient}/assessments"),
                    nurse.clone(),
                    json!({"instrument": "phq9", "answers": answers}),
                )
                .await;
                prop_assert_eq!(r.status.as_u16(), 201, "{}", r.text);
                model.screened = true;
                model.open_finding |= item9 > 0;
            }
            Step::Cssrs(risk) => {
                let r = post(
                    format!("/api/v1/patients/{patient}/assessments"),
                    nurse.clone(),
                    json!({"instrument": "cssrs_screen", "answers": cssrs(risk)}),
                )
                .await;
                prop_assert_eq!(r.status.as_u16(), 201, "{}", r.text);
                model.screened = true;
                model.open_finding |= matches!(risk, "moderate" | "high");
            }
            Step::PreChecks(systolic, diastolic, confirmed) => {
                let r = post(
                    format!("{sp}/pre-checks"),
                    nurse.clone(),
                    json!({
                        "identity_confirmed": confirmed, "fasting_confirmed": confirmed,
                        "transport_arranged": confirmed,
                        "bp_systolic": systolic, "bp_diastolic": diastolic
                    }),
                )
                .await;
                // Pre-checks are refused once the dose is recorded or the session over, and
                // for a diastolic pressure not below the systolic (a data-entry error).
                let accepted = !model.dosed && !model.completed && diastolic < systolic;
                prop_assert_eq!(r.status.as_u16() == 200, accepted, "{}", r.text);
                if accepted {
                    model.pre_checked = true;
                    model.confirmed = confirmed;
                    model.open_finding |= systolic > 140 || diastolic > 90;
                }
            }
            Step::Monitoring { spo2, moaas } => {
                let r = post(
                    format!("{sp}/monitoring"),
                    nurse.clone(),
                    json!({"spo2": spo2, "moaas": moaas}),
                )
                .await;
                if r.status.as_u16() == 201 {
                    model.open_finding |= spo2 < 90 || moaas <= 3;
                }
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
                model.open_finding = false;
                model.screened = true;
            }
            Step::Discharge => {
                let r = post(
                    format!("{sp}/discharge"),
                    nurse.clone(),
                    json!({"moaas": 5, "bp_systolic": 124, "bp_diastolic": 80,
                           "clinically_stable": true, "escort_present": true}),
                )
                .await;
                if r.status.as_u16() == 200 {
                    prop_assert!(model.dosed, "discharged without a dose: {}", r.text);
                    model.completed = true;
                }
            }
            Step::Administer => {
                let r = post(
                    format!("{sp}/administration"),
                    nurse.clone(),
                    json!({"route": "iv_ketamine", "dose_ordered_mg": 32.0,
                           "dose_given_mg": 32.0, "lot": "P-1"}),
                )
                .await;
                match model.refusal() {
                    Some(why) => {
                        prop_assert_eq!(
                            r.status.as_u16(),
                            409,
                            "dosed although the model holds ({}): {}",
                            why,
                            r.text
                        );
                    }
                    None => {
                        prop_assert_eq!(
                            r.status.as_u16(),
                            200,
                            "refused although nothing holds: {}",
                            r.text
                        );
                        doses += 1;
                        model.dosed = true;
                    }
                }
            }
        }
    }
    let recorded = get(sp.clone(), clinician.clone()).await.json;
    prop_assert_eq!(!recorded["administration"].is_null(), model.dosed);
    Ok(doses)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn backends() -> Vec<Backend> {
    [Backend::Sqlite, Backend::Postgres]
        .into_iter()
        .filter(|b| b.is_available())
        .collect()
}

/// The property is not vacuous: the plain sequence doses, and so does one after a release,
/// on every backend.
#[test]
fn the_sequences_can_reach_a_dose() {
    let runtime = runtime();
    for backend in backends() {
        let plain = vec![
            Step::Phq9(0),
            Step::PreChecks(120, 80, true),
            Step::Administer,
        ];
        assert_eq!(runtime.block_on(run(backend, plain)).unwrap(), 1);
        let held = vec![
            Step::Phq9(2),
            Step::PreChecks(160, 100, true),
            Step::Administer,
            Step::Release,
            Step::Administer,
        ];
        assert_eq!(runtime.block_on(run(backend, held)).unwrap(), 1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn no_nurse_sequence_doses_while_the_model_holds_sqlite(
        steps in proptest::collection::vec(step(), 1..12)
    ) {
        runtime().block_on(run(Backend::Sqlite, steps))?;
    }
}

proptest! {
    // Fewer cases on PostgreSQL: each makes a fresh database.
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn no_nurse_sequence_doses_while_the_model_holds_postgres(
        steps in proptest::collection::vec(step(), 1..12)
    ) {
        if Backend::Postgres.is_available() {
            runtime().block_on(run(Backend::Postgres, steps))?;
        }
    }
}
