//! Writing results and errors: stdout for results, stderr for one-line errors, and the exit
//! status contract (2 = invalid input, 1 = anything else).

use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

/// A command's failure, classified for the exit status.
#[derive(Debug)]
pub enum CliError {
    /// The user's input is invalid: exit 2.
    Invalid(String),
    /// Something else went wrong (e.g. stdout closed): exit 1.
    Failed(anyhow::Error),
}

impl CliError {
    /// Prints the one-line message to stderr and returns the exit code.
    pub fn report(self) -> ExitCode {
        let (code, message) = match self {
            CliError::Invalid(m) => (2, m),
            CliError::Failed(e) => (1, format!("{e:#}")),
        };
        // One line, so a script's `2>` capture is one message; CR/LF would split it.
        let line = message.replace(['\r', '\n'], " ");
        let _ = writeln!(std::io::stderr().lock(), "error: {line}");
        ExitCode::from(code)
    }
}

/// Shorthand for an invalid-input error.
pub fn invalid(message: impl std::fmt::Display) -> CliError {
    CliError::Invalid(message.to_string())
}

/// The result type of every command.
pub type CliResult = Result<(), CliError>;

/// Prints text to stdout.
pub fn print_text(text: &str) -> CliResult {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                out.write_all(b"\n")
            }
        })
        .map_err(|e| CliError::Failed(e.into()))
}

/// Prints one JSON value to stdout, pretty-printed.
pub fn print_json(value: &impl Serialize) -> CliResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(e.into()))?;
    print_text(&text)
}
