//! `cadence instruments [--json]`: what Cadence scores, and what it ships.

use crate::output::{CliResult, print_json, print_text};
use cadence_clinical::instrument::{Definition, InstrumentId};
use std::fmt::Write;

/// List the instruments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a JSON array instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let all: Vec<&Definition> = InstrumentId::ALL.iter().map(|id| id.definition()).collect();
    if args.json {
        return print_json(&all);
    }
    let mut text = String::new();
    for def in all {
        let _ = writeln!(text, "{} - {}", def.id, def.title);
        let _ = writeln!(
            text,
            "  {} items, each {}-{}; recall: {}",
            def.items.len(),
            def.item_min,
            def.item_max,
            def.recall
        );
        match def.total_range {
            Some((min, max)) => {
                let _ = writeln!(text, "  total {min}-{max}");
            }
            None => {
                let _ = writeln!(text, "  no total: a risk category");
            }
        }
        if !def.bands.is_empty() {
            let bands: Vec<String> = def
                .bands
                .iter()
                .map(|b| format!("{} {}-{}", b.id, b.min, b.max))
                .collect();
            let _ = writeln!(text, "  bands: {}", bands.join(", "));
        }
        let shipped = if def.licence.ships_item_text {
            "item wording shipped"
        } else {
            "labels only"
        };
        let _ = writeln!(text, "  licence ({shipped}): {}", def.licence.note);
    }
    print_text(&text)
}
