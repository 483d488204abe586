//! The guards of one treatment session: the gates before a dose, the pre-dose confirmations,
//! the dose-record checks and the discharge criteria. Pure functions of the protocol and what
//! was recorded; the service enforces them (issue 13 §3, §6, §8).

use super::finding::{FindingDraft, FindingKind, Severity};
use crate::history::BloodPressure;
use crate::instrument::InstrumentId;
use crate::protocol::{DoseCheck, Protocol, Safety};
use crate::route::Route;
use jiff::Timestamp;
use serde::Serialize;

/// What the gates before a dose read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateInputs<'a> {
    /// The course's route.
    pub route: Route,
    /// Instruments taken on the session day so far.
    pub taken_today: &'a [InstrumentId],
    /// Whether the patient has a recorded REMS enrolment.
    pub rems_enrolled: bool,
}

/// The gates a session fails now, as findings (derived, not stored: they end when the missing
/// record arrives, or, for the suicide screen, when a clinician releases the session).
pub fn session_gates(safety: &Safety, inputs: GateInputs<'_>) -> Vec<FindingDraft> {
    let mut out = Vec::new();
    if !safety.suicide_screens.is_empty()
        && !safety
            .suicide_screens
            .iter()
            .any(|i| inputs.taken_today.contains(i))
    {
        let names: Vec<&str> = safety.suicide_screens.iter().map(|i| i.name()).collect();
        out.push(FindingDraft {
            kind: FindingKind::SuicideScreenMissing,
            severity: Severity::Moderate,
            detail: format!(
                "No suicide screen ({}) has been taken today: record one before dosing, or a \
                 clinician releases the session",
                names.join(" or ")
            ),
        });
    }
    if inputs.route == Route::Esketamine && !inputs.rems_enrolled {
        out.push(FindingDraft {
            kind: FindingKind::RemsEnrolmentMissing,
            severity: Severity::High,
            detail: "The SPRAVATO REMS requires enrolment before the first dose: record the \
                     patient's REMS enrolment"
                .to_owned(),
        });
    }
    out
}

/// Pre-dose confirmations as recorded at pre-checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmations {
    /// Identity confirmed.
    pub identity: bool,
    /// Fasting as instructed.
    pub fasting: bool,
    /// Transport home arranged.
    pub transport: bool,
}

/// What the latest pre-checks leave unconfirmed that dosing needs: identity always, transport
/// home always (no driving until the next day [SPRAVATOHCP-TRD]; a programme rule for both
/// routes, reference section 4), fasting where the protocol requires it.
pub fn unconfirmed(c: Confirmations, safety: &Safety) -> Vec<&'static str> {
    let mut out = Vec::new();
    if !c.identity {
        out.push("identity");
    }
    if safety.fasting_required && !c.fasting {
        out.push("fasting");
    }
    if !c.transport {
        out.push("transport home");
    }
    out
}

/// A recorded dose that departs from the order or the label: it needs an explicit
/// confirmation with a reason, and stays flagged on the record.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DoseFlag {
    /// The dose given differs from the dose ordered.
    DiffersFromOrder {
        /// Ordered, mg.
        ordered_mg: f64,
        /// Given, mg.
        given_mg: f64,
    },
    /// The dose is not one the product comes in (esketamine: 56 or 84 mg).
    NotAProductDose {
        /// Given, mg.
        given_mg: f64,
        /// The product's doses, mg.
        allowed_mg: Vec<u16>,
    },
    /// A first session above the label's first-session dose (esketamine day 1: 56 mg).
    FirstSessionAbove {
        /// Given, mg.
        given_mg: f64,
        /// The most a first session may be, mg.
        max_mg: u16,
    },
}

impl DoseFlag {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DoseFlag::DiffersFromOrder { .. } => "differs_from_order",
            DoseFlag::NotAProductDose { .. } => "not_a_product_dose",
            DoseFlag::FirstSessionAbove { .. } => "first_session_above",
        }
    }

    /// In words, for the nurse and the record.
    pub fn message(&self) -> String {
        match self {
            DoseFlag::DiffersFromOrder {
                ordered_mg,
                given_mg,
            } => format!("{given_mg} mg given differs from {ordered_mg} mg ordered"),
            DoseFlag::NotAProductDose {
                given_mg,
                allowed_mg,
            } => {
                let doses: Vec<String> = allowed_mg.iter().map(|m| format!("{m} mg")).collect();
                format!(
                    "{given_mg} mg is not a dose of this product ({})",
                    doses.join(" or ")
                )
            }
            DoseFlag::FirstSessionAbove { given_mg, max_mg } => {
                format!("{given_mg} mg at a first session is above the label's {max_mg} mg")
            }
        }
    }
}

/// Whether two recorded doses are the same to the milligram's hundredth.
fn same_mg(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

/// The flags a recorded dose raises. Never a suggestion: only a comparison of what was
/// recorded with the order and the protocol's `[dose_check]`.
pub fn dose_flags(
    check: Option<&DoseCheck>,
    ordered_mg: f64,
    given_mg: f64,
    first_session: bool,
) -> Vec<DoseFlag> {
    let mut out = Vec::new();
    if !same_mg(ordered_mg, given_mg) {
        out.push(DoseFlag::DiffersFromOrder {
            ordered_mg,
            given_mg,
        });
    }
    if let Some(c) = check {
        if !c.allowed_mg.is_empty()
            && !c
                .allowed_mg
                .iter()
                .any(|m| same_mg(f64::from(*m), given_mg))
        {
            out.push(DoseFlag::NotAProductDose {
                given_mg,
                allowed_mg: c.allowed_mg.clone(),
            });
        }
        if let Some(max) = c.first_session_max_mg {
            if first_session && given_mg > f64::from(max) + 0.005 {
                out.push(DoseFlag::FirstSessionAbove {
                    given_mg,
                    max_mg: max,
                });
            }
        }
    }
    out
}

/// The dose per kilogram of body weight, two decimals, for weight-based routes.
pub fn mg_per_kg(given_mg: f64, weight_kg: f64) -> Option<f64> {
    (weight_kg > 0.0 && given_mg.is_finite())
        .then(|| (given_mg / weight_kg * 100.0).round() / 100.0)
}

/// What is known at the moment of discharge (or, before it, from the latest monitoring).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Readiness {
    /// When dosing started.
    pub dosed_at: Option<Timestamp>,
    /// The moment judged (the discharge time, or now).
    pub at: Option<Timestamp>,
    /// MOAA/S.
    pub moaas: Option<u8>,
    /// Blood pressure.
    pub bp: Option<BloodPressure>,
    /// Clinically stable, in the nurse's judgement.
    pub clinically_stable: Option<bool>,
    /// A responsible adult escorts the patient home.
    pub escort_present: Option<bool>,
}

/// One discharge criterion and whether it is met (`None`: not yet known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    /// Stable id.
    pub id: &'static str,
    /// The criterion in words, with the protocol's value.
    pub label: String,
    /// Met, not met, or not yet known.
    pub met: Option<bool>,
    /// What was observed.
    pub observed: String,
    /// The protocol rule it comes from.
    pub rule: &'static str,
}

/// The protocol's discharge criteria judged on what is known (issue 13 §3): the minimum
/// observation after the dose (120 minutes for esketamine [PI-2019-P3] [FDA-REMS]), sedation
/// resolved (MOAA/S back to the protocol's level [JNJ-SEDATION]), blood pressure under the
/// threshold, clinically stable [PI-2019-P3], and an escort where the protocol requires one.
pub fn discharge_criteria(protocol: &Protocol, r: &Readiness) -> Vec<Criterion> {
    let s = &protocol.safety;
    let mut out = Vec::new();
    if let Some(minutes) = s.observation_minutes {
        let elapsed = match (r.dosed_at, r.at) {
            (Some(from), Some(to)) => Some((to.as_second() - from.as_second()).div_euclid(60)),
            _ => None,
        };
        out.push(Criterion {
            id: "observation",
            label: format!("At least {minutes} minutes of observation after the dose"),
            met: elapsed.map(|e| e >= i64::from(minutes)),
            observed: elapsed.map_or_else(
                || "dose not yet recorded".to_owned(),
                |e| format!("{e} minutes"),
            ),
            rule: "safety.observation_minutes",
        });
    }
    let min_moaas = s.discharge_min_moaas.unwrap_or(5);
    out.push(Criterion {
        id: "sedation_resolved",
        label: format!("Sedation resolved: MOAA/S {min_moaas}"),
        met: r.moaas.map(|m| m >= min_moaas),
        observed: r
            .moaas
            .map_or_else(|| "not rated".to_owned(), |m| format!("MOAA/S {m}")),
        rule: "safety.discharge_min_moaas",
    });
    if let Some(max) = s.bp_max {
        out.push(Criterion {
            id: "blood_pressure",
            label: format!(
                "Blood pressure at or under {}/{} mmHg",
                max.systolic, max.diastolic
            ),
            met: r
                .bp
                .map(|bp| bp.systolic <= max.systolic && bp.diastolic <= max.diastolic),
            observed: r.bp.map_or_else(
                || "not measured".to_owned(),
                |bp| format!("{}/{} mmHg", bp.systolic, bp.diastolic),
            ),
            rule: "safety.bp_max",
        });
    }
    out.push(Criterion {
        id: "clinically_stable",
        label: "Clinically stable".to_owned(),
        met: r.clinically_stable,
        observed: yes_no(r.clinically_stable),
        rule: "safety.source",
    });
    if s.escort_required {
        out.push(Criterion {
            id: "escort",
            label: "A responsible adult escorts the patient home".to_owned(),
            met: r.escort_present,
            observed: yes_no(r.escort_present),
            rule: "safety.escort_required",
        });
    }
    out
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes".to_owned(),
        Some(false) => "no".to_owned(),
        None => "not recorded".to_owned(),
    }
}

/// An exceptional end of a session, recorded by a clinician when the discharge criteria
/// cannot be met; it is flagged and shown to admins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionalEnd {
    /// Handed over to emergency care.
    TransferredToEmergencyCare,
    /// The patient left against clinical advice.
    LeftAgainstAdvice,
}

impl ExceptionalEnd {
    /// Every kind.
    pub const ALL: [ExceptionalEnd; 2] = [
        ExceptionalEnd::TransferredToEmergencyCare,
        ExceptionalEnd::LeftAgainstAdvice,
    ];

    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            ExceptionalEnd::TransferredToEmergencyCare => "transferred_to_emergency_care",
            ExceptionalEnd::LeftAgainstAdvice => "left_against_advice",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            ExceptionalEnd::TransferredToEmergencyCare => "Transferred to emergency care",
            ExceptionalEnd::LeftAgainstAdvice => "Left against clinical advice",
        }
    }
}
