//! Cadence's PostgreSQL backend, for networks that run many stateless `cadence serve`
//! processes against one database.
//!
//! [`PgStore::connect`] checks the server's durability settings ([`durability`]), runs the
//! embedded migrations (sqlx takes an advisory lock, so any number of processes may start at
//! once) and returns a store implementing [`cadence_store::Store`]. Every write is one
//! transaction that ends by appending its audit row under a `SELECT ... FOR UPDATE` lock on the
//! one-row `audit_head`, so appends from every process serialise into one linear chain.
//!
//! Reading order: [`durability`], `error` (how database errors become [`StoreError`]),
//! `convert` (column values to records), `audit` (the chain append), then one module per group
//! of records (`clinics`, `patients`, `courses`, `sessions`) and `store_impl` (the trait,
//! delegating to them). The schema is `migrations/0001_initial.sql`.

mod audit;
mod clinics;
mod convert;
mod courses;
pub mod durability;
mod error;
mod patients;
mod read_model;
mod safety;
mod sessions;
mod store_impl;

use cadence_store::StoreError;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Executor, Row};
use std::str::FromStr;
use std::time::Duration;

pub use durability::{DurabilityError, DurabilitySettings};

/// The schema migrations, embedded in the binary.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connections per server process. A clinic network runs a handful of processes; PostgreSQL's
/// default `max_connections` is 100.
const MAX_CONNECTIONS: u32 = 10;

/// Why [`PgStore::connect`] refused to start. Never contains the URL (it may hold a password).
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL is not `postgres://` or `postgresql://`.
    #[error("not a PostgreSQL URL: expected postgres:// or postgresql://")]
    Scheme,
    /// The server could not be reached or refused the login.
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(String),
    /// The server's durability settings would risk acknowledged writes.
    #[error(transparent)]
    Durability(#[from] DurabilityError),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migrate(String),
}

/// The PostgreSQL store: a connection pool over a migrated database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://` or `postgresql://`), refuses weakened durability
    /// settings, and migrates the schema.
    pub async fn connect(url: &str) -> Result<PgStore, ConnectError> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(ConnectError::Scheme);
        }
        // Statement logging off: the SQL carries no values, but at debug level it would drown
        // the request logs (the SQLite backend does the same).
        let options = PgConnectOptions::from_str(url)
            .map_err(connect_error)?
            .disable_statement_logging();
        // A refused connection is retried until the timeout, so servers may start before
        // PostgreSQL has finished starting.
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(30))
            // A connection sqlx still counts inside a transaction (a rollback that could not
            // run) is closed rather than handed out: its next BEGIN would fail (issue 15 §4).
            .before_acquire(|conn, _meta| {
                Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
            })
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        let settings = read_durability(&pool).await?;
        settings.check()?;
        settings.log();
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| ConnectError::Migrate(e.to_string()))?;
        Ok(PgStore { pool })
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The migrated schema: each table (sqlx's own `_sqlx_migrations` left out) with its
    /// column names, both sorted. The schema parity test compares this with the SQLite
    /// backend's.
    pub async fn schema(&self) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' \
             ORDER BY table_name, column_name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(error::map)?;
        let mut tables: Vec<(String, Vec<String>)> = Vec::new();
        for row in rows {
            let table: String = row.try_get("table_name").map_err(error::map)?;
            let column: String = row.try_get("column_name").map_err(error::map)?;
            match tables.last_mut() {
                Some((name, columns)) if *name == table => columns.push(column),
                _ => tables.push((table, vec![column])),
            }
        }
        Ok(tables)
    }
}

/// Reads the settings [`DurabilitySettings::check`] judges.
async fn read_durability(pool: &PgPool) -> Result<DurabilitySettings, ConnectError> {
    let mut conn = pool.acquire().await.map_err(connect_error)?;
    Ok(DurabilitySettings {
        fsync: show(&mut conn, "SHOW fsync").await?,
        full_page_writes: show(&mut conn, "SHOW full_page_writes").await?,
        synchronous_commit: show(&mut conn, "SHOW synchronous_commit").await?,
        data_checksums: show(&mut conn, "SHOW data_checksums").await?,
    })
}

/// One `SHOW` statement's value.
async fn show(conn: &mut PgConnection, statement: &'static str) -> Result<String, ConnectError> {
    let row = conn.fetch_one(statement).await.map_err(connect_error)?;
    row.try_get::<String, _>(0).map_err(connect_error)
}

fn connect_error(err: sqlx::Error) -> ConnectError {
    ConnectError::Connect(error::describe(&err))
}
