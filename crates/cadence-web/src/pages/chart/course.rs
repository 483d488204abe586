//! The latest course as the chart shows it: booked sessions, the plan, review points, the
//! engine's suggestion with its reasons, the forecasts and the recorded decisions, built from
//! the service's [`CourseView`]; and the options of the decision form.

use super::labels::{
    decision_for, decision_label, instrument_name, review_label, status_label, suggestion_label,
};
use cadence_app::courses::CourseView;
use cadence_app::records::SessionStatus;
use cadence_clinical::course::CoursePhase;
use cadence_clinical::decision::Decision;
use cadence_clinical::planner::SessionState;
use cadence_clinical::suggestion::Suggestion;
use jiff::civil::Date;

/// A booked session on the chart.
#[derive(Debug, Clone)]
pub(crate) struct SessionRow {
    pub id: i64,
    pub date: Date,
    /// `HH:MM`.
    pub time: String,
    pub status: &'static str,
    pub held: bool,
    /// Scheduled, its record not begun: front desk can move or cancel it.
    pub movable: bool,
    /// Cancelled or missed: front desk can rebook it.
    pub cancelled: bool,
}

/// A dated line of the plan.
#[derive(Debug, Clone)]
pub(crate) struct PlanRow {
    pub number: u32,
    pub date: Date,
    pub phase: &'static str,
    pub completed: bool,
}

/// A reason behind the suggestion.
#[derive(Debug, Clone)]
pub(crate) struct ReasonRow {
    pub message: String,
    pub rule: &'static str,
}

/// The engine's suggestion.
#[derive(Debug, Clone)]
pub(crate) struct SuggestionView {
    pub label: &'static str,
    pub hold: bool,
    pub reasons: Vec<ReasonRow>,
    pub outcome: Option<String>,
}

/// A forecast over one horizon.
#[derive(Debug, Clone)]
pub(crate) struct ForecastRow {
    pub weeks: u16,
    pub total: String,
    pub induction: String,
    pub maintenance: String,
    pub cost: Option<String>,
    pub assumptions: Vec<String>,
}

/// A recorded decision.
#[derive(Debug, Clone)]
pub(crate) struct DecisionRow {
    pub date: Date,
    pub label: &'static str,
    pub suggestion_shown: String,
    pub note: String,
}

/// An assessment the protocol says is due.
#[derive(Debug, Clone)]
pub(crate) struct DueRow {
    pub instrument_id: &'static str,
    pub instrument: &'static str,
    pub reason: &'static str,
    pub due_on: Date,
    pub overdue: bool,
}

/// An option of the decision form.
#[derive(Debug, Clone)]
pub(crate) struct DecisionOption {
    pub id: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// The latest course, as the chart shows it.
#[derive(Debug, Clone)]
pub(crate) struct CourseBlock {
    pub id: i64,
    pub protocol_title: String,
    pub protocol_id: String,
    pub start_date: Date,
    /// The phase, from the course snapshot (clinical roles: front desk sees bookings only).
    pub phase: Option<&'static str>,
    pub active: bool,
    pub sessions: Vec<SessionRow>,
    pub plan: Vec<PlanRow>,
    pub reviews: Vec<(Date, &'static str)>,
    pub warnings: Vec<String>,
    pub suggestion: Option<SuggestionView>,
    pub forecasts: Vec<ForecastRow>,
    pub decisions: Vec<DecisionRow>,
    pub next_session: Option<String>,
    /// The next due day when it is not booked yet (what the booking form offers).
    pub next_unbooked: Option<Date>,
    pub due: Vec<DueRow>,
}

fn range(r: cadence_clinical::forecast::Range) -> String {
    if r.low == r.high {
        r.expected.to_string()
    } else {
        format!("{} (range {}-{})", r.expected, r.low, r.high)
    }
}

/// Builds the course block from the service's view.
pub(crate) fn course_block(view: &CourseView) -> CourseBlock {
    let phase = view.summary.map(|x| x.phase);
    let sessions: Vec<SessionRow> = view
        .sessions
        .iter()
        .map(|s| SessionRow {
            id: s.id.0,
            date: s.scheduled_on,
            time: cadence_clinical::schedule::format_time(s.starts_at),
            status: status_label(s.status),
            held: s.status == SessionStatus::Held,
            movable: s.status == SessionStatus::Scheduled && s.entries.is_empty(),
            cancelled: matches!(s.status, SessionStatus::Cancelled | SessionStatus::NoShow),
        })
        .collect();
    let next_session = view.next_due.map(|d| {
        if view.next_booked {
            format!("{d} (booked)")
        } else {
            format!("{d} (planned, not yet booked)")
        }
    });
    let suggestion = view.suggestion.as_ref().map(|r| SuggestionView {
        label: suggestion_label(r.suggestion),
        hold: r.suggestion == Suggestion::HoldForReview,
        reasons: r
            .reasons
            .iter()
            .map(|x| ReasonRow {
                message: x.message.clone(),
                rule: x.rule,
            })
            .collect(),
        outcome: r.outcome.as_ref().map(|o| {
            let change = o
                .percent_change
                .map(|p| format!(" ({p:+.1}% from baseline)"))
                .unwrap_or_default();
            format!(
                "{} {} at baseline, {} now{change}: {}",
                instrument_name(o.instrument),
                o.baseline,
                o.current,
                o.status.as_str().replace('_', " ")
            )
        }),
    });
    let forecasts = view
        .forecasts
        .iter()
        .map(|f| ForecastRow {
            weeks: f.horizon_weeks,
            total: range(f.total),
            induction: range(f.remaining_induction),
            maintenance: range(f.maintenance),
            cost: f.cost.as_ref().map(|c| {
                if c.low == c.high {
                    format!("{} {}", c.currency, c.expected)
                } else {
                    format!(
                        "{cur} {} (range {cur} {} - {cur} {})",
                        c.expected,
                        c.low,
                        c.high,
                        cur = c.currency
                    )
                }
            }),
            assumptions: f.assumptions.clone(),
        })
        .collect();
    let decisions = view
        .decisions
        .iter()
        .flatten()
        .map(|d| DecisionRow {
            date: d.decided_on,
            label: decision_label(d.decision),
            suggestion_shown: d
                .suggestion_shown
                .as_deref()
                .unwrap_or("-")
                .replace('_', " "),
            note: d.note.clone().unwrap_or_default(),
        })
        .collect();
    CourseBlock {
        id: view.course.id.0,
        next_unbooked: view.next_due.filter(|_| !view.next_booked),
        protocol_title: view.protocol_title.clone(),
        protocol_id: view.course.protocol_id.clone(),
        start_date: view.course.start_date,
        phase: phase.map(CoursePhase::label),
        active: phase != Some(CoursePhase::Discontinued),
        sessions,
        plan: view
            .plan
            .iter()
            .flat_map(|p| &p.sessions)
            .map(|s| PlanRow {
                number: s.number,
                date: s.date,
                phase: s.kind.label(),
                completed: s.status == SessionState::Completed,
            })
            .collect(),
        reviews: view
            .plan
            .iter()
            .flat_map(|p| &p.reviews)
            .map(|r| (r.date, review_label(r.kind)))
            .collect(),
        warnings: view
            .plan
            .as_ref()
            .map(|p| p.warnings.clone())
            .unwrap_or_default(),
        suggestion,
        forecasts,
        decisions,
        next_session,
        due: view
            .due_assessments
            .iter()
            .map(|d| DueRow {
                instrument_id: d.instrument.as_str(),
                instrument: instrument_name(d.instrument),
                reason: d.reason.label(),
                due_on: d.due_on,
                overdue: d.overdue,
            })
            .collect(),
    }
}

/// The decision form's options, the suggestion (or the clinician's last choice) selected.
pub(crate) fn decision_options(
    suggestion: Option<Suggestion>,
    chosen: Option<Decision>,
) -> Vec<DecisionOption> {
    // A hold pre-selects nothing: the clinician chooses after reviewing (issue 16 §5).
    let selected = chosen.or(suggestion
        .filter(|s| *s != Suggestion::HoldForReview)
        .map(decision_for));
    Decision::ALL
        .iter()
        .map(|d| DecisionOption {
            id: d.as_str(),
            label: decision_label(*d),
            selected: Some(*d) == selected,
        })
        .collect()
}
