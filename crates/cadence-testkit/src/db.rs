//! A fresh database for each test: a SQLite file in its own temporary directory, or a new
//! PostgreSQL database on the server named by `CADENCE_TEST_DATABASE_URL`. Both are removed
//! when the test's [`crate::TestApp`] is dropped.

use cadence_app::Store;
use cadence_store_postgres::PgStore;
use cadence_store_sqlite::SqliteStore;
use sqlx::{Connection, Executor, Row};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable naming a PostgreSQL server for tests (a URL whose user may
/// create databases). Unset: PostgreSQL variants of tests are skipped.
pub const PG_URL_VAR: &str = "CADENCE_TEST_DATABASE_URL";

/// Which storage backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// A temporary SQLite file (always available).
    Sqlite,
    /// A fresh database on `CADENCE_TEST_DATABASE_URL`.
    Postgres,
}

impl Backend {
    /// The backends this run can use: SQLite always, PostgreSQL when configured.
    pub fn available() -> Vec<Backend> {
        let mut all = vec![Backend::Sqlite];
        if Backend::Postgres.is_available() {
            all.push(Backend::Postgres);
        }
        all
    }

    /// Whether this backend can be used in this run.
    pub fn is_available(self) -> bool {
        match self {
            Backend::Sqlite => true,
            Backend::Postgres => std::env::var(PG_URL_VAR).is_ok_and(|v| !v.trim().is_empty()),
        }
    }
}

/// Removes the test's database when dropped.
#[derive(Debug)]
pub(crate) enum DbGuard {
    Sqlite(PathBuf),
    /// A directory the test chose: left for the test to clean up.
    Kept,
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        match self {
            DbGuard::Sqlite(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            DbGuard::Kept => {}
            DbGuard::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop may run inside the test's runtime: do the async clean-up on a thread of
                // its own with a runtime of its own.
                let handle = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async {
                        if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                            let _ = run_ddl(
                                &mut conn,
                                "DROP DATABASE IF EXISTS %I WITH (FORCE)",
                                &name,
                            )
                            .await;
                            let _ = conn.close().await;
                        }
                    });
                });
                let _ = handle.join();
            }
        }
    }
}

/// 64 random bits, hex: unique names for parallel tests and processes.
fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    let random: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}_{}_{random}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs a DDL statement about one identifier. The statement is assembled by PostgreSQL's
/// own `format(... %I ...)`, which quotes the identifier, with the name bound as a parameter:
/// no SQL text is built in Rust.
async fn run_ddl(
    conn: &mut sqlx::PgConnection,
    template: &'static str,
    name: &str,
) -> Result<(), sqlx::Error> {
    let row = sqlx::query("SELECT format($1, $2)")
        .bind(template)
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    let statement: String = row.try_get(0)?;
    // Safe: the text came from PostgreSQL's `format` with `%I` quoting.
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement)))
        .await?;
    Ok(())
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    // The path starts at the first '/' after the authority (which may hold `user:pw@`).
    let authority_end = rest.rfind('@').map_or(0, |at| at + 1);
    let host_and_path = &rest[authority_end..];
    let host = host_and_path.split('/').next().unwrap_or_default();
    let mut out = format!("{scheme}://{}{host}/{name}", &rest[..authority_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The concrete store, for counting rows with plain SQL.
#[derive(Debug, Clone)]
pub(crate) enum Concrete {
    Sqlite(SqliteStore),
    /// The database's URL (a connection of the kit's own, so nothing depends on the
    /// backend's internals).
    Postgres(String),
}

/// Every table with the statement that counts its rows (fixed text: no SQL is assembled).
const COUNTS: &[(&str, &str)] = &[
    ("clinics", "SELECT COUNT(*) FROM clinics"),
    ("users", "SELECT COUNT(*) FROM users"),
    ("auth_sessions", "SELECT COUNT(*) FROM auth_sessions"),
    ("patients", "SELECT COUNT(*) FROM patients"),
    ("screenings", "SELECT COUNT(*) FROM screenings"),
    ("assessments", "SELECT COUNT(*) FROM assessments"),
    ("courses", "SELECT COUNT(*) FROM courses"),
    (
        "treatment_sessions",
        "SELECT COUNT(*) FROM treatment_sessions",
    ),
    (
        "monitoring_entries",
        "SELECT COUNT(*) FROM monitoring_entries",
    ),
    ("session_entries", "SELECT COUNT(*) FROM session_entries"),
    ("decisions", "SELECT COUNT(*) FROM decisions"),
    ("findings", "SELECT COUNT(*) FROM findings"),
    ("finding_releases", "SELECT COUNT(*) FROM finding_releases"),
    ("rems_enrolments", "SELECT COUNT(*) FROM rems_enrolments"),
    ("price_lists", "SELECT COUNT(*) FROM price_lists"),
    ("audit_log", "SELECT COUNT(*) FROM audit_log"),
];

impl Concrete {
    /// Runs SQL statements on the test database.
    pub(crate) async fn execute_sql(&self, sql: &'static str) {
        match self {
            Concrete::Sqlite(store) => {
                store
                    .pool()
                    .execute(sqlx::raw_sql(sql))
                    .await
                    .unwrap_or_else(|e| panic!("run test SQL: {e}"));
            }
            Concrete::Postgres(url) => {
                let mut conn = sqlx::PgConnection::connect(url)
                    .await
                    .unwrap_or_else(|e| panic!("connect to the test database: {e}"));
                conn.execute(sqlx::raw_sql(sql))
                    .await
                    .unwrap_or_else(|e| panic!("run test SQL: {e}"));
                let _ = conn.close().await;
            }
        }
    }

    /// Rows in every table.
    pub(crate) async fn row_counts(&self) -> Vec<(&'static str, i64)> {
        let mut out = Vec::with_capacity(COUNTS.len());
        let mut pg = match self {
            Concrete::Sqlite(_) => None,
            Concrete::Postgres(url) => Some(
                sqlx::PgConnection::connect(url)
                    .await
                    .unwrap_or_else(|e| panic!("connect to the test database: {e}")),
            ),
        };
        for (table, sql) in COUNTS {
            let n: i64 = match (self, pg.as_mut()) {
                (Concrete::Sqlite(s), _) => sqlx::query_scalar(*sql).fetch_one(s.pool()).await,
                (Concrete::Postgres(_), Some(conn)) => {
                    sqlx::query_scalar(*sql).fetch_one(&mut *conn).await
                }
                (Concrete::Postgres(_), None) => unreachable!("connected above"),
            }
            .unwrap_or_else(|e| panic!("count {table}: {e}"));
            out.push((*table, n));
        }
        if let Some(conn) = pg {
            let _ = conn.close().await;
        }
        out
    }
}

/// Opens a fresh store on `backend` (a SQLite file in `sqlite_dir` when given).
pub(crate) async fn fresh_store(
    backend: Backend,
    sqlite_dir: Option<PathBuf>,
) -> (Arc<dyn Store>, Concrete, DbGuard) {
    match backend {
        Backend::Sqlite => {
            let (dir, guard) = match sqlite_dir {
                Some(dir) => (dir, DbGuard::Kept),
                None => {
                    let dir =
                        std::env::temp_dir().join(format!("cadence-test-{}", unique_suffix()));
                    (dir.clone(), DbGuard::Sqlite(dir))
                }
            };
            std::fs::create_dir_all(&dir).expect("create the test's temporary directory");
            let url = format!("sqlite://{}", dir.join("cadence.db").display());
            let store = SqliteStore::open(&url)
                .await
                .expect("open a fresh SQLite database");
            (Arc::new(store.clone()), Concrete::Sqlite(store), guard)
        }
        Backend::Postgres => {
            let admin_url = std::env::var(PG_URL_VAR)
                .unwrap_or_else(|_| panic!("{PG_URL_VAR} is not set: no PostgreSQL for tests"));
            let name = format!("cadence_test_{}", unique_suffix());
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("connect to {PG_URL_VAR}: {e}"));
            run_ddl(&mut conn, "CREATE DATABASE %I", &name)
                .await
                .unwrap_or_else(|e| panic!("create a test database: {e}"));
            let _ = conn.close().await;
            let guard = DbGuard::Postgres {
                admin_url: admin_url.clone(),
                name: name.clone(),
            };
            let url = with_database(&admin_url, &name);
            let store = PgStore::connect(&url)
                .await
                .unwrap_or_else(|e| panic!("open the fresh PostgreSQL database: {e}"));
            (Arc::new(store), Concrete::Postgres(url), guard)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(
            with_database("postgres://u:p@localhost:5432/postgres", "t1"),
            "postgres://u:p@localhost:5432/t1"
        );
        assert_eq!(
            with_database("postgres://localhost", "t1"),
            "postgres://localhost/t1"
        );
        assert_eq!(
            with_database("postgresql://u@h/db?sslmode=disable", "t1"),
            "postgresql://u@h/t1?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u:p%2F@h/db", "t1"),
            "postgres://u:p%2F@h/t1"
        );
    }
}

/// A write transaction held open on a connection of the kit's own (issue 18): on SQLite
/// `BEGIN IMMEDIATE` (the writer lock), on PostgreSQL the audit head's row lock (what every
/// audited write and read queues on). Ends when [`WriterHold::release`] commits it.
#[derive(Debug)]
pub enum WriterHold {
    /// The SQLite connection inside its transaction.
    Sqlite(sqlx::SqliteConnection),
    /// The PostgreSQL connection inside its transaction.
    Postgres(sqlx::PgConnection),
}

impl WriterHold {
    /// Commits the held transaction.
    pub async fn release(self) {
        match self {
            WriterHold::Sqlite(mut conn) => {
                conn.execute("COMMIT")
                    .await
                    .unwrap_or_else(|e| panic!("commit the held write: {e}"));
                let _ = conn.close().await;
            }
            WriterHold::Postgres(mut conn) => {
                conn.execute("COMMIT")
                    .await
                    .unwrap_or_else(|e| panic!("commit the held write: {e}"));
                let _ = conn.close().await;
            }
        }
    }
}

impl Concrete {
    /// Opens a write transaction that holds the lock writers queue on.
    pub(crate) async fn hold_writer(&self) -> WriterHold {
        match self {
            Concrete::Sqlite(store) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new().filename(store.path());
                let mut conn = sqlx::SqliteConnection::connect_with(&options)
                    .await
                    .unwrap_or_else(|e| panic!("connect to the test database: {e}"));
                conn.execute("BEGIN IMMEDIATE")
                    .await
                    .unwrap_or_else(|e| panic!("take the writer lock: {e}"));
                WriterHold::Sqlite(conn)
            }
            Concrete::Postgres(url) => {
                let mut conn = sqlx::PgConnection::connect(url)
                    .await
                    .unwrap_or_else(|e| panic!("connect to the test database: {e}"));
                conn.execute("BEGIN")
                    .await
                    .unwrap_or_else(|e| panic!("begin: {e}"));
                conn.execute("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")
                    .await
                    .unwrap_or_else(|e| panic!("take the audit head lock: {e}"));
                WriterHold::Postgres(conn)
            }
        }
    }
}
