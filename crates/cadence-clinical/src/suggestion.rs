//! The one next step the engine suggests for a course, with the reasons that fired, read from
//! the course snapshot ([`crate::course::snapshot`]).
//!
//! Order of precedence (issue 3 §3): safety holds win over everything (an open finding, or a
//! session held today); then the phase decides. In induction the end-of-induction rules of the
//! protocol apply; in maintenance the interval rules do. Every reason names the protocol rule (a
//! dotted key of the protocol file) that fired, so a clinician can see why. A suggestion never
//! changes a course by itself: only a recorded [`crate::decision::Decision`] does.
//!
//! Maintenance rules (issue 14), each a Cadence rule for the clinic to review:
//! - **One booster per episode.** While a booster is decided and not yet given the suggestion
//!   waits; once given, only check-ins after it count, and until one of them shows the
//!   response back the loss is the same episode: no second booster, the clinician reviews.
//! - **"Response lost" needs a response.** A course that never reached a response (a partial
//!   responder in maintenance, as the esketamine label continues them [SPRAVATOHCP-DOSING])
//!   is never told its response is lost.
//! - **No booster on top of weekly dosing.** At an interval of one week there is no sooner
//!   session to add: the clinician reviews instead.

use crate::course::{CoursePhase, CourseSnapshot, CourseSummary, IntervalReason};
use crate::decision::Decision;
use crate::history::ScoredAssessment;
use crate::outcome::{Outcome, OutcomeConfig, OutcomeError};
use crate::protocol::{Protocol, SymptomTrigger};
use serde::Serialize;

/// What the engine suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Suggestion {
    /// Carry on with the plan.
    Continue,
    /// Hold the next session until a clinician has reviewed a safety finding.
    HoldForReview,
    /// Partial response at the end of induction, and an extension is allowed.
    ExtendInduction,
    /// Response or remission at the end of induction.
    StartMaintenance,
    /// Non-response at the end of induction, or after the extension.
    Discontinue,
    /// Stable for the configured number of consecutive check-ins.
    LengthenInterval,
    /// Reliable deterioration versus the post-induction score while response is kept.
    ShortenInterval,
    /// Response lost during maintenance.
    Booster,
}

impl Suggestion {
    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            Suggestion::Continue => "continue",
            Suggestion::HoldForReview => "hold_for_review",
            Suggestion::ExtendInduction => "extend_induction",
            Suggestion::StartMaintenance => "start_maintenance",
            Suggestion::Discontinue => "discontinue",
            Suggestion::LengthenInterval => "lengthen_interval",
            Suggestion::ShortenInterval => "shorten_interval",
            Suggestion::Booster => "booster",
        }
    }

    /// The suggestion matching a protocol's end-of-induction decision.
    fn from_decision(decision: Decision) -> Suggestion {
        match decision {
            Decision::ExtendInduction => Suggestion::ExtendInduction,
            Decision::StartMaintenance => Suggestion::StartMaintenance,
            Decision::Discontinue => Suggestion::Discontinue,
            Decision::LengthenInterval => Suggestion::LengthenInterval,
            Decision::ShortenInterval => Suggestion::ShortenInterval,
            Decision::Booster => Suggestion::Booster,
            Decision::Continue | Decision::Resume => Suggestion::Continue,
            Decision::Pause => Suggestion::HoldForReview,
        }
    }
}

/// One reason behind a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Stable snake_case code.
    pub code: &'static str,
    /// The protocol rule (dotted key of the protocol file) that fired.
    pub rule: &'static str,
    /// A plain-language explanation.
    pub message: String,
}

fn reason(code: &'static str, rule: &'static str, message: String) -> Reason {
    Reason {
        code,
        rule,
        message,
    }
}

/// The engine's review of a course: one suggestion, its reasons, and the latest outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// Where the course stands (the snapshot's phase, induction, interval and next date).
    pub course: CourseSummary,
    /// The one suggested next step.
    pub suggestion: Suggestion,
    /// Why, each citing its rule.
    pub reasons: Vec<Reason>,
    /// The latest score of the protocol's instrument versus baseline, when both exist.
    pub outcome: Option<Outcome>,
}

/// Reviews a course from its snapshot and suggests exactly one next step.
pub fn review(protocol: &Protocol, snap: &CourseSnapshot) -> Result<Review, OutcomeError> {
    let config = protocol.outcome_config();
    let scores = &snap.scores;
    let latest_outcome = scores.outcome.clone();
    let course = snap.summary();

    let mut holds: Vec<Reason> = snap
        .open_findings
        .iter()
        .map(|f| Reason {
            code: f.kind.as_str(),
            rule: f.kind.rule(),
            message: format!("{} on {}: {}.", f.kind.label(), f.date, f.detail),
        })
        .collect();
    if snap.held_today {
        holds.push(reason(
            "session_held",
            "safety",
            format!(
                "The session booked today ({}) is held for clinician review.",
                snap.today
            ),
        ));
    }
    if !holds.is_empty() {
        return Ok(Review {
            course,
            suggestion: Suggestion::HoldForReview,
            reasons: holds,
            outcome: latest_outcome,
        });
    }

    let (suggestion, reasons) = match snap.phase {
        CoursePhase::Discontinued => (
            Suggestion::Discontinue,
            vec![reason(
                "course_discontinued",
                "decisions",
                "A clinician discontinued this course; nothing further is planned.".into(),
            )],
        ),
        CoursePhase::Paused => (
            Suggestion::Continue,
            vec![reason(
                "course_paused",
                "decisions",
                "The course is paused; record `resume` to book sessions again.".into(),
            )],
        ),
        CoursePhase::Induction => {
            // The end-of-induction review judges a score taken at or after the last induction
            // session, never the early check's.
            let since_last_session = scores
                .follow_ups
                .last()
                .is_some_and(|a| snap.last_session.is_none_or(|last| a.date >= last));
            let end_score = latest_outcome
                .as_ref()
                .filter(|_| !snap.induction.complete() || since_last_session);
            induction_step(protocol, snap, scores.baseline.as_ref(), end_score)
        }
        CoursePhase::Maintenance => maintenance_step(protocol, snap, &config)?,
    };
    Ok(Review {
        course,
        suggestion,
        reasons,
        outcome: latest_outcome,
    })
}

fn induction_step(
    protocol: &Protocol,
    snap: &CourseSnapshot,
    baseline: Option<&ScoredAssessment>,
    latest: Option<&Outcome>,
) -> (Suggestion, Vec<Reason>) {
    let eoi = &protocol.end_of_induction;
    if !snap.induction.complete() {
        let mut reasons = vec![reason(
            "induction_in_progress",
            "induction.sessions",
            format!(
                "{} of {} induction sessions completed.",
                snap.induction.done, snap.induction.target
            ),
        )];
        if let (Some(after), Some(o)) = (protocol.induction.early_check_after, latest)
            && snap.induction.done >= after
        {
            reasons.push(reason(
                "early_check",
                "induction.early_check_after",
                format!(
                    "Early check after session {after}: {} is {} ({}).",
                    o.instrument.name(),
                    percent_text(o),
                    o.status.as_str().replace('_', " ")
                ),
            ));
        }
        return (Suggestion::Continue, reasons);
    }
    let Some(o) = latest else {
        let what = if baseline.is_none() {
            "a baseline (before the first dose) and an end-of-induction score"
        } else {
            "an end-of-induction score"
        };
        return (
            Suggestion::Continue,
            vec![reason(
                "assessment_due",
                "end_of_induction.instrument",
                format!(
                    "Induction is complete; record {what} on {} to review the response.",
                    eoi.instrument.name()
                ),
            )],
        );
    };
    let summary = format!("{} is {}", o.instrument.name(), percent_text(o));
    if o.response || o.remission == Some(true) {
        let code = if o.remission == Some(true) {
            "end_of_induction_remission"
        } else {
            "end_of_induction_response"
        };
        return (
            Suggestion::from_decision(eoi.on_response),
            vec![reason(
                code,
                "end_of_induction.on_response",
                format!(
                    "At the end of induction {summary}: a fall of at least {}% is a response.",
                    eoi.response_percent
                ),
            )],
        );
    }
    if o.partial_response {
        let wanted = Suggestion::from_decision(eoi.on_partial);
        if wanted == Suggestion::ExtendInduction
            && (protocol.induction.extension_sessions == 0 || snap.induction.extensions_left == 0)
        {
            return (
                Suggestion::from_decision(eoi.on_non_response),
                vec![reason(
                    "extension_used",
                    "induction.max_extensions",
                    format!(
                        "At the end of induction {summary}, a partial response, and the \
                         protocol's {} extension(s) have been used.",
                        protocol.induction.max_extensions
                    ),
                )],
            );
        }
        return (
            wanted,
            vec![reason(
                "end_of_induction_partial_response",
                "end_of_induction.on_partial",
                format!(
                    "At the end of induction {summary}: a partial response ({}-{}% fall).",
                    eoi.partial_percent, eoi.response_percent
                ),
            )],
        );
    }
    (
        Suggestion::from_decision(eoi.on_non_response),
        vec![reason(
            "end_of_induction_non_response",
            "end_of_induction.on_non_response",
            format!(
                "At the end of induction {summary}: less than a {}% fall is non-response.",
                eoi.partial_percent
            ),
        )],
    )
}

fn maintenance_step(
    protocol: &Protocol,
    snap: &CourseSnapshot,
    config: &OutcomeConfig,
) -> Result<(Suggestion, Vec<Reason>), OutcomeError> {
    let m = &protocol.maintenance;
    let scores = &snap.scores;
    let started = snap.maintenance.as_ref().map_or(snap.today, |x| x.started);
    let interval = snap.interval_weeks;
    if let Some(decided) = snap.booster.pending_since {
        return Ok((
            Suggestion::Continue,
            vec![reason(
                "booster_pending",
                "maintenance.booster_when",
                format!(
                    "A booster was decided on {decided} and is {}; the next suggestion waits \
                     for the check-in after it.",
                    match snap.next_due {
                        Some(d) => format!("next on {d}"),
                        None => "not yet booked".to_owned(),
                    }
                ),
            )],
        ));
    }
    // Check-ins since maintenance started, and since the last booster was given: the return a
    // booster treated is not judged again.
    let since = snap.booster.last_given.map_or(started, |b| b.max(started));
    let check_ins: Vec<&ScoredAssessment> = scores
        .follow_ups
        .iter()
        .filter(|a| a.date > since)
        .collect();
    if scores.baseline.is_none() {
        return Ok((
            Suggestion::Continue,
            vec![reason(
                "baseline_missing",
                "end_of_induction.instrument",
                format!(
                    "No {} baseline was taken before the first dose: maintenance check-ins \
                     cannot be judged against it.",
                    protocol.end_of_induction.instrument.name()
                ),
            )],
        ));
    }
    let Some(latest) = check_ins.last() else {
        let message = match snap.booster.last_given {
            Some(given) if given > started => format!(
                "A booster was given on {given}; the next {} check-in after it decides what \
                 comes next.",
                protocol.end_of_induction.instrument.name()
            ),
            _ => format!(
                "Maintenance every {interval} week(s); no {} check-in since it started on \
                 {started}.",
                protocol.end_of_induction.instrument.name()
            ),
        };
        return Ok((
            Suggestion::Continue,
            vec![reason(
                "maintenance_check_in_due",
                "maintenance.start_interval_weeks",
                message,
            )],
        ));
    };

    let judged = scores.judge(latest, config)?;
    let lost = !judged.kept && scores.responded;
    let weekly = interval <= 1;
    let no_booster_weekly = || {
        reason(
            "weekly_no_booster",
            "maintenance.min_interval_weeks",
            "Sessions are already weekly: there is no sooner session to add, so no booster is \
             suggested; the clinician reviews the course."
                .into(),
        )
    };
    // The episode a booster treated lasts until a check-in shows the response back: until
    // then a further loss is the same episode, and the clinician reviews it.
    let after_booster = snap.booster.last_given.is_some_and(|given| given > started);
    if after_booster && !judged.kept {
        let regained = check_ins
            .iter()
            .map(|a| scores.judge(a, config))
            .collect::<Result<Vec<_>, _>>()?
            .iter()
            .any(|j| j.kept);
        if !regained {
            return Ok((
                Suggestion::Continue,
                vec![reason(
                    "booster_not_regained",
                    "maintenance.booster_when",
                    format!(
                        "On {} {} has not come back to a response since the booster of {}: \
                         one booster per episode; the clinician reviews the course.",
                        latest.date,
                        latest.score.instrument.name(),
                        snap.booster
                            .last_given
                            .map_or_else(String::new, |d| d.to_string())
                    ),
                )],
            ));
        }
    }
    if lost && m.booster_when == SymptomTrigger::ResponseLost {
        let vs = judged
            .vs_baseline
            .as_ref()
            .map_or_else(String::new, percent_text);
        let lost_reason = reason(
            "response_lost",
            "maintenance.booster_when",
            format!(
                "On {} {} is {vs} from baseline: response is lost.",
                latest.date,
                latest.score.instrument.name()
            ),
        );
        if weekly {
            return Ok((Suggestion::Continue, vec![lost_reason, no_booster_weekly()]));
        }
        return Ok((Suggestion::Booster, vec![lost_reason]));
    }
    let returning = match m.symptom_return {
        SymptomTrigger::ReliableDeterioration => judged.worse,
        SymptomTrigger::ResponseLost => lost,
    };
    if returning {
        let message = format!(
            "On {} {} rose reliably above the post-induction score.",
            latest.date,
            latest.score.instrument.name()
        );
        if interval > m.min_interval_weeks {
            return Ok((
                Suggestion::ShortenInterval,
                vec![reason(
                    "symptom_return",
                    "maintenance.symptom_return",
                    message,
                )],
            ));
        }
        let mut reasons = vec![
            reason("symptom_return", "maintenance.symptom_return", message),
            reason(
                "interval_at_minimum",
                "maintenance.min_interval_weeks",
                format!(
                    "The interval is already at the protocol's minimum of {} week(s).",
                    m.min_interval_weeks
                ),
            ),
        ];
        if weekly {
            reasons.push(no_booster_weekly());
            return Ok((Suggestion::Continue, reasons));
        }
        return Ok((Suggestion::Booster, reasons));
    }
    if !scores.responded {
        return Ok((
            Suggestion::Continue,
            vec![reason(
                "no_response_yet",
                "end_of_induction.on_partial",
                format!(
                    "Maintenance continues every {interval} week(s); {} has not reached a \
                     response, so the interval is not lengthened and no booster is suggested.",
                    scores.instrument.name()
                ),
            )],
        ));
    }

    // Consecutive stable check-ins since the last interval decision (or booster).
    let since = match snap.interval_reason {
        IntervalReason::Decision { on, .. } => on.max(since),
        _ => since,
    };
    let mut stable = 0u16;
    for a in check_ins.iter().rev().filter(|a| a.date > since) {
        let j = scores.judge(a, config)?;
        if j.kept && !j.worse {
            stable += 1;
        } else {
            break;
        }
    }
    let in_initial_block = snap
        .maintenance
        .as_ref()
        .and_then(|x| x.initial_block)
        .is_some_and(|b| b.active);
    if stable >= m.stable_checkins_to_lengthen && !in_initial_block {
        if interval < m.max_interval_weeks {
            return Ok((
                Suggestion::LengthenInterval,
                vec![reason(
                    "stable_check_ins",
                    "maintenance.stable_checkins_to_lengthen",
                    format!(
                        "{stable} consecutive stable check-ins at every {interval} week(s): \
                         lengthen by {} week(s).",
                        m.lengthen_by_weeks
                    ),
                )],
            ));
        }
        return Ok((
            Suggestion::Continue,
            vec![reason(
                "interval_at_maximum",
                "maintenance.max_interval_weeks",
                format!(
                    "Stable at the protocol's longest interval of {} week(s).",
                    m.max_interval_weeks
                ),
            )],
        ));
    }
    Ok((
        Suggestion::Continue,
        vec![reason(
            "maintenance_stable",
            "maintenance.stable_checkins_to_lengthen",
            match m.initial.as_ref().filter(|_| in_initial_block) {
                Some(block) => format!(
                    "Response kept; sessions every {} week(s) during the first {} weeks of \
                     maintenance, then the adaptive interval applies.",
                    block.interval_weeks, block.weeks
                ),
                None => format!(
                    "Response kept; {stable} of {} stable check-ins needed to lengthen the \
                     interval (every {interval} week(s) now).",
                    m.stable_checkins_to_lengthen
                ),
            },
        )],
    ))
}

fn percent_text(o: &Outcome) -> String {
    match o.percent_change {
        Some(p) if p <= 0.0 => format!("down {:.1}% ({} -> {})", -p, o.baseline, o.current),
        Some(p) => format!("up {p:.1}% ({} -> {})", o.baseline, o.current),
        None => format!("{} -> {}", o.baseline, o.current),
    }
}
