//! The forecast (issue 3 §4): how many sessions lie ahead as low / expected / high, and their
//! cost. Scenario numbers are worked out by hand in comments; the properties run over random
//! histories, todays and horizons (`properties`); the price list in `cost`, the patient's own time
//! to symptom return in `observed`. Histories come from the suggestion tests' builder.

mod cost;
mod observed;
mod properties;

use crate::suggestion::{Course, INDUCTION, MAINTENANCE, MAINTENANCE_DAY, START, esk, iv, plus};
use cadence_clinical::decision::Decision;
use cadence_clinical::forecast::{Forecast, ForecastError, Range, forecast};
use cadence_clinical::instrument::ScoringConfig;
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

fn run(p: &Protocol, c: &Course, today: Date, weeks: u16, prices: Option<&PriceList>) -> Forecast {
    forecast(
        p,
        c.history(),
        today,
        weeks,
        prices,
        &ScoringConfig::default(),
    )
    .unwrap()
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
    // Induction: 6 due (low, expected); high adds the one 2-session extension = 8.
    // The 6 sessions at 2 a week take ceil(6 * 7 / 2) = 21 days, leaving 182 - 21 = 161 days
    // of a 26-week horizon for maintenance, counted one interval after the last session:
    // low every 4 weeks 161 / 28 = 5, expected every 2 weeks 161 / 14 = 11, high weekly
    // 161 / 7 = 23 (the high maintenance figure does not shorten for the extension: it is an
    // upper bound). Over 52 weeks: 364 - 21 = 343 days: 343 / 28 = 12, 343 / 14 = 24,
    // 343 / 7 = 49.
    let course = Course::baseline(20);
    let f = run(&iv(), &course, START, 26, None);
    assert_eq!(f.horizon_weeks, 26);
    assert_eq!(f.remaining_induction, r(6, 6, 8));
    assert_eq!(f.maintenance, r(5, 11, 23));
    assert_eq!(f.total, r(11, 17, 31));
    assert_eq!(f.cost, None);
    assert_eq!(
        f.assumptions,
        [
            "0 of 6 induction sessions are done; 6 remain at 2 a week.",
            "The high figure includes 2 more induction session(s) in case the end-of-induction \
             review extends induction.",
            "Maintenance figures assume a response at the end-of-induction review; without one, \
             the course may stop after induction.",
            "Over the next 26 weeks maintenance is counted every 4 week(s) (low), every 2 \
             week(s) (expected) and every 1 week(s) (high).",
        ]
    );
    let f = run(&iv(), &course, START, 52, None);
    assert_eq!(f.remaining_induction, r(6, 6, 8));
    assert_eq!(f.maintenance, r(12, 24, 49));
    assert_eq!(f.total, r(18, 30, 57));
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
    // Three weeks on, the next session is due today: weekly gives today and 26 more
    // (27 = 189 / 7), every 3 weeks today and 8 more (9), every 4 weeks one week from now
    // and 6 more (7 = 203 / 28).
    let f = run(&iv(), &course, plus(MAINTENANCE[1], 21), 26, None);
    assert_eq!(f.maintenance, r(7, 9, 27));
}

#[test]
fn sessions_missed_long_ago_are_not_counted_again() {
    // The last session was 15 January and nothing has been recorded since: on 1 July the
    // horizon holds at most one session today and one every interval after it: weekly 27,
    // every 2 weeks 14 (today + 13), every 4 weeks 7 (today + 6).
    let course = Course::in_maintenance(8)
        .session(MAINTENANCE[0])
        .phq9(MAINTENANCE[0], 8)
        .session(MAINTENANCE[1])
        .phq9(MAINTENANCE[1], 8);
    let f = run(&iv(), &course, date(2027, 7, 1), 26, None);
    assert_eq!(f.maintenance, r(7, 14, 27));
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
    // 8 induction sessions, no extension: 8 / 8 / 8, taking ceil(8 * 7 / 2) = 28 days.
    // 182 - 28 = 154 days: the weekly block (weeks 5-8) is 4 sessions in 28 days in every
    // figure; the remaining 126 days: every 2 weeks 126 / 14 = 9 (low and expected: the label
    // allows 1-2 weeks), weekly 126 / 7 = 18 (high). Maintenance 13 / 13 / 22, total
    // 21 / 21 / 30; at 850 a session (the IV package does not apply): 17850 / 17850 / 25500.
    // Over 52 weeks: 364 - 28 - 28 = 308 days: 4 + 22 = 26, 4 + 44 = 48.
    let course = Course::baseline(20);
    let f = run(&esk(), &course, START, 26, Some(&prices()));
    assert_eq!(f.remaining_induction, r(8, 8, 8));
    assert_eq!(f.maintenance, r(13, 13, 22));
    assert_eq!(f.total, r(21, 21, 30));
    assert_eq!(units(&f), (17850, 17850, 25500));
    assert!(
        f.assumptions
            .iter()
            .any(|a| a == "Maintenance starts with sessions every 1 week(s) for 4 weeks."),
        "{f:#?}"
    );
    assert!(
        !f.assumptions.iter().any(|a| a.contains("more induction")),
        "{f:#?}"
    );
    let f = run(&esk(), &course, START, 52, None);
    assert_eq!(f.maintenance, r(26, 26, 48));
    assert_eq!(f.total, r(34, 34, 56));
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
    // A block every 2 weeks for 4 weeks. A 6-week horizon leaves 42 - 28 = 14 days after the
    // induction: one fortnightly session fits, not two.
    let mut p = esk();
    let block = p.maintenance.initial.as_mut().unwrap();
    block.interval_weeks = 2;
    let f = run(&p, &Course::baseline(20), START, 6, None);
    assert_eq!(f.maintenance, r(1, 1, 1));
}

#[test]
fn a_paused_course_says_it_assumes_a_resumption() {
    let course = Course::baseline(20)
        .sessions(&INDUCTION[..2])
        .decide(date(2026, 12, 5), Decision::Pause);
    let f = run(&iv(), &course, date(2026, 12, 10), 26, None);
    assert_eq!(
        f.assumptions[0],
        "The course is paused; these figures assume it resumes today."
    );
    assert_eq!(f.remaining_induction, r(4, 4, 6));
}

#[test]
fn a_horizon_outside_1_to_520_weeks_is_refused() {
    let course = Course::baseline(20);
    for weeks in [0, 521] {
        let e = forecast(
            &iv(),
            course.history(),
            START,
            weeks,
            None,
            &ScoringConfig::default(),
        )
        .unwrap_err();
        assert_eq!(e, ForecastError::Horizon(weeks));
        assert!(e.to_string().contains("use 1-520 weeks"));
    }
    assert_eq!(run(&iv(), &course, START, 1, None).maintenance, r(0, 0, 0));
    run(&iv(), &course, START, 520, None);
}
