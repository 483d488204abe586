//! One course, one truth: the course snapshot.
//!
//! [`snapshot`] folds a course's protocol, the clinic calendar, its sessions (every status,
//! booked ones included), its assessments and its decisions into one [`CourseSnapshot`]: the
//! phase, induction progress, the maintenance interval and why, a pending booster, the next due
//! date, the baseline and latest score per instrument, open findings and the assessments due.
//! The planner ([`crate::planner::plan`]), the suggestion ([`crate::suggestion::review`]) and
//! the forecast ([`crate::forecast::forecast`]) all read it; nothing else replays a history, so
//! they cannot disagree about where a course stands.
//!
//! The snapshot also checks the history once for all three: a completed session, a decision or
//! an assessment dated after today, and a session or decision before the course's start, are
//! refused with the same error whichever command or page asks.

pub(crate) mod book;
mod replay;
pub(crate) mod reviews;
mod scores;

pub use replay::IntervalReason;
pub(crate) use replay::Replay;
pub use reviews::reassessment_points;
pub use scores::{InstrumentScores, Scores};

use crate::calendar::ClinicCalendar;
use crate::collection::{CollectionInputs, DueAssessment, due_assessments};
use crate::decision::Decision;
use crate::history::{CourseHistory, FindingRecord, HistoryError, SessionStatus};
use crate::instrument::ScoringConfig;
use crate::outcome::OutcomeError;
use crate::planner::types::{PlanError, SessionKind, SessionState};
use crate::protocol::{Problem, Protocol};
use crate::safety::{assessment_findings, pre_dose_finding};
use jiff::civil::Date;
use serde::Serialize;

crate::text_enum!(
    /// The phase a course is in: the one phase type of the engine, the service and the pages.
    #[derive(PartialOrd, Ord)]
    pub CoursePhase {
        /// Induction sessions are still to be given, or the end-of-induction review is
        /// pending (maintenance is provisional until a clinician confirms it).
        Induction = "induction",
        /// A clinician confirmed maintenance (`start_maintenance`, an interval change or a
        /// booster after induction).
        Maintenance = "maintenance",
        /// A clinician recorded `pause` (and no later `resume`).
        Paused = "paused",
        /// A clinician recorded `discontinue`.
        Discontinued = "discontinued",
    }
);

impl CoursePhase {
    /// In the clinic's words.
    pub fn label(self) -> &'static str {
        match self {
            CoursePhase::Induction => "Induction",
            CoursePhase::Maintenance => "Maintenance",
            CoursePhase::Paused => "Paused",
            CoursePhase::Discontinued => "Discontinued",
        }
    }
}

/// Induction progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InductionProgress {
    /// Induction sessions given.
    pub done: u32,
    /// Induction sessions due: the protocol's count plus applied extensions.
    pub target: u32,
    /// `extend_induction` decisions applied.
    pub extensions_used: u32,
    /// Extensions the protocol still allows.
    pub extensions_left: u32,
}

impl InductionProgress {
    /// Whether every induction session due has been given.
    pub fn complete(&self) -> bool {
        self.done >= self.target
    }
}

/// The fixed initial maintenance block, where the protocol has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InitialBlock {
    /// Its interval, in weeks.
    pub interval_weeks: u16,
    /// Its sessions.
    pub sessions: u32,
    /// Sessions of it given so far.
    pub done: u32,
    /// Whether it is still running (a clinician's interval change ends it).
    pub active: bool,
}

/// Maintenance as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaintenanceState {
    /// The date of the decision that confirmed maintenance.
    pub started: Date,
    /// Maintenance sessions (boosters included) given.
    pub sessions_done: u32,
    /// The initial block, if the protocol has one.
    pub initial_block: Option<InitialBlock>,
}

/// Boosters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BoosterState {
    /// The date of a `booster` decision not yet given.
    pub pending_since: Option<Date>,
    /// The date the last booster was given.
    pub last_given: Option<Date>,
}

/// A session booked and not yet over, placed by the planner where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookedSession {
    /// Its day.
    pub date: Date,
    /// Scheduled, in progress or held.
    pub status: SessionStatus,
    /// Why this day, when it departs from the plan.
    pub booking_reason: Option<String>,
}

/// Where a course stands on a day, computed once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseSnapshot {
    /// The day it describes (the clinic's today).
    pub today: Date,
    /// The course's start date.
    pub start: Date,
    /// The phase.
    pub phase: CoursePhase,
    /// While paused: the phase before the pause.
    pub paused_from: Option<CoursePhase>,
    /// Induction progress.
    pub induction: InductionProgress,
    /// Maintenance, once confirmed.
    pub maintenance: Option<MaintenanceState>,
    /// The interval the next maintenance session follows, in weeks.
    pub interval_weeks: u16,
    /// Why the interval is what it is.
    pub interval_reason: IntervalReason,
    /// Boosters.
    pub booster: BoosterState,
    /// The day of the first dose.
    pub first_dose: Option<Date>,
    /// The day of the latest completed session.
    pub last_session: Option<Date>,
    /// The day of the latest recorded decision.
    pub last_decision: Option<Date>,
    /// The next session: the first booked one from today, else the planner's next date.
    pub next_due: Option<Date>,
    /// Whether that next session is booked (else only planned).
    pub next_booked: bool,
    /// Sessions booked from today on (earlier bookings never recorded are left out, with a
    /// warning).
    pub booked: Vec<BookedSession>,
    /// Whether a session booked today is held.
    pub held_today: bool,
    /// The outcome instrument's scores and every instrument's baseline and latest.
    pub scores: Scores,
    /// Safety findings not yet released.
    pub open_findings: Vec<FindingRecord>,
    /// What the protocol says to collect that is not yet collected.
    pub due_assessments: Vec<DueAssessment>,
    /// What the clinic should know, in plain words (ignored decisions, sessions too close).
    pub warnings: Vec<String>,
    /// The replayed state the planner continues from.
    #[serde(skip)]
    pub(crate) replay: Replay,
}

/// The short form of a snapshot that `plan`, `review`, `forecast` and the API each carry, so
/// anyone can see that they agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CourseSummary {
    /// The phase.
    pub phase: CoursePhase,
    /// Induction sessions given.
    pub induction_done: u32,
    /// Induction sessions due.
    pub induction_target: u32,
    /// The interval in force, in weeks.
    pub interval_weeks: u16,
    /// The next session's date.
    pub next_due: Option<Date>,
    /// Whether that session is booked (else only planned).
    pub next_booked: bool,
}

impl CourseSnapshot {
    /// The short form.
    pub fn summary(&self) -> CourseSummary {
        CourseSummary {
            phase: self.phase,
            induction_done: self.induction.done,
            induction_target: self.induction.target,
            interval_weeks: self.interval_weeks,
            next_due: self.next_due,
            next_booked: self.next_booked,
        }
    }

    /// Whether a clinician has stopped the course for good.
    pub fn stopped(&self) -> bool {
        self.phase == CoursePhase::Discontinued
    }
}

/// What a snapshot is computed from.
#[derive(Debug, Clone, Copy)]
pub struct CourseInputs<'a> {
    /// The course's protocol.
    pub protocol: &'a Protocol,
    /// The clinic's calendar.
    pub calendar: &'a ClinicCalendar,
    /// What happened, and what is booked.
    pub history: &'a CourseHistory,
    /// The course's start date, when not in the history (`cadence plan --start`).
    pub start: Option<Date>,
    /// The clinic's today.
    pub today: Date,
    /// Scoring settings (the protocol's MADRS item-10 alert).
    pub scoring: &'a ScoringConfig,
}

/// A history the engine cannot read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SnapshotError {
    /// The protocol does not pass its checks.
    #[error(
        "protocol `{id}` is not valid; fix it first (`cadence protocol check`):\n{}",
        render(.problems)
    )]
    InvalidProtocol {
        /// The protocol's id.
        id: String,
        /// What is wrong with it.
        problems: Vec<Problem>,
    },
    /// No start date anywhere.
    #[error(
        "the course has no start date: give `start_date` in the history (or `--start`), or \
         record its first session"
    )]
    NoStart,
    /// The history names a different start date.
    #[error(
        "the history's start_date {history} differs from the requested start {requested}: use \
         one start date"
    )]
    StartMismatch {
        /// In the history.
        history: Date,
        /// Requested.
        requested: Date,
    },
    /// A session or decision before the course starts.
    #[error(
        "the {what} on {date} is before the course starts ({start}): correct its date or start \
         the course earlier"
    )]
    BeforeStart {
        /// What it is.
        what: String,
        /// Its date.
        date: Date,
        /// The course start.
        start: Date,
    },
    /// Something that has happened dated after today.
    #[error(
        "the {what} on {date} is after today ({today}): record only what has happened, or check \
         the date given as today"
    )]
    AfterToday {
        /// What it is.
        what: String,
        /// Its date.
        date: Date,
        /// Today.
        today: Date,
    },
    /// An assessment does not score.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// An outcome cannot be computed.
    #[error(transparent)]
    Outcome(#[from] OutcomeError),
    /// The next session cannot be placed on the calendar.
    #[error(transparent)]
    Plan(#[from] PlanError),
}

fn render(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks the history's dates against the start and today.
fn check_dates(history: &CourseHistory, start: Date, today: Date) -> Result<(), SnapshotError> {
    let happened = history
        .sessions
        .iter()
        .filter(|s| !s.status.is_booked())
        .map(|s| {
            (
                format!("{} session", s.status.as_str().replace('_', " ")),
                s.date,
            )
        });
    let decided = history
        .decisions
        .iter()
        .map(|d| (format!("{} decision", d.decision), d.date));
    for (what, date) in happened.chain(decided) {
        if date < start {
            return Err(SnapshotError::BeforeStart { what, date, start });
        }
        if date > today {
            return Err(SnapshotError::AfterToday { what, date, today });
        }
    }
    for s in history.sessions.iter().filter(|s| s.status.is_booked()) {
        if s.date < start {
            return Err(SnapshotError::BeforeStart {
                what: "booked session".into(),
                date: s.date,
                start,
            });
        }
    }
    for a in &history.assessments {
        if a.date > today {
            return Err(SnapshotError::AfterToday {
                what: format!("{} assessment", a.instrument),
                date: a.date,
                today,
            });
        }
    }
    Ok(())
}

/// Computes the snapshot of a course on `today`.
pub fn snapshot(inputs: &CourseInputs<'_>) -> Result<CourseSnapshot, SnapshotError> {
    let CourseInputs {
        protocol,
        calendar,
        history,
        start,
        today,
        scoring,
    } = *inputs;
    let problems = protocol.check();
    if !problems.is_empty() {
        return Err(SnapshotError::InvalidProtocol {
            id: protocol.id.clone(),
            problems,
        });
    }
    let start = match (history.start_date, start) {
        (Some(h), Some(r)) if h != r => {
            return Err(SnapshotError::StartMismatch {
                history: h,
                requested: r,
            });
        }
        (Some(d), _) | (None, Some(d)) => d,
        (None, None) => history
            .sessions_by_date()
            .first()
            .map(|s| s.date)
            .ok_or(SnapshotError::NoStart)?,
    };
    check_dates(history, start, today)?;

    let completed: Vec<Date> = history
        .sessions_by_date()
        .into_iter()
        .filter(|s| s.status == SessionStatus::Completed)
        .map(|s| s.date)
        .collect();
    let decisions: Vec<(Date, Decision)> = history
        .decisions_by_date()
        .into_iter()
        .map(|d| (d.date, d.decision))
        .collect();
    let replay = Replay::run(protocol, &completed, &decisions);
    let assessments = history.scored_assessments(scoring)?;
    let first_dose = completed.first().copied();
    let scores = Scores::read(
        protocol,
        &assessments,
        first_dose,
        replay.maintenance_started,
        today,
    )?;
    let open_findings = open_findings(protocol, history, &assessments, today);
    let mut warnings = replay.warnings.clone();
    let mut booked = Vec::new();
    for s in history.sessions_by_date() {
        if !s.status.is_booked() {
            continue;
        }
        if s.date < today {
            warnings.push(format!(
                "the session booked on {} was never recorded: mark it not attended or cancelled",
                s.date
            ));
            continue;
        }
        booked.push(BookedSession {
            date: s.date,
            status: s.status,
            booking_reason: s.booking_reason.clone(),
        });
    }
    let held_today = booked
        .iter()
        .any(|s| s.date == today && s.status == SessionStatus::Held);

    let phase = replay.phase();
    let (interval_weeks, interval_reason) = replay.nominal_interval(protocol);
    let maintenance = replay.maintenance_started.map(|started| MaintenanceState {
        started,
        sessions_done: u32::try_from(
            replay
                .sessions
                .iter()
                .filter(|s| s.kind != SessionKind::Induction)
                .count(),
        )
        .unwrap_or(u32::MAX),
        initial_block: protocol.maintenance.initial.as_ref().map(|b| InitialBlock {
            interval_weeks: b.interval_weeks,
            sessions: b.sessions(),
            done: replay.initial_done(),
            active: replay.initial_active(protocol),
        }),
    });
    let mut snap = CourseSnapshot {
        today,
        start,
        phase,
        paused_from: replay.paused_from,
        induction: InductionProgress {
            done: replay.done.min(replay.target),
            target: replay.target,
            extensions_used: replay.extensions_used,
            extensions_left: protocol
                .induction
                .max_extensions
                .saturating_sub(replay.extensions_used),
        },
        maintenance,
        interval_weeks,
        interval_reason,
        booster: BoosterState {
            pending_since: replay.booster_due,
            last_given: replay.booster_given,
        },
        first_dose,
        last_session: completed.last().copied(),
        last_decision: replay.last_decision,
        next_due: None,
        next_booked: false,
        booked,
        held_today,
        scores,
        open_findings,
        due_assessments: Vec::new(),
        warnings,
        replay,
    };
    // The next session is the planner's: booked sessions where they are, then the rhythm.
    let horizon = protocol.maintenance.max_interval_weeks.saturating_add(1);
    // The booking rule is the planner's own (`book.rs`), run on a copy of the replay.
    let mut ahead = snap.replay.clone();
    let earliest = today.max(start);
    let until = book::add_days(earliest, 7 * i64::from(horizon))?;
    book::book(
        &mut ahead,
        protocol,
        calendar,
        &snap.booked,
        earliest,
        until,
        book::Assume::default(),
    )?;
    let next = ahead
        .sessions
        .into_iter()
        .find(|s| s.status != SessionState::Completed && s.date >= today);
    snap.next_due = next.as_ref().map(|s| s.date);
    snap.next_booked = next.is_some_and(|s| s.status == SessionState::Booked);

    let taken: Vec<_> = history
        .assessments
        .iter()
        .map(|a| (a.instrument, a.date))
        .collect();
    let next_booked_day = snap.booked.first().map(|s| s.date);
    snap.due_assessments = due_assessments(&CollectionInputs {
        protocol,
        calendar,
        first_dose,
        next_session: next_booked_day,
        stopped: snap.stopped(),
        taken: &taken,
        today,
    })?;
    Ok(snap)
}

/// Open safety findings: the service's records when the history carries them, otherwise those
/// a history file implies (a suicide-risk item, a C-SSRS at the protocol's level, a MADRS item
/// 10 at its alert level, a pre-dose blood pressure over the threshold), each open unless a
/// decision was recorded on a later day: with dates alone, a decision on the same day may have
/// come before the finding, so it does not count (issue 13).
fn open_findings(
    protocol: &Protocol,
    history: &CourseHistory,
    assessments: &[crate::history::ScoredAssessment],
    today: Date,
) -> Vec<FindingRecord> {
    if let Some(given) = &history.findings {
        return given
            .iter()
            .filter(|f| !f.released && f.date <= today)
            .cloned()
            .collect();
    }
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
