//! The plan's vocabulary: session kinds and states, review points, and what the planner
//! cannot plan on. A leaf module: the course snapshot and the planner both use it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Longest horizon a plan may look ahead, in weeks (10 years).
pub const MAX_HORIZON_WEEKS: u16 = 520;

crate::text_enum!(
    /// The kind of a session in a course.
    pub SessionKind {
        /// The induction series (extension sessions included).
        Induction = "induction",
        /// A regular maintenance session.
        Maintenance = "maintenance",
        /// An extra session booked by a `booster` decision.
        Booster = "booster",
    }
);

impl SessionKind {
    /// In the clinic's words.
    pub fn label(self) -> &'static str {
        match self {
            SessionKind::Induction => "Induction",
            SessionKind::Maintenance => "Maintenance",
            SessionKind::Booster => "Booster",
        }
    }
}

crate::text_enum!(
    /// Where a session of the plan comes from.
    pub SessionState {
        /// It took place (the history records it completed).
        Completed = "completed",
        /// It is booked: the plan keeps it on its day.
        Booked = "booked",
        /// The planner proposes this day; nothing is booked yet.
        Planned = "planned",
    }
);

/// One session of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedSession {
    /// 1-based number within the course, in date order (cancelled sessions are not numbered).
    pub number: u32,
    /// Its kind.
    pub kind: SessionKind,
    /// The date, in the clinic's time zone.
    pub date: Date,
    /// Completed, booked or planned.
    pub status: SessionState,
    /// For maintenance sessions, the nominal interval in weeks from the previous session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_weeks: Option<u16>,
    /// For a booked session on a day that departs from the plan: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_reason: Option<String>,
}

/// The kind of a review point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// The protocol's early check during induction.
    EarlyCheck,
    /// The end-of-induction review (again after each extension).
    EndOfInductionReview,
    /// The periodic full reassessment.
    Reassessment,
}

/// A dated review point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// What kind of review.
    pub kind: ReviewKind,
    /// When.
    pub date: Date,
}

/// A calendar or horizon the planner cannot plan on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// The horizon is outside 1 to [`MAX_HORIZON_WEEKS`].
    #[error("a horizon of {weeks} weeks is out of range: use 1 to {MAX_HORIZON_WEEKS} weeks")]
    Horizon {
        /// The requested horizon.
        weeks: u16,
    },
    /// No date within a year can take the next session.
    #[error(
        "no open day can take the next session within {days} days from {from}: open more \
         weekdays or remove closed dates from the clinic calendar"
    )]
    NoSlot {
        /// Where the search started.
        from: Date,
        /// How far it looked.
        days: u32,
    },
    /// Date arithmetic left the supported range (years -9999 to 9999).
    #[error("the plan runs past the supported date range near {near}: choose a nearer start date")]
    OutOfRange {
        /// The date where arithmetic failed.
        near: Date,
    },
}
