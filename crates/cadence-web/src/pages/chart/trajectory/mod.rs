//! The trajectory chart: scores of one instrument over time, drawn as an inline SVG.
//!
//! [`trajectory`] is a pure function from the data to the chart's geometry ([`Trajectory`]);
//! `chart_trajectory.html` draws it. Everything a sighted reader gets from the picture is also
//! in words: a `<title>`, a `<desc>` summarising the trend, a `<title>` on every mark, text
//! labels on the severity bands and reference lines, and shapes (not colours) that tell a
//! completed session from a planned one. Text in the SVG is escaped by the template like any
//! other text.
//!
//! [`shapes`] holds the input and the drawn shapes; `tests.rs` the unit tests.

mod shapes;

pub use shapes::{
    AxisTick, BandArea, DecisionMark, RefLine, ScorePoint, SessionMark, SessionTick, Trajectory,
    TrajectoryInput,
};

use super::labels::instrument_name;
use jiff::civil::Date;

/// Width of the drawing, in SVG units (it scales to its container).
const WIDTH: f64 = 720.0;
/// Height of the drawing.
const HEIGHT: f64 = 340.0;
/// Left margin (score axis labels).
const LEFT: f64 = 40.0;
/// Right margin (band and line labels).
const RIGHT: f64 = 160.0;
/// Top margin (decision labels).
const TOP: f64 = 30.0;
/// Bottom margin (session marks and date labels).
const BOTTOM: f64 = 56.0;

/// Pale band fills, mildest first; every band also carries its label as text.
const BAND_FILLS: [&str; 6] = [
    "#eef7f0", "#f6f8e6", "#fdf5e3", "#fcebdc", "#fbe1df", "#f7d6dc",
];

fn num(v: f64) -> String {
    format!("{v:.1}")
}

fn short_date(d: Date) -> String {
    d.strftime("%b %-d").to_string()
}

/// Builds the chart from the data. Never fails: with no scores it draws the bands and the
/// sessions and says so in words.
pub fn trajectory(input: &TrajectoryInput<'_>) -> Trajectory {
    let def = input.definition;
    let short = instrument_name(def.id);
    let (lo, hi) = def.total_range.unwrap_or((0, 27));
    let (lo, hi) = (f64::from(lo), f64::from(hi.max(lo + 1)));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let bottom = TOP + plot_h;
    let y_of = |v: f64| TOP + (hi - v.clamp(lo, hi)) / (hi - lo) * plot_h;

    let dates = input
        .scores
        .iter()
        .map(|(d, _)| *d)
        .chain(input.sessions.iter().map(|s| s.date))
        .chain(input.decisions.iter().map(|(d, _)| *d));
    let (first, last) = dates.fold((None::<Date>, None::<Date>), |(a, b), d| {
        (
            Some(a.map_or(d, |a| a.min(d))),
            Some(b.map_or(d, |b| b.max(d))),
        )
    });
    let span_days = match (first, last) {
        (Some(a), Some(b)) => days_between(a, b).max(1),
        _ => 1,
    };
    // A little room either side so the first and last marks are not on the frame.
    let pad = (plot_w * 0.04).max(8.0);
    let x_of = |d: Date| {
        let offset = first.map_or(0, |f| days_between(f, d));
        LEFT + pad + (offset as f64) / (span_days as f64) * (plot_w - 2.0 * pad)
    };

    let bands = def
        .bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let top = y_of(f64::from(b.max) + 0.5).max(TOP);
            let low = y_of(f64::from(b.min) - 0.5).min(bottom);
            BandArea {
                y: num(top),
                height: num((low - top).max(0.0)),
                label_y: num((top + low) / 2.0 + 4.0),
                label: format!("{} ({}-{})", b.label, b.min, b.max),
                fill: BAND_FILLS.get(i).copied().unwrap_or("#f3f5f8"),
            }
        })
        .collect();

    let mut lines = Vec::new();
    if let Some(b) = input.baseline {
        let response = f64::from(b) * f64::from(100 - input.response_percent.min(100)) / 100.0;
        lines.push(line(
            "baseline",
            f64::from(b),
            format!("Baseline: {b}"),
            "8 4",
            &y_of,
        ));
        lines.push(line(
            "response",
            response,
            format!(
                "Response ({}% fall): {}",
                input.response_percent,
                trim(response)
            ),
            "3 3",
            &y_of,
        ));
    }
    if let Some(r) = input.remission_at_most {
        lines.push(line(
            "remission",
            f64::from(r),
            format!("Remission: {r} or less"),
            "1 3",
            &y_of,
        ));
    }
    spread_labels(&mut lines);

    let points: Vec<ScorePoint> = input
        .scores
        .iter()
        .map(|(d, total)| {
            let band = def
                .band_for(*total)
                .map(|b| format!(" ({})", b.label))
                .unwrap_or_default();
            ScorePoint {
                x: num(x_of(*d)),
                y: num(y_of(f64::from(*total))),
                total: *total,
                title: format!("{d}: {short} {total}{band}"),
            }
        })
        .collect();
    let path = points
        .iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");

    let session_y = bottom + 14.0;
    let sessions = input
        .sessions
        .iter()
        .map(|s| {
            let x = x_of(s.date);
            SessionTick {
                x: num(x),
                square_x: num(x - 4.0),
                completed: s.completed,
                title: format!(
                    "{}: session {}",
                    s.date,
                    if s.completed { "completed" } else { "planned" }
                ),
            }
        })
        .collect();

    let decisions = input
        .decisions
        .iter()
        .enumerate()
        .map(|(i, (d, label))| DecisionMark {
            x: num(x_of(*d)),
            // Alternate heights so two decisions close together stay readable.
            label_y: num(if i % 2 == 0 { TOP - 16.0 } else { TOP - 4.0 }),
            label: label.clone(),
            title: format!("{d}: decision {label}"),
        })
        .collect();

    let x_ticks = match (first, last) {
        (Some(a), Some(b)) => date_ticks(a, b)
            .into_iter()
            .map(|d| AxisTick {
                at: num(x_of(d)),
                label_at: num(bottom + 40.0),
                label: short_date(d),
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut y_values: Vec<u16> = def.bands.iter().map(|b| b.min).collect();
    y_values.push(hi as u16);
    if y_values.is_empty() || y_values[0] != lo as u16 {
        y_values.insert(0, lo as u16);
    }
    y_values.dedup();
    let y_ticks = y_values
        .into_iter()
        .map(|v| AxisTick {
            at: num(y_of(f64::from(v))),
            label_at: num(y_of(f64::from(v)) + 4.0),
            label: v.to_string(),
        })
        .collect();

    Trajectory {
        title: format!("{short} over time"),
        desc: describe(input),
        view_box: format!("0 0 {WIDTH} {HEIGHT}"),
        left: num(LEFT),
        right: num(LEFT + plot_w),
        top: num(TOP),
        bottom: num(bottom),
        plot_width: num(plot_w),
        label_x: num(LEFT + plot_w + 6.0),
        line_label_x: num(LEFT + plot_w - 6.0),
        bands,
        lines,
        path,
        points,
        sessions,
        session_y: num(session_y),
        session_square_y: num(session_y - 4.0),
        decisions,
        x_ticks,
        y_ticks,
        x_label_y: num(bottom + 40.0),
    }
}

fn line(
    kind: &'static str,
    value: f64,
    label: String,
    dash: &'static str,
    y_of: &dyn Fn(f64) -> f64,
) -> RefLine {
    let y = y_of(value);
    RefLine {
        kind,
        y: num(y),
        label_y: num(y - 4.0),
        label,
        dash,
    }
}

/// Keeps reference-line labels at least 12 units apart so they never print over each other.
fn spread_labels(lines: &mut [RefLine]) {
    let mut placed: Vec<f64> = Vec::new();
    for l in lines.iter_mut() {
        let mut y: f64 = l.label_y.parse().unwrap_or(0.0);
        while placed.iter().any(|p| (p - y).abs() < 12.0) {
            y += 12.0;
        }
        placed.push(y);
        l.label_y = num(y);
    }
}

/// A number without a needless `.0`.
fn trim(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |span| i64::from(span.get_days()))
}

/// Up to five evenly spaced dates from `a` to `b`, both included.
fn date_ticks(a: Date, b: Date) -> Vec<Date> {
    let span = days_between(a, b);
    let steps = span.clamp(0, 4);
    let mut out: Vec<Date> = (0..=steps)
        .filter_map(|i| {
            let offset = if steps == 0 { 0 } else { span * i / steps };
            a.checked_add(jiff::Span::new().days(offset)).ok()
        })
        .collect();
    out.dedup();
    out
}

/// The trend in words, for the `<desc>` (and for anyone who cannot see the picture).
fn describe(input: &TrajectoryInput<'_>) -> String {
    let def = input.definition;
    let name = instrument_name(def.id);
    let band = |t: u16| {
        def.band_for(t)
            .map(|b| format!(" ({})", b.label.to_lowercase()))
            .unwrap_or_default()
    };
    let mut out = match (input.scores.first(), input.scores.last()) {
        (None, _) | (_, None) => format!("No {name} scores yet."),
        (Some((d, t)), Some(_)) if input.scores.len() == 1 => {
            format!("One {name} score: {t}{} on {d}.", band(*t))
        }
        (Some((d0, t0)), Some((d1, t1))) => {
            let change = i32::from(*t1) - i32::from(*t0);
            let direction = match change {
                c if c < 0 => format!("down {} points", -c),
                c if c > 0 => format!("up {c} points"),
                _ => "unchanged".to_owned(),
            };
            format!(
                "{name} went from {t0}{} on {d0} to {t1}{} on {d1}: {direction} over {} scores.",
                band(*t0),
                band(*t1),
                input.scores.len()
            )
        }
    };
    if let (Some(b), Some((_, latest))) = (input.baseline, input.scores.last()) {
        if b > 0 {
            let fall = (f64::from(b) - f64::from(*latest)) / f64::from(b) * 100.0;
            if fall >= 0.0 {
                out.push_str(&format!(
                    " The latest is {fall:.0}% below the baseline of {b}."
                ));
            } else {
                out.push_str(&format!(
                    " The latest is {:.0}% above the baseline of {b}.",
                    -fall
                ));
            }
        }
    }
    let completed = input.sessions.iter().filter(|s| s.completed).count();
    let planned = input.sessions.len() - completed;
    out.push_str(&format!(
        " Sessions: {completed} completed, {planned} planned. Decisions recorded: {}.",
        input.decisions.len()
    ));
    out
}

#[cfg(test)]
mod tests;
