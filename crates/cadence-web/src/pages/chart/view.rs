//! The chart's scores: the assessment table, the latest score of each instrument, open
//! suicide-risk findings, and the trajectory's input. Pure functions of what the services
//! returned, so the page needs no further queries (the course part is in [`super::course`]).

use super::labels::{decision_label, instrument_name};
use super::trajectory::{SessionMark, Trajectory, TrajectoryInput, trajectory};
use cadence_app::courses::CourseView;
use cadence_app::records::Assessment;
use cadence_clinical::instrument::{Flag, InstrumentId};
use cadence_clinical::outcome::OutcomeConfig;
use cadence_clinical::planner::SessionState;
use jiff::civil::Date;

/// Planned sessions further ahead than this are left off the trajectory (they would squeeze
/// the scores into a corner); the plan table lists them all.
const CHART_LOOKAHEAD_DAYS: i64 = 28;

/// One row of the assessment table (and of the latest scores).
#[derive(Debug, Clone)]
pub(crate) struct ScoreRow {
    pub id: i64,
    pub date: Date,
    pub instrument: &'static str,
    /// "12 / 27", or the C-SSRS risk category.
    pub result: String,
    pub band: String,
    pub flags: Vec<String>,
    pub alert: bool,
}

pub(crate) fn score_row(a: &Assessment) -> ScoreRow {
    let s = &a.score;
    let def = a.instrument.definition();
    let result = match (s.total, s.max, &s.risk) {
        (Some(t), Some(m), _) => format!("{t} / {m}"),
        (Some(t), None, _) => t.to_string(),
        (None, _, Some(risk)) => format!("risk: {}", risk.as_str()),
        _ => "-".to_owned(),
    };
    let band = s
        .total
        .and_then(|t| def.band_for(t))
        .map(|b| b.label.to_owned())
        .or_else(|| s.band.clone())
        .unwrap_or_default();
    ScoreRow {
        id: a.id.0,
        date: a.taken_on,
        instrument: instrument_name(a.instrument),
        result,
        band,
        alert: s.has_flag(Flag::SuicideRisk),
        flags: s.flags.iter().map(|f| f.label().to_owned()).collect(),
    }
}

/// The latest score of each instrument the patient has, in catalogue order.
pub(crate) fn latest_scores(assessments: &[Assessment]) -> Vec<ScoreRow> {
    InstrumentId::ALL
        .iter()
        .filter_map(|id| {
            assessments
                .iter()
                .filter(|a| a.instrument == *id)
                .max_by_key(|a| (a.taken_on, a.id))
                .map(score_row)
        })
        .collect()
}

/// The trajectory of the course's outcome instrument (PHQ-9 without a course).
pub(crate) fn chart_of(
    assessments: &[Assessment],
    view: Option<&CourseView>,
    today: Date,
) -> Trajectory {
    let facts = view.and_then(|v| v.trajectory);
    let instrument = facts.map_or(InstrumentId::Phq9, |f| f.instrument);
    let scores: Vec<(Date, u16)> = assessments
        .iter()
        .filter(|a| a.instrument == instrument)
        .filter_map(|a| a.score.total.map(|t| (a.taken_on, t)))
        .collect();
    // The course snapshot's baseline (one rule, in the engine); without a course, the first.
    let baseline = match facts {
        Some(f) => f.baseline,
        None => scores.first().map(|(_, t)| *t),
    };
    let horizon = today
        .checked_add(jiff::Span::new().days(CHART_LOOKAHEAD_DAYS))
        .unwrap_or(today);
    let sessions = view
        .and_then(|v| v.plan.as_ref())
        .map(|plan| {
            plan.sessions
                .iter()
                .filter(|s| s.date <= horizon)
                .map(|s| SessionMark {
                    date: s.date,
                    completed: s.status == SessionState::Completed,
                })
                .collect()
        })
        .unwrap_or_default();
    let decisions = view
        .and_then(|v| v.decisions.as_ref())
        .map(|ds| {
            ds.iter()
                .map(|d| (d.decided_on, decision_label(d.decision).to_owned()))
                .collect()
        })
        .unwrap_or_default();
    trajectory(&TrajectoryInput {
        definition: instrument.definition(),
        scores,
        baseline,
        response_percent: facts.map_or(50, |f| f.response_percent),
        remission_at_most: facts.map_or_else(
            || OutcomeConfig::default().remission_at_most(instrument),
            |f| f.remission_at_most,
        ),
        sessions,
        decisions,
    })
}
