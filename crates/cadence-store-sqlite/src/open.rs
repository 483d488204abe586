//! Opening a database: the `sqlite://` URL, the file (created owner-only), the durability
//! settings set on every connection and read back, and the migrations.
//!
//! The settings are read back rather than trusted because `PRAGMA journal_mode=WAL` does not fail
//! when it cannot switch (a network filesystem, a read-only directory): it silently keeps the old
//! mode. A store that would acknowledge writes it could lose on power failure refuses to start.

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection, Row};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a connection waits for another writer before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_millis(5000);

/// Connections in the pool: readers run in parallel under WAL, writers queue on `BEGIN
/// IMMEDIATE`, so a few are enough on a small clinic server.
const POOL_SIZE: u32 = 4;

/// Reader connections: page views read in parallel beside the writer.
const READERS: u32 = 8;

/// The migrations, embedded in the binary.
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Why a store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The URL is not `sqlite://<path>`.
    #[error("not a SQLite database URL: expected `sqlite://<path to file>`, {0}")]
    BadUrl(&'static str),
    /// The database file could not be created or its permissions set.
    #[error("cannot create the database file {path}: {source}")]
    CreateFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file (or its directory) cannot be written by this process: a read-only file, a
    /// file owned by another user, a read-only mount.
    #[error(
        "the database file {} cannot be written by this process (check its owner and mode, and \
         that its directory and file system are writable); refusing to start",
        .0.display()
    )]
    ReadOnly(PathBuf),
    /// A durability setting read back weaker than required.
    #[error(transparent)]
    Weak(#[from] WeakSetting),
    /// Connecting or reading the settings failed.
    #[error("cannot open the SQLite database: {0}")]
    Connect(String),
    /// A migration failed (or a released migration was changed).
    #[error("cannot migrate the SQLite database: {0}")]
    Migrate(String),
}

/// A durability setting weaker than Cadence requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "SQLite setting `{setting}` is {found}, but Cadence requires {required}; refusing to start"
)]
pub struct WeakSetting {
    /// The PRAGMA name.
    pub setting: &'static str,
    /// What it read back as.
    pub found: String,
    /// What it must be.
    pub required: &'static str,
}

/// The durability settings of a connection, as read back from SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragmas {
    /// `PRAGMA journal_mode` (lower-case).
    pub journal_mode: String,
    /// `PRAGMA synchronous`: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    pub synchronous: i64,
    /// `PRAGMA foreign_keys`: 1 when enforced.
    pub foreign_keys: i64,
    /// `PRAGMA busy_timeout` in milliseconds.
    pub busy_timeout: i64,
}

impl Pragmas {
    /// Reads the settings from a connection.
    pub async fn read(conn: &mut SqliteConnection) -> Result<Pragmas, sqlx::Error> {
        let journal_mode: String = sqlx::query("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let synchronous: i64 = sqlx::query("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let foreign_keys: i64 = sqlx::query("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let busy_timeout: i64 = sqlx::query("PRAGMA busy_timeout")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        Ok(Pragmas {
            journal_mode: journal_mode.to_ascii_lowercase(),
            synchronous,
            foreign_keys,
            busy_timeout,
        })
    }

    /// Refuses anything weaker than WAL, `synchronous` FULL (or EXTRA), enforced foreign keys
    /// and a non-zero busy timeout (security reference, DUR-2). WAL with FULL makes every
    /// acknowledged commit survive power loss; NORMAL may roll recent commits back.
    pub fn check(&self) -> Result<(), WeakSetting> {
        if self.journal_mode != "wal" {
            return Err(WeakSetting {
                setting: "journal_mode",
                found: self.journal_mode.clone(),
                required: "wal",
            });
        }
        if !(2..=3).contains(&self.synchronous) {
            return Err(WeakSetting {
                setting: "synchronous",
                found: self.synchronous.to_string(),
                required: "2 (FULL) or 3 (EXTRA)",
            });
        }
        if self.foreign_keys != 1 {
            return Err(WeakSetting {
                setting: "foreign_keys",
                found: self.foreign_keys.to_string(),
                required: "1 (ON)",
            });
        }
        if self.busy_timeout <= 0 {
            return Err(WeakSetting {
                setting: "busy_timeout",
                found: self.busy_timeout.to_string(),
                required: "more than 0 ms",
            });
        }
        Ok(())
    }
}

/// The file path in a `sqlite://<path>` URL (`sqlite:///abs/path` or `sqlite://relative`).
pub(crate) fn parse_url(url: &str) -> Result<PathBuf, OpenError> {
    let Some(rest) = url.strip_prefix("sqlite://") else {
        return Err(OpenError::BadUrl("the URL must start with `sqlite://`"));
    };
    if rest.is_empty() {
        return Err(OpenError::BadUrl("the path is empty"));
    }
    // Options in the URL (`?mode=memory`, `?mode=ro`) could weaken what `open` guarantees, so
    // none are accepted: the settings are fixed in code.
    if rest.contains('?') || rest.contains('#') {
        return Err(OpenError::BadUrl("options (`?...`) are not accepted"));
    }
    if rest.starts_with(':') {
        return Err(OpenError::BadUrl("in-memory databases are not supported"));
    }
    Ok(PathBuf::from(rest))
}

/// Creates the database file if it is missing, readable and writable by its owner only: it
/// holds health information. SQLite gives its `-wal` and `-shm` files the same mode.
pub(crate) fn create_private_file(path: &Path) -> Result<(), OpenError> {
    let err = |source| OpenError::CreateFile {
        path: path.to_owned(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(err(e)),
    }
    #[cfg(unix)]
    {
        // The mode above is filtered by the umask; set it exactly.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(err)?;
    }
    Ok(())
}

/// The settings every connection is opened with.
pub(crate) fn connect_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        // Query logging would be noise at info level; statements never carry values anyway.
        .disable_statement_logging()
}

/// Whether a connection going back to the pool may be used again: not while sqlx still counts
/// it inside a transaction.
///
/// A transaction dropped without commit queues a `ROLLBACK`. When the failure was a full disk
/// or an I/O error, SQLite has already rolled the transaction back itself, so that `ROLLBACK`
/// fails ("no transaction is active") and sqlx keeps counting the connection as inside a
/// transaction: every later `BEGIN IMMEDIATE` on it failed with "begin_with at non-zero
/// transaction depth", long after the disk had room again (issue 15 §4). The ping runs the
/// queued rollback first; a connection still counted inside a transaction is then closed, and
/// the pool opens a fresh one when needed.
async fn discard_if_in_transaction(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    conn.ping().await?;
    Ok(!conn.is_in_transaction())
}

/// Proves the file can be written: a table created inside a transaction that is rolled back.
/// SQLite opens a file it may only read without complaint, and a server on it would start,
/// say it is healthy and then fail every login (issue 15 §6).
async fn check_writable(conn: &mut SqliteConnection, path: &Path) -> Result<(), OpenError> {
    let read_only = |e: &sqlx::Error| {
        e.as_database_error()
            .and_then(|d| d.code())
            .and_then(|code| code.parse::<i64>().ok())
            .is_some_and(|code| matches!(code & 0xff, 8 | 14))
    };
    let fail = |e: sqlx::Error| {
        if read_only(&e) {
            OpenError::ReadOnly(path.to_owned())
        } else {
            OpenError::Connect(e.to_string())
        }
    };
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *conn)
        .await
        .map_err(fail)?;
    let probe = sqlx::query("CREATE TABLE cadence_write_probe (x INTEGER)")
        .execute(&mut *conn)
        .await;
    sqlx::query("ROLLBACK")
        .execute(&mut *conn)
        .await
        .map_err(fail)?;
    probe.map(|_| ()).map_err(fail)
}

/// Opens the writer and reader pools after checking the settings, that the file can be
/// written, and migrating on one connection.
pub(crate) async fn open_pool(url: &str) -> Result<(SqlitePool, SqlitePool, PathBuf), OpenError> {
    let path = parse_url(url)?;
    create_private_file(&path)?;
    let options = connect_options(&path);

    let mut first = options
        .connect()
        .await
        .map_err(|e| OpenError::Connect(e.to_string()))?;
    let pragmas = Pragmas::read(&mut first)
        .await
        .map_err(|e| OpenError::Connect(e.to_string()))?;
    pragmas.check()?;
    check_writable(&mut first, &path).await?;
    MIGRATOR
        .run(&mut first)
        .await
        .map_err(|e| OpenError::Migrate(e.to_string()))?;
    first
        .close()
        .await
        .map_err(|e| OpenError::Connect(e.to_string()))?;

    let pool = SqlitePoolOptions::new()
        .max_connections(POOL_SIZE)
        // Every later connection is checked too, not only the first.
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                Pragmas::read(conn)
                    .await?
                    .check()
                    .map_err(|weak| sqlx::Error::Configuration(Box::new(weak)))
            })
        })
        .after_release(|conn, _meta| Box::pin(discard_if_in_transaction(conn)))
        .connect_with(options.clone())
        .await
        .map_err(|e| OpenError::Connect(e.to_string()))?;
    // Readers: the same checked settings; their transactions are deferred and only read, so
    // under WAL they never wait for the writer nor make it wait (issue 18).
    let readers = SqlitePoolOptions::new()
        .max_connections(READERS)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                Pragmas::read(conn)
                    .await?
                    .check()
                    .map_err(|weak| sqlx::Error::Configuration(Box::new(weak)))
            })
        })
        .after_release(|conn, _meta| Box::pin(discard_if_in_transaction(conn)))
        .connect_with(options)
        .await
        .map_err(|e| OpenError::Connect(e.to_string()))?;
    Ok((pool, readers, path))
}

/// Opens an existing file for reading only: for verifying and reporting on a copy that may be
/// read-only (an archived backup). Nothing is created, migrated or written, and the durability
/// settings are not required (nothing is written through this pool).
///
/// A WAL database needs its `-shm` file, which SQLite creates beside it; in a directory this
/// process cannot write, the file is opened as immutable instead (no locks, no `-shm`), which
/// is right for an archived copy and wrong only for a database something is writing to.
pub(crate) async fn open_read_only_pool(url: &str) -> Result<(SqlitePool, PathBuf), OpenError> {
    let path = parse_url(url)?;
    if !path.is_file() {
        return Err(OpenError::Connect(format!(
            "{} does not exist or is not a file",
            path.display()
        )));
    }
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .read_only(true)
        .create_if_missing(false)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        .disable_statement_logging();
    let connect = |options: SqliteConnectOptions| async move {
        let pool = SqlitePoolOptions::new()
            .max_connections(POOL_SIZE)
            .connect_with(options)
            .await?;
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .fetch_one(&pool)
            .await?;
        Ok::<_, sqlx::Error>(pool)
    };
    let pool = match connect(options.clone()).await {
        Ok(pool) => pool,
        Err(_) => connect(options.immutable(true))
            .await
            .map_err(|e| OpenError::Connect(e.to_string()))?,
    };
    Ok((pool, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strong() -> Pragmas {
        Pragmas {
            journal_mode: "wal".into(),
            synchronous: 2,
            foreign_keys: 1,
            busy_timeout: 5000,
        }
    }

    #[test]
    fn full_and_extra_with_wal_pass() {
        assert_eq!(strong().check(), Ok(()));
        let extra = Pragmas {
            synchronous: 3,
            ..strong()
        };
        assert_eq!(extra.check(), Ok(()));
    }

    #[test]
    fn each_weaker_setting_is_refused_by_name() {
        let cases = [
            (
                Pragmas {
                    journal_mode: "delete".into(),
                    ..strong()
                },
                "journal_mode",
            ),
            (
                Pragmas {
                    journal_mode: "memory".into(),
                    ..strong()
                },
                "journal_mode",
            ),
            (
                Pragmas {
                    synchronous: 1,
                    ..strong()
                },
                "synchronous",
            ),
            (
                Pragmas {
                    synchronous: 0,
                    ..strong()
                },
                "synchronous",
            ),
            (
                Pragmas {
                    foreign_keys: 0,
                    ..strong()
                },
                "foreign_keys",
            ),
            (
                Pragmas {
                    busy_timeout: 0,
                    ..strong()
                },
                "busy_timeout",
            ),
        ];
        for (pragmas, setting) in cases {
            let weak = pragmas.check().unwrap_err();
            assert_eq!(weak.setting, setting);
            let message = weak.to_string();
            assert!(message.contains(setting), "{message}");
            assert!(message.contains(weak.required), "{message}");
        }
    }

    #[test]
    fn urls_must_name_a_file_without_options() {
        assert_eq!(
            parse_url("sqlite:///var/lib/cadence/db.sqlite").unwrap(),
            PathBuf::from("/var/lib/cadence/db.sqlite")
        );
        assert_eq!(
            parse_url("sqlite://data/db.sqlite").unwrap(),
            PathBuf::from("data/db.sqlite")
        );
        for bad in [
            "postgres://x",
            "sqlite:db",
            "sqlite://",
            "sqlite::memory:",
            "sqlite://:memory:",
            "sqlite://db?mode=memory",
        ] {
            assert!(matches!(parse_url(bad), Err(OpenError::BadUrl(_))), "{bad}");
        }
    }
}
