//! Checks of the clinical settings (issue 13 §7): the new safety keys, in-session limits,
//! outcome rules, screening and dose checks, and the combinations that cannot work.

use super::source;
use crate::history::BloodPressure;
use crate::instrument::InstrumentId;
use crate::protocol::{CollectWhen, Problem, Protocol, SymptomTrigger};
use crate::route::Route;
use std::collections::BTreeSet;

/// Instruments with an item that screens for suicide risk (PHQ-9 item 9, QIDS-SR16 item 12,
/// MADRS item 10) or that is a suicide screen (C-SSRS).
pub(crate) const SUICIDE_SCREENS: [InstrumentId; 4] = [
    InstrumentId::Phq9,
    InstrumentId::QidsSr16,
    InstrumentId::Madrs,
    InstrumentId::CssrsScreen,
];

fn plausible_bp(path: &str, bp: BloodPressure, out: &mut Vec<Problem>) {
    if !(80..=300).contains(&bp.systolic) {
        out.push(Problem::at(
            format!("{path}.systolic"),
            format!(
                "{} mmHg is not a plausible systolic limit: use 80 to 300",
                bp.systolic
            ),
        ));
    } else if !(40..=200).contains(&bp.diastolic) {
        out.push(Problem::at(
            format!("{path}.diastolic"),
            format!(
                "{} mmHg is not a plausible diastolic limit: use 40 to 200",
                bp.diastolic
            ),
        ));
    } else if bp.diastolic >= bp.systolic {
        out.push(Problem::at(
            format!("{path}.diastolic"),
            format!(
                "the diastolic limit ({}) must be below the systolic ({})",
                bp.diastolic, bp.systolic
            ),
        ));
    }
}

/// The new keys of `[safety]` and `[safety.in_session]`.
pub(super) fn safety(p: &Protocol, out: &mut Vec<Problem>) {
    let s = &p.safety;
    if let Some(level) = s.madrs_item10_alert {
        if !(1..=6).contains(&level) {
            out.push(Problem::at(
                "safety.madrs_item10_alert",
                format!("{level} is not a MADRS item level that can alert: use 1 to 6"),
            ));
        }
    }
    let before = p.collected(CollectWhen::BeforeSession);
    let mut seen = BTreeSet::new();
    for i in &s.suicide_screens {
        if !seen.insert(*i) {
            out.push(Problem::at(
                "safety.suicide_screens",
                format!("{i} is listed twice"),
            ));
        } else if !SUICIDE_SCREENS.contains(i) {
            out.push(Problem::at(
                "safety.suicide_screens",
                format!("{i} has no suicide item: use phq9, qids_sr16, madrs or cssrs_screen"),
            ));
        } else if !before.contains(i) {
            out.push(Problem::at(
                "safety.suicide_screens",
                format!(
                    "{i} is required before each session but not collected then: add it to the \
                     `before_session` [[collect]] list"
                ),
            ));
        }
    }
    if let Some(l) = &s.in_session {
        if let Some(spo2) = l.spo2_below {
            if !(50..=100).contains(&spo2) {
                out.push(Problem::at(
                    "safety.in_session.spo2_below",
                    format!("{spo2}% is not a plausible SpO2 limit: use 50 to 100"),
                ));
            }
        }
        if let Some(bp) = l.bp_above {
            plausible_bp("safety.in_session.bp_above", bp, out);
            // Compared only with a plausible pre-dose limit (an implausible one is reported on
            // its own).
            let plausible = |b: BloodPressure| {
                (80..=250).contains(&b.systolic)
                    && (40..=150).contains(&b.diastolic)
                    && b.diastolic < b.systolic
            };
            if let Some(pre) = s.bp_max.filter(|b| plausible(*b)) {
                if bp.systolic < pre.systolic || bp.diastolic < pre.diastolic {
                    out.push(Problem::at(
                        "safety.in_session.bp_above",
                        format!(
                            "the crisis limit {}/{} is below the pre-dose hold {}/{}: a crisis is \
                             a higher reading than the pre-dose limit",
                            bp.systolic, bp.diastolic, pre.systolic, pre.diastolic
                        ),
                    ));
                }
            }
        }
        if let Some(m) = l.moaas_at_or_below {
            if m > 5 {
                out.push(Problem::at(
                    "safety.in_session.moaas_at_or_below",
                    format!("{m} is not a MOAA/S level: use 0 to 5"),
                ));
            }
        }
        for (key, value) in [
            ("respiratory_rate_below", l.respiratory_rate_below),
            ("respiratory_rate_above", l.respiratory_rate_above),
        ] {
            if let Some(v) = value {
                if !(1..=80).contains(&v) {
                    out.push(Problem::at(
                        format!("safety.in_session.{key}"),
                        format!("{v} breaths a minute is not plausible: use 1 to 80"),
                    ));
                }
            }
        }
        if let (Some(low), Some(high)) = (l.respiratory_rate_below, l.respiratory_rate_above) {
            if low >= high {
                out.push(Problem::at(
                    "safety.in_session.respiratory_rate_above",
                    format!("the upper limit ({high}) must be above the lower ({low})"),
                ));
            }
        }
        source("safety.in_session.source", &l.source, out);
    }
}

/// `[outcomes]`, and the symptom-return rules that need a reliable-change rule.
pub(super) fn outcomes(p: &Protocol, out: &mut Vec<Problem>) {
    if let Some(o) = &p.outcomes {
        let mut seen = BTreeSet::new();
        for (n, e) in o.reliable_change.iter().enumerate() {
            let at = format!("outcomes.reliable_change[{n}]");
            if !seen.insert(e.instrument) {
                out.push(Problem::at(
                    format!("{at}.instrument"),
                    format!("{} has two reliable-change rules: keep one", e.instrument),
                ));
            }
            if e.instrument.definition().total_range.is_none()
                || matches!(e.instrument, InstrumentId::Moaas | InstrumentId::Cadss)
            {
                out.push(Problem::at(
                    format!("{at}.instrument"),
                    format!(
                        "{} has no total that changes over a course: reliable change applies to \
                         symptom scales",
                        e.instrument
                    ),
                ));
            }
            match (e.points, e.sd, e.reliability) {
                (Some(0), None, None) => out.push(Problem::at(
                    format!("{at}.points"),
                    "0 points would make every change reliable: use at least 1",
                )),
                (Some(_), None, None) => {}
                (None, Some(sd), Some(r)) => {
                    if !(sd.is_finite() && sd > 0.0) {
                        out.push(Problem::at(format!("{at}.sd"), "the SD must be above 0"));
                    }
                    if !(0.0..1.0).contains(&r) {
                        out.push(Problem::at(
                            format!("{at}.reliability"),
                            "the reliability must be at least 0 and below 1",
                        ));
                    }
                }
                _ => out.push(Problem::at(
                    at,
                    "give either `points`, or `sd` with `reliability` (Jacobson-Truax)",
                )),
            }
        }
        if let Some(days) = o.baseline_window_days {
            if !(1..=365).contains(&days) {
                out.push(Problem::at(
                    "outcomes.baseline_window_days",
                    format!("{days} days is out of range: use 1 to 365, or remove it"),
                ));
            }
        }
        source("outcomes.source", &o.source, out);
    }
    let instrument = p.end_of_induction.instrument;
    let has_rule = p
        .outcome_config()
        .reliable_change_rule(instrument)
        .is_some();
    for (key, trigger) in [
        ("maintenance.symptom_return", p.maintenance.symptom_return),
        ("maintenance.booster_when", p.maintenance.booster_when),
    ] {
        if trigger == SymptomTrigger::ReliableDeterioration && !has_rule {
            out.push(Problem::at(
                key,
                format!(
                    "reliable deterioration needs a reliable-change rule for {instrument}, and \
                     there is none: add one under [outcomes] reliable_change, or use \
                     `response_lost`"
                ),
            ));
        }
    }
}

/// `[screening]` and `[dose_check]`.
pub(super) fn screening_and_doses(p: &Protocol, out: &mut Vec<Problem>) {
    if let Some(s) = &p.screening {
        if let Some(bp) = s.bp_max {
            plausible_bp("screening.bp_max", bp, out);
        }
        if let Some(days) = s.valid_days {
            if !(1..=3650).contains(&days) {
                out.push(Problem::at(
                    "screening.valid_days",
                    format!("{days} days is out of range: use 1 to 3650, or remove it"),
                ));
            }
        }
        if let Some(m) = &s.maudsley {
            if let Err(e) = m.validate() {
                out.push(Problem::at("screening.maudsley", e.to_string()));
            }
        }
        source("screening.source", &s.source, out);
    }
    if let Some(d) = &p.dose_check {
        for mg in &d.allowed_mg {
            if !(1..=1000).contains(mg) {
                out.push(Problem::at(
                    "dose_check.allowed_mg",
                    format!("{mg} mg is out of range: use 1 to 1000"),
                ));
            }
        }
        if let Some(mg) = d.first_session_max_mg {
            if !(1..=1000).contains(&mg) {
                out.push(Problem::at(
                    "dose_check.first_session_max_mg",
                    format!("{mg} mg is out of range: use 1 to 1000"),
                ));
            }
        }
        source("dose_check.source", &d.source, out);
    }
}

/// The esketamine label and REMS floor: a protocol for esketamine may be stricter, never laxer.
/// At least 2 hours of observation at every session [PI-2019-P3] [FDA-REMS]; the doses the
/// product comes in, 56 or 84 mg, and 56 mg on day 1 [MIMS-HK] [LIOBM] [MEDNEWS-DOSE], checked
/// on every recorded dose.
pub(super) const ESKETAMINE_OBSERVATION_MINUTES: u16 = 120;
/// The esketamine doses (mg): 2 or 3 devices of 28 mg.
pub(super) const ESKETAMINE_DOSES_MG: [u16; 2] = [56, 84];
/// The esketamine day-1 dose (mg).
pub(super) const ESKETAMINE_FIRST_SESSION_MG: u16 = 56;

/// The label and REMS floor for `route = "esketamine"` (see the constants above).
pub(super) fn esketamine_floor(p: &Protocol, out: &mut Vec<Problem>) {
    if p.route != Route::Esketamine {
        return;
    }
    match p.safety.observation_minutes {
        Some(m) if m >= ESKETAMINE_OBSERVATION_MINUTES => {}
        other => out.push(Problem::at(
            "safety.observation_minutes",
            format!(
                "{}: the esketamine label and REMS require at least {ESKETAMINE_OBSERVATION_MINUTES} \
                 minutes of observation after each dose [PI-2019-P3] [FDA-REMS]",
                other.map_or_else(|| "not set".to_owned(), |m| format!("{m} minutes"))
            ),
        )),
    }
    let Some(d) = &p.dose_check else {
        out.push(Problem::at(
            "dose_check",
            "an esketamine protocol needs a [dose_check] with allowed_mg = [56, 84] and \
             first_session_max_mg = 56, the label's doses [MIMS-HK] [LIOBM]",
        ));
        return;
    };
    if d.allowed_mg.is_empty()
        || d.allowed_mg
            .iter()
            .any(|mg| !ESKETAMINE_DOSES_MG.contains(mg))
    {
        out.push(Problem::at(
            "dose_check.allowed_mg",
            "esketamine comes in 56 or 84 mg (2 or 3 devices of 28 mg) [MIMS-HK] [LIOBM]: list \
             those (or fewer), so any other recorded dose needs a confirmed reason",
        ));
    }
    if d.first_session_max_mg
        .is_none_or(|mg| mg > ESKETAMINE_FIRST_SESSION_MG)
    {
        out.push(Problem::at(
            "dose_check.first_session_max_mg",
            format!(
                "the esketamine label's day-1 dose is {ESKETAMINE_FIRST_SESSION_MG} mg \
                 [LIOBM] [MEDNEWS-DOSE]: set first_session_max_mg to at most that"
            ),
        ));
    }
}
