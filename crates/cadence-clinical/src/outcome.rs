//! Outcomes: how a current score compares with baseline (reference section 2).
//!
//! Response, partial response and remission answer "is it working?"; reliable change answers
//! "is this change more than measurement noise?". Thresholds are data in [`OutcomeConfig`] so a
//! clinic (or its protocol) can choose among the published alternatives; instruments without a
//! published threshold get `null`, never an invented one.

use crate::instrument::InstrumentId;
use serde::{Deserialize, Serialize};

/// Which MADRS remission definition to use; the literature uses both (reference 1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum MadrsRemission {
    /// MADRS <= 10: many ketamine trials, KetECT [KETECT]; Hawley 2002 used < 10.
    #[default]
    #[serde(rename = "10")]
    AtMost10,
    /// MADRS <= 12: the Janssen esketamine programme (TRANSFORM-3, SUSTAIN-1)
    /// [TRANSFORM3-TABLE], [MEDDATAX-SUSTAIN1].
    #[serde(rename = "12")]
    AtMost12,
}

/// How reliable change is judged for one instrument.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ReliableChangeRule {
    /// A change of at least this many points, either way.
    Points {
        /// The threshold in points.
        points: u16,
    },
    /// Jacobson-Truax reliable change index with the Christensen-Mendoza sqrt(2) correction:
    /// `RCI = change / (SD * sqrt(2) * sqrt(1 - r))`, reliable when `|RCI| > 1.96`
    /// [PSYCTC-RCI].
    JacobsonTruax {
        /// Standard deviation of baseline scores in the reference population.
        sd: f64,
        /// Reliability (test-retest or alpha), 0 <= r < 1.
        reliability: f64,
    },
}

/// Outcome thresholds. Defaults follow reference section 2 and issue 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutcomeConfig {
    /// A fall of at least this percentage from baseline is a response: 50 [ICSI],
    /// [ELEKT-D-ABS], [PHILLIPS-2019].
    pub response_percent: u8,
    /// A fall of at least this percentage (and below the response threshold) is a partial
    /// response: 25 ("25-50%" [ICSI]).
    pub partial_percent: u8,
    /// The MADRS remission definition.
    pub madrs_remission: MadrsRemission,
    /// Reliable-change rule for PHQ-9: 6 points, IAPT reliable improvement [IAPT-NCT05134103].
    pub phq9_reliable_change: Option<ReliableChangeRule>,
    /// Reliable-change rule for GAD-7: 4 points, IAPT [IAPT-NCT05134103] (6 by Bischoff 2020
    /// [BISCHOFF-2020] is the alternative).
    pub gad7_reliable_change: Option<ReliableChangeRule>,
    /// Reliable-change rule for any other instrument; none is published for QIDS-SR16 or MADRS
    /// in the reference. For PCL-5, Marx 2022 gives 15 or 18 points [MARX-2022]: set it here.
    pub other_reliable_change: Vec<(InstrumentId, ReliableChangeRule)>,
}

impl Default for OutcomeConfig {
    fn default() -> Self {
        OutcomeConfig {
            response_percent: 50,
            partial_percent: 25,
            madrs_remission: MadrsRemission::AtMost10,
            phq9_reliable_change: Some(ReliableChangeRule::Points { points: 6 }),
            gad7_reliable_change: Some(ReliableChangeRule::Points { points: 4 }),
            other_reliable_change: Vec::new(),
        }
    }
}

impl OutcomeConfig {
    /// The reliable-change rule for an instrument, if one is configured.
    pub fn reliable_change_rule(&self, instrument: InstrumentId) -> Option<ReliableChangeRule> {
        match instrument {
            InstrumentId::Phq9 => self.phq9_reliable_change,
            InstrumentId::Gad7 => self.gad7_reliable_change,
            other => self
                .other_reliable_change
                .iter()
                .find(|(id, _)| *id == other)
                .map(|(_, rule)| *rule),
        }
    }

    /// The remission cut: a total at or below this value is remission.
    ///
    /// PHQ-9 < 5 [ICSI], [KAISER-MBC]; QIDS-SR16 <= 5 [HIBOOP-QIDS] (secondary source, [S]);
    /// MADRS <= 10 or <= 12 (see [`MadrsRemission`]). `None` for instruments without one.
    pub fn remission_at_most(&self, instrument: InstrumentId) -> Option<u16> {
        match instrument {
            InstrumentId::Phq9 => Some(4),
            InstrumentId::QidsSr16 => Some(5),
            InstrumentId::Madrs => Some(match self.madrs_remission {
                MadrsRemission::AtMost10 => 10,
                MadrsRemission::AtMost12 => 12,
            }),
            _ => None,
        }
    }
}

/// Whether a change is more than measurement noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliableChange {
    /// Reliably better (a fall at or past the threshold).
    Improved,
    /// Reliably worse (a rise at or past the threshold).
    Deteriorated,
    /// Within measurement noise.
    NoReliableChange,
}

/// The single summary of where a patient stands versus baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    /// Less than a partial response.
    NonResponse,
    /// A fall of at least the partial threshold but below the response threshold.
    PartialResponse,
    /// A fall of at least the response threshold.
    Response,
    /// At or below the instrument's remission cut.
    Remission,
}

impl OutcomeStatus {
    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeStatus::NonResponse => "non_response",
            OutcomeStatus::PartialResponse => "partial_response",
            OutcomeStatus::Response => "response",
            OutcomeStatus::Remission => "remission",
        }
    }
}

/// A current score compared with baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The instrument compared.
    pub instrument: InstrumentId,
    /// Baseline total.
    pub baseline: u16,
    /// Current total.
    pub current: u16,
    /// `current - baseline` (negative is better on every symptom scale compared here).
    pub change: i32,
    /// Change as a percentage of baseline, one decimal; `None` when baseline is 0.
    pub percent_change: Option<f64>,
    /// A fall of at least the response threshold.
    pub response: bool,
    /// A fall of at least the partial threshold but below the response threshold.
    pub partial_response: bool,
    /// At or below the remission cut; `None` where the instrument has no remission cut.
    pub remission: Option<bool>,
    /// Reliable change; `None` where no rule is configured for the instrument.
    pub reliable_change: Option<ReliableChange>,
    /// The Jacobson-Truax index, when that rule is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rci: Option<f64>,
    /// One summary: remission, response, partial response or non-response.
    pub status: OutcomeStatus,
}

/// Why an outcome cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutcomeError {
    /// The instrument has no total to compare (the C-SSRS).
    #[error(
        "{0} has no total score, so it has no outcome versus baseline; compare its risk category instead"
    )]
    NoTotal(InstrumentId),
    /// The instrument is a within-session state measure, not a symptom scale: MOAA/S (where a
    /// lower level is deeper sedation) and CADSS describe one session, not change over a course.
    #[error(
        "{0} rates a single session, so it has no outcome versus baseline; use a symptom scale \
         (phq9, gad7, qids_sr16, pcl5, madrs, wsas)"
    )]
    SessionMeasure(InstrumentId),
    /// A total outside the instrument's range.
    #[error("{which} total {value} is out of range for {instrument}; allowed {min}-{max}")]
    OutOfRange {
        /// The instrument.
        instrument: InstrumentId,
        /// "baseline" or "current".
        which: &'static str,
        /// The value given.
        value: u16,
        /// Lowest total.
        min: u16,
        /// Highest total.
        max: u16,
    },
    /// Thresholds that contradict each other.
    #[error(
        "partial-response threshold {partial}% must be below the response threshold {response}% (at most 100%)"
    )]
    Thresholds {
        /// Partial threshold.
        partial: u8,
        /// Response threshold.
        response: u8,
    },
    /// A Jacobson-Truax rule with unusable parameters.
    #[error(
        "reliable change index needs SD > 0 and 0 <= reliability < 1, got SD {sd} and reliability {reliability}"
    )]
    RciParameters {
        /// SD given.
        sd: String,
        /// Reliability given.
        reliability: String,
    },
}

/// Compares a current total with a baseline total.
pub fn outcome(
    instrument: InstrumentId,
    baseline: u16,
    current: u16,
    config: &OutcomeConfig,
) -> Result<Outcome, OutcomeError> {
    if matches!(instrument, InstrumentId::Moaas | InstrumentId::Cadss) {
        return Err(OutcomeError::SessionMeasure(instrument));
    }
    let (min, max) = instrument
        .definition()
        .total_range
        .ok_or(OutcomeError::NoTotal(instrument))?;
    for (which, value) in [("baseline", baseline), ("current", current)] {
        if !(min..=max).contains(&value) {
            return Err(OutcomeError::OutOfRange {
                instrument,
                which,
                value,
                min,
                max,
            });
        }
    }
    if config.partial_percent >= config.response_percent || config.response_percent > 100 {
        return Err(OutcomeError::Thresholds {
            partial: config.partial_percent,
            response: config.response_percent,
        });
    }

    let change = i32::from(current) - i32::from(baseline);
    let fall = -change;
    // Integer comparison, so that exactly 50% is a response with no floating-point doubt:
    // fall / baseline >= p / 100  <=>  100 * fall >= p * baseline.
    let falls_by = |percent: u8| {
        baseline > 0 && 100 * i64::from(fall) >= i64::from(percent) * i64::from(baseline)
    };
    let response = falls_by(config.response_percent);
    let partial_response = !response && falls_by(config.partial_percent);
    let percent_change =
        (baseline > 0).then(|| (f64::from(change) * 1000.0 / f64::from(baseline)).round() / 10.0);
    let remission = config
        .remission_at_most(instrument)
        .map(|cut| current <= cut);

    let (reliable_change, rci) = match config.reliable_change_rule(instrument) {
        None => (None, None),
        Some(ReliableChangeRule::Points { points }) => {
            let rc = if points > 0 && fall >= i32::from(points) {
                ReliableChange::Improved
            } else if points > 0 && change >= i32::from(points) {
                ReliableChange::Deteriorated
            } else {
                ReliableChange::NoReliableChange
            };
            (Some(rc), None)
        }
        Some(ReliableChangeRule::JacobsonTruax { sd, reliability }) => {
            if !(sd.is_finite() && sd > 0.0 && (0.0..1.0).contains(&reliability)) {
                return Err(OutcomeError::RciParameters {
                    sd: sd.to_string(),
                    reliability: reliability.to_string(),
                });
            }
            let se_diff = sd * 2f64.sqrt() * (1.0 - reliability).sqrt();
            let rci = f64::from(change) / se_diff;
            let rc = if rci < -1.96 {
                ReliableChange::Improved
            } else if rci > 1.96 {
                ReliableChange::Deteriorated
            } else {
                ReliableChange::NoReliableChange
            };
            (Some(rc), Some((rci * 100.0).round() / 100.0))
        }
    };

    let status = if remission == Some(true) {
        OutcomeStatus::Remission
    } else if response {
        OutcomeStatus::Response
    } else if partial_response {
        OutcomeStatus::PartialResponse
    } else {
        OutcomeStatus::NonResponse
    };

    Ok(Outcome {
        instrument,
        baseline,
        current,
        change,
        percent_change,
        response,
        partial_response,
        remission,
        reliable_change,
        rci,
        status,
    })
}
