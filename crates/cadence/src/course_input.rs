//! Inputs shared by the course commands (`plan`, `review`, `forecast`): the protocol by id or
//! file, the history file, the course start, the clinic calendar and "today". All three build
//! the same course snapshot from them, so they accept and refuse the same histories and agree
//! on where the course stands.

use crate::input::{parse_json, read_source};
use crate::output::{CliError, invalid};
use cadence_clinical::calendar::{ClinicCalendar, OpenDays, parse_closed_dates, parse_weekday};
use cadence_clinical::course::{CourseInputs, CourseSnapshot, snapshot};
use cadence_clinical::history::CourseHistory;
use cadence_clinical::protocol::{self, Protocol};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::path::{Path, PathBuf};

/// The course and the clinic, as the three course commands take them.
#[derive(Debug, clap::Args)]
pub struct CourseArgs {
    /// A built-in protocol id or a protocol file.
    #[arg(long)]
    protocol: String,
    /// The course history so far (JSON; see docs/protocols.md).
    #[arg(long)]
    history: Option<PathBuf>,
    /// The course start date (YYYY-MM-DD); required unless the history gives `start_date`.
    #[arg(long)]
    start: Option<Date>,
    /// As of this date (default: the start date when nothing is recorded yet, else today in
    /// the clinic's time zone).
    #[arg(long)]
    today: Option<Date>,
    /// The clinic's open weekdays.
    #[arg(long, default_value = "mon,tue,wed,thu,fri")]
    open_days: String,
    /// Dates the clinic is closed, comma-separated YYYY-MM-DD.
    #[arg(long)]
    closed: Option<String>,
    /// The clinic's IANA time zone.
    #[arg(long, default_value = "UTC")]
    tz: String,
}

/// What the commands read from [`CourseArgs`]: the protocol, the calendar and the snapshot.
#[derive(Debug)]
pub struct Course {
    pub protocol: Protocol,
    pub calendar: ClinicCalendar,
    pub snapshot: CourseSnapshot,
}

impl CourseArgs {
    /// Reads the files and builds the course snapshot.
    pub fn load(&self) -> Result<Course, CliError> {
        let protocol = load_protocol(&self.protocol)?;
        let history = load_history(self.history.as_ref())?;
        let tz = time_zone(&self.tz)?;
        let weekdays = self
            .open_days
            .split(',')
            .map(|t| parse_weekday(t.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid(format!("--open-days: {e}")))?;
        let open =
            OpenDays::from_weekdays(weekdays).map_err(|e| invalid(format!("--open-days: {e}")))?;
        let closed = match &self.closed {
            Some(list) => {
                parse_closed_dates(list).map_err(|e| invalid(format!("--closed: {e}")))?
            }
            None => Default::default(),
        };
        let calendar = ClinicCalendar::new(&self.tz, open, closed).map_err(invalid)?;
        // A course with nothing recorded is looked at from its start.
        let nothing_recorded = history.sessions.is_empty() && history.decisions.is_empty();
        let fallback = self
            .start
            .or(history.start_date)
            .filter(|_| nothing_recorded);
        let today = self
            .today
            .or(fallback)
            .unwrap_or_else(|| crate::clock::today_in(&tz));
        let scoring = protocol.scoring_config();
        let snapshot = snapshot(&CourseInputs {
            protocol: &protocol,
            calendar: &calendar,
            history: &history,
            start: self.start,
            today,
            scoring: &scoring,
        })
        .map_err(invalid)?;
        Ok(Course {
            protocol,
            calendar,
            snapshot,
        })
    }
}

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
