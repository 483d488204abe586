//! A course's scores read once: the baseline and the latest score of each instrument, the
//! outcome instrument's follow-ups, the post-induction score and whether the course has ever
//! reached a response.
//!
//! **Baseline** (issue 14): the last score of an instrument taken on or before the day of the
//! course's first dose (a pre-dose score on day 1 counts; scales are collected before the
//! session), and not more than the protocol's `outcomes.baseline_window_days` before it. Before
//! any dose, the latest score so far is the baseline. Only this course's assessments are given
//! (the service leaves out those of an earlier course), so an old referral score never becomes
//! the baseline of a course that started later.

use crate::history::ScoredAssessment;
use crate::instrument::InstrumentId;
use crate::outcome::{Outcome, OutcomeConfig, OutcomeError, ReliableChange, outcome};
use crate::protocol::Protocol;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// One instrument's baseline and latest score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstrumentScores {
    /// The instrument.
    pub instrument: InstrumentId,
    /// Its baseline, when one was taken in the window.
    pub baseline: Option<ScoredAssessment>,
    /// Its latest score up to today.
    pub latest: Option<ScoredAssessment>,
}

/// The outcome instrument's scores as the engine reads them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// The protocol's outcome instrument (`end_of_induction.instrument`).
    pub instrument: InstrumentId,
    /// Its baseline.
    pub baseline: Option<ScoredAssessment>,
    /// Its scores after the baseline day, in date order.
    pub follow_ups: Vec<ScoredAssessment>,
    /// The latest follow-up on or before maintenance started.
    pub post_induction: Option<ScoredAssessment>,
    /// The latest follow-up against the baseline.
    pub outcome: Option<Outcome>,
    /// Whether any follow-up reached a response (or remission): "response lost" needs one.
    pub responded: bool,
    /// Every instrument's baseline and latest score.
    pub by_instrument: Vec<InstrumentScores>,
}

impl Scores {
    /// Reads the scores of a course. `first_dose` is the day of the first completed session.
    pub(crate) fn read(
        protocol: &Protocol,
        assessments: &[ScoredAssessment],
        first_dose: Option<Date>,
        maintenance_started: Option<Date>,
        today: Date,
    ) -> Result<Scores, OutcomeError> {
        let config = protocol.outcome_config();
        let anchor = first_dose.unwrap_or(today);
        let from = protocol
            .baseline_window_days()
            .and_then(|days| anchor.checked_sub(i64::from(days).days()).ok());
        let baseline_of = |instrument: InstrumentId| {
            assessments
                .iter()
                .rfind(|a| {
                    a.score.instrument == instrument
                        && a.date <= anchor
                        && from.is_none_or(|f| a.date >= f)
                })
                .cloned()
        };
        let mut instruments: Vec<InstrumentId> =
            assessments.iter().map(|a| a.score.instrument).collect();
        instruments.sort();
        instruments.dedup();
        let by_instrument = instruments
            .iter()
            .map(|&i| InstrumentScores {
                instrument: i,
                baseline: baseline_of(i),
                latest: assessments
                    .iter()
                    .rfind(|a| a.score.instrument == i && a.date <= today)
                    .cloned(),
            })
            .collect();

        let instrument = protocol.end_of_induction.instrument;
        let baseline = baseline_of(instrument);
        let follow_ups: Vec<ScoredAssessment> = assessments
            .iter()
            .filter(|a| a.score.instrument == instrument && a.date > anchor && a.date <= today)
            .cloned()
            .collect();
        let post_induction = maintenance_started
            .and_then(|started| follow_ups.iter().rfind(|a| a.date <= started).cloned());
        let mut responded = false;
        let mut latest_outcome = None;
        if let Some(b) = &baseline {
            for f in &follow_ups {
                let o = compare(b, f, &config)?;
                responded |= o.response || o.remission == Some(true);
                latest_outcome = Some(o);
            }
        }
        Ok(Scores {
            instrument,
            baseline,
            follow_ups,
            post_induction,
            outcome: latest_outcome,
            responded,
            by_instrument,
        })
    }

    /// A check-in judged against the baseline (response kept) and the post-induction score
    /// (reliable deterioration).
    pub(crate) fn judge(
        &self,
        a: &ScoredAssessment,
        config: &OutcomeConfig,
    ) -> Result<Judgement, OutcomeError> {
        let Some(base) = &self.baseline else {
            return Ok(Judgement {
                kept: false,
                worse: false,
                vs_baseline: None,
            });
        };
        let vs = compare(base, a, config)?;
        let kept = vs.response || vs.remission == Some(true);
        let worse = match &self.post_induction {
            Some(p) => compare(p, a, config)?.reliable_change == Some(ReliableChange::Deteriorated),
            None => false,
        };
        Ok(Judgement {
            kept,
            worse,
            vs_baseline: Some(vs),
        })
    }
}

/// How one check-in stands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Judgement {
    /// Response (or remission) versus baseline.
    pub kept: bool,
    /// A reliable rise over the post-induction score.
    pub worse: bool,
    /// The outcome versus baseline.
    pub vs_baseline: Option<Outcome>,
}

/// `current` against `baseline` on their instrument.
pub(crate) fn compare(
    baseline: &ScoredAssessment,
    current: &ScoredAssessment,
    config: &OutcomeConfig,
) -> Result<Outcome, OutcomeError> {
    let b = baseline.score.total.unwrap_or(0);
    let c = current.score.total.unwrap_or(0);
    outcome(baseline.score.instrument, b, c, config)
}
