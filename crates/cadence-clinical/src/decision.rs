//! Clinicians' decisions about a course.
//!
//! Cadence suggests; a clinician decides (PRODUCT.md, "Safety holds": nothing changes a course
//! without a clinician's recorded decision). A [`Decision`] is what a clinician recorded; the
//! planner and the forecast follow recorded decisions only, never suggestions.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A decision a clinician can record for a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Carry on with the plan as it stands (also: a safety finding was reviewed and cleared).
    Continue,
    /// Add the protocol's extension sessions to induction.
    ExtendInduction,
    /// End induction and start maintenance at the protocol's starting interval.
    StartMaintenance,
    /// Lengthen the maintenance interval by the protocol's step.
    LengthenInterval,
    /// Shorten the maintenance interval by the protocol's step.
    ShortenInterval,
    /// Book one extra session as soon as the calendar allows, then resume maintenance.
    Booster,
    /// Stop booking sessions until a `resume` decision.
    Pause,
    /// Resume a paused course where it left off.
    Resume,
    /// End the course: no further sessions.
    Discontinue,
}

impl Decision {
    /// Every decision, in a stable order.
    pub const ALL: [Decision; 9] = [
        Decision::Continue,
        Decision::ExtendInduction,
        Decision::StartMaintenance,
        Decision::LengthenInterval,
        Decision::ShortenInterval,
        Decision::Booster,
        Decision::Pause,
        Decision::Resume,
        Decision::Discontinue,
    ];

    /// The stable id used in files, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Continue => "continue",
            Decision::ExtendInduction => "extend_induction",
            Decision::StartMaintenance => "start_maintenance",
            Decision::LengthenInterval => "lengthen_interval",
            Decision::ShortenInterval => "shorten_interval",
            Decision::Booster => "booster",
            Decision::Pause => "pause",
            Decision::Resume => "resume",
            Decision::Discontinue => "discontinue",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A decision id that is not one of [`Decision::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown decision `{0}`: expected one of continue, extend_induction, start_maintenance, \
     lengthen_interval, shorten_interval, booster, pause, resume, discontinue"
)]
pub struct UnknownDecision(pub String);

impl FromStr for Decision {
    type Err = UnknownDecision;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decision::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownDecision(s.to_owned()))
    }
}
