//! The readable summary `cadence protocol show` prints: every resolved value in a sentence,
//! followed by its source, so a clinician can review a protocol without reading TOML.

use super::{Collect, Protocol, SymptomTrigger};
use crate::instrument::InstrumentId;
use crate::outcome::ReliableChangeRule;
use std::fmt::Write;

fn weeks(n: u16) -> String {
    if n == 1 {
        "1 week".to_owned()
    } else {
        format!("{n} weeks")
    }
}

fn list(ids: &[InstrumentId]) -> String {
    ids.iter()
        .map(|i| i.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn trigger(t: SymptomTrigger) -> &'static str {
    match t {
        SymptomTrigger::ReliableDeterioration => {
            "a rise past the instrument's reliable-change threshold versus the post-induction score"
        }
        SymptomTrigger::ResponseLost => {
            "the response is lost (the fall from baseline is no longer a response)"
        }
    }
}

/// The summary text; every line ends with a newline.
pub(super) fn describe(p: &Protocol) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail; the results are ignored on purpose.
    let _ = writeln!(s, "{} (version {}): {}", p.id, p.version, p.title);
    let _ = writeln!(s, "Route: {} ({})", p.route.label(), p.route.as_str());
    let _ = writeln!(s, "Source: {}", p.source);

    let i = &p.induction;
    let _ = writeln!(s, "\nInduction");
    let _ = writeln!(
        s,
        "  {} sessions, at most {} in any 7 days, at least {} days apart, within {} weeks of the first session",
        i.sessions, i.per_week, i.min_days_between, i.max_weeks
    );
    if let Some(e) = i.early_check_after {
        let _ = writeln!(s, "  early check after session {e}");
    }
    if i.max_extensions > 0 {
        let _ = writeln!(
            s,
            "  an extension adds {} sessions, at most {} time(s)",
            i.extension_sessions, i.max_extensions
        );
    } else {
        let _ = writeln!(s, "  no extension");
    }
    let _ = writeln!(s, "  source: {}", i.source);

    let e = &p.end_of_induction;
    let _ = writeln!(s, "\nEnd-of-induction review ({})", e.instrument);
    let _ = writeln!(
        s,
        "  response: a fall of at least {}% from baseline -> suggest {}",
        e.response_percent, e.on_response
    );
    let _ = writeln!(
        s,
        "  partial response: a fall of {}% to under {}% -> suggest {}",
        e.partial_percent, e.response_percent, e.on_partial
    );
    let _ = writeln!(
        s,
        "  non-response: a fall of under {}% -> suggest {}",
        e.partial_percent, e.on_non_response
    );
    let _ = writeln!(s, "  source: {}", e.source);

    let m = &p.maintenance;
    let _ = writeln!(s, "\nMaintenance");
    if let Some(b) = &m.initial {
        let _ = writeln!(
            s,
            "  first every {} for {} ({} sessions); source: {}",
            weeks(b.interval_weeks),
            weeks(b.weeks),
            b.sessions(),
            b.source
        );
    }
    let _ = writeln!(
        s,
        "  every {}, within {} to {}",
        weeks(m.start_interval_weeks),
        weeks(m.min_interval_weeks),
        weeks(m.max_interval_weeks)
    );
    let _ = writeln!(
        s,
        "  lengthen by {} after {} consecutive stable check-ins",
        weeks(m.lengthen_by_weeks),
        m.stable_checkins_to_lengthen
    );
    let _ = writeln!(
        s,
        "  shorten by {} on symptom return: {}",
        weeks(m.shorten_by_weeks),
        trigger(m.symptom_return)
    );
    let _ = writeln!(s, "  booster when {}", trigger(m.booster_when));
    let _ = writeln!(s, "  source: {}", m.source);

    let r = &p.reassessment;
    let _ = writeln!(s, "\nFull reassessment");
    let _ = writeln!(
        s,
        "  every {} after the first session: {}",
        weeks(r.every_weeks),
        list(&r.instruments)
    );
    let _ = writeln!(s, "  source: {}", r.source);

    let f = &p.safety;
    let _ = writeln!(s, "\nSafety holds (a clinician reviews before dosing)");
    match f.bp_max {
        Some(bp) => {
            let _ = writeln!(
                s,
                "  pre-dose blood pressure above {}/{} mmHg",
                bp.systolic, bp.diastolic
            );
        }
        None => {
            let _ = writeln!(s, "  no blood-pressure threshold");
        }
    }
    if f.hold_on_suicide_risk {
        let _ = writeln!(s, "  any suicide-risk flag (e.g. PHQ-9 item 9 > 0)");
    }
    if !f.hold_on_cssrs.is_empty() {
        let risks: Vec<&str> = f.hold_on_cssrs.iter().map(|r| r.as_str()).collect();
        let _ = writeln!(s, "  C-SSRS screener risk: {}", risks.join(", "));
    }
    if let Some(level) = f.discharge_min_moaas {
        let _ = writeln!(
            s,
            "  discharge only at MOAA/S {level} or above (sedation resolved)"
        );
    }
    if let Some(min) = f.observation_minutes {
        let _ = writeln!(s, "  observation of at least {min} minutes after dosing");
    }
    if let Some(level) = f.madrs_item10_alert {
        let _ = writeln!(s, "  MADRS item 10 (suicidal thoughts) at {level} or more");
    }
    if !f.suicide_screens.is_empty() {
        let _ = writeln!(
            s,
            "  no suicide screen taken on the session day (one of: {})",
            list(&f.suicide_screens)
        );
    }
    if f.fasting_required {
        let _ = writeln!(s, "  dosing needs fasting confirmed at pre-checks");
    }
    if f.escort_required {
        let _ = writeln!(s, "  discharge needs a responsible adult escort");
    }
    let _ = writeln!(s, "  source: {}", f.source);
    match &f.in_session {
        Some(l) => {
            let _ = writeln!(s, "\nIn-session alerts (a finding a clinician reviews)");
            if let Some(x) = l.spo2_below {
                let _ = writeln!(s, "  SpO2 below {x}%");
            }
            if let Some(bp) = l.bp_above {
                let _ = writeln!(
                    s,
                    "  blood pressure above {}/{} mmHg",
                    bp.systolic, bp.diastolic
                );
            }
            if let Some(x) = l.moaas_at_or_below {
                let _ = writeln!(s, "  MOAA/S at {x} or below");
            }
            if let Some(x) = l.respiratory_rate_below {
                let _ = writeln!(s, "  respiratory rate below {x} a minute");
            }
            if let Some(x) = l.respiratory_rate_above {
                let _ = writeln!(s, "  respiratory rate above {x} a minute");
            }
            let _ = writeln!(s, "  source: {}", l.source);
        }
        None => {
            let _ = writeln!(s, "\nIn-session alerts: none set");
        }
    }

    let o = p.outcome_config();
    let _ = writeln!(s, "\nOutcomes");
    let madrs = o
        .remission_at_most(InstrumentId::Madrs)
        .map_or_else(String::new, |cut| cut.to_string());
    let _ = writeln!(s, "  MADRS remission at {madrs} or below");
    for id in InstrumentId::ALL {
        match o.reliable_change_rule(id) {
            Some(ReliableChangeRule::Points { points }) => {
                let _ = writeln!(s, "  {id}: reliable change at {points} points");
            }
            Some(ReliableChangeRule::JacobsonTruax { sd, reliability }) => {
                let _ = writeln!(
                    s,
                    "  {id}: reliable change by the Jacobson-Truax index (SD {sd}, r {reliability})"
                );
            }
            None => {}
        }
    }
    if let Some(days) = p.baseline_window_days() {
        let _ = writeln!(
            s,
            "  baseline: the last score at most {days} days before the first dose"
        );
    }
    if let Some(o) = &p.outcomes {
        let _ = writeln!(s, "  source: {}", o.source);
    }
    if let Some(sc) = &p.screening {
        let _ = writeln!(s, "\nScreening");
        if let Some(bp) = sc.bp_max {
            let _ = writeln!(
                s,
                "  blood pressure above {}/{} mmHg needs review",
                bp.systolic, bp.diastolic
            );
        }
        if let Some(days) = sc.valid_days {
            let _ = writeln!(
                s,
                "  a course starts on a screening at most {days} days old"
            );
        }
        let _ = writeln!(s, "  source: {}", sc.source);
    }
    if let Some(d) = &p.dose_check {
        let _ = writeln!(s, "\nDose-record checks (never a dose suggestion)");
        if !d.allowed_mg.is_empty() {
            let doses: Vec<String> = d.allowed_mg.iter().map(|m| format!("{m} mg")).collect();
            let _ = writeln!(s, "  doses: {}", doses.join(" or "));
        }
        if let Some(mg) = d.first_session_max_mg {
            let _ = writeln!(s, "  first session at most {mg} mg");
        }
        if d.per_kg {
            let _ = writeln!(s, "  shown per kg of body weight");
        }
        let _ = writeln!(s, "  source: {}", d.source);
    }

    if !p.collect.is_empty() {
        let _ = writeln!(s, "\nCollected");
        for Collect {
            when,
            instruments,
            source,
        } in &p.collect
        {
            let _ = writeln!(s, "  {}: {} ({source})", when.as_str(), list(instruments));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use crate::protocol::builtin;

    #[test]
    fn describe_names_every_rule() {
        let text = builtin("iv-ketamine-6").unwrap().describe();
        for needle in [
            "iv-ketamine-6 (version 2)",
            "MADRS item 10 (suicidal thoughts) at 4 or more",
            "MOAA/S at 3 or below",
            "phq9: reliable change at 6 points",
            "MADRS remission at 10 or below",
            "shown per kg of body weight",
            "Route: IV ketamine (iv_ketamine)",
            "6 sessions, at most 2 in any 7 days, at least 2 days apart, within 3 weeks",
            "early check after session 4",
            "an extension adds 2 sessions, at most 1 time(s)",
            "a fall of at least 50% from baseline -> suggest start_maintenance",
            "a fall of 25% to under 50% -> suggest extend_induction",
            "a fall of under 25% -> suggest discontinue",
            "every 2 weeks, within 1 week to 4 weeks",
            "lengthen by 1 week after 2 consecutive stable check-ins",
            "every 12 weeks after the first session: phq9, gad7, wsas",
            "pre-dose blood pressure above 140/90 mmHg",
            "C-SSRS screener risk: moderate, high",
            "before_session: phq9, cssrs_screen",
        ] {
            assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
        }
    }

    #[test]
    fn describe_shows_the_initial_block_and_observation() {
        let text = builtin("esketamine-label").unwrap().describe();
        assert!(
            text.contains("first every 1 week for 4 weeks (4 sessions)"),
            "{text}"
        );
        assert!(
            text.contains("every 2 weeks, within 1 week to 2 weeks"),
            "{text}"
        );
        assert!(
            text.contains("observation of at least 120 minutes"),
            "{text}"
        );
        assert!(text.contains("no extension"), "{text}");
    }
}
