//! `cadence protocol check <file>` and `cadence protocol show <id|file>`.

use crate::course_input::load_protocol;
use crate::input::read_source;
use crate::output::{CliError, CliResult, invalid, print_json, print_text};
use cadence_clinical::protocol::{Protocol, builtin_ids};
use std::io::Write;
use std::path::PathBuf;

/// Check or show a protocol file.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Validate a protocol file and explain every problem with its line.
    Check {
        /// The protocol file (TOML), or `-` for stdin.
        file: PathBuf,
    },
    /// Print the resolved protocol (built-in id or file).
    Show {
        /// A built-in id (iv-ketamine-6, esketamine-label) or a protocol file.
        protocol: String,
        /// Print JSON instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// List the built-in protocols.
    List,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    match args.action {
        Action::Check { file } => {
            let text = read_source(&file)?;
            match Protocol::from_toml(&text) {
                Ok(p) => print_text(&format!(
                    "ok: {} version {} ({}) is valid",
                    p.id, p.version, p.title
                )),
                Err(errors) => {
                    // Every problem, one per line, each with its location.
                    let mut err = std::io::stderr().lock();
                    for line in errors.to_string().lines() {
                        let _ = writeln!(err, "{}: {line}", file.display());
                    }
                    Err(CliError::Invalid(format!(
                        "{}: {} problem(s) found",
                        file.display(),
                        errors.len()
                    )))
                }
            }
        }
        Action::Show { protocol, json } => {
            let p = load_protocol(&protocol)?;
            if json {
                print_json(&p)
            } else {
                print_text(&p.describe())
            }
        }
        Action::List => {
            let mut text = String::new();
            for id in builtin_ids() {
                let p = load_protocol(id)?;
                text.push_str(&format!("{id}: {}\n", p.title));
            }
            if text.is_empty() {
                return Err(invalid("no built-in protocols"));
            }
            print_text(&text)
        }
    }
}
