//! The conditions and concomitant medication classes the screening checklist asks about
//! (reference section 4), as stable snake_case ids.
//!
//! They are plain vocabulary: what each one means for a given route (absolute, relative or
//! programme, and why) lives in [`super::rules`], next to its source.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A condition on the screening checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Aneurysmal vascular disease: thoracic or abdominal aorta, intracranial or peripheral
    /// arteries.
    AneurysmalVascularDisease,
    /// Arteriovenous malformation.
    ArteriovenousMalformation,
    /// A past intracerebral haemorrhage.
    IntracerebralHemorrhageHistory,
    /// Hypersensitivity to esketamine, ketamine or an excipient.
    KetamineHypersensitivity,
    /// Hypertension that is not controlled.
    UncontrolledHypertension,
    /// Cardiovascular disease (including ischaemic heart disease) or its risk factors.
    CardiovascularDisease,
    /// Cerebrovascular disease.
    CerebrovascularDisease,
    /// A past hypertensive encephalopathy.
    HypertensiveEncephalopathyHistory,
    /// Psychosis, current or past.
    Psychosis,
    /// Substance use disorder, including alcohol and ketamine misuse.
    SubstanceUseDisorder,
    /// Pregnancy.
    Pregnancy,
    /// Breastfeeding.
    Breastfeeding,
    /// Moderate hepatic impairment.
    HepaticImpairmentModerate,
    /// Severe hepatic impairment.
    HepaticImpairmentSevere,
    /// Interstitial or ulcerative cystitis, or other urinary symptoms.
    InterstitialCystitis,
    /// Elevated intracranial pressure.
    ElevatedIntracranialPressure,
}

impl Condition {
    /// Every condition, in checklist order.
    pub const ALL: [Condition; 16] = [
        Condition::AneurysmalVascularDisease,
        Condition::ArteriovenousMalformation,
        Condition::IntracerebralHemorrhageHistory,
        Condition::KetamineHypersensitivity,
        Condition::UncontrolledHypertension,
        Condition::CardiovascularDisease,
        Condition::CerebrovascularDisease,
        Condition::HypertensiveEncephalopathyHistory,
        Condition::Psychosis,
        Condition::SubstanceUseDisorder,
        Condition::Pregnancy,
        Condition::Breastfeeding,
        Condition::HepaticImpairmentModerate,
        Condition::HepaticImpairmentSevere,
        Condition::InterstitialCystitis,
        Condition::ElevatedIntracranialPressure,
    ];

    /// The stable id used in files, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::AneurysmalVascularDisease => "aneurysmal_vascular_disease",
            Condition::ArteriovenousMalformation => "arteriovenous_malformation",
            Condition::IntracerebralHemorrhageHistory => "intracerebral_hemorrhage_history",
            Condition::KetamineHypersensitivity => "ketamine_hypersensitivity",
            Condition::UncontrolledHypertension => "uncontrolled_hypertension",
            Condition::CardiovascularDisease => "cardiovascular_disease",
            Condition::CerebrovascularDisease => "cerebrovascular_disease",
            Condition::HypertensiveEncephalopathyHistory => "hypertensive_encephalopathy_history",
            Condition::Psychosis => "psychosis",
            Condition::SubstanceUseDisorder => "substance_use_disorder",
            Condition::Pregnancy => "pregnancy",
            Condition::Breastfeeding => "breastfeeding",
            Condition::HepaticImpairmentModerate => "hepatic_impairment_moderate",
            Condition::HepaticImpairmentSevere => "hepatic_impairment_severe",
            Condition::InterstitialCystitis => "interstitial_cystitis",
            Condition::ElevatedIntracranialPressure => "elevated_intracranial_pressure",
        }
    }

    /// A short human label that can open a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Condition::AneurysmalVascularDisease => "Aneurysmal vascular disease",
            Condition::ArteriovenousMalformation => "Arteriovenous malformation",
            Condition::IntracerebralHemorrhageHistory => "History of intracerebral haemorrhage",
            Condition::KetamineHypersensitivity => {
                "Hypersensitivity to esketamine, ketamine or an excipient"
            }
            Condition::UncontrolledHypertension => "Uncontrolled hypertension",
            Condition::CardiovascularDisease => "Cardiovascular disease",
            Condition::CerebrovascularDisease => "Cerebrovascular disease",
            Condition::HypertensiveEncephalopathyHistory => {
                "History of hypertensive encephalopathy"
            }
            Condition::Psychosis => "Psychosis (current or past)",
            Condition::SubstanceUseDisorder => "Substance use disorder",
            Condition::Pregnancy => "Pregnancy",
            Condition::Breastfeeding => "Breastfeeding",
            Condition::HepaticImpairmentModerate => "Moderate hepatic impairment",
            Condition::HepaticImpairmentSevere => "Severe hepatic impairment",
            Condition::InterstitialCystitis => "Interstitial or ulcerative cystitis",
            Condition::ElevatedIntracranialPressure => "Elevated intracranial pressure",
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A condition id that is not one of [`Condition::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown condition `{0}`: expected one of {list}", list = ids(&Condition::ALL.map(Condition::as_str)))]
pub struct UnknownCondition(pub String);

impl FromStr for Condition {
    type Err = UnknownCondition;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Condition::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCondition(s.to_owned()))
    }
}

/// A class of concomitant medication the checklist asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MedicationClass {
    /// Benzodiazepines (CNS depressant).
    Benzodiazepine,
    /// Opioids (CNS depressant).
    Opioid,
    /// Sedative-hypnotics (CNS depressant).
    SedativeHypnotic,
    /// Psychostimulants (raise blood pressure).
    Psychostimulant,
    /// Monoamine oxidase inhibitors (raise blood pressure).
    Maoi,
}

impl MedicationClass {
    /// Every medication class, in checklist order.
    pub const ALL: [MedicationClass; 5] = [
        MedicationClass::Benzodiazepine,
        MedicationClass::Opioid,
        MedicationClass::SedativeHypnotic,
        MedicationClass::Psychostimulant,
        MedicationClass::Maoi,
    ];

    /// The stable id used in files, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            MedicationClass::Benzodiazepine => "benzodiazepine",
            MedicationClass::Opioid => "opioid",
            MedicationClass::SedativeHypnotic => "sedative_hypnotic",
            MedicationClass::Psychostimulant => "psychostimulant",
            MedicationClass::Maoi => "maoi",
        }
    }

    /// A short human label, as written mid-sentence.
    pub fn label(self) -> &'static str {
        match self {
            MedicationClass::Benzodiazepine => "benzodiazepine",
            MedicationClass::Opioid => "opioid",
            MedicationClass::SedativeHypnotic => "sedative-hypnotic",
            MedicationClass::Psychostimulant => "psychostimulant",
            MedicationClass::Maoi => "MAOI",
        }
    }

    /// Whether this class is a CNS depressant (adds to sedation and respiratory depression)
    /// rather than a blood-pressure raiser (reference section 4).
    pub fn is_cns_depressant(self) -> bool {
        matches!(
            self,
            MedicationClass::Benzodiazepine
                | MedicationClass::Opioid
                | MedicationClass::SedativeHypnotic
        )
    }
}

impl fmt::Display for MedicationClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A medication class id that is not one of [`MedicationClass::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown medication class `{0}`: expected one of benzodiazepine, opioid, sedative_hypnotic, \
     psychostimulant, maoi"
)]
pub struct UnknownMedicationClass(pub String);

impl FromStr for MedicationClass {
    type Err = UnknownMedicationClass;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MedicationClass::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownMedicationClass(s.to_owned()))
    }
}

/// Ids joined for an error message.
fn ids(ids: &[&str]) -> String {
    ids.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_from_str_and_serde() {
        for c in Condition::ALL {
            assert_eq!(c.as_str().parse::<Condition>().unwrap(), c);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        for m in MedicationClass::ALL {
            assert_eq!(m.as_str().parse::<MedicationClass>().unwrap(), m);
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.as_str()));
        }
    }

    #[test]
    fn unknown_ids_name_the_choices() {
        let err = "stroke".parse::<Condition>().unwrap_err().to_string();
        assert!(err.contains("`stroke`"));
        assert!(err.contains("elevated_intracranial_pressure"));
        let err = "ssri".parse::<MedicationClass>().unwrap_err().to_string();
        assert!(err.contains("`ssri`") && err.contains("maoi"));
    }
}
