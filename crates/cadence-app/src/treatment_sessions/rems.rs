//! The SPRAVATO REMS Patient Monitoring Form summary, from the session record alone.
//!
//! Outpatient settings file this form after every esketamine session, within 7 days (reference
//! section 3a, [FDA-REMS], [PMF-MANUALSPRO]). [`rems_summary`] fills the session-level fields
//! from what the nurse recorded and lists the required ones still missing, so the form can be
//! completed before the patient leaves. It is a pure function of the record; the page prints it.
//! Patient identification is added by the page (it is the clinic's own printout) and never
//! logged.

use cadence_clinical::history::BloodPressure;
use cadence_clinical::instrument::{dissociation_present, sedation_present};
use cadence_clinical::safety::{DISSOCIATION, RESPIRATORY_DEPRESSION, SEDATION};
use cadence_store::records::{Finding, MonitoringEntry, TreatmentSession};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The REMS minimum monitoring time, minutes [PI-2019-P3] [FDA-REMS].
const MIN_MONITORING_MINUTES: i64 = 120;
/// The post-dose BP re-check falls at about 40 minutes [JNJ-BP]; a reading in this window
/// counts (closest to 40 wins). The window's edges are a display choice of Cadence's, not a
/// clinical rule: the label says only "~40 min".
const BP_40_WINDOW: (i64, i64) = (30, 55);

/// One field of the form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemsField {
    /// The form's question, shortened.
    pub label: &'static str,
    /// The answer, or `None` while it is missing.
    pub value: Option<String>,
}

/// The summary: every field, the missing ones, and what needs attention.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemsSummary {
    /// The fields, in the form's order.
    pub fields: Vec<RemsField>,
    /// Labels of required fields still missing.
    pub missing: Vec<&'static str>,
    /// Problems with what was recorded (e.g. monitoring under 2 hours).
    pub warnings: Vec<String>,
    /// The in-session alerts raised during the session (issue 13 §5), for the form's
    /// adverse-event questions: time, what, and whether a clinician released it.
    pub alerts: Vec<String>,
}

fn minutes_between(a: Timestamp, b: Timestamp) -> i64 {
    (b.as_second() - a.as_second()).div_euclid(60)
}

fn yes_no(v: bool) -> String {
    if v { "Yes".into() } else { "No".into() }
}

fn bp(b: BloodPressure) -> String {
    format!("{}/{} mmHg", b.systolic, b.diastolic)
}

fn within(b: BloodPressure, max: Option<BloodPressure>) -> bool {
    max.is_none_or(|m| b.systolic <= m.systolic && b.diastolic <= m.diastolic)
}

fn has_effect(entries: &[MonitoringEntry], code: &str) -> bool {
    entries
        .iter()
        .any(|e| e.entry.adverse_effects.iter().any(|x| x == code))
}

/// "Yes" when any entry shows the event, "No" when the measure was taken and never showed it,
/// `None` when it was never measured (nothing to answer from).
fn event(
    entries: &[MonitoringEntry],
    code: &str,
    measured: impl Fn(&MonitoringEntry) -> Option<bool>,
) -> Option<String> {
    if has_effect(entries, code) {
        return Some(yes_no(true));
    }
    let readings: Vec<bool> = entries.iter().filter_map(&measured).collect();
    if readings.is_empty() {
        None
    } else {
        Some(yes_no(readings.iter().any(|x| *x)))
    }
}

/// The REMS Patient Monitoring Form fields for one session, from its record.
pub fn rems_summary(
    session: &TreatmentSession,
    bp_max: Option<BloodPressure>,
    tz: &TimeZone,
    findings: &[Finding],
) -> RemsSummary {
    let admin = session.administration.as_ref();
    let pre = session.pre_checks.as_ref();
    let discharge = session.discharge.as_ref();
    let entries = &session.monitoring;
    let mut warnings = Vec::new();

    let date = admin
        .map(|a| a.started_at.to_zoned(tz.clone()).date())
        .unwrap_or(session.scheduled_on);
    let dose = admin.map(|a| {
        let given = a.dose_given_mg;
        if (given - 56.0).abs() < f64::EPSILON || (given - 84.0).abs() < f64::EPSILON {
            format!("{given:.0} mg")
        } else {
            format!("other: {given} mg")
        }
    });
    let total_minutes = match (admin, discharge) {
        (Some(a), Some(d)) => {
            let m = minutes_between(a.started_at, d.discharged_at);
            if m < MIN_MONITORING_MINUTES {
                warnings.push(format!(
                    "Monitoring lasted {m} minutes: the REMS requires at least 2 hours."
                ));
            }
            Some(format!("{m} minutes"))
        }
        _ => None,
    };
    let bp_40 = admin.and_then(|a| {
        entries
            .iter()
            .filter_map(|e| {
                let reading = e.entry.bp?;
                let m = minutes_between(a.started_at, e.entry.taken_at);
                (BP_40_WINDOW.0..=BP_40_WINDOW.1).contains(&m).then_some((
                    (m - 40).abs(),
                    reading,
                    m,
                ))
            })
            .min_by_key(|(distance, ..)| *distance)
            .map(|(_, reading, m)| format!("{} (at {m} min)", bp(reading)))
    });
    let sedation = event(entries, SEDATION, |e| {
        e.entry.moaas.map(|m| sedation_present(u16::from(m)))
    });
    let dissociation = event(entries, DISSOCIATION, |e| {
        e.entry.cadss.map(|c| dissociation_present(u16::from(c)))
    });
    // Answered "no" once pulse oximetry was recorded without the event being noted.
    let respiratory = event(entries, RESPIRATORY_DEPRESSION, |e| {
        e.entry.spo2.map(|_| false)
    });

    let fields = vec![
        RemsField {
            label: "Treatment date",
            value: Some(date.to_string()),
        },
        RemsField {
            label: "Dose",
            value: dose,
        },
        RemsField {
            label: "Lot number",
            value: admin.map(|a| a.lot.clone()),
        },
        RemsField {
            label: "Total monitoring time, first device to end of monitoring",
            value: total_minutes,
        },
        RemsField {
            label: "Minutes after start the patient would have been ready to leave",
            value: discharge
                .and_then(|d| d.ready_after_minutes)
                .map(|m| format!("{m} minutes")),
        },
        RemsField {
            label: "Vital signs acceptable before administration",
            value: pre.map(|p| yes_no(within(p.bp, bp_max))),
        },
        RemsField {
            label: "Vital signs acceptable before the end of the session",
            value: discharge.map(|d| yes_no(d.clinically_stable && within(d.bp, bp_max))),
        },
        RemsField {
            label: "Blood pressure pre-dose",
            value: pre.map(|p| bp(p.bp)),
        },
        RemsField {
            label: "Blood pressure about 40 minutes post-dose",
            value: bp_40,
        },
        RemsField {
            label: "Blood pressure before session completion",
            value: discharge.map(|d| bp(d.bp)),
        },
        RemsField {
            label: "Sedation occurred",
            value: sedation,
        },
        RemsField {
            label: "Dissociation occurred",
            value: dissociation,
        },
        RemsField {
            label: "Respiratory depression occurred",
            value: respiratory,
        },
    ];
    let missing = fields
        .iter()
        .filter(|f| f.value.is_none())
        .map(|f| f.label)
        .collect();
    let alerts = findings
        .iter()
        .filter(|f| f.kind.in_session())
        .map(|f| {
            format!(
                "{} {}: {} ({})",
                f.found_at.to_zoned(tz.clone()).strftime("%H:%M"),
                f.kind.label(),
                f.detail,
                if f.is_open() {
                    "open"
                } else {
                    "released by a clinician"
                }
            )
        })
        .collect();
    RemsSummary {
        fields,
        missing,
        warnings,
        alerts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cadence_clinical::route::Route;
    use cadence_clinical::vitals::Spo2;
    use cadence_store::ids::{
        ClinicId, CourseId, MonitoringEntryId, PatientId, TreatmentSessionId, UserId,
    };
    use cadence_store::records::{
        Administration, Discharge, NewMonitoringEntry, PreChecks, SessionStatus,
    };
    use jiff::civil::date;

    const START: &str = "2026-03-02T09:00:00Z";

    fn at(minutes: i64) -> Timestamp {
        let start: Timestamp = START.parse().unwrap();
        start + jiff::SignedDuration::from_mins(minutes)
    }

    fn blank() -> TreatmentSession {
        TreatmentSession {
            id: TreatmentSessionId(1),
            clinic_id: ClinicId(1),
            course_id: CourseId(1),
            patient_id: PatientId(1),
            scheduled_on: date(2026, 3, 2),
            starts_at: jiff::civil::time(9, 0, 0, 0),
            minutes: 120,
            chair: Some(1),
            status: SessionStatus::Scheduled,
            booking_reason: None,
            pre_checks: None,
            administration: None,
            discharge: None,
            exceptional_end: None,
            signature: None,
            entries: vec![],
            monitoring: vec![],
            updated_at: at(0),
        }
    }

    fn entry(
        minutes: i64,
        bp: Option<(u16, u16)>,
        moaas: Option<u8>,
        cadss: Option<u8>,
    ) -> MonitoringEntry {
        MonitoringEntry {
            id: MonitoringEntryId(minutes),
            entry: NewMonitoringEntry {
                taken_at: at(minutes),
                bp: bp.map(|(systolic, diastolic)| BloodPressure {
                    systolic,
                    diastolic,
                }),
                heart_rate: None,
                spo2: Spo2::new(97).ok(),
                respiratory_rate: None,
                moaas,
                cadss,
                adverse_effects: vec![],
                recorded_by: UserId(1),
            },
        }
    }

    fn complete() -> TreatmentSession {
        let mut s = blank();
        s.pre_checks = Some(PreChecks {
            identity_confirmed: true,
            fasting_confirmed: true,
            transport_arranged: true,
            bp: BloodPressure {
                systolic: 128,
                diastolic: 82,
            },
            heart_rate: Some(70),
            spo2: Spo2::new(98).ok(),
            recorded_by: UserId(1),
            recorded_at: at(-10),
        });
        s.administration = Some(Administration {
            route: Route::Esketamine,
            dose_ordered_mg: 56.0,
            dose_given_mg: 56.0,
            lot: "LOT-7".into(),
            started_at: at(0),
            ended_at: None,
            weight_kg: None,
            mg_per_kg: None,
            dose_flags: Vec::new(),
            confirmation: None,
            recorded_by: UserId(1),
        });
        s.monitoring = vec![
            entry(15, None, Some(4), None),
            entry(38, Some((150, 92)), Some(5), Some(2)),
            entry(90, Some((132, 84)), Some(5), None),
        ];
        s.discharge = Some(Discharge {
            discharged_at: at(125),
            moaas: 5,
            bp: BloodPressure {
                systolic: 126,
                diastolic: 80,
            },
            clinically_stable: true,
            escort_present: true,
            ready_after_minutes: Some(75),
            recorded_by: UserId(1),
        });
        s
    }

    fn value<'a>(s: &'a RemsSummary, label: &str) -> Option<&'a str> {
        s.fields
            .iter()
            .find(|f| f.label.starts_with(label))
            .and_then(|f| f.value.as_deref())
    }

    const MAX: Option<BloodPressure> = Some(BloodPressure {
        systolic: 140,
        diastolic: 90,
    });

    #[test]
    fn a_blank_session_misses_everything_but_the_date() {
        let s = rems_summary(&blank(), MAX, &TimeZone::UTC, &[]);
        assert_eq!(s.fields.len(), 13);
        assert_eq!(s.missing.len(), 12);
        assert_eq!(s.missing[0], "Dose");
        assert_eq!(value(&s, "Treatment date"), Some("2026-03-02"));
    }

    #[test]
    fn a_complete_record_fills_every_field() {
        let s = rems_summary(&complete(), MAX, &TimeZone::UTC, &[]);
        assert!(s.missing.is_empty(), "{:?}", s.missing);
        assert!(s.warnings.is_empty());
        assert_eq!(value(&s, "Dose"), Some("56 mg"));
        assert_eq!(value(&s, "Lot number"), Some("LOT-7"));
        assert_eq!(value(&s, "Total monitoring"), Some("125 minutes"));
        assert_eq!(value(&s, "Minutes after start"), Some("75 minutes"));
        assert_eq!(value(&s, "Blood pressure pre-dose"), Some("128/82 mmHg"));
        assert_eq!(
            value(&s, "Blood pressure about 40"),
            Some("150/92 mmHg (at 38 min)")
        );
        assert_eq!(value(&s, "Blood pressure before"), Some("126/80 mmHg"));
        assert_eq!(
            value(&s, "Vital signs acceptable before administration"),
            Some("Yes")
        );
        assert_eq!(
            value(&s, "Vital signs acceptable before the end"),
            Some("Yes")
        );
        assert_eq!(value(&s, "Sedation"), Some("No"));
        assert_eq!(value(&s, "Dissociation"), Some("No"));
        assert_eq!(value(&s, "Respiratory"), Some("No"));
    }

    #[test]
    fn events_come_from_scores_or_noted_effects() {
        let mut s = complete();
        s.monitoring[0].entry.moaas = Some(3);
        s.monitoring[1].entry.cadss = Some(9);
        s.monitoring[2]
            .entry
            .adverse_effects
            .push(RESPIRATORY_DEPRESSION.into());
        let r = rems_summary(&s, MAX, &TimeZone::UTC, &[]);
        assert_eq!(value(&r, "Sedation"), Some("Yes"));
        assert_eq!(value(&r, "Dissociation"), Some("Yes"));
        assert_eq!(value(&r, "Respiratory"), Some("Yes"));
    }

    #[test]
    fn short_monitoring_other_doses_and_high_bp_are_reported() {
        let mut s = complete();
        if let Some(d) = s.discharge.as_mut() {
            d.discharged_at = at(100);
            d.bp.systolic = 150;
        }
        if let Some(a) = s.administration.as_mut() {
            a.dose_given_mg = 28.0;
        }
        let r = rems_summary(&s, MAX, &TimeZone::UTC, &[]);
        assert_eq!(value(&r, "Dose"), Some("other: 28 mg"));
        assert_eq!(
            value(&r, "Vital signs acceptable before the end"),
            Some("No")
        );
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].contains("100 minutes"));
    }

    #[test]
    fn no_reading_near_40_minutes_is_missing() {
        let mut s = complete();
        s.monitoring.remove(1);
        let r = rems_summary(&s, MAX, &TimeZone::UTC, &[]);
        assert_eq!(
            r.missing,
            [
                "Blood pressure about 40 minutes post-dose",
                "Dissociation occurred"
            ]
        );
    }
}
