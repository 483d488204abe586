//! The forecast (issue 3 §4): how many sessions lie ahead as low / expected / high, and their
//! cost. Scenario numbers are worked out by hand in comments; the properties run over random
//! histories, todays and horizons (`properties`); the price list in `cost`, the patient's own time
//! to symptom return in `observed`. Histories come from the suggestion tests' builder.

mod cost;
mod observed;
mod properties;

use crate::suggestion::{
    Course, INDUCTION, MAINTENANCE, MAINTENANCE_DAY, START, esk, iv, plus, snapshot_of,
};
use cadence_clinical::calendar::ClinicCalendar;
use cadence_clinical::course::SnapshotError;
use cadence_clinical::decision::Decision;
use cadence_clinical::forecast::{Forecast, ForecastError, Range, forecast};
use cadence_clinical::history::CourseHistory;
use cadence_clinical::planner::PlanError;
use cadence_clinical::price::{Money, PriceList};
use cadence_clinical::protocol::Protocol;
use jiff::civil::{Date, date};

/// IV 450.00 and esketamine 850.00 a session; a 6-session IV induction package for 2400.00.
const PRICES: &str = r#"
currency = "USD"
[per_session]
iv_ketamine = 450.00
esketamine = 850.00
[induction_package]
route = "iv_ketamine"
sessions = 6
price = 2400.00
"#;

fn prices() -> PriceList {
    PriceList::from_toml(PRICES).unwrap()
}

/// The snapshot of `history` on `today` (Monday-Friday calendar), then its forecast: what
/// `cadence forecast` does. A history the snapshot refuses is the error; the forecast's own
/// errors (horizon, price list) fail the test here: they are tested with `forecast` itself.
pub(crate) fn forecast_h(
    p: &Protocol,
    history: &CourseHistory,
    today: Date,
    weeks: u16,
    prices: Option<&PriceList>,
) -> Result<Forecast, SnapshotError> {
    let snap = snapshot_of(p, history, today)?;
    Ok(forecast(p, &ClinicCalendar::default(), &snap, weeks, prices).expect("forecast"))
}

fn run(p: &Protocol, c: &Course, today: Date, weeks: u16, prices: Option<&PriceList>) -> Forecast {
    forecast_h(p, c.history(), today, weeks, prices).unwrap()
}

fn r(low: u32, expected: u32, high: u32) -> Range {
    Range {
        low,
        expected,
        high,
    }
}

/// Low / expected / high in whole currency units.
fn units(f: &Forecast) -> (u64, u64, u64) {
    let c = f.cost.as_ref().expect("a cost with a price list");
    let whole = |m: Money| {
        assert_eq!(m.cents() % 100, 0);
        m.cents() / 100
    };
    (whole(c.low), whole(c.expected), whole(c.high))
}

#[test]
fn a_fresh_iv_course_over_26_and_52_weeks() {
    // Rule 8 (issue 14): each figure is what the plan books over [1 December, 1 June), on the
    // Monday-Friday calendar. Induction: 6 due; high adds the one 2-session extension = 8.
    // Expected: induction Tuesdays and Thursdays 1-17 December, maintenance every 2 weeks
    // from 31 December: 31 December + 14k before 1 June (152 days) = 11. Low is the
    // non-response path: the course stops after induction, so no maintenance (it used to be
    // every 4 weeks: 5). High: the extension ends induction on 24 December, then weekly from
    // the 31st: 31 December + 7k before 1 June = 22 (it used to ignore the extension: 23).
    // Over 52 weeks, before 30 November 2027 (334 days from 31 December): every 2 weeks 24,
    // weekly 48 (it was 49, with a closed horizon).
    let course = Course::baseline(20);
    let f = run(&iv(), &course, START, 26, None);
    assert_eq!(f.horizon_weeks, 26);
    assert_eq!(f.remaining_induction, r(6, 6, 8));
    assert_eq!(f.maintenance, r(0, 11, 22));
    assert_eq!(f.total, r(6, 17, 30));
    assert_eq!(f.cost, None);
    assert_eq!(
        f.low_means,
        "No response at the end-of-induction review: the course stops after induction."
    );
    assert_eq!(
        f.assumptions,
        [
            "0 of 6 induction sessions are done, at up to 2 a week.",
            "The high figure includes every extension the protocol still allows (1 extension(s) \
             of 2 session(s)).",
            "The expected and high figures assume a response at the end-of-induction review; \
             without one, the course may stop after induction (the low figure).",
            "Over the next 26 weeks (from 2026-12-01, up to but not including 2027-06-01) \
             maintenance is counted every 2 week(s) (expected) and every 1 week(s) (high); the \
             low figure counts none.",
        ]
    );
    let f = run(&iv(), &course, START, 52, None);
    assert_eq!(f.remaining_induction, r(6, 6, 8));
    assert_eq!(f.maintenance, r(0, 24, 48));
    assert_eq!(f.total, r(6, 30, 56));
}

#[test]
fn in_maintenance_after_the_interval_was_lengthened() {
    // Stable check-ins on 1 and 15 January, `lengthen_interval` on the 15th: every 3 weeks.
    // On the 16th, 1 day after the last session, the horizon counts from that session:
    // 182 + 1 = 183 days: low 183 / 28 = 6, expected 183 / 21 = 8, high 183 / 7 = 26;
    // over 52 weeks 365 days: 13, 17, 52. No induction is left.
    let course = Course::in_maintenance(8)
        .session(MAINTENANCE[0])
        .phq9(MAINTENANCE[0], 8)
        .session(MAINTENANCE[1])
        .phq9(MAINTENANCE[1], 7)
        .decide(MAINTENANCE[1], Decision::LengthenInterval);
    let today = plus(MAINTENANCE[1], 1);
    let f = run(&iv(), &course, today, 26, None);
    assert_eq!(f.remaining_induction, r(0, 0, 0));
    assert_eq!(f.maintenance, r(6, 8, 26));
    assert_eq!(f.total, f.maintenance);
    assert!(
        f.assumptions
            .iter()
            .any(|a| a.contains("every 3 week(s) (expected)")),
        "{f:#?}"
    );
    let f = run(&iv(), &course, today, 52, None);
    assert_eq!(f.maintenance, r(13, 17, 52));
    // Three weeks on (5 February), the next session is due today: weekly gives today and 25
    // more (26: 6 August, 26 weeks on, is outside the half-open horizon of rule 8; it used to
    // be counted, 27), every 3 weeks today and 8 more (9), every 4 weeks one week from now
    // and 6 more (7).
    let f = run(&iv(), &course, plus(MAINTENANCE[1], 21), 26, None);
    assert_eq!(f.maintenance, r(7, 9, 26));
}

#[test]
fn sessions_missed_long_ago_are_not_counted_again() {
    // The last session was 15 January and nothing has been recorded since: on 1 July the
    // horizon [1 July, 30 December) holds at most one session today and one every interval
    // after it: weekly 26, every 2 weeks 13 (today + 12), every 4 weeks 7 (today + 6). (Rule
    // 8, half-open horizon: 30 December is no longer counted; it was 27 and 14.)
    let course = Course::in_maintenance(8)
        .session(MAINTENANCE[0])
        .phq9(MAINTENANCE[0], 8)
        .session(MAINTENANCE[1])
        .phq9(MAINTENANCE[1], 8);
    let f = run(&iv(), &course, date(2027, 7, 1), 26, None);
    assert_eq!(f.maintenance, r(7, 13, 26));
}

#[test]
fn a_discontinued_course_forecasts_nothing_and_costs_nothing() {
    let course = Course::after_induction(20, 18).decide(MAINTENANCE_DAY, Decision::Discontinue);
    for weeks in [26, 52] {
        let f = run(&iv(), &course, MAINTENANCE_DAY, weeks, Some(&prices()));
        assert_eq!(
            (f.remaining_induction, f.maintenance, f.total),
            (r(0, 0, 0), r(0, 0, 0), r(0, 0, 0))
        );
        assert_eq!(units(&f), (0, 0, 0));
        assert_eq!(
            f.assumptions[0],
            "The course has been discontinued: no further sessions are planned."
        );
    }
}

#[test]
fn esketamine_counts_its_weekly_block_in_every_figure() {
    // 8 induction sessions, no extension: 8 / 8 / 8, Tuesdays and Thursdays 1-24 December.
    // Then the weekly block (weeks 5-8): 31 December to 21 January, 4 sessions, in the
    // expected and high figures; after it every 2 weeks from 4 February before 1 June: 9
    // (expected: the label allows 1-2 weeks), weekly from 28 January: 18 (high). Maintenance
    // 0 / 13 / 22: the low figure is the non-response path, induction only (rule 8, issue 14;
    // it used to count maintenance at the longest interval, 13). Total 8 / 21 / 30; at 850 a
    // session (the IV package does not apply): 6800 / 17850 / 25500.
    // Over 52 weeks (before 30 November 2027): 4 + 22 = 26, 4 + 44 = 48.
    let course = Course::baseline(20);
    let f = run(&esk(), &course, START, 26, Some(&prices()));
    assert_eq!(f.remaining_induction, r(8, 8, 8));
    assert_eq!(f.maintenance, r(0, 13, 22));
    assert_eq!(f.total, r(8, 21, 30));
    assert_eq!(units(&f), (6800, 17850, 25500));
    assert!(
        f.assumptions
            .iter()
            .any(|a| a == "Maintenance starts with sessions every 1 week(s) for 4 weeks."),
        "{f:#?}"
    );
    // The expected interval named is the one after the block (the block has its own line).
    assert!(
        f.assumptions.iter().any(|a| a.ends_with(
            "every 2 week(s) (expected) and every 1 week(s) (high); the \
                                   low figure counts none."
        )),
        "{f:#?}"
    );
    assert!(
        !f.assumptions.iter().any(|a| a.contains("extension")),
        "{f:#?}"
    );
    let f = run(&esk(), &course, START, 52, None);
    assert_eq!(f.maintenance, r(0, 26, 48));
    assert_eq!(f.total, r(8, 34, 56));
}

#[test]
fn esketamine_in_its_weekly_block() {
    // Maintenance started 26 December, the last session was the 25th; on the 26th the block
    // has 28 days (4 weekly sessions) left. The rest of 182 + 1 days: 155 days, every 2 weeks
    // 11, weekly 22: maintenance 15 / 15 / 26.
    let course = Course::after_induction(20, 8)
        .sessions(&[date(2026, 12, 22), date(2026, 12, 25)])
        .phq9(date(2026, 12, 25), 8)
        .decide(date(2026, 12, 26), Decision::StartMaintenance);
    let f = run(&esk(), &course, date(2026, 12, 26), 26, None);
    assert_eq!(f.remaining_induction, r(0, 0, 0));
    assert_eq!(f.maintenance, r(15, 15, 26));
}

#[test]
fn a_fortnightly_initial_block_cut_by_the_horizon_counts_fortnightly() {
    // A block every 2 weeks for 4 weeks. A 6-week horizon [1 December, 12 January) leaves
    // one fortnightly session after the induction (7 January), not two. The low figure is
    // induction only (rule 8, issue 14; it used to be 1).
    let mut p = esk();
    let block = p.maintenance.initial.as_mut().unwrap();
    block.interval_weeks = 2;
    let f = run(&p, &Course::baseline(20), START, 6, None);
    assert_eq!(f.maintenance, r(0, 1, 1));
}

#[test]
fn a_paused_course_forecasts_nothing_until_resumed() {
    // Rule 8 (issue 14): paused, nothing is booked, so nothing is counted (it used to assume a
    // resumption today: 4 / 4 / 6 induction sessions).
    let course = Course::baseline(20)
        .sessions(&INDUCTION[..2])
        .decide(date(2026, 12, 5), Decision::Pause);
    let f = run(&iv(), &course, date(2026, 12, 10), 26, None);
    assert_eq!(
        f.assumptions[0],
        "The course is paused: nothing is booked until a clinician records `resume`, so \
         nothing is counted."
    );
    assert_eq!(f.low_means, "Nothing while the course is paused.");
    assert_eq!(
        (f.remaining_induction, f.maintenance, f.total),
        (r(0, 0, 0), r(0, 0, 0), r(0, 0, 0))
    );
    // Resumed, the remaining induction is counted again (low, expected; high with the
    // extension).
    let resumed = course.decide(date(2026, 12, 10), Decision::Resume);
    let f = run(&iv(), &resumed, date(2026, 12, 10), 26, None);
    assert_eq!(f.remaining_induction, r(4, 4, 6));
}

#[test]
fn a_horizon_outside_1_to_520_weeks_is_refused() {
    let course = Course::baseline(20);
    let snap = snapshot_of(&iv(), course.history(), START).unwrap();
    for weeks in [0, 521] {
        let e = forecast(&iv(), &ClinicCalendar::default(), &snap, weeks, None).unwrap_err();
        // Issue 14: the horizon is the planner's, so the plan's error (and words) are given.
        assert_eq!(e, ForecastError::Plan(PlanError::Horizon { weeks }));
        assert!(e.to_string().contains("use 1 to 520 weeks"), "{e}");
    }
    assert_eq!(run(&iv(), &course, START, 1, None).maintenance, r(0, 0, 0));
    run(&iv(), &course, START, 520, None);
}
