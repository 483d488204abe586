//! What the session record shows beside the service's view: the monitoring timeline in
//! minutes since administration started, with who took each reading, and the timers for the
//! checks that fall due. Pure functions of the record, `now` and the clinic's time zone. (The
//! discharge criteria and holds are the service's: `SessionView`.)

use super::super::clinical_forms::support::clock;
use cadence_app::ids::UserId;
use cadence_app::records::{Administration, MonitoringEntry};
use cadence_clinical::history::BloodPressure;
use cadence_clinical::instrument::{dissociation_present, sedation_present};
use cadence_clinical::safety::adverse_effect_label;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;

/// The post-dose blood-pressure re-check, minutes after administration starts [JNJ-BP].
pub(crate) const BP_CHECK_MINUTES: i64 = 40;
/// A reading from this many minutes on counts as the post-dose re-check (a display choice of
/// Cadence's, not a clinical rule).
const BP_CHECK_FROM: i64 = 30;

/// A check that falls due at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Timer {
    /// What is due, e.g. "BP due at".
    pub what: &'static str,
    /// How long after the start, e.g. "(40 min)".
    pub after: String,
    /// RFC 3339 instant, for `<time datetime>` and `data-due`.
    pub due: String,
    /// `HH:MM` in the clinic.
    pub at: String,
    /// Where it stands, in words.
    pub state: String,
    /// Whether it needs doing now.
    pub now: bool,
}

fn minutes_between(a: Timestamp, b: Timestamp) -> i64 {
    (b.as_second() - a.as_second()).div_euclid(60)
}

/// The timers for a session: the 40-minute BP re-check and, when the protocol sets one, the
/// end of the observation period. Empty until administration has started.
pub(crate) fn timers(
    monitoring: &[MonitoringEntry],
    administration: Option<&Administration>,
    ended: bool,
    observation_minutes: Option<u16>,
    now: Timestamp,
    tz: &TimeZone,
) -> Vec<Timer> {
    let Some(admin) = administration else {
        return Vec::new();
    };
    let start = admin.started_at;
    let mut out = Vec::new();
    let due = start + SignedDuration::from_mins(BP_CHECK_MINUTES);
    let rechecked = monitoring.iter().any(|e| {
        e.entry.bp_systolic.is_some() && minutes_between(start, e.entry.taken_at) >= BP_CHECK_FROM
    });
    let left = minutes_between(now, due);
    let (state, is_now) = if rechecked {
        ("done: a reading is recorded".to_owned(), false)
    } else if ended {
        ("not recorded".to_owned(), false)
    } else if left <= 0 {
        ("due now".to_owned(), true)
    } else {
        (format!("in {left} min"), false)
    };
    out.push(Timer {
        what: "BP due at",
        after: format!("({BP_CHECK_MINUTES} min)"),
        due: due.to_string(),
        at: clock(due, tz),
        state,
        now: is_now,
    });
    if let Some(minutes) = observation_minutes {
        let end = start + SignedDuration::from_mins(i64::from(minutes));
        let left = minutes_between(now, end);
        let length = if minutes % 60 == 0 {
            format!("{} h", minutes / 60)
        } else {
            format!("{minutes} min")
        };
        let state = if ended {
            "session completed".to_owned()
        } else if left <= 0 {
            "ended: assess for discharge".to_owned()
        } else {
            format!("{left} min left")
        };
        out.push(Timer {
            what: "Observation ends at",
            after: format!("({length})"),
            due: end.to_string(),
            at: clock(end, tz),
            state,
            now: false,
        });
    }
    out
}

/// A monitoring entry on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryRow {
    /// "+38 min" after administration started, or "before administration".
    pub when: String,
    pub at: String,
    pub by: String,
    pub bp: String,
    pub heart_rate: String,
    pub spo2: String,
    pub respiratory_rate: String,
    pub moaas: String,
    pub cadss: String,
    pub effects: String,
    /// Sedation or dissociation in words, when scored so.
    pub flags: Vec<&'static str>,
}

fn or_dash<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// The timeline rows, in time order.
pub(crate) fn timeline(
    entries: &[MonitoringEntry],
    start: Option<Timestamp>,
    names: &HashMap<UserId, String>,
    tz: &TimeZone,
) -> Vec<EntryRow> {
    entries
        .iter()
        .map(|e| {
            let x = &e.entry;
            let mut flags = Vec::new();
            if x.moaas.is_some_and(|m| sedation_present(u16::from(m))) {
                flags.push("Sedation (MOAA/S 3 or less)");
            }
            if x.cadss.is_some_and(|c| dissociation_present(u16::from(c))) {
                flags.push("Dissociation (CADSS over 4)");
            }
            EntryRow {
                when: start.map_or_else(
                    || "before administration".to_owned(),
                    |s| format!("+{} min", minutes_between(s, x.taken_at)),
                ),
                at: clock(x.taken_at, tz),
                by: names
                    .get(&x.recorded_by)
                    .cloned()
                    .unwrap_or_else(|| format!("user {}", x.recorded_by)),
                bp: match (x.bp_systolic, x.bp_diastolic) {
                    (Some(s), Some(d)) => format!("{s}/{d}"),
                    _ => "-".to_owned(),
                },
                heart_rate: or_dash(x.heart_rate),
                spo2: or_dash(x.spo2),
                respiratory_rate: or_dash(x.respiratory_rate),
                moaas: or_dash(x.moaas),
                cadss: or_dash(x.cadss),
                effects: if x.adverse_effects.is_empty() {
                    "-".to_owned()
                } else {
                    x.adverse_effects
                        .iter()
                        .map(|c| adverse_effect_label(c).unwrap_or(c.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                flags,
            }
        })
        .collect()
}

/// Whether a reading is at or under the protocol's threshold (any reading is, without one).
pub(crate) fn bp_ok(systolic: u16, diastolic: u16, max: Option<BloodPressure>) -> bool {
    max.is_none_or(|m| systolic <= m.systolic && diastolic <= m.diastolic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cadence_app::ids::MonitoringEntryId;
    use cadence_app::records::NewMonitoringEntry;
    use cadence_clinical::route::Route;

    fn at(minutes: i64) -> Timestamp {
        let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        start + SignedDuration::from_mins(minutes)
    }

    fn administration() -> Administration {
        Administration {
            route: Route::Esketamine,
            dose_ordered_mg: 56.0,
            dose_given_mg: 56.0,
            lot: "L".into(),
            started_at: at(0),
            ended_at: None,
            weight_kg: None,
            mg_per_kg: None,
            dose_flags: Vec::new(),
            confirmation: None,
            recorded_by: UserId(1),
        }
    }

    fn reading(minutes: i64, moaas: Option<u8>) -> MonitoringEntry {
        MonitoringEntry {
            id: MonitoringEntryId(1),
            entry: NewMonitoringEntry {
                taken_at: at(minutes),
                bp_systolic: Some(130),
                bp_diastolic: Some(80),
                heart_rate: None,
                spo2: None,
                respiratory_rate: Some(14),
                moaas,
                cadss: Some(6),
                adverse_effects: vec!["nausea".into()],
                recorded_by: UserId(1),
            },
        }
    }

    #[test]
    fn timers_fall_at_40_minutes_and_at_the_end_of_observation() {
        let a = administration();
        let t = timers(&[], Some(&a), false, Some(120), at(10), &TimeZone::UTC);
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].what, t[0].at.as_str(), t[0].after.as_str()),
            ("BP due at", "09:40", "(40 min)")
        );
        assert_eq!(t[0].due, "2026-03-02T09:40:00Z");
        assert_eq!(t[0].state, "in 30 min");
        assert_eq!(
            (t[1].what, t[1].at.as_str(), t[1].after.as_str()),
            ("Observation ends at", "11:00", "(2 h)")
        );
        assert_eq!(t[1].state, "110 min left");
        let t = timers(&[], Some(&a), false, Some(120), at(41), &TimeZone::UTC);
        assert!(t[0].now);
        assert_eq!(t[0].state, "due now");
        let t = timers(&[], Some(&a), false, None, at(130), &TimeZone::UTC);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn a_reading_after_30_minutes_completes_the_bp_check() {
        let a = administration();
        let mut m = vec![reading(20, Some(4))];
        assert!(timers(&m, Some(&a), false, None, at(45), &TimeZone::UTC)[0].now);
        m.push(reading(39, Some(5)));
        let t = timers(&m, Some(&a), false, None, at(45), &TimeZone::UTC);
        assert!(!t[0].now && t[0].state.starts_with("done"));
    }

    #[test]
    fn no_timers_before_administration() {
        assert!(timers(&[], None, false, Some(120), at(0), &TimeZone::UTC).is_empty());
    }

    #[test]
    fn the_timeline_counts_minutes_from_the_start_and_names_who_took_it() {
        let names = HashMap::from([(UserId(1), "nurse@clinic.test".to_owned())]);
        let rows = timeline(&[reading(38, Some(3))], Some(at(0)), &names, &TimeZone::UTC);
        assert_eq!(rows[0].when, "+38 min");
        assert_eq!(rows[0].bp, "130/80");
        assert_eq!(rows[0].respiratory_rate, "14");
        assert_eq!(rows[0].by, "nurse@clinic.test");
        assert_eq!(rows[0].flags.len(), 2);
        assert_eq!(rows[0].effects, "Nausea");
    }
}
