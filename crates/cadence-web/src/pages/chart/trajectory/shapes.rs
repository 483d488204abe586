//! The trajectory's input and the shapes it is drawn with: numbers already formatted for SVG
//! attributes, text still to be escaped by the template.

use cadence_clinical::instrument::Definition;
use jiff::civil::Date;

/// A session on the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionMark {
    /// Its date.
    pub date: Date,
    /// Whether it took place (else it is booked or planned).
    pub completed: bool,
}

/// What the chart is drawn from.
#[derive(Debug, Clone)]
pub struct TrajectoryInput<'a> {
    /// The instrument whose totals are drawn (its total range and bands).
    pub definition: &'a Definition,
    /// Totals by date, in date order.
    pub scores: Vec<(Date, u16)>,
    /// The baseline total, if there is one.
    pub baseline: Option<u16>,
    /// A fall of at least this percentage from baseline is a response.
    pub response_percent: u8,
    /// The remission cut: a total at or below it is remission.
    pub remission_at_most: Option<u16>,
    /// Sessions, completed and planned.
    pub sessions: Vec<SessionMark>,
    /// Recorded decisions: date and a short label.
    pub decisions: Vec<(Date, String)>,
}

/// A shaded severity band.
#[derive(Debug, Clone, PartialEq)]
pub struct BandArea {
    /// Top edge.
    pub y: String,
    /// Height.
    pub height: String,
    /// Where its label's baseline sits.
    pub label_y: String,
    /// The band's label, e.g. "Moderate (10-14)".
    pub label: String,
    /// Its fill colour.
    pub fill: &'static str,
}

/// A dashed reference line (baseline, response, remission).
#[derive(Debug, Clone, PartialEq)]
pub struct RefLine {
    /// Which line: `baseline`, `response` or `remission` (a CSS-free class for tests).
    pub kind: &'static str,
    /// Its height.
    pub y: String,
    /// Where its label's baseline sits.
    pub label_y: String,
    /// The label, e.g. "Response (50%): 9".
    pub label: String,
    /// The dash pattern (each line has its own, so they differ without colour).
    pub dash: &'static str,
}

/// A score point.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorePoint {
    /// Centre x.
    pub x: String,
    /// Centre y.
    pub y: String,
    /// The total.
    pub total: u16,
    /// The tooltip, e.g. "2026-03-02: 18 (Moderately severe)".
    pub title: String,
}

/// A session mark on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionTick {
    /// Centre x.
    pub x: String,
    /// Left edge of a completed session's square.
    pub square_x: String,
    /// Whether it took place (a filled square) or is planned (an open circle).
    pub completed: bool,
    /// The tooltip.
    pub title: String,
}

/// A decision marker: a vertical line with a label.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionMark {
    /// Its x.
    pub x: String,
    /// Its label's baseline.
    pub label_y: String,
    /// The label.
    pub label: String,
    /// The tooltip.
    pub title: String,
}

/// A labelled axis tick.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisTick {
    /// Position along the axis (x for dates, y for scores).
    pub at: String,
    /// Where its label's baseline sits (dates) or the label's y (scores).
    pub label_at: String,
    /// The label.
    pub label: String,
}

/// The chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The `<title>`.
    pub title: String,
    /// The `<desc>`: the trend in words.
    pub desc: String,
    /// The `viewBox`.
    pub view_box: String,
    /// Plot area edges.
    pub left: String,
    /// Right edge of the plot.
    pub right: String,
    /// Top edge of the plot.
    pub top: String,
    /// Bottom edge of the plot.
    pub bottom: String,
    /// Plot width.
    pub plot_width: String,
    /// Where band labels start (right of the plot).
    pub label_x: String,
    /// Where reference-line labels end (inside the plot, right-aligned).
    pub line_label_x: String,
    /// Severity bands.
    pub bands: Vec<BandArea>,
    /// Baseline, response and remission lines.
    pub lines: Vec<RefLine>,
    /// The line through the scores (`points` attribute of a polyline).
    pub path: String,
    /// The scores.
    pub points: Vec<ScorePoint>,
    /// Sessions.
    pub sessions: Vec<SessionTick>,
    /// The y of the session marks.
    pub session_y: String,
    /// Top of a completed session's square.
    pub session_square_y: String,
    /// Decisions.
    pub decisions: Vec<DecisionMark>,
    /// Date labels.
    pub x_ticks: Vec<AxisTick>,
    /// Score labels.
    pub y_ticks: Vec<AxisTick>,
    /// The y of the date labels.
    pub x_label_y: String,
}
