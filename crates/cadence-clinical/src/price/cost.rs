//! What sessions cost under a price list, and the rules said in plain words.
//!
//! The rule (issue 3 §4): sessions covered by the induction package are not charged again; every
//! other session costs its route's per-session price. In detail, when the package's route is the
//! course's route, the package covers the first `package.sessions` induction sessions of the
//! course:
//! - if no induction session has been done yet, the package price is charged once for the
//!   remaining sessions it covers;
//! - if some have been done, the package is taken as already paid: the covered sessions still to
//!   come cost nothing;
//! - induction sessions beyond the package, and every other session (maintenance, boosters),
//!   cost the per-session price.
//!
//! A package for another route changes nothing. A route without a per-session price is an error
//! only when a session has to be charged at that price.

use super::{Money, PriceList};
use crate::route::Route;
use serde::Serialize;

/// The sessions of one course to be priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SessionCount {
    /// The course's route.
    pub route: Route,
    /// Induction sessions already done (they are not priced again, but they tell whether the
    /// induction package has already been bought).
    pub induction_done: u32,
    /// Induction sessions still to come.
    pub induction_remaining: u32,
    /// Every other session still to come: maintenance and boosters.
    pub other: u32,
}

/// What the sessions to come cost, and how that was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cost {
    /// Everything together.
    pub total: Money,
    /// The induction package price, when it is still to be paid.
    pub package_charge: Option<Money>,
    /// Induction sessions to come that the package covers, so are not charged one by one.
    pub covered_by_package: u32,
    /// Sessions charged at the per-session price.
    pub charged_sessions: u32,
    /// The per-session price used (`None` when no session is charged and the list has none).
    pub per_session_price: Option<Money>,
}

/// Why a cost cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// Sessions on this route must be charged but the list has no price for it.
    #[error(
        "the price list has no per-session price for {route}; add `{id} = <price>` under \
         [per_session]",
        route = .0.label(),
        id = .0.as_str()
    )]
    NoPrice(Route),
    /// The amount does not fit in the money type: the session counts are implausible.
    #[error("the cost of {sessions} sessions is too large to compute; check the session counts")]
    Overflow {
        /// The number of sessions being priced.
        sessions: u64,
    },
}

impl PriceList {
    /// The cost of the sessions to come, with its breakdown. See the module docs for the rule.
    pub fn cost(&self, count: &SessionCount) -> Result<Cost, PriceError> {
        let overflow = || PriceError::Overflow {
            sessions: u64::from(count.induction_remaining) + u64::from(count.other),
        };
        let (package_charge, covered_by_package) = match self.induction_package {
            Some(package) if package.route == count.route => {
                let still_covered = package.sessions.saturating_sub(count.induction_done);
                let covered = still_covered.min(count.induction_remaining);
                let charge = (count.induction_done == 0 && covered > 0).then_some(package.price);
                (charge, covered)
            }
            _ => (None, 0),
        };
        let charged_sessions = (count.induction_remaining - covered_by_package)
            .checked_add(count.other)
            .ok_or_else(overflow)?;
        let per_session_price = if charged_sessions > 0 {
            Some(self.per_session_price(count.route)?)
        } else {
            self.per_session.get(&count.route).copied()
        };
        let per_session_total = match per_session_price {
            Some(price) => price.checked_mul(charged_sessions).ok_or_else(overflow)?,
            None => Money::ZERO,
        };
        let total = per_session_total
            .checked_add(package_charge.unwrap_or(Money::ZERO))
            .ok_or_else(overflow)?;
        Ok(Cost {
            total,
            package_charge,
            covered_by_package,
            charged_sessions,
            per_session_price,
        })
    }

    /// The total cost of the sessions to come on `route` (see [`PriceList::cost`] for the
    /// breakdown).
    pub fn cost_of_sessions(
        &self,
        route: Route,
        induction_sessions_remaining: u32,
        induction_sessions_done: u32,
        other_sessions: u32,
    ) -> Result<Money, PriceError> {
        self.cost(&SessionCount {
            route,
            induction_done: induction_sessions_done,
            induction_remaining: induction_sessions_remaining,
            other: other_sessions,
        })
        .map(|cost| cost.total)
    }

    /// The pricing rules that apply to a course on `route`, as plain sentences for a forecast's
    /// assumptions.
    pub fn explain(&self, route: Route) -> Vec<String> {
        let mut sentences = Vec::new();
        match self.per_session.get(&route) {
            Some(&price) => sentences.push(format!(
                "One {} session costs {}.",
                route.label(),
                self.currency.format(price)
            )),
            None => sentences.push(format!(
                "The price list has no per-session price for {}.",
                route.label()
            )),
        }
        match self.induction_package {
            Some(package) if package.route == route => {
                sentences.push(format!(
                    "Induction package: {} {} sessions for {}; sessions it covers are not \
                     charged again.",
                    package.sessions,
                    route.label(),
                    self.currency.format(package.price)
                ));
                sentences.push(
                    "Once an induction has started, the package is taken as paid; induction \
                     sessions beyond it, maintenance sessions and boosters cost the per-session \
                     price."
                        .to_owned(),
                );
            }
            Some(package) => sentences.push(format!(
                "The induction package is for {} courses, so it does not apply here; every \
                 session costs the per-session price.",
                package.route.label()
            )),
            None => sentences.push(
                "There is no induction package: every session costs the per-session price."
                    .to_owned(),
            ),
        }
        sentences
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::price::{Currency, InductionPackage};
    use std::collections::BTreeMap;

    /// IV 450.00, IM 300.00, no esketamine price; a 6-session IV package for 2400.00.
    fn list() -> PriceList {
        PriceList {
            currency: "USD".parse::<Currency>().unwrap(),
            per_session: BTreeMap::from([
                (Route::IvKetamine, Money::from_cents(45_000)),
                (Route::ImKetamine, Money::from_cents(30_000)),
            ]),
            induction_package: Some(InductionPackage {
                route: Route::IvKetamine,
                sessions: 6,
                price: Money::from_cents(240_000),
            }),
        }
    }

    fn count(route: Route, done: u32, remaining: u32, other: u32) -> SessionCount {
        SessionCount {
            route,
            induction_done: done,
            induction_remaining: remaining,
            other,
        }
    }

    fn cents(total: u64) -> Money {
        Money::from_cents(total)
    }

    #[test]
    fn a_fresh_course_pays_the_package_once_then_per_session() {
        // 6 induction sessions covered by 2400.00, then 4 maintenance at 450.00.
        let cost = list().cost(&count(Route::IvKetamine, 0, 6, 4)).unwrap();
        assert_eq!(
            cost,
            Cost {
                total: cents(240_000 + 4 * 45_000),
                package_charge: Some(cents(240_000)),
                covered_by_package: 6,
                charged_sessions: 4,
                per_session_price: Some(cents(45_000)),
            }
        );
    }

    #[test]
    fn induction_beyond_the_package_costs_the_per_session_price() {
        // An extended induction of 8: 6 covered, 2 charged, plus 3 boosters.
        let cost = list().cost(&count(Route::IvKetamine, 0, 8, 3)).unwrap();
        assert_eq!(cost.package_charge, Some(cents(240_000)));
        assert_eq!(cost.covered_by_package, 6);
        assert_eq!(cost.charged_sessions, 5);
        assert_eq!(cost.total, cents(240_000 + 5 * 45_000));
    }

    #[test]
    fn a_shorter_induction_still_buys_the_whole_package() {
        let cost = list().cost(&count(Route::IvKetamine, 0, 4, 0)).unwrap();
        assert_eq!(cost.covered_by_package, 4);
        assert_eq!(cost.charged_sessions, 0);
        assert_eq!(cost.total, cents(240_000));
    }

    #[test]
    fn a_package_partly_used_is_taken_as_paid() {
        // 2 done: the remaining 4 covered sessions cost nothing; 1 more induction and 2
        // maintenance sessions are charged.
        let cost = list().cost(&count(Route::IvKetamine, 2, 5, 2)).unwrap();
        assert_eq!(cost.package_charge, None);
        assert_eq!(cost.covered_by_package, 4);
        assert_eq!(cost.charged_sessions, 3);
        assert_eq!(cost.total, cents(3 * 45_000));
        // Exactly the package left: nothing to pay.
        let cost = list().cost(&count(Route::IvKetamine, 5, 1, 0)).unwrap();
        assert_eq!((cost.covered_by_package, cost.total), (1, Money::ZERO));
    }

    #[test]
    fn a_package_used_up_covers_nothing_more() {
        for done in [6, 7, 20] {
            let cost = list().cost(&count(Route::IvKetamine, done, 2, 1)).unwrap();
            assert_eq!(cost.package_charge, None, "done {done}");
            assert_eq!(cost.covered_by_package, 0, "done {done}");
            assert_eq!(cost.total, cents(3 * 45_000), "done {done}");
        }
    }

    #[test]
    fn nothing_to_come_costs_nothing_and_does_not_buy_the_package() {
        let cost = list().cost(&count(Route::IvKetamine, 0, 0, 0)).unwrap();
        assert_eq!(cost.package_charge, None);
        assert_eq!(cost.total, Money::ZERO);
        // Maintenance only, no induction left: no package.
        let cost = list().cost(&count(Route::IvKetamine, 0, 0, 2)).unwrap();
        assert_eq!(cost.package_charge, None);
        assert_eq!(cost.total, cents(2 * 45_000));
    }

    #[test]
    fn a_package_for_another_route_changes_nothing() {
        let cost = list().cost(&count(Route::ImKetamine, 0, 6, 4)).unwrap();
        assert_eq!(
            cost,
            Cost {
                total: cents(10 * 30_000),
                package_charge: None,
                covered_by_package: 0,
                charged_sessions: 10,
                per_session_price: Some(cents(30_000)),
            }
        );
    }

    #[test]
    fn a_missing_price_is_an_error_only_when_a_session_is_charged_at_it() {
        let list = list();
        assert_eq!(
            list.cost(&count(Route::Esketamine, 0, 8, 0)),
            Err(PriceError::NoPrice(Route::Esketamine))
        );
        assert_eq!(
            PriceError::NoPrice(Route::Esketamine).to_string(),
            "the price list has no per-session price for esketamine nasal spray; add \
             `esketamine = <price>` under [per_session]"
        );
        assert_eq!(
            list.cost(&count(Route::Esketamine, 0, 0, 0)).unwrap().total,
            Money::ZERO
        );
        // A package covering the whole induction needs no per-session price.
        let mut package_only = list.clone();
        package_only.per_session.clear();
        let cost = package_only
            .cost(&count(Route::IvKetamine, 0, 6, 0))
            .unwrap();
        assert_eq!((cost.total, cost.per_session_price), (cents(240_000), None));
        assert_eq!(
            package_only.cost(&count(Route::IvKetamine, 0, 7, 0)),
            Err(PriceError::NoPrice(Route::IvKetamine))
        );
    }

    #[test]
    fn overflow_is_an_error_never_a_wrapped_amount() {
        let mut huge = list();
        huge.per_session
            .insert(Route::ImKetamine, Money::from_cents(u64::MAX / 2));
        assert_eq!(
            huge.cost(&count(Route::ImKetamine, 0, 2, 0))
                .map(|c| c.total),
            Ok(Money::from_cents(u64::MAX / 2 * 2))
        );
        assert_eq!(
            huge.cost(&count(Route::ImKetamine, 0, 3, 0)),
            Err(PriceError::Overflow { sessions: 3 })
        );
        // Session counts that overflow u32.
        assert_eq!(
            list().cost(&count(Route::ImKetamine, 0, u32::MAX, 1)),
            Err(PriceError::Overflow {
                sessions: u64::from(u32::MAX) + 1
            })
        );
        // The package plus per-session sessions.
        let mut big_package = list();
        big_package.induction_package = Some(InductionPackage {
            route: Route::IvKetamine,
            sessions: 1,
            price: Money::from_cents(u64::MAX),
        });
        assert_eq!(
            big_package
                .cost(&count(Route::IvKetamine, 0, 1, 0))
                .map(|c| c.total),
            Ok(Money::from_cents(u64::MAX))
        );
        assert_eq!(
            big_package.cost(&count(Route::IvKetamine, 0, 1, 1)),
            Err(PriceError::Overflow { sessions: 2 })
        );
    }

    #[test]
    fn cost_of_sessions_is_the_total() {
        let list = list();
        // remaining 8, done 0, other 3.
        assert_eq!(
            list.cost_of_sessions(Route::IvKetamine, 8, 0, 3),
            Ok(cents(240_000 + 5 * 45_000))
        );
        // remaining 5, done 2, other 2.
        assert_eq!(
            list.cost_of_sessions(Route::IvKetamine, 5, 2, 2),
            Ok(cents(3 * 45_000))
        );
    }

    #[test]
    fn explain_says_the_rules_in_words() {
        let list = list();
        assert_eq!(
            list.explain(Route::IvKetamine),
            vec![
                "One IV ketamine session costs USD 450.00.".to_owned(),
                "Induction package: 6 IV ketamine sessions for USD 2400.00; sessions it covers \
                 are not charged again."
                    .to_owned(),
                "Once an induction has started, the package is taken as paid; induction sessions \
                 beyond it, maintenance sessions and boosters cost the per-session price."
                    .to_owned(),
            ]
        );
        assert_eq!(
            list.explain(Route::Esketamine),
            vec![
                "The price list has no per-session price for esketamine nasal spray.".to_owned(),
                "The induction package is for IV ketamine courses, so it does not apply here; \
                 every session costs the per-session price."
                    .to_owned(),
            ]
        );
        let mut no_package = list.clone();
        no_package.induction_package = None;
        assert_eq!(
            no_package.explain(Route::ImKetamine),
            vec![
                "One IM ketamine session costs USD 300.00.".to_owned(),
                "There is no induction package: every session costs the per-session price."
                    .to_owned(),
            ]
        );
    }
}
