//! The clinic's calendar: its time zone, the weekdays it is open and the dates it is closed.
//!
//! The planner books sessions only on days this calendar says are open, so a calendar is built
//! only through [`ClinicCalendar::new`] (or deserialised through the same checks): a calendar
//! with no open weekday could never host a course and is rejected up front, with a message
//! saying what to change. Dates are civil dates in the clinic's time zone; a calendar keeps the
//! zone as its IANA name (text). A clinic's stored zone is a [`TimeZoneName`], which holds only
//! names jiff's bundled time-zone database knows.

mod time_zone;

pub use time_zone::{TimeZoneName, UnknownTimeZone};

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// Weekday ids in Monday-first order, as written in files and on the command line.
const WEEKDAY_IDS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A calendar that cannot be built, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// No weekday is open, so no session could ever be booked.
    #[error(
        "the clinic calendar has no open weekday: open at least one (e.g. `mon,tue,wed,thu,fri`)"
    )]
    NoOpenDay,
    /// A weekday token that is not a weekday.
    #[error(
        "`{token}` is not a weekday: use mon, tue, wed, thu, fri, sat or sun, separated by commas"
    )]
    UnknownWeekday {
        /// The token as written.
        token: String,
    },
    /// A closed-date token that is not a `YYYY-MM-DD` date.
    #[error("`{token}` is not a date: write closed dates as YYYY-MM-DD, separated by commas")]
    BadDate {
        /// The token as written.
        token: String,
    },
    /// A time-zone name that is empty or contains spaces.
    #[error("`{name}` is not a time-zone name: use an IANA name such as `Europe/London` or `UTC`")]
    BadTimeZone {
        /// The name as written.
        name: String,
    },
}

/// The weekdays a clinic is open, never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpenDays([bool; 7]);

impl OpenDays {
    /// Monday to Friday: the default when a clinic says nothing.
    pub const MONDAY_TO_FRIDAY: OpenDays = OpenDays([true, true, true, true, true, false, false]);
    /// Every day of the week.
    pub const EVERY_DAY: OpenDays = OpenDays([true; 7]);

    /// The given weekdays, or [`CalendarError::NoOpenDay`] when there are none.
    pub fn from_weekdays(days: impl IntoIterator<Item = Weekday>) -> Result<Self, CalendarError> {
        let mut open = [false; 7];
        for day in days {
            open[monday_index(day)] = true;
        }
        if open.iter().any(|o| *o) {
            Ok(OpenDays(open))
        } else {
            Err(CalendarError::NoOpenDay)
        }
    }

    /// Whether the clinic is open on this weekday.
    pub fn contains(self, day: Weekday) -> bool {
        self.0[monday_index(day)]
    }

    /// The open weekdays, Monday first.
    pub fn weekdays(self) -> Vec<Weekday> {
        (0..7)
            .filter(|i| self.0[*i])
            .filter_map(|i| i8::try_from(i).ok())
            .filter_map(|i| Weekday::from_monday_zero_offset(i).ok())
            .collect()
    }

    /// The number of open weekdays (1-7).
    pub fn count(self) -> usize {
        self.0.iter().filter(|o| **o).count()
    }
}

impl Default for OpenDays {
    fn default() -> Self {
        OpenDays::MONDAY_TO_FRIDAY
    }
}

/// `mon,wed,fri`: the ids of the open days, Monday first.
impl fmt::Display for OpenDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = (0..7)
            .filter(|i| self.0[*i])
            .map(|i| WEEKDAY_IDS[i])
            .collect();
        f.write_str(&ids.join(","))
    }
}

/// Parses `mon,tue,wed` (case-insensitive; full names such as `monday` also accepted), naming
/// the first token that is not a weekday.
impl FromStr for OpenDays {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let days = s
            .split(',')
            .map(parse_weekday)
            .collect::<Result<Vec<_>, _>>()?;
        OpenDays::from_weekdays(days)
    }
}

impl Serialize for OpenDays {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ids: Vec<&str> = (0..7)
            .filter(|i| self.0[*i])
            .map(|i| WEEKDAY_IDS[i])
            .collect();
        ids.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for OpenDays {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ids = Vec::<String>::deserialize(deserializer)?;
        let days = ids
            .iter()
            .map(|t| parse_weekday(t))
            .collect::<Result<Vec<_>, _>>()
            .map_err(serde::de::Error::custom)?;
        OpenDays::from_weekdays(days).map_err(serde::de::Error::custom)
    }
}

/// Monday = 0 … Sunday = 6.
fn monday_index(day: Weekday) -> usize {
    usize::try_from(day.to_monday_zero_offset()).unwrap_or(0)
}

/// One weekday token: `mon` or `monday`, any case, surrounding spaces ignored.
pub fn parse_weekday(token: &str) -> Result<Weekday, CalendarError> {
    let t = token.trim().to_ascii_lowercase();
    let day = match t.as_str() {
        "mon" | "monday" => Weekday::Monday,
        "tue" | "tues" | "tuesday" => Weekday::Tuesday,
        "wed" | "wednesday" => Weekday::Wednesday,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thursday,
        "fri" | "friday" => Weekday::Friday,
        "sat" | "saturday" => Weekday::Saturday,
        "sun" | "sunday" => Weekday::Sunday,
        _ => {
            return Err(CalendarError::UnknownWeekday {
                token: token.trim().to_owned(),
            });
        }
    };
    Ok(day)
}

/// Parses `2026-12-25,2027-01-01` into a set of closed dates, naming the first bad token. An
/// empty or blank text means no closed dates.
pub fn parse_closed_dates(s: &str) -> Result<BTreeSet<Date>, CalendarError> {
    if s.trim().is_empty() {
        return Ok(BTreeSet::new());
    }
    s.split(',')
        .map(|token| {
            token
                .trim()
                .parse::<Date>()
                .map_err(|_| CalendarError::BadDate {
                    token: token.trim().to_owned(),
                })
        })
        .collect()
}

/// When a clinic can see patients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarFile", into = "CalendarFile")]
pub struct ClinicCalendar {
    time_zone: String,
    open_days: OpenDays,
    closed: BTreeSet<Date>,
}

/// The serialised shape of a calendar; [`ClinicCalendar`] is built from it through the same
/// checks as [`ClinicCalendar::new`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    time_zone: String,
    open_days: OpenDays,
    #[serde(default)]
    closed: BTreeSet<Date>,
}

impl TryFrom<CalendarFile> for ClinicCalendar {
    type Error = CalendarError;
    fn try_from(f: CalendarFile) -> Result<Self, Self::Error> {
        ClinicCalendar::new(f.time_zone, f.open_days, f.closed)
    }
}

impl From<ClinicCalendar> for CalendarFile {
    fn from(c: ClinicCalendar) -> Self {
        CalendarFile {
            time_zone: c.time_zone,
            open_days: c.open_days,
            closed: c.closed,
        }
    }
}

impl ClinicCalendar {
    /// A calendar in the named IANA time zone (checked only for being a plausible name: the
    /// binary checks it against the time-zone database).
    pub fn new(
        time_zone: impl Into<String>,
        open_days: OpenDays,
        closed: impl IntoIterator<Item = Date>,
    ) -> Result<Self, CalendarError> {
        let time_zone = time_zone.into();
        if time_zone.trim().is_empty() || time_zone.chars().any(char::is_whitespace) {
            return Err(CalendarError::BadTimeZone { name: time_zone });
        }
        Ok(ClinicCalendar {
            time_zone,
            open_days,
            closed: closed.into_iter().collect(),
        })
    }

    /// The clinic's IANA time-zone name.
    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// The weekdays the clinic is open.
    pub fn open_days(&self) -> OpenDays {
        self.open_days
    }

    /// The dates the clinic is closed although the weekday is open (holidays, training days).
    pub fn closed(&self) -> &BTreeSet<Date> {
        &self.closed
    }

    /// Whether a session can be booked on this date: an open weekday that is not closed.
    pub fn is_open(&self, date: Date) -> bool {
        self.open_days.contains(date.weekday()) && !self.closed.contains(&date)
    }

    /// The first open date on or after `from`, looking at most `within_days` days ahead
    /// (`None` when every day in that span is shut or past the end of the calendar).
    pub fn next_open_on_or_after(&self, from: Date, within_days: u32) -> Option<Date> {
        from.series(jiff::Span::new().days(1))
            .take(usize::try_from(within_days).ok()?.saturating_add(1))
            .find(|d| self.is_open(*d))
    }
}

/// Monday to Friday, UTC, no closed dates: the planner's defaults when a clinic says nothing.
impl Default for ClinicCalendar {
    fn default() -> Self {
        ClinicCalendar {
            time_zone: "UTC".to_owned(),
            open_days: OpenDays::MONDAY_TO_FRIDAY,
            closed: BTreeSet::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn default_is_monday_to_friday_utc_with_nothing_closed() {
        let c = ClinicCalendar::default();
        assert_eq!(c.time_zone(), "UTC");
        assert_eq!(c.open_days().to_string(), "mon,tue,wed,thu,fri");
        assert!(c.closed().is_empty());
        // 2026-12-07 is a Monday.
        assert!(c.is_open(date(2026, 12, 7)));
        assert!(c.is_open(date(2026, 12, 11)));
        assert!(!c.is_open(date(2026, 12, 12)));
        assert!(!c.is_open(date(2026, 12, 13)));
    }

    #[test]
    fn open_days_parse_in_any_case_and_with_full_names() {
        let d: OpenDays = " Mon, wednesday ,FRI".parse().unwrap();
        assert_eq!(d.to_string(), "mon,wed,fri");
        assert_eq!(d.count(), 3);
        assert!(d.contains(Weekday::Wednesday));
        assert!(!d.contains(Weekday::Tuesday));
        assert_eq!(
            d.weekdays(),
            vec![Weekday::Monday, Weekday::Wednesday, Weekday::Friday]
        );
    }

    #[test]
    fn a_bad_weekday_token_is_named() {
        let err = "mon,tuesdy,fri".parse::<OpenDays>().unwrap_err();
        assert_eq!(
            err,
            CalendarError::UnknownWeekday {
                token: "tuesdy".into()
            }
        );
        assert!(err.to_string().contains("`tuesdy` is not a weekday"));
        let empty = "mon,,fri".parse::<OpenDays>().unwrap_err();
        assert_eq!(empty, CalendarError::UnknownWeekday { token: "".into() });
    }

    #[test]
    fn no_open_day_is_an_error() {
        assert_eq!(
            OpenDays::from_weekdays([]).unwrap_err(),
            CalendarError::NoOpenDay
        );
        let json = r#"{"time_zone":"UTC","open_days":[]}"#;
        let err = serde_json::from_str::<ClinicCalendar>(json).unwrap_err();
        assert!(err.to_string().contains("no open weekday"), "{err}");
    }

    #[test]
    fn closed_dates_parse_and_name_the_bad_token() {
        let set = parse_closed_dates("2026-12-25, 2027-01-01").unwrap();
        assert_eq!(
            set.into_iter().collect::<Vec<_>>(),
            vec![date(2026, 12, 25), date(2027, 1, 1)]
        );
        assert!(parse_closed_dates("  ").unwrap().is_empty());
        assert_eq!(
            parse_closed_dates("2026-12-25,2026-13-01").unwrap_err(),
            CalendarError::BadDate {
                token: "2026-13-01".into()
            }
        );
    }

    #[test]
    fn closed_dates_shut_an_open_weekday() {
        let c = ClinicCalendar::new(
            "Europe/London",
            OpenDays::MONDAY_TO_FRIDAY,
            [date(2026, 12, 25)],
        )
        .unwrap();
        assert!(!c.is_open(date(2026, 12, 25)));
        assert_eq!(
            c.next_open_on_or_after(date(2026, 12, 25), 10),
            Some(date(2026, 12, 28))
        );
        assert_eq!(c.next_open_on_or_after(date(2026, 12, 25), 2), None);
        assert_eq!(
            c.next_open_on_or_after(date(2026, 12, 24), 0),
            Some(date(2026, 12, 24))
        );
    }

    #[test]
    fn time_zone_must_be_a_plausible_name() {
        assert!(matches!(
            ClinicCalendar::new("", OpenDays::default(), []),
            Err(CalendarError::BadTimeZone { .. })
        ));
        assert!(matches!(
            ClinicCalendar::new("Europe/ London", OpenDays::default(), []),
            Err(CalendarError::BadTimeZone { .. })
        ));
    }

    #[test]
    fn calendar_round_trips_through_json() {
        let c = ClinicCalendar::new(
            "America/New_York",
            "tue,thu".parse().unwrap(),
            [date(2026, 12, 24)],
        )
        .unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"time_zone":"America/New_York","open_days":["tue","thu"],"closed":["2026-12-24"]}"#
        );
        assert_eq!(serde_json::from_str::<ClinicCalendar>(&json).unwrap(), c);
    }
}
