//! The running service end to end: `clinic create`, `user add`, `serve`, a `kill -9` in the
//! middle of concurrent writes, `audit verify` on an intact and a tampered copy, and a backup
//! taken under write load that restores and verifies.

use crate::http::send;
use crate::{cadence, temp_dir};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a long synthetic passphrase";

/// A `cadence serve` child process on an ephemeral loopback port.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
}

impl Server {
    fn start(db_url: &str) -> Server {
        Server::start_with(db_url, &[])
    }

    /// With extra `serve` options.
    pub(crate) fn start_with(db_url: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cadence"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url", db_url])
            .args(extra)
            .env("CADENCE_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cadence serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent && let Some(i) = line.find("http://") {
                    let addr: String = line[i + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                        .collect();
                    let _ = tx.send(addr);
                    sent = true;
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server printed its address");
        Server { child, addr }
    }

    fn kill(mut self) {
        self.child.kill().unwrap(); // SIGKILL on unix: no graceful shutdown at all.
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A database with a clinic and a clinician, and the clinician's bearer token on `server`.
pub(crate) fn setup(db_url: &str) {
    let run = cadence(
        &[
            "clinic",
            "create",
            "--name",
            "Crash Clinic",
            "--database-url",
            db_url,
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = cadence(
        &[
            "user",
            "add",
            "--clinic",
            "Crash Clinic",
            "--email",
            "clinician@crash.test",
            "--role",
            "clinician",
            "--password-stdin",
            "--database-url",
            db_url,
        ],
        Some(PASSWORD),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn login(addr: &str) -> String {
    let r = send(
        addr,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "clinician@crash.test", "password": PASSWORD})),
    )
    .expect("login");
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

fn create_patient(addr: &str, token: &str) -> i64 {
    let r = send(
        addr,
        "POST",
        "/api/v1/patients",
        Some(token),
        Some(
            &json!({"mrn": "CRASH-1", "given_name": "Synthetic", "family_name": "Patient",
                     "birth_date": "1980-01-01", "sex": "female", "weight_kg": 70.0}),
        ),
    )
    .expect("create patient");
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["id"].as_i64().unwrap()
}

/// Acknowledged writes: (assessment id, total).
type Acked = Arc<Mutex<Vec<(i64, i64)>>>;

/// Writers posting PHQ-9 assessments until `stop`; every acknowledged (201) id and total is
/// recorded.
fn writers(
    addr: &str,
    token: &str,
    patient: i64,
    n: usize,
    stop: &Arc<AtomicBool>,
) -> (Vec<std::thread::JoinHandle<()>>, Acked) {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let handles = (0..n)
        .map(|w| {
            let (addr, token, stop, acked) = (
                addr.to_owned(),
                token.to_owned(),
                stop.clone(),
                acked.clone(),
            );
            std::thread::spawn(move || {
                let mut i = 0u64;
                while !stop.load(Ordering::SeqCst) && i < 400 {
                    let item = ((w as u64 + i) % 4) as u8;
                    let answers = json!([item, 1, 1, 1, 1, 1, 1, 1, 0]);
                    let body =
                        json!({"instrument": "phq9", "answers": answers, "taken_at": "2026-01-05"});
                    let path = format!("/api/v1/patients/{patient}/assessments");
                    match send(&addr, "POST", &path, Some(&token), Some(&body)) {
                        Some(r) if r.status == 201 => {
                            let id = r.body["id"].as_i64().unwrap();
                            let total = r.body["total"].as_i64().unwrap();
                            acked.lock().unwrap().push((id, total));
                        }
                        Some(r) => panic!("unexpected {}: {:?}", r.status, r.body),
                        None => break, // the server is gone
                    }
                    i += 1;
                }
            })
        })
        .collect();
    (handles, acked)
}

#[test]
fn acknowledged_writes_survive_kill_9_and_the_chain_verifies() {
    let dir = temp_dir();
    let db_url = format!("sqlite://{}", dir.join("crash.db").display());
    setup(&db_url);
    let server = Server::start(&db_url);
    let token = login(&server.addr);
    let patient = create_patient(&server.addr, &token);

    let stop = Arc::new(AtomicBool::new(false));
    let (handles, acked) = writers(&server.addr, &token, patient, 8, &stop);
    let started = Instant::now();
    while acked.lock().unwrap().len() < 60 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill();
    stop.store(true, Ordering::SeqCst);
    for h in handles {
        h.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 60,
        "only {} writes acknowledged before the kill",
        acked.len()
    );

    let server = Server::start(&db_url);
    let token = login(&server.addr);
    let r = send(
        &server.addr,
        "GET",
        &format!("/api/v1/patients/{patient}/assessments"),
        Some(&token),
        None,
    )
    .unwrap();
    assert_eq!(r.status, 200);
    let stored: std::collections::HashMap<i64, i64> = r.body["assessments"]
        .as_array()
        .or_else(|| r.body.as_array())
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_i64().unwrap(), a["total"].as_i64().unwrap()))
        .collect();
    for (id, total) in &acked {
        assert_eq!(
            stored.get(id),
            Some(total),
            "acknowledged assessment {id} lost or changed"
        );
    }
    drop(server);

    let run = cadence(&["audit", "verify", "--database-url", &db_url], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("audit chain intact"), "{}", run.stdout);
    let run = cadence(&["check", "--database-url", &db_url], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Runs SQL against a database file directly, as an attacker with file access could.
/// Copies a database file with its `-wal` file (recent commits of a server that was killed
/// are only there; `audit verify` reads without checkpointing them into the file).
pub(crate) fn copy_db(from: &std::path::Path, to: &std::path::Path) {
    std::fs::copy(from, to).unwrap();
    let wal = |p: &std::path::Path| {
        let mut name = p.as_os_str().to_owned();
        name.push("-wal");
        std::path::PathBuf::from(name)
    };
    if wal(from).exists() {
        std::fs::copy(wal(from), wal(to)).unwrap();
    }
}

pub(crate) fn tamper(path: &std::path::Path, sql: &[&str]) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", path.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        for statement in sql {
            // An attacker simulation: the statements are the test's own fixed text.
            sqlx::query(sqlx::AssertSqlSafe(statement.to_string()))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        conn.close().await.unwrap();
    });
}

/// Names of the append-only triggers on audit_log, so the tamper test can drop them first.
pub(crate) fn audit_triggers(path: &std::path::Path) -> Vec<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::{Connection, Row};
        let url = format!("sqlite://{}", path.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let rows = sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        rows.iter().map(|r| r.get::<String, _>(0)).collect()
    })
}

#[test]
fn editing_or_deleting_an_audit_row_is_detected_and_named() {
    let dir = temp_dir();
    let original = dir.join("audit.db");
    let db_url = format!("sqlite://{}", original.display());
    setup(&db_url);
    let server = Server::start(&db_url);
    let token = login(&server.addr);
    create_patient(&server.addr, &token);
    drop(server);
    let run = cadence(&["audit", "verify", "--database-url", &db_url], None);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // The database refuses the edit while its triggers stand.
    let copy = dir.join("edited.db");
    copy_db(&original, &copy);
    let refused = std::panic::catch_unwind(|| {
        tamper(
            &copy,
            &["UPDATE audit_log SET object_type = 'nothing' WHERE seq = 2"],
        );
    });
    assert!(refused.is_err(), "an UPDATE of audit_log must be refused");

    // An attacker who drops the triggers can edit, but verify names the entry.
    let drops: Vec<String> = audit_triggers(&copy)
        .iter()
        .map(|t| format!("DROP TRIGGER {t}"))
        .collect();
    assert!(!drops.is_empty(), "audit_log has append-only triggers");
    let mut edit: Vec<&str> = drops.iter().map(String::as_str).collect();
    edit.push("UPDATE audit_log SET object_type = 'nothing' WHERE seq = 2");
    tamper(&copy, &edit);
    let run = cadence(
        &[
            "audit",
            "verify",
            "--database-url",
            &format!("sqlite://{}", copy.display()),
        ],
        None,
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("entry 2"), "{}", run.stderr);

    let deleted = dir.join("deleted.db");
    copy_db(&original, &deleted);
    let mut delete: Vec<&str> = drops.iter().map(String::as_str).collect();
    delete.push("DELETE FROM audit_log WHERE seq = 3");
    tamper(&deleted, &delete);
    let run = cadence(
        &[
            "audit",
            "verify",
            "--database-url",
            &format!("sqlite://{}", deleted.display()),
        ],
        None,
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("entry 3"), "{}", run.stderr);
}

#[test]
fn a_backup_taken_under_write_load_restores_and_verifies() {
    let dir = temp_dir();
    let db_url = format!("sqlite://{}", dir.join("live.db").display());
    setup(&db_url);
    let server = Server::start(&db_url);
    let token = login(&server.addr);
    let patient = create_patient(&server.addr, &token);
    let stop = Arc::new(AtomicBool::new(false));
    let (handles, acked) = writers(&server.addr, &token, patient, 4, &stop);
    while acked.lock().unwrap().len() < 20 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let backup = dir.join("backup.db");
    let run = cadence(
        &[
            "backup",
            "--out",
            backup.to_str().unwrap(),
            "--database-url",
            &db_url,
        ],
        None,
    );
    stop.store(true, Ordering::SeqCst);
    for h in handles {
        h.join().unwrap();
    }
    drop(server);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.join("backup.db.manifest.json").exists());

    // A second backup to the same name is refused.
    let again = cadence(
        &[
            "backup",
            "--out",
            backup.to_str().unwrap(),
            "--database-url",
            &db_url,
        ],
        None,
    );
    again.assert_invalid("already exists");

    let restored = format!("sqlite://{}", dir.join("restored.db").display());
    let run = cadence(
        &[
            "restore",
            backup.to_str().unwrap(),
            "--database-url",
            &restored,
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = cadence(&["audit", "verify", "--database-url", &restored], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Restore never overwrites.
    cadence(
        &[
            "restore",
            backup.to_str().unwrap(),
            "--database-url",
            &restored,
        ],
        None,
    )
    .assert_invalid("already exists");

    // A copy altered by one byte is refused.
    let mut bytes = std::fs::read(&backup).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&backup, bytes).unwrap();
    let other = format!("sqlite://{}", dir.join("other.db").display());
    cadence(
        &[
            "restore",
            backup.to_str().unwrap(),
            "--database-url",
            &other,
        ],
        None,
    )
    .assert_invalid("checksum");
}

#[test]
fn plain_http_on_a_non_loopback_address_is_refused() {
    let dir = temp_dir();
    let db_url = format!("sqlite://{}", dir.join("refuse.db").display());
    cadence(
        &["serve", "--listen", "0.0.0.0:0", "--database-url", &db_url],
        None,
    )
    .assert_invalid("refusing to serve plain HTTP");
    assert!(
        !dir.join("refuse.db").exists(),
        "nothing is created when refusing"
    );
}

/// Issue 15 §1: behind a proxy, the per-address throttle must key on the client, so the
/// proxy has to be named; a value that is not an address or network is refused.
#[test]
fn a_tls_proxy_must_be_named_as_a_trusted_proxy() {
    let dir = temp_dir();
    let db_url = format!("sqlite://{}", dir.join("proxy.db").display());
    cadence(
        &[
            "serve",
            "--listen",
            "0.0.0.0:0",
            "--behind-tls-proxy",
            "--database-url",
            &db_url,
        ],
        None,
    )
    .assert_invalid("--trusted-proxy");
    cadence(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--trusted-proxy",
            "10.0.0.0/8,proxy.internal",
            "--database-url",
            &db_url,
        ],
        None,
    )
    .assert_invalid("proxy.internal");
    assert!(
        !dir.join("proxy.db").exists(),
        "nothing is created when refusing"
    );
}

#[test]
fn a_backup_is_recorded_in_the_audit_log_as_an_export() {
    let dir = temp_dir();
    let db_url = format!("sqlite://{}", dir.join("exported.db").display());
    setup(&db_url);
    let backup = dir.join("copy.db");
    let run = cadence(
        &[
            "backup",
            "--out",
            backup.to_str().unwrap(),
            "--database-url",
            &db_url,
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = cadence(
        &[
            "audit",
            "report",
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--database-url",
            &db_url,
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let export = run
        .stdout
        .lines()
        .find(|l| l.contains(",export,backup,"))
        .unwrap_or_else(|| panic!("no export row in:\n{}", run.stdout));
    assert!(export.contains("copy.db"), "{export}");
}
