//! Checking a database an attacker or an unlucky operator changed (issue 15 §5-6): `audit
//! verify` and `check` catch the newest entries deleted (against the recorded head) and a
//! rewritten head (against a backup manifest or a printed head given as `--anchor`); values
//! that do not decode are named as the entry that cannot be read, exit 1, never an internal
//! error; both work on a read-only copy. `serve` refuses a database file it cannot write.

use crate::service::{audit_triggers, copy_db, setup, tamper};
use crate::{Run, cadence, temp_dir};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A database with 14 audit entries (a clinic, then 13 users).
fn fourteen_entries(dir: &Path) -> PathBuf {
    let path = dir.join("original.db");
    let url = format!("sqlite://{}", path.display());
    setup(&url);
    for n in 0..12 {
        let run = cadence(
            &[
                "user",
                "add",
                "--clinic",
                "Crash Clinic",
                "--email",
                &format!("user{n}@crash.test"),
                "--role",
                "nurse",
                "--database-url",
                &url,
            ],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    path
}

/// A copy of `original` with the append-only triggers dropped and `sql` run on it.
fn tampered(original: &Path, name: &str, sql: &[&str]) -> String {
    let copy = original.with_file_name(name);
    copy_db(original, &copy);
    let drops: Vec<String> = audit_triggers(&copy)
        .iter()
        .map(|t| format!("DROP TRIGGER {t}"))
        .collect();
    let mut statements: Vec<&str> = drops.iter().map(String::as_str).collect();
    statements.extend_from_slice(sql);
    tamper(&copy, &statements);
    format!("sqlite://{}", copy.display())
}

fn verify(url: &str, anchor: Option<&str>) -> Run {
    let mut args = vec!["audit", "verify", "--database-url", url];
    if let Some(a) = anchor {
        args.extend(["--anchor", a]);
    }
    cadence(&args, None)
}

#[track_caller]
fn assert_broken(run: &Run, words: &[&str]) {
    assert_eq!(run.code, 1, "stdout: {} stderr: {}", run.stdout, run.stderr);
    for w in words {
        assert!(run.stderr.contains(w), "`{w}` not in: {}", run.stderr);
    }
    assert!(!run.stderr.contains("internal error"), "{}", run.stderr);
}

#[test]
fn deleting_the_newest_audit_entries_is_detected() {
    let dir = temp_dir();
    let original = fourteen_entries(&dir);
    let url = format!("sqlite://{}", original.display());
    let run = verify(&url, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("14 entries"), "{}", run.stdout);
    for (name, delete, first_missing) in [
        (
            "newest.db",
            "DELETE FROM audit_log WHERE seq = 14",
            "entry 14",
        ),
        ("ten.db", "DELETE FROM audit_log WHERE seq > 4", "entry 5"),
        ("all.db", "DELETE FROM audit_log", "entry 1"),
    ] {
        let url = tampered(&original, name, &[delete]);
        assert_broken(&verify(&url, None), &[first_missing, "missing"]);
        let run = cadence(&["check", "--database-url", &url], None);
        assert_broken(&run, &[first_missing]);
    }
}

#[test]
fn an_anchor_catches_deleted_entries_behind_a_rewritten_head() {
    let dir = temp_dir();
    let original = fourteen_entries(&dir);
    let url = format!("sqlite://{}", original.display());
    let backup = dir.join("backup.db");
    let run = cadence(
        &[
            "backup",
            "--out",
            backup.to_str().unwrap(),
            "--database-url",
            &url,
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest = format!("{}.manifest.json", backup.display());
    let anchor: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    let (seq, hash) = (
        anchor["audit_seq"].as_i64().unwrap(),
        anchor["audit_head"].as_str().unwrap().to_owned(),
    );
    assert_eq!(seq, 15, "the backup's own export entry is in the copy");
    let printed = format!("{seq}:{hash}");
    // The intact log reaches the anchor, by manifest or by printed head.
    assert_eq!(verify(&url, Some(&manifest)).code, 0);
    assert_eq!(verify(&url, Some(&printed)).code, 0);

    // Delete back to entry 12 and make the head say so: consistent on its own...
    let url = tampered(
        &original,
        "rewritten.db",
        &[
            "DELETE FROM audit_log WHERE seq > 12",
            "UPDATE audit_head SET seq = 12, hash = (SELECT hash FROM audit_log WHERE seq = 12)",
        ],
    );
    let run = verify(&url, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // ...but not against the head kept apart.
    assert_broken(&verify(&url, Some(&manifest)), &["entry 13", "anchor"]);
    assert_broken(&verify(&url, Some(&printed)), &["entry 13"]);
    let run = cadence(
        &["check", "--anchor", &manifest, "--database-url", &url],
        None,
    );
    assert_broken(&run, &["entry 13"]);
    verify(&url, Some("not-a-manifest.json")).assert_invalid("--anchor");
}

#[test]
fn undecodable_audit_values_are_named_never_internal_errors() {
    let dir = temp_dir();
    let original = fourteen_entries(&dir);
    let edits = [
        (
            "action.db",
            "UPDATE audit_log SET action = 'forged' WHERE seq = 5",
        ),
        (
            "outcome.db",
            "UPDATE audit_log SET outcome = 'granted' WHERE seq = 5",
        ),
        (
            "at.db",
            "UPDATE audit_log SET at = 'yesterday' WHERE seq = 5",
        ),
        (
            "actor.db",
            "UPDATE audit_log SET actor_id = 'root' WHERE seq = 5",
        ),
        (
            "clinic.db",
            "UPDATE audit_log SET clinic_id = 2.5 WHERE seq = 5",
        ),
    ];
    for (name, edit) in edits {
        let url = tampered(&original, name, &[edit]);
        assert_broken(&verify(&url, None), &["entry 5: cannot be read"]);
        let run = cadence(&["check", "--database-url", &url], None);
        assert_broken(&run, &["entry 5: cannot be read"]);
    }
    // A sequence number that is not an integer no longer stands in its place.
    let url = tampered(
        &original,
        "seq.db",
        &["UPDATE audit_log SET seq = 'five' WHERE seq = 5"],
    );
    assert_broken(&verify(&url, None), &["entry 5"]);
}

/// Runs the binary as an unprivileged user when the tests run as root (root may write any
/// file, so a read-only file would not be read-only to it), stopped after two minutes. `None`
/// when that is impossible.
fn as_unprivileged(args: &[&str]) -> Option<Run> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    // `timeout`: a server that wrongly starts must not hang the test run.
    let mut command = Command::new("timeout");
    command.arg("120");
    if root {
        command.args([
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]);
    }
    command.arg(env!("CARGO_BIN_EXE_cadence"));
    let out = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    // setpriv itself failed (not allowed here): no way to test as another user.
    (!(root && run.code != 0 && run.stderr.contains("setpriv"))).then_some(run)
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn verification_works_on_a_read_only_copy() {
    let dir = temp_dir();
    let original = fourteen_entries(&dir);
    let archive = dir.join("archive");
    std::fs::create_dir(&archive).unwrap();
    let copy = archive.join("copy.db");
    copy_db(&original, &copy);
    set_mode(&copy, 0o444);
    set_mode(&archive, 0o555);
    set_mode(&dir, 0o755);
    let url = format!("sqlite://{}", copy.display());
    let Some(run) = as_unprivileged(&["audit", "verify", "--database-url", &url]) else {
        eprintln!("skipped: cannot run as an unprivileged user here");
        return;
    };
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("14 entries"), "{}", run.stdout);
    let run = as_unprivileged(&["check", "--database-url", &url]).unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = as_unprivileged(&[
        "audit",
        "report",
        "--from",
        "2000-01-01",
        "--to",
        "2100-01-01",
        "--database-url",
        &url,
    ])
    .unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 15, "a header and 14 rows");
    assert_eq!(
        std::fs::read_dir(&archive).unwrap().count(),
        1,
        "nothing written"
    );
    set_mode(&archive, 0o755);
}

#[test]
fn serve_refuses_a_database_file_it_cannot_write() {
    let dir = temp_dir();
    let original = fourteen_entries(&dir);
    set_mode(&original, 0o444);
    set_mode(&dir, 0o777);
    let url = format!("sqlite://{}", original.display());
    let Some(run) = as_unprivileged(&["serve", "--listen", "127.0.0.1:0", "--database-url", &url])
    else {
        eprintln!("skipped: cannot run as an unprivileged user here");
        return;
    };
    run.assert_invalid("cannot be written by this process");
}
