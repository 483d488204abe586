//! Properties over random histories, todays and horizons of 1-104 weeks: low <= expected <=
//! high for every figure and the cost, total = induction + maintenance, bounds on each figure,
//! and anything recorded after `today` refused as the review refuses it (issue 14, rule 9).

use super::*;
use crate::suggestion::properties::{protocol_for, random_course, up_to};
use crate::suggestion::review_h;
use cadence_clinical::course::CoursePhase;
use proptest::prelude::*;

proptest! {
    #[test]
    fn low_expected_high_are_ordered_and_add_up(
        (is_esk, history, today) in random_course(),
        weeks in 1u16..=104,
    ) {
        let p = protocol_for(is_esk);
        let history = up_to(&history, today);
        let list = prices();
        let f = forecast_h(&p, &history, today, weeks, Some(&list)).unwrap();
        for range in [f.remaining_induction, f.total] {
            prop_assert!(range.low <= range.expected && range.expected <= range.high, "{:#?}", f);
        }
        // Rule 8 (issue 14): high is the plan with every extension, so in induction the
        // extension sessions can take the place of a maintenance session near the end of a
        // short horizon: its maintenance figure may then be below the expected one (see
        // `snapshot::the_extension_can_push_maintenance_out_of_a_short_horizon`). After
        // induction it cannot.
        prop_assert!(f.maintenance.low <= f.maintenance.expected, "{:#?}", f);
        if f.course.phase != CoursePhase::Induction {
            prop_assert!(f.maintenance.expected <= f.maintenance.high, "{:#?}", f);
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
        let g = forecast_h(&p, &history, today, weeks, Some(&plain)).unwrap();
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
        // A discontinued course forecasts nothing; nor, since issue 14 (rule 8), a paused one.
        if matches!(f.course.phase, CoursePhase::Discontinued | CoursePhase::Paused) {
            prop_assert_eq!(t, r(0, 0, 0));
        }
    }

    #[test]
    fn anything_recorded_after_today_is_refused_as_the_review_refuses_it(
        (is_esk, history, today) in random_course(),
        weeks in 1u16..=104,
    ) {
        // Rule 9 (issue 14): it used to be ignored; now it is the review's error, word for word.
        let p = protocol_for(is_esk);
        let list = prices();
        let f = forecast_h(&p, &history, today, weeks, Some(&list));
        let r = review_h(&p, &history, today);
        prop_assert_eq!(f.as_ref().err(), r.as_ref().err());
        prop_assert_eq!(f.is_ok(), up_to(&history, today) == history);
    }
}
