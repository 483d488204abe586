//! Words for the stable ids the clinical pages show (instruments, decisions, suggestions,
//! statuses, flags), so every page says the same thing the same way. Ids stay the contract;
//! these labels are for people.

use cadence_app::records::SessionStatus;
use cadence_clinical::decision::Decision;
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::planner::ReviewKind;
use cadence_clinical::screening::{Eligibility, ReasonClass};
use cadence_clinical::suggestion::Suggestion;

/// The instrument's usual short name (one home: [`InstrumentId::name`]).
pub(crate) fn instrument_name(id: InstrumentId) -> &'static str {
    id.name()
}

/// A decision in words.
pub(crate) fn decision_label(d: Decision) -> &'static str {
    match d {
        Decision::Continue => "Continue as planned",
        Decision::ExtendInduction => "Extend induction",
        Decision::StartMaintenance => "Start maintenance",
        Decision::LengthenInterval => "Lengthen the interval",
        Decision::ShortenInterval => "Shorten the interval",
        Decision::Booster => "Book a booster session",
        Decision::Pause => "Pause the course",
        Decision::Resume => "Resume the course",
        Decision::Discontinue => "Discontinue the course",
    }
}

/// A suggestion in words.
pub(crate) fn suggestion_label(s: Suggestion) -> &'static str {
    match s {
        Suggestion::Continue => "Continue as planned",
        Suggestion::HoldForReview => "Hold for clinician review (safety)",
        Suggestion::ExtendInduction => "Extend induction",
        Suggestion::StartMaintenance => "Start maintenance",
        Suggestion::Discontinue => "Discontinue the course",
        Suggestion::LengthenInterval => "Lengthen the interval",
        Suggestion::ShortenInterval => "Shorten the interval",
        Suggestion::Booster => "Book a booster session",
    }
}

/// The decision a suggestion corresponds to, to pre-select in the decision form (a hold is
/// cleared by `continue` once reviewed, or the course is paused: the clinician chooses).
pub(crate) fn decision_for(s: Suggestion) -> Decision {
    match s {
        Suggestion::Continue | Suggestion::HoldForReview => Decision::Continue,
        Suggestion::ExtendInduction => Decision::ExtendInduction,
        Suggestion::StartMaintenance => Decision::StartMaintenance,
        Suggestion::Discontinue => Decision::Discontinue,
        Suggestion::LengthenInterval => Decision::LengthenInterval,
        Suggestion::ShortenInterval => Decision::ShortenInterval,
        Suggestion::Booster => Decision::Booster,
    }
}

/// A treatment session's status in words.
pub(crate) fn status_label(s: SessionStatus) -> &'static str {
    match s {
        SessionStatus::Scheduled => "Scheduled",
        SessionStatus::InProgress => "In progress",
        SessionStatus::Completed => "Completed",
        SessionStatus::Cancelled => "Cancelled",
        SessionStatus::NoShow => "Did not attend",
        SessionStatus::Held => "Held for clinician review",
    }
}

/// A review point in words.
pub(crate) fn review_label(k: ReviewKind) -> &'static str {
    match k {
        ReviewKind::EarlyCheck => "Early check",
        ReviewKind::EndOfInductionReview => "End-of-induction review",
        ReviewKind::Reassessment => "Full reassessment",
    }
}

/// A screening outcome in words.
pub(crate) fn eligibility_label(e: Eligibility) -> &'static str {
    match e {
        Eligibility::Eligible => "Eligible",
        Eligibility::NeedsReview => "Needs clinician review",
        Eligibility::NotEligible => "Not eligible",
    }
}

/// A screening reason's class in words.
pub(crate) fn reason_class_label(c: ReasonClass) -> &'static str {
    match c {
        ReasonClass::Absolute => "Absolute contraindication",
        ReasonClass::Relative => "Relative: weigh benefit and risk",
        ReasonClass::Programme => "Programme rule",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_suggestion_maps_to_a_decision_a_clinician_can_record() {
        for s in [
            Suggestion::Continue,
            Suggestion::HoldForReview,
            Suggestion::ExtendInduction,
            Suggestion::StartMaintenance,
            Suggestion::Discontinue,
            Suggestion::LengthenInterval,
            Suggestion::ShortenInterval,
            Suggestion::Booster,
        ] {
            assert!(Decision::ALL.contains(&decision_for(s)));
            assert!(!suggestion_label(s).is_empty());
        }
    }
}
