//! Properties of `review` over random histories: a safety hold exactly when an unreviewed
//! finding exists (checked against an independent oracle), every other suggestion only in the
//! phase it belongs to, and anything recorded after `today` refused (issue 14, rule 9: it used
//! to be ignored). The random history strategy is shared with the forecast properties.

use super::*;
use cadence_clinical::course::CoursePhase;
use proptest::prelude::*;

/// A random course on a random built-in protocol (`true` = esketamine): a baseline PHQ-9 on
/// BASELINE_DAY, up to 30 sessions from START with random gaps, statuses, pre-dose blood
/// pressures and discharge MOAA/S, up to 20 PHQ-9s (item 9 sometimes endorsed) and 3 C-SSRS
/// screens, up to 8 decisions of any kind, and `today` from BASELINE_DAY to about 11 months on.
pub(crate) fn random_course() -> impl Strategy<Value = (bool, CourseHistory, Date)> {
    let session = (
        1i64..=14,
        0u8..8,
        proptest::option::weighted(0.15, (120u16..=150, 70u16..=95)),
        proptest::option::weighted(0.1, 3u8..=5),
    );
    let phq9 = (0i64..=300, 0u8..=24, 0u8..12);
    (
        any::<bool>(),
        0u8..=24,
        proptest::collection::vec(session, 0..30),
        proptest::collection::vec(phq9, 0..20),
        proptest::collection::vec((0i64..=300, 0usize..4), 0..3),
        proptest::collection::vec((0i64..=300, 0usize..Decision::ALL.len()), 0..8),
        -3i64..=330,
    )
        .prop_map(
            |(esk, baseline, sessions, phq9s, screens, decisions, today)| {
                let mut course = Course::baseline(baseline);
                let mut day = START;
                for (gap, status, bp, moaas) in sessions {
                    let status = match status {
                        0 => SessionStatus::Cancelled,
                        1 => SessionStatus::NoShow,
                        _ => SessionStatus::Completed,
                    };
                    course = course.record(day, status, bp, moaas);
                    day = plus(day, gap);
                }
                for (offset, total, selector) in phq9s {
                    let item9 = u8::from(selector == 0 && total > 0);
                    course = course.assess(
                        plus(START, offset),
                        InstrumentId::Phq9,
                        phq9_with_item9(total, item9),
                    );
                }
                for (offset, risk) in screens {
                    let risk = ["none", "low", "moderate", "high"][risk];
                    course =
                        course.assess(plus(START, offset), InstrumentId::CssrsScreen, cssrs(risk));
                }
                for (offset, d) in decisions {
                    course = course.decide(plus(START, offset), Decision::ALL[d]);
                }
                (esk, course.0, plus(START, today))
            },
        )
}

/// The protocol the strategy chose.
pub(crate) fn protocol_for(esk: bool) -> Protocol {
    if esk { super::esk() } else { iv() }
}

/// The history without anything recorded after `today`: what the snapshot accepts (rule 9).
pub(crate) fn up_to(history: &CourseHistory, today: Date) -> CourseHistory {
    CourseHistory {
        findings: history.findings.clone(),
        start_date: history.start_date,
        sessions: history
            .sessions
            .iter()
            .filter(|s| s.date <= today)
            .cloned()
            .collect(),
        assessments: history
            .assessments
            .iter()
            .filter(|a| a.date <= today)
            .cloned()
            .collect(),
        decisions: history
            .decisions
            .iter()
            .filter(|d| d.date <= today)
            .cloned()
            .collect(),
    }
}

/// The oracle: is there a safety finding on or before `today` and after the last decision?
/// Written from the protocol files' numbers (both built-ins: BP above 140/90, MOAA/S below 5,
/// PHQ-9 item 9 > 0, C-SSRS moderate or high), not from the engine's code.
fn unreviewed_finding(history: &CourseHistory, today: Date) -> bool {
    // A finding is reviewed by a decision recorded on a later day, on or before today (with
    // dates alone a same-day decision may have come first).
    let open = |d: Date| {
        d <= today
            && !history
                .decisions
                .iter()
                .any(|x| x.date > d && x.date <= today)
    };
    let session = history.sessions.iter().filter(|s| open(s.date)).any(|s| {
        s.bp_pre
            .is_some_and(|bp| bp.systolic > 140 || bp.diastolic > 90)
    });
    let assessment = history
        .assessments
        .iter()
        .filter(|a| open(a.date))
        .any(|a| match a.instrument {
            InstrumentId::Phq9 => a.answers[8].is_some_and(|v| v > 0),
            InstrumentId::CssrsScreen => {
                a.answers == cssrs("moderate") || a.answers == cssrs("high")
            }
            _ => false,
        });
    session || assessment
}

proptest! {
    #[test]
    fn a_hold_exactly_when_a_finding_is_unreviewed((esk, history, today) in random_course()) {
        let p = protocol_for(esk);
        let history = up_to(&history, today);
        let r = review_h(&p, &history, today).unwrap();
        prop_assert!(!r.reasons.is_empty());
        let finding = unreviewed_finding(&history, today);
        prop_assert_eq!(r.suggestion == Suggestion::HoldForReview, finding, "{:#?}", r);
        // A hold cites only safety rules; anything else cites none.
        for reason in &r.reasons {
            prop_assert_eq!(reason.rule.starts_with("safety."), finding, "{:#?}", r);
        }
    }

    #[test]
    fn each_suggestion_belongs_to_its_phase((esk, history, today) in random_course()) {
        let p = protocol_for(esk);
        let history = up_to(&history, today);
        let state = snapshot_of(&p, &history, today).unwrap();
        let r = review(&p, &state).unwrap();
        prop_assert_eq!(r.course, state.summary());
        let phase = state.phase;
        match r.suggestion {
            Suggestion::ExtendInduction | Suggestion::StartMaintenance => {
                prop_assert_eq!(phase, CoursePhase::Induction);
                prop_assert!(state.induction.complete());
            }
            Suggestion::LengthenInterval => {
                prop_assert_eq!(phase, CoursePhase::Maintenance);
                prop_assert!(state.interval_weeks < p.maintenance.max_interval_weeks);
            }
            Suggestion::ShortenInterval => {
                prop_assert_eq!(phase, CoursePhase::Maintenance);
                prop_assert!(state.interval_weeks > p.maintenance.min_interval_weeks);
            }
            Suggestion::Booster => {
                prop_assert_eq!(phase, CoursePhase::Maintenance);
                // Rule 3 (issue 14): one booster at a time; rule 5: none on weekly dosing.
                prop_assert_eq!(state.booster.pending_since, None, "{:#?}", r);
                prop_assert!(state.interval_weeks > 1, "{:#?}", r);
                // Rule 4: "response lost" only where there was a response.
                if r.reasons.iter().any(|x| x.code == "response_lost") {
                    prop_assert!(state.scores.responded, "{:#?}", r);
                }
            }
            Suggestion::Discontinue => prop_assert!(
                phase == CoursePhase::Discontinued
                    || (phase == CoursePhase::Induction && state.induction.complete()),
                "{:#?} {:#?}", r, state
            ),
            Suggestion::Continue | Suggestion::HoldForReview => {}
        }
        // The esketamine label has no extension to suggest.
        if esk {
            prop_assert_ne!(r.suggestion, Suggestion::ExtendInduction);
        }
        // A discontinued course is never suggested anything but a stop (or a safety hold).
        if phase == CoursePhase::Discontinued {
            prop_assert!(matches!(
                r.suggestion,
                Suggestion::Discontinue | Suggestion::HoldForReview
            ));
        }
    }

    #[test]
    fn anything_recorded_after_today_is_refused((esk, history, today) in random_course()) {
        // Rule 9 (issue 14): a session, assessment or decision dated after today is an error
        // the clinic must correct, not something to ignore (it used to be ignored).
        let p = protocol_for(esk);
        let past = up_to(&history, today);
        let got = review_h(&p, &history, today);
        if past == history {
            prop_assert!(got.is_ok(), "{:?}", got);
        } else {
            prop_assert!(
                matches!(got, Err(SnapshotError::AfterToday { .. })),
                "{:?}",
                got
            );
        }
        prop_assert!(review_h(&p, &past, today).is_ok());
    }
}
