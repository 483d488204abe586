//! Durable assessment writes per second: through the API versus SQLite driven directly with the
//! same settings (WAL, synchronous=FULL), in one process, reported as a ratio.
//!
//! Run: `cargo bench -p cadence --bench durable_writes` (optionally `-- <writes>`; default 400).
//! The API path is the real router (JSON decoding, bearer authentication and session touch,
//! permission check, scoring, validation, the write and its hash-chained audit row in one
//! transaction), driven in-process without a socket. The baseline is one `BEGIN IMMEDIATE;
//! INSERT INTO assessments ...; COMMIT` per write on a second database opened the same way.
//! Absolute numbers depend on the disk's fsync; the ratio is what to compare across changes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark harness reports on stdout and fails loudly"
)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cadence_app::{App, AppConfig, SystemClock};
use cadence_store::records::Role;
use cadence_store_sqlite::SqliteStore;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

fn temp_db(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("cadence-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    format!("sqlite://{}", path.display())
}

async fn call(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = router
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn through_api(writes: usize) -> f64 {
    let store = Arc::new(SqliteStore::open(&temp_db("api.db")).await.unwrap());
    let app = App::new(store.clone(), Arc::new(SystemClock), AppConfig::default());
    let clinic = app.create_clinic("Bench Clinic", "UTC").await.unwrap();
    app.create_user(
        clinic.id,
        "bench@bench.test",
        Role::Clinician,
        Some("bench passphrase"),
    )
    .await
    .unwrap();
    let router = cadence_web::router(app, cadence_web::WebConfig::default());
    let (status, login) = call(
        &router,
        "POST",
        "/api/v1/auth/login",
        None,
        json!({"email": "bench@bench.test", "password": "bench passphrase"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let token = login["token"].as_str().unwrap().to_owned();
    let (status, patient) = call(
        &router,
        "POST",
        "/api/v1/patients",
        Some(&token),
        json!({"mrn": "B-1", "given_name": "Bench", "family_name": "Patient",
               "birth_date": "1980-01-01", "sex": "unknown", "weight_kg": null}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{patient}");
    let path = format!("/api/v1/patients/{}/assessments", patient["id"]);
    let started = Instant::now();
    for i in 0..writes {
        let body = json!({"instrument": "phq9", "answers": [i % 4, 1, 1, 1, 1, 1, 1, 1, 0], "taken_at": "2026-01-05"});
        let (status, _) = call(&router, "POST", &path, Some(&token), body).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let rate = writes as f64 / started.elapsed().as_secs_f64();
    store.close().await;
    rate
}

async fn direct(writes: usize) -> f64 {
    let store = SqliteStore::open(&temp_db("direct.db")).await.unwrap();
    let pool = store.pool().clone();
    sqlx::query("INSERT INTO clinics (name, time_zone, created_at) VALUES ('Direct', 'UTC', 0)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO patients (clinic_id, mrn, given_name, family_name, birth_date, sex, created_at, updated_at) \
         VALUES (1, 'D-1', 'Direct', 'Patient', '1980-01-01', 'unknown', 0, 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let started = Instant::now();
    for i in 0..writes {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
        sqlx::query(
            "INSERT INTO assessments (clinic_id, patient_id, course_id, instrument, answers, total, score, source, taken_on, created_by, created_at) \
             VALUES (1, 1, NULL, 'phq9', ?, ?, '{}', 'clinic', '2026-01-05', NULL, 0)",
        )
        .bind(format!("[{},1,1,1,1,1,1,1,0]", i % 4))
        .bind(i64::try_from(i % 4 + 7).unwrap())
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let rate = writes as f64 / started.elapsed().as_secs_f64();
    store.close().await;
    rate
}

fn main() {
    let writes: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(400);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (api, raw) = rt.block_on(async { (through_api(writes).await, direct(writes).await) });
    println!("durable assessment writes, {writes} each, sequential, one process:");
    println!("  SQLite driven directly (baseline): {raw:>8.0} writes/s");
    println!("  through the API:                   {api:>8.0} writes/s");
    println!("  ratio API / direct:                {:>8.2}", api / raw);
    let _ = std::fs::remove_dir_all(
        std::env::temp_dir().join(format!("cadence-bench-{}", std::process::id())),
    );
}
