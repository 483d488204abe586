//! `cadence score <instrument> --answers <list> [--json]`.

use crate::input::parse_answers;
use crate::output::{CliResult, invalid, print_json, print_text};
use cadence_clinical::instrument::{self, InstrumentId, Score, ScoringConfig};
use std::fmt::Write;

/// Score one completed instrument.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Instrument id: phq9, gad7, qids_sr16, pcl5, madrs, wsas, cadss, moaas, cssrs_screen.
    instrument: InstrumentId,
    /// Item answers in order, comma-separated; `-` for an item the flow does not ask.
    #[arg(long, allow_hyphen_values = true)]
    answers: String,
    /// PCL-5 total at or above which `probable_ptsd` is flagged (VA: 31-33).
    #[arg(long, default_value_t = ScoringConfig::default().pcl5_probable_cutoff)]
    pcl5_cutoff: u16,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let answers = parse_answers(&args.answers)?;
    let config = ScoringConfig {
        pcl5_probable_cutoff: args.pcl5_cutoff,
        ..ScoringConfig::default()
    };
    let score = instrument::score(args.instrument, &answers, &config).map_err(invalid)?;
    if args.json {
        print_json(&score)
    } else {
        print_text(&describe(&score))
    }
}

/// A readable summary of a score.
pub fn describe(score: &Score) -> String {
    let def = score.instrument.definition();
    let mut text = String::new();
    let _ = write!(text, "{} ({})", def.title, def.id);
    if let (Some(total), Some(max)) = (score.total, score.max) {
        let _ = write!(text, ": total {total} of {max}");
    }
    if let Some(band) = score
        .band
        .and_then(|id| def.bands.iter().find(|b| b.id == id))
    {
        let _ = write!(text, ", {} ({})", band.label.to_lowercase(), band.id);
    }
    if let Some(risk) = score.risk {
        let _ = write!(text, ": risk {}", risk.as_str());
    }
    text.push('\n');
    for (id, value) in &score.subscales {
        let _ = writeln!(text, "  {id}: {value}");
    }
    if let Some(provisional) = score.provisional_ptsd {
        let verdict = if provisional { "met" } else { "not met" };
        let _ = writeln!(text, "Provisional PTSD (DSM-5 cluster rule): {verdict}");
    }
    for n in &score.critical_items {
        let label = def
            .items
            .get(usize::from(*n).saturating_sub(1))
            .map_or("", |item| item.label);
        let _ = writeln!(text, "Critical item {n} endorsed: {label}");
    }
    for flag in &score.flags {
        let meaning = match flag {
            instrument::Flag::SuicideRisk => "SUICIDE RISK: same-day clinician review",
            instrument::Flag::ProbablePtsd => "probable PTSD: total at or above the cut-off",
            instrument::Flag::Dissociation => "dissociation present (total above 4)",
            instrument::Flag::Sedation => "moderate or deeper sedation",
        };
        let _ = writeln!(text, "Flag {}: {meaning}", flag.as_str());
    }
    text
}
