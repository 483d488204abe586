//! `cadence plan`: the dated plan of a course.

use crate::course_input::CourseArgs;
use crate::output::{CliResult, invalid, print_json, print_text};
use cadence_clinical::planner::{self, Plan, SessionState};
use std::fmt::Write;

/// Plan a course: session dates by kind, review points, warnings.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    course: CourseArgs,
    /// How far ahead to book maintenance, in weeks (up to, not including, the last day).
    #[arg(long, default_value_t = 26)]
    horizon_weeks: u16,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let c = args.course.load()?;
    let plan = planner::plan(&c.protocol, &c.calendar, &c.snapshot, args.horizon_weeks)
        .map_err(invalid)?;
    if args.json {
        print_json(&plan)
    } else {
        print_text(&describe(&plan))
    }
}

fn describe(plan: &Plan) -> String {
    let mut text = crate::commands::review::course_line(&plan.course);
    for s in &plan.sessions {
        let state = match s.status {
            SessionState::Completed => " (done)",
            SessionState::Booked => " (booked)",
            SessionState::Planned => "",
        };
        let why = s
            .booking_reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "{:>3}. {} {} {}{state}{why}",
            s.number,
            s.date,
            s.date.strftime("%a"),
            s.kind
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
