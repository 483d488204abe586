//! A clinic's time zone as a checked IANA name: [`TimeZoneName`] holds only names jiff's
//! bundled time-zone database knows (data compiled into the binary, no I/O), so a stored or
//! configured zone that exists is the only kind the rest of the code ever sees.

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An IANA time-zone name that jiff knows (`Europe/London`, `America/New_York`, `UTC`),
/// kept in its canonical spelling, with the zone it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZoneName {
    name: String,
    zone: TimeZone,
}

/// A name that is not a known IANA time zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{name}` is not a known IANA time zone; use a name such as Europe/London or UTC")]
pub struct UnknownTimeZone {
    /// The name as given.
    pub name: String,
}

impl TimeZoneName {
    /// `UTC`.
    pub fn utc() -> TimeZoneName {
        TimeZoneName {
            name: "UTC".to_owned(),
            zone: TimeZone::UTC,
        }
    }

    /// The canonical IANA name, as stored and shown.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The zone, for converting instants to the clinic's civil dates and times.
    pub fn time_zone(&self) -> &TimeZone {
        &self.zone
    }
}

/// Parses a name (surrounding spaces ignored, any case), giving its canonical spelling.
impl FromStr for TimeZoneName {
    type Err = UnknownTimeZone;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        let unknown = || UnknownTimeZone {
            name: name.to_owned(),
        };
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(unknown());
        }
        let zone = TimeZone::get(name).map_err(|_| unknown())?;
        let name = zone.iana_name().unwrap_or(name).to_owned();
        Ok(TimeZoneName { name, zone })
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl From<TimeZoneName> for String {
    fn from(name: TimeZoneName) -> String {
        name.name
    }
}

impl Serialize for TimeZoneName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for TimeZoneName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_parse_to_their_canonical_spelling() {
        let london: TimeZoneName = "Europe/London".parse().unwrap();
        assert_eq!(london.as_str(), "Europe/London");
        assert_eq!(london.to_string(), "Europe/London");
        assert_eq!(london.time_zone().iana_name(), Some("Europe/London"));
        let lower: TimeZoneName = " europe/london ".parse().unwrap();
        assert_eq!(lower, london);
        assert_eq!("UTC".parse::<TimeZoneName>().unwrap(), TimeZoneName::utc());
    }

    #[test]
    fn unknown_or_malformed_names_are_refused() {
        for bad in [
            "",
            "  ",
            "Mars/Base",
            "Europe/ London",
            "UT\tC",
            "../etc/passwd",
        ] {
            let err = bad.parse::<TimeZoneName>().unwrap_err();
            assert!(
                err.to_string().contains("not a known IANA time zone"),
                "{bad}"
            );
        }
    }

    #[test]
    fn serde_is_the_name_as_text() {
        let tz: TimeZoneName = "America/New_York".parse().unwrap();
        let json = serde_json::to_string(&tz).unwrap();
        assert_eq!(json, r#""America/New_York""#);
        assert_eq!(serde_json::from_str::<TimeZoneName>(&json).unwrap(), tz);
        let err = serde_json::from_str::<TimeZoneName>(r#""Nowhere/Town""#).unwrap_err();
        assert!(err.to_string().contains("Nowhere/Town"), "{err}");
    }
}
