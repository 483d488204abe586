//! Checks of the induction rhythm and the end-of-induction rules.

use super::{MAX_EXTENSIONS, MAX_SESSIONS, MAX_WEEKS, fastest_induction_days, plural, source};
use crate::decision::Decision;
use crate::instrument::InstrumentId;
use crate::protocol::{Problem, Protocol};

pub(super) fn induction(p: &Protocol, out: &mut Vec<Problem>) {
    let i = &p.induction;
    let sessions_ok = (1..=MAX_SESSIONS).contains(&i.sessions);
    if !sessions_ok {
        out.push(Problem::at(
            "induction.sessions",
            format!(
                "{} sessions is out of range: use 1 to {MAX_SESSIONS}",
                i.sessions
            ),
        ));
    }
    let per_week_ok = (1..=7).contains(&i.per_week);
    if !per_week_ok {
        out.push(Problem::at(
            "induction.per_week",
            format!("{} a week is out of range: use 1 to 7", i.per_week),
        ));
    }
    let mut gap_ok = (1..=7 * 4).contains(&i.min_days_between);
    if !gap_ok {
        out.push(Problem::at(
            "induction.min_days_between",
            format!(
                "{} days is out of range: use 1 to 28 (1 = sessions on consecutive days)",
                i.min_days_between
            ),
        ));
    } else if per_week_ok && (i.per_week - 1) * i.min_days_between > 6 {
        gap_ok = false;
        let fit = 1 + 6 / i.min_days_between;
        out.push(Problem::at(
            "induction.min_days_between",
            format!(
                "sessions at least {} apart fit at most {} in 7 days, fewer than per_week = {}: \
                 lower min_days_between or per_week",
                plural(i.min_days_between, "day", "days"),
                fit,
                i.per_week
            ),
        ));
    }
    if !(1..=MAX_WEEKS).contains(&i.max_weeks) {
        out.push(Problem::at(
            "induction.max_weeks",
            format!(
                "{} weeks is out of range: use 1 to {MAX_WEEKS}",
                i.max_weeks
            ),
        ));
    } else if sessions_ok && per_week_ok && gap_ok {
        let days = fastest_induction_days(i.sessions, i.per_week, i.min_days_between) + 1;
        if days > 7 * i.max_weeks {
            out.push(Problem::at(
                "induction.max_weeks",
                format!(
                    "{} is too short for {} at {} a week, at least {} apart: they need at \
                     least {} (session {} falls on day {} at the earliest)",
                    plural(i.max_weeks, "week", "weeks"),
                    plural(i.sessions, "session", "sessions"),
                    i.per_week,
                    plural(i.min_days_between, "day", "days"),
                    plural(days.div_ceil(7), "week", "weeks"),
                    i.sessions,
                    days
                ),
            ));
        }
    }
    if let Some(e) = i.early_check_after {
        if sessions_ok && !(1..i.sessions).contains(&e) {
            out.push(Problem::at(
                "induction.early_check_after",
                format!(
                    "an early check after session {e} must come before the last of {} induction \
                     sessions: use 1 to {}, or remove it",
                    i.sessions,
                    i.sessions.saturating_sub(1)
                ),
            ));
        }
    }
    if i.extension_sessions > MAX_SESSIONS {
        out.push(Problem::at(
            "induction.extension_sessions",
            format!(
                "{} is out of range: use 0 to {MAX_SESSIONS}",
                i.extension_sessions
            ),
        ));
    }
    if i.max_extensions > MAX_EXTENSIONS {
        out.push(Problem::at(
            "induction.max_extensions",
            format!(
                "{} is out of range: use 0 to {MAX_EXTENSIONS}",
                i.max_extensions
            ),
        ));
    }
    if i.max_extensions > 0 && i.extension_sessions == 0 {
        out.push(Problem::at(
            "induction.extension_sessions",
            "an extension would add no session: set extension_sessions to 1 or more, or \
             max_extensions to 0",
        ));
    }
    if i.extension_sessions > 0 && i.max_extensions == 0 {
        out.push(Problem::at(
            "induction.max_extensions",
            "extension_sessions is set but max_extensions = 0 never allows an extension: set \
             max_extensions to 1 or more, or extension_sessions to 0",
        ));
    }
    source("induction.source", &i.source, out);
}

/// Decisions an end-of-induction outcome may suggest.
const OUTCOME_DECISIONS: [Decision; 3] = [
    Decision::StartMaintenance,
    Decision::ExtendInduction,
    Decision::Discontinue,
];

/// Depression scales whose fall from baseline can decide an outcome.
const OUTCOME_INSTRUMENTS: [InstrumentId; 3] = [
    InstrumentId::Phq9,
    InstrumentId::QidsSr16,
    InstrumentId::Madrs,
];

pub(super) fn end_of_induction(p: &Protocol, out: &mut Vec<Problem>) {
    let e = &p.end_of_induction;
    if !OUTCOME_INSTRUMENTS.contains(&e.instrument) {
        out.push(Problem::at(
            "end_of_induction.instrument",
            format!(
                "{} cannot decide an outcome: use a depression scale (phq9, qids_sr16 or madrs), \
                 whose fall from baseline defines response",
                e.instrument
            ),
        ));
    }
    if !(1..=100).contains(&e.response_percent) {
        out.push(Problem::at(
            "end_of_induction.response_percent",
            format!("{}% is out of range: use 1 to 100", e.response_percent),
        ));
    }
    if e.partial_percent == 0 || e.partial_percent >= e.response_percent {
        out.push(Problem::at(
            "end_of_induction.partial_percent",
            format!(
                "a partial response ({}%) must be a smaller fall than a response ({}%) and at \
                 least 1%",
                e.partial_percent, e.response_percent
            ),
        ));
    }
    let extendable = p.induction.max_extensions > 0 && p.induction.extension_sessions > 0;
    for (key, d) in [
        ("on_response", e.on_response),
        ("on_partial", e.on_partial),
        ("on_non_response", e.on_non_response),
    ] {
        let path = format!("end_of_induction.{key}");
        if !OUTCOME_DECISIONS.contains(&d) {
            out.push(Problem::at(
                path,
                format!(
                    "`{d}` is not an end-of-induction decision: use start_maintenance, \
                     extend_induction or discontinue"
                ),
            ));
        } else if d == Decision::ExtendInduction && !extendable {
            out.push(Problem::at(
                path,
                "extend_induction is suggested but the protocol allows no extension: set \
                 induction.extension_sessions and induction.max_extensions",
            ));
        }
    }
    source("end_of_induction.source", &e.source, out);
}
