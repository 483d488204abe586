//! `cadence audit verify` and `cadence audit report`.

use super::backup::Manifest;
use super::database::Database;
use super::serve::DbArgs;
use crate::output::{CliError, CliResult, invalid, print_text};
use cadence_app::audit_log::ChainCheck;
use cadence_app::{App, AppConfig, SystemClock};
use cadence_store::audit::ChainHead;
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
    /// Verify the hash chain up to its recorded head (and an anchor, if given): exit 0 when
    /// intact, 1 naming the first bad entry otherwise. Opens SQLite files read-only.
    Verify {
        #[command(flatten)]
        anchor: AnchorArgs,
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

/// A head kept apart from the database, that the log must still reach.
#[derive(Debug, Clone, clap::Args)]
pub struct AnchorArgs {
    /// A chain head kept elsewhere: a backup's `<file>.manifest.json`, or `<entries>:<hash>`
    /// as printed by `cadence audit verify`. The log must still hold that entry with that
    /// hash, which shows newest entries deleted together with a rewritten head.
    #[arg(long, value_name = "MANIFEST|ENTRIES:HASH")]
    pub anchor: Option<String>,
}

impl AnchorArgs {
    /// The anchor's head, read from the manifest file or parsed from `<entries>:<hash>`.
    pub fn head(&self) -> Result<Option<ChainHead>, CliError> {
        let Some(text) = &self.anchor else {
            return Ok(None);
        };
        if let Some((seq, hash)) = text.split_once(':') {
            if let Ok(seq) = seq.parse::<i64>() {
                let hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
                if seq >= 0 && hex {
                    return Ok(Some(ChainHead {
                        seq,
                        hash: hash.to_ascii_lowercase(),
                    }));
                }
            }
        }
        let path = std::path::Path::new(text);
        let content = std::fs::read_to_string(path).map_err(|e| {
            invalid(format!(
                "--anchor `{text}` is neither <entries>:<64 hex digits> nor a readable \
                 manifest: {e}"
            ))
        })?;
        let manifest: Manifest = serde_json::from_str(&content)
            .map_err(|e| invalid(format!("{}: not a backup manifest: {e}", path.display())))?;
        Ok(Some(ChainHead {
            seq: manifest.audit_seq,
            hash: manifest.audit_head,
        }))
    }
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    super::runtime()?.block_on(async {
        match args.action {
            Action::Verify { anchor, db } => {
                let anchor = anchor.head()?;
                let db = Database::open_read_only(&db.database_url).await?;
                let app = App::new(db.store(), Arc::new(SystemClock), AppConfig::default());
                let check = app
                    .verify_audit_chain_to(anchor.as_ref())
                    .await
                    .map_err(invalid)?;
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
                let db = Database::open_read_only(&db.database_url).await?;
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
