//! Checks of maintenance, reassessment, safety holds and what is collected when.

use super::{MAX_WEEKS, source};
use crate::instrument::{CssrsRisk, InstrumentId};
use crate::protocol::{CollectWhen, Problem, Protocol};
use std::collections::BTreeSet;

pub(super) fn maintenance(p: &Protocol, out: &mut Vec<Problem>) {
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

pub(super) fn reassessment(p: &Protocol, out: &mut Vec<Problem>) {
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

pub(super) fn safety(p: &Protocol, out: &mut Vec<Problem>) {
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
        let systolic_ok = (80..=250).contains(&bp.systolic);
        if !(40..=150).contains(&bp.diastolic) {
            out.push(Problem::at(
                "safety.bp_max.diastolic",
                format!(
                    "{} mmHg is not a plausible diastolic threshold: use 40 to 150",
                    bp.diastolic
                ),
            ));
        } else if systolic_ok && bp.systolic <= bp.diastolic {
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

pub(super) fn collect(p: &Protocol, out: &mut Vec<Problem>) {
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
