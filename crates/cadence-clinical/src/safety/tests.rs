//! The safety rules on the built-in protocols, one scenario of issue 13 each.

use super::*;
use crate::history::BloodPressure;
use crate::instrument::{InstrumentId, score};
use crate::protocol::{Protocol, builtin};
use crate::route::Route;
use crate::vitals::Spo2;
use jiff::{SignedDuration, Timestamp};

fn iv() -> Protocol {
    builtin("iv-ketamine-6").unwrap()
}

fn esk() -> Protocol {
    builtin("esketamine-label").unwrap()
}

fn kinds(found: &[FindingDraft]) -> Vec<FindingKind> {
    found.iter().map(|f| f.kind).collect()
}

fn assess(p: &Protocol, id: InstrumentId, answers: &[Option<u8>]) -> Vec<FindingDraft> {
    let s = score(id, answers, &p.scoring_config()).unwrap();
    assessment_findings(&s, answers, &p.safety)
}

fn phq9(item9: u8) -> Vec<Option<u8>> {
    let mut a = vec![Some(1); 9];
    a[8] = Some(item9);
    a
}

#[test]
fn phq9_item_9_above_zero_is_a_high_finding() {
    assert!(assess(&iv(), InstrumentId::Phq9, &phq9(0)).is_empty());
    let found = assess(&iv(), InstrumentId::Phq9, &phq9(3));
    assert_eq!(kinds(&found), [FindingKind::SuicideRiskItem]);
    assert_eq!(found[0].severity, Severity::High);
    assert!(
        found[0].detail.contains("PHQ-9 item 9"),
        "{}",
        found[0].detail
    );
    let mut off = iv();
    off.safety.hold_on_suicide_risk = false;
    assert!(assess(&off, InstrumentId::Phq9, &phq9(3)).is_empty());
}

#[test]
fn madrs_item_10_alerts_at_the_protocol_level() {
    let mut a = vec![Some(2); 10];
    a[9] = Some(6);
    let found = assess(&iv(), InstrumentId::Madrs, &a);
    assert_eq!(kinds(&found), [FindingKind::MadrsSuicidalThoughts]);
    a[9] = Some(3);
    assert!(assess(&iv(), InstrumentId::Madrs, &a).is_empty());
    a[9] = Some(6);
    let mut off = iv();
    off.safety.madrs_item10_alert = None;
    assert!(assess(&off, InstrumentId::Madrs, &a).is_empty());
}

#[test]
fn cssrs_holds_at_the_listed_levels_only() {
    // Q1 yes, Q2 yes, Q3..Q5: Q4 yes -> high.
    let high = [Some(1), Some(1), Some(0), Some(1), Some(0), Some(0), None];
    let found = assess(&iv(), InstrumentId::CssrsScreen, &high);
    assert_eq!(kinds(&found), [FindingKind::CssrsRisk]);
    assert_eq!(found[0].severity, Severity::High);
    let low = [Some(1), Some(0), None, None, None, Some(0), None];
    assert!(assess(&iv(), InstrumentId::CssrsScreen, &low).is_empty());
    let mut flags_low = iv();
    flags_low
        .safety
        .hold_on_cssrs
        .push(crate::instrument::CssrsRisk::Low);
    let found = assess(&flags_low, InstrumentId::CssrsScreen, &low);
    assert_eq!(found[0].severity, Severity::Low);
}

#[test]
fn pre_dose_blood_pressure_above_the_threshold() {
    let s = &iv().safety;
    let bp = |systolic, diastolic| BloodPressure {
        systolic,
        diastolic,
    };
    assert_eq!(pre_dose_finding(bp(140, 90), s), None);
    assert_eq!(
        pre_dose_finding(bp(158, 97), s).map(|f| f.kind),
        Some(FindingKind::PreDoseBloodPressure)
    );
    assert!(pre_dose_finding(bp(120, 91), s).is_some());
}

#[test]
fn the_monitoring_entry_of_issue_13_raises_three_alerts() {
    let v = Vitals {
        bp: Some(BloodPressure {
            systolic: 210,
            diastolic: 125,
        }),
        spo2: Spo2::new(84).ok(),
        moaas: Some(1),
        respiratory_rate: Some(6),
    };
    let p = iv();
    let found = monitoring_findings(&v, p.safety.in_session.as_ref());
    assert_eq!(
        kinds(&found),
        [
            FindingKind::LowOxygenSaturation,
            FindingKind::BloodPressureCrisis,
            FindingKind::DeepSedation
        ]
    );
    // Respiratory rate raises nothing until the clinic sets a limit.
    let mut set = p.clone();
    if let Some(l) = set.safety.in_session.as_mut() {
        l.respiratory_rate_below = Some(8);
    }
    let found = monitoring_findings(&v, set.safety.in_session.as_ref());
    assert!(kinds(&found).contains(&FindingKind::RespiratoryRate));
    // A calm entry raises nothing; no limits, nothing.
    let calm = Vitals {
        spo2: Spo2::new(98).ok(),
        moaas: Some(5),
        ..Vitals::default()
    };
    assert!(monitoring_findings(&calm, p.safety.in_session.as_ref()).is_empty());
    assert!(monitoring_findings(&v, None).is_empty());
}

#[test]
fn gates_need_a_suicide_screen_today_and_rems_for_esketamine() {
    let p = esk();
    let gate = |taken: &[InstrumentId], rems| {
        kinds(&session_gates(
            &p.safety,
            GateInputs {
                route: Route::Esketamine,
                taken_today: taken,
                rems_enrolled: rems,
            },
        ))
    };
    assert_eq!(
        gate(&[], false),
        [
            FindingKind::SuicideScreenMissing,
            FindingKind::RemsEnrolmentMissing
        ]
    );
    assert_eq!(
        gate(&[InstrumentId::Gad7], true),
        [FindingKind::SuicideScreenMissing]
    );
    assert!(gate(&[InstrumentId::CssrsScreen], true).is_empty());
    assert!(gate(&[InstrumentId::Phq9], true).is_empty());
    assert!(!FindingKind::RemsEnrolmentMissing.releasable());
    assert!(FindingKind::SuicideScreenMissing.releasable());
}

#[test]
fn dosing_needs_identity_transport_and_fasting_where_required() {
    let all = Confirmations {
        identity: true,
        fasting: true,
        transport: true,
    };
    assert!(unconfirmed(all, &esk().safety).is_empty());
    let none = Confirmations {
        identity: false,
        fasting: false,
        transport: false,
    };
    assert_eq!(
        unconfirmed(none, &esk().safety),
        ["identity", "fasting", "transport home"]
    );
    // The IV protocol does not require fasting (no source; the clinic may set it).
    assert_eq!(
        unconfirmed(none, &iv().safety),
        ["identity", "transport home"]
    );
}

#[test]
fn dose_flags_compare_the_record_never_suggest() {
    let p = esk();
    let check = p.dose_check.as_ref();
    assert!(dose_flags(check, 56.0, 56.0, true).is_empty());
    assert!(dose_flags(check, 84.0, 84.0, false).is_empty());
    let codes = |f: Vec<DoseFlag>| f.iter().map(DoseFlag::code).collect::<Vec<_>>();
    assert_eq!(
        codes(dose_flags(check, 84.0, 84.0, true)),
        ["first_session_above"]
    );
    assert_eq!(
        codes(dose_flags(check, 70.0, 70.0, false)),
        ["not_a_product_dose"]
    );
    // Issue 13: 360 mg given against 36 mg ordered.
    let iv = iv();
    assert_eq!(
        codes(dose_flags(iv.dose_check.as_ref(), 36.0, 360.0, false)),
        ["differs_from_order"]
    );
    assert_eq!(mg_per_kg(360.0, 72.0), Some(5.0));
    assert_eq!(mg_per_kg(36.0, 72.0), Some(0.5));
    assert_eq!(mg_per_kg(36.0, 0.0), None);
}

#[test]
fn the_zero_minute_discharge_of_issue_13_meets_no_criterion() {
    let dosed = Timestamp::from_second(1_800_000_000).unwrap();
    let r = Readiness {
        dosed_at: Some(dosed),
        at: Some(dosed),
        moaas: Some(1),
        bp: Some(BloodPressure {
            systolic: 200,
            diastolic: 120,
        }),
        clinically_stable: Some(false),
        escort_present: Some(false),
    };
    let unmet: Vec<&str> = discharge_criteria(&esk(), &r)
        .into_iter()
        .filter(|c| c.met == Some(false))
        .map(|c| c.id)
        .collect();
    assert_eq!(
        unmet,
        [
            "observation",
            "sedation_resolved",
            "blood_pressure",
            "clinically_stable"
        ]
    );
    // IV: no observation minimum, but an escort is required.
    let ids: Vec<&str> = discharge_criteria(&iv(), &r).iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "sedation_resolved",
            "blood_pressure",
            "clinically_stable",
            "escort"
        ]
    );
    let ready = Readiness {
        at: Some(dosed + SignedDuration::from_mins(120)),
        moaas: Some(5),
        bp: Some(BloodPressure {
            systolic: 130,
            diastolic: 80,
        }),
        clinically_stable: Some(true),
        escort_present: Some(true),
        ..r
    };
    assert!(
        discharge_criteria(&esk(), &ready)
            .iter()
            .all(|c| c.met == Some(true))
    );
    let early = Readiness {
        at: Some(dosed + SignedDuration::from_mins(119)),
        ..ready
    };
    assert_eq!(discharge_criteria(&esk(), &early)[0].met, Some(false));
}
