//! The planner: exact dates for the built-in protocols, every decision (`scenarios`), and
//! properties over random calendars and histories (`properties`).

mod properties;
mod scenarios;

use cadence_clinical::calendar::{ClinicCalendar, OpenDays};
use cadence_clinical::course::{CourseInputs, SnapshotError, snapshot};
use cadence_clinical::decision::Decision;
use cadence_clinical::history::{CourseHistory, DecisionRecord, SessionRecord, SessionStatus};
use cadence_clinical::instrument::ScoringConfig;
use cadence_clinical::planner::{
    Plan, PlanError, PlannedSession, ReviewKind, SessionKind, SessionState, plan,
};
use cadence_clinical::protocol::{Protocol, builtin};
use jiff::civil::{Date, date};

/// Monday 7 December 2026.
const START: Date = date(2026, 12, 7);

fn iv() -> Protocol {
    builtin("iv-ketamine-6").unwrap()
}

fn esk() -> Protocol {
    builtin("esketamine-label").unwrap()
}

fn weekdays() -> ClinicCalendar {
    ClinicCalendar::default()
}

/// The snapshot on `today`, then the plan over `weeks`: what `cadence plan` does. A snapshot
/// error and a plan error both come back as the snapshot's error.
pub(crate) fn plan_h(
    p: &Protocol,
    calendar: &ClinicCalendar,
    history: &CourseHistory,
    start: Date,
    today: Date,
    weeks: u16,
) -> Result<Plan, SnapshotError> {
    let snap = snapshot(&CourseInputs {
        protocol: p,
        calendar,
        history,
        start: Some(start),
        today,
        scoring: &ScoringConfig::default(),
    })?;
    Ok(plan(p, calendar, &snap, weeks)?)
}

fn completed(dates: &[Date]) -> Vec<SessionRecord> {
    dates
        .iter()
        .map(|d| SessionRecord {
            date: *d,
            status: SessionStatus::Completed,
            bp_pre: None,
            moaas_discharge: None,
            booking_reason: None,
        })
        .collect()
}

fn decided(list: &[(Date, Decision)]) -> Vec<DecisionRecord> {
    list.iter()
        .map(|(date, decision)| DecisionRecord {
            date: *date,
            decision: *decision,
        })
        .collect()
}

fn history(sessions: &[Date], decisions: &[(Date, Decision)]) -> CourseHistory {
    CourseHistory {
        start_date: Some(START),
        sessions: completed(sessions),
        assessments: Vec::new(),
        decisions: decided(decisions),
        findings: None,
    }
}

fn dates(plan: &Plan, kind: SessionKind) -> Vec<Date> {
    plan.sessions
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.date)
        .collect()
}

fn planned_dates(plan: &Plan) -> Vec<(SessionKind, Date)> {
    plan.sessions
        .iter()
        .filter(|s| s.status == SessionState::Planned)
        .map(|s| (s.kind, s.date))
        .collect()
}

fn reviews(plan: &Plan, kind: ReviewKind) -> Vec<Date> {
    plan.reviews
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.date)
        .collect()
}

/// The six IV induction sessions on a Monday-Friday calendar from START.
const IV_INDUCTION: [Date; 6] = [
    date(2026, 12, 7),
    date(2026, 12, 9),
    date(2026, 12, 14),
    date(2026, 12, 16),
    date(2026, 12, 21),
    date(2026, 12, 23),
];
