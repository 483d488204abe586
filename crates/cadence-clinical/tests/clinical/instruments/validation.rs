//! Invalid answer lists: wrong counts, values out of range, missing items and answers to items
//! the C-SSRS flow skips. Each error names the item and what is allowed; nothing is guessed.

use super::{SHAPES, some};
use cadence_clinical::instrument::{AnswerError, InstrumentId, ScoringConfig, score};

fn error(instrument: InstrumentId, answers: &[Option<u8>]) -> AnswerError {
    score(instrument, answers, &ScoringConfig::default()).unwrap_err()
}

#[test]
fn wrong_counts_name_the_instrument_and_the_count_allowed() {
    for (id, n, _) in SHAPES {
        for got in [0, n - 1, n + 2] {
            let e = error(id, &vec![Some(0); got]);
            let expected = if id == InstrumentId::Phq9 {
                format!("{id} takes 9 or 10 answers, got {got}")
            } else {
                format!("{id} takes {n} answers, got {got}")
            };
            assert_eq!(e.to_string(), expected);
        }
        if id != InstrumentId::Phq9 {
            let e = error(id, &vec![Some(0); n + 1]);
            assert_eq!(
                e.to_string(),
                format!("{id} takes {n} answers, got {}", n + 1)
            );
        }
    }
    assert_eq!(
        error(InstrumentId::Phq9, &[Some(0); 8]).to_string(),
        "phq9 takes 9 or 10 answers, got 8"
    );
    assert_eq!(
        error(InstrumentId::Phq9, &[Some(0); 11]).to_string(),
        "phq9 takes 9 or 10 answers, got 11"
    );
}

#[test]
fn a_value_out_of_range_names_the_item_and_the_range() {
    for (id, n, max) in SHAPES {
        for item in 1..=n {
            // All "no" answers are a valid C-SSRS flow once q3-q5 and q6a are skipped.
            let mut answers = valid_zeros(id, n);
            answers[item - 1] = Some(max + 1);
            let key = id.definition().items[item - 1].key;
            let e = error(id, &answers);
            assert_eq!(
                e,
                AnswerError::OutOfRange {
                    item: key,
                    value: max + 1,
                    min: 0,
                    max
                },
                "{id}"
            );
            assert_eq!(
                e.to_string(),
                format!("{key}: {} is out of range; allowed 0-{max}", max + 1)
            );
        }
    }
    assert_eq!(
        error(InstrumentId::Phq9, &some(&[0, 0, 0, 4, 0, 0, 0, 0, 0])).to_string(),
        "item4: 4 is out of range; allowed 0-3"
    );
    assert_eq!(
        error(InstrumentId::Madrs, &some(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 7])).to_string(),
        "item10: 7 is out of range; allowed 0-6"
    );
    // The unscored PHQ-9 difficulty item is still range-checked.
    assert_eq!(
        error(InstrumentId::Phq9, &some(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 4])).to_string(),
        "item10: 4 is out of range; allowed 0-3"
    );
    assert_eq!(
        error(
            InstrumentId::CssrsScreen,
            &[Some(2), Some(0), None, None, None, Some(0), None]
        )
        .to_string(),
        "q1: 2 is out of range; allowed 0-1"
    );
}

/// A valid list of zeros (for the C-SSRS, "no" with the skipped items blank).
fn valid_zeros(id: InstrumentId, n: usize) -> Vec<Option<u8>> {
    if id == InstrumentId::CssrsScreen {
        vec![Some(0), Some(0), None, None, None, Some(0), None]
    } else {
        vec![Some(0); n]
    }
}

#[test]
fn a_blank_required_item_is_missing_never_pro_rated() {
    for (id, n, max) in SHAPES {
        if id == InstrumentId::CssrsScreen {
            continue;
        }
        for item in 1..=n {
            let mut answers = vec![Some(1); n];
            answers[item - 1] = None;
            let key = id.definition().items[item - 1].key;
            let e = error(id, &answers);
            assert_eq!(
                e,
                AnswerError::Missing {
                    item: key,
                    min: 0,
                    max
                },
                "{id}"
            );
            assert_eq!(
                e.to_string(),
                format!("{key} is required; answer it with a value 0-{max}")
            );
        }
    }
}

#[test]
fn cssrs_items_the_flow_asks_are_required() {
    let (y, n, skip) = (Some(1), Some(0), None);
    let cases: &[([Option<u8>; 7], &str)] = &[
        ([skip, n, skip, skip, skip, n, skip], "q1"),
        ([n, skip, skip, skip, skip, n, skip], "q2"),
        ([n, n, skip, skip, skip, skip, skip], "q6"),
        // q2 yes asks q3, q4 and q5.
        ([n, y, skip, n, n, n, skip], "q3"),
        ([n, y, n, skip, n, n, skip], "q4"),
        ([n, y, n, n, skip, n, skip], "q5"),
        // q6 yes asks q6a.
        ([n, n, skip, skip, skip, y, skip], "q6a"),
    ];
    for (answers, item) in cases {
        let e = error(InstrumentId::CssrsScreen, answers);
        assert_eq!(
            e,
            AnswerError::Missing {
                item,
                min: 0,
                max: 1
            }
        );
        assert_eq!(
            e.to_string(),
            format!("{item} is required; answer it with a value 0-1")
        );
    }
}

#[test]
fn cssrs_answers_to_skipped_items_are_refused() {
    let (y, n, skip) = (Some(1), Some(0), None);
    // Any answer, yes or no, to an item the flow skips.
    let cases: &[([Option<u8>; 7], &str, &str)] = &[
        ([n, n, n, skip, skip, n, skip], "q3", "q2"),
        ([n, n, skip, y, skip, n, skip], "q4", "q2"),
        ([y, n, skip, skip, n, n, skip], "q5", "q2"),
        ([n, n, skip, skip, skip, n, n], "q6a", "q6"),
        ([n, y, n, n, n, n, y], "q6a", "q6"),
    ];
    for (answers, item, depends_on) in cases {
        let e = error(InstrumentId::CssrsScreen, answers);
        assert_eq!(e, AnswerError::NotAsked { item, depends_on });
        assert_eq!(
            e.to_string(),
            format!("{item} is not asked when {depends_on} is no; leave it blank (`-`)")
        );
    }
}
