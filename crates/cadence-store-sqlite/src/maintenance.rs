//! Operations on the database as a whole: integrity checks, online backup, the settings in
//! force, and the migrated schema (compared with PostgreSQL's by a parity test).

use crate::SqliteStore;
use crate::codec::{db, get};
use crate::open::Pragmas;
use cadence_store::StoreError;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Every table the migrations create, in name order (without sqlx's `_sqlx_migrations`).
pub const SCHEMA_TABLES: &[&str] = &[
    "assessments",
    "audit_head",
    "audit_log",
    "auth_sessions",
    "clinics",
    "course_summaries",
    "courses",
    "decisions",
    "finding_releases",
    "findings",
    "monitoring_entries",
    "patients",
    "price_lists",
    "registration_settings",
    "rems_enrolments",
    "screenings",
    "session_entries",
    "treatment_sessions",
    "users",
];

/// The [`StoreError::Conflict`] rule when a backup's target file already exists.
pub const BACKUP_TARGET_EXISTS: &str = "backup.target_exists";

/// Distinguishes temporary backup files made in the same process.
static BACKUP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl SqliteStore {
    /// Checks the file's structure (`PRAGMA integrity_check` is `ok`) and that no row breaks a
    /// foreign key (`PRAGMA foreign_key_check` is empty).
    pub async fn integrity_check(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        check_connection(&mut conn).await
    }

    /// The durability settings in force on a pooled connection (for `cadence doctor`).
    pub async fn pragmas(&self) -> Result<Pragmas, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        Pragmas::read(&mut conn).await.map_err(db)
    }

    /// The migrated schema: each table (name order) with its columns (declaration order).
    pub async fn schema(&self) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        let tables = sqlx::query(concat!(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ",
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations' ",
            "ORDER BY name"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut schema = Vec::with_capacity(tables.len());
        for row in &tables {
            let table: String = get(row, "name")?;
            let columns = sqlx::query("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                .bind(&table)
                .fetch_all(&self.pool)
                .await
                .map_err(db)?
                .iter()
                .map(|c| get::<String>(c, "name"))
                .collect::<Result<Vec<_>, _>>()?;
            schema.push((table, columns));
        }
        Ok(schema)
    }

    /// Writes a consistent copy of the live database to `target` while writers carry on.
    ///
    /// `VACUUM INTO` writes a snapshot to a temporary file beside the target (owner-only); the
    /// copy is then opened and checked, synced to disk, and only then given the target's name,
    /// so a file at `target` is always a complete, verified backup. An existing target is
    /// refused ([`StoreError::Conflict`] with rule [`BACKUP_TARGET_EXISTS`]), never replaced.
    pub async fn backup_to(&self, target: impl AsRef<Path>) -> Result<(), StoreError> {
        let target = target.as_ref();
        if target.exists() {
            return Err(target_exists());
        }
        let temp = TempFile(temp_name(target)?);
        create_private_empty(&temp.0)?;
        let temp_text = temp
            .0
            .to_str()
            .ok_or_else(|| StoreError::other("the backup path is not valid UTF-8"))?
            .to_owned();

        sqlx::query("VACUUM INTO ?")
            .bind(temp_text)
            .execute(&self.pool)
            .await
            .map_err(db)?;

        let mut copy = SqliteConnectOptions::new()
            .filename(&temp.0)
            .create_if_missing(false)
            .disable_statement_logging()
            .connect()
            .await
            .map_err(db)?;
        let checked = check_connection(&mut copy).await;
        copy.close().await.map_err(db)?;
        checked?;

        sync_file(&temp.0)?;
        publish(&temp.0, target)?;
        sync_parent(target)?;
        Ok(())
    }
}

/// Integrity and foreign-key checks on one connection. The messages name tables and pages,
/// never values.
async fn check_connection(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
    let lines = rows
        .iter()
        .map(|r| sqlx::Row::try_get::<String, _>(r, 0).map_err(db))
        .collect::<Result<Vec<_>, _>>()?;
    if lines != ["ok"] {
        let first: Vec<&str> = lines.iter().take(5).map(String::as_str).collect();
        return Err(StoreError::Other(format!(
            "integrity_check failed: {}",
            first.join("; ")
        )));
    }
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
    if let Some(row) = broken.first() {
        let table: String = sqlx::Row::try_get(row, 0).map_err(db)?;
        return Err(StoreError::Other(format!(
            "foreign_key_check failed: {} row(s), first in table {table}",
            broken.len()
        )));
    }
    Ok(())
}

fn target_exists() -> StoreError {
    StoreError::Conflict {
        constraint: BACKUP_TARGET_EXISTS.to_owned(),
    }
}

/// `.<target name>.partial-<pid>-<n>` in the target's directory, so the final rename stays on
/// one filesystem and is atomic.
fn temp_name(target: &Path) -> Result<PathBuf, StoreError> {
    let name = target
        .file_name()
        .ok_or_else(|| StoreError::other("the backup path has no file name"))?
        .to_string_lossy();
    let n = BACKUP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = format!(".{name}.partial-{}-{n}", std::process::id());
    Ok(target.with_file_name(temp))
}

/// Removes the temporary file on every path out of `backup_to` (after a successful publish it
/// is already gone and removal is a no-op).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn io(what: &'static str) -> impl Fn(std::io::Error) -> StoreError {
    move |e| StoreError::Other(format!("backup: cannot {what}: {e}"))
}

/// An empty file, owner-only, that `VACUUM INTO` fills (it accepts an existing empty file).
fn create_private_empty(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(io("create the temporary file"))?;
    Ok(())
}

fn sync_file(path: &Path) -> Result<(), StoreError> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io("sync the copy"))
}

/// Gives the verified copy its name without ever replacing an existing file: a hard link fails
/// if the target appeared meanwhile. Filesystems without hard links fall back to a rename after
/// a last check.
fn publish(temp: &Path, target: &Path) -> Result<(), StoreError> {
    match std::fs::hard_link(temp, target) {
        Ok(()) => std::fs::remove_file(temp).map_err(io("remove the temporary file")),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(target_exists()),
        Err(_) => {
            if target.exists() {
                return Err(target_exists());
            }
            std::fs::rename(temp, target).map_err(io("rename the copy"))
        }
    }
}

/// Makes the new directory entry durable.
fn sync_parent(target: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io("sync the backup directory"))?;
    }
    #[cfg(not(unix))]
    let _ = target;
    Ok(())
}
