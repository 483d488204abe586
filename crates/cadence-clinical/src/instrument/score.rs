//! The one scoring engine: validates an answer list against a [`Definition`] and derives the
//! total, band, critical items, flags and subscales.
//!
//! Validation is strict because a wrong score is worse than none: a wrong number of answers, a
//! value out of range, a missing required item, or an answer to an item the flow skips is an
//! [`AnswerError`] that names the item and what is allowed. Nothing is guessed or pro-rated
//! (QIDS-SR16 and C-SSRS missing-data rules are UNCONFIRMED in the reference, so no rule is
//! applied: every asked item must be answered).

use super::{Asked, Definition, InstrumentId, ScoringRule, definition};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Clinic-configurable scoring thresholds (values the reference leaves to the clinic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoringConfig {
    /// PCL-5 total at or above which `probable_ptsd` is flagged. The VA National Center for PTSD
    /// suggests 31-33 and says the cut-off should suit the population ([COMORBIDITY-AU],
    /// [DOCUMENTINE-PCL5]); default 33.
    pub pcl5_probable_cutoff: u16,
    /// MADRS item 10 (suicidal thoughts) value at or above which `suicide_risk` is flagged. The
    /// reference only recommends routing "high scores" to a clinician, with no number, so this
    /// is off (`None`) until the clinic sets it.
    pub madrs_item10_alert: Option<u8>,
}

impl Default for ScoringConfig {
    fn default() -> Self {
        ScoringConfig {
            pcl5_probable_cutoff: 33,
            madrs_item10_alert: None,
        }
    }
}

/// A clinical flag raised by a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// A positive suicide-risk item or C-SSRS moderate / high risk: same-day clinician review.
    SuicideRisk,
    /// PCL-5 total at or above the configured cut-off.
    ProbablePtsd,
    /// CADSS total above 4 ([JNJ-DISSOC]).
    Dissociation,
    /// MOAA/S at 3 or below: moderate or deeper sedation ([JNJ-SEDATION]).
    Sedation,
}

impl Flag {
    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::SuicideRisk => "suicide_risk",
            Flag::ProbablePtsd => "probable_ptsd",
            Flag::Dissociation => "dissociation",
            Flag::Sedation => "sedation",
        }
    }

    /// In the clinic's words.
    pub fn label(self) -> &'static str {
        match self {
            Flag::SuicideRisk => "Suicide risk: same-day clinician review",
            Flag::ProbablePtsd => "Probable PTSD",
            Flag::Dissociation => "Dissociation",
            Flag::Sedation => "Sedation",
        }
    }
}

/// C-SSRS screener risk category ([CSSRS-TRIAGE] for the most-worrying answers,
/// [SPIER-CSSRS-FSH] for the full ladder).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CssrsRisk {
    /// Every answered item is "no".
    None,
    /// Wish to be dead and/or non-specific suicidal thoughts only.
    Low,
    /// Thoughts of a method without intent, or suicidal behaviour more than 3 months ago.
    Moderate,
    /// Intent or a plan in the past month, or suicidal behaviour in the past 3 months.
    High,
}

impl CssrsRisk {
    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            CssrsRisk::None => "none",
            CssrsRisk::Low => "low",
            CssrsRisk::Moderate => "moderate",
            CssrsRisk::High => "high",
        }
    }
}

/// The derived score of one completed instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Which instrument.
    pub instrument: InstrumentId,
    /// The total (`None` for the C-SSRS, which has no total).
    pub total: Option<u16>,
    /// The highest possible total (`None` for the C-SSRS).
    pub max: Option<u16>,
    /// The severity band id (`None` where the instrument has no bands).
    pub band: Option<&'static str>,
    /// 1-based numbers of critical items that were endorsed.
    pub critical_items: Vec<u8>,
    /// Flags raised, in a stable order.
    pub flags: Vec<Flag>,
    /// Subscale or domain scores, by id (empty where the instrument has none).
    pub subscales: BTreeMap<&'static str, u16>,
    /// C-SSRS risk category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<CssrsRisk>,
    /// PCL-5 provisional PTSD diagnosis by the DSM-5 symptom-cluster rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional_ptsd: Option<bool>,
}

/// A score as it is stored with its assessment: the same facts as [`Score`] in owned form,
/// read back typed (never loose JSON read with defaults). The instrument is the assessment's
/// (rows written before this type also carry it; it is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct StoredScore {
    /// The total (`None` for the C-SSRS).
    pub total: Option<u16>,
    /// The highest possible total.
    pub max: Option<u16>,
    /// The severity band id.
    pub band: Option<String>,
    /// 1-based numbers of critical items that were endorsed.
    #[serde(default)]
    pub critical_items: Vec<u8>,
    /// Flags raised.
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// Subscale or domain scores, by id.
    #[serde(default)]
    pub subscales: BTreeMap<String, u16>,
    /// C-SSRS risk category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<CssrsRisk>,
    /// PCL-5 provisional PTSD diagnosis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional_ptsd: Option<bool>,
}

impl From<&Score> for StoredScore {
    fn from(s: &Score) -> StoredScore {
        StoredScore {
            total: s.total,
            max: s.max,
            band: s.band.map(str::to_owned),
            critical_items: s.critical_items.clone(),
            flags: s.flags.clone(),
            subscales: s
                .subscales
                .iter()
                .map(|(k, v)| ((*k).to_owned(), *v))
                .collect(),
            risk: s.risk,
            provisional_ptsd: s.provisional_ptsd,
        }
    }
}

impl StoredScore {
    /// Whether this score raised the given flag.
    pub fn has_flag(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }
}

impl Score {
    /// Whether this score raised the given flag.
    pub fn has_flag(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }
}

/// Why an answer list cannot be scored. Every variant names the item and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Too few or too many answers.
    #[error("{instrument} takes {expected} answers, got {got}")]
    WrongCount {
        /// The instrument.
        instrument: InstrumentId,
        /// What is allowed, e.g. "9 or 10".
        expected: String,
        /// How many were given.
        got: usize,
    },
    /// A value outside the item's range.
    #[error("{item}: {value} is out of range; allowed {min}-{max}")]
    OutOfRange {
        /// The item key.
        item: &'static str,
        /// The value given.
        value: u8,
        /// Lowest allowed value.
        min: u8,
        /// Highest allowed value.
        max: u8,
    },
    /// A required item was left blank.
    #[error("{item} is required; answer it with a value {min}-{max}")]
    Missing {
        /// The item key.
        item: &'static str,
        /// Lowest allowed value.
        min: u8,
        /// Highest allowed value.
        max: u8,
    },
    /// An answer was given to an item the flow skips.
    #[error("{item} is not asked when {depends_on} is no; leave it blank (`-`)")]
    NotAsked {
        /// The item key.
        item: &'static str,
        /// The item whose "no" answer skips it.
        depends_on: &'static str,
    },
}

/// Scores one completed instrument.
///
/// `answers` are in item order; `None` marks an item the instrument's flow does not ask (or the
/// optional, unscored PHQ-9 item 10 left blank).
pub fn score(
    instrument: InstrumentId,
    answers: &[Option<u8>],
    config: &ScoringConfig,
) -> Result<Score, AnswerError> {
    let def = definition(instrument);
    validate(def, answers)?;
    // After validation every scored item is present; `value` reads 0 for skipped items, which
    // only occur in the C-SSRS (no total) and PHQ-9 item 10 (never scored).
    let value = |n: usize| -> u16 { answers.get(n - 1).copied().flatten().map_or(0, u16::from) };
    let mut subscales = BTreeMap::new();
    let mut flags = Vec::new();
    let mut critical_items = Vec::new();
    let mut risk = None;
    let mut provisional_ptsd = None;

    let total = match def.scoring {
        ScoringRule::Sum | ScoringRule::Level => Some(
            def.items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.asked != Asked::OptionalUnscored)
                .map(|(i, _)| value(i + 1))
                .sum::<u16>(),
        ),
        ScoringRule::QidsDomains => {
            let max_of = |items: &[usize]| items.iter().map(|&n| value(n)).max().unwrap_or(0);
            let domains: [(&'static str, u16); 9] = [
                ("sleep", max_of(&[1, 2, 3, 4])),
                ("sad_mood", value(5)),
                ("appetite_weight", max_of(&[6, 7, 8, 9])),
                ("concentration", value(10)),
                ("self_outlook", value(11)),
                ("suicidal_ideation", value(12)),
                ("interest", value(13)),
                ("energy", value(14)),
                ("psychomotor", max_of(&[15, 16])),
            ];
            subscales.extend(domains);
            Some(domains.iter().map(|(_, v)| v).sum())
        }
        ScoringRule::CssrsRisk => {
            let (category, decisive) = cssrs_risk(answers);
            risk = Some(category);
            if category >= CssrsRisk::Moderate {
                critical_items = decisive;
            }
            None
        }
    };

    match instrument {
        InstrumentId::Phq9 if value(9) > 0 => critical_items.push(9),
        InstrumentId::QidsSr16 if value(12) > 0 => critical_items.push(12),
        InstrumentId::Madrs
            if config
                .madrs_item10_alert
                .is_some_and(|alert| value(10) >= u16::from(alert)) =>
        {
            critical_items.push(10);
        }
        InstrumentId::Pcl5 => {
            // Clusters B = 1-5, C = 6-7, D = 8-14, E = 15-20 [AWELL-PCL5].
            let clusters: [(&'static str, std::ops::RangeInclusive<usize>, usize); 4] = [
                ("B", 1..=5, 1),
                ("C", 6..=7, 1),
                ("D", 8..=14, 2),
                ("E", 15..=20, 2),
            ];
            let mut meets_all = true;
            for (id, items, needed) in clusters {
                subscales.insert(id, items.clone().map(value).sum());
                // An item rated 2 ("moderately") or higher counts as endorsed [AWELL-PCL5].
                let endorsed = items.filter(|&n| value(n) >= 2).count();
                meets_all &= endorsed >= needed;
            }
            provisional_ptsd = Some(meets_all);
        }
        _ => {}
    }

    if !critical_items.is_empty() {
        flags.push(Flag::SuicideRisk);
    }
    match (instrument, total) {
        (InstrumentId::Pcl5, Some(t)) if t >= config.pcl5_probable_cutoff => {
            flags.push(Flag::ProbablePtsd);
        }
        (InstrumentId::Cadss, Some(t)) if dissociation_present(t) => {
            flags.push(Flag::Dissociation);
        }
        (InstrumentId::Moaas, Some(t)) if sedation_present(t) => flags.push(Flag::Sedation),
        _ => {}
    }
    flags.sort();

    Ok(Score {
        instrument,
        total,
        max: def.total_range.map(|(_, max)| max),
        band: total.and_then(|t| def.band_for(t)).map(|b| b.id),
        critical_items,
        flags,
        subscales,
        risk,
        provisional_ptsd,
    })
}

/// Whether a CADSS total marks dissociative / perceptual change: total > 4, the threshold of
/// the esketamine programme [JNJ-DISSOC].
pub fn dissociation_present(cadss_total: u16) -> bool {
    cadss_total > 4
}

/// Whether a MOAA/S level is moderate or deeper sedation: level <= 3 [JNJ-SEDATION].
pub fn sedation_present(moaas_level: u16) -> bool {
    moaas_level <= 3
}

/// Checks count, range, required items and the skip flow.
fn validate(def: &Definition, answers: &[Option<u8>]) -> Result<(), AnswerError> {
    let required = def
        .items
        .iter()
        .filter(|i| i.asked != Asked::OptionalUnscored)
        .count();
    if answers.len() < required || answers.len() > def.items.len() {
        let expected = if required == def.items.len() {
            required.to_string()
        } else {
            format!("{required} or {}", def.items.len())
        };
        return Err(AnswerError::WrongCount {
            instrument: def.id,
            expected,
            got: answers.len(),
        });
    }
    let (min, max) = (def.item_min, def.item_max);
    for (item, answer) in def.items.iter().zip(answers.iter().copied()) {
        if let Some(value) = answer
            && !(min..=max).contains(&value)
        {
            return Err(AnswerError::OutOfRange {
                item: item.key,
                value,
                min,
                max,
            });
        }
        let asked = match item.asked {
            Asked::Always => true,
            Asked::OptionalUnscored => continue,
            Asked::WhenYes(parent) => {
                answers.get(usize::from(parent) - 1).copied().flatten() == Some(1)
            }
        };
        match (asked, answer) {
            (true, None) => {
                return Err(AnswerError::Missing {
                    item: item.key,
                    min,
                    max,
                });
            }
            (false, Some(_)) => {
                let depends_on = match item.asked {
                    Asked::WhenYes(parent) => def.items[usize::from(parent) - 1].key,
                    _ => item.key,
                };
                return Err(AnswerError::NotAsked {
                    item: item.key,
                    depends_on,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// The C-SSRS screener ladder, and the items that decided it.
///
/// high: q4 or q5 yes (past month), or q6a yes (behaviour in the past 3 months);
/// moderate: q3 yes, or q6 yes but not within 3 months; low: q1 or q2 yes; else none.
/// Items: q1 q2 q3 q4 q5 q6 q6a at positions 1-7. Sums of "yes" answers are not used.
fn cssrs_risk(answers: &[Option<u8>]) -> (CssrsRisk, Vec<u8>) {
    let yes = |n: u8| answers.get(usize::from(n) - 1).copied().flatten() == Some(1);
    let high: Vec<u8> = [4, 5, 7].into_iter().filter(|&n| yes(n)).collect();
    if !high.is_empty() {
        return (CssrsRisk::High, high);
    }
    let moderate: Vec<u8> = [3, 6].into_iter().filter(|&n| yes(n)).collect();
    if !moderate.is_empty() {
        return (CssrsRisk::Moderate, moderate);
    }
    if yes(1) || yes(2) {
        return (CssrsRisk::Low, Vec::new());
    }
    (CssrsRisk::None, Vec::new())
}
