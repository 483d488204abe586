//! `cadence screen --input <file.json | -> [--json]`.

use crate::input::{parse_json, read_source};
use crate::output::{CliResult, invalid, print_json, print_text};
use cadence_clinical::screening::{ScreeningConfig, ScreeningInput, screen};
use std::fmt::Write;
use std::path::PathBuf;

/// Screen a patient for a route: contraindications, blood pressure, TRD criteria, Maudsley stage.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The screening input as JSON (`-` for stdin). See docs/screening.md for the fields.
    #[arg(long)]
    input: PathBuf,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let text = read_source(&args.input)?;
    let input: ScreeningInput = parse_json(&text, &args.input)?;
    let result = screen(&input, &ScreeningConfig::default()).map_err(invalid)?;
    let value = serde_json::to_value(&result).map_err(|e| invalid(e.to_string()))?;
    if args.json {
        print_json(&value)
    } else {
        print_text(&describe(&value))
    }
}

/// A readable summary, from the JSON shape (the contract) of a screening result.
fn describe(value: &serde_json::Value) -> String {
    let field = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or("").to_owned();
    let mut text = format!("Decision: {}\n", field(value, "decision").replace('_', " "));
    if let Some(reasons) = value["reasons"].as_array() {
        for r in reasons {
            let _ = writeln!(
                text,
                "- [{}] {}: {}",
                field(r, "class"),
                field(r, "code"),
                field(r, "message")
            );
        }
    }
    if let Some(m) = value.get("maudsley").filter(|m| !m.is_null()) {
        let _ = writeln!(
            text,
            "Maudsley staging: score {} ({})",
            m["score"],
            field(m, "band")
        );
    }
    text
}
