//! Cadence's clinical domain, pure: no I/O, no async, no database or web types.
//!
//! Everything a clinic's decision support rests on lives here, as data and pure functions, so it
//! can be tested exhaustively and reused by the command line, the server and the exports alike.
//! Every clinical number carries its source (`../shared/reference/clinical.md` keys such as
//! `[EMENTAL]`) next to it; values the reference marks UNCONFIRMED are configurable.
//!
//! Reading order:
//! 1. [`route`]: ketamine / esketamine routes of administration.
//! 2. [`instrument`]: the validated rating scales, described once and scored by one engine.
//! 3. [`outcome`]: response, partial response, remission and reliable change versus baseline.
//! 4. [`screening`] and [`maudsley`]: safety screening before a course, treatment-resistance stage.
//! 5. [`protocol`]: a clinic's protocol as a versioned TOML file, and the built-in protocols.
//! 6. [`history`] and [`decision`]: what happened in a course, and what clinicians decided;
//!    [`vitals`]: blood pressure and SpO2 readings, checked for plausibility in one place.
//! 7. [`calendar`] and [`planner`]: the dated plan of sessions and review points;
//!    [`schedule`]: opening hours, session length, chairs, open slots and sessions to move.
//! 8. [`suggestion`]: the one next step the engine suggests, with its reasons.
//! 9. [`forecast`] and [`price`]: how many treatments lie ahead, and what they cost.
//! 10. [`safety`]: findings that hold sessions, the gates before a dose, dose-record checks and
//!     discharge criteria; [`collection`]: the assessments the protocol says are due.

pub mod calendar;
pub mod collection;
pub mod course;
pub mod decision;
pub mod forecast;
pub mod history;
pub mod instrument;
pub mod maudsley;
pub mod outcome;
pub mod planner;
pub mod price;
pub mod protocol;
pub mod route;
pub mod safety;
pub mod schedule;
pub mod screening;
pub mod suggestion;
pub mod text;
pub mod vitals;
