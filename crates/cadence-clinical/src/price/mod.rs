//! A clinic's price list: what one session costs by route, and an optional bundled price for a
//! whole induction.
//!
//! Clinics write price lists by hand, so reading one is strict and every error points at the
//! line and column to fix: TOML syntax and shape errors (unknown keys are refused, so a typo is
//! never silently ignored), and then the checks serde cannot make (a price with 3 decimals, a
//! negative price, a malformed currency code, an unknown route, a package of 0 sessions).
//!
//! ```toml
//! currency = "USD"
//! [per_session]            # price of one session by route
//! iv_ketamine = 450.00
//! im_ketamine = 300.00
//! esketamine = 850.00
//! [induction_package]      # optional: a bundled price for the whole induction of one route
//! route = "iv_ketamine"
//! sessions = 6
//! price = 2400.00
//! ```
//!
//! Prices are commercial data, not clinical facts: nothing here has a clinical source or a
//! default. How a list prices a course: [`PriceList::cost`].

mod cost;
mod money;

pub use cost::{Cost, PriceError, SessionCount};
pub use money::{Currency, CurrencyError, Money, MoneyError};

use crate::route::Route;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// A clinic's price list, read and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceList {
    /// The currency every price is in.
    pub currency: Currency,
    /// The price of one session, by route. A route may be left out; asking the cost of a
    /// session on it is then a [`PriceError::NoPrice`].
    pub per_session: BTreeMap<Route, Money>,
    /// A bundled price for the first sessions of an induction on one route.
    pub induction_package: Option<InductionPackage>,
}

/// A bundled price for the first `sessions` induction sessions of a course on `route`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InductionPackage {
    /// The route whose courses the package applies to.
    pub route: Route,
    /// How many induction sessions it covers, at least 1.
    pub sessions: u32,
    /// The price of the whole package.
    pub price: Money,
}

/// A price list that cannot be used, and where to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {problem}")]
pub struct PriceListError {
    /// 1-based line of the offending text.
    pub line: usize,
    /// 1-based column (in characters) of the offending text.
    pub column: usize,
    /// What is wrong.
    pub problem: PriceListProblem,
}

/// What is wrong with a price list, at a [`PriceListError`]'s line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceListProblem {
    /// Not valid TOML, or not the price-list shape (an unknown or missing key, a wrong type).
    #[error("{0}")]
    Toml(String),
    /// A price that is not a whole number of cents, 0 or more.
    #[error("`{key}` = {written}: {problem}")]
    Price {
        /// The key, e.g. `per_session.iv_ketamine`.
        key: String,
        /// The value as written.
        written: String,
        /// Why it is not a price.
        problem: MoneyError,
    },
    /// A malformed currency code.
    #[error("{0}")]
    Currency(CurrencyError),
    /// A route id that Cadence does not know.
    #[error(
        "`{key}`: unknown route `{route}`; expected one of esketamine, iv_ketamine, im_ketamine"
    )]
    UnknownRoute {
        /// Where the route was written: `per_session` or `induction_package.route`.
        key: &'static str,
        /// The route as written.
        route: String,
    },
    /// An induction package that covers no session (or an impossible number of sessions).
    #[error(
        "`induction_package.sessions` = {0}: a package covers at least 1 session; remove \
         [induction_package] if the clinic has none"
    )]
    PackageSessions(i64),
}

/// The file's shape, with the position of every value for error messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriceList {
    currency: Spanned<String>,
    #[serde(default)]
    per_session: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    induction_package: Option<RawPackage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackage {
    route: Spanned<String>,
    sessions: Spanned<i64>,
    price: Spanned<toml::Value>,
}

impl PriceList {
    /// Reads a price list from its TOML text. Every error names the line and column to fix.
    pub fn from_toml(text: &str) -> Result<PriceList, PriceListError> {
        let at = |span: Range<usize>, problem: PriceListProblem| {
            let (line, column) = line_column(text, span.start);
            PriceListError {
                line,
                column,
                problem,
            }
        };
        let raw: RawPriceList = toml::from_str(text).map_err(|e| {
            // Messages may run over several lines; keep the error on one.
            let message = e.message().trim().replace('\n', "; ");
            at(e.span().unwrap_or(0..0), PriceListProblem::Toml(message))
        })?;

        let currency = raw
            .currency
            .get_ref()
            .parse::<Currency>()
            .map_err(|e| at(raw.currency.span(), PriceListProblem::Currency(e)))?;

        let mut per_session = BTreeMap::new();
        for (key, value) in &raw.per_session {
            let route = key.get_ref().parse::<Route>().map_err(|_| {
                at(
                    key.span(),
                    PriceListProblem::UnknownRoute {
                        key: "per_session",
                        route: key.get_ref().clone(),
                    },
                )
            })?;
            let name = format!("per_session.{}", key.get_ref());
            per_session.insert(route, price(text, &name, value).map_err(|(s, p)| at(s, p))?);
        }

        let induction_package = match raw.induction_package {
            None => None,
            Some(package) => {
                let route = package.route.get_ref().parse::<Route>().map_err(|_| {
                    at(
                        package.route.span(),
                        PriceListProblem::UnknownRoute {
                            key: "induction_package.route",
                            route: package.route.get_ref().clone(),
                        },
                    )
                })?;
                let written = *package.sessions.get_ref();
                let sessions =
                    u32::try_from(written)
                        .ok()
                        .filter(|&n| n >= 1)
                        .ok_or_else(|| {
                            at(
                                package.sessions.span(),
                                PriceListProblem::PackageSessions(written),
                            )
                        })?;
                let price = price(text, "induction_package.price", &package.price)
                    .map_err(|(s, p)| at(s, p))?;
                Some(InductionPackage {
                    route,
                    sessions,
                    price,
                })
            }
        };

        Ok(PriceList {
            currency,
            per_session,
            induction_package,
        })
    }

    /// The currency code every price is in, e.g. `USD`.
    pub fn currency(&self) -> &str {
        self.currency.as_str()
    }

    /// The price of one session on `route`.
    pub fn per_session_price(&self, route: Route) -> Result<Money, PriceError> {
        self.per_session
            .get(&route)
            .copied()
            .ok_or(PriceError::NoPrice(route))
    }
}

/// Reads one price value. Integers are exact; floats are read from the text as written, so
/// `450.005` is seen as having 3 decimals rather than as the nearest binary fraction.
fn price(
    text: &str,
    key: &str,
    value: &Spanned<toml::Value>,
) -> Result<Money, (Range<usize>, PriceListProblem)> {
    let written = text.get(value.span()).unwrap_or_default().trim().to_owned();
    let problem = |problem: MoneyError| {
        (
            value.span(),
            PriceListProblem::Price {
                key: key.to_owned(),
                written: written.clone(),
                problem,
            },
        )
    };
    match value.get_ref() {
        toml::Value::Integer(n) => {
            let units = u64::try_from(*n).map_err(|_| problem(MoneyError::Negative))?;
            Money::from_units(units).ok_or_else(|| problem(MoneyError::TooLarge))
        }
        toml::Value::Float(f) if !f.is_finite() => Err(problem(MoneyError::NotFinite)),
        toml::Value::Float(_) => written.parse::<Money>().map_err(problem),
        other => Err(problem(MoneyError::NotANumber(other.type_str()))),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
