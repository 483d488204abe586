//! `cadence backup` and `cadence restore`: an online, verified copy with a manifest.
//!
//! A backup is a consistent SQLite snapshot (`VACUUM INTO`, checked with `integrity_check`)
//! plus `<file>.manifest.json` holding its SHA-256 and the audit chain head at the time, so a
//! restore can prove the copy is the one taken and that its audit log is intact. PostgreSQL
//! installations back up with `pg_dump` (docs/operations.md).

use super::database::Database;
use super::serve::DbArgs;
use crate::output::{CliError, CliResult, invalid, print_text};
use cadence_app::audit_log::ChainCheck;
use cadence_app::{App, AppConfig, SystemClock};
use cadence_store::Store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a backup's manifest records.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The backup file's name.
    pub file: String,
    /// Hex SHA-256 of the backup file.
    pub sha256: String,
    /// The audit chain head in the copy: entries.
    pub audit_seq: i64,
    /// The audit chain head in the copy: hash.
    pub audit_head: String,
    /// When the backup was taken (RFC 3339).
    pub created_at: String,
    /// The Cadence version that took it.
    pub cadence_version: String,
}

/// Take an online backup of the SQLite database.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The backup file to write (must not exist); the manifest goes beside it.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    db: DbArgs,
}

/// Restore a backup into a new SQLite database.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup file (its manifest must be beside it).
    file: PathBuf,
    /// Where to restore: a sqlite:// URL whose file must not exist yet.
    #[arg(long, env = "CADENCE_DATABASE_URL", hide_env_values = true, default_value = super::database::DEFAULT_DATABASE_URL)]
    database_url: String,
}

/// The manifest path for a backup file.
pub fn manifest_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

fn sha256_file(path: &Path) -> Result<String, CliError> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

async fn chain_head(db: &Database) -> Result<(i64, String), CliError> {
    let app = App::new(db.store(), Arc::new(SystemClock), AppConfig::default());
    match app.verify_audit_chain().await.map_err(invalid)? {
        ChainCheck::Intact(head) => Ok((head.seq, head.hash)),
        ChainCheck::Broken(b) => Err(invalid(format!("refusing: {b}"))),
    }
}

/// Runs `backup`.
pub fn run_backup(args: BackupArgs) -> CliResult {
    if args.out.exists() || manifest_path(&args.out).exists() {
        return Err(invalid(format!(
            "{} already exists; choose a new file name",
            args.out.display()
        )));
    }
    super::runtime()?.block_on(async {
        let db = Database::open(&args.db.database_url).await?;
        let Database::Sqlite(store) = &db else {
            return Err(invalid(
                "cadence backup copies the embedded SQLite database; back up PostgreSQL with \
                 pg_dump (see docs/operations.md)",
            ));
        };
        // The copy leaves the system: record the disclosure first, so the copy holds it too.
        let event = cadence_store::audit::AuditEvent {
            at: cadence_app::Clock::now(&SystemClock),
            actor_id: None,
            actor_role: None,
            clinic_id: None,
            patient_id: None,
            action: cadence_store::audit::AuditAction::Export,
            object_type: cadence_store::audit::ObjectType::Backup,
            object_id: args
                .out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned()),
            outcome: cadence_store::audit::AuditOutcome::Success,
            request_id: cadence_app::admin::OPERATOR_REQUEST_ID.into(),
        };
        store
            .append_audit(event)
            .await
            .map_err(|e| invalid(format!("cannot record the backup in the audit log: {e}")))?;
        store
            .backup_to(&args.out)
            .await
            .map_err(|e| invalid(format!("backup failed: {e}")))?;
        db.close().await;
        // The head is read from the copy itself, so it describes exactly what was saved.
        let copy = Database::open(&format!("sqlite://{}", args.out.display())).await?;
        let (audit_seq, audit_head) = chain_head(&copy).await?;
        copy.close().await;
        remove_sidecars(&args.out);
        let manifest = Manifest {
            file: args
                .out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: sha256_file(&args.out)?,
            audit_seq,
            audit_head,
            created_at: cadence_app::Clock::now(&SystemClock).to_string(),
            cadence_version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let text =
            serde_json::to_string_pretty(&manifest).map_err(|e| CliError::Failed(e.into()))?;
        write_private(&manifest_path(&args.out), text.as_bytes())?;
        print_text(&format!(
            "backup written to {} (sha256 {}, audit entries {})",
            args.out.display(),
            manifest.sha256,
            manifest.audit_seq
        ))
    })
}

/// Runs `restore`.
pub fn run_restore(args: RestoreArgs) -> CliResult {
    let Some(target) = args.database_url.strip_prefix("sqlite://") else {
        return Err(invalid(
            "restore writes an embedded database: give a sqlite:// URL",
        ));
    };
    let target = PathBuf::from(target);
    if target.exists() {
        return Err(invalid(format!(
            "{} already exists; restore never overwrites a database — choose a new path",
            target.display()
        )));
    }
    let manifest_file = manifest_path(&args.file);
    let text = std::fs::read_to_string(&manifest_file).map_err(|e| {
        invalid(format!(
            "cannot read the manifest {}: {e}",
            manifest_file.display()
        ))
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| invalid(format!("{}: {e}", manifest_file.display())))?;
    let actual = sha256_file(&args.file)?;
    if actual != manifest.sha256 {
        return Err(invalid(format!(
            "refusing: {} does not match its manifest checksum (the copy is damaged or altered)",
            args.file.display()
        )));
    }
    // Work on a temporary copy beside the target; only a verified copy is renamed into place.
    let staging = target.with_extension("restoring");
    std::fs::copy(&args.file, &staging)
        .map_err(|e| invalid(format!("cannot copy to {}: {e}", staging.display())))?;
    let outcome = super::runtime()?.block_on(async {
        let db = Database::open(&format!("sqlite://{}", staging.display())).await?;
        let head = chain_head(&db).await;
        db.close().await;
        let (seq, hash) = head?;
        if seq != manifest.audit_seq || hash != manifest.audit_head {
            return Err(invalid(
                "refusing: the audit chain head differs from the manifest's",
            ));
        }
        Ok(())
    });
    if let Err(e) = outcome {
        let _ = std::fs::remove_file(&staging);
        remove_sidecars(&staging);
        return Err(e);
    }
    remove_sidecars(&staging);
    std::fs::rename(&staging, &target)
        .map_err(|e| invalid(format!("cannot move the restored database into place: {e}")))?;
    print_text(&format!(
        "restored {} into {} (audit entries {}, chain verified)",
        args.file.display(),
        target.display(),
        manifest.audit_seq
    ))
}

/// Removes the `-wal` and `-shm` files SQLite leaves beside a closed copy.
fn remove_sidecars(db: &Path) {
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| invalid(format!("cannot write {}: {e}", path.display())))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| invalid(format!("cannot write {}: {e}", path.display())))
}
