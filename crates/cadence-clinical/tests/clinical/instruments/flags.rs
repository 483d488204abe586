//! Flags, critical items, QIDS-SR16 domains, the PCL-5 cluster rule and the C-SSRS ladder.

use super::{scored, with_items};
use cadence_clinical::instrument::{CssrsRisk, Flag, InstrumentId, ScoringConfig, score};

#[test]
fn phq9_item9_above_zero_flags_suicide_risk_whatever_the_total() {
    let none = scored(InstrumentId::Phq9, &with_items(9, &[(1, 3), (2, 3)]));
    assert!(none.flags.is_empty());
    assert!(none.critical_items.is_empty());
    for value in 1..=3 {
        // Item 9 alone: a minimal total, and still the flag.
        let s = scored(InstrumentId::Phq9, &with_items(9, &[(9, value)]));
        assert_eq!(s.total, Some(u16::from(value)));
        assert_eq!(s.band, Some("minimal"));
        assert_eq!(s.critical_items, [9]);
        assert_eq!(s.flags, [Flag::SuicideRisk]);
    }
}

#[test]
fn phq9_difficulty_item_is_accepted_but_never_scored_or_flagged() {
    let nine = scored(InstrumentId::Phq9, &[1, 1, 1, 1, 1, 1, 1, 1, 0]);
    for difficulty in 0..=3 {
        let mut ten = vec![1, 1, 1, 1, 1, 1, 1, 1, 0];
        ten.push(difficulty);
        let s = scored(InstrumentId::Phq9, &ten);
        assert_eq!(s, nine, "difficulty {difficulty}");
    }
    // Left blank.
    let mut blank: Vec<Option<u8>> = vec![Some(1); 8];
    blank.extend([Some(0), None]);
    let s = score(InstrumentId::Phq9, &blank, &ScoringConfig::default()).unwrap();
    assert_eq!(s, nine);
}

#[test]
fn qids_item12_above_zero_flags_suicide_risk() {
    // Every item at 3 includes item 12.
    assert_eq!(
        scored(InstrumentId::QidsSr16, &[3; 16]).critical_items,
        [12]
    );
    let quiet = scored(InstrumentId::QidsSr16, &with_items(16, &[(5, 3), (14, 3)]));
    assert!(quiet.flags.is_empty());
    for value in 1..=3 {
        let s = scored(InstrumentId::QidsSr16, &with_items(16, &[(12, value)]));
        assert_eq!(s.critical_items, [12]);
        assert_eq!(s.flags, [Flag::SuicideRisk]);
    }
}

#[test]
fn qids_domains_take_the_maximum_of_their_items() {
    // (items set, domain, domain score, total)
    type Case = (&'static [(usize, u8)], &'static str, u16, u16);
    let cases: &[Case] = &[
        (&[(1, 1), (2, 3), (3, 2), (4, 1)], "sleep", 3, 3),
        (&[(1, 2), (4, 2)], "sleep", 2, 2),
        (&[(5, 2)], "sad_mood", 2, 2),
        // Appetite and weight: four items rated 3 are one domain of 3, never 12.
        (&[(6, 3), (7, 3), (8, 3), (9, 3)], "appetite_weight", 3, 3),
        (&[(6, 1), (9, 2)], "appetite_weight", 2, 2),
        (&[(10, 3)], "concentration", 3, 3),
        (&[(11, 1)], "self_outlook", 1, 1),
        (&[(12, 2)], "suicidal_ideation", 2, 2),
        (&[(13, 3)], "interest", 3, 3),
        (&[(14, 2)], "energy", 2, 2),
        (&[(15, 1), (16, 3)], "psychomotor", 3, 3),
        (&[(15, 2), (16, 2)], "psychomotor", 2, 2),
    ];
    for &(set, domain, value, total) in cases {
        let s = scored(InstrumentId::QidsSr16, &with_items(16, set));
        assert_eq!(s.subscales.len(), 9, "{set:?}");
        assert_eq!(s.subscales[domain], value, "{set:?}");
        assert_eq!(s.total, Some(total), "{set:?}");
        let others: u16 = s
            .subscales
            .iter()
            .filter(|(id, _)| **id != domain)
            .map(|(_, v)| *v)
            .sum();
        assert_eq!(others, 0, "{set:?}");
    }
    let all = scored(InstrumentId::QidsSr16, &[3; 16]);
    assert_eq!(all.total, Some(27));
    assert!(all.subscales.values().all(|&v| v == 3));
}

#[test]
fn pcl5_probable_ptsd_at_the_configurable_cutoff() {
    let total = |t: u16| super::answers_for_total(InstrumentId::Pcl5, t);
    assert!(!scored(InstrumentId::Pcl5, &total(32)).has_flag(Flag::ProbablePtsd));
    assert_eq!(
        scored(InstrumentId::Pcl5, &total(33)).flags,
        [Flag::ProbablePtsd]
    );
    let config = ScoringConfig {
        pcl5_probable_cutoff: 31,
        ..ScoringConfig::default()
    };
    let at = |t: u16| score(InstrumentId::Pcl5, &super::some(&total(t)), &config).unwrap();
    assert!(!at(30).has_flag(Flag::ProbablePtsd));
    assert!(at(31).has_flag(Flag::ProbablePtsd));
}

#[test]
fn pcl5_cluster_subtotals() {
    let s = scored(
        InstrumentId::Pcl5,
        &with_items(
            20,
            &[
                (1, 1),
                (5, 4),
                (6, 2),
                (7, 3),
                (8, 1),
                (14, 4),
                (15, 2),
                (20, 3),
            ],
        ),
    );
    assert_eq!(s.subscales["B"], 5);
    assert_eq!(s.subscales["C"], 5);
    assert_eq!(s.subscales["D"], 5);
    assert_eq!(s.subscales["E"], 5);
    assert_eq!(s.subscales.len(), 4);
    assert_eq!(s.total, Some(20));
}

#[test]
fn pcl5_provisional_diagnosis_cluster_rule() {
    // The least that meets the rule, using each cluster's edge items: B 5, C 7, D 8 and 14,
    // E 15 and 20, all rated 2.
    let minimal = [(5, 2), (7, 2), (8, 2), (14, 2), (15, 2), (20, 2)];
    // (items set, provisional)
    let cases: Vec<(Vec<(usize, u8)>, bool)> = vec![
        (minimal.to_vec(), true),
        // Items from the other end of each cluster.
        (
            vec![(1, 4), (6, 4), (9, 3), (13, 2), (16, 2), (19, 3)],
            true,
        ),
        // A rating of 1 is not endorsed: each cluster in turn drops to 1.
        (
            vec![(5, 1), (7, 2), (8, 2), (14, 2), (15, 2), (20, 2)],
            false,
        ),
        (
            vec![(5, 2), (7, 1), (8, 2), (14, 2), (15, 2), (20, 2)],
            false,
        ),
        (
            vec![(5, 2), (7, 2), (8, 1), (14, 2), (15, 2), (20, 2)],
            false,
        ),
        (
            vec![(5, 2), (7, 2), (8, 2), (14, 2), (15, 2), (20, 1)],
            false,
        ),
        // Only one D or one E item endorsed.
        (vec![(5, 2), (7, 2), (8, 4), (15, 2), (20, 2)], false),
        (vec![(5, 2), (7, 2), (8, 2), (14, 2), (15, 4)], false),
        // Endorsements in the wrong cluster do not count: no C item, two extra B items.
        (
            vec![(1, 2), (5, 2), (8, 2), (14, 2), (15, 2), (20, 2)],
            false,
        ),
        // Item 6-7 both in C; with no B item the rule fails.
        (
            vec![(6, 2), (7, 2), (8, 2), (14, 2), (15, 2), (20, 2)],
            false,
        ),
        // Every item rated 1: a total of 20, no endorsement.
        ((1..=20).map(|i| (i, 1)).collect(), false),
        (vec![], false),
    ];
    for (set, provisional) in cases {
        let s = scored(InstrumentId::Pcl5, &with_items(20, &set));
        assert_eq!(s.provisional_ptsd, Some(provisional), "{set:?}");
        // The cluster rule raises no flag by itself.
        assert!(!s.has_flag(Flag::ProbablePtsd), "{set:?}");
    }
    // Other instruments have no provisional diagnosis.
    assert_eq!(scored(InstrumentId::Gad7, &[3; 7]).provisional_ptsd, None);
}

#[test]
fn cadss_dissociation_above_4() {
    let at = |t: u8| {
        scored(
            InstrumentId::Cadss,
            &with_items(23, &[(3, t.min(4)), (9, t.saturating_sub(4))]),
        )
    };
    assert!(at(4).flags.is_empty());
    assert_eq!(at(5).flags, [Flag::Dissociation]);
    assert!(at(0).flags.is_empty());
}

#[test]
fn moaas_sedation_at_3_or_below() {
    for level in 0..=5 {
        let s = scored(InstrumentId::Moaas, &[level]);
        assert_eq!(s.total, Some(u16::from(level)));
        assert_eq!(s.has_flag(Flag::Sedation), level <= 3, "level {level}");
        assert_eq!(s.flags.len(), usize::from(level <= 3), "level {level}");
    }
}

#[test]
fn gad7_wsas_madrs_raise_no_flag_by_default() {
    assert!(scored(InstrumentId::Gad7, &[3; 7]).flags.is_empty());
    assert!(scored(InstrumentId::Wsas, &[8; 5]).flags.is_empty());
    let madrs = scored(InstrumentId::Madrs, &[6; 10]);
    assert!(madrs.flags.is_empty());
    assert!(madrs.critical_items.is_empty());
    // A clinic may set a MADRS item 10 alert level (the reference gives none).
    let config = ScoringConfig {
        madrs_item10_alert: Some(4),
        ..ScoringConfig::default()
    };
    let at = |v: u8| {
        score(
            InstrumentId::Madrs,
            &super::some(&with_items(10, &[(10, v)])),
            &config,
        )
        .unwrap()
    };
    assert!(at(3).flags.is_empty());
    assert_eq!(at(4).flags, [Flag::SuicideRisk]);
    assert_eq!(at(4).critical_items, [10]);
}

/// Issue 2's C-SSRS ladder, written independently: answers are q1 q2 q3 q4 q5 q6 q6a.
fn issue_risk(a: &[Option<u8>; 7]) -> CssrsRisk {
    let yes = |i: usize| a[i] == Some(1);
    let no = |i: usize| a[i] == Some(0);
    if yes(3) || yes(4) || yes(6) {
        CssrsRisk::High
    } else if yes(2) || (yes(5) && no(6)) {
        CssrsRisk::Moderate
    } else if yes(0) || yes(1) {
        CssrsRisk::Low
    } else {
        CssrsRisk::None
    }
}

/// Every answer list the C-SSRS flow allows: 2 × (1 + 8) × (1 + 2) = 54.
fn every_cssrs_flow() -> Vec<[Option<u8>; 7]> {
    let mut all = Vec::new();
    for q1 in 0..=1 {
        for q2 in 0..=1 {
            let q345: Vec<[Option<u8>; 3]> = if q2 == 1 {
                (0..8)
                    .map(|b| [Some(b & 1), Some((b >> 1) & 1), Some((b >> 2) & 1)])
                    .collect()
            } else {
                vec![[None; 3]]
            };
            for [q3, q4, q5] in q345 {
                for q6 in 0..=1 {
                    let q6as = if q6 == 1 {
                        vec![Some(0), Some(1)]
                    } else {
                        vec![None]
                    };
                    for q6a in q6as {
                        all.push([Some(q1), Some(q2), q3, q4, q5, Some(q6), q6a]);
                    }
                }
            }
        }
    }
    all
}

#[test]
fn cssrs_full_ladder_over_every_allowed_flow() {
    let flows = every_cssrs_flow();
    assert_eq!(flows.len(), 54);
    let mut seen = std::collections::BTreeSet::new();
    for answers in flows {
        let s = score(
            InstrumentId::CssrsScreen,
            &answers,
            &ScoringConfig::default(),
        )
        .unwrap();
        let risk = issue_risk(&answers);
        seen.insert(risk);
        assert_eq!(s.risk, Some(risk), "{answers:?}");
        assert_eq!(
            s.has_flag(Flag::SuicideRisk),
            matches!(risk, CssrsRisk::Moderate | CssrsRisk::High),
            "{answers:?}"
        );
        assert_eq!((s.total, s.max, s.band), (None, None, None), "{answers:?}");
    }
    assert_eq!(seen.len(), 4, "every category is reached");
}

#[test]
fn cssrs_named_rungs() {
    let risk = |a: [Option<u8>; 7]| {
        score(InstrumentId::CssrsScreen, &a, &ScoringConfig::default())
            .unwrap()
            .risk
            .unwrap()
    };
    let (y, n, skip) = (Some(1), Some(0), None);
    assert_eq!(risk([n, n, skip, skip, skip, n, skip]), CssrsRisk::None);
    assert_eq!(risk([y, n, skip, skip, skip, n, skip]), CssrsRisk::Low);
    assert_eq!(risk([n, y, n, n, n, n, skip]), CssrsRisk::Low);
    assert_eq!(risk([y, y, y, n, n, n, skip]), CssrsRisk::Moderate);
    // Behaviour, but not in the past 3 months.
    assert_eq!(risk([n, n, skip, skip, skip, y, n]), CssrsRisk::Moderate);
    assert_eq!(risk([y, y, n, y, n, n, skip]), CssrsRisk::High);
    assert_eq!(risk([y, y, n, n, y, n, skip]), CssrsRisk::High);
    // Behaviour within 3 months, with no ideation at all.
    assert_eq!(risk([n, n, skip, skip, skip, y, y]), CssrsRisk::High);
    // Yes answers are never summed: q1, q2, q3 and q6 yes is still moderate.
    assert_eq!(risk([y, y, y, n, n, y, n]), CssrsRisk::Moderate);
}
