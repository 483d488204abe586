//! Money as whole cents, and the currency a price list is written in.
//!
//! Prices are added and multiplied into forecasts that patients read, so they are never `f64`:
//! a [`Money`] is an integer count of minor units (cents), built from the decimal a clinic wrote
//! by reading its digits exactly. `450.005` is refused rather than rounded, because a price list
//! that silently rounds is a price list nobody can check by eye. Arithmetic is checked: an
//! overflow is an error, never a wrapped or saturated amount.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An amount of money in whole minor units (cents), never negative.
///
/// Prices carry at most 2 decimal places, as a clinic's price list does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Money {
    cents: u64,
}

impl Money {
    /// No money.
    pub const ZERO: Money = Money { cents: 0 };

    /// An amount from whole cents.
    pub const fn from_cents(cents: u64) -> Money {
        Money { cents }
    }

    /// The amount in whole cents.
    pub const fn cents(self) -> u64 {
        self.cents
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.cents.checked_add(other.cents).map(Money::from_cents)
    }

    /// `self × count`, or `None` on overflow.
    pub fn checked_mul(self, count: u32) -> Option<Money> {
        self.cents
            .checked_mul(u64::from(count))
            .map(Money::from_cents)
    }

    /// An amount from a whole number of currency units (e.g. dollars), or `None` on overflow.
    pub fn from_units(units: u64) -> Option<Money> {
        units.checked_mul(100).map(Money::from_cents)
    }
}

impl fmt::Display for Money {
    /// Two decimals and no thousands separator, as written in the price list: `2400.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.cents / 100, self.cents % 100)
    }
}

impl Serialize for Money {
    /// A JSON number (`2400.0` for 2400.00), for output only: the cents are exact, the number a
    /// reader sees is their value divided by 100. Amounts are never read back from this form.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Exact for every amount below 2^53 cents (about 90 trillion), far above any price.
        #[expect(
            clippy::cast_precision_loss,
            reason = "output only; exact below 2^53 cents"
        )]
        let cents = self.cents as f64;
        serializer.serialize_f64(cents / 100.0)
    }
}

/// Why a written amount is not a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// More than two decimal places that are not zero.
    #[error("a price has at most 2 decimal places; round it to whole cents, e.g. 450.01")]
    TooManyDecimals,
    /// Below zero.
    #[error("a price must be 0 or more")]
    Negative,
    /// NaN or infinity.
    #[error("a price must be a finite number such as 450.00")]
    NotFinite,
    /// Too many digits to count in cents.
    #[error("the amount is too large to be a price")]
    TooLarge,
    /// Not a decimal number at all.
    #[error("a price is a decimal number such as 450.00")]
    Malformed,
    /// A TOML value of another type (a string, a date, a table…).
    #[error("a price is a number such as 450.00, not {0}")]
    NotANumber(&'static str),
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Reads a decimal exactly, in TOML's float or integer syntax (`450`, `450.00`, `+1_200.5`,
    /// `4.5e2`); it is refused when it has more than 2 non-zero decimals or is negative.
    fn from_str(s: &str) -> Result<Money, MoneyError> {
        parse_decimal(s).map(Money::from_cents)
    }
}

/// The exact number of cents a decimal literal stands for.
fn parse_decimal(text: &str) -> Result<u64, MoneyError> {
    let text = text.trim();
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let plain: String = unsigned.chars().filter(|&c| c != '_').collect();
    let lower = plain.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "nan") {
        return Err(MoneyError::NotFinite);
    }
    let (mantissa, exponent) = match plain.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, parse_exponent(exponent)?),
        None => (plain.as_str(), 0),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((_, "")) => return Err(MoneyError::Malformed),
        Some((int, frac)) => (int, frac),
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) {
        return Err(MoneyError::Malformed);
    }
    // value = digits × 10^(-scale)
    let digits = format!("{int}{frac}");
    let mut digits = digits.trim_start_matches('0');
    let mut scale = i64::try_from(frac.len()).map_err(|_| MoneyError::TooManyDecimals)? - exponent;
    if digits.is_empty() {
        // Zero, however written (`-0.0` included).
        return Ok(0);
    }
    if negative {
        return Err(MoneyError::Negative);
    }
    while let Some(rest) = digits.strip_suffix('0') {
        digits = rest;
        scale -= 1;
    }
    if scale > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    let mut cents: u64 = digits.parse().map_err(|_| MoneyError::TooLarge)?;
    for _ in 0..(2 - scale) {
        cents = cents.checked_mul(10).ok_or(MoneyError::TooLarge)?;
    }
    Ok(cents)
}

/// An exponent's value; far-out exponents are clamped, which still classifies them correctly
/// (too many decimals, or too large).
fn parse_exponent(text: &str) -> Result<i64, MoneyError> {
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-') => (-1, &text[1..]),
        Some(b'+') => (1, &text[1..]),
        _ => (1, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MoneyError::Malformed);
    }
    let magnitude = digits.bytes().fold(0_i64, |acc, b| {
        (acc * 10 + i64::from(b - b'0')).min(100_000)
    });
    Ok(sign * magnitude)
}

/// The currency a price list is written in: a 3-letter upper-case code shaped like ISO 4217
/// (`USD`, `EUR`). Only the shape is checked; Cadence keeps no list of live currencies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Currency(String);

impl Currency {
    /// The code, e.g. `USD`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An amount written for people: `USD 2400.00`.
    pub fn format(&self, amount: Money) -> String {
        format!("{} {amount}", self.0)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A currency code that is not 3 upper-case letters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("currency `{0}` is not a 3-letter upper-case ISO 4217 code; write it like USD, EUR or GBP")]
pub struct CurrencyError(pub String);

impl FromStr for Currency {
    type Err = CurrencyError;
    fn from_str(s: &str) -> Result<Currency, CurrencyError> {
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Currency(s.to_owned()))
        } else {
            Err(CurrencyError(s.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(text: &str) -> Result<u64, MoneyError> {
        text.parse::<Money>().map(Money::cents)
    }

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(cents("450.00"), Ok(45_000));
        assert_eq!(cents("450"), Ok(45_000));
        assert_eq!(cents("450.5"), Ok(45_050));
        assert_eq!(cents("0.29"), Ok(29));
        assert_eq!(cents("+1_200.05"), Ok(120_005));
        assert_eq!(cents("4.5e2"), Ok(45_000));
        assert_eq!(cents("45000E-2"), Ok(45_000));
        assert_eq!(cents("4.505e2"), Ok(45_050));
        assert_eq!(
            cents("450.000"),
            Ok(45_000),
            "trailing zeros are not extra decimals"
        );
        assert_eq!(cents("0"), Ok(0));
        assert_eq!(cents("0.0"), Ok(0));
        assert_eq!(cents("-0.0"), Ok(0));
    }

    #[test]
    fn a_third_non_zero_decimal_is_refused_not_rounded() {
        assert_eq!(cents("450.005"), Err(MoneyError::TooManyDecimals));
        assert_eq!(cents("0.001"), Err(MoneyError::TooManyDecimals));
        assert_eq!(cents("450.0050"), Err(MoneyError::TooManyDecimals));
        assert_eq!(cents("4.5e-3"), Err(MoneyError::TooManyDecimals));
        assert_eq!(cents("1e-100000000000"), Err(MoneyError::TooManyDecimals));
    }

    #[test]
    fn negatives_non_finite_and_garbage_are_refused() {
        assert_eq!(cents("-1"), Err(MoneyError::Negative));
        assert_eq!(cents("-0.01"), Err(MoneyError::Negative));
        assert_eq!(cents("nan"), Err(MoneyError::NotFinite));
        assert_eq!(cents("-inf"), Err(MoneyError::NotFinite));
        assert_eq!(cents("+inf"), Err(MoneyError::NotFinite));
        for bad in [
            "", "abc", "450.", ".5", "4.5.0", "1e", "1e+", "0x10", "45 0",
        ] {
            assert_eq!(cents(bad), Err(MoneyError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn amounts_beyond_u64_cents_are_too_large() {
        // u64::MAX cents is 184467440737095516.15.
        assert_eq!(cents("184467440737095516.15"), Ok(u64::MAX));
        assert_eq!(cents("184467440737095516.16"), Err(MoneyError::TooLarge));
        assert_eq!(cents("1e30"), Err(MoneyError::TooLarge));
        assert_eq!(cents("1e100000000000"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn display_has_two_decimals_and_json_is_a_number() {
        assert_eq!(Money::from_cents(240_000).to_string(), "2400.00");
        assert_eq!(Money::from_cents(5).to_string(), "0.05");
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!(
            serde_json::to_string(&Money::from_cents(45_050)).unwrap(),
            "450.5"
        );
        assert_eq!(
            serde_json::to_string(&Money::from_cents(29)).unwrap(),
            "0.29"
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        let max = Money::from_cents(u64::MAX);
        assert_eq!(max.checked_add(Money::from_cents(1)), None);
        assert_eq!(max.checked_mul(2), None);
        assert_eq!(max.checked_mul(1), Some(max));
        assert_eq!(
            Money::from_cents(45_000).checked_mul(3),
            Some(Money::from_cents(135_000))
        );
        assert_eq!(Money::from_units(u64::MAX), None);
        assert_eq!(Money::from_units(450), Some(Money::from_cents(45_000)));
    }

    #[test]
    fn currency_shape_only() {
        assert_eq!("USD".parse::<Currency>().unwrap().as_str(), "USD");
        assert_eq!("XYZ".parse::<Currency>().unwrap().as_str(), "XYZ");
        for bad in ["usd", "US", "USDD", "U5D", "", "ÜSD"] {
            assert_eq!(bad.parse::<Currency>(), Err(CurrencyError(bad.to_owned())));
        }
        let usd: Currency = "USD".parse().unwrap();
        assert_eq!(usd.format(Money::from_cents(240_000)), "USD 2400.00");
    }
}
