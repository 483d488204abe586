//! `cadence audit verify` and `cadence audit report`.

use super::database::Database;
use super::serve::DbArgs;
use crate::output::{CliError, CliResult, invalid, print_text};
use cadence_app::audit_log::ChainCheck;
use cadence_app::{App, AppConfig, SystemClock};
use cadence_store::ids::PatientId;
use jiff::Timestamp;
use std::sync::Arc;

/// Check or report the audit log.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Verify the hash chain: exit 0 when intact, 1 naming the first bad entry otherwise.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Audit events in [from, to) as CSV (RFC 4180).
    Report {
        /// Start (inclusive): an RFC 3339 time or a date (midnight UTC).
        #[arg(long)]
        from: String,
        /// End (exclusive): an RFC 3339 time or a date (midnight UTC).
        #[arg(long)]
        to: String,
        /// Only events about this patient id.
        #[arg(long)]
        patient: Option<i64>,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn instant(flag: &str, text: &str) -> Result<Timestamp, CliError> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    text.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| {
            invalid(format!(
                "--{flag} `{text}` is not a date or an RFC 3339 time"
            ))
        })
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    super::runtime()?.block_on(async {
        match args.action {
            Action::Verify { db } => {
                let db = Database::open(&db.database_url).await?;
                let app = App::new(db.store(), Arc::new(SystemClock), AppConfig::default());
                let check = app.verify_audit_chain().await.map_err(invalid)?;
                db.close().await;
                match check {
                    ChainCheck::Intact(head) => print_text(&format!(
                        "audit chain intact: {} entries, head {}",
                        head.seq, head.hash
                    )),
                    ChainCheck::Broken(b) => Err(CliError::Failed(anyhow::anyhow!("{b}"))),
                }
            }
            Action::Report {
                from,
                to,
                patient,
                db,
            } => {
                let (from, to) = (instant("from", &from)?, instant("to", &to)?);
                if from >= to {
                    return Err(invalid("--from must be before --to"));
                }
                let db = Database::open(&db.database_url).await?;
                let app = App::new(db.store(), Arc::new(SystemClock), AppConfig::default());
                let csv = app
                    .audit_report_csv(None, from, to, patient.map(PatientId))
                    .await
                    .map_err(invalid)?;
                db.close().await;
                print_text(&csv)
            }
        }
    })
}
