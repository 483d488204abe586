//! The session record's forms, read into the service inputs. A value that cannot be read is a
//! message naming the field; ranges and rules are the services' to check.

use super::super::clinical_forms::support::{Fields, parse_clock};
use cadence_app::ids::SessionEntryId;
use cadence_app::treatment_sessions::{
    AdministrationInput, DischargeInput, ExceptionalEndInput, MonitoringInput, PreCheckInput,
};
use cadence_clinical::route::Route;
use cadence_clinical::safety::ExceptionalEnd;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

pub(super) fn pre_checks(f: &Fields) -> Result<PreCheckInput, String> {
    Ok(PreCheckInput {
        identity_confirmed: f.checked("identity_confirmed"),
        fasting_confirmed: f.checked("fasting_confirmed"),
        transport_arranged: f.checked("transport_arranged"),
        bp_systolic: f.required("bp_systolic", "Systolic blood pressure")?,
        bp_diastolic: f.required("bp_diastolic", "Diastolic blood pressure")?,
        heart_rate: f.number("heart_rate", "Heart rate")?,
        spo2: f.number("spo2", "SpO2")?,
    })
}

fn time_of(
    f: &Fields,
    name: &str,
    today: Date,
    tz: &TimeZone,
) -> Result<Option<Timestamp>, String> {
    f.get(name).map(|t| parse_clock(t, today, tz)).transpose()
}

pub(super) fn administration(
    f: &Fields,
    today: Date,
    tz: &TimeZone,
) -> Result<AdministrationInput, String> {
    let route: Route = f
        .get("route")
        .ok_or("choose the route")?
        .parse()
        .map_err(|e| format!("{e}"))?;
    Ok(AdministrationInput {
        route,
        dose_ordered_mg: f
            .decimal("dose_ordered_mg", "Dose ordered")?
            .ok_or("Dose ordered is required")?,
        dose_given_mg: f
            .decimal("dose_given_mg", "Dose given")?
            .ok_or("Dose given is required")?,
        lot: f.text("lot"),
        started_at: time_of(f, "started_at", today, tz)?,
        ended_at: time_of(f, "ended_at", today, tz)?,
        confirm_reason: f.get("confirm_reason").map(str::to_owned),
        corrects: f
            .number::<i64>("corrects", "The entry corrected")?
            .map(SessionEntryId),
        correction_reason: f.get("correction_reason").map(str::to_owned),
    })
}

pub(super) fn infusion_end(
    f: &Fields,
    today: Date,
    tz: &TimeZone,
) -> Result<Option<Timestamp>, String> {
    time_of(f, "ended_at", today, tz)
}

pub(super) fn exceptional_end(f: &Fields) -> Result<ExceptionalEndInput, String> {
    let kind: ExceptionalEnd = match f.get("kind") {
        Some("transferred_to_emergency_care") => ExceptionalEnd::TransferredToEmergencyCare,
        Some("left_against_advice") => ExceptionalEnd::LeftAgainstAdvice,
        _ => return Err("choose how the session ended".into()),
    };
    Ok(ExceptionalEndInput {
        kind,
        reason: f.text("reason"),
    })
}

pub(super) fn monitoring(
    f: &Fields,
    today: Date,
    tz: &TimeZone,
) -> Result<MonitoringInput, String> {
    let effects: Vec<String> = f
        .all("adverse_effects")
        .into_iter()
        .map(str::to_owned)
        .collect();
    Ok(MonitoringInput {
        taken_at: time_of(f, "taken_at", today, tz)?,
        bp_systolic: f.number("bp_systolic", "Systolic blood pressure")?,
        bp_diastolic: f.number("bp_diastolic", "Diastolic blood pressure")?,
        heart_rate: f.number("heart_rate", "Heart rate")?,
        spo2: f.number("spo2", "SpO2")?,
        respiratory_rate: f.number("respiratory_rate", "Respiratory rate")?,
        moaas: f.number("moaas", "MOAA/S")?,
        cadss: f.number("cadss", "CADSS total")?,
        adverse_effects: effects,
    })
}

pub(super) fn discharge(f: &Fields) -> Result<DischargeInput, String> {
    Ok(DischargeInput {
        moaas: f.required("moaas", "MOAA/S at discharge")?,
        bp_systolic: f.required("bp_systolic", "Systolic blood pressure")?,
        bp_diastolic: f.required("bp_diastolic", "Diastolic blood pressure")?,
        clinically_stable: f.checked("clinically_stable"),
        escort_present: f.checked("escort_present"),
        ready_after_minutes: f.number("ready_after_minutes", "Minutes until ready to leave")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn f(pairs: &[(&str, &str)]) -> Fields {
        Fields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
        )
    }

    #[test]
    fn checkboxes_and_numbers() {
        let p = pre_checks(&f(&[
            ("identity_confirmed", "on"),
            ("bp_systolic", "150"),
            ("bp_diastolic", "95"),
        ]))
        .unwrap();
        assert!(p.identity_confirmed && !p.fasting_confirmed);
        assert_eq!((p.bp_systolic, p.heart_rate), (150, None));
        assert!(
            pre_checks(&f(&[("bp_systolic", "150")]))
                .unwrap_err()
                .contains("Diastolic")
        );
    }

    #[test]
    fn effects_from_boxes() {
        let m = monitoring(
            &f(&[
                ("adverse_effects", "nausea"),
                ("adverse_effects", "sedation"),
                ("respiratory_rate", "12"),
                ("taken_at", "09:38"),
            ]),
            date(2026, 3, 2),
            &TimeZone::UTC,
        )
        .unwrap();
        assert_eq!(m.adverse_effects, ["nausea", "sedation"]);
        assert_eq!(m.respiratory_rate, Some(12));
        assert_eq!(
            m.taken_at.map(|t| t.to_string()).as_deref(),
            Some("2026-03-02T09:38:00Z")
        );
    }

    #[test]
    fn administration_needs_route_and_doses() {
        let today = date(2026, 3, 2);
        let err = administration(&f(&[("route", "esketamine")]), today, &TimeZone::UTC);
        assert!(err.unwrap_err().contains("Dose ordered"));
        let a = administration(
            &f(&[
                ("route", "esketamine"),
                ("dose_ordered_mg", "56"),
                ("dose_given_mg", "56"),
                ("lot", "L1"),
            ]),
            today,
            &TimeZone::UTC,
        )
        .unwrap();
        assert_eq!(a.started_at, None);
        assert_eq!(a.lot, "L1");
    }
}
