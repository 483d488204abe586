//! `cadence forecast`: how many treatments lie ahead, and their cost.

use crate::course_input::{load_history, load_protocol, time_zone, today};
use crate::input::read_source;
use crate::output::{CliResult, invalid, print_json, print_text};
use cadence_clinical::forecast::{Forecast, forecast};
use cadence_clinical::instrument::ScoringConfig;
use cadence_clinical::price::PriceList;
use jiff::civil::Date;
use std::fmt::Write;
use std::path::PathBuf;

/// Forecast the sessions still to come (low / expected / high) and, with a price list, the cost.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A built-in protocol id or a protocol file.
    #[arg(long)]
    protocol: String,
    /// The course history (JSON; see docs/protocols.md).
    #[arg(long)]
    history: PathBuf,
    /// Forecast from this date (default: today in UTC).
    #[arg(long)]
    today: Option<Date>,
    /// How far ahead to count, in weeks.
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
    let protocol = load_protocol(&args.protocol)?;
    let history = load_history(Some(&args.history))?;
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
    let fallback = history.start_date.filter(|_| history.sessions.is_empty());
    let today = today(args.today, fallback, &time_zone("UTC")?);
    let result = forecast(
        &protocol,
        &history,
        today,
        args.horizon_weeks,
        prices.as_ref(),
        &ScoringConfig::default(),
    )
    .map_err(invalid)?;
    if args.json {
        print_json(&result)
    } else {
        print_text(&describe(&result))
    }
}

fn describe(f: &Forecast) -> String {
    let mut text = format!("Next {} weeks (low / expected / high):\n", f.horizon_weeks);
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
    let _ = writeln!(text, "Assumptions:");
    for a in &f.assumptions {
        let _ = writeln!(text, "- {a}");
    }
    text
}
