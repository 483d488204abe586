//! What the session record shows beside the service's view: the monitoring timeline in
//! minutes since administration started, with who took each reading. Pure functions of the
//! record and the clinic's time zone. (The discharge criteria, holds, timers and REMS summary
//! are the service's: `SessionView`.)

use super::super::clinical_forms::support::clock;
use cadence_app::ids::UserId;
use cadence_app::records::MonitoringEntry;
use cadence_clinical::history::BloodPressure;
use cadence_clinical::instrument::{dissociation_present, sedation_present};
use cadence_clinical::safety::adverse_effect_label;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::collections::HashMap;

fn minutes_between(a: Timestamp, b: Timestamp) -> i64 {
    (b.as_second() - a.as_second()).div_euclid(60)
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
                bp: x.bp.map_or_else(
                    || "-".to_owned(),
                    |b| format!("{}/{}", b.systolic, b.diastolic),
                ),
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

    fn at(minutes: i64) -> Timestamp {
        let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        start + jiff::SignedDuration::from_mins(minutes)
    }

    fn reading(minutes: i64, moaas: Option<u8>) -> MonitoringEntry {
        MonitoringEntry {
            id: MonitoringEntryId(1),
            entry: NewMonitoringEntry {
                taken_at: at(minutes),
                bp: Some(BloodPressure {
                    systolic: 130,
                    diastolic: 80,
                }),
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
