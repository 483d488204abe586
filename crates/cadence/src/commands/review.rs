//! `cadence review`: the engine's one suggested next step, with its reasons.

use crate::course_input::CourseArgs;
use crate::output::{CliResult, invalid, print_json, print_text};
use cadence_clinical::course::CourseSummary;
use cadence_clinical::suggestion::{Review, review};
use std::fmt::Write;

/// Suggest the next step for a course from its protocol and history.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    course: CourseArgs,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let c = args.course.load()?;
    let result = review(&c.protocol, &c.snapshot).map_err(invalid)?;
    if args.json {
        print_json(&result)
    } else {
        print_text(&describe(&result))
    }
}

/// The course's standing in one line, as `plan`, `review` and `forecast` print it.
pub fn course_line(c: &CourseSummary) -> String {
    let next = c
        .next_due
        .map_or_else(|| "none".to_owned(), |d| d.to_string());
    format!(
        "Course: {}; induction {} of {}; interval {} week(s); next session {next}\n",
        c.phase.label(),
        c.induction_done,
        c.induction_target,
        c.interval_weeks
    )
}

fn describe(r: &Review) -> String {
    let mut text = course_line(&r.course);
    let _ = writeln!(
        text,
        "Suggestion: {}",
        r.suggestion.as_str().replace('_', " ")
    );
    for reason in &r.reasons {
        let _ = writeln!(text, "- {} [{}]", reason.message, reason.rule);
    }
    if let Some(o) = &r.outcome {
        text.push_str(&crate::commands::outcome::describe(o));
    }
    text.push_str("A suggestion never changes the course: a clinician's recorded decision does.\n");
    text
}
