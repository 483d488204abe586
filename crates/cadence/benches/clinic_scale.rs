//! A clinic of many patients (issue 18): page and course reads at 100 patients versus 10,000,
//! over a real socket, one client and 8 concurrent clients, on SQLite and (when
//! `CADENCE_TEST_DATABASE_URL` is set) PostgreSQL.
//!
//! Run: `cargo bench -p cadence --bench clinic_scale`; short mode (100 versus 1,000 patients,
//! fewer requests, for CI): `CADENCE_BENCH_SHORT=1 cargo bench -p cadence --bench clinic_scale`.
//!
//! Each clinic is seeded through the service and the store (no HTTP): every patient has 6-10
//! PHQ-9s, an eligible IV screening and an IV course with its induction booked; 30 patients have
//! today's session fully recorded (suicide screen, pre-checks, dose, discharge, signature), so
//! today's work is the same at every size; the others are screened and start over the coming
//! 300 days (the seeding clock moves to each screening day), so every booking fits. The real router is
//! then served with `axum::serve` on 127.0.0.1:0 in this process and driven by a minimal
//! HTTP/1.1 client (keep-alive, one connection per client, each client a clinician logged in
//! through `POST /api/v1/auth/session`). The start-up refresh of `cadence serve` fills the
//! course read model first (store-seeded courses start with stale summaries; it is timed), then
//! one `/today` and one `/patients` warm up before anything is measured.
//!
//! Reported per backend: p50 and p99 of `/today`, `/patients`, `/schedule`, a chart and
//! `GET /api/v1/courses/{id}` (the chart and course of one of today's patients, the same at
//! both sizes), the ratio large/small of the p99s, the count of answers that were not 2xx (and
//! of 5xx among them), and the process's peak resident memory while serving each clinic
//! (`VmHWM`, reset after seeding). Exits non-zero on any 5xx or non-2xx answer.
//!
//! Seeding speed: SQLite is seeded on `/dev/shm` (when present) and the file is copied to the
//! temporary directory on disk before it is served, so serving runs on the disk with
//! `synchronous=FULL`. On PostgreSQL, after the store has checked the server's durability
//! settings, the bench's own fresh database gets `synchronous_commit = off` while seeding (new
//! connections only), then the setting is reset and a new store, checked again, serves. Neither
//! shortcut touches anything but the bench's own database.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark harness reports on stdout and fails loudly"
)]

use cadence_app::assessments::AssessmentInput;
use cadence_app::audit::{AuditAction, ObjectType};
use cadence_app::ids::{CourseId, PatientId};
use cadence_app::records::{
    AssessmentSource, NewAssessment, PatientContact, PatientDetails, Role, Sex,
};
use cadence_app::treatment_sessions::{AdministrationInput, DischargeInput, PreCheckInput};
use cadence_app::{Actor, App, AppConfig, FakeClock, Store};
use cadence_clinical::instrument::{InstrumentId, ScoringConfig, StoredScore, score};
use cadence_clinical::route::Route;
use cadence_clinical::screening::ScreeningInput;
use cadence_store_postgres::PgStore;
use cadence_store_sqlite::SqliteStore;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use sqlx::{Connection, Executor, Row};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Where the clinic's clock stands: a Monday, 08:00 UTC. Fixed, so every run sees the same day.
const NOW: &str = "2026-03-02T08:00:00Z";
/// Patients with today's session fully recorded, at every size.
const TODAY_PATIENTS: usize = 30;
/// Days over which the patients other than today's start their courses.
const START_DAYS: usize = 300;
/// The password of every bench user (synthetic).
const PASSWORD: &str = "bench passphrase for clinic scale";
/// Concurrent clients in the second round.
const CLIENTS: usize = 8;
/// Given and family names are synthetic: picked from these by number, never printed.
const GIVEN: &[&str] = &[
    "Alex", "Sam", "Robin", "Kim", "Jo", "Lee", "Max", "Noor", "Ari", "Dana", "Eli", "Rue",
];
const FAMILY: &[&str] = &[
    "Ashdown",
    "Birchley",
    "Coldwell",
    "Dunmore",
    "Elston",
    "Fairley",
    "Greaves",
    "Holloway",
    "Ingram",
    "Jessop",
    "Kirkby",
    "Lindqvist",
    "Marwood",
    "Northcott",
    "Oakes",
    "Penrose",
    "Quarry",
    "Rowntree",
    "Stilwell",
    "Thorne",
    "Upshaw",
    "Varley",
    "Whitcombe",
    "Yardley",
];

#[derive(Debug, Clone, Copy)]
struct Mode {
    sizes: [usize; 2],
    /// Requests per page with one client.
    single: usize,
    /// Requests per page per client with [`CLIENTS`] clients.
    per_client: usize,
}

impl Mode {
    fn from_env() -> Mode {
        let short = std::env::var("CADENCE_BENCH_SHORT")
            .is_ok_and(|v| !v.trim().is_empty() && v.trim() != "0")
            || std::env::args().any(|a| a == "--short");
        if short {
            Mode {
                sizes: [100, 1_000],
                single: 60,
                per_client: 15,
            }
        } else {
            Mode {
                sizes: [100, 10_000],
                single: 200,
                per_client: 50,
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn label(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Databases: a fresh one per clinic, seeded fast, served durable.

fn scratch_dir(base: PathBuf, name: &str) -> PathBuf {
    let dir = base.join(format!("cadence-bench-scale-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a DDL statement about one identifier, quoted by PostgreSQL's `format(%I)`.
async fn pg_ddl(conn: &mut sqlx::PgConnection, template: &'static str, name: &str) {
    let row = sqlx::query("SELECT format($1, $2)")
        .bind(template)
        .bind(name)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let statement: String = row.try_get(0).unwrap();
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement)))
        .await
        .unwrap();
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let authority_end = rest.rfind('@').map_or(0, |at| at + 1);
    let host = rest[authority_end..].split('/').next().unwrap_or_default();
    let mut out = format!("{scheme}://{}{host}/{name}", &rest[..authority_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// One clinic's database: where it lives and how to remove it.
enum Db {
    Sqlite {
        seed_dir: PathBuf,
        serve_dir: PathBuf,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl Db {
    async fn create(backend: Backend, label: &str) -> Db {
        match backend {
            Backend::Sqlite => {
                let shm = PathBuf::from("/dev/shm");
                let seed_base = if shm.is_dir() {
                    shm
                } else {
                    std::env::temp_dir()
                };
                Db::Sqlite {
                    seed_dir: scratch_dir(seed_base, &format!("{label}-seed")),
                    serve_dir: scratch_dir(std::env::temp_dir(), label),
                }
            }
            Backend::Postgres => {
                let admin_url = std::env::var("CADENCE_TEST_DATABASE_URL").unwrap();
                let name = format!("cadence_bench_{}_{label}", std::process::id());
                let mut conn = sqlx::PgConnection::connect(&admin_url).await.unwrap();
                pg_ddl(&mut conn, "DROP DATABASE IF EXISTS %I WITH (FORCE)", &name).await;
                pg_ddl(&mut conn, "CREATE DATABASE %I", &name).await;
                let _ = conn.close().await;
                Db::Postgres { admin_url, name }
            }
        }
    }

    /// A store to seed through (see the module's note on seeding speed).
    async fn seeding_store(&self) -> (Arc<dyn Store>, Closer) {
        match self {
            Db::Sqlite { seed_dir, .. } => {
                let url = format!("sqlite://{}", seed_dir.join("cadence.db").display());
                let store = SqliteStore::open(&url).await.unwrap();
                (Arc::new(store.clone()), Closer::Sqlite(store))
            }
            Db::Postgres { admin_url, name } => {
                // Checked (durable) and migrated first, then relaxed for new connections.
                let store = PgStore::connect(&with_database(admin_url, name))
                    .await
                    .unwrap();
                let mut conn = sqlx::PgConnection::connect(admin_url).await.unwrap();
                pg_ddl(
                    &mut conn,
                    "ALTER DATABASE %I SET synchronous_commit = off",
                    name,
                )
                .await;
                let _ = conn.close().await;
                (Arc::new(store.clone()), Closer::Postgres(store))
            }
        }
    }

    /// Closes the seeding store and opens the serving one, with every durability setting.
    async fn serving_store(&self, seeding: Closer) -> (Arc<dyn Store>, Closer) {
        match self {
            Db::Sqlite {
                seed_dir,
                serve_dir,
            } => {
                // Closing checkpoints the WAL into the file and runs `PRAGMA optimize`.
                seeding.close().await;
                for file in ["cadence.db", "cadence.db-wal", "cadence.db-shm"] {
                    let from = seed_dir.join(file);
                    if from.exists() {
                        std::fs::copy(&from, serve_dir.join(file)).unwrap();
                    }
                }
                let _ = std::fs::remove_dir_all(seed_dir);
                let url = format!("sqlite://{}", serve_dir.join("cadence.db").display());
                let store = SqliteStore::open(&url).await.unwrap();
                (Arc::new(store.clone()), Closer::Sqlite(store))
            }
            Db::Postgres { admin_url, name } => {
                let mut conn = sqlx::PgConnection::connect(admin_url).await.unwrap();
                pg_ddl(
                    &mut conn,
                    "ALTER DATABASE %I RESET synchronous_commit",
                    name,
                )
                .await;
                let _ = conn.close().await;
                seeding.close().await;
                // Fresh statistics, as autovacuum's analyze gives a database that grew to this
                // size over months (the migration's ANALYZE ran on empty tables).
                let mut db = sqlx::PgConnection::connect(&with_database(admin_url, name))
                    .await
                    .unwrap();
                sqlx::query("ANALYZE").execute(&mut db).await.unwrap();
                let _ = db.close().await;
                let store = PgStore::connect(&with_database(admin_url, name))
                    .await
                    .unwrap();
                (Arc::new(store.clone()), Closer::Postgres(store))
            }
        }
    }

    async fn remove(self) {
        match self {
            Db::Sqlite {
                seed_dir,
                serve_dir,
            } => {
                let _ = std::fs::remove_dir_all(seed_dir);
                let _ = std::fs::remove_dir_all(serve_dir);
            }
            Db::Postgres { admin_url, name } => {
                let mut conn = sqlx::PgConnection::connect(&admin_url).await.unwrap();
                pg_ddl(&mut conn, "DROP DATABASE IF EXISTS %I WITH (FORCE)", &name).await;
                let _ = conn.close().await;
            }
        }
    }
}

enum Closer {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Closer {
    async fn close(self) {
        match self {
            Closer::Sqlite(s) => s.close().await,
            Closer::Postgres(s) => s.close().await,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Seeding, through the service (screenings, courses, today's records) and the store (the
// PHQ-9 history, the bulk of the rows).

/// What the measurements look at: one of today's patients and their course.
#[derive(Debug, Clone, Copy)]
struct Seeded {
    chart: PatientId,
    course: CourseId,
}

fn clock_start() -> Timestamp {
    NOW.parse().unwrap()
}

fn today() -> Date {
    clock_start().to_zoned(jiff::tz::TimeZone::UTC).date()
}

fn details(i: usize) -> PatientDetails {
    let year = 1950 + i16::try_from(i % 50).unwrap();
    PatientDetails {
        mrn: format!("B-{i:06}"),
        given_name: GIVEN[i % GIVEN.len()].to_owned(),
        family_name: format!("{}{}", FAMILY[(i / 7) % FAMILY.len()], i % 97),
        birth_date: Date::new(year, 1 + (i % 12) as i8, 1 + (i % 28) as i8).unwrap(),
        sex: if i % 2 == 0 { Sex::Female } else { Sex::Male },
        weight_kg: Some(55.0 + (i % 40) as f64),
        weight_measured_on: None,
        contact: PatientContact::default(),
    }
}

/// The first weekday after `day`: a course's start, the day after its screening.
fn next_weekday(day: Date) -> Date {
    let mut day = day.checked_add(1.days()).unwrap();
    while matches!(
        day.weekday(),
        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
    ) {
        day = day.checked_add(1.days()).unwrap();
    }
    day
}

/// One patient's PHQ-9 history straight into the store: 6-10 weekly, oldest first, improving
/// a little, item 9 always 0 (no open findings, so `/today`'s alerts stay the same).
async fn phq9_history(app: &App, store: &dyn Store, actor: &Actor, patient: PatientId, i: usize) {
    let count = 6 + i % 5;
    for k in 0..count {
        let weeks_ago = i64::try_from(count - k).unwrap();
        let taken_on = today().checked_sub((7 * weeks_ago).days()).unwrap();
        let level = u8::try_from(3 - (k * 3 / count)).unwrap().min(3);
        let answers: Vec<Option<u8>> = (0..9)
            .map(|item| {
                Some(if item == 8 {
                    0
                } else {
                    (level + item % 2).min(3)
                })
            })
            .collect();
        let scored = score(InstrumentId::Phq9, &answers, &ScoringConfig::default()).unwrap();
        let new = NewAssessment {
            clinic_id: actor.clinic_id,
            patient_id: patient,
            course_id: None,
            instrument: InstrumentId::Phq9,
            total: scored.total.map(i64::from),
            score: StoredScore::from(&scored),
            answers,
            source: AssessmentSource::Clinic,
            taken_on,
            created_by: Some(actor.user_id),
            created_at: app.now(),
        };
        let event = actor
            .event(app, AuditAction::Create, ObjectType::Assessment)
            .with_patient(patient);
        store.create_assessment(new, vec![], event).await.unwrap();
    }
}

/// A patient with history, screening and course starting on `start`.
async fn patient_with_course(
    app: &App,
    store: &dyn Store,
    actor: &Actor,
    i: usize,
    start: Date,
    start_time: Option<&str>,
) -> (PatientId, CourseId) {
    let patient = app.create_patient(actor, details(i)).await.unwrap().id;
    phq9_history(app, store, actor, patient, i).await;
    let screening = ScreeningInput {
        route: Route::IvKetamine,
        age_years: None,
        conditions: vec![],
        medications: vec![],
        bp: None,
        failed_adequate_trials: 2,
        maudsley: None,
        rems_enrolled: None,
    };
    app.create_screening(actor, patient, screening)
        .await
        .unwrap();
    // Seeding tasks start courses at once and may race for one slot: the service plans again
    // a few times, and the bench, as a user would, tries again after that.
    let mut tries = 0;
    let course = loop {
        tries += 1;
        match app
            .create_course(actor, patient, "iv-ketamine-6", start, start_time, None)
            .await
        {
            Err(cadence_app::AppError::Conflict { .. }) if tries < 20 => continue,
            other => break other.unwrap(),
        }
    };
    (patient, course.id)
}

/// Today's session of a course, recorded from the suicide screen to the signature.
async fn record_today(app: &App, actor: &Actor, patient: PatientId, course: CourseId) {
    let view = app.get_course(actor, course).await.unwrap();
    let session = view
        .sessions
        .iter()
        .find(|s| s.scheduled_on == today())
        .expect("the induction's first session is today")
        .id;
    let screen = AssessmentInput {
        instrument: InstrumentId::Phq9,
        answers: [1, 1, 1, 1, 1, 1, 1, 1, 0].map(Some).to_vec(),
        taken_on: None,
    };
    app.create_assessment(actor, patient, screen).await.unwrap();
    let checks = PreCheckInput {
        identity_confirmed: true,
        fasting_confirmed: true,
        transport_arranged: true,
        bp_systolic: 122,
        bp_diastolic: 78,
        heart_rate: Some(72),
        spo2: Some(98),
    };
    app.record_pre_checks(actor, session, checks).await.unwrap();
    let dose = AdministrationInput {
        route: Route::IvKetamine,
        dose_ordered_mg: 35.0,
        dose_given_mg: 35.0,
        lot: "LOT-BENCH-1".to_owned(),
        started_at: None,
        ended_at: None,
        confirm_reason: None,
        corrects: None,
        correction_reason: None,
    };
    app.record_administration(actor, session, dose)
        .await
        .unwrap();
    let discharge = DischargeInput {
        moaas: 5,
        bp_systolic: 124,
        bp_diastolic: 80,
        clinically_stable: true,
        escort_present: true,
        ready_after_minutes: None,
    };
    app.record_discharge(actor, session, discharge)
        .await
        .unwrap();
    app.sign_session(actor, session).await.unwrap();
}

/// Seeds a clinic of `n` patients; `TODAY_PATIENTS` of them have today's session recorded.
/// Returns the clinic's clinicians' emails (one per client) and what to read.
async fn seed(store: Arc<dyn Store>, n: usize, writers: usize) -> (Vec<String>, Seeded) {
    let clock = Arc::new(FakeClock::new(clock_start()));
    let app = App::new(store.clone(), clock.clone(), AppConfig::default());
    let clinic = app.create_clinic("Scale Clinic", "UTC").await.unwrap();
    // The most chairs a clinic may set, open 06:00-22:00 every day: room for today's patients
    // and for every induction booked over the coming year (a full day would leave a session
    // planned, not booked, with its baseline assessments due at once, which /today lists).
    let hours = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .map(|d| format!("{d} 06:00-22:00"))
        .join("\n");
    app.configure_clinic_day(
        clinic.id,
        &hours,
        cadence_clinical::schedule::MAX_CHAIRS,
        120,
    )
    .await
    .unwrap();
    let mut emails = Vec::new();
    let mut first = None;
    for c in 0..CLIENTS {
        let email = format!("clinician{c}@scale.test");
        let (user, _) = app
            .create_user(clinic.id, &email, Role::Clinician, Some(PASSWORD))
            .await
            .unwrap();
        first.get_or_insert(user);
        emails.push(email);
    }
    let user = first.unwrap();
    let actor = Actor {
        user_id: user.id,
        clinic_id: clinic.id,
        role: user.role,
        request_id: "bench-seed".into(),
    };
    // Today's patients first (the same ids at every size), then the rest in parallel.
    let mut seeded = None;
    for i in 0..TODAY_PATIENTS {
        let (patient, course) = patient_with_course(&app, &*store, &actor, i, today(), None).await;
        record_today(&app, &actor, patient, course).await;
        seeded.get_or_insert(Seeded {
            chart: patient,
            course,
        });
    }
    // The others are screened and start their course over the coming year, a few a day, as a
    // clinic of this size would: the clock moves to each screening day in turn (the serving
    // clock is back at `NOW`). The clinic then holds every booking, and none is due today.
    for day in 0..START_DAYS {
        clock.set(
            clock_start()
                .checked_add(jiff::SignedDuration::from_hours(24 * day as i64))
                .unwrap(),
        );
        let screened = today().checked_add((day as i64).days()).unwrap();
        let mut tasks = Vec::new();
        for w in 0..writers {
            let (app, store, actor) = (app.clone(), store.clone(), actor.clone());
            tasks.push(tokio::spawn(async move {
                // Each task asks for its own start time, so parallel starts rarely race for
                // one slot (a full time falls back to the day's first open slot).
                let time = format!("{:02}:00", 6 + 2 * (w % 8));
                let mut i = TODAY_PATIENTS + day + START_DAYS * w;
                while i < n {
                    let start = next_weekday(screened);
                    patient_with_course(&app, &*store, &actor, i, start, Some(&time)).await;
                    i += START_DAYS * writers;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    }
    (emails, seeded.unwrap())
}

// ---------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client: keep-alive, Content-Length or chunked bodies.

struct Client {
    address: std::net::SocketAddr,
    conn: Option<BufReader<TcpStream>>,
    cookie: String,
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Client {
    fn new(address: std::net::SocketAddr) -> Client {
        Client {
            address,
            conn: None,
            cookie: String::new(),
        }
    }

    async fn send(&mut self, method: &str, path: &str, json: Option<&str>) -> Answer {
        if self.conn.is_none() {
            let stream = TcpStream::connect(self.address).await.unwrap();
            stream.set_nodelay(true).unwrap();
            self.conn = Some(BufReader::new(stream));
        }
        let conn = self.conn.as_mut().unwrap();
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if !self.cookie.is_empty() {
            request.push_str(&format!("Cookie: {}\r\n", self.cookie));
        }
        if let Some(body) = json {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ));
        } else {
            request.push_str("\r\n");
        }
        conn.get_mut().write_all(request.as_bytes()).await.unwrap();
        let mut line = String::new();
        conn.read_line(&mut line).await.unwrap();
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line: {line:?}"));
        let mut headers = Vec::new();
        loop {
            line.clear();
            conn.read_line(&mut line).await.unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let mut body = Vec::new();
        if let Some(len) = header("content-length") {
            body.resize(len.parse().unwrap(), 0);
            conn.read_exact(&mut body).await.unwrap();
        } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            loop {
                line.clear();
                conn.read_line(&mut line).await.unwrap();
                let size =
                    usize::from_str_radix(line.trim().split(';').next().unwrap(), 16).unwrap();
                let mut chunk = vec![0; size + 2];
                conn.read_exact(&mut chunk).await.unwrap();
                chunk.truncate(size);
                body.extend_from_slice(&chunk);
                if size == 0 {
                    break;
                }
            }
        }
        if header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close")) {
            self.conn = None;
        }
        Answer {
            status,
            headers,
            body,
        }
    }

    /// Logs in as a browser does (`POST /api/v1/auth/session`) and keeps the cookie.
    async fn login(&mut self, email: &str) {
        let body = serde_json::json!({ "email": email, "password": PASSWORD }).to_string();
        let answer = self.send("POST", "/api/v1/auth/session", Some(&body)).await;
        assert_eq!(
            answer.status,
            200,
            "login: {}",
            String::from_utf8_lossy(&answer.body)
        );
        let cookie = answer
            .headers
            .iter()
            .find(|(k, _)| k == "set-cookie")
            .map(|(_, v)| v.split(';').next().unwrap().to_owned())
            .expect("a session cookie");
        self.cookie = cookie;
    }
}

// ---------------------------------------------------------------------------------------------
// Measuring.

/// Latencies and failed answers of one request at one level of concurrency.
#[derive(Debug, Clone, Default)]
struct Sample {
    millis: Vec<f64>,
    not_2xx: usize,
    server_errors: usize,
}

impl Sample {
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.millis.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }
}

/// One clinic's results: per (request, clients) a sample, and the peak memory in KiB.
struct Run {
    samples: Vec<(&'static str, usize, Sample)>,
    peak_kib: u64,
    warmup_ms: f64,
    refresh_ms: f64,
}

fn requests(seeded: Seeded) -> Vec<(&'static str, String)> {
    vec![
        ("/today", "/today".to_owned()),
        ("/patients", "/patients".to_owned()),
        ("/schedule", "/schedule".to_owned()),
        (
            "chart /patients/{id}",
            format!("/patients/{}", seeded.chart),
        ),
        (
            "GET /api/v1/courses/{id}",
            format!("/api/v1/courses/{}", seeded.course),
        ),
    ]
}

/// `count` requests of `path` on one client, one after another.
async fn drive(client: &mut Client, path: &str, count: usize) -> Sample {
    let mut sample = Sample::default();
    for _ in 0..count {
        let started = Instant::now();
        let answer = client.send("GET", path, None).await;
        sample.millis.push(started.elapsed().as_secs_f64() * 1000.0);
        if !(200..300).contains(&answer.status) {
            sample.not_2xx += 1;
            if answer.status >= 500 {
                sample.server_errors += 1;
            }
        }
    }
    sample
}

/// `VmHWM` (peak resident set) of this process, in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Resets `VmHWM` to the current resident set (Linux: `5` to `/proc/self/clear_refs`).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn measure_clinic(backend: Backend, n: usize, mode: Mode) -> Run {
    let label = format!(
        "{}_{n}",
        if backend == Backend::Sqlite {
            "sqlite"
        } else {
            "pg"
        }
    );
    let db = Db::create(backend, &label).await;
    let started = Instant::now();
    let (seeding, seeding_closer) = db.seeding_store().await;
    let writers = if backend == Backend::Postgres { 6 } else { 2 };
    let (emails, seeded) = seed(seeding, n, writers).await;
    let (store, closer) = db.serving_store(seeding_closer).await;
    println!(
        "  {} patients seeded in {:.1} s",
        n,
        started.elapsed().as_secs_f64()
    );

    let clock = Arc::new(FakeClock::new(clock_start()));
    let app = App::new(store, clock, AppConfig::default());
    // What `cadence serve` does at start-up: every store-seeded course starts with a stale
    // summary, as after an upgrade. Timed, not part of the page measurements.
    let refresh = Instant::now();
    let refreshed = app.refresh_stale_summaries().await.unwrap();
    let refresh_ms = refresh.elapsed().as_secs_f64() * 1000.0;
    assert!(refreshed >= n as u64, "every course's summary refreshed");
    let router = cadence_web::router(app, cadence_web::WebConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    reset_peak();

    let mut clients = Vec::new();
    for email in &emails {
        let mut client = Client::new(address);
        client.login(email).await;
        clients.push(client);
    }
    // Warm-up: the first views after the refresh (connections, caches); not measured.
    let warm = Instant::now();
    for path in ["/today", "/patients"] {
        let answer = clients[0].send("GET", path, None).await;
        assert_eq!(answer.status, 200, "warm-up {path}");
    }
    let warmup_ms = warm.elapsed().as_secs_f64() * 1000.0;

    let mut samples = Vec::new();
    for (name, path) in requests(seeded) {
        let one = drive(&mut clients[0], &path, mode.single).await;
        samples.push((name, 1, one));
        let mut tasks = Vec::new();
        for mut client in clients.drain(..) {
            let path = path.clone();
            let count = mode.per_client;
            tasks.push(tokio::spawn(async move {
                let sample = drive(&mut client, &path, count).await;
                (client, sample)
            }));
        }
        let mut all = Sample::default();
        for t in tasks {
            let (client, sample) = t.await.unwrap();
            clients.push(client);
            all.millis.extend(sample.millis);
            all.not_2xx += sample.not_2xx;
            all.server_errors += sample.server_errors;
        }
        samples.push((name, CLIENTS, all));
    }
    let peak = peak_kib();
    drop(clients);
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    closer.close().await;
    db.remove().await;
    Run {
        samples,
        peak_kib: peak,
        warmup_ms,
        refresh_ms,
    }
}

fn report(backend: Backend, mode: Mode, small: &Run, large: &Run) -> usize {
    let [s, l] = mode.sizes;
    println!();
    println!(
        "{}: {s} versus {l} patients; latency in ms (p50 / p99); {} requests per page with 1 \
         client, {} x {} with {CLIENTS}",
        backend.label(),
        mode.single,
        CLIENTS,
        mode.per_client
    );
    println!(
        "| request | clients | p50 / p99 at {s} | p50 / p99 at {l} | p99 ratio | non-2xx | 5xx |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut errors = 0;
    for ((name, clients, a), (_, _, b)) in small.samples.iter().zip(&large.samples) {
        let (a50, a99, b50, b99) = (
            a.percentile(0.5),
            a.percentile(0.99),
            b.percentile(0.5),
            b.percentile(0.99),
        );
        let not_2xx = a.not_2xx + b.not_2xx;
        let server = a.server_errors + b.server_errors;
        errors += not_2xx;
        println!(
            "| `{name}` | {clients} | {a50:.1} / {a99:.1} | {b50:.1} / {b99:.1} | {:.2} | {not_2xx} | {server} |",
            b99 / a99
        );
    }
    println!(
        "peak resident memory while serving: {:.0} MiB at {s}, {:.0} MiB at {l} (the whole \
         bench process)",
        small.peak_kib as f64 / 1024.0,
        large.peak_kib as f64 / 1024.0
    );
    println!(
        "start-up refresh of every stale course summary (as `cadence serve` after an upgrade): \
         {:.0} ms at {s}, {:.0} ms at {l}",
        small.refresh_ms, large.refresh_ms
    );
    println!(
        "warm-up (first /today and /patients after it): {:.0} ms at {s}, {:.0} ms at {l}",
        small.warmup_ms, large.warmup_ms
    );
    errors
}

fn main() {
    let mode = Mode::from_env();
    let mut backends = vec![Backend::Sqlite];
    if std::env::var("CADENCE_TEST_DATABASE_URL").is_ok_and(|v| !v.trim().is_empty()) {
        backends.push(Backend::Postgres);
    } else {
        println!("CADENCE_TEST_DATABASE_URL is not set: PostgreSQL is skipped");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut errors = 0;
    for backend in backends {
        println!("== {}", backend.label());
        let (small, large) = rt.block_on(async {
            let small = measure_clinic(backend, mode.sizes[0], mode).await;
            let large = measure_clinic(backend, mode.sizes[1], mode).await;
            (small, large)
        });
        errors += report(backend, mode, &small, &large);
    }
    if errors > 0 {
        println!("FAILED: {errors} answers were not 2xx");
        std::process::exit(1);
    }
}
