//! Cost: the induction package charged once on a fresh course and not again once induction has
//! started; every other session at the route's price (issue 3 §4); and the JSON shape of a
//! forecast with and without a price list.

use super::*;

#[test]
fn the_induction_package_is_charged_once_on_a_fresh_course() {
    // Counts as in the fresh-course test (26 weeks): induction 6 / 6 / 8, maintenance
    // 0 / 11 / 22 (rule 8, issue 14: low is induction only; high is the plan with the
    // extension). The package (2400) covers the first 6 induction sessions; everything else is
    // 450: low 2400; expected 2400 + 11 * 450 = 7350; high 2400 + (2 + 22) * 450 = 13200.
    let f = run(&iv(), &Course::baseline(20), START, 26, Some(&prices()));
    assert_eq!(units(&f), (2400, 7350, 13200));
    let cost = f.cost.as_ref().unwrap();
    assert_eq!(cost.currency, "USD");
    assert!(
        f.assumptions
            .iter()
            .any(|a| a == "One IV ketamine session costs USD 450.00."),
        "{f:#?}"
    );
    assert!(
        f.assumptions
            .iter()
            .any(|a| a.starts_with("Induction package: 6 IV ketamine sessions for USD 2400.00")),
        "{f:#?}"
    );
}

#[test]
fn a_package_partly_used_is_not_charged_again() {
    // Two sessions done (1 and 4 December): 4 due (6 with the extension). Rule 8 (issue 14):
    // the figures are the plan's over [4 December, 4 June). Induction 8-18 December, then
    // every 2 weeks from 1 January: 1 January + 14k before 4 June (154 days) = 11; with the
    // extension induction ends on 25 December, then weekly from 1 January: 22; low is
    // induction only. (It used to be 6 / 12 / 24 by arithmetic, low at the longest interval.)
    // The package was paid when induction started and still covers 4 sessions, so only the
    // rest is charged at 450: low 0, expected 11 * 450 = 4950, high (6 - 4 + 22) * 450 =
    // 10800.
    let course = Course::baseline(20).sessions(&INDUCTION[..2]);
    let f = run(&iv(), &course, INDUCTION[1], 26, Some(&prices()));
    assert_eq!(f.remaining_induction, r(4, 4, 6));
    assert_eq!(f.maintenance, r(0, 11, 22));
    assert_eq!(f.total, r(4, 15, 28));
    assert_eq!(units(&f), (0, 4950, 10800));
    // In maintenance the package is used up: every session is 450.
    let f = run(
        &iv(),
        &Course::in_maintenance(8),
        MAINTENANCE_DAY,
        26,
        Some(&prices()),
    );
    let (low, expected, high) = units(&f);
    let t = f.total;
    assert_eq!(
        (low, expected, high),
        (
            450 * u64::from(t.low),
            450 * u64::from(t.expected),
            450 * u64::from(t.high)
        )
    );
}

#[test]
fn forecast_json_has_the_contract_fields() {
    let f = run(&iv(), &Course::baseline(20), START, 26, Some(&prices()));
    let json = serde_json::to_value(&f).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    // Issue 14: the forecast carries the course summary (as the plan and the review do) and
    // what its low figure means.
    assert_eq!(
        keys,
        [
            "assumptions",
            "cost",
            "course",
            "horizon_weeks",
            "low_means",
            "maintenance",
            "remaining_induction",
            "total"
        ]
    );
    assert_eq!(json["course"]["phase"], "induction");
    for figure in ["remaining_induction", "maintenance", "total"] {
        let mut keys: Vec<&str> = json[figure]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["expected", "high", "low"], "{figure}");
    }
    assert_eq!(json["total"]["expected"], 17);
    assert_eq!(json["cost"]["currency"], "USD");
    // Rule 8 (issue 14), as in the package test above.
    assert_eq!(json["cost"]["low"], 2400.0);
    assert_eq!(json["cost"]["expected"], 7350.0);
    assert_eq!(json["cost"]["high"], 13200.0);
    assert!(
        json["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a.is_string())
    );
    // Without a price list there is no `cost` at all.
    let json = serde_json::to_value(run(&iv(), &Course::baseline(20), START, 26, None)).unwrap();
    assert!(json.get("cost").is_none());
}
