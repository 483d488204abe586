//! `cadence demo`: seeds the demo clinic into its own database and serves it, printing the
//! address and the logins; refuses a non-loopback address and a database with other clinics;
//! `--walkthrough` keeps the command-line tour.

use crate::http::send;
use crate::{cadence, temp_dir};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `cadence demo` child process; killed on drop.
struct Demo {
    child: Child,
    addr: String,
    stdout: Vec<String>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `cadence demo` on an ephemeral port and reads what it prints up to "Stop with".
fn start(db_url: &str) -> Demo {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cadence"))
        .args(["demo", "--listen", "127.0.0.1:0", "--database-url", db_url])
        .env("CADENCE_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start cadence demo");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let done = line.starts_with("Stop with");
            let _ = tx.send(line);
            if done {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
        let done = line.starts_with("Stop with");
        lines.push(line);
        if done {
            break;
        }
    }
    let addr = lines
        .iter()
        .find_map(|l| {
            let at = l.find("http://")?;
            let rest = &l[at + 7..];
            Some(rest[..rest.find('/')?].to_owned())
        })
        .unwrap_or_else(|| panic!("no address printed: {lines:?}"));
    Demo {
        child,
        addr,
        stdout: lines,
    }
}

#[test]
fn demo_seeds_and_serves_the_demo_clinic() {
    let dir = temp_dir();
    let db_url = format!("sqlite://{}", dir.join("demo.db").display());
    let demo = start(&db_url);
    let printed = demo.stdout.join("\n");
    assert!(
        printed.contains(&format!("http://{}/login", demo.addr)),
        "{printed}"
    );
    assert!(!demo.addr.ends_with(":0"), "the real port: {printed}");
    for login in [
        "admin@demo.test",
        "clinician@demo.test",
        "nurse@demo.test",
        "frontdesk@demo.test",
        "researcher@demo.test",
        "cadence-demo",
    ] {
        assert!(printed.contains(login), "{login} not printed: {printed}");
    }

    let r = send(
        &demo.addr,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "clinician@demo.test", "password": "cadence-demo"})),
    )
    .expect("login");
    assert_eq!(r.status, 200, "{:?}", r.body);
    let token = r.body["token"].as_str().unwrap().to_owned();
    let r = send(&demo.addr, "GET", "/api/v1/patients", Some(&token), None).expect("patients");
    assert_eq!(r.status, 200, "{:?}", r.body);
    let mrns: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["mrn"].as_str())
        .collect();
    assert_eq!(mrns.len(), 9, "{mrns:?}");
    assert!(mrns.iter().all(|m| m.starts_with("DEMO-")), "{mrns:?}");
    drop(demo);

    // A second run serves the same clinic without seeding it again.
    let demo = start(&db_url);
    let r = send(
        &demo.addr,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": "admin@demo.test", "password": "cadence-demo"})),
    )
    .expect("login");
    assert_eq!(r.status, 200, "{:?}", r.body);
}

#[test]
fn demo_refuses_other_clinics_and_public_addresses() {
    let dir = temp_dir();
    let db_url = format!("sqlite://{}", dir.join("real.db").display());
    let run = cadence(
        &[
            "clinic",
            "create",
            "--name",
            "Real Clinic",
            "--database-url",
            &db_url,
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = cadence(
        &["demo", "--listen", "127.0.0.1:0", "--database-url", &db_url],
        None,
    );
    run.assert_invalid("holds other clinics");

    let run = cadence(&["demo", "--listen", "0.0.0.0:8080"], None);
    run.assert_invalid("refusing to serve the demo on 0.0.0.0:8080");
}

#[test]
fn demo_walkthrough_needs_no_database() {
    let run = cadence(&["demo", "--walkthrough"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("End-of-induction review"),
        "{}",
        run.stdout
    );
    assert!(!std::path::Path::new("cadence-demo.db").exists());
}
