//! The clinic's day (issue 16 §1): opening hours per weekday, how long a session takes, chairs
//! and overlaps, the open slots of a day, and which booked sessions no longer fit the plan.
//!
//! None of these are clinical numbers except the protocol's observation time: opening hours,
//! the number of chairs and the default session length are clinic settings, and a session is
//! never booked shorter than its protocol's observation (esketamine: at least 2 hours
//! [PI-2019-P3]). Times are civil times in the clinic's time zone.

use crate::calendar::ClinicCalendar;
use crate::planner::{Plan, SessionKind, SessionState};
use jiff::civil::{Date, Time, Weekday};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The default session length when a clinic has not set one, in minutes: a clinic setting, not
/// a clinical number (the protocol's observation time overrides it when longer).
pub const DEFAULT_SESSION_MINUTES: u16 = 120;
/// The default number of chairs (rooms) a clinic treats in at once: a clinic setting.
pub const DEFAULT_CHAIRS: u16 = 4;
/// The most chairs a clinic may set.
pub const MAX_CHAIRS: u16 = 50;
/// The open slots of a day start every this many minutes from opening.
pub const SLOT_STEP_MINUTES: u16 = 30;
/// A session's length may be set from 15 minutes to 12 hours.
pub const SESSION_MINUTES_RANGE: (u16, u16) = (15, 720);

/// Weekday ids in Monday-first order.
const DAY_IDS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// What a schedule setting or a time cannot be, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Not `HH:MM`.
    #[error("`{0}` is not a time: write it as HH:MM (24-hour), e.g. 09:30")]
    BadTime(String),
    /// Not `mon 09:00-17:00`.
    #[error("`{0}` is not opening hours: write `mon 09:00-17:00`, one weekday a line or comma")]
    BadHours(String),
    /// Closing at or before opening.
    #[error("{day}: closing time {closes} is not after opening time {opens}")]
    Backwards {
        /// The weekday id.
        day: &'static str,
        /// Opening.
        opens: String,
        /// Closing.
        closes: String,
    },
}

/// Parses `HH:MM` (24-hour) to a civil time with zero seconds.
pub fn parse_time(text: &str) -> Result<Time, ScheduleError> {
    let t = text.trim();
    let bad = || ScheduleError::BadTime(t.chars().take(40).collect());
    let (h, m) = t.split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: i8 = h.parse().map_err(|_| bad())?;
    let m: i8 = m.parse().map_err(|_| bad())?;
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

/// `HH:MM`.
pub fn format_time(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// Minutes since midnight.
pub fn minute_of_day(t: Time) -> u16 {
    u16::try_from(i32::from(t.hour()) * 60 + i32::from(t.minute())).unwrap_or(0)
}

/// The time `minutes` after midnight, if within the day.
pub fn time_at(minutes: u16) -> Option<Time> {
    let h = i8::try_from(minutes / 60).ok()?;
    let m = i8::try_from(minutes % 60).ok()?;
    Time::new(h, m, 0, 0).ok()
}

/// A day's opening and closing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    /// Opens.
    pub opens: Time,
    /// Closes (after `opens`).
    pub closes: Time,
}

impl Hours {
    /// 09:00 to 17:00: the default for every weekday until a clinic sets its own.
    pub const NINE_TO_FIVE: Hours = Hours {
        opens: Time::constant(9, 0, 0, 0),
        closes: Time::constant(17, 0, 0, 0),
    };
}

/// Opening hours per weekday (which weekdays are open is the calendar's `OpenDays`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningHours([Hours; 7]);

impl Default for OpeningHours {
    fn default() -> Self {
        OpeningHours([Hours::NINE_TO_FIVE; 7])
    }
}

fn index(day: Weekday) -> usize {
    usize::try_from(day.to_monday_zero_offset()).unwrap_or(0)
}

impl OpeningHours {
    /// The hours of a weekday.
    pub fn of(&self, day: Weekday) -> Hours {
        self.0[index(day)]
    }

    /// The hours of a date's weekday.
    pub fn on(&self, date: Date) -> Hours {
        self.of(date.weekday())
    }

    /// Sets one weekday's hours.
    pub fn set(&mut self, day: Weekday, hours: Hours) -> Result<(), ScheduleError> {
        if hours.closes <= hours.opens {
            return Err(ScheduleError::Backwards {
                day: DAY_IDS[index(day)],
                opens: format_time(hours.opens),
                closes: format_time(hours.closes),
            });
        }
        self.0[index(day)] = hours;
        Ok(())
    }

    /// Each weekday (Monday first) with its id and hours.
    pub fn days(&self) -> impl Iterator<Item = (&'static str, Hours)> + '_ {
        DAY_IDS.iter().copied().zip(self.0.iter().copied())
    }
}

/// `mon 09:00-17:00,tue 09:00-17:00,…`: every weekday, Monday first.
impl fmt::Display for OpeningHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .days()
            .map(|(id, h)| format!("{id} {}-{}", format_time(h.opens), format_time(h.closes)))
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// Parses `mon 09:00-17:00` entries separated by commas or new lines; weekdays not named keep
/// 09:00-17:00.
impl FromStr for OpeningHours {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut hours = OpeningHours::default();
        for part in s
            .split([',', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let bad = || ScheduleError::BadHours(part.chars().take(40).collect());
            let (day, range) = part.split_once(' ').ok_or_else(bad)?;
            let day = crate::calendar::parse_weekday(day).map_err(|_| bad())?;
            let (opens, closes) = range.trim().split_once('-').ok_or_else(bad)?;
            hours.set(
                day,
                Hours {
                    opens: parse_time(opens)?,
                    closes: parse_time(closes)?,
                },
            )?;
        }
        Ok(hours)
    }
}

impl Serialize for OpeningHours {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How long a session of a protocol is booked for: the clinic's setting, but never shorter
/// than the protocol's observation time.
pub fn session_minutes(setting: u16, observation_minutes: Option<u16>) -> u16 {
    setting.max(observation_minutes.unwrap_or(0))
}

/// A booking already on the day, as far as slots are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupied {
    /// Its start.
    pub start: Time,
    /// Its length in minutes.
    pub minutes: u16,
    /// Its chair (none for a booking made before chairs were kept).
    pub chair: Option<u16>,
}

/// Whether two bookings overlap in time.
pub fn overlaps(a_start: Time, a_minutes: u16, b_start: Time, b_minutes: u16) -> bool {
    let a0 = u32::from(minute_of_day(a_start));
    let b0 = u32::from(minute_of_day(b_start));
    a0 < b0 + u32::from(b_minutes) && b0 < a0 + u32::from(a_minutes)
}

/// Why a slot cannot take a session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotRefusal {
    /// Outside the day's opening hours.
    #[error(
        "{start} for {minutes} minutes is outside opening hours ({opens}-{closes}): choose a \
         time that ends by closing"
    )]
    OutsideHours {
        /// Start.
        start: String,
        /// Length.
        minutes: u16,
        /// Opening.
        opens: String,
        /// Closing.
        closes: String,
    },
    /// Every chair is taken at that time.
    #[error("every chair is taken at {start}: choose another time")]
    Full {
        /// Start.
        start: String,
    },
    /// The chair asked for is taken or does not exist.
    #[error("chair {chair} is not free at {start} (the clinic has {chairs}): choose another")]
    ChairTaken {
        /// The chair.
        chair: u16,
        /// Start.
        start: String,
        /// Chairs in the clinic.
        chairs: u16,
    },
}

/// Whether `start` for `minutes` fits in `hours`.
pub fn within_hours(hours: Hours, start: Time, minutes: u16) -> Result<(), SlotRefusal> {
    let end = u32::from(minute_of_day(start)) + u32::from(minutes);
    if start < hours.opens || end > u32::from(minute_of_day(hours.closes)) {
        return Err(SlotRefusal::OutsideHours {
            start: format_time(start),
            minutes,
            opens: format_time(hours.opens),
            closes: format_time(hours.closes),
        });
    }
    Ok(())
}

/// The chair a session from `start` for `minutes` takes: `wanted` if free, else the lowest
/// free one. Refused when `chairs` overlapping bookings are already there.
pub fn free_chair(
    day: &[Occupied],
    start: Time,
    minutes: u16,
    chairs: u16,
    wanted: Option<u16>,
) -> Result<u16, SlotRefusal> {
    let clash: Vec<&Occupied> = day
        .iter()
        .filter(|o| overlaps(o.start, o.minutes, start, minutes))
        .collect();
    let taken = |c: u16| clash.iter().any(|o| o.chair == Some(c));
    if clash.len() >= usize::from(chairs) {
        return Err(SlotRefusal::Full {
            start: format_time(start),
        });
    }
    match wanted {
        Some(c) if c == 0 || c > chairs || taken(c) => Err(SlotRefusal::ChairTaken {
            chair: c,
            start: format_time(start),
            chairs,
        }),
        Some(c) => Ok(c),
        None => (1..=chairs).find(|c| !taken(*c)).ok_or(SlotRefusal::Full {
            start: format_time(start),
        }),
    }
}

/// An open slot: a start time with how many chairs are free for a whole session from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OpenSlot {
    /// The start (`HH:MM`).
    #[serde(serialize_with = "serde_hhmm")]
    pub start: Time,
    /// Chairs free for the whole session.
    pub free_chairs: u16,
}

/// Serialises a time as `HH:MM` (for `#[serde(serialize_with)]`).
pub fn serde_hhmm<S: serde::Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_time(*t))
}

/// The day's open slots every [`SLOT_STEP_MINUTES`] from opening, for a session of `minutes`
/// that ends by closing; none on a closed day.
pub fn open_slots(
    calendar: &ClinicCalendar,
    hours: &OpeningHours,
    date: Date,
    minutes: u16,
    chairs: u16,
    day: &[Occupied],
) -> Vec<OpenSlot> {
    if !calendar.is_open(date) {
        return Vec::new();
    }
    let h = hours.on(date);
    let mut slots = Vec::new();
    let mut at = minute_of_day(h.opens);
    while let Some(start) = time_at(at) {
        if within_hours(h, start, minutes).is_err() {
            break;
        }
        let used = day
            .iter()
            .filter(|o| overlaps(o.start, o.minutes, start, minutes))
            .count();
        let free = usize::from(chairs).saturating_sub(used);
        if free > 0 {
            slots.push(OpenSlot {
                start,
                free_chairs: u16::try_from(free).unwrap_or(u16::MAX),
            });
        }
        at = at.saturating_add(SLOT_STEP_MINUTES);
    }
    slots
}

/// A booked session as the to-move check sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookedSlot {
    /// Its day.
    pub date: Date,
    /// Its start.
    pub start: Time,
    /// Its length.
    pub minutes: u16,
}

/// Why a booked session no longer fits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MoveReason {
    /// The clinic is now closed that day (a closed date added, or the weekday closed).
    ClinicClosed,
    /// The session falls outside the day's opening hours.
    OutsideHours,
    /// The maintenance interval changed (a clinician's decision): the session is too early or
    /// too late for it.
    IntervalChanged {
        /// The interval in force, in weeks.
        interval_weeks: u16,
        /// The day the plan would put it on.
        due: Date,
    },
    /// The course is paused or stopped by a clinician's decision: no session goes ahead.
    CourseNotActive,
}

impl MoveReason {
    /// In the clinic's words.
    pub fn message(&self) -> String {
        match self {
            MoveReason::ClinicClosed => "the clinic is now closed that day".into(),
            MoveReason::OutsideHours => "it no longer fits the day's opening hours".into(),
            MoveReason::IntervalChanged {
                interval_weeks,
                due,
            } => format!(
                "a clinician changed the interval to every {interval_weeks} week(s): the plan \
                 now puts it on {due}"
            ),
            MoveReason::CourseNotActive => {
                "a clinician's decision stopped sessions on this course: cancel it".into()
            }
        }
    }
}

/// Booked sessions of one course that no longer fit: the calendar, the opening hours, or the
/// plan's interval after a decision. Booked maintenance sessions with a booking reason were
/// put off-plan on purpose and are judged on the calendar only. `plan` is the course's plan
/// (booked sessions in it, in date order); `booked` the course's bookings from `today`.
pub fn to_move(
    today: Date,
    plan: Option<&Plan>,
    stopped: bool,
    calendar: &ClinicCalendar,
    hours: &OpeningHours,
    booked: &[BookedSlot],
) -> Vec<(BookedSlot, MoveReason)> {
    let mut out = Vec::new();
    for b in booked {
        if stopped {
            out.push((*b, MoveReason::CourseNotActive));
        } else if !calendar.is_open(b.date) {
            out.push((*b, MoveReason::ClinicClosed));
        } else if within_hours(hours.on(b.date), b.start, b.minutes).is_err() {
            out.push((*b, MoveReason::OutsideHours));
        } else if let Some(reason) = plan.and_then(|p| interval_misfit(p, calendar, today, b.date))
        {
            out.push((*b, reason));
        }
    }
    out
}

/// A booked maintenance session more than a week away from where the interval in force puts
/// it (before the due day, or after the first open day of the week it falls due). A due day
/// already past counts from today: an overdue patient booked within the week fits.
fn interval_misfit(
    plan: &Plan,
    calendar: &ClinicCalendar,
    today: Date,
    date: Date,
) -> Option<MoveReason> {
    let pos = plan
        .sessions
        .iter()
        .position(|s| s.date == date && s.status == SessionState::Booked)?;
    let s = &plan.sessions[pos];
    if s.kind != SessionKind::Maintenance || s.booking_reason.is_some() || pos == 0 {
        return None;
    }
    let weeks = s.interval_weeks?;
    let prev = plan.sessions[pos - 1].date;
    let due = prev
        .checked_add(jiff::Span::new().days(7 * i64::from(weeks)))
        .ok()?
        .max(today);
    // The latest acceptable day: six days after the due day, or the first open day from it.
    let mut latest = due.checked_add(jiff::Span::new().days(6)).ok()?;
    let mut d = due;
    for _ in 0..366 {
        if calendar.is_open(d) {
            latest = latest.max(d);
            break;
        }
        d = d.checked_add(jiff::Span::new().days(1)).ok()?;
    }
    if date < due || date > latest {
        Some(MoveReason::IntervalChanged {
            interval_weeks: weeks,
            due: d,
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn occ(h: i8, m: i8, minutes: u16, chair: u16) -> Occupied {
        Occupied {
            start: time(h, m, 0, 0),
            minutes,
            chair: Some(chair),
        }
    }

    #[test]
    fn times_parse_and_print() {
        assert_eq!(parse_time("9:30").unwrap(), time(9, 30, 0, 0));
        assert_eq!(format_time(time(9, 5, 0, 0)), "09:05");
        for bad in [
            "", "25:00", "9", "09:60", "ab:cd", "09:3", "-1:00", "099:00",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn opening_hours_round_trip_and_refuse_backwards_days() {
        let h: OpeningHours = "mon 08:00-12:00\nsat 10:00-14:00".parse().unwrap();
        assert_eq!(h.of(Weekday::Monday).opens, time(8, 0, 0, 0));
        assert_eq!(h.of(Weekday::Tuesday), Hours::NINE_TO_FIVE);
        assert_eq!(h.to_string().parse::<OpeningHours>().unwrap(), h);
        assert!("mon 12:00-08:00".parse::<OpeningHours>().is_err());
        assert!("funday 08:00-12:00".parse::<OpeningHours>().is_err());
    }

    #[test]
    fn a_session_is_never_shorter_than_the_observation() {
        assert_eq!(session_minutes(60, Some(120)), 120);
        assert_eq!(session_minutes(150, Some(120)), 150);
        assert_eq!(session_minutes(90, None), 90);
    }

    #[test]
    fn chairs_fill_and_refuse() {
        let day = [occ(9, 0, 120, 1)];
        // Overlapping: chair 2 is free, chair 1 is not.
        assert_eq!(free_chair(&day, time(10, 0, 0, 0), 60, 2, None), Ok(2));
        assert!(matches!(
            free_chair(&day, time(10, 0, 0, 0), 60, 2, Some(1)),
            Err(SlotRefusal::ChairTaken { .. })
        ));
        assert!(matches!(
            free_chair(&day, time(10, 0, 0, 0), 60, 1, None),
            Err(SlotRefusal::Full { .. })
        ));
        // Back to back is not an overlap.
        assert_eq!(free_chair(&day, time(11, 0, 0, 0), 60, 1, None), Ok(1));
        assert!(free_chair(&day, time(11, 0, 0, 0), 60, 1, Some(9)).is_err());
    }

    #[test]
    fn open_slots_end_by_closing_and_skip_full_times() {
        let cal = ClinicCalendar::new("UTC", Default::default(), [date(2026, 12, 8)]).unwrap();
        let hours = OpeningHours::default();
        let day = [occ(9, 0, 120, 1)];
        let slots = open_slots(&cal, &hours, date(2026, 12, 7), 120, 1, &day);
        assert_eq!(slots.first().map(|s| s.start), Some(time(11, 0, 0, 0)));
        assert_eq!(slots.last().map(|s| s.start), Some(time(15, 0, 0, 0)));
        assert!(open_slots(&cal, &hours, date(2026, 12, 8), 120, 1, &[]).is_empty());
        assert!(open_slots(&cal, &hours, date(2026, 12, 12), 120, 1, &[]).is_empty());
    }

    #[test]
    fn a_closed_day_or_a_stopped_course_lists_the_booking_to_move() {
        let cal = ClinicCalendar::new("UTC", Default::default(), [date(2026, 12, 8)]).unwrap();
        let hours = OpeningHours::default();
        let b = BookedSlot {
            date: date(2026, 12, 8),
            start: time(9, 0, 0, 0),
            minutes: 120,
        };
        let ok = BookedSlot {
            date: date(2026, 12, 9),
            ..b
        };
        let late = BookedSlot {
            start: time(16, 0, 0, 0),
            ..ok
        };
        let found = to_move(date(2026, 1, 1), None, false, &cal, &hours, &[b, ok, late]);
        assert_eq!(
            found,
            vec![
                (b, MoveReason::ClinicClosed),
                (late, MoveReason::OutsideHours)
            ]
        );
        assert_eq!(
            to_move(date(2026, 1, 1), None, true, &cal, &hours, &[ok]),
            vec![(ok, MoveReason::CourseNotActive)]
        );
    }
}
