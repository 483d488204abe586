//! `cadence forecast`: how many treatments lie ahead, and their cost.

use crate::course_input::CourseArgs;
use crate::input::read_source;
use crate::output::{CliResult, invalid, print_json, print_text};
use cadence_clinical::forecast::{Forecast, forecast};
use cadence_clinical::price::PriceList;
use std::fmt::Write;
use std::path::PathBuf;

/// Forecast the sessions still to come (low / expected / high) and, with a price list, the cost.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    course: CourseArgs,
    /// How far ahead to count, in weeks (up to, not including, the last day).
    #[arg(long, default_value_t = 26)]
    horizon_weeks: u16,
    /// The clinic's price list (TOML; see docs/protocols.md).
    #[arg(long)]
    prices: Option<PathBuf>,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let prices = match &args.prices {
        Some(path) => {
            let text = read_source(path)?;
            Some(
                PriceList::from_toml(&text)
                    .map_err(|e| invalid(format!("{}: {e}", path.display())))?,
            )
        }
        None => None,
    };
    let c = args.course.load()?;
    let result = forecast(
        &c.protocol,
        &c.calendar,
        &c.snapshot,
        args.horizon_weeks,
        prices.as_ref(),
    )
    .map_err(invalid)?;
    if args.json {
        print_json(&result)
    } else {
        print_text(&describe(&result))
    }
}

fn describe(f: &Forecast) -> String {
    let mut text = crate::commands::review::course_line(&f.course);
    let _ = writeln!(
        text,
        "Next {} weeks (low / expected / high):",
        f.horizon_weeks
    );
    for (label, r) in [
        ("Induction sessions still to come", f.remaining_induction),
        ("Maintenance sessions", f.maintenance),
        ("All sessions", f.total),
    ] {
        let _ = writeln!(text, "  {label}: {} / {} / {}", r.low, r.expected, r.high);
    }
    if let Some(c) = &f.cost {
        let _ = writeln!(
            text,
            "  Cost ({}): {} / {} / {}",
            c.currency, c.low, c.expected, c.high
        );
    }
    let _ = writeln!(text, "Low: {}", f.low_means);
    let _ = writeln!(text, "Assumptions:");
    for a in &f.assumptions {
        let _ = writeln!(text, "- {a}");
    }
    text
}
