//! A clinic's treatment protocol: a versioned TOML file that fixes the rhythm of a course.
//!
//! A protocol says, with a `source` note on every default: the route; the induction rhythm;
//! what the end-of-induction review suggests for each outcome; how maintenance adapts; how often
//! a full reassessment falls; when a session is held for safety; and which instruments are
//! collected when. Cadence suggests from it and the planner books from it; each clinic reviews
//! its own copy (PRODUCT.md: "every shipped default cites its source").
//!
//! Files are parsed strictly ([`Protocol::from_toml`]: unknown keys are rejected) and then
//! checked as a whole ([`Protocol::check`]), so `cadence protocol check` can list every problem
//! with its line at once. Parsing is deterministic: the server freezes a file's text with each
//! course, and the same text always gives the same protocol. The built-in protocols ship as
//! files in `protocols/` ([`builtin`], [`builtin_text`]); `docs/protocols.md` describes the
//! format and their sources.

mod check;
mod describe;
mod locate;
mod settings;
mod supply;

pub use locate::{Problem, ProtocolErrors};
pub use settings::{DoseCheck, InSessionLimits, Outcomes, ReliableChangeEntry, ScreeningRules};
pub use supply::{SUPPLIED_SAFETY_KEYS, SUPPLIED_SECTIONS, missing_keys};

use crate::decision::Decision;
use crate::history::BloodPressure;
use crate::instrument::{CssrsRisk, InstrumentId, ScoringConfig};
use crate::outcome::OutcomeConfig;
use crate::route::Route;
use crate::screening::ScreeningConfig;
use serde::{Deserialize, Serialize};

/// The built-in protocol files, embedded so the binary needs no data directory.
const BUILTIN: [(&str, &str); 2] = [
    (
        "iv-ketamine-6",
        include_str!("../../protocols/iv-ketamine-6.toml"),
    ),
    (
        "esketamine-label",
        include_str!("../../protocols/esketamine-label.toml"),
    ),
];

/// The ids of the built-in protocols, in the order they are listed to users.
pub fn builtin_ids() -> &'static [&'static str] {
    &["iv-ketamine-6", "esketamine-label"]
}

/// The text of a built-in protocol file, as shipped (what a course freezes when it starts on a
/// built-in protocol).
pub fn builtin_text(id: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(builtin_id, _)| *builtin_id == id)
        .map(|(_, text)| *text)
}

/// The built-in protocol for a route, if Cadence ships one (what screening for that route
/// checks against until the clinic has protocols of its own).
pub fn builtin_for_route(route: Route) -> Option<Protocol> {
    builtin_ids()
        .iter()
        .filter_map(|id| builtin(id))
        .find(|p| p.route == route)
}

/// A built-in protocol by id (see [`builtin_ids`]); `None` for any other id.
pub fn builtin(id: &str) -> Option<Protocol> {
    builtin_text(id).and_then(|text| Protocol::from_toml(text).ok())
}

/// A built-in protocol as its file says, nothing supplied (a built-in file names every safety
/// key it sets; what it leaves out it leaves out on purpose).
fn builtin_as_written(id: &str) -> Option<Protocol> {
    builtin_text(id).and_then(|text| toml::from_str(text).ok())
}

/// A treatment protocol, as resolved from its file.
///
/// Build one with [`Protocol::from_toml`] or [`builtin`], which check it; a value built by hand
/// can be checked with [`Protocol::check`] (the planner does so before it plans).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// Stable id: lowercase letters, digits, `-` and `_`.
    pub id: String,
    /// Bumped on any change; a course keeps the version it started on.
    pub version: u32,
    /// A one-line title.
    pub title: String,
    /// The route of administration.
    pub route: Route,
    /// Where the protocol as a whole comes from.
    pub source: String,
    /// The induction rhythm.
    pub induction: Induction,
    /// What the end-of-induction review measures and suggests.
    pub end_of_induction: EndOfInduction,
    /// How maintenance adapts.
    pub maintenance: Maintenance,
    /// The periodic full reassessment.
    pub reassessment: Reassessment,
    /// When a session is held for clinician review.
    pub safety: Safety,
    /// Which instruments are collected when.
    #[serde(default)]
    pub collect: Vec<Collect>,
    /// How outcomes are judged (remission cut-offs, reliable change, the baseline window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<Outcomes>,
    /// What screening checks for this route before a course starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screening: Option<ScreeningRules>,
    /// Checks on the dose a nurse records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_check: Option<DoseCheck>,
}

/// The induction phase: a fixed number of sessions at a fixed rhythm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Induction {
    /// Number of induction sessions.
    pub sessions: u32,
    /// At most this many sessions in any 7 consecutive days ("twice weekly" = 2).
    pub per_week: u32,
    /// Minimum whole days from one session to the next (applies to every session of a course).
    pub min_days_between: u32,
    /// Induction should finish within this many weeks of the first session.
    pub max_weeks: u32,
    /// An early check falls on the date of this induction session, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_check_after: Option<u32>,
    /// Sessions one `extend_induction` decision adds.
    #[serde(default)]
    pub extension_sessions: u32,
    /// How many times induction may be extended.
    #[serde(default)]
    pub max_extensions: u32,
    /// Where these numbers come from.
    pub source: String,
}

/// The end-of-induction review: the instrument, the thresholds and what each outcome suggests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndOfInduction {
    /// The depression scale whose fall from baseline decides the outcome.
    pub instrument: InstrumentId,
    /// A fall from baseline of at least this many percent is a response.
    pub response_percent: u8,
    /// A fall of at least this many percent, below `response_percent`, is a partial response.
    pub partial_percent: u8,
    /// What a response suggests.
    pub on_response: Decision,
    /// What a partial response suggests.
    pub on_partial: Decision,
    /// What a non-response suggests.
    pub on_non_response: Decision,
    /// Where these rules come from.
    pub source: String,
}

/// What counts as a change in symptoms during maintenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SymptomTrigger {
    /// A rise past the instrument's reliable-change threshold versus the post-induction score.
    ReliableDeterioration,
    /// The fall from baseline is no longer at least the response threshold.
    ResponseLost,
}

impl SymptomTrigger {
    /// The stable id used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            SymptomTrigger::ReliableDeterioration => "reliable_deterioration",
            SymptomTrigger::ResponseLost => "response_lost",
        }
    }
}

/// Maintenance: an interval that lengthens while the patient is stable and shortens when
/// symptoms return, within bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Maintenance {
    /// The adaptive interval maintenance starts at (after the initial block, if any).
    pub start_interval_weeks: u16,
    /// The shortest interval.
    pub min_interval_weeks: u16,
    /// The longest interval.
    pub max_interval_weeks: u16,
    /// Consecutive stable check-ins after which lengthening is suggested.
    pub stable_checkins_to_lengthen: u16,
    /// Weeks one `lengthen_interval` decision adds.
    pub lengthen_by_weeks: u16,
    /// Weeks one `shorten_interval` decision removes.
    pub shorten_by_weeks: u16,
    /// What counts as symptom return (suggests shortening).
    pub symptom_return: SymptomTrigger,
    /// When a booster session is suggested.
    pub booster_when: SymptomTrigger,
    /// An optional fixed block before adaptive maintenance (esketamine weeks 5-8: weekly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<InitialBlock>,
    /// Where these numbers come from.
    pub source: String,
}

/// A fixed consolidation block at the start of maintenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitialBlock {
    /// The interval during the block.
    pub interval_weeks: u16,
    /// How long the block lasts; `weeks / interval_weeks` sessions.
    pub weeks: u16,
    /// Where these numbers come from.
    pub source: String,
}

impl InitialBlock {
    /// The number of sessions in the block.
    pub fn sessions(&self) -> u32 {
        u32::from(self.weeks)
            .checked_div(u32::from(self.interval_weeks))
            .unwrap_or(0)
    }
}

/// The periodic full reassessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reassessment {
    /// A reassessment falls every this many weeks after the first session.
    pub every_weeks: u16,
    /// The instruments a reassessment collects.
    pub instruments: Vec<InstrumentId>,
    /// Where these come from.
    pub source: String,
}

/// When a session is held for clinician review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Safety {
    /// Hold when the pre-dose blood pressure is above this (either number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bp_max: Option<BloodPressure>,
    /// Hold when a score raises its suicide-risk flag (e.g. PHQ-9 item 9 > 0).
    pub hold_on_suicide_risk: bool,
    /// Hold when the C-SSRS screener gives one of these risk categories.
    #[serde(default)]
    pub hold_on_cssrs: Vec<CssrsRisk>,
    /// Sedation is not resolved while the discharge MOAA/S is below this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharge_min_moaas: Option<u8>,
    /// Minimum observation after dosing, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observation_minutes: Option<u16>,
    /// Hold when MADRS item 10 (suicidal thoughts) is at or above this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub madrs_item10_alert: Option<u8>,
    /// Before each session at least one of these instruments must be taken that day, or a
    /// clinician releases the session without it. Empty: no such gate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suicide_screens: Vec<InstrumentId>,
    /// Discharge needs a responsible adult to escort the patient home.
    #[serde(default)]
    pub escort_required: bool,
    /// Dosing needs the pre-checks to confirm fasting as instructed.
    #[serde(default)]
    pub fasting_required: bool,
    /// Limits that raise an in-session alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_session: Option<InSessionLimits>,
    /// Where these come from.
    pub source: String,
}

/// When in a course an instrument is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectWhen {
    /// Once, before the first session.
    Baseline,
    /// In clinic before each session.
    BeforeSession,
    /// During each session.
    DuringSession,
    /// At home, by link, between sessions.
    BetweenSessions,
}

impl CollectWhen {
    /// The stable id used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            CollectWhen::Baseline => "baseline",
            CollectWhen::BeforeSession => "before_session",
            CollectWhen::DuringSession => "during_session",
            CollectWhen::BetweenSessions => "between_sessions",
        }
    }
}

/// Instruments collected at one point of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collect {
    /// When.
    pub when: CollectWhen,
    /// Which instruments.
    pub instruments: Vec<InstrumentId>,
    /// Why these, then.
    pub source: String,
}

impl Protocol {
    /// Parses and checks a protocol file. Syntax and type errors stop parsing and carry their
    /// line and column; otherwise every semantic problem is reported, each with its key path and
    /// line.
    ///
    /// A safety key the text leaves out ([`missing_keys`]) takes the value of the built-in
    /// protocol with the same id, so that a text frozen with a course before the key existed
    /// gets today's guard (an upgrade never weakens safety; see the `supply` module). A protocol
    /// with any other id is read as written.
    pub fn from_toml(text: &str) -> Result<Protocol, ProtocolErrors> {
        let mut protocol: Protocol =
            toml::from_str(text).map_err(|e| ProtocolErrors::from_toml_error(text, &e))?;
        if let Some(builtin) = builtin_as_written(&protocol.id) {
            supply::supply(&mut protocol, text, &builtin);
        }
        let problems = protocol.check();
        if problems.is_empty() {
            Ok(protocol)
        } else {
            Err(ProtocolErrors::located(text, problems))
        }
    }

    /// Every semantic problem with this protocol, each with its key path (no lines: see
    /// [`Protocol::from_toml`]). Empty when the protocol is sound.
    pub fn check(&self) -> Vec<Problem> {
        check::check(self)
    }

    /// The instruments collected at `when`, in file order.
    pub fn collected(&self, when: CollectWhen) -> Vec<InstrumentId> {
        self.collect
            .iter()
            .filter(|c| c.when == when)
            .flat_map(|c| c.instruments.iter().copied())
            .collect()
    }

    /// Whether an instrument is collected at any point of the course (reassessments included).
    pub fn collects(&self, instrument: InstrumentId) -> bool {
        self.collect
            .iter()
            .any(|c| c.instruments.contains(&instrument))
            || self.reassessment.instruments.contains(&instrument)
    }

    /// The number of induction sessions when every allowed extension is used.
    pub fn max_induction_sessions(&self) -> u32 {
        self.induction.sessions.saturating_add(
            self.induction
                .extension_sessions
                .saturating_mul(self.induction.max_extensions),
        )
    }

    /// How outcomes are judged: the end-of-induction thresholds with the `[outcomes]` rules
    /// (or, without that section, Cadence's defaults: PHQ-9 6 and GAD-7 4 points of reliable
    /// change [IAPT-NCT05134103], MADRS remission at most 10).
    pub fn outcome_config(&self) -> OutcomeConfig {
        let (response, partial) = (
            self.end_of_induction.response_percent,
            self.end_of_induction.partial_percent,
        );
        match &self.outcomes {
            Some(o) => o.config(response, partial),
            None => OutcomeConfig {
                response_percent: response,
                partial_percent: partial,
                ..OutcomeConfig::default()
            },
        }
    }

    /// How answers are scored under this protocol (the MADRS item-10 alert level).
    pub fn scoring_config(&self) -> ScoringConfig {
        ScoringConfig {
            madrs_item10_alert: self.safety.madrs_item10_alert,
            ..ScoringConfig::default()
        }
    }

    /// What screening checks for this protocol's route: the built-in defaults with the
    /// `[screening]` threshold and Maudsley points, when set.
    pub fn screening_config(&self) -> ScreeningConfig {
        let base = ScreeningConfig::default();
        match &self.screening {
            None => base,
            Some(rules) => {
                let threshold = rules.bp_max.or(base.bp_threshold(self.route));
                ScreeningConfig {
                    maudsley: rules.maudsley.clone().unwrap_or(base.maudsley.clone()),
                    ..base.with_bp_threshold(self.route, threshold)
                }
            }
        }
    }

    /// The baseline window in days, when the protocol sets one.
    pub fn baseline_window_days(&self) -> Option<u16> {
        self.outcomes.as_ref().and_then(|o| o.baseline_window_days)
    }

    /// A readable summary for `cadence protocol show`.
    pub fn describe(&self) -> String {
        describe::describe(self)
    }
}

#[cfg(test)]
mod tests;
