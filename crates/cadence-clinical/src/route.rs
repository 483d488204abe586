//! Routes of administration a Cadence course can follow.
//!
//! The route decides which contraindications apply (esketamine has label contraindications and
//! REMS rules; IV and IM racemic ketamine follow consensus cautions: reference section 4) and
//! which per-session price a course is charged.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How ketamine is given in a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Esketamine nasal spray (SPRAVATO), self-administered under direct supervision.
    Esketamine,
    /// Intravenous racemic ketamine (off-label).
    IvKetamine,
    /// Intramuscular racemic ketamine (off-label).
    ImKetamine,
}

impl Route {
    /// Every route, in a stable order.
    pub const ALL: [Route; 3] = [Route::Esketamine, Route::IvKetamine, Route::ImKetamine];

    /// The stable id used in files, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Esketamine => "esketamine",
            Route::IvKetamine => "iv_ketamine",
            Route::ImKetamine => "im_ketamine",
        }
    }

    /// A short human label.
    pub fn label(self) -> &'static str {
        match self {
            Route::Esketamine => "esketamine nasal spray",
            Route::IvKetamine => "IV ketamine",
            Route::ImKetamine => "IM ketamine",
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A route id that is not one of [`Route::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown route `{0}`: expected one of esketamine, iv_ketamine, im_ketamine")]
pub struct UnknownRoute(pub String);

impl FromStr for Route {
    type Err = UnknownRoute;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Route::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRoute(s.to_owned()))
    }
}
