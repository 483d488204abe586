//! Unit tests of the protocol types and the built-in files.

use super::*;

#[test]
fn every_builtin_file_parses_and_matches_its_id() {
    assert_eq!(builtin_ids().len(), BUILTIN.len());
    for id in builtin_ids() {
        let text = builtin_text(id).unwrap();
        let p = Protocol::from_toml(text).unwrap_or_else(|e| panic!("{id}:\n{e}"));
        assert_eq!(p.id, *id);
        assert!(p.version >= 1);
        assert!(p.check().is_empty());
        assert_eq!(builtin(id), Some(p));
    }
    assert_eq!(builtin("nope"), None);
    assert_eq!(builtin_text("nope"), None);
}

#[test]
fn iv_ketamine_6_has_the_issue_numbers() {
    let p = builtin("iv-ketamine-6").unwrap();
    assert_eq!(p.route, Route::IvKetamine);
    let i = &p.induction;
    assert_eq!(
        (i.sessions, i.per_week, i.min_days_between, i.max_weeks),
        (6, 2, 2, 3)
    );
    assert_eq!(i.early_check_after, Some(4));
    assert_eq!((i.extension_sessions, i.max_extensions), (2, 1));
    assert_eq!(p.max_induction_sessions(), 8);
    let e = &p.end_of_induction;
    assert_eq!(e.instrument, InstrumentId::Phq9);
    assert_eq!((e.response_percent, e.partial_percent), (50, 25));
    assert_eq!(e.on_response, Decision::StartMaintenance);
    assert_eq!(e.on_partial, Decision::ExtendInduction);
    assert_eq!(e.on_non_response, Decision::Discontinue);
    let m = &p.maintenance;
    assert_eq!(
        (
            m.start_interval_weeks,
            m.min_interval_weeks,
            m.max_interval_weeks
        ),
        (2, 1, 4)
    );
    assert_eq!(
        (
            m.stable_checkins_to_lengthen,
            m.lengthen_by_weeks,
            m.shorten_by_weeks
        ),
        (2, 1, 1)
    );
    assert_eq!(m.symptom_return, SymptomTrigger::ReliableDeterioration);
    assert_eq!(m.booster_when, SymptomTrigger::ResponseLost);
    assert_eq!(m.initial, None);
    assert_eq!(p.reassessment.every_weeks, 12);
    assert_eq!(
        p.safety.bp_max,
        Some(BloodPressure {
            systolic: 140,
            diastolic: 90
        })
    );
    assert!(p.safety.source.contains("[JNJ-BP]"));
    assert!(p.safety.source.contains("UNCONFIRMED"));
}

#[test]
fn esketamine_label_has_the_label_numbers() {
    let p = builtin("esketamine-label").unwrap();
    assert_eq!(p.route, Route::Esketamine);
    let i = &p.induction;
    assert_eq!((i.sessions, i.per_week, i.max_weeks), (8, 2, 4));
    assert_eq!(i.min_days_between, 2);
    assert!(i.source.contains("not a label number"));
    let m = &p.maintenance;
    let initial = m.initial.as_ref().unwrap();
    assert_eq!((initial.interval_weeks, initial.weeks), (1, 4));
    assert_eq!(initial.sessions(), 4);
    assert_eq!(
        (
            m.start_interval_weeks,
            m.min_interval_weeks,
            m.max_interval_weeks
        ),
        (2, 1, 2)
    );
    assert_eq!(
        p.safety.bp_max,
        Some(BloodPressure {
            systolic: 140,
            diastolic: 90
        })
    );
    assert_eq!(p.safety.observation_minutes, Some(120));
    assert!(p.safety.source.contains("[PI-2019-P3]"));
}

#[test]
fn every_section_of_every_builtin_cites_a_source_key() {
    for id in builtin_ids() {
        let p = builtin(id).unwrap();
        let mut sources = vec![
            &p.source,
            &p.induction.source,
            &p.end_of_induction.source,
            &p.maintenance.source,
            &p.reassessment.source,
            &p.safety.source,
        ];
        sources.extend(p.collect.iter().map(|c| &c.source));
        sources.extend(p.maintenance.initial.iter().map(|i| &i.source));
        for s in sources {
            assert!(s.contains('[') || s.contains("PRODUCT.md"), "{id}: {s}");
        }
    }
}

#[test]
fn collected_lists_follow_the_file() {
    let p = builtin("iv-ketamine-6").unwrap();
    assert_eq!(
        p.collected(CollectWhen::BeforeSession),
        vec![InstrumentId::Phq9, InstrumentId::CssrsScreen]
    );
    assert!(p.collects(InstrumentId::Wsas));
    assert!(!p.collects(InstrumentId::Madrs));
}

#[test]
fn json_output_uses_the_file_names() {
    let p = builtin("esketamine-label").unwrap();
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["route"], "esketamine");
    assert_eq!(v["maintenance"]["initial"]["interval_weeks"], 1);
    assert_eq!(v["safety"]["bp_max"]["systolic"], 140);
    assert_eq!(v["safety"]["hold_on_cssrs"][1], "high");
    assert_eq!(v["collect"][0]["when"], "baseline");
    assert_eq!(v["end_of_induction"]["on_response"], "start_maintenance");
}

#[test]
fn a_protocol_round_trips_through_toml() {
    for id in builtin_ids() {
        let p = builtin(id).unwrap();
        let text = toml::to_string(&p).unwrap();
        assert_eq!(Protocol::from_toml(&text).unwrap(), p);
    }
}
