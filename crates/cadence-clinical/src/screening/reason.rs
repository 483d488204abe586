//! What screening returns: a decision and every reason behind it.
//!
//! A reason is `{code, class, message}`. The class (absolute, relative, programme; reference
//! section 4) drives the decision; the message is for the clinician and names its source, so a
//! reviewer can check the rule without reading code.

use super::condition::{Condition, MedicationClass};
use crate::maudsley::MaudsleyStage;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How a reason weighs on the decision (reference section 4).
///
/// Ordered from most to least restrictive, which is the order reasons are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonClass {
    /// A label contraindication: do not treat.
    Absolute,
    /// Treat only after a documented benefit-risk review or specialist input.
    Relative,
    /// A programme or operational rule (e.g. REMS enrolment) to satisfy before dosing.
    Programme,
}

impl ReasonClass {
    /// The stable id used in files, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonClass::Absolute => "absolute",
            ReasonClass::Relative => "relative",
            ReasonClass::Programme => "programme",
        }
    }
}

impl fmt::Display for ReasonClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a reason is about: a checklist condition or medication class (its own id), or a
/// finding derived from the other answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReasonCode {
    /// A condition on the checklist; the code is the condition's id.
    Condition(Condition),
    /// A concomitant medication class; the code is the class's id.
    Medication(MedicationClass),
    /// `under_18`: the patient is younger than 18.
    Under18,
    /// `bp_above_threshold`: the pre-treatment blood pressure is above the route's threshold.
    BpAboveThreshold,
    /// `trd_criteria_not_met`: fewer than 2 failed adequate antidepressant trials.
    TrdCriteriaNotMet,
    /// `rems_not_enrolled`: an esketamine patient not yet enrolled in the SPRAVATO REMS.
    RemsNotEnrolled,
}

impl ReasonCode {
    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Condition(c) => c.as_str(),
            ReasonCode::Medication(m) => m.as_str(),
            ReasonCode::Under18 => "under_18",
            ReasonCode::BpAboveThreshold => "bp_above_threshold",
            ReasonCode::TrdCriteriaNotMet => "trd_criteria_not_met",
            ReasonCode::RemsNotEnrolled => "rems_not_enrolled",
        }
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reason code that Cadence does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown screening reason code `{0}`: expected a condition id, a medication class id, \
     under_18, bp_above_threshold, trd_criteria_not_met or rems_not_enrolled"
)]
pub struct UnknownReasonCode(pub String);

impl FromStr for ReasonCode {
    type Err = UnknownReasonCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let derived = [
            ReasonCode::Under18,
            ReasonCode::BpAboveThreshold,
            ReasonCode::TrdCriteriaNotMet,
            ReasonCode::RemsNotEnrolled,
        ];
        derived
            .into_iter()
            .find(|c| c.as_str() == s)
            .or_else(|| s.parse().ok().map(ReasonCode::Condition))
            .or_else(|| s.parse().ok().map(ReasonCode::Medication))
            .ok_or_else(|| UnknownReasonCode(s.to_owned()))
    }
}

impl Serialize for ReasonCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ReasonCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

/// One reason behind a screening decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// What it is about.
    pub code: ReasonCode,
    /// How it weighs on the decision.
    pub class: ReasonClass,
    /// A plain-language explanation naming its source key.
    pub message: String,
}

/// The screening outcome (PRODUCT.md, "Screening").
///
/// Ordered from least to most restrictive, so `a <= b` reads "b is at least as restrictive".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// No reason found: the patient may start a course.
    Eligible,
    /// Relative or programme reasons: a clinician must review them before a course starts.
    NeedsReview,
    /// An absolute reason: do not treat by this route.
    NotEligible,
}

impl Eligibility {
    /// The stable id used in files, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Eligibility::Eligible => "eligible",
            Eligibility::NeedsReview => "needs_review",
            Eligibility::NotEligible => "not_eligible",
        }
    }

    /// The decision the reasons lead to: any absolute reason makes the patient not eligible;
    /// otherwise any relative or programme reason needs a clinician's review; otherwise the
    /// patient is eligible.
    pub fn from_reasons(reasons: &[Reason]) -> Eligibility {
        match reasons.iter().map(|r| r.class).min() {
            Some(ReasonClass::Absolute) => Eligibility::NotEligible,
            Some(ReasonClass::Relative | ReasonClass::Programme) => Eligibility::NeedsReview,
            None => Eligibility::Eligible,
        }
    }
}

impl std::str::FromStr for Eligibility {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Eligibility::Eligible,
            Eligibility::NeedsReview,
            Eligibility::NotEligible,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
        .ok_or_else(|| format!("unknown screening decision `{s}`"))
    }
}

impl fmt::Display for Eligibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `screen` returns, and `cadence screen` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningResult {
    /// The decision.
    pub decision: Eligibility,
    /// Every reason, absolute first, then relative, then programme; within a class in the order
    /// found (age, conditions and medications in input order, blood pressure, treatment
    /// history, REMS).
    pub reasons: Vec<Reason>,
    /// The Maudsley stage, when the treatment history for it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maudsley: Option<MaudsleyStage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(class: ReasonClass) -> Reason {
        Reason {
            code: ReasonCode::Under18,
            class,
            message: String::new(),
        }
    }

    #[test]
    fn decision_follows_the_most_restrictive_class() {
        use ReasonClass::*;
        assert_eq!(Eligibility::from_reasons(&[]), Eligibility::Eligible);
        assert_eq!(
            Eligibility::from_reasons(&[reason(Programme)]),
            Eligibility::NeedsReview
        );
        assert_eq!(
            Eligibility::from_reasons(&[reason(Relative)]),
            Eligibility::NeedsReview
        );
        assert_eq!(
            Eligibility::from_reasons(&[reason(Programme), reason(Relative), reason(Absolute)]),
            Eligibility::NotEligible
        );
    }

    #[test]
    fn every_code_round_trips() {
        let codes = Condition::ALL
            .map(ReasonCode::Condition)
            .into_iter()
            .chain(MedicationClass::ALL.map(ReasonCode::Medication))
            .chain([
                ReasonCode::Under18,
                ReasonCode::BpAboveThreshold,
                ReasonCode::TrdCriteriaNotMet,
                ReasonCode::RemsNotEnrolled,
            ]);
        for code in codes {
            assert_eq!(code.as_str().parse::<ReasonCode>().unwrap(), code);
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<ReasonCode>(&json).unwrap(), code);
        }
        assert!("over_65".parse::<ReasonCode>().is_err());
        assert!(serde_json::from_str::<ReasonCode>("\"over_65\"").is_err());
    }
}
