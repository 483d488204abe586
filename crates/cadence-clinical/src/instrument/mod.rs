//! Validated rating scales: each described once as data ([`Definition`], in [`catalog`]) and
//! scored by one engine ([`score()`]).
//!
//! Scoring follows the published rules exactly (reference section 1); nothing is guessed or
//! pro-rated: an incomplete or out-of-range answer list is an [`AnswerError`] naming the item.
//! Item wording ships only where its licence allows (PHQ-9, GAD-7, PCL-5); the other
//! instruments carry short labels and a licence note saying why.

mod catalog;
mod score;

pub use catalog::definition;
pub use score::{
    AnswerError, CssrsRisk, Flag, Score, ScoringConfig, StoredScore, dissociation_present, score,
    sedation_present,
};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The instruments Cadence scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InstrumentId {
    /// Patient Health Questionnaire-9 (depression, self-report).
    #[serde(rename = "phq9")]
    Phq9,
    /// Generalized Anxiety Disorder-7 (anxiety, self-report).
    #[serde(rename = "gad7")]
    Gad7,
    /// Quick Inventory of Depressive Symptomatology, self-report, 16 items.
    #[serde(rename = "qids_sr16")]
    QidsSr16,
    /// PTSD Checklist for DSM-5 (self-report).
    #[serde(rename = "pcl5")]
    Pcl5,
    /// Montgomery-Åsberg Depression Rating Scale (clinician-rated).
    #[serde(rename = "madrs")]
    Madrs,
    /// Work and Social Adjustment Scale (function, self-report).
    #[serde(rename = "wsas")]
    Wsas,
    /// Clinician-Administered Dissociative States Scale, 23-item version (during sessions).
    #[serde(rename = "cadss")]
    Cadss,
    /// Modified Observer's Assessment of Alertness/Sedation (during sessions).
    #[serde(rename = "moaas")]
    Moaas,
    /// Columbia Suicide Severity Rating Scale, screener (recent).
    #[serde(rename = "cssrs_screen")]
    CssrsScreen,
}

impl InstrumentId {
    /// Every instrument, in the order they are listed to users.
    pub const ALL: [InstrumentId; 9] = [
        InstrumentId::Phq9,
        InstrumentId::Gad7,
        InstrumentId::QidsSr16,
        InstrumentId::Pcl5,
        InstrumentId::Madrs,
        InstrumentId::Wsas,
        InstrumentId::Cadss,
        InstrumentId::Moaas,
        InstrumentId::CssrsScreen,
    ];

    /// The stable id used in files, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            InstrumentId::Phq9 => "phq9",
            InstrumentId::Gad7 => "gad7",
            InstrumentId::QidsSr16 => "qids_sr16",
            InstrumentId::Pcl5 => "pcl5",
            InstrumentId::Madrs => "madrs",
            InstrumentId::Wsas => "wsas",
            InstrumentId::Cadss => "cadss",
            InstrumentId::Moaas => "moaas",
            InstrumentId::CssrsScreen => "cssrs_screen",
        }
    }

    /// The instrument's usual short name, as clinicians write it.
    pub fn name(self) -> &'static str {
        match self {
            InstrumentId::Phq9 => "PHQ-9",
            InstrumentId::Gad7 => "GAD-7",
            InstrumentId::QidsSr16 => "QIDS-SR16",
            InstrumentId::Pcl5 => "PCL-5",
            InstrumentId::Madrs => "MADRS",
            InstrumentId::Wsas => "WSAS",
            InstrumentId::Cadss => "CADSS",
            InstrumentId::Moaas => "MOAA/S",
            InstrumentId::CssrsScreen => "C-SSRS screener",
        }
    }

    /// This instrument's description.
    pub fn definition(self) -> &'static Definition {
        definition(self)
    }
}

impl fmt::Display for InstrumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An instrument id that is not one of [`InstrumentId::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown instrument `{0}`: expected one of phq9, gad7, qids_sr16, pcl5, madrs, wsas, cadss, \
     moaas, cssrs_screen"
)]
pub struct UnknownInstrument(pub String);

impl FromStr for InstrumentId {
    type Err = UnknownInstrument;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InstrumentId::ALL
            .into_iter()
            .find(|i| i.as_str() == s)
            .ok_or_else(|| UnknownInstrument(s.to_owned()))
    }
}

/// Who completes an instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rater {
    /// The patient, on paper, in clinic or by link.
    SelfReport,
    /// A trained clinician, by interview.
    Clinician,
    /// An observer during a session.
    Observer,
}

/// How a total (or category) is derived from the item answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoringRule {
    /// Plain sum of the scored items.
    Sum,
    /// QIDS-SR16: nine domain scores, three of them the maximum of a group of items
    /// ([MILLISECOND-QIDS], [GUIDELINECENTRAL-QIDS], [RIVET-QIDS]).
    QidsDomains,
    /// A single observed level (MOAA/S).
    Level,
    /// C-SSRS screener: no total, a risk category from the answers ([CSSRS-TRIAGE],
    /// [SPIER-CSSRS-FSH]).
    CssrsRisk,
}

/// When an item is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "item")]
pub enum Asked {
    /// Always asked and required.
    Always,
    /// Asked, may be left blank, and never counts towards the total (PHQ-9 item 10).
    OptionalUnscored,
    /// Asked only when the given 1-based item was answered yes (1); skipped otherwise.
    WhenYes(u8),
}

/// One item of an instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The key used in messages and forms: `item1`… or, for the C-SSRS, `q1`… `q6a`.
    pub key: &'static str,
    /// A short label, always shipped.
    pub label: &'static str,
    /// The published wording, only where the licence allows shipping it.
    pub text: Option<&'static str>,
    /// The item's LOINC code, where confirmed.
    pub loinc: Option<&'static str>,
    /// When the item is asked.
    pub asked: Asked,
    /// Response labels for this item when they differ from the instrument's (PHQ-9 item 10
    /// asks about difficulty, not frequency).
    pub options: Option<&'static [&'static str]>,
}

impl Item {
    /// The response labels shown for this item, indexed by value.
    pub fn option_labels(&self, definition: &Definition) -> &'static [&'static str] {
        self.options.unwrap_or(definition.options)
    }
}

/// A severity band: an inclusive range of totals with a stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Band {
    /// Stable id, e.g. `moderately_severe`.
    pub id: &'static str,
    /// A human label.
    pub label: &'static str,
    /// Lowest total in the band.
    pub min: u16,
    /// Highest total in the band.
    pub max: u16,
}

/// LOINC codes for an instrument, where confirmed by the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Loinc {
    /// The panel code.
    pub panel: &'static str,
    /// The total-score code, if any.
    pub total: Option<&'static str>,
}

/// What the licence allows Cadence to ship, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Licence {
    /// Whether the published item wording is shipped.
    pub ships_item_text: bool,
    /// The licence in a sentence, with its source.
    pub note: &'static str,
}

/// Everything Cadence knows about one instrument, described once.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Definition {
    /// Stable id.
    pub id: InstrumentId,
    /// Full title.
    pub title: &'static str,
    /// The version scored (e.g. "23-item", "Screen Version - Recent").
    pub version: &'static str,
    /// Who completes it.
    pub rater: Rater,
    /// The question stem shown before the items, where the licence allows.
    pub stem: Option<&'static str>,
    /// The items, in order.
    pub items: &'static [Item],
    /// Lowest value an item takes.
    pub item_min: u8,
    /// Highest value an item takes.
    pub item_max: u8,
    /// Labels of the response options, indexed by value (may be shorter than the range where
    /// only some anchors are published or licensed).
    pub options: &'static [&'static str],
    /// The recall period asked about.
    pub recall: &'static str,
    /// How the total is derived.
    pub scoring: ScoringRule,
    /// Lowest and highest possible total (`None` for the C-SSRS, which has no total).
    pub total_range: Option<(u16, u16)>,
    /// Severity bands, empty where none are published.
    pub bands: &'static [Band],
    /// LOINC codes where confirmed.
    pub loinc: Option<Loinc>,
    /// Licence and what is shipped.
    pub licence: Licence,
    /// Where the scoring rule, bands and flags come from (reference section 1 keys).
    pub source: &'static str,
}

impl Definition {
    /// The band a total falls in, if the instrument has bands.
    pub fn band_for(&self, total: u16) -> Option<&'static Band> {
        self.bands.iter().find(|b| b.min <= total && total <= b.max)
    }

    /// The number of items that are always asked or may be asked.
    pub fn item_count(&self) -> usize {
        self.items.len()
    }
}
