//! Maudsley Staging Method (MSM): how treatment-resistant a depressive episode is, as a score
//! from 3 to 15 and a band (reference section 5.1).
//!
//! The score adds five dimensions: episode duration and baseline severity (the illness
//! dimensions, at most 8) and antidepressant failures, augmentation and ECT (the treatment
//! dimensions). Duration and severity points, the 3-15 total and the bands are confirmed
//! [MSM-TABLE3]. The antidepressant-failure levels were seen only in a secondary source and their
//! points, like the augmentation and ECT points, are UNCONFIRMED [GH-MSM-SIM]; they therefore
//! live in [`MaudsleyConfig`], which a clinic may change, with the values as defaults.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The most points the treatment dimensions (failures, augmentation, ECT) may add: the 15-point
/// maximum total less the 8-point maximum of the illness dimensions [MSM-TABLE3].
pub const MAX_TREATMENT_POINTS: u8 = 7;

/// Baseline symptom severity of the episode, rated with the CGI or a checklist [MSM-ABS].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Below the threshold of a depressive episode.
    Subsyndromal,
    /// Mild.
    Mild,
    /// Moderate.
    Moderate,
    /// Severe, without psychotic features.
    Severe,
    /// Severe, with psychotic features.
    SeverePsychotic,
}

impl Severity {
    /// Every severity, mildest first.
    pub const ALL: [Severity; 5] = [
        Severity::Subsyndromal,
        Severity::Mild,
        Severity::Moderate,
        Severity::Severe,
        Severity::SeverePsychotic,
    ];

    /// The stable id used in files, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Subsyndromal => "subsyndromal",
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::Severe => "severe",
            Severity::SeverePsychotic => "severe_psychotic",
        }
    }

    /// The MSM severity points: subsyndromal 1, mild 2, moderate 3, severe without psychosis 4,
    /// severe with psychosis 5 [MSM-TABLE3].
    pub fn points(self) -> u8 {
        match self {
            Severity::Subsyndromal => 1,
            Severity::Mild => 2,
            Severity::Moderate => 3,
            Severity::Severe => 4,
            Severity::SeverePsychotic => 5,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A severity id that is not one of [`Severity::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown severity `{0}`: expected one of subsyndromal, mild, moderate, severe, \
     severe_psychotic"
)]
pub struct UnknownSeverity(pub String);

impl FromStr for Severity {
    type Err = UnknownSeverity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownSeverity(s.to_owned()))
    }
}

/// The treatment history the MSM stages, for the current episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaudsleyInput {
    /// How long the current episode has lasted, in whole months.
    pub duration_months: u16,
    /// Baseline symptom severity.
    pub severity: Severity,
    /// How many antidepressants have failed in this episode (at least 1: the method stages
    /// treatment resistance).
    pub failed_antidepressants: u16,
    /// Whether augmentation has been used.
    pub augmentation: bool,
    /// Whether ECT has been used.
    pub ect: bool,
}

/// One antidepressant-failure level: up to `up_to` failed drugs (inclusive; `None` for the last,
/// open-ended level) scores `points`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureLevel {
    /// The highest number of failed antidepressants in this level; `None` for "any more".
    pub up_to: Option<u16>,
    /// The points this level scores.
    pub points: u8,
}

/// The MSM sub-scores the reference marks UNCONFIRMED [GH-MSM-SIM], so that a clinic can
/// correct them without a new release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MaudsleyConfig {
    /// Antidepressant-failure levels, lowest first. Default: 1-2 drugs 1, 3-4 2, 5-6 3, 7-10 4,
    /// more than 10 5 (categories [GH-MSM-SIM]; points UNCONFIRMED, consistent with the
    /// 15-point maximum [MSM-TABLE3]).
    pub failure_levels: Vec<FailureLevel>,
    /// Points added when augmentation was used. Default 1 (UNCONFIRMED).
    pub augmentation_points: u8,
    /// Points added when ECT was used. Default 1 (UNCONFIRMED).
    pub ect_points: u8,
}

impl Default for MaudsleyConfig {
    fn default() -> Self {
        let level = |up_to, points| FailureLevel { up_to, points };
        MaudsleyConfig {
            failure_levels: vec![
                level(Some(2), 1),
                level(Some(4), 2),
                level(Some(6), 3),
                level(Some(10), 4),
                level(None, 5),
            ],
            augmentation_points: 1,
            ect_points: 1,
        }
    }
}

/// A [`MaudsleyConfig`] that could give a score outside 3-15 or one that falls when more
/// antidepressants have failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MaudsleyConfigError {
    /// No failure level at all.
    #[error(
        "maudsley.failure_levels is empty: list the levels lowest first, the last with no `up_to`"
    )]
    NoFailureLevels,
    /// A level with a bound after the open-ended one, or bounds not rising.
    #[error(
        "maudsley.failure_levels[{index}]: `up_to` must be greater than the level before it, and \
         only the last level may leave it out"
    )]
    LevelsNotAscending {
        /// 0-based position of the offending level.
        index: usize,
    },
    /// The last level has a bound, so larger counts would have no level.
    #[error(
        "the last of maudsley.failure_levels has `up_to`: leave it out so that any number of failed \
         antidepressants has a level"
    )]
    LastLevelBounded,
    /// Points of 0, or lower than the level before.
    #[error(
        "maudsley.failure_levels[{index}].points must be at least 1 and not lower than the level \
         before it, so that more failed antidepressants never lower the stage"
    )]
    PointsNotRising {
        /// 0-based position of the offending level.
        index: usize,
    },
    /// The treatment dimensions could add more than [`MAX_TREATMENT_POINTS`].
    #[error(
        "maudsley failure, augmentation and ECT points can add up to {total}, above the method's \
         {MAX_TREATMENT_POINTS} (15 in all less 8 for duration and severity [MSM-TABLE3]): lower them"
    )]
    TreatmentPointsTooHigh {
        /// The largest sum the configuration allows.
        total: u16,
    },
}

impl MaudsleyConfig {
    /// Checks that every score this configuration gives lies in 3-15 and that more failed
    /// antidepressants never lower it.
    pub fn validate(&self) -> Result<(), MaudsleyConfigError> {
        let last = self
            .failure_levels
            .len()
            .checked_sub(1)
            .ok_or(MaudsleyConfigError::NoFailureLevels)?;
        let mut previous: Option<&FailureLevel> = None;
        for (index, level) in self.failure_levels.iter().enumerate() {
            let rises = match (previous.map(|p| p.up_to), level.up_to) {
                (None, _) => true,
                (Some(Some(before)), Some(now)) => now > before,
                (Some(Some(_)), None) => index == last,
                (Some(None), _) => false,
            };
            if !rises {
                return Err(MaudsleyConfigError::LevelsNotAscending { index });
            }
            if level.points == 0 || previous.is_some_and(|p| level.points < p.points) {
                return Err(MaudsleyConfigError::PointsNotRising { index });
            }
            previous = Some(level);
        }
        if previous.is_some_and(|p| p.up_to.is_some()) {
            return Err(MaudsleyConfigError::LastLevelBounded);
        }
        let max_failure = previous.map_or(0, |p| p.points);
        let total = u16::from(max_failure)
            + u16::from(self.augmentation_points)
            + u16::from(self.ect_points);
        if total > u16::from(MAX_TREATMENT_POINTS) {
            return Err(MaudsleyConfigError::TreatmentPointsTooHigh { total });
        }
        Ok(())
    }

    /// The points for a number of failed antidepressants (the first level that holds it).
    fn failure_points(&self, failed: u16) -> Option<u8> {
        self.failure_levels
            .iter()
            .find(|l| l.up_to.is_none_or(|up_to| failed <= up_to))
            .map(|l| l.points)
    }
}

/// The MSM band of a total [MSM-TABLE3].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaudsleyBand {
    /// 3-6.
    Mild,
    /// 7-10.
    Moderate,
    /// 11-15.
    Severe,
}

impl MaudsleyBand {
    /// The stable id used in files, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            MaudsleyBand::Mild => "mild",
            MaudsleyBand::Moderate => "moderate",
            MaudsleyBand::Severe => "severe",
        }
    }

    /// The band of a total: mild 3-6, moderate 7-10, severe 11-15 [MSM-TABLE3]; `None` outside
    /// 3-15, which the method cannot give.
    pub fn for_score(score: u8) -> Option<MaudsleyBand> {
        match score {
            3..=6 => Some(MaudsleyBand::Mild),
            7..=10 => Some(MaudsleyBand::Moderate),
            11..=15 => Some(MaudsleyBand::Severe),
            _ => None,
        }
    }
}

impl fmt::Display for MaudsleyBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A staged episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaudsleyStage {
    /// The total, 3-15.
    pub score: u8,
    /// Its band.
    pub band: MaudsleyBand,
}

/// Why an episode could not be staged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MaudsleyError {
    /// No antidepressant has failed yet.
    #[error(
        "maudsley.failed_antidepressants is 0: the Maudsley method stages treatment resistance, \
         so with no failed antidepressant there is nothing to stage; leave `maudsley` out or \
         enter the number of failed antidepressants in this episode"
    )]
    NoFailedAntidepressant,
    /// The clinic's configuration is unusable.
    #[error(transparent)]
    Config(#[from] MaudsleyConfigError),
}

/// Episode-duration points: acute (12 months or less) 1, sub-acute (13-24 months) 2, chronic
/// (more than 24 months) 3 [MSM-TABLE3].
fn duration_points(months: u16) -> u8 {
    match months {
        0..=12 => 1,
        13..=24 => 2,
        _ => 3,
    }
}

/// Stages an episode: the sum of the five dimensions, and its band.
pub fn stage(
    input: &MaudsleyInput,
    config: &MaudsleyConfig,
) -> Result<MaudsleyStage, MaudsleyError> {
    config.validate()?;
    if input.failed_antidepressants == 0 {
        return Err(MaudsleyError::NoFailedAntidepressant);
    }
    // `validate` guarantees a level for every count; an empty list was rejected above.
    let failures = config
        .failure_points(input.failed_antidepressants)
        .ok_or(MaudsleyConfigError::LastLevelBounded)?;
    let added = |used: bool, points: u8| if used { points } else { 0 };
    let score = duration_points(input.duration_months)
        + input.severity.points()
        + failures
        + added(input.augmentation, config.augmentation_points)
        + added(input.ect, config.ect_points);
    // `validate` bounds the treatment points, so the score is within 3-15.
    let band =
        MaudsleyBand::for_score(score).ok_or(MaudsleyConfigError::TreatmentPointsTooHigh {
            total: u16::from(score),
        })?;
    Ok(MaudsleyStage { score, band })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_failed_antidepressants_is_an_error() {
        let input = MaudsleyInput {
            duration_months: 6,
            severity: Severity::Moderate,
            failed_antidepressants: 0,
            augmentation: true,
            ect: true,
        };
        let err = stage(&input, &MaudsleyConfig::default()).unwrap_err();
        assert_eq!(err, MaudsleyError::NoFailedAntidepressant);
        assert!(err.to_string().contains("nothing to stage"));
    }

    #[test]
    fn severity_round_trips_through_its_id() {
        for s in Severity::ALL {
            assert_eq!(s.as_str().parse::<Severity>().unwrap(), s);
        }
        assert!("very_severe".parse::<Severity>().is_err());
    }

    #[test]
    fn default_config_is_valid() {
        assert_eq!(MaudsleyConfig::default().validate(), Ok(()));
    }

    #[test]
    fn config_reads_from_toml_with_defaults() {
        let c: MaudsleyConfig = toml::from_str("augmentation_points = 0").unwrap();
        assert_eq!(c.augmentation_points, 0);
        assert_eq!(c.failure_levels, MaudsleyConfig::default().failure_levels);
        assert!(toml::from_str::<MaudsleyConfig>("unknown = 1").is_err());
    }
}
