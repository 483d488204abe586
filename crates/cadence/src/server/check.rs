//! `cadence check`: a consistency pass an operator (and every crash test) can run — SQLite's
//! `integrity_check` and `foreign_key_check`, then the audit chain (the kanidm "verify after
//! every test" pattern from the security reference).

use super::audit::AnchorArgs;
use super::database::Database;
use super::serve::DbArgs;
use crate::output::{CliError, CliResult, invalid, print_text};
use cadence_app::audit_log::ChainCheck;
use cadence_app::{App, AppConfig, SystemClock};
use std::sync::Arc;

/// Check the database's integrity and the audit chain (up to its recorded head, and an anchor
/// if given). Opens SQLite files read-only.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    anchor: AnchorArgs,
    #[command(flatten)]
    db: DbArgs,
}

/// Runs the command: exit 0 when everything holds, 1 naming the first problem otherwise.
pub fn run(args: Args) -> CliResult {
    let anchor = args.anchor.head()?;
    super::runtime()?.block_on(async {
        let db = Database::open_read_only(&args.db.database_url).await?;
        let mut report = Vec::new();
        if let Database::Sqlite(store) = &db {
            store
                .integrity_check()
                .await
                .map_err(|e| CliError::Failed(anyhow::anyhow!("integrity check failed: {e}")))?;
            report.push("integrity_check ok, foreign_key_check ok".to_owned());
        }
        let app = App::new(db.store(), Arc::new(SystemClock), AppConfig::default());
        let check = app
            .verify_audit_chain_to(anchor.as_ref())
            .await
            .map_err(invalid)?;
        db.close().await;
        match check {
            ChainCheck::Intact(head) => {
                report.push(format!("audit chain intact: {} entries", head.seq));
                print_text(&report.join("\n"))
            }
            ChainCheck::Broken(b) => Err(CliError::Failed(anyhow::anyhow!("{b}"))),
        }
    })
}
