//! Semantic checks of a parsed protocol: every problem, not just the first.
//!
//! serde already rejects unknown keys, unknown ids (routes, instruments, decisions, triggers)
//! and wrong types. What is left are rules across values: thresholds in order, intervals
//! within their bounds, an induction that fits its weeks, instruments collected where the
//! rules need them. The upper limits here (100 sessions, 52 weeks, …) are format limits that
//! keep planning bounded, not clinical numbers.

use super::{CollectWhen, Problem, Protocol};
use crate::decision::Decision;
use crate::instrument::{CssrsRisk, InstrumentId};
use std::collections::BTreeSet;

/// Most induction sessions a protocol may ask for (a format limit that keeps plans bounded).
const MAX_SESSIONS: u32 = 100;
/// Most extensions a protocol may allow.
const MAX_EXTENSIONS: u32 = 10;
/// Longest interval, induction window or gap, in weeks (a year).
const MAX_WEEKS: u32 = 52;

/// Every problem with `p`, in the order of the file's sections.
pub(super) fn check(p: &Protocol) -> Vec<Problem> {
    let mut out = Vec::new();
    top(p, &mut out);
    induction(p, &mut out);
    end_of_induction(p, &mut out);
    maintenance(p, &mut out);
    reassessment(p, &mut out);
    safety(p, &mut out);
    collect(p, &mut out);
    out
}

fn source(path: &str, text: &str, out: &mut Vec<Problem>) {
    if text.trim().is_empty() {
        out.push(Problem::at(
            path,
            "a source is required: say where these values come from (a reference key such as \
             [JNJ-BP], or \"clinic decision\")",
        ));
    }
}

fn top(p: &Protocol, out: &mut Vec<Problem>) {
    let id_ok = !p.id.is_empty()
        && p.id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && p.id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if !id_ok {
        out.push(Problem::at(
            "id",
            format!(
                "`{}` is not a protocol id: use lowercase letters, digits, `-` and `_`, starting \
                 with a letter or digit (e.g. `iv-ketamine-6`)",
                p.id
            ),
        ));
    }
    if p.version == 0 {
        out.push(Problem::at(
            "version",
            "version starts at 1; bump it on every change",
        ));
    }
    if p.title.trim().is_empty() {
        out.push(Problem::at(
            "title",
            "the title is empty: give the protocol a one-line title",
        ));
    }
    source("source", &p.source, out);
}

/// Days from the first to the last of `sessions` sessions on a calendar open every day, at most
/// `per_week` in any 7 days and at least `gap` days apart: the fastest induction possible.
pub(crate) fn fastest_induction_days(sessions: u32, per_week: u32, gap: u32) -> u32 {
    let mut dates: Vec<u32> = vec![0];
    for _ in 1..sessions {
        let mut d = dates.last().copied().unwrap_or(0) + gap.max(1);
        while dates.iter().filter(|x| **x + 6 >= d).count() >= per_week.max(1) as usize {
            d += 1;
        }
        dates.push(d);
    }
    dates.last().copied().unwrap_or(0)
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn induction(p: &Protocol, out: &mut Vec<Problem>) {
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
                     least {} ({} days from first to last)",
                    plural(i.max_weeks, "week", "weeks"),
                    plural(i.sessions, "session", "sessions"),
                    i.per_week,
                    plural(i.min_days_between, "day", "days"),
                    plural(days.div_ceil(7), "week", "weeks"),
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

fn end_of_induction(p: &Protocol, out: &mut Vec<Problem>) {
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

fn maintenance(p: &Protocol, out: &mut Vec<Problem>) {
    let m = &p.maintenance;
    let max = u32::from(m.max_interval_weeks);
    let min = u32::from(m.min_interval_weeks);
    let bounds_ok = min >= 1 && max <= MAX_WEEKS && min <= max;
    if min == 0 {
        out.push(Problem::at(
            "maintenance.min_interval_weeks",
            "the shortest interval must be at least 1 week",
        ));
    }
    if max > MAX_WEEKS {
        out.push(Problem::at(
            "maintenance.max_interval_weeks",
            format!("{max} weeks is out of range: use at most {MAX_WEEKS}"),
        ));
    }
    if min > max {
        out.push(Problem::at(
            "maintenance.max_interval_weeks",
            format!(
                "the longest interval ({max} weeks) is shorter than the shortest ({min} weeks)"
            ),
        ));
    }
    let within = |w: u16| (min..=max).contains(&u32::from(w));
    if bounds_ok && !within(m.start_interval_weeks) {
        out.push(Problem::at(
            "maintenance.start_interval_weeks",
            format!(
                "{} weeks is outside the interval bounds {min} to {max} weeks",
                m.start_interval_weeks
            ),
        ));
    }
    if min < max {
        for (key, v) in [
            ("stable_checkins_to_lengthen", m.stable_checkins_to_lengthen),
            ("lengthen_by_weeks", m.lengthen_by_weeks),
            ("shorten_by_weeks", m.shorten_by_weeks),
        ] {
            if v == 0 {
                out.push(Problem::at(
                    format!("maintenance.{key}"),
                    "must be at least 1 when the interval can change (min_interval_weeks < \
                     max_interval_weeks)",
                ));
            }
        }
    }
    if let Some(b) = &m.initial {
        if b.interval_weeks == 0 || (bounds_ok && !within(b.interval_weeks)) {
            out.push(Problem::at(
                "maintenance.initial.interval_weeks",
                format!(
                    "{} weeks is outside the maintenance interval bounds {min} to {max} weeks",
                    b.interval_weeks
                ),
            ));
        } else if b.weeks < b.interval_weeks || b.weeks % b.interval_weeks != 0 {
            out.push(Problem::at(
                "maintenance.initial.weeks",
                format!(
                    "{} weeks is not a whole number of {}-week intervals: the block must hold at \
                     least one session and end on one",
                    b.weeks, b.interval_weeks
                ),
            ));
        } else if u32::from(b.weeks) > MAX_WEEKS {
            out.push(Problem::at(
                "maintenance.initial.weeks",
                format!("{} weeks is out of range: use at most {MAX_WEEKS}", b.weeks),
            ));
        }
        source("maintenance.initial.source", &b.source, out);
    }
    source("maintenance.source", &m.source, out);
}

fn reassessment(p: &Protocol, out: &mut Vec<Problem>) {
    let r = &p.reassessment;
    if r.every_weeks == 0 || u32::from(r.every_weeks) > MAX_WEEKS {
        out.push(Problem::at(
            "reassessment.every_weeks",
            format!(
                "{} weeks is out of range: use 1 to {MAX_WEEKS}",
                r.every_weeks
            ),
        ));
    }
    if r.instruments.is_empty() {
        out.push(Problem::at(
            "reassessment.instruments",
            "a reassessment collects no instrument: list at least one (e.g. [\"phq9\"])",
        ));
    }
    duplicates("reassessment.instruments", &r.instruments, out);
    source("reassessment.source", &r.source, out);
}

fn duplicates(path: &str, list: &[InstrumentId], out: &mut Vec<Problem>) {
    let mut seen = BTreeSet::new();
    for i in list {
        if !seen.insert(*i) {
            out.push(Problem::at(path, format!("{i} is listed twice")));
        }
    }
}

fn safety(p: &Protocol, out: &mut Vec<Problem>) {
    let s = &p.safety;
    if let Some(bp) = s.bp_max {
        if !(80..=250).contains(&bp.systolic) {
            out.push(Problem::at(
                "safety.bp_max.systolic",
                format!(
                    "{} mmHg is not a plausible systolic threshold: use 80 to 250",
                    bp.systolic
                ),
            ));
        }
        if !(40..=150).contains(&bp.diastolic) {
            out.push(Problem::at(
                "safety.bp_max.diastolic",
                format!(
                    "{} mmHg is not a plausible diastolic threshold: use 40 to 150",
                    bp.diastolic
                ),
            ));
        } else if bp.systolic <= bp.diastolic {
            out.push(Problem::at(
                "safety.bp_max.diastolic",
                format!(
                    "the diastolic threshold ({}) must be below the systolic ({})",
                    bp.diastolic, bp.systolic
                ),
            ));
        }
    }
    if s.hold_on_cssrs.contains(&CssrsRisk::None) {
        out.push(Problem::at(
            "safety.hold_on_cssrs",
            "`none` would hold every session: list only risk categories (low, moderate, high)",
        ));
    }
    if !s.hold_on_cssrs.is_empty() && !p.collects(InstrumentId::CssrsScreen) {
        out.push(Problem::at(
            "safety.hold_on_cssrs",
            "holds on the C-SSRS but never collects cssrs_screen: add it to a [[collect]] list",
        ));
    }
    if s.hold_on_suicide_risk
        && ![
            InstrumentId::Phq9,
            InstrumentId::QidsSr16,
            InstrumentId::CssrsScreen,
        ]
        .iter()
        .any(|i| p.collects(*i))
    {
        out.push(Problem::at(
            "safety.hold_on_suicide_risk",
            "holds on suicide risk but collects no instrument with a suicide item (phq9, \
             qids_sr16 or cssrs_screen)",
        ));
    }
    if let Some(m) = s.discharge_min_moaas {
        if m > 5 {
            out.push(Problem::at(
                "safety.discharge_min_moaas",
                format!("{m} is not a MOAA/S level: use 0 to 5 (5 = responds readily to name)"),
            ));
        }
    }
    if let Some(m) = s.observation_minutes {
        if m == 0 || m > 24 * 60 {
            out.push(Problem::at(
                "safety.observation_minutes",
                format!("{m} minutes is out of range: use 1 to 1440, or remove it"),
            ));
        }
    }
    source("safety.source", &s.source, out);
}

fn collect(p: &Protocol, out: &mut Vec<Problem>) {
    let mut first_at: Vec<(CollectWhen, usize)> = Vec::new();
    for (i, c) in p.collect.iter().enumerate() {
        let at = format!("collect[{i}]");
        if let Some((_, j)) = first_at.iter().find(|(w, _)| *w == c.when) {
            out.push(Problem::at(
                format!("{at}.when"),
                format!(
                    "`{}` is already listed in collect[{j}]: merge the two lists",
                    c.when.as_str()
                ),
            ));
        } else {
            first_at.push((c.when, i));
        }
        if c.instruments.is_empty() {
            out.push(Problem::at(
                format!("{at}.instruments"),
                "the list is empty: name at least one instrument, or remove the entry",
            ));
        }
        duplicates(&format!("{at}.instruments"), &c.instruments, out);
        source(&format!("{at}.source"), &c.source, out);
    }
    let eoi = p.end_of_induction.instrument;
    if !p.collected(CollectWhen::Baseline).contains(&eoi) {
        out.push(Problem::at(
            "end_of_induction.instrument",
            format!(
                "{eoi} decides the end-of-induction outcome but is not collected at baseline: \
                 add it to the `baseline` [[collect]] list (response is a fall from baseline)"
            ),
        ));
    }
    if !p.collected(CollectWhen::BeforeSession).contains(&eoi)
        && !p.collected(CollectWhen::BetweenSessions).contains(&eoi)
    {
        out.push(Problem::at(
            "end_of_induction.instrument",
            format!(
                "{eoi} decides the end-of-induction outcome but is never collected during the \
                 course: add it to the `before_session` or `between_sessions` [[collect]] list"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastest_induction_follows_gap_and_weekly_limit() {
        // 2 a week, 2 days apart: days 0, 2, 7, 9, 14, 16 → 16.
        assert_eq!(fastest_induction_days(6, 2, 2), 16);
        // 3 a week, 2 days apart: days 0, 2, 4, 7, 9, 11 → 11.
        assert_eq!(fastest_induction_days(6, 3, 2), 11);
        // 1 session: day 0.
        assert_eq!(fastest_induction_days(1, 2, 2), 0);
        // 7 a week, 1 day apart: consecutive days.
        assert_eq!(fastest_induction_days(5, 7, 1), 4);
        // 2 a week, 5 days apart: the gap binds: 0, 5, 10.
        assert_eq!(fastest_induction_days(3, 2, 5), 10);
    }
}
