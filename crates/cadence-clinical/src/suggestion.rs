//! The one next step the engine suggests for a course, with the reasons that fired.
//!
//! Order of precedence (issue 3 §3): safety holds win over everything; then the phase decides.
//! In induction the end-of-induction rules of the protocol apply; in maintenance the interval
//! rules do. Every reason names the protocol rule (a dotted key of the protocol file) that fired,
//! so a clinician can see why. A suggestion never changes a course by itself: only a recorded
//! [`crate::decision::Decision`] does.

use crate::course::{self, CoursePhase, CourseState};
use crate::decision::Decision;
use crate::history::{CourseHistory, FindingRecord, HistoryError, ScoredAssessment};
use crate::instrument::ScoringConfig;
use crate::outcome::{Outcome, OutcomeConfig, OutcomeError, ReliableChange, outcome};
use crate::protocol::{Protocol, SymptomTrigger};
use crate::safety::{assessment_findings, pre_dose_finding};
use jiff::civil::Date;
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
    /// The one suggested next step.
    pub suggestion: Suggestion,
    /// Why, each citing its rule.
    pub reasons: Vec<Reason>,
    /// The latest score of the protocol's instrument versus baseline, when both exist.
    pub outcome: Option<Outcome>,
}

/// Why a course cannot be reviewed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReviewError {
    /// An assessment in the history does not score.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// An outcome could not be computed.
    #[error(transparent)]
    Outcome(#[from] OutcomeError),
}

/// Reviews a course on `today` and suggests exactly one next step.
pub fn review(
    protocol: &Protocol,
    history: &CourseHistory,
    today: Date,
    scoring: &ScoringConfig,
) -> Result<Review, ReviewError> {
    let assessments = history.scored_assessments(scoring)?;
    let state = course::course_state(protocol, history, today);
    let config = OutcomeConfig {
        response_percent: protocol.end_of_induction.response_percent,
        partial_percent: protocol.end_of_induction.partial_percent,
        ..OutcomeConfig::default()
    };
    let baseline = course::baseline(&assessments, protocol, &state);
    let follow_ups = course::follow_ups(&assessments, protocol, baseline, today);
    let latest_outcome = match (baseline, follow_ups.last()) {
        (Some(b), Some(latest)) => Some(compare(b, latest, &config)?),
        _ => None,
    };

    let holds = safety_holds(protocol, history, &assessments, today);
    if !holds.is_empty() {
        return Ok(Review {
            suggestion: Suggestion::HoldForReview,
            reasons: holds,
            outcome: latest_outcome,
        });
    }

    let (suggestion, reasons) = match state.phase {
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
            let since_last_session = follow_ups
                .last()
                .is_some_and(|a| state.last_session.is_none_or(|last| a.date >= last));
            let end_score = latest_outcome
                .as_ref()
                .filter(|_| !state.induction_complete() || since_last_session);
            induction_step(protocol, &state, baseline, end_score)
        }
        CoursePhase::Maintenance => {
            maintenance_step(protocol, &state, baseline, &follow_ups, &config, today)?
        }
    };
    Ok(Review {
        suggestion,
        reasons,
        outcome: latest_outcome,
    })
}

fn compare(
    baseline: &ScoredAssessment,
    current: &ScoredAssessment,
    config: &OutcomeConfig,
) -> Result<Outcome, OutcomeError> {
    let b = baseline.score.total.unwrap_or(0);
    let c = current.score.total.unwrap_or(0);
    outcome(baseline.score.instrument, b, c, config)
}

/// Open safety findings, each a reason to hold (PRODUCT.md, "Safety holds are guards, not
/// advice"): the service's findings when the history carries them, otherwise those derived
/// from the history's assessments and pre-dose readings.
fn safety_holds(
    protocol: &Protocol,
    history: &CourseHistory,
    assessments: &[ScoredAssessment],
    today: Date,
) -> Vec<Reason> {
    let open: Vec<FindingRecord> = match &history.findings {
        Some(given) => given
            .iter()
            .filter(|f| !f.released && f.date <= today)
            .cloned()
            .collect(),
        None => derived_findings(protocol, history, assessments, today),
    };
    open.into_iter()
        .map(|f| Reason {
            code: f.kind.as_str(),
            rule: f.kind.rule(),
            message: format!("{} on {}: {}.", f.kind.label(), f.date, f.detail),
        })
        .collect()
}

/// The findings a history file implies (no stored findings): a suicide-risk item, a C-SSRS at
/// the protocol's level, a MADRS item 10 at its alert level, or a pre-dose blood pressure over
/// the threshold, each open unless a decision was recorded on a later day.
fn derived_findings(
    protocol: &Protocol,
    history: &CourseHistory,
    assessments: &[ScoredAssessment],
    today: Date,
) -> Vec<FindingRecord> {
    let reviewed = |date: Date| {
        history
            .decisions
            .iter()
            .any(|d| d.date > date && d.date <= today)
    };
    let mut out = Vec::new();
    for s in history.sessions_by_date() {
        if s.date > today || reviewed(s.date) {
            continue;
        }
        if let Some(f) = s
            .bp_pre
            .and_then(|bp| pre_dose_finding(bp, &protocol.safety))
        {
            out.push(FindingRecord {
                kind: f.kind,
                detail: f.detail,
                date: s.date,
                released: false,
            });
        }
    }
    for (a, record) in assessments.iter().zip(history.assessments_by_date()) {
        if a.date > today || reviewed(a.date) {
            continue;
        }
        for f in assessment_findings(&a.score, &record.answers, &protocol.safety) {
            out.push(FindingRecord {
                kind: f.kind,
                detail: f.detail,
                date: a.date,
                released: false,
            });
        }
    }
    out
}

fn induction_step(
    protocol: &Protocol,
    state: &CourseState,
    baseline: Option<&ScoredAssessment>,
    latest: Option<&Outcome>,
) -> (Suggestion, Vec<Reason>) {
    let eoi = &protocol.end_of_induction;
    if !state.induction_complete() {
        let mut reasons = vec![reason(
            "induction_in_progress",
            "induction.sessions",
            format!(
                "{} of {} induction sessions completed.",
                state.completed_induction, state.induction_target
            ),
        )];
        if let (Some(after), Some(o)) = (protocol.induction.early_check_after, latest)
            && state.completed_induction >= after
        {
            reasons.push(reason(
                "early_check",
                "induction.early_check_after",
                format!(
                    "Early check after session {after}: {} is {} ({}).",
                    o.instrument,
                    percent_text(o),
                    o.status.as_str().replace('_', " ")
                ),
            ));
        }
        return (Suggestion::Continue, reasons);
    }
    let Some(o) = latest else {
        let what = if baseline.is_none() {
            "a baseline (on or before the start date) and an end-of-induction score"
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
                    eoi.instrument
                ),
            )],
        );
    };
    let summary = format!("{} is {}", o.instrument, percent_text(o));
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
        if wanted == Suggestion::ExtendInduction && !state.extension_available(protocol) {
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
    state: &CourseState,
    baseline: Option<&ScoredAssessment>,
    follow_ups: &[&ScoredAssessment],
    config: &OutcomeConfig,
    today: Date,
) -> Result<(Suggestion, Vec<Reason>), OutcomeError> {
    let m = &protocol.maintenance;
    let started = state.maintenance_started.unwrap_or(today);
    // The post-induction score: the latest follow-up on or before maintenance started.
    let post_induction = follow_ups.iter().rev().find(|a| a.date <= started).copied();
    let check_ins: Vec<&ScoredAssessment> = follow_ups
        .iter()
        .filter(|a| a.date > started)
        .copied()
        .collect();
    let (Some(base), Some(latest)) = (baseline, check_ins.last()) else {
        return Ok((
            Suggestion::Continue,
            vec![reason(
                "maintenance_check_in_due",
                "maintenance.start_interval_weeks",
                format!(
                    "Maintenance every {} week(s); no {} check-in since it started on {started}.",
                    state.interval_weeks, protocol.end_of_induction.instrument
                ),
            )],
        ));
    };

    // Classify each check-in: response kept (versus baseline) and no reliable deterioration
    // (versus the post-induction score).
    let classify = |a: &ScoredAssessment| -> Result<(bool, bool), OutcomeError> {
        let vs_base = compare(base, a, config)?;
        let kept = vs_base.response || vs_base.remission == Some(true);
        let worse = match post_induction {
            Some(p) => compare(p, a, config)?.reliable_change == Some(ReliableChange::Deteriorated),
            None => false,
        };
        Ok((kept, worse))
    };
    let (kept, worse) = classify(latest)?;
    let lost_is_booster = m.booster_when == SymptomTrigger::ResponseLost;
    if !kept && lost_is_booster {
        return Ok((
            Suggestion::Booster,
            vec![reason(
                "response_lost",
                "maintenance.booster_when",
                format!(
                    "On {} {} is {} from baseline: response is lost.",
                    latest.date,
                    latest.score.instrument,
                    percent_text(&compare(base, latest, config)?)
                ),
            )],
        ));
    }
    let returning = match m.symptom_return {
        SymptomTrigger::ReliableDeterioration => worse,
        SymptomTrigger::ResponseLost => !kept,
    };
    if returning {
        let message = format!(
            "On {} {} rose reliably above the post-induction score.",
            latest.date, latest.score.instrument
        );
        if state.interval_weeks > m.min_interval_weeks {
            return Ok((
                Suggestion::ShortenInterval,
                vec![reason(
                    "symptom_return",
                    "maintenance.symptom_return",
                    message,
                )],
            ));
        }
        return Ok((
            Suggestion::Booster,
            vec![
                reason("symptom_return", "maintenance.symptom_return", message),
                reason(
                    "interval_at_minimum",
                    "maintenance.min_interval_weeks",
                    format!(
                        "The interval is already at the protocol's minimum of {} week(s).",
                        m.min_interval_weeks
                    ),
                ),
            ],
        ));
    }

    // Consecutive stable check-ins since the last interval change.
    let since = state.last_interval_change.unwrap_or(started);
    let mut stable = 0u16;
    for a in check_ins.iter().rev().filter(|a| a.date > since) {
        let (k, w) = classify(a)?;
        if k && !w {
            stable += 1;
        } else {
            break;
        }
    }
    let in_initial_block = m.initial.as_ref().is_some_and(|b| {
        today < started.saturating_add(jiff::Span::new().days(i64::from(b.weeks) * 7))
    });
    if stable >= m.stable_checkins_to_lengthen && !in_initial_block {
        if state.interval_weeks < m.max_interval_weeks {
            return Ok((
                Suggestion::LengthenInterval,
                vec![reason(
                    "stable_check_ins",
                    "maintenance.stable_checkins_to_lengthen",
                    format!(
                        "{stable} consecutive stable check-ins at every {} week(s): lengthen by {} \
                         week(s).",
                        state.interval_weeks, m.lengthen_by_weeks
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
                     interval (every {} week(s) now).",
                    m.stable_checkins_to_lengthen, state.interval_weeks
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
