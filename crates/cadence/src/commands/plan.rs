//! `cadence plan`: the dated plan of a course.

use crate::course_input::{load_history, load_protocol, time_zone, today};
use crate::output::{CliResult, invalid, print_json, print_text};
use cadence_clinical::calendar::{ClinicCalendar, OpenDays, parse_closed_dates, parse_weekday};
use cadence_clinical::planner::{self, Plan, SessionState};
use jiff::civil::Date;
use std::fmt::Write;
use std::path::PathBuf;

/// Plan a course: session dates by phase, review points, warnings.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A built-in protocol id or a protocol file.
    #[arg(long)]
    protocol: String,
    /// The course start date (YYYY-MM-DD).
    #[arg(long)]
    start: Date,
    /// The course history so far (JSON; see docs/protocols.md).
    #[arg(long)]
    history: Option<PathBuf>,
    /// Plan from this date (default: the start date without history, else today).
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
    /// How far ahead to book maintenance, in weeks.
    #[arg(long, default_value_t = 26)]
    horizon_weeks: u16,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let protocol = load_protocol(&args.protocol)?;
    let history = load_history(args.history.as_ref())?;
    let tz = time_zone(&args.tz)?;
    let weekdays = args
        .open_days
        .split(',')
        .map(|t| parse_weekday(t.trim()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("--open-days: {e}")))?;
    let open =
        OpenDays::from_weekdays(weekdays).map_err(|e| invalid(format!("--open-days: {e}")))?;
    let closed = match &args.closed {
        Some(list) => parse_closed_dates(list).map_err(|e| invalid(format!("--closed: {e}")))?,
        None => Default::default(),
    };
    let calendar = ClinicCalendar::new(&args.tz, open, closed).map_err(invalid)?;
    let fallback = args.history.is_none().then_some(args.start);
    let today = today(args.today, fallback, &tz);
    let plan = planner::plan(
        &protocol,
        &calendar,
        &history,
        args.start,
        today,
        args.horizon_weeks,
    )
    .map_err(invalid)?;
    if args.json {
        print_json(&plan)
    } else {
        print_text(&describe(&plan))
    }
}

fn describe(plan: &Plan) -> String {
    let mut text = String::new();
    for s in &plan.sessions {
        let done = if s.status == SessionState::Completed {
            " (done)"
        } else {
            ""
        };
        let phase = serde_json::to_value(s.phase).ok();
        let phase = phase.as_ref().and_then(|v| v.as_str()).unwrap_or("");
        let _ = writeln!(
            text,
            "{:>3}. {} {} {phase}{done}",
            s.number,
            s.date,
            s.date.strftime("%a")
        );
    }
    if !plan.reviews.is_empty() {
        let _ = writeln!(text, "Reviews:");
        for r in &plan.reviews {
            let kind = serde_json::to_value(r.kind).ok();
            let kind = kind.as_ref().and_then(|v| v.as_str()).unwrap_or("");
            let _ = writeln!(text, "  {} {}", r.date, kind.replace('_', " "));
        }
    }
    for w in &plan.warnings {
        let _ = writeln!(text, "Warning: {w}");
    }
    text
}
