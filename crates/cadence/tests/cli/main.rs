//! The `cadence` command line as a contract: run the real binary and check stdout, stderr and
//! the exit status. One integration-test binary for the crate, one module per command family.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly by design"
)]

mod clinical;
mod connections;
mod course;
mod demo;
mod e2e;
mod http;
mod integrity;
mod service;

use std::io::Write;
use std::process::{Command, Stdio};

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as JSON, failing the test with the output when it is not.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Asserts the invalid-input contract: exit 2, nothing on stdout, one line on stderr that
    /// contains `needle`.
    pub fn assert_invalid(&self, needle: &str) {
        assert_eq!(
            self.code, 2,
            "stdout: {} stderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "stdout must be empty: {}",
            self.stdout
        );
        assert_eq!(self.stderr.lines().count(), 1, "one line: {}", self.stderr);
        assert!(
            self.stderr.contains(needle),
            "`{needle}` not in: {}",
            self.stderr
        );
    }
}

/// Runs `cadence` with arguments and optional stdin.
pub fn cadence(args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cadence"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cadence");
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A fresh temporary directory.
pub fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cadence-cli-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a file into a fresh temporary directory and returns its path.
pub fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let path = temp_dir().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
