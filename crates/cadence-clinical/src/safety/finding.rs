//! Safety findings: what was found, how severe, and which rule found it.
//!
//! A finding is the clinical fact that holds a patient's sessions (PRODUCT.md, "Safety holds
//! are guards, not advice"). This module says which records raise which finding under a
//! protocol; the service stores each finding with its source record and time, in the same
//! transaction as that record, and refuses a dose while one is open.

use crate::history::BloodPressure;
use crate::instrument::{CssrsRisk, InstrumentId, Score};
use crate::protocol::{InSessionLimits, Safety};
use crate::screening::{Eligibility, ReasonClass, ScreeningResult};
use crate::vitals::Spo2;
use serde::{Deserialize, Serialize};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A suicide item answered above 0: PHQ-9 item 9 or QIDS-SR16 item 12 ([MII-PROMS]).
    SuicideRiskItem,
    /// The C-SSRS screener at a risk level the protocol holds on ([CSSRS-TRIAGE]).
    CssrsRisk,
    /// MADRS item 10 (suicidal thoughts) at or above the protocol's alert level.
    MadrsSuicidalThoughts,
    /// A pre-dose blood pressure above the protocol's threshold ([JNJ-BP]).
    PreDoseBloodPressure,
    /// A screening during a course found an absolute reason (a new contraindication).
    ScreeningNotEligible,
    /// A screening during a course found relative or programme reasons to review.
    ScreeningNeedsReview,
    /// In session: SpO2 below the protocol's limit.
    LowOxygenSaturation,
    /// In session: blood pressure above the protocol's crisis limit.
    BloodPressureCrisis,
    /// In session: MOAA/S at or below the protocol's sedation level ([JNJ-SEDATION]).
    DeepSedation,
    /// In session: respiratory rate outside the protocol's limits.
    RespiratoryRate,
    /// No suicide screen was taken on the session day (a gate, derived, not stored).
    SuicideScreenMissing,
    /// An esketamine patient without a recorded REMS enrolment (a gate; [SPRAVATOREMS-OUT]).
    RemsEnrolmentMissing,
}

impl FindingKind {
    /// Every kind, in a stable order.
    pub const ALL: [FindingKind; 12] = [
        FindingKind::SuicideRiskItem,
        FindingKind::CssrsRisk,
        FindingKind::MadrsSuicidalThoughts,
        FindingKind::PreDoseBloodPressure,
        FindingKind::ScreeningNotEligible,
        FindingKind::ScreeningNeedsReview,
        FindingKind::LowOxygenSaturation,
        FindingKind::BloodPressureCrisis,
        FindingKind::DeepSedation,
        FindingKind::RespiratoryRate,
        FindingKind::SuicideScreenMissing,
        FindingKind::RemsEnrolmentMissing,
    ];

    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::SuicideRiskItem => "suicide_risk_item",
            FindingKind::CssrsRisk => "cssrs_risk",
            FindingKind::MadrsSuicidalThoughts => "madrs_suicidal_thoughts",
            FindingKind::PreDoseBloodPressure => "pre_dose_blood_pressure",
            FindingKind::ScreeningNotEligible => "screening_not_eligible",
            FindingKind::ScreeningNeedsReview => "screening_needs_review",
            FindingKind::LowOxygenSaturation => "low_oxygen_saturation",
            FindingKind::BloodPressureCrisis => "blood_pressure_crisis",
            FindingKind::DeepSedation => "deep_sedation",
            FindingKind::RespiratoryRate => "respiratory_rate",
            FindingKind::SuicideScreenMissing => "suicide_screen_missing",
            FindingKind::RemsEnrolmentMissing => "rems_enrolment_missing",
        }
    }

    /// The finding in a clinician's words.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::SuicideRiskItem => "Suicide-risk item answered",
            FindingKind::CssrsRisk => "C-SSRS screener risk",
            FindingKind::MadrsSuicidalThoughts => "MADRS suicidal thoughts",
            FindingKind::PreDoseBloodPressure => "Pre-dose blood pressure over the threshold",
            FindingKind::ScreeningNotEligible => "New screening: not eligible",
            FindingKind::ScreeningNeedsReview => "New screening: needs review",
            FindingKind::LowOxygenSaturation => "Low oxygen saturation in session",
            FindingKind::BloodPressureCrisis => "Blood-pressure crisis in session",
            FindingKind::DeepSedation => "Deep sedation in session",
            FindingKind::RespiratoryRate => "Respiratory rate out of range in session",
            FindingKind::SuicideScreenMissing => "No suicide screen today",
            FindingKind::RemsEnrolmentMissing => "No REMS enrolment recorded",
        }
    }

    /// The protocol rule (dotted key) that raises it.
    pub fn rule(self) -> &'static str {
        match self {
            FindingKind::SuicideRiskItem => "safety.hold_on_suicide_risk",
            FindingKind::CssrsRisk => "safety.hold_on_cssrs",
            FindingKind::MadrsSuicidalThoughts => "safety.madrs_item10_alert",
            FindingKind::PreDoseBloodPressure => "safety.bp_max",
            FindingKind::ScreeningNotEligible | FindingKind::ScreeningNeedsReview => "screening",
            FindingKind::LowOxygenSaturation => "safety.in_session.spo2_below",
            FindingKind::BloodPressureCrisis => "safety.in_session.bp_above",
            FindingKind::DeepSedation => "safety.in_session.moaas_at_or_below",
            FindingKind::RespiratoryRate => "safety.in_session.respiratory_rate_below",
            FindingKind::SuicideScreenMissing => "safety.suicide_screens",
            FindingKind::RemsEnrolmentMissing => "route",
        }
    }

    /// Whether a clinician's release ends it. A missing REMS enrolment does not: the REMS
    /// forbids dosing before enrolment [SPRAVATOREMS-OUT], so only recording it does.
    pub fn releasable(self) -> bool {
        self != FindingKind::RemsEnrolmentMissing
    }

    /// Whether it comes from a monitoring entry during a session.
    pub fn in_session(self) -> bool {
        matches!(
            self,
            FindingKind::LowOxygenSaturation
                | FindingKind::BloodPressureCrisis
                | FindingKind::DeepSedation
                | FindingKind::RespiratoryRate
        )
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for FindingKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FindingKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown finding kind `{s}`"))
    }
}

/// How urgent a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A clinician reviews the same day, before any further dosing (suicide risk, in-session
    /// alerts, an absolute contraindication, a legal gate).
    High,
    /// A clinician weighs it before the next dose (pre-dose blood pressure, a relative reason,
    /// a missing screen, C-SSRS moderate).
    Moderate,
    /// Shown for review; it still holds until released (C-SSRS low, where a protocol flags it).
    Low,
}

impl Severity {
    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Moderate => "moderate",
            Severity::Low => "low",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Severity::High, Severity::Moderate, Severity::Low]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown severity `{s}`"))
    }
}

/// A finding to store: kind, severity and what was found, in words with the values (never a
/// name: findings are shown on clinic-wide pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingDraft {
    /// What it is about.
    pub kind: FindingKind,
    /// How urgent.
    pub severity: Severity,
    /// What was found, with the values.
    pub detail: String,
}

fn draft(kind: FindingKind, severity: Severity, detail: String) -> FindingDraft {
    FindingDraft {
        kind,
        severity,
        detail,
    }
}

/// The findings a scored assessment raises under a protocol's safety rules.
pub fn assessment_findings(
    score: &Score,
    answers: &[Option<u8>],
    safety: &Safety,
) -> Vec<FindingDraft> {
    let item = |n: usize| answers.get(n - 1).copied().flatten().unwrap_or(0);
    let mut out = Vec::new();
    let id = score.instrument;
    match id {
        InstrumentId::Phq9 | InstrumentId::QidsSr16 if safety.hold_on_suicide_risk => {
            let n = if id == InstrumentId::Phq9 { 9 } else { 12 };
            if item(n) > 0 {
                out.push(draft(
                    FindingKind::SuicideRiskItem,
                    Severity::High,
                    format!(
                        "{} item {n} (thoughts of death or self-harm) answered {}: same-day \
                         clinician review",
                        id.name(),
                        item(n)
                    ),
                ));
            }
        }
        InstrumentId::Madrs => {
            if let Some(alert) = safety.madrs_item10_alert {
                if item(10) >= alert {
                    out.push(draft(
                        FindingKind::MadrsSuicidalThoughts,
                        Severity::High,
                        format!(
                            "MADRS item 10 (suicidal thoughts) rated {}, at or above the \
                             protocol's alert level {alert}",
                            item(10)
                        ),
                    ));
                }
            }
        }
        InstrumentId::CssrsScreen => {
            if let Some(risk) = score.risk.filter(|r| safety.hold_on_cssrs.contains(r)) {
                let severity = match risk {
                    CssrsRisk::High => Severity::High,
                    CssrsRisk::Moderate => Severity::Moderate,
                    CssrsRisk::Low | CssrsRisk::None => Severity::Low,
                };
                out.push(draft(
                    FindingKind::CssrsRisk,
                    severity,
                    format!("C-SSRS screener: {} risk", risk.as_str()),
                ));
            }
        }
        _ => {}
    }
    out
}

/// The finding a pre-dose blood pressure raises, if it is above the protocol's threshold.
pub fn pre_dose_finding(bp: BloodPressure, safety: &Safety) -> Option<FindingDraft> {
    let max = safety.bp_max?;
    (bp.systolic > max.systolic || bp.diastolic > max.diastolic).then(|| {
        draft(
            FindingKind::PreDoseBloodPressure,
            Severity::Moderate,
            format!(
                "Pre-dose blood pressure {}/{} mmHg is above the protocol's {}/{}: weigh the \
                 benefit against the risk of delaying the dose",
                bp.systolic, bp.diastolic, max.systolic, max.diastolic
            ),
        )
    })
}

/// Vital signs of one monitoring entry, as far as they were measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Vitals {
    /// Blood pressure.
    pub bp: Option<BloodPressure>,
    /// SpO2.
    pub spo2: Option<Spo2>,
    /// MOAA/S level 0-5.
    pub moaas: Option<u8>,
    /// Respiratory rate, breaths a minute.
    pub respiratory_rate: Option<u16>,
}

/// The in-session alerts one monitoring entry raises (issue 13 §5).
pub fn monitoring_findings(v: &Vitals, limits: Option<&InSessionLimits>) -> Vec<FindingDraft> {
    let Some(l) = limits else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let (Some(spo2), Some(min)) = (v.spo2, l.spo2_below) {
        if spo2.percent() < min {
            out.push(draft(
                FindingKind::LowOxygenSaturation,
                Severity::High,
                format!("SpO2 {spo2}%, below the protocol's {min}%"),
            ));
        }
    }
    if let (Some(bp), Some(max)) = (v.bp, l.bp_above) {
        if bp.systolic > max.systolic || bp.diastolic > max.diastolic {
            out.push(draft(
                FindingKind::BloodPressureCrisis,
                Severity::High,
                format!(
                    "Blood pressure {}/{} mmHg, above the protocol's crisis limit {}/{}",
                    bp.systolic, bp.diastolic, max.systolic, max.diastolic
                ),
            ));
        }
    }
    if let (Some(m), Some(level)) = (v.moaas, l.moaas_at_or_below) {
        if m <= level {
            out.push(draft(
                FindingKind::DeepSedation,
                Severity::High,
                format!("MOAA/S {m}, at or below the protocol's sedation level {level}"),
            ));
        }
    }
    if let Some(rr) = v.respiratory_rate {
        let low = l.respiratory_rate_below.filter(|min| rr < *min);
        let high = l.respiratory_rate_above.filter(|max| rr > *max);
        if let Some(min) = low {
            out.push(draft(
                FindingKind::RespiratoryRate,
                Severity::High,
                format!("Respiratory rate {rr} a minute, below the protocol's {min}"),
            ));
        } else if let Some(max) = high {
            out.push(draft(
                FindingKind::RespiratoryRate,
                Severity::High,
                format!("Respiratory rate {rr} a minute, above the protocol's {max}"),
            ));
        }
    }
    out
}

/// The finding a screening recorded during a course raises: a new contraindication holds the
/// patient's sessions (PRODUCT.md) until a clinician reviews it.
pub fn screening_finding(result: &ScreeningResult) -> Option<FindingDraft> {
    let reasons = |class: Option<ReasonClass>| {
        result
            .reasons
            .iter()
            .filter(|r| class.is_none_or(|c| r.class == c))
            .map(|r| r.message.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    match result.decision {
        Eligibility::Eligible => None,
        Eligibility::NotEligible => Some(draft(
            FindingKind::ScreeningNotEligible,
            Severity::High,
            format!(
                "A new screening found an absolute reason: {}",
                reasons(Some(ReasonClass::Absolute))
            ),
        )),
        Eligibility::NeedsReview => Some(draft(
            FindingKind::ScreeningNeedsReview,
            Severity::Moderate,
            format!("A new screening needs review: {}", reasons(None)),
        )),
    }
}
