//! Reading price lists: the issue's example, and every error pointing at its exact line.

use super::*;

const EXAMPLE: &str = r#"currency = "USD"
[per_session]            # price of one session by route
iv_ketamine = 450.00
im_ketamine = 300.00
esketamine = 850.00
[induction_package]      # optional: a bundled price for the whole induction of one route
route = "iv_ketamine"
sessions = 6
price = 2400.00
"#;

/// The error for `text`, as the clinic would read it.
fn error(text: &str) -> String {
    PriceList::from_toml(text).unwrap_err().to_string()
}

#[test]
fn the_issue_example_reads_into_cents() {
    let list = PriceList::from_toml(EXAMPLE).unwrap();
    assert_eq!(list.currency.as_str(), "USD");
    assert_eq!(
        list.per_session,
        BTreeMap::from([
            (Route::IvKetamine, Money::from_cents(45_000)),
            (Route::ImKetamine, Money::from_cents(30_000)),
            (Route::Esketamine, Money::from_cents(85_000)),
        ])
    );
    assert_eq!(
        list.induction_package,
        Some(InductionPackage {
            route: Route::IvKetamine,
            sessions: 6,
            price: Money::from_cents(240_000),
        })
    );
}

#[test]
fn routes_and_package_are_optional_and_integers_are_prices() {
    let list = PriceList::from_toml("currency = \"EUR\"\n").unwrap();
    assert!(list.per_session.is_empty());
    assert_eq!(list.induction_package, None);

    let list =
        PriceList::from_toml("currency = \"EUR\"\n[per_session]\nesketamine = 850\n").unwrap();
    assert_eq!(
        list.per_session_price(Route::Esketamine),
        Ok(Money::from_cents(85_000))
    );
    assert_eq!(
        list.per_session_price(Route::IvKetamine),
        Err(PriceError::NoPrice(Route::IvKetamine))
    );
}

#[test]
fn output_json_uses_route_ids_and_numbers() {
    let list = PriceList::from_toml(EXAMPLE).unwrap();
    let json = serde_json::to_value(&list).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "currency": "USD",
            "per_session": {"esketamine": 850.0, "iv_ketamine": 450.0, "im_ketamine": 300.0},
            "induction_package": {"route": "iv_ketamine", "sessions": 6, "price": 2400.0},
        })
    );
}

#[test]
fn a_third_decimal_names_the_key_and_line() {
    let text = EXAMPLE.replace("im_ketamine = 300.00", "im_ketamine = 300.005");
    assert_eq!(
        error(&text),
        "line 4, column 15: `per_session.im_ketamine` = 300.005: a price has at most 2 decimal \
         places; round it to whole cents, e.g. 450.01"
    );
    let text = EXAMPLE.replace("price = 2400.00", "price = 2400.001");
    assert_eq!(
        error(&text),
        "line 9, column 9: `induction_package.price` = 2400.001: a price has at most 2 decimal \
         places; round it to whole cents, e.g. 450.01"
    );
}

#[test]
fn negative_and_non_finite_prices_name_the_key_and_line() {
    let text = EXAMPLE.replace("esketamine = 850.00", "esketamine = -850.00");
    assert_eq!(
        error(&text),
        "line 5, column 14: `per_session.esketamine` = -850.00: a price must be 0 or more"
    );
    let text = EXAMPLE.replace("esketamine = 850.00", "esketamine = -850");
    assert_eq!(
        error(&text),
        "line 5, column 14: `per_session.esketamine` = -850: a price must be 0 or more"
    );
    for written in ["nan", "inf", "-inf", "+nan"] {
        let text = EXAMPLE.replace("iv_ketamine = 450.00", &format!("iv_ketamine = {written}"));
        assert_eq!(
            error(&text),
            format!(
                "line 3, column 15: `per_session.iv_ketamine` = {written}: a price must be a \
                 finite number such as 450.00"
            )
        );
    }
}

#[test]
fn a_price_of_another_type_names_the_type() {
    let text = EXAMPLE.replace("iv_ketamine = 450.00", "iv_ketamine = \"450.00\"");
    assert_eq!(
        error(&text),
        "line 3, column 15: `per_session.iv_ketamine` = \"450.00\": a price is a number such as \
         450.00, not string"
    );
}

#[test]
fn a_price_too_large_for_cents_is_refused() {
    let text = EXAMPLE.replace("iv_ketamine = 450.00", "iv_ketamine = 9223372036854775807");
    assert_eq!(
        error(&text),
        "line 3, column 15: `per_session.iv_ketamine` = 9223372036854775807: the amount is too \
         large to be a price"
    );
}

#[test]
fn currency_shape_is_checked_at_its_line() {
    for bad in ["usd", "US", "DOLLAR", "U$D"] {
        let text = EXAMPLE.replace("\"USD\"", &format!("\"{bad}\""));
        assert_eq!(
            error(&text),
            format!(
                "line 1, column 12: currency `{bad}` is not a 3-letter upper-case ISO 4217 \
                 code; write it like USD, EUR or GBP"
            )
        );
    }
}

#[test]
fn unknown_routes_point_at_the_key_or_value() {
    let text = EXAMPLE.replace("esketamine = 850.00", "iv_ketamin = 850.00");
    assert_eq!(
        error(&text),
        "line 5, column 1: `per_session`: unknown route `iv_ketamin`; expected one of \
         esketamine, iv_ketamine, im_ketamine"
    );
    let text = EXAMPLE.replace("route = \"iv_ketamine\"", "route = \"ketamine\"");
    assert_eq!(
        error(&text),
        "line 7, column 9: `induction_package.route`: unknown route `ketamine`; expected one of \
         esketamine, iv_ketamine, im_ketamine"
    );
}

#[test]
fn a_package_of_zero_or_negative_sessions_is_refused() {
    for (written, n) in [("0", 0), ("-2", -2), ("4294967296", 4_294_967_296_i64)] {
        let text = EXAMPLE.replace("sessions = 6", &format!("sessions = {written}"));
        assert_eq!(
            error(&text),
            format!(
                "line 8, column 12: `induction_package.sessions` = {n}: a package covers at \
                 least 1 session; remove [induction_package] if the clinic has none"
            )
        );
    }
}

#[test]
fn toml_shape_errors_give_line_and_column() {
    // An unknown key (a typo) is refused, not ignored.
    let text = EXAMPLE.replace("sessions = 6", "sesions = 6");
    assert_eq!(
        error(&text),
        "line 8, column 1: unknown field `sesions`, expected one of `route`, `sessions`, `price`"
    );
    let text = format!("{EXAMPLE}discount = 10\n");
    // A top-level key after a table header belongs to that table.
    assert_eq!(
        error(&text),
        "line 10, column 1: unknown field `discount`, expected one of `route`, `sessions`, \
         `price`"
    );
    // A wrong type.
    let text = EXAMPLE.replace("sessions = 6", "sessions = 6.5");
    assert_eq!(
        error(&text),
        "line 8, column 12: invalid type: floating point `6.5`, expected i64"
    );
    // A missing key inside the package points at the package.
    let text = EXAMPLE.replace("price = 2400.00\n", "");
    assert_eq!(error(&text), "line 6, column 1: missing field `price`");
    // A missing currency points at the start of the file.
    assert_eq!(
        error("[per_session]\niv_ketamine = 450\n"),
        "line 1, column 1: missing field `currency`"
    );
}

#[test]
fn toml_syntax_errors_give_line_and_column_on_one_line() {
    let text = EXAMPLE.replace("[induction_package]", "[induction_package");
    let message = error(&text);
    // The header is unclosed where the comment starts.
    assert!(message.starts_with("line 6, column 25: "), "{message}");
    assert!(!message.contains('\n'), "{message}");
    // A duplicated route.
    let text = EXAMPLE.replace("esketamine = 850.00", "iv_ketamine = 850.00");
    let message = error(&text);
    assert!(message.starts_with("line 5, column 1: "), "{message}");
    assert!(message.contains("duplicate key"), "{message}");
}

#[test]
fn columns_count_characters_not_bytes() {
    // `=` is byte 7 but the 4th character of line 2.
    assert_eq!(line_column("a\nüé = x", 7), (2, 4));
    assert_eq!(line_column("abc", 0), (1, 1));
    assert_eq!(line_column("abc", 99), (1, 4));
}
