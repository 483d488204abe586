//! The suggestion engine (issue 3 §3), tested from the outside: one scenario per suggestion and
//! per boundary (`induction`, `maintenance`, `safety`), and properties over random histories
//! (`properties`).
//!
//! Every scenario asserts the suggestion and the reason that fired (its code and the protocol
//! rule it cites). This module root also holds the history builder the forecast tests share:
//! dates, PHQ-9 answer lists with an exact total, and a fluent [`Course`].

mod induction;
mod maintenance;
pub(crate) mod properties;
mod safety;

use cadence_clinical::calendar::ClinicCalendar;
use cadence_clinical::course::{CourseInputs, CourseSnapshot, SnapshotError, snapshot};
use cadence_clinical::decision::Decision;
use cadence_clinical::history::{
    AssessmentRecord, BloodPressure, CourseHistory, DecisionRecord, SessionRecord, SessionStatus,
};
use cadence_clinical::instrument::{InstrumentId, ScoringConfig};
use cadence_clinical::protocol::{Protocol, builtin};
use cadence_clinical::suggestion::{Review, Suggestion, review};
use jiff::civil::{Date, date};

/// Tuesday 1 December 2026: the first induction session.
pub(crate) const START: Date = date(2026, 12, 1);
/// The baseline PHQ-9, three days before the first session.
pub(crate) const BASELINE_DAY: Date = date(2026, 11, 28);
/// Six IV sessions twice a week (Tuesdays and Fridays) from START.
pub(crate) const INDUCTION: [Date; 6] = [
    date(2026, 12, 1),
    date(2026, 12, 4),
    date(2026, 12, 8),
    date(2026, 12, 11),
    date(2026, 12, 15),
    date(2026, 12, 18),
];
/// The last induction session, when the end-of-induction PHQ-9 is taken (before dosing).
pub(crate) const END: Date = date(2026, 12, 18);
/// The day the clinician records `start_maintenance` in the maintenance scenarios.
pub(crate) const MAINTENANCE_DAY: Date = date(2026, 12, 19);
/// Maintenance sessions every 2 weeks (Fridays) from MAINTENANCE_DAY, each with a pre-dose PHQ-9.
pub(crate) const MAINTENANCE: [Date; 4] = [
    date(2027, 1, 1),
    date(2027, 1, 15),
    date(2027, 1, 29),
    date(2027, 2, 12),
];

pub(crate) fn iv() -> Protocol {
    builtin("iv-ketamine-6").expect("built-in iv-ketamine-6")
}

pub(crate) fn esk() -> Protocol {
    builtin("esketamine-label").expect("built-in esketamine-label")
}

/// `d` plus `days` days.
pub(crate) fn plus(d: Date, days: i64) -> Date {
    d.checked_add(jiff::Span::new().days(days)).unwrap()
}

/// Nine PHQ-9 answers summing to exactly `total` with item 9 (self-harm) = 0: items 1-8 are
/// filled with 3s from the top, the remainder on the next item. So `total` is at most 24.
pub(crate) fn phq9_total(total: u8) -> Vec<Option<u8>> {
    phq9_with_item9(total, 0)
}

/// Nine PHQ-9 answers summing to exactly `total`, with item 9 = `item9` (part of the total).
pub(crate) fn phq9_with_item9(total: u8, item9: u8) -> Vec<Option<u8>> {
    assert!(
        item9 <= 3 && total >= item9 && total - item9 <= 24,
        "PHQ-9 {total}/{item9}"
    );
    let mut rest = total - item9;
    let mut answers: Vec<Option<u8>> = (0..8)
        .map(|_| {
            let a = rest.min(3);
            rest -= a;
            Some(a)
        })
        .collect();
    answers.push(Some(item9));
    answers
}

/// C-SSRS screener answers (q1 q2 q3 q4 q5 q6 q6a) for each risk category
/// ([CSSRS-TRIAGE] ladder as scored by `instrument::score`).
pub(crate) fn cssrs(risk: &str) -> Vec<Option<u8>> {
    match risk {
        "none" => vec![Some(0), Some(0), None, None, None, Some(0), None],
        "low" => vec![Some(1), Some(0), None, None, None, Some(0), None],
        "moderate" => vec![Some(1), Some(1), Some(1), Some(0), Some(0), Some(0), None],
        "high" => vec![Some(1), Some(1), Some(0), Some(1), Some(0), Some(0), None],
        other => panic!("unknown C-SSRS category {other}"),
    }
}

/// A course history under construction.
#[derive(Debug, Clone)]
pub(crate) struct Course(pub(crate) CourseHistory);

impl Course {
    /// An empty history starting on `start`.
    pub(crate) fn starting(start: Date) -> Course {
        Course(CourseHistory {
            start_date: Some(start),
            ..CourseHistory::default()
        })
    }

    /// An IV course from START with a baseline PHQ-9 of `total` on BASELINE_DAY. Totals above
    /// 24 need item 9 (self-harm) > 0, which holds the course: for those the clinician's
    /// `continue` is recorded on the first day (a later day than the finding: with dates
    /// alone, a same-day decision may have come first, so it would not count).
    pub(crate) fn baseline(total: u8) -> Course {
        let course = Course::starting(START);
        if total <= 24 {
            course.phq9(BASELINE_DAY, total)
        } else {
            course
                .assess(
                    BASELINE_DAY,
                    InstrumentId::Phq9,
                    phq9_with_item9(total, total - 24),
                )
                .decide(START, Decision::Continue)
        }
    }

    /// Baseline `baseline`, the six induction sessions done, and `end` on the last of them.
    pub(crate) fn after_induction(baseline: u8, end: u8) -> Course {
        Course::baseline(baseline)
            .sessions(&INDUCTION)
            .phq9(END, end)
    }

    /// Baseline 20, induction done with `post` on END, and `start_maintenance` recorded on
    /// MAINTENANCE_DAY: maintenance every 2 weeks, no check-in yet.
    pub(crate) fn in_maintenance(post: u8) -> Course {
        Course::after_induction(20, post).decide(MAINTENANCE_DAY, Decision::StartMaintenance)
    }

    /// A completed session with no readings.
    pub(crate) fn session(self, date: Date) -> Course {
        self.record(date, SessionStatus::Completed, None, None)
    }

    /// Completed sessions on each date.
    pub(crate) fn sessions(self, dates: &[Date]) -> Course {
        dates.iter().fold(self, |c, d| c.session(*d))
    }

    /// A session with a status, a pre-dose blood pressure and a discharge MOAA/S.
    pub(crate) fn record(
        mut self,
        date: Date,
        status: SessionStatus,
        bp: Option<(u16, u16)>,
        moaas: Option<u8>,
    ) -> Course {
        self.0.sessions.push(SessionRecord {
            date,
            status,
            bp_pre: bp.map(|(systolic, diastolic)| BloodPressure {
                systolic,
                diastolic,
            }),
            moaas_discharge: moaas,
            booking_reason: None,
        });
        self
    }

    /// A session still booked (scheduled, in progress or held), with why it is on that day.
    pub(crate) fn booked(
        mut self,
        date: Date,
        status: SessionStatus,
        reason: Option<&str>,
    ) -> Course {
        assert!(status.is_booked(), "{status} is not a booked status");
        self.0.sessions.push(SessionRecord {
            date,
            status,
            bp_pre: None,
            moaas_discharge: None,
            booking_reason: reason.map(str::to_owned),
        });
        self
    }

    /// A completed session with a pre-dose blood pressure.
    pub(crate) fn session_bp(self, date: Date, systolic: u16, diastolic: u16) -> Course {
        self.record(
            date,
            SessionStatus::Completed,
            Some((systolic, diastolic)),
            None,
        )
    }

    /// A PHQ-9 with exactly `total` and item 9 = 0.
    pub(crate) fn phq9(self, date: Date, total: u8) -> Course {
        self.assess(date, InstrumentId::Phq9, phq9_total(total))
    }

    /// Any assessment.
    pub(crate) fn assess(
        mut self,
        date: Date,
        instrument: InstrumentId,
        answers: Vec<Option<u8>>,
    ) -> Course {
        self.0.assessments.push(AssessmentRecord {
            date,
            instrument,
            answers,
        });
        self
    }

    /// A clinician's recorded decision.
    pub(crate) fn decide(mut self, date: Date, decision: Decision) -> Course {
        self.0.decisions.push(DecisionRecord { date, decision });
        self
    }

    /// The history.
    pub(crate) fn history(&self) -> &CourseHistory {
        &self.0
    }
}

/// The snapshot of `history` on `today` under `protocol`, on a Monday-Friday calendar with
/// default scoring: what every command reads.
pub(crate) fn snapshot_of(
    protocol: &Protocol,
    history: &CourseHistory,
    today: Date,
) -> Result<CourseSnapshot, SnapshotError> {
    snapshot(&CourseInputs {
        protocol,
        calendar: &ClinicCalendar::default(),
        history,
        start: None,
        today,
        scoring: &ScoringConfig::default(),
    })
}

/// The snapshot of `history` on `today`, then its review: what `cadence review` does.
pub(crate) fn review_h(
    protocol: &Protocol,
    history: &CourseHistory,
    today: Date,
) -> Result<Review, SnapshotError> {
    let snap = snapshot_of(protocol, history, today)?;
    Ok(review(protocol, &snap)?)
}

/// The review of `course` on `today` under `protocol`, with default scoring.
pub(crate) fn review_on(protocol: &Protocol, course: &Course, today: Date) -> Review {
    review_h(protocol, course.history(), today).expect("review")
}

/// Asserts the suggestion and the reason codes with their rules, in order.
#[track_caller]
pub(crate) fn assert_review(r: &Review, suggestion: Suggestion, reasons: &[(&str, &str)]) {
    let got: Vec<(&str, &str)> = r.reasons.iter().map(|x| (x.code, x.rule)).collect();
    assert_eq!(
        (r.suggestion, got.as_slice()),
        (suggestion, reasons),
        "{r:#?}"
    );
    assert!(
        r.reasons.iter().all(|x| !x.message.is_empty()),
        "every reason explains itself: {r:#?}"
    );
}

#[test]
fn phq9_total_gives_the_exact_total_with_item_9_at_zero() {
    for total in 0..=24u8 {
        let answers = phq9_total(total);
        assert_eq!(answers.len(), 9);
        assert_eq!(answers[8], Some(0));
        assert_eq!(answers.iter().flatten().sum::<u8>(), total);
        let score = cadence_clinical::instrument::score(
            InstrumentId::Phq9,
            &answers,
            &ScoringConfig::default(),
        )
        .unwrap();
        assert_eq!(score.total, Some(u16::from(total)));
        assert!(score.critical_items.is_empty());
    }
    let score = cadence_clinical::instrument::score(
        InstrumentId::Phq9,
        &phq9_with_item9(27, 3),
        &ScoringConfig::default(),
    )
    .unwrap();
    assert_eq!((score.total, score.critical_items), (Some(27), vec![9]));
}

#[test]
fn review_json_has_the_contract_fields() {
    // Partial response at the end of induction: 20 -> 15.
    let r = review_on(&iv(), &Course::after_induction(20, 15), END);
    let json = serde_json::to_value(&r).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    // Issue 14: the review carries the course summary, as the plan and the forecast do.
    assert_eq!(keys, ["course", "outcome", "reasons", "suggestion"]);
    assert_eq!(json["course"]["phase"], "induction");
    assert_eq!(json["course"]["induction_done"], 6);
    let mut reason_keys: Vec<&str> = json["reasons"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    reason_keys.sort_unstable();
    assert_eq!(reason_keys, ["code", "message", "rule"]);
    assert_eq!(json["suggestion"], "extend_induction");
    let reason = &json["reasons"][0];
    assert_eq!(reason["code"], "end_of_induction_partial_response");
    assert_eq!(reason["rule"], "end_of_induction.on_partial");
    assert!(
        reason["message"]
            .as_str()
            .unwrap()
            .contains("partial response")
    );
    let outcome = &json["outcome"];
    assert_eq!(outcome["instrument"], "phq9");
    assert_eq!(outcome["baseline"], 20);
    assert_eq!(outcome["current"], 15);
    assert_eq!(outcome["change"], -5);
    assert_eq!(outcome["percent_change"], -25.0);
    assert_eq!(outcome["response"], false);
    assert_eq!(outcome["partial_response"], true);
    assert_eq!(outcome["remission"], false);
    assert_eq!(outcome["status"], "partial_response");
    // No follow-up score yet: `outcome` is null, still present.
    let r = review_on(&iv(), &Course::baseline(20), START);
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["outcome"].is_null());
    assert_eq!(json["suggestion"], "continue");
    // Every suggestion id is the contract's.
    let ids: Vec<&str> = [
        Suggestion::Continue,
        Suggestion::HoldForReview,
        Suggestion::ExtendInduction,
        Suggestion::StartMaintenance,
        Suggestion::Discontinue,
        Suggestion::LengthenInterval,
        Suggestion::ShortenInterval,
        Suggestion::Booster,
    ]
    .into_iter()
    .map(|s| {
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        s.as_str()
    })
    .collect();
    assert_eq!(
        ids,
        [
            "continue",
            "hold_for_review",
            "extend_induction",
            "start_maintenance",
            "discontinue",
            "lengthen_interval",
            "shorten_interval",
            "booster"
        ]
    );
}
