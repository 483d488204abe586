//! When storage cannot take writes (issue 15 §4): a write is answered `503
//! storage_unavailable` with nothing changed, `/healthz` says so, and once storage recovers every
//! write succeeds again without a restart.
//!
//! SQLite runs on a small tmpfs that the test fills (mounting needs root: skipped with a note
//! otherwise); PostgreSQL gets `default_transaction_read_only` set on its database and its
//! connections ended, then the setting reset.

use crate::support::{TestApp, TestResponse, builders};
use axum::http::Method;
use cadence_app::records::Role;
use cadence_testkit::{Backend, TestOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "cadence-tmpfs-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output()
            .is_ok_and(|o| o.status.success());
        if !mounted {
            let _ = std::fs::remove_dir(&dir);
            return None;
        }
        Some(Tmpfs(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes zeros into `path` until the file system is full.
fn fill(path: &Path) {
    let mut file = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while file.write_all(&chunk).is_ok() {}
    let small = [0u8; 512];
    while file.write_all(&small).is_ok() {}
    let _ = file.sync_all();
}

async fn new_patient(t: &TestApp, token: &str, mrn: &str) -> TestResponse {
    t.request(
        Method::POST,
        "/api/v1/patients",
        Some(token),
        Some(builders::patient(mrn)),
    )
    .await
}

async fn health(t: &TestApp) -> TestResponse {
    t.request(Method::GET, "/healthz", None, None).await
}

/// After the failures, enough writes to pass through every pooled connection several times:
/// before issue 15, about half of them failed with "begin_with at non-zero transaction depth".
async fn every_write_succeeds_again(t: &TestApp, token: &str) {
    for n in 0..24 {
        let r = new_patient(t, token, &format!("AFTER-{n}")).await;
        assert_eq!(
            r.status.as_u16(),
            201,
            "write {n} after recovery: {}",
            r.text
        );
    }
    // Health reports the trouble for a minute after the last refused write, then clears.
    t.advance(cadence_app::health::STORAGE_FAILURE_WINDOW);
    let r = health(t).await;
    r.expect(200);
    assert_eq!(r.json["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_recovers_after_a_full_disk() {
    let Some(fs) = Tmpfs::mount("6m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let options = TestOptions {
        sqlite_dir: Some(fs.path().join("db")),
        ..TestOptions::default()
    };
    let t = TestApp::with_options(Backend::Sqlite, options).await;
    let staff = t.staff("North Clinic").await;
    let token = staff.token(Role::Clinician).to_owned();
    new_patient(&t, &token, "BEFORE-1").await.expect(201);
    health(&t).await.expect(200);

    fill(&fs.path().join("filler"));
    // The WAL may still have room for a few writes; keep writing until one is refused.
    let mut refused = None;
    for n in 0..2000 {
        let before = t.data_counts().await;
        let r = new_patient(&t, &token, &format!("FULL-{n}")).await;
        match r.status.as_u16() {
            201 => continue,
            503 => {
                assert_eq!(r.code(), "storage_unavailable", "{}", r.text);
                assert_eq!(t.data_counts().await, before, "nothing was changed");
                refused = Some(r);
                break;
            }
            other => panic!("a write on a full disk answered {other}: {}", r.text),
        }
    }
    assert!(refused.is_some(), "the disk never filled");
    // More writes while full: refused the same way, never a 500.
    for n in 0..8 {
        let r = new_patient(&t, &token, &format!("STILL-FULL-{n}")).await;
        assert!(
            r.status.as_u16() == 201 || r.code() == "storage_unavailable",
            "{}: {}",
            r.status,
            r.text
        );
    }
    let r = health(&t).await;
    assert_eq!(
        (r.status.as_u16(), r.json["status"].as_str()),
        (503, Some("storage_unavailable"))
    );

    std::fs::remove_file(fs.path().join("filler")).unwrap();
    every_write_succeeds_again(&t, &token).await;
    drop(t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_recovers_after_the_database_was_read_only() {
    if !Backend::Postgres.is_available() {
        eprintln!("skipped: {} is not set", cadence_testkit::PG_URL_VAR);
        return;
    }
    let t = TestApp::on(Backend::Postgres).await;
    let staff = t.staff("North Clinic").await;
    let token = staff.token(Role::Clinician).to_owned();
    new_patient(&t, &token, "BEFORE-1").await.expect(201);

    t.execute_sql(concat!(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', ",
        "current_database()); END $$; ",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity ",
        "WHERE datname = current_database() AND pid <> pg_backend_pid();"
    ))
    .await;
    let before = t.data_counts().await;
    for n in 0..6 {
        let r = new_patient(&t, &token, &format!("READ-ONLY-{n}")).await;
        assert_eq!(
            (r.status.as_u16(), r.code()),
            (503, "storage_unavailable"),
            "{}",
            r.text
        );
    }
    assert_eq!(t.data_counts().await, before, "nothing was changed");
    let r = health(&t).await;
    assert_eq!(
        (r.status.as_u16(), r.json["status"].as_str()),
        (503, Some("storage_unavailable"))
    );

    t.execute_sql(concat!(
        "BEGIN READ WRITE; ",
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', ",
        "current_database()); END $$; ",
        "COMMIT; ",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity ",
        "WHERE datname = current_database() AND pid <> pg_backend_pid();"
    ))
    .await;
    every_write_succeeds_again(&t, &token).await;
}
