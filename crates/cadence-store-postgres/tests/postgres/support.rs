//! A fresh PostgreSQL database per test case, so cases never share state and run in parallel.
//!
//! The server comes from `CADENCE_TEST_DATABASE_URL` (an admin URL such as
//! `postgres://postgres@127.0.0.1:5432/test`). Without it, [`TestDb::create`] prints a note and
//! returns `None`, and the PostgreSQL tests pass without running.

use cadence_store::audit::{AuditAction, AuditEvent, AuditOutcome, ObjectType};
use cadence_store::ids::ClinicId;
use cadence_store_postgres::PgStore;
use jiff::Timestamp;
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};

/// Numbers the databases this test process creates.
static NEXT: AtomicU32 = AtomicU32::new(0);

/// A database created for one test case, dropped when this value is.
#[derive(Debug)]
pub struct TestDb {
    admin_url: String,
    name: String,
    /// The URL of the new database.
    pub url: String,
}

impl TestDb {
    /// Creates `cadence_test_<pid>_<n>`, or returns `None` when no server is configured.
    pub async fn create() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var("CADENCE_TEST_DATABASE_URL") else {
            eprintln!("note: CADENCE_TEST_DATABASE_URL is not set; skipping a PostgreSQL test");
            return None;
        };
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("cadence_test_{}_{n}", std::process::id());
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("connect with CADENCE_TEST_DATABASE_URL");
        admin
            .execute(AssertSqlSafe(database_statement("CREATE DATABASE ", &name)))
            .await
            .expect("create a test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        Some(TestDb {
            admin_url,
            name,
            url,
        })
    }

    /// A migrated store on this database (one "server process").
    pub async fn store(&self) -> PgStore {
        PgStore::connect(&self.url)
            .await
            .expect("connect the store")
    }

    /// A plain connection to this database, for raw SQL the store never runs.
    pub async fn raw(&self) -> PgConnection {
        PgConnection::connect(&self.url)
            .await
            .expect("connect to the test database")
    }
}

impl Drop for TestDb {
    /// Drops the database, best effort, also when the case failed. `Drop` cannot await, so a
    /// helper thread with its own runtime does it (`WITH (FORCE)` ends the connections the
    /// case's pools still hold). A leftover is harmless: names never repeat within a process,
    /// and the pid differs between runs.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = database_statement("DROP DATABASE IF EXISTS ", &self.name) + " WITH (FORCE)";
        let dropper = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                    admin.execute(AssertSqlSafe(sql)).await.ok();
                    admin.close().await.ok();
                }
            });
        });
        dropper.join().ok();
    }
}

/// `CREATE DATABASE` and `DROP DATABASE` take an identifier, which cannot be a bound
/// parameter; the name is built here from the process id and a counter only, and checked.
fn database_statement(verb: &'static str, name: &str) -> String {
    assert!(
        name.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "test database names are [a-z0-9_]"
    );
    let mut sql = String::from(verb);
    sql.push('"');
    sql.push_str(name);
    sql.push('"');
    sql
}

/// `url` with its database path replaced by `name`, keeping any `?options`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// An audit event for tests.
pub fn event(object_type: ObjectType, at_ms: i64) -> AuditEvent {
    AuditEvent {
        at: Timestamp::from_millisecond(at_ms).unwrap(),
        actor_id: None,
        actor_role: Some("admin".into()),
        clinic_id: Some(ClinicId(1)),
        patient_id: None,
        action: AuditAction::Create,
        object_type,
        object_id: None,
        outcome: AuditOutcome::Success,
        request_id: "req-test".into(),
    }
}

#[test]
fn urls_get_the_test_database() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgresql://u:p@h/test?sslmode=disable", "x"),
        "postgresql://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "x"),
        "postgres://h:5432/x"
    );
}
