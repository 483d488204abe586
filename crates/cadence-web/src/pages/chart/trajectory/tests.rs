//! Unit tests of the trajectory geometry.

use super::*;
use cadence_clinical::instrument::InstrumentId;
use jiff::civil::date;

fn input() -> TrajectoryInput<'static> {
    TrajectoryInput {
        definition: InstrumentId::Phq9.definition(),
        scores: vec![(date(2026, 3, 2), 18), (date(2026, 3, 20), 9)],
        baseline: Some(18),
        response_percent: 50,
        remission_at_most: Some(4),
        sessions: vec![
            SessionMark {
                date: date(2026, 3, 3),
                completed: true,
            },
            SessionMark {
                date: date(2026, 3, 24),
                completed: false,
            },
        ],
        decisions: vec![(date(2026, 3, 20), "start maintenance".into())],
    }
}

#[test]
fn every_band_is_shaded_and_labelled() {
    let t = trajectory(&input());
    let labels: Vec<&str> = t.bands.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "None or minimal (0-4)",
            "Mild (5-9)",
            "Moderate (10-14)",
            "Moderately severe (15-19)",
            "Severe (20-27)"
        ]
    );
    // Bands stack from the top of the plot (severe) to the bottom (minimal), without gaps.
    let severe = &t.bands[4];
    assert_eq!(severe.y, t.top);
    let minimal = &t.bands[0];
    let end: f64 = minimal.y.parse::<f64>().unwrap() + minimal.height.parse::<f64>().unwrap();
    assert!((end - t.bottom.parse::<f64>().unwrap()).abs() < 0.2);
}

#[test]
fn baseline_response_and_remission_lines() {
    let t = trajectory(&input());
    let kinds: Vec<&str> = t.lines.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, ["baseline", "response", "remission"]);
    assert_eq!(t.lines[1].label, "Response (50% fall): 9");
    assert_eq!(t.lines[2].label, "Remission: 4 or less");
    // Response (9) sits below baseline (18): a larger y.
    let y = |i: usize| t.lines[i].y.parse::<f64>().unwrap();
    assert!(y(1) > y(0) && y(2) > y(1));
    // A point at the response value is drawn on the response line.
    assert_eq!(t.points[1].y, t.lines[1].y);
}

#[test]
fn points_run_left_to_right_with_titles() {
    let t = trajectory(&input());
    assert_eq!(t.points.len(), 2);
    let x = |i: usize| t.points[i].x.parse::<f64>().unwrap();
    assert!(x(0) < x(1));
    assert_eq!(
        t.points[0].title,
        "2026-03-02: PHQ-9 18 (Moderately severe)"
    );
    assert_eq!(t.points[1].total, 9);
    assert!(t.path.contains(' '));
}

#[test]
fn sessions_differ_by_shape_and_decisions_are_labelled() {
    let t = trajectory(&input());
    assert!(t.sessions[0].completed && !t.sessions[1].completed);
    assert_eq!(t.sessions[1].title, "2026-03-24: session planned");
    assert_eq!(t.decisions[0].label, "start maintenance");
    assert_eq!(t.decisions[0].x, t.points[1].x);
}

#[test]
fn the_description_tells_the_trend() {
    let t = trajectory(&input());
    assert_eq!(t.title, "PHQ-9 over time");
    assert!(t.desc.starts_with(
        "PHQ-9 went from 18 (moderately severe) on 2026-03-02 to 9 (mild) on 2026-03-20: \
         down 9 points over 2 scores."
    ));
    assert!(t.desc.contains("50% below the baseline of 18"));
    assert!(t.desc.contains("1 completed, 1 planned"));
}

#[test]
fn no_scores_still_draws_and_says_so() {
    let mut i = input();
    i.scores.clear();
    i.baseline = None;
    let t = trajectory(&i);
    assert!(t.points.is_empty() && t.path.is_empty());
    assert!(t.desc.starts_with("No PHQ-9 scores yet."));
    assert_eq!(t.lines.len(), 1);
    assert_eq!(t.bands.len(), 5);
}

#[test]
fn no_data_at_all_does_not_divide_by_zero() {
    let i = TrajectoryInput {
        definition: InstrumentId::Gad7.definition(),
        scores: vec![],
        baseline: None,
        response_percent: 50,
        remission_at_most: None,
        sessions: vec![],
        decisions: vec![],
    };
    let t = trajectory(&i);
    assert!(t.x_ticks.is_empty());
    assert_eq!(t.y_ticks.first().map(|t| t.label.as_str()), Some("0"));
    assert_eq!(t.y_ticks.last().map(|t| t.label.as_str()), Some("21"));
}

#[test]
fn close_reference_labels_are_spread() {
    let mut i = input();
    i.baseline = Some(8);
    let t = trajectory(&i);
    let ys: Vec<f64> = t.lines.iter().map(|l| l.label_y.parse().unwrap()).collect();
    for (a, b) in ys.iter().zip(ys.iter().skip(1)) {
        assert!((a - b).abs() >= 12.0, "{ys:?}");
    }
}
