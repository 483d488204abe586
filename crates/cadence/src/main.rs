//! `cadence`: the command line.
//!
//! Subcommands are thin: they parse arguments, read files, call the pure clinical crate and
//! print either a readable summary or one JSON object. Invalid input exits with status 2, a
//! one-line message on stderr and nothing on stdout, so scripts can rely on the contract.

mod clock;
mod commands;
mod course_input;
mod input;
mod output;
mod server;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

/// Cadence: measurement-based planning for ketamine and esketamine courses.
///
/// Decision support for licensed clinicians; not a medical device. Every shipped clinical
/// default cites its source (see docs/instruments.md and docs/protocols.md).
#[derive(Debug, Parser)]
#[command(name = "cadence", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the demo clinic (synthetic patients, a login per role) on loopback; with
    /// --walkthrough, a synthetic course end to end on the command line.
    Demo(commands::demo::Args),
    /// Score one completed instrument from its item answers.
    Score(commands::score::Args),
    /// Compare a current total with baseline: response, remission, reliable change.
    Outcome(commands::outcome::Args),
    /// Safety screening and treatment-resistance staging from a JSON input file.
    Screen(commands::screen::Args),
    /// List the instruments, their items, ranges, bands and licence notes.
    Instruments(commands::instruments::Args),
    /// Check or show a protocol file.
    Protocol(commands::protocol::Args),
    /// Plan a course: dated sessions by phase and review points.
    Plan(commands::plan::Args),
    /// Suggest the next step for a course, with its reasons.
    Review(commands::review::Args),
    /// How many treatments lie ahead, and what they cost.
    Forecast(commands::forecast::Args),
    /// Serve the clinic web app and the JSON API (SQLite by default, or PostgreSQL).
    Serve(server::serve::Args),
    /// Manage clinics.
    Clinic(server::admin::ClinicArgs),
    /// Manage staff users.
    User(server::admin::UserArgs),
    /// Verify the audit chain or report audit events.
    Audit(server::audit::Args),
    /// Take an online, verified backup of the SQLite database.
    Backup(server::backup::BackupArgs),
    /// Restore a verified backup into a new SQLite database.
    Restore(server::backup::RestoreArgs),
    /// Check database integrity and the audit chain.
    Check(server::check::Args),
}

fn main() -> ExitCode {
    quiet_panics();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    let result = match cli.command {
        Command::Demo(args) => commands::demo::run(args),
        Command::Score(args) => commands::score::run(args),
        Command::Outcome(args) => commands::outcome::run(args),
        Command::Screen(args) => commands::screen::run(args),
        Command::Instruments(args) => commands::instruments::run(args),
        Command::Protocol(args) => commands::protocol::run(args),
        Command::Plan(args) => commands::plan::run(args),
        Command::Review(args) => commands::review::run(args),
        Command::Forecast(args) => commands::forecast::run(args),
        Command::Serve(args) => server::serve::run(args),
        Command::Clinic(args) => server::admin::run_clinic(args),
        Command::User(args) => server::admin::run_user(args),
        Command::Audit(args) => server::audit::run(args),
        Command::Backup(args) => server::backup::run_backup(args),
        Command::Restore(args) => server::backup::run_restore(args),
        Command::Check(args) => server::check::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => err.report(),
    }
}

/// Help and version go to stdout as usual; a usage error keeps the invalid-input contract:
/// exit 2 and one line on stderr (clap's own rendering spans several lines).
fn usage_error(err: &clap::Error) -> ExitCode {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    let rendered = err.render().to_string();
    let line = rendered
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid arguments")
        .trim_start_matches("error: ");
    output::CliError::Invalid(format!("{line} (see --help)")).report()
}

/// A panic's message could carry health data (a value being formatted), so the hook prints only
/// where it happened; the web layer answers such a request with a generic 500.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown place".to_owned());
        let _ = writeln!(
            std::io::stderr().lock(),
            "internal error (panic at {place}); the message is withheld because it may contain health data"
        );
    }));
}
