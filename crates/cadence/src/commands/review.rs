//! `cadence review`: the engine's one suggested next step, with its reasons.

use crate::course_input::{load_history, load_protocol, time_zone, today};
use crate::output::{CliResult, invalid, print_json, print_text};
use cadence_clinical::instrument::ScoringConfig;
use cadence_clinical::suggestion::{Review, review};
use jiff::civil::Date;
use std::fmt::Write;
use std::path::PathBuf;

/// Suggest the next step for a course from its protocol and history.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A built-in protocol id or a protocol file.
    #[arg(long)]
    protocol: String,
    /// The course history (JSON; see docs/protocols.md).
    #[arg(long)]
    history: PathBuf,
    /// Review as of this date (default: today in UTC).
    #[arg(long)]
    today: Option<Date>,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let protocol = load_protocol(&args.protocol)?;
    let history = load_history(Some(&args.history))?;
    let today = today(args.today, None, &time_zone("UTC")?);
    let result = review(&protocol, &history, today, &ScoringConfig::default()).map_err(invalid)?;
    if args.json {
        print_json(&result)
    } else {
        print_text(&describe(&result))
    }
}

fn describe(r: &Review) -> String {
    let mut text = format!("Suggestion: {}\n", r.suggestion.as_str().replace('_', " "));
    for reason in &r.reasons {
        let _ = writeln!(text, "- {} [{}]", reason.message, reason.rule);
    }
    if let Some(o) = &r.outcome {
        text.push_str(&crate::commands::outcome::describe(o));
    }
    text.push_str("A suggestion never changes the course: a clinician's recorded decision does.\n");
    text
}
