//! Properties over random answer lists: totals stay in range and match the published rule,
//! raising an item never lowers a total, and every invalid list is rejected.

use super::{SHAPES, TOTALS};
use cadence_clinical::instrument::{AnswerError, InstrumentId, ScoringConfig, score};
use proptest::prelude::*;
use proptest::sample::select;

/// The instruments with a total (every one but the C-SSRS).
fn with_total() -> impl Strategy<Value = (InstrumentId, usize, u8)> {
    select(SHAPES[..8].to_vec())
}

/// A valid, complete answer list for an instrument with a total (the PHQ-9 sometimes with its
/// difficulty item).
fn valid_answers() -> impl Strategy<Value = (InstrumentId, Vec<u8>)> {
    with_total().prop_flat_map(|(id, n, max)| {
        let len = if id == InstrumentId::Phq9 {
            n..=n + 1
        } else {
            n..=n
        };
        (Just(id), prop::collection::vec(0..=max, len))
    })
}

/// The published total, computed here from issue 2's table.
fn issue_total(id: InstrumentId, a: &[u8]) -> u16 {
    let v = |i: usize| u16::from(a[i - 1]);
    let max = |items: &[usize]| items.iter().map(|&i| v(i)).max().unwrap();
    match id {
        InstrumentId::Phq9 => (1..=9).map(v).sum(),
        InstrumentId::QidsSr16 => {
            max(&[1, 2, 3, 4])
                + v(5)
                + max(&[6, 7, 8, 9])
                + (10..=14).map(v).sum::<u16>()
                + max(&[15, 16])
        }
        _ => a.iter().map(|&x| u16::from(x)).sum(),
    }
}

fn max_total(id: InstrumentId) -> u16 {
    TOTALS.iter().find(|(t, _)| *t == id).unwrap().1
}

fn total(id: InstrumentId, answers: &[u8]) -> u16 {
    let answers: Vec<_> = answers.iter().copied().map(Some).collect();
    score(id, &answers, &ScoringConfig::default())
        .unwrap()
        .total
        .unwrap()
}

proptest! {
    #[test]
    fn totals_are_in_range_and_follow_the_published_rule((id, answers) in valid_answers()) {
        let t = total(id, &answers);
        prop_assert!(t <= max_total(id), "{} {:?} -> {}", id, answers, t);
        prop_assert_eq!(t, issue_total(id, &answers));
    }

    #[test]
    fn qids_domains_never_exceed_3(answers in prop::collection::vec(0..=3_u8, 16)) {
        let answers: Vec<_> = answers.into_iter().map(Some).collect();
        let s = score(InstrumentId::QidsSr16, &answers, &ScoringConfig::default()).unwrap();
        prop_assert_eq!(s.subscales.len(), 9);
        prop_assert!(s.subscales.values().all(|&d| d <= 3));
        prop_assert_eq!(s.total, Some(s.subscales.values().sum::<u16>()));
    }

    #[test]
    fn raising_one_item_never_lowers_the_total(
        (id, answers, item, raise) in valid_answers().prop_flat_map(|(id, answers)| {
            let len = answers.len();
            (Just(id), Just(answers), 0..len, 1..=8_u8)
        })
    ) {
        let (_, _, max) = SHAPES.iter().copied().find(|(s, ..)| *s == id).unwrap();
        let mut raised = answers.clone();
        raised[item] = raised[item].saturating_add(raise).min(max);
        prop_assert!(total(id, &raised) >= total(id, &answers));
    }

    #[test]
    fn a_wrong_length_is_always_rejected(
        (id, n, _) in select(SHAPES.to_vec()),
        len in 0..40_usize,
    ) {
        let allowed = len == n || (id == InstrumentId::Phq9 && len == 10);
        prop_assume!(!allowed);
        let err = score(id, &vec![Some(0); len], &ScoringConfig::default()).unwrap_err();
        let is_wrong_count = matches!(err, AnswerError::WrongCount { got, .. } if got == len);
        prop_assert!(is_wrong_count, "{:?}", err);
    }

    #[test]
    fn one_value_out_of_range_is_always_rejected(
        ((id, answers), item, bad) in valid_answers().prop_flat_map(|(id, answers)| {
            let len = answers.len();
            ((Just(id), Just(answers)), 0..len, any::<u8>())
        })
    ) {
        let def = id.definition();
        prop_assume!(bad > def.item_max);
        let mut answers: Vec<_> = answers.into_iter().map(Some).collect();
        answers[item] = Some(bad);
        let err = score(id, &answers, &ScoringConfig::default()).unwrap_err();
        prop_assert_eq!(
            err,
            AnswerError::OutOfRange { item: def.items[item].key, value: bad, min: 0, max: def.item_max }
        );
    }

    #[test]
    fn one_blank_required_item_is_always_rejected(
        ((id, answers), item) in valid_answers().prop_flat_map(|(id, answers)| {
            let len = answers.len();
            ((Just(id), Just(answers)), 0..len)
        })
    ) {
        let def = id.definition();
        // The PHQ-9 difficulty item may be left blank.
        prop_assume!(!(id == InstrumentId::Phq9 && item == 9));
        let mut answers: Vec<_> = answers.into_iter().map(Some).collect();
        answers[item] = None;
        let err = score(id, &answers, &ScoringConfig::default()).unwrap_err();
        prop_assert_eq!(
            err,
            AnswerError::Missing { item: def.items[item].key, min: 0, max: def.item_max }
        );
    }

    #[test]
    fn cssrs_any_out_of_range_or_off_flow_list_is_rejected(
        answers in prop::collection::vec(prop::option::of(0..=3_u8), 7)
    ) {
        // Valid exactly when every answer is 0/1 and the flow is followed.
        let yes = |i: usize| answers[i] == Some(1);
        let asked = [true, true, yes(1), yes(1), yes(1), true, yes(5)];
        let valid = answers.iter().zip(asked).all(|(a, asked)| match a {
            Some(v) => asked && *v <= 1,
            None => !asked,
        });
        let result = score(InstrumentId::CssrsScreen, &answers, &ScoringConfig::default());
        prop_assert_eq!(result.is_ok(), valid, "{:?} -> {:?}", answers, result);
    }
}
