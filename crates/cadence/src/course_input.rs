//! Inputs shared by the course commands (`plan`, `review`, `forecast`): the protocol by id or
//! file, the history file, and "today".

use crate::input::{parse_json, read_source};
use crate::output::{CliError, invalid};
use cadence_clinical::history::CourseHistory;
use cadence_clinical::protocol::{self, Protocol};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::path::{Path, PathBuf};

/// Resolves `--protocol`: a built-in id, or else a path to a protocol file.
pub fn load_protocol(spec: &str) -> Result<Protocol, CliError> {
    if let Some(p) = protocol::builtin(spec) {
        return Ok(p);
    }
    let path = Path::new(spec);
    if !path.exists() {
        return Err(invalid(format!(
            "--protocol `{spec}` is neither a built-in protocol ({}) nor an existing file",
            protocol::builtin_ids().join(", ")
        )));
    }
    let text = read_source(path)?;
    Protocol::from_toml(&text).map_err(|errors| {
        invalid(format!(
            "{}: {} (run `cadence protocol check {}` to see every problem)",
            path.display(),
            errors
                .to_string()
                .lines()
                .next()
                .unwrap_or("invalid protocol"),
            path.display()
        ))
    })
}

/// Reads `--history`, or an empty history when none is given.
pub fn load_history(path: Option<&PathBuf>) -> Result<CourseHistory, CliError> {
    match path {
        None => Ok(CourseHistory::default()),
        Some(path) => {
            let text = read_source(path)?;
            parse_json(&text, path)
        }
    }
}

/// Parses a `--tz` IANA name against the bundled time-zone database.
pub fn time_zone(name: &str) -> Result<TimeZone, CliError> {
    TimeZone::get(name).map_err(|_| {
        invalid(format!(
            "--tz `{name}` is not a known IANA time zone (for example Europe/London, America/New_York, UTC)"
        ))
    })
}

/// "Today": `--today` when given, else the given fallback, else the clock in `tz`.
pub fn today(given: Option<Date>, fallback: Option<Date>, tz: &TimeZone) -> Date {
    given
        .or(fallback)
        .unwrap_or_else(|| crate::clock::today_in(tz))
}
