//! Cost: the induction package charged once on a fresh course and not again once induction has
//! started; every other session at the route's price (issue 3 §4); and the JSON shape of a
//! forecast with and without a price list.

use super::*;

#[test]
fn the_induction_package_is_charged_once_on_a_fresh_course() {
    // Counts as in the fresh-course test (26 weeks): induction 6 / 6 / 8, maintenance
    // 5 / 11 / 23. The package (2400) covers the first 6 induction sessions; everything else is
    // 450: low 2400 + 5 * 450 = 4650; expected 2400 + 11 * 450 = 7350;
    // high 2400 + (2 + 23) * 450 = 13650.
    let f = run(&iv(), &Course::baseline(20), START, 26, Some(&prices()));
    assert_eq!(units(&f), (4650, 7350, 13650));
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
    // Two sessions done: 4 due (6 with the extension), taking ceil(4 * 7 / 2) = 14 days;
    // 182 - 14 = 168 days: maintenance 168 / 28 = 6, 168 / 14 = 12, 168 / 7 = 24.
    // The package was paid when induction started and still covers 4 sessions, so only the
    // rest is charged at 450: low 6 * 450 = 2700, expected 12 * 450 = 5400,
    // high (6 - 4 + 24) * 450 = 11700.
    let course = Course::baseline(20).sessions(&INDUCTION[..2]);
    let f = run(&iv(), &course, INDUCTION[1], 26, Some(&prices()));
    assert_eq!(f.remaining_induction, r(4, 4, 6));
    assert_eq!(f.maintenance, r(6, 12, 24));
    assert_eq!(f.total, r(10, 16, 30));
    assert_eq!(units(&f), (2700, 5400, 11700));
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
    assert_eq!(
        keys,
        [
            "assumptions",
            "cost",
            "horizon_weeks",
            "maintenance",
            "remaining_induction",
            "total"
        ]
    );
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
    assert_eq!(json["cost"]["low"], 4650.0);
    assert_eq!(json["cost"]["expected"], 7350.0);
    assert_eq!(json["cost"]["high"], 13650.0);
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
