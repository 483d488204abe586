//! What the session record shows, computed from the stored session and its protocol: the
//! pre-checks against the blood-pressure threshold, the monitoring timeline in minutes since
//! administration started, the timers for the checks that fall due, and the discharge
//! criteria. Pure functions of the record, `now` and the clinic's time zone.

use super::super::clinical_forms::support::clock;
use cadence_app::records::{MonitoringEntry, TreatmentSession};
use cadence_clinical::history::BloodPressure;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

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
    session: &TreatmentSession,
    observation_minutes: Option<u16>,
    now: Timestamp,
    tz: &TimeZone,
) -> Vec<Timer> {
    let Some(admin) = session.administration.as_ref() else {
        return Vec::new();
    };
    let start = admin.started_at;
    let mut out = Vec::new();
    let due = start + SignedDuration::from_mins(BP_CHECK_MINUTES);
    let rechecked = session.monitoring.iter().any(|e| {
        e.entry.bp_systolic.is_some() && minutes_between(start, e.entry.taken_at) >= BP_CHECK_FROM
    });
    let left = minutes_between(now, due);
    let (state, is_now) = if rechecked {
        ("done: a reading is recorded".to_owned(), false)
    } else if session.discharge.is_some() {
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
        let state = if session.discharge.is_some() {
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
    /// "+38 min" after administration started, or the clock time before it.
    pub when: String,
    pub at: String,
    pub bp: String,
    pub heart_rate: String,
    pub spo2: String,
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
    tz: &TimeZone,
) -> Vec<EntryRow> {
    entries
        .iter()
        .map(|e| {
            let x = &e.entry;
            let mut flags = Vec::new();
            if x.moaas.is_some_and(|m| m <= 3) {
                flags.push("Sedation (MOAA/S 3 or less)");
            }
            if x.cadss.is_some_and(|c| c > 4) {
                flags.push("Dissociation (CADSS over 4)");
            }
            EntryRow {
                when: start.map_or_else(
                    || "before administration".to_owned(),
                    |s| format!("+{} min", minutes_between(s, x.taken_at)),
                ),
                at: clock(x.taken_at, tz),
                bp: match (x.bp_systolic, x.bp_diastolic) {
                    (Some(s), Some(d)) => format!("{s}/{d}"),
                    _ => "-".to_owned(),
                },
                heart_rate: or_dash(x.heart_rate),
                spo2: or_dash(x.spo2),
                moaas: or_dash(x.moaas),
                cadss: or_dash(x.cadss),
                effects: if x.adverse_effects.is_empty() {
                    "-".to_owned()
                } else {
                    x.adverse_effects.join(", ").replace('_', " ")
                },
                flags,
            }
        })
        .collect()
}

/// One discharge criterion: met, not met, or not yet known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Criterion {
    pub label: String,
    /// "Met", "Not met" or "Not yet recorded".
    pub state: &'static str,
    /// Known and not met (shown as an alert badge, with the words).
    pub unmet: bool,
}

fn criterion(label: String, met: Option<bool>) -> Criterion {
    Criterion {
        label,
        state: match met {
            Some(true) => "Met",
            Some(false) => "Not met",
            None => "Not yet recorded",
        },
        unmet: met == Some(false),
    }
}

/// Whether a reading is at or under the protocol's threshold (any reading is, without one).
pub(crate) fn bp_ok(systolic: u16, diastolic: u16, max: Option<BloodPressure>) -> bool {
    max.is_none_or(|m| systolic <= m.systolic && diastolic <= m.diastolic)
}

/// The discharge checklist, from the latest recorded values.
pub(crate) fn discharge_criteria(
    session: &TreatmentSession,
    min_moaas: u8,
    bp_max: Option<BloodPressure>,
    observation_minutes: Option<u16>,
    now: Timestamp,
) -> Vec<Criterion> {
    let d = session.discharge.as_ref();
    let latest_moaas = d
        .map(|d| d.moaas)
        .or_else(|| session.monitoring.iter().rev().find_map(|e| e.entry.moaas));
    let latest_bp = d.map(|d| (d.bp_systolic, d.bp_diastolic)).or_else(|| {
        session
            .monitoring
            .iter()
            .rev()
            .find_map(|e| Some((e.entry.bp_systolic?, e.entry.bp_diastolic?)))
    });
    let threshold = bp_max.map_or_else(
        || "no protocol threshold".to_owned(),
        |m| format!("at or under {}/{} mmHg", m.systolic, m.diastolic),
    );
    let mut out = vec![
        criterion(
            format!("MOAA/S back to {min_moaas} (responds readily to name)"),
            latest_moaas.map(|m| m >= min_moaas),
        ),
        criterion(
            format!("Vital signs acceptable (blood pressure {threshold})"),
            latest_bp.map(|(s, dia)| bp_ok(s, dia, bp_max)),
        ),
        criterion(
            "Clinically stable".to_owned(),
            d.map(|d| d.clinically_stable),
        ),
        criterion(
            "Escort present to take the patient home".to_owned(),
            d.map(|d| d.escort_present),
        ),
    ];
    if let (Some(minutes), Some(admin)) = (observation_minutes, session.administration.as_ref()) {
        let until = d.map_or(now, |d| d.discharged_at);
        out.push(criterion(
            format!("Observed for at least {minutes} minutes after dosing"),
            Some(minutes_between(admin.started_at, until) >= i64::from(minutes)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cadence_app::ids::{
        ClinicId, CourseId, MonitoringEntryId, PatientId, TreatmentSessionId, UserId,
    };
    use cadence_app::records::{Administration, NewMonitoringEntry, TreatmentSessionStatus};
    use cadence_clinical::route::Route;
    use jiff::civil::date;

    fn at(minutes: i64) -> Timestamp {
        let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        start + SignedDuration::from_mins(minutes)
    }

    fn administered() -> TreatmentSession {
        TreatmentSession {
            id: TreatmentSessionId(1),
            clinic_id: ClinicId(1),
            course_id: CourseId(1),
            patient_id: PatientId(1),
            scheduled_on: date(2026, 3, 2),
            status: TreatmentSessionStatus::InProgress,
            pre_checks: None,
            administration: Some(Administration {
                route: Route::Esketamine,
                dose_ordered_mg: 56.0,
                dose_given_mg: 56.0,
                lot: "L".into(),
                started_at: at(0),
                recorded_by: UserId(1),
            }),
            discharge: None,
            monitoring: vec![],
            updated_at: at(0),
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
                moaas,
                cadss: Some(6),
                adverse_effects: vec!["nausea".into()],
                recorded_by: UserId(1),
            },
        }
    }

    #[test]
    fn timers_fall_at_40_minutes_and_at_the_end_of_observation() {
        let s = administered();
        let t = timers(&s, Some(120), at(10), &TimeZone::UTC);
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
        let t = timers(&s, Some(120), at(41), &TimeZone::UTC);
        assert!(t[0].now);
        assert_eq!(t[0].state, "due now");
        let t = timers(&s, None, at(130), &TimeZone::UTC);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn a_reading_after_30_minutes_completes_the_bp_check() {
        let mut s = administered();
        s.monitoring.push(reading(20, Some(4)));
        assert!(timers(&s, None, at(45), &TimeZone::UTC)[0].now);
        s.monitoring.push(reading(39, Some(5)));
        let t = timers(&s, None, at(45), &TimeZone::UTC);
        assert!(!t[0].now && t[0].state.starts_with("done"));
    }

    #[test]
    fn no_timers_before_administration() {
        let mut s = administered();
        s.administration = None;
        assert!(timers(&s, Some(120), at(0), &TimeZone::UTC).is_empty());
    }

    #[test]
    fn the_timeline_counts_minutes_from_the_start() {
        let rows = timeline(&[reading(38, Some(3))], Some(at(0)), &TimeZone::UTC);
        assert_eq!(rows[0].when, "+38 min");
        assert_eq!(rows[0].bp, "130/80");
        assert_eq!(rows[0].flags.len(), 2);
        assert_eq!(rows[0].effects, "nausea");
    }

    #[test]
    fn discharge_criteria_follow_the_latest_values() {
        let mut s = administered();
        let max = Some(BloodPressure {
            systolic: 140,
            diastolic: 90,
        });
        let c = discharge_criteria(&s, 5, max, Some(120), at(60));
        assert_eq!(c.len(), 5);
        assert_eq!(c[0].state, "Not yet recorded");
        assert_eq!(c[4].state, "Not met");
        s.monitoring.push(reading(100, Some(5)));
        let c = discharge_criteria(&s, 5, max, Some(120), at(121));
        assert_eq!(c[0].state, "Met");
        assert_eq!(c[1].state, "Met");
        assert_eq!(c[2].state, "Not yet recorded");
        assert_eq!(c[4].state, "Met");
    }
}
