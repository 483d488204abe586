//! Every severity band boundary of every instrument, both sides of each cut, as issue 2's
//! table gives them; and a sweep of every possible total against the same table.

use super::{TOTALS, answers_for_total, scored};
use cadence_clinical::instrument::InstrumentId;

/// Issue 2's bands: `(lowest total, band id)`, each band running to the next one's lowest total.
/// Instruments without bands (PCL-5, CADSS) have none.
fn issue_bands(instrument: InstrumentId) -> &'static [(u16, &'static str)] {
    match instrument {
        InstrumentId::Phq9 => &[
            (0, "minimal"),
            (5, "mild"),
            (10, "moderate"),
            (15, "moderately_severe"),
            (20, "severe"),
        ],
        InstrumentId::Gad7 => &[
            (0, "minimal"),
            (5, "mild"),
            (10, "moderate"),
            (15, "severe"),
        ],
        InstrumentId::QidsSr16 => &[
            (0, "none"),
            (6, "mild"),
            (11, "moderate"),
            (16, "severe"),
            (21, "very_severe"),
        ],
        InstrumentId::Madrs => &[(0, "normal"), (7, "mild"), (20, "moderate"), (35, "severe")],
        InstrumentId::Wsas => &[
            (0, "subclinical"),
            (10, "significant"),
            (21, "moderately_severe"),
        ],
        InstrumentId::Moaas => &[(0, "moderate_or_deeper"), (4, "mild"), (5, "none")],
        InstrumentId::Pcl5 | InstrumentId::Cadss | InstrumentId::CssrsScreen => &[],
    }
}

/// The band issue 2 gives a total.
fn expected_band(instrument: InstrumentId, total: u16) -> Option<&'static str> {
    issue_bands(instrument)
        .iter()
        .rev()
        .find(|(min, _)| *min <= total)
        .map(|(_, id)| *id)
}

/// Both sides of every cut, written out: (instrument, total, band).
const BOUNDARIES: &[(InstrumentId, u16, Option<&str>)] = &[
    (InstrumentId::Phq9, 0, Some("minimal")),
    (InstrumentId::Phq9, 4, Some("minimal")),
    (InstrumentId::Phq9, 5, Some("mild")),
    (InstrumentId::Phq9, 9, Some("mild")),
    (InstrumentId::Phq9, 10, Some("moderate")),
    (InstrumentId::Phq9, 14, Some("moderate")),
    (InstrumentId::Phq9, 15, Some("moderately_severe")),
    (InstrumentId::Phq9, 19, Some("moderately_severe")),
    (InstrumentId::Phq9, 20, Some("severe")),
    (InstrumentId::Phq9, 27, Some("severe")),
    (InstrumentId::Gad7, 0, Some("minimal")),
    (InstrumentId::Gad7, 4, Some("minimal")),
    (InstrumentId::Gad7, 5, Some("mild")),
    (InstrumentId::Gad7, 9, Some("mild")),
    (InstrumentId::Gad7, 10, Some("moderate")),
    (InstrumentId::Gad7, 14, Some("moderate")),
    (InstrumentId::Gad7, 15, Some("severe")),
    (InstrumentId::Gad7, 21, Some("severe")),
    (InstrumentId::QidsSr16, 0, Some("none")),
    (InstrumentId::QidsSr16, 5, Some("none")),
    (InstrumentId::QidsSr16, 6, Some("mild")),
    (InstrumentId::QidsSr16, 10, Some("mild")),
    (InstrumentId::QidsSr16, 11, Some("moderate")),
    (InstrumentId::QidsSr16, 15, Some("moderate")),
    (InstrumentId::QidsSr16, 16, Some("severe")),
    (InstrumentId::QidsSr16, 20, Some("severe")),
    (InstrumentId::QidsSr16, 21, Some("very_severe")),
    (InstrumentId::QidsSr16, 27, Some("very_severe")),
    (InstrumentId::Pcl5, 0, None),
    (InstrumentId::Pcl5, 33, None),
    (InstrumentId::Pcl5, 80, None),
    (InstrumentId::Madrs, 0, Some("normal")),
    (InstrumentId::Madrs, 6, Some("normal")),
    (InstrumentId::Madrs, 7, Some("mild")),
    (InstrumentId::Madrs, 19, Some("mild")),
    (InstrumentId::Madrs, 20, Some("moderate")),
    (InstrumentId::Madrs, 34, Some("moderate")),
    (InstrumentId::Madrs, 35, Some("severe")),
    (InstrumentId::Madrs, 60, Some("severe")),
    (InstrumentId::Wsas, 0, Some("subclinical")),
    (InstrumentId::Wsas, 9, Some("subclinical")),
    (InstrumentId::Wsas, 10, Some("significant")),
    (InstrumentId::Wsas, 20, Some("significant")),
    (InstrumentId::Wsas, 21, Some("moderately_severe")),
    (InstrumentId::Wsas, 40, Some("moderately_severe")),
    (InstrumentId::Cadss, 0, None),
    (InstrumentId::Cadss, 4, None),
    (InstrumentId::Cadss, 5, None),
    (InstrumentId::Cadss, 92, None),
    (InstrumentId::Moaas, 0, Some("moderate_or_deeper")),
    (InstrumentId::Moaas, 3, Some("moderate_or_deeper")),
    (InstrumentId::Moaas, 4, Some("mild")),
    (InstrumentId::Moaas, 5, Some("none")),
];

#[test]
fn both_sides_of_every_cut() {
    for &(instrument, total, band) in BOUNDARIES {
        let s = scored(instrument, &answers_for_total(instrument, total));
        assert_eq!(s.total, Some(total), "{instrument} total");
        assert_eq!(s.band, band, "{instrument} total {total}");
    }
}

#[test]
fn every_cut_of_the_issue_table_is_in_the_boundary_list() {
    // Guards the hand-written list above against a missing row: each band's lowest total and the
    // total just below it (the other side of the cut) are both listed.
    for (instrument, _) in TOTALS {
        for (min, _) in issue_bands(instrument) {
            let listed = |t: u16| {
                BOUNDARIES
                    .iter()
                    .any(|&(id, total, _)| id == instrument && total == t)
            };
            assert!(listed(*min), "{instrument} {min}");
            if *min > 0 {
                assert!(listed(min - 1), "{instrument} {}", min - 1);
            }
        }
    }
}

#[test]
fn every_possible_total_gets_the_issue_band() {
    for (instrument, max) in TOTALS {
        for total in 0..=max {
            let s = scored(instrument, &answers_for_total(instrument, total));
            assert_eq!(s.total, Some(total), "{instrument}");
            assert_eq!(s.max, Some(max), "{instrument}");
            assert_eq!(
                s.band,
                expected_band(instrument, total),
                "{instrument} total {total}"
            );
        }
    }
}

#[test]
fn the_json_band_is_null_without_bands() {
    for instrument in [InstrumentId::Pcl5, InstrumentId::Cadss] {
        let json =
            serde_json::to_value(scored(instrument, &answers_for_total(instrument, 40))).unwrap();
        assert_eq!(json["band"], serde_json::Value::Null, "{instrument}");
        assert_eq!(json["total"], 40, "{instrument}");
    }
}
