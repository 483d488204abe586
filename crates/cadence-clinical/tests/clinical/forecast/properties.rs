//! Properties over random histories, todays and horizons of 1-104 weeks: low <= expected <=
//! high for every figure and the cost, total = induction + maintenance, bounds on each figure,
//! and nothing recorded after `today` changing the forecast.

use super::*;
use crate::suggestion::properties::{protocol_for, random_course, up_to};
use cadence_clinical::course::{CoursePhase, course_state};
use proptest::prelude::*;

proptest! {
    #[test]
    fn low_expected_high_are_ordered_and_add_up(
        (is_esk, history, today) in random_course(),
        weeks in 1u16..=104,
    ) {
        let p = protocol_for(is_esk);
        let list = prices();
        let f = forecast(&p, &history, today, weeks, Some(&list), &ScoringConfig::default())
            .unwrap();
        for range in [f.remaining_induction, f.maintenance, f.total] {
            prop_assert!(range.low <= range.expected && range.expected <= range.high, "{:#?}", f);
        }
        let cost = f.cost.as_ref().unwrap();
        prop_assert!(cost.low <= cost.expected && cost.expected <= cost.high, "{:#?}", f);
        let (i, m, t) = (f.remaining_induction, f.maintenance, f.total);
        prop_assert_eq!(t, r(i.low + m.low, i.expected + m.expected, i.high + m.high));
        // Bounds: no more induction than the protocol allows, no more maintenance than one
        // session now and one every shortest interval (plus the initial block).
        prop_assert!(i.high <= p.max_induction_sessions());
        let block = p.maintenance.initial.as_ref().map_or(0, |b| b.sessions());
        let most = u32::from(weeks / p.maintenance.min_interval_weeks) + 1 + block;
        prop_assert!(m.high <= most, "{} > {}: {:#?}", m.high, most, f);
        // Without a package every session costs the route's price.
        let mut plain = list.clone();
        plain.induction_package = None;
        let g = forecast(&p, &history, today, weeks, Some(&plain), &ScoringConfig::default())
            .unwrap();
        let each = plain.per_session_price(p.route).unwrap().cents();
        let c = g.cost.unwrap();
        prop_assert_eq!(
            (c.low.cents(), c.expected.cents(), c.high.cents()),
            (
                each * u64::from(t.low),
                each * u64::from(t.expected),
                each * u64::from(t.high)
            )
        );
        // A discontinued course forecasts nothing.
        if course_state(&p, &history, today).phase == CoursePhase::Discontinued {
            prop_assert_eq!(t, r(0, 0, 0));
        }
    }

    #[test]
    fn nothing_recorded_after_today_changes_the_forecast(
        (is_esk, history, today) in random_course(),
        weeks in 1u16..=104,
    ) {
        let p = protocol_for(is_esk);
        let list = prices();
        let config = ScoringConfig::default();
        prop_assert_eq!(
            forecast(&p, &history, today, weeks, Some(&list), &config).unwrap(),
            forecast(&p, &up_to(&history, today), today, weeks, Some(&list), &config).unwrap()
        );
    }
}
