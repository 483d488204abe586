//! The browser tests, run from `cargo test --workspace`: starts the demo clinic on an ephemeral
//! loopback port (a fresh SQLite database), then runs `node --test` over `e2e/*.test.mjs`,
//! which drive Debian's Chromium through playwright-core and save screenshots under
//! `target/e2e/`.
//!
//! Without `node`, `e2e/node_modules/playwright-core` or a Chromium binary the test prints a note
//! and passes, so a machine with only Rust can run the suite; with `CADENCE_E2E=1` (as `.ci/run`
//! sets) anything missing is a failure.

use crate::temp_dir;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Node.js, from PATH.
const NODE: &str = "node";

/// The whole browser suite must finish within this.
const SUITE_TIMEOUT: Duration = Duration::from_secs(300);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// What the browser tests need, or why they cannot run here.
struct Tools {
    chromium: PathBuf,
    e2e: PathBuf,
}

fn find_tools(root: &Path) -> Result<Tools, Vec<String>> {
    let mut missing = Vec::new();
    let node_ok = Command::new(NODE)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !node_ok {
        missing.push(format!("`{NODE}` (Node.js 20 or later) is not on PATH"));
    }
    let e2e = root.join("e2e");
    if !e2e
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        missing.push(format!(
            "{} is missing: run `npm ci --prefix e2e --no-audit --no-fund`",
            e2e.join("node_modules/playwright-core").display()
        ));
    }
    let chromium = PathBuf::from(
        std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
    );
    if !chromium.is_file() {
        missing.push(format!(
            "no Chromium at {} (Debian: `apt-get install chromium`, or set CHROMIUM_PATH)",
            chromium.display()
        ));
    }
    if missing.is_empty() {
        Ok(Tools { chromium, e2e })
    } else {
        Err(missing)
    }
}

/// The demo clinic served by the real binary; killed on drop.
struct DemoServer {
    child: Child,
    base_url: String,
    dir: PathBuf,
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_demo(dir: &Path) -> DemoServer {
    let db_url = format!("sqlite://{}", dir.join("e2e.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_cadence"))
        .args(["demo", "--listen", "127.0.0.1:0", "--database-url", &db_url])
        .env("CADENCE_LOG", "info")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the demo server");
    let (tx, rx) = std::sync::mpsc::channel();
    let readers: [Box<dyn Read + Send>; 2] = [
        Box::new(child.stdout.take().unwrap()),
        Box::new(child.stderr.take().unwrap()),
    ];
    for (i, stream) in readers.into_iter().enumerate() {
        let tx = tx.clone();
        let log = dir.join(format!("server.{i}.log"));
        std::thread::spawn(move || {
            let mut out = std::fs::File::create(log).ok();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(f) = out.as_mut() {
                    use std::io::Write;
                    let _ = writeln!(f, "{line}");
                }
                if let Some(at) = line.find("http://127.0.0.1:") {
                    // http://127.0.0.1:PORT[/login] -> http://127.0.0.1:PORT
                    let authority: String = line[at + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                        .collect();
                    let _ = tx.send(format!("http://{authority}"));
                }
            }
        });
    }
    let base_url = rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("`cadence demo` printed no http://127.0.0.1: address"));
    DemoServer {
        child,
        base_url,
        dir: dir.to_owned(),
    }
}

/// The last lines the server printed (stdout, then stderr), for a failure message.
fn server_output(server: &DemoServer) -> String {
    (0..2)
        .map(|i| {
            let text = std::fs::read_to_string(server.dir.join(format!("server.{i}.log")))
                .unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(60)..].join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_clinic_works_in_a_real_browser() {
    let root = workspace_root();
    let required = std::env::var("CADENCE_E2E").is_ok_and(|v| v == "1");
    let tools = match find_tools(&root) {
        Ok(tools) => tools,
        Err(missing) if required => panic!(
            "CADENCE_E2E=1 but the browser tests cannot run:\n  - {}",
            missing.join("\n  - ")
        ),
        Err(missing) => {
            eprintln!(
                "note: browser tests skipped (set CADENCE_E2E=1 to require them):\n  - {}",
                missing.join("\n  - ")
            );
            return;
        }
    };

    let dir = temp_dir();
    let server = start_demo(&dir);
    // This run's screenshots only: none left over from an earlier run.
    let screenshots = root.join("target/e2e");
    let _ = std::fs::remove_dir_all(&screenshots);
    std::fs::create_dir_all(&screenshots).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&tools.e2e)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no e2e/*.test.mjs files");

    let out_path = dir.join("node.out");
    let out = std::fs::File::create(&out_path).unwrap();
    let mut command = Command::new(NODE);
    command
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-timeout=90000",
            "--test-reporter=spec",
        ])
        .args(&files)
        .current_dir(&tools.e2e)
        .env("CADENCE_BASE_URL", &server.base_url)
        .env("CHROMIUM_PATH", &tools.chromium)
        .env("CADENCE_E2E_SCREENSHOTS", &screenshots)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out);
    // Its own process group, so that a timeout ends Chromium with it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut node = command.spawn().expect("start node --test");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > SUITE_TIMEOUT {
            #[cfg(unix)]
            let _ = Command::new("kill")
                .args(["-KILL", &format!("-{}", node.id())])
                .status();
            let _ = node.kill();
            let _ = node.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let output = std::fs::read_to_string(&out_path).unwrap_or_default();
    match status {
        Some(s) if s.success() => {
            eprintln!(
                "browser tests passed in {:.0?} (screenshots in {})",
                started.elapsed(),
                screenshots.display()
            );
        }
        Some(s) => panic!(
            "browser tests failed ({s}); screenshots in {}\n{output}\n--- server output ---\n{}",
            screenshots.display(),
            server_output(&server)
        ),
        None => panic!(
            "browser tests did not finish within {SUITE_TIMEOUT:?}\n{output}\n--- server output ---\n{}",
            server_output(&server)
        ),
    }
}
