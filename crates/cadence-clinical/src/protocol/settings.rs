//! The clinical settings a protocol file carries beside its rhythm (issue 13 §7): in-session
//! alert limits, outcome rules (remission cut-offs where sources differ, reliable change per
//! instrument, the baseline window), the screening threshold and Maudsley points for its
//! route, and the dose-record checks.
//!
//! Every section is optional so that protocol texts frozen with older courses still parse; a
//! missing section means the defaults documented on each type (the same values Cadence used
//! before the section existed). Each present section needs its `source`, like the rest of the
//! file.

use crate::history::BloodPressure;
use crate::instrument::InstrumentId;
use crate::maudsley::MaudsleyConfig;
use crate::outcome::{MadrsRemission, OutcomeConfig, ReliableChangeRule};
use serde::{Deserialize, Serialize};

/// Limits that raise an in-session alert when a monitoring entry crosses them (issue 13 §5).
/// Each limit is optional: a limit left out raises no alert, and `protocol show` says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InSessionLimits {
    /// Alert when SpO2 is below this percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spo2_below: Option<u8>,
    /// Alert when systolic or diastolic pressure is above this (a blood-pressure crisis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bp_above: Option<BloodPressure>,
    /// Alert when MOAA/S is at or below this level (deeper sedation is a lower level).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moaas_at_or_below: Option<u8>,
    /// Alert when the respiratory rate is below this, breaths per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respiratory_rate_below: Option<u16>,
    /// Alert when the respiratory rate is above this, breaths per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respiratory_rate_above: Option<u16>,
    /// Where these limits come from.
    pub source: String,
}

/// One instrument's reliable-change rule, as a protocol file writes it: `points`, or `sd` with
/// `reliability` for the Jacobson-Truax index [PSYCTC-RCI].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReliableChangeEntry {
    /// The instrument.
    pub instrument: InstrumentId,
    /// A change of at least this many points is reliable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u16>,
    /// Standard deviation of baseline scores (Jacobson-Truax).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// Reliability, 0 <= r < 1 (Jacobson-Truax).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<f64>,
}

impl ReliableChangeEntry {
    /// The rule this entry describes, or `None` when it names neither form (reported by
    /// `protocol check`).
    pub fn rule(&self) -> Option<ReliableChangeRule> {
        match (self.points, self.sd, self.reliability) {
            (Some(points), None, None) => Some(ReliableChangeRule::Points { points }),
            (None, Some(sd), Some(reliability)) => {
                Some(ReliableChangeRule::JacobsonTruax { sd, reliability })
            }
            _ => None,
        }
    }
}

/// How outcomes are judged for this protocol's courses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcomes {
    /// MADRS remission: `"10"` (at most 10, ketamine trials [KETECT]) or `"12"` (at most 12,
    /// the esketamine programme [TRANSFORM3-TABLE]). Default `"10"`.
    #[serde(default)]
    pub madrs_remission: MadrsRemission,
    /// Reliable change per instrument. An instrument not listed has no reliable-change rule.
    /// When the section is absent: PHQ-9 6 points and GAD-7 4 points (IAPT
    /// [IAPT-NCT05134103]).
    #[serde(default)]
    pub reliable_change: Vec<ReliableChangeEntry>,
    /// The baseline is the last score taken at most this many days before the first dose.
    /// Absent: no limit (the last score before the first dose, from this course's window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_window_days: Option<u16>,
    /// Where these come from.
    pub source: String,
}

impl Outcomes {
    /// The outcome configuration for the given response thresholds.
    pub fn config(&self, response_percent: u8, partial_percent: u8) -> OutcomeConfig {
        let rule = |id: InstrumentId| {
            self.reliable_change
                .iter()
                .find(|e| e.instrument == id)
                .and_then(ReliableChangeEntry::rule)
        };
        OutcomeConfig {
            response_percent,
            partial_percent,
            madrs_remission: self.madrs_remission,
            phq9_reliable_change: rule(InstrumentId::Phq9),
            gad7_reliable_change: rule(InstrumentId::Gad7),
            other_reliable_change: self
                .reliable_change
                .iter()
                .filter(|e| !matches!(e.instrument, InstrumentId::Phq9 | InstrumentId::Gad7))
                .filter_map(|e| e.rule().map(|r| (e.instrument, r)))
                .collect(),
        }
    }
}

/// Screening settings for this protocol's route: what `screen` checks before a course starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningRules {
    /// A pre-treatment blood pressure above this needs clinician review. Absent: the route's
    /// built-in default (140/90 for esketamine [JNJ-BP]; none for IV or IM ketamine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bp_max: Option<BloodPressure>,
    /// A course may start only on a screening at most this many days old. Absent: any age.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_days: Option<u16>,
    /// Maudsley staging points (UNCONFIRMED in the reference). Absent: Cadence's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maudsley: Option<MaudsleyConfig>,
    /// Where these come from.
    pub source: String,
}

/// Checks on the dose a nurse records (issue 13 §6). Cadence never suggests a dose: these only
/// ask for an explicit confirmation when a recorded dose departs from the label or the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoseCheck {
    /// The doses the product comes in, mg; any other given dose needs confirming. Empty: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_mg: Vec<u16>,
    /// The most a patient's first session may be, mg; more needs confirming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_session_max_mg: Option<u16>,
    /// The dose is weight-based: the session shows mg/kg from the patient's recorded weight.
    #[serde(default)]
    pub per_kg: bool,
    /// Where these come from.
    pub source: String,
}
