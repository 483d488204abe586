//! Cadence's test kit: the real router over a fresh database with a fake clock.
//!
//! ```ignore
//! let t = TestApp::new().await;                 // SQLite, fresh file
//! let staff = t.staff("North Clinic").await;    // a clinic, one logged-in user per role
//! let r = t.request(Method::GET, "/api/v1/patients", Some(staff.token(Role::Nurse)), None).await;
//! r.expect(200);
//! ```
//!
//! Tests that should run on both backends loop over [`Backend::available`] (PostgreSQL when
//! `CADENCE_TEST_DATABASE_URL` names a server whose user may create databases; each test gets
//! a database of its own, dropped afterwards).
//!
//! Reading order: [`TestApp`] (here), `db` ([`Backend`]), `http` ([`TestResponse`],
//! [`Credential`]), [`builders`] (valid request bodies).
#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "a test kit fails the test at once, with the cause, when its setup fails"
)]

pub mod builders;
mod db;
mod http;

pub use db::{Backend, PG_URL_VAR, WriterHold};
pub use http::{Credential, TestResponse, build, cookie_pair, send, with_client_address};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use cadence_app::audit::AuditRecord;
use cadence_app::ids::ClinicId;
use cadence_app::records::{Clinic, Role, User};
use cadence_app::{Actor, App, AppConfig, FakeClock, Store};
use cadence_web::WebConfig;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// Where every test's clock starts: Monday 2 March 2026, 15:00 UTC.
pub const START: &str = "2026-03-02T15:00:00Z";

/// The password of every user the kit creates.
pub const PASSWORD: &str = "correct horse battery staple";

/// Settings for a [`TestApp`].
#[derive(Debug, Clone, Default)]
pub struct TestOptions {
    /// The application's settings.
    pub app: AppConfig,
    /// The web layer's settings.
    pub web: WebConfig,
    /// Extra routes under the same middleware (e.g. one that panics).
    pub extra_routes: Router,
    /// Where the SQLite file goes (e.g. a small file system to fill); default a fresh
    /// temporary directory. The directory is not removed afterwards when given.
    pub sqlite_dir: Option<std::path::PathBuf>,
}

/// A user the kit created, with their password.
#[derive(Debug, Clone)]
pub struct TestUser {
    /// The stored user.
    pub user: User,
    /// Their password.
    pub password: String,
}

/// A clinic with one logged-in (API) user of every role.
#[derive(Debug, Clone)]
pub struct Staff {
    /// The clinic.
    pub clinic: Clinic,
    /// The users, by role.
    pub users: HashMap<Role, TestUser>,
    /// Their bearer tokens, by role.
    pub tokens: HashMap<Role, String>,
}

impl Staff {
    /// The bearer token of the clinic's user with this role.
    pub fn token(&self, role: Role) -> &str {
        self.tokens
            .get(&role)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The clinic's user with this role.
    pub fn user(&self, role: Role) -> &TestUser {
        self.users
            .get(&role)
            .unwrap_or_else(|| panic!("no {role} in the staff"))
    }
}

/// A logged-in browser: its cookie and CSRF token.
#[derive(Debug, Clone)]
pub struct BrowserSession {
    /// The `Cookie` header value to send back.
    pub cookie: String,
    /// The CSRF token from the login response.
    pub csrf: String,
}

/// The application and its real router on a fresh database, with a fake clock.
#[derive(Debug)]
pub struct TestApp {
    /// The application services (for setting up data directly).
    pub app: App,
    /// The clock every service reads; move it to test expiry.
    pub clock: Arc<FakeClock>,
    /// The store (for counting rows and reading the audit log).
    pub store: Arc<dyn Store>,
    /// Which backend.
    pub backend: Backend,
    router: Router,
    concrete: db::Concrete,
    users_made: AtomicU32,
    // Last: the database is removed after everything using it is gone.
    _db: db::DbGuard,
}

impl TestApp {
    /// On SQLite with default settings.
    pub async fn new() -> TestApp {
        TestApp::on(Backend::Sqlite).await
    }

    /// On `backend` with default settings.
    pub async fn on(backend: Backend) -> TestApp {
        TestApp::with_options(backend, TestOptions::default()).await
    }

    /// On `backend` with these settings.
    pub async fn with_options(backend: Backend, options: TestOptions) -> TestApp {
        let (store, concrete, guard) = db::fresh_store(backend, options.sqlite_dir).await;
        let start: Timestamp = START.parse().expect("START is a timestamp");
        let clock = Arc::new(FakeClock::new(start));
        let app = App::new(store.clone(), clock.clone(), options.app);
        let router = cadence_web::router_with(app.clone(), options.web, options.extra_routes);
        TestApp {
            app,
            clock,
            store,
            backend,
            router,
            concrete,
            users_made: AtomicU32::new(0),
            _db: guard,
        }
    }

    /// The router under test.
    pub fn router(&self) -> &Router {
        &self.router
    }

    /// Today in the kit's clinics (they are on UTC).
    pub fn today(&self) -> Date {
        self.app.now().to_zoned(jiff::tz::TimeZone::UTC).date()
    }

    /// Moves the clock.
    pub fn advance(&self, by: SignedDuration) {
        self.clock.advance(by);
    }

    /// Creates a clinic on UTC with 50 chairs (the most), so the many courses a test world
    /// starts on one day all get their sessions; scheduling tests set their own chairs.
    pub async fn clinic(&self, name: &str) -> Clinic {
        let clinic = self
            .app
            .create_clinic(name, "UTC")
            .await
            .unwrap_or_else(|e| panic!("create clinic {name}: {e}"));
        self.app
            .configure_clinic_day(clinic.id, "", 50, 120)
            .await
            .unwrap_or_else(|e| panic!("configure clinic {name}: {e}"))
    }

    /// Creates a user with [`PASSWORD`] (no one-time password to change).
    pub async fn user(&self, clinic: ClinicId, role: Role) -> TestUser {
        let n = self.users_made.fetch_add(1, Ordering::Relaxed);
        let email = format!("{role}{n}@clinic{clinic}.test");
        let (user, _) = self
            .app
            .create_user(clinic, &email, role, Some(PASSWORD))
            .await
            .unwrap_or_else(|e| panic!("create user {email}: {e}"));
        TestUser {
            user,
            password: PASSWORD.to_owned(),
        }
    }

    /// A clinic with one user of every role, each logged in through the API.
    pub async fn staff(&self, clinic_name: &str) -> Staff {
        let clinic = self.clinic(clinic_name).await;
        let mut users = HashMap::new();
        let mut tokens = HashMap::new();
        for role in Role::ALL {
            let user = self.user(clinic.id, *role).await;
            tokens.insert(
                *role,
                self.api_login(&user.user.email, &user.password).await,
            );
            users.insert(*role, user);
        }
        Staff {
            clinic,
            users,
            tokens,
        }
    }

    /// Logs in through `POST /api/v1/auth/login`; the bearer token.
    pub async fn api_login(&self, email: &str, password: &str) -> String {
        let body = json!({ "email": email, "password": password });
        let r = self
            .request(Method::POST, "/api/v1/auth/login", None, Some(body))
            .await;
        r.expect(200);
        r.json["token"]
            .as_str()
            .expect("a token in the login response")
            .to_owned()
    }

    /// Logs in through `POST /api/v1/auth/session`; the cookie and CSRF token.
    pub async fn browser_login(&self, email: &str, password: &str) -> BrowserSession {
        let body = json!({ "email": email, "password": password });
        let r = self
            .request(Method::POST, "/api/v1/auth/session", None, Some(body))
            .await;
        r.expect(200);
        BrowserSession {
            cookie: cookie_pair(&r.headers).expect("a session cookie"),
            csrf: r.json["csrf_token"]
                .as_str()
                .expect("a CSRF token in the login response")
                .to_owned(),
        }
    }

    /// The actor a user acts as when calling [`App`] services directly.
    pub fn actor(&self, user: &TestUser) -> Actor {
        Actor {
            user_id: user.user.id,
            clinic_id: user.user.clinic_id,
            role: user.user.role,
            request_id: "testkit".into(),
        }
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        json: Option<Value>,
    ) -> TestResponse {
        let credential = token.map_or(Credential::Anonymous, Credential::Bearer);
        self.send(build(method, path, credential, json.as_ref()))
            .await
    }

    /// Sends a request with any credential.
    pub async fn request_as(
        &self,
        method: Method,
        path: &str,
        credential: Credential<'_>,
        json: Option<Value>,
    ) -> TestResponse {
        self.send(build(method, path, credential, json.as_ref()))
            .await
    }

    /// Sends a prepared request (see [`build`]; add [`with_client_address`] to your own).
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        send(&self.router, request).await
    }

    /// Every audit row, in order.
    pub async fn audit(&self) -> Vec<AuditRecord> {
        self.audit_after(0).await
    }

    /// The audit rows after sequence number `seq`.
    pub async fn audit_after(&self, seq: i64) -> Vec<AuditRecord> {
        self.store
            .audit_page(seq + 1, u32::MAX)
            .await
            .expect("read the audit log")
    }

    /// Rows in every table, by table name (data tables, `auth_sessions` and `audit_log`).
    pub async fn row_counts(&self) -> Vec<(&'static str, i64)> {
        self.concrete.row_counts().await
    }

    /// Rows in the data tables only (not sessions or audit): what a rejected request must
    /// leave unchanged.
    pub async fn data_counts(&self) -> Vec<(&'static str, i64)> {
        let mut counts = self.row_counts().await;
        counts.retain(|(table, _)| !matches!(*table, "auth_sessions" | "audit_log"));
        counts
    }

    /// Runs SQL statements (fixed test text) on the test's database behind the app's back: to
    /// tamper with it as an attacker would, or to make it read-only. PostgreSQL gets a
    /// connection of the kit's own.
    pub async fn execute_sql(&self, sql: &'static str) {
        self.concrete.execute_sql(sql).await;
    }

    /// Opens a long write transaction behind the app's back (issue 18): pages must still
    /// answer once it ends, and their data waits for their audit row.
    pub async fn hold_writer(&self) -> WriterHold {
        self.concrete.hold_writer().await
    }

    /// The last audit sequence number (0 when empty).
    pub async fn audit_head(&self) -> i64 {
        self.audit().await.last().map_or(0, |r| r.seq)
    }
}
