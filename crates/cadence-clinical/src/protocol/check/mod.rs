//! Semantic checks of a parsed protocol: every problem, not just the first.
//!
//! serde already rejects unknown keys, unknown ids (routes, instruments, decisions, triggers)
//! and wrong types. What is left are rules across values: thresholds in order, intervals
//! within their bounds, an induction that fits its weeks, instruments collected where the
//! rules need them. The upper limits here (100 sessions, 52 weeks, …) are format limits that
//! keep planning bounded, not clinical numbers.

mod care;
mod induction;
mod settings;

use super::{Problem, Protocol};

/// Most induction sessions a protocol may ask for (a format limit that keeps plans bounded).
const MAX_SESSIONS: u32 = 100;
/// Most extensions a protocol may allow.
const MAX_EXTENSIONS: u32 = 10;
/// Longest interval, induction window or gap, in weeks (a year).
const MAX_WEEKS: u32 = 52;

/// Every problem with `p`, in the order of the file's sections.
pub(super) fn check(p: &Protocol) -> Vec<Problem> {
    let mut out = Vec::new();
    top(p, &mut out);
    induction::induction(p, &mut out);
    induction::end_of_induction(p, &mut out);
    care::maintenance(p, &mut out);
    care::reassessment(p, &mut out);
    care::safety(p, &mut out);
    settings::safety(p, &mut out);
    care::collect(p, &mut out);
    settings::outcomes(p, &mut out);
    settings::screening_and_doses(p, &mut out);
    settings::esketamine_floor(p, &mut out);
    out
}
fn source(path: &str, text: &str, out: &mut Vec<Problem>) {
    if text.trim().is_empty() {
        out.push(Problem::at(
            path,
            "a source is required: say where these values come from (a reference key such as \
             [JNJ-BP], or \"clinic decision\")",
        ));
    }
}

fn top(p: &Protocol, out: &mut Vec<Problem>) {
    let id_ok = !p.id.is_empty()
        && p.id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && p.id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if !id_ok {
        out.push(Problem::at(
            "id",
            format!(
                "`{}` is not a protocol id: use lowercase letters, digits, `-` and `_`, starting \
                 with a letter or digit (e.g. `iv-ketamine-6`)",
                p.id
            ),
        ));
    }
    if p.version == 0 {
        out.push(Problem::at(
            "version",
            "version starts at 1; bump it on every change",
        ));
    }
    if p.title.trim().is_empty() {
        out.push(Problem::at(
            "title",
            "the title is empty: give the protocol a one-line title",
        ));
    }
    source("source", &p.source, out);
}

/// Days from the first to the last of `sessions` sessions on a calendar open every day, at most
/// `per_week` in any 7 days and at least `gap` days apart: the fastest induction possible.
fn fastest_induction_days(sessions: u32, per_week: u32, gap: u32) -> u32 {
    let mut dates: Vec<u32> = vec![0];
    for _ in 1..sessions {
        let mut d = dates.last().copied().unwrap_or(0) + gap.max(1);
        while dates.iter().filter(|x| **x + 6 >= d).count() >= per_week.max(1) as usize {
            d += 1;
        }
        dates.push(d);
    }
    dates.last().copied().unwrap_or(0)
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastest_induction_follows_gap_and_weekly_limit() {
        // 2 a week, 2 days apart: days 0, 2, 7, 9, 14, 16 → 16.
        assert_eq!(fastest_induction_days(6, 2, 2), 16);
        // 3 a week, 2 days apart: days 0, 2, 4, 7, 9, 11 → 11.
        assert_eq!(fastest_induction_days(6, 3, 2), 11);
        // 1 session: day 0.
        assert_eq!(fastest_induction_days(1, 2, 2), 0);
        // 7 a week, 1 day apart: consecutive days.
        assert_eq!(fastest_induction_days(5, 7, 1), 4);
        // 2 a week, 5 days apart: the gap binds: 0, 5, 10.
        assert_eq!(fastest_induction_days(3, 2, 5), 10);
    }
}
