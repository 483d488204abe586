//! `cadence outcome <instrument> --baseline <n> --current <n> [--json]`.

use crate::output::{CliResult, invalid, print_json, print_text};
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::outcome::{
    MadrsRemission, Outcome, OutcomeConfig, ReliableChange, ReliableChangeRule, outcome,
};
use std::fmt::Write;

/// Compare a current total with baseline.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Instrument id (one with a total: not cssrs_screen).
    instrument: InstrumentId,
    /// Baseline total.
    #[arg(long)]
    baseline: u16,
    /// Current total.
    #[arg(long)]
    current: u16,
    /// MADRS remission cut: 10 (ketamine trials, default) or 12 (esketamine programme).
    #[arg(long, value_parser = ["10", "12"], default_value = "10")]
    madrs_remission: String,
    /// Baseline SD for a Jacobson-Truax reliable change index (with --reliability).
    #[arg(long, requires = "reliability")]
    sd: Option<f64>,
    /// Reliability (test-retest or alpha) for the reliable change index (with --sd).
    #[arg(long, requires = "sd")]
    reliability: Option<f64>,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let mut config = OutcomeConfig {
        madrs_remission: if args.madrs_remission == "12" {
            MadrsRemission::AtMost12
        } else {
            MadrsRemission::AtMost10
        },
        ..OutcomeConfig::default()
    };
    if let (Some(sd), Some(reliability)) = (args.sd, args.reliability) {
        let rule = ReliableChangeRule::JacobsonTruax { sd, reliability };
        match args.instrument {
            InstrumentId::Phq9 => config.phq9_reliable_change = Some(rule),
            InstrumentId::Gad7 => config.gad7_reliable_change = Some(rule),
            other => config.other_reliable_change.push((other, rule)),
        }
    }
    let result = outcome(args.instrument, args.baseline, args.current, &config).map_err(invalid)?;
    if args.json {
        print_json(&result)
    } else {
        print_text(&describe(&result))
    }
}

/// A readable summary of an outcome.
pub fn describe(o: &Outcome) -> String {
    let mut text = format!(
        "{}: baseline {} -> current {} (change {:+}",
        o.instrument, o.baseline, o.current, o.change
    );
    if let Some(p) = o.percent_change {
        let _ = write!(text, ", {p:+.1}%");
    }
    let _ = writeln!(text, ")");
    let _ = writeln!(text, "Status: {}", o.status.as_str().replace('_', " "));
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let _ = writeln!(text, "Response (>= 50% fall): {}", yes_no(o.response));
    let _ = writeln!(
        text,
        "Partial response (25-49% fall): {}",
        yes_no(o.partial_response)
    );
    match o.remission {
        Some(r) => {
            let _ = writeln!(text, "Remission: {}", yes_no(r));
        }
        None => {
            let _ = writeln!(
                text,
                "Remission: no remission cut configured for this instrument"
            );
        }
    }
    let rc = match o.reliable_change {
        Some(ReliableChange::Improved) => "improved",
        Some(ReliableChange::Deteriorated) => "deteriorated",
        Some(ReliableChange::NoReliableChange) => "no reliable change",
        None => "no threshold configured for this instrument",
    };
    let _ = writeln!(text, "Reliable change: {rc}");
    text
}
