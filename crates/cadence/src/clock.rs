//! The one place the command line reads the system clock.
//!
//! Domain code takes `today` as a parameter (STYLE.md: time is a parameter); only this module
//! turns "now" into a civil date in the clinic's time zone.

use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Today's date in the given time zone.
#[expect(
    clippy::disallowed_methods,
    reason = "the binary's clock module is the one place allowed to read the system clock"
)]
pub fn today_in(tz: &TimeZone) -> Date {
    jiff::Timestamp::now().to_zoned(tz.clone()).date()
}
