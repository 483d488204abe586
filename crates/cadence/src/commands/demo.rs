//! `cadence demo`: one synthetic patient's course, end to end, through the real engine.
//!
//! Until the server and web app exist (issues 4 and 5) this is the quick start's first command:
//! it screens a synthetic patient, plans an IV ketamine course, reviews the end of induction and
//! forecasts the sessions and cost ahead, printing what each step decided. The inputs are the
//! files in `crates/cadence/demo/`, which the same command can be pointed at by hand.

use crate::output::{CliResult, invalid, print_text};
use cadence_clinical::calendar::ClinicCalendar;
use cadence_clinical::forecast::forecast;
use cadence_clinical::history::CourseHistory;
use cadence_clinical::instrument::ScoringConfig;
use cadence_clinical::planner::plan;
use cadence_clinical::price::PriceList;
use cadence_clinical::protocol;
use cadence_clinical::screening::{ScreeningConfig, ScreeningInput, screen};
use cadence_clinical::suggestion::review;
use jiff::civil::date;
use std::fmt::Write;

const SCREENING: &str = include_str!("../../demo/screening.json");
const HISTORY: &str = include_str!("../../demo/history.json");
const PRICES: &str = include_str!("../../demo/prices.toml");

/// Walk through a synthetic demo course.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> CliResult {
    let fail = |what: &str, e: &dyn std::fmt::Display| invalid(format!("demo {what}: {e}"));
    let input: ScreeningInput =
        serde_json::from_str(SCREENING).map_err(|e| fail("screening", &e))?;
    let history: CourseHistory = serde_json::from_str(HISTORY).map_err(|e| fail("history", &e))?;
    let prices = PriceList::from_toml(PRICES).map_err(|e| fail("prices", &e))?;
    let protocol =
        protocol::builtin("iv-ketamine-6").ok_or_else(|| invalid("demo protocol missing"))?;
    let start = date(2026, 12, 7);
    let review_day = date(2026, 12, 23);
    let scoring = ScoringConfig::default();

    let mut text = String::from(
        "Cadence demo: one synthetic patient (no real data), IV ketamine, protocol iv-ketamine-6.\n\n",
    );
    let screening =
        screen(&input, &ScreeningConfig::default()).map_err(|e| fail("screening", &e))?;
    let _ = writeln!(text, "1. Screening: {}", serde_label(&screening.decision));
    for r in &screening.reasons {
        let _ = writeln!(text, "   - {}", r.message);
    }
    if let Some(m) = &screening.maudsley {
        let _ = writeln!(
            text,
            "   Maudsley stage: {} ({})",
            m.score,
            serde_label(&m.band)
        );
    }

    let course_plan = plan(
        &protocol,
        &ClinicCalendar::default(),
        &history,
        start,
        review_day,
        26,
    )
    .map_err(|e| fail("plan", &e))?;
    let _ = writeln!(text, "\n2. Plan (Mon-Fri clinic, as of {review_day}):");
    for s in course_plan.sessions.iter().take(10) {
        let _ = writeln!(
            text,
            "   {:>2}. {} {:<11} {}",
            s.number,
            s.date,
            serde_label(&s.phase),
            serde_label(&s.status)
        );
    }
    let _ = writeln!(
        text,
        "   ... {} sessions done or planned up to 26 weeks ahead",
        course_plan.sessions.len()
    );

    let r = review(&protocol, &history, review_day, &scoring).map_err(|e| fail("review", &e))?;
    let _ = writeln!(
        text,
        "\n3. End-of-induction review: suggests {}",
        r.suggestion.as_str()
    );
    for reason in &r.reasons {
        let _ = writeln!(text, "   - {}", reason.message);
    }
    text.push_str(
        "   (A suggestion never changes the course: a clinician records the decision.)\n",
    );

    let f = forecast(&protocol, &history, review_day, 52, Some(&prices), &scoring)
        .map_err(|e| fail("forecast", &e))?;
    let _ = writeln!(
        text,
        "\n4. How many treatments in the next 52 weeks: {} / {} / {} (low / expected / high)",
        f.total.low, f.total.expected, f.total.high
    );
    if let Some(c) = &f.cost {
        let _ = writeln!(
            text,
            "   Cost: {} {} / {} / {}",
            c.currency, c.low, c.expected, c.high
        );
    }
    for a in &f.assumptions {
        let _ = writeln!(text, "   - {a}");
    }
    text.push_str(
        "\nTry it yourself: `cadence review --protocol iv-ketamine-6 --history crates/cadence/demo/history.json --today 2026-12-23`.\n",
    );
    print_text(&text)
}

/// The serde id of a unit enum value, for display.
fn serde_label(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}
