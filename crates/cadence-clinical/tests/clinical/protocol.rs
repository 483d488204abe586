//! Protocol files: strict parsing, every semantic problem with its location, the built-ins.

use cadence_clinical::protocol::{Protocol, ProtocolErrors, builtin, builtin_ids, builtin_text};

fn iv_text() -> &'static str {
    builtin_text("iv-ketamine-6").unwrap()
}

/// The IV built-in with `from` replaced by `to` (which must occur exactly once).
fn edited(from: &str, to: &str) -> String {
    let text = iv_text();
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    text.replace(from, to)
}

/// The 1-based line of the first line of the built-in text that starts with `prefix` after a
/// given table header.
fn line_of(text: &str, header: &str, prefix: &str) -> usize {
    let start = text.lines().position(|l| l.trim() == header).unwrap();
    start
        + 1
        + text
            .lines()
            .skip(start)
            .position(|l| l.starts_with(prefix))
            .unwrap()
}

fn errors(text: &str) -> ProtocolErrors {
    Protocol::from_toml(text).unwrap_err()
}

#[test]
fn builtins_parse_deterministically() {
    assert_eq!(builtin_ids(), ["iv-ketamine-6", "esketamine-label"]);
    for id in builtin_ids() {
        let text = builtin_text(id).unwrap();
        assert_eq!(Protocol::from_toml(text), Protocol::from_toml(text));
        assert_eq!(builtin(id).unwrap().id, *id);
    }
}

#[test]
fn a_syntax_error_gives_line_and_column() {
    let text = edited("sessions = 6\n", "sessions = \n");
    let e = errors(&text);
    assert_eq!(e.len(), 1);
    let p = &e.problems[0];
    assert_eq!(p.line, Some(line_of(&text, "[induction]", "sessions")));
    assert!(p.column.is_some());
    assert!(
        e.to_string()
            .starts_with(&format!("line {}, column ", p.line.unwrap())),
        "{e}"
    );
}

#[test]
fn a_type_error_gives_its_line() {
    let text = edited("per_week = 2\n", "per_week = \"two\"\n");
    let e = errors(&text);
    assert_eq!(
        e.problems[0].line,
        Some(line_of(&text, "[induction]", "per_week"))
    );
    assert!(e.to_string().contains("invalid type"), "{e}");
}

#[test]
fn unknown_keys_are_rejected_with_their_line() {
    let text = edited("max_weeks = 3\n", "max_weeks = 3\nmax_week = 3\n");
    let e = errors(&text);
    assert_eq!(
        e.problems[0].line,
        Some(line_of(&text, "[induction]", "max_week ="))
    );
    assert!(e.to_string().contains("unknown field `max_week`"), "{e}");
}

#[test]
fn unknown_ids_are_rejected() {
    for (from, to, needle) in [
        (
            "on_partial = \"extend_induction\"",
            "on_partial = \"wait\"",
            "wait",
        ),
        ("instrument = \"phq9\"", "instrument = \"bdi\"", "bdi"),
        ("route = \"iv_ketamine\"", "route = \"oral\"", "oral"),
        (
            "symptom_return = \"reliable_deterioration\"",
            "symptom_return = \"worse\"",
            "worse",
        ),
        ("when = \"during_session\"", "when = \"after\"", "after"),
    ] {
        let e = errors(&edited(from, to));
        assert_eq!(e.len(), 1);
        assert!(e.problems[0].line.is_some());
        assert!(
            e.to_string()
                .contains(&format!("unknown variant `{needle}`")),
            "{e}"
        );
    }
}

#[test]
fn a_missing_required_key_is_named() {
    let text = edited("min_days_between = 2\n", "");
    let e = errors(&text);
    assert!(
        e.to_string().contains("missing field `min_days_between`"),
        "{e}"
    );
}

/// Applies an edit and returns the single semantic problem as text.
fn problem(from: &str, to: &str) -> String {
    let e = errors(&edited(from, to));
    assert_eq!(e.len(), 1, "expected one problem, got:\n{e}");
    e.to_string()
}

#[test]
fn max_weeks_too_short_names_what_is_needed() {
    let text = edited("max_weeks = 3\n", "max_weeks = 1\n");
    let line = line_of(&text, "[induction]", "max_weeks");
    assert_eq!(
        errors(&text).to_string(),
        format!(
            "line {line} (induction.max_weeks): 1 week is too short for 6 sessions at 2 a week, \
             at least 2 days apart: they need at least 3 weeks (session 6 falls on day 17 at the earliest)"
        )
    );
    // 3 weeks fit exactly: 17 days.
    assert!(Protocol::from_toml(&edited("max_weeks = 3\n", "max_weeks = 3\n")).is_ok());
}

#[test]
fn induction_rules() {
    let cases = [
        (
            "sessions = 6\n",
            "sessions = 0\n",
            "(induction.sessions): 0 sessions is out of range",
        ),
        (
            "per_week = 2\n",
            "per_week = 8\n",
            "(induction.per_week): 8 a week is out of range",
        ),
        (
            "min_days_between = 2\n",
            "min_days_between = 0\n",
            "(induction.min_days_between): 0 days is out of range",
        ),
        (
            "early_check_after = 4\n",
            "early_check_after = 6\n",
            "(induction.early_check_after): an early check after session 6 must come before the last",
        ),
        (
            "early_check_after = 4\n",
            "early_check_after = 0\n",
            "(induction.early_check_after)",
        ),
    ];
    for (from, to, needle) in cases {
        let e = errors(&edited(from, to)).to_string();
        assert!(e.contains(needle), "{from} -> {to}: {e}");
    }
    // 4 days apart fit only 2 sessions in 7 days.
    let e = errors(
        &edited("per_week = 2\n", "per_week = 3\n")
            .replace("min_days_between = 2\n", "min_days_between = 4\n"),
    )
    .to_string();
    assert!(
        e.contains(
            "(induction.min_days_between): sessions at least 4 days apart fit at most 2 in 7 days, \
             fewer than per_week = 3"
        ),
        "{e}"
    );
    // 3 days apart at 3 a week fits exactly (days 0, 3, 6).
    let ok = edited("per_week = 2\n", "per_week = 3\n")
        .replace("min_days_between = 2\n", "min_days_between = 3\n");
    assert!(
        Protocol::from_toml(&ok).is_ok(),
        "{:?}",
        Protocol::from_toml(&ok)
    );
}

#[test]
fn extensions_must_be_usable() {
    // No extension allowed, yet one is set and one is suggested: both are reported.
    let e = errors(&edited("max_extensions = 1\n", "max_extensions = 0\n"));
    assert_eq!(e.len(), 2, "{e}");
    assert!(
        e.to_string()
            .contains("(induction.max_extensions): extension_sessions is set"),
        "{e}"
    );
    let text = edited("extension_sessions = 2\n", "extension_sessions = 0\n");
    let all = errors(&text).to_string();
    assert!(all.contains("(induction.extension_sessions): an extension would add no session"));
    // With no extension at all, suggesting one is wrong.
    let none = iv_text()
        .replace("extension_sessions = 2\n", "")
        .replace("max_extensions = 1\n", "");
    let e = errors(&none).to_string();
    assert!(
        e.contains("(end_of_induction.on_partial): extend_induction is suggested but the protocol allows no extension"),
        "{e}"
    );
}

#[test]
fn end_of_induction_rules() {
    let e = problem("partial_percent = 25\n", "partial_percent = 50\n");
    assert!(
        e.contains("(end_of_induction.partial_percent): a partial response (50%) must be a smaller fall than a response (50%)"),
        "{e}"
    );
    let e = problem("response_percent = 50\n", "response_percent = 101\n");
    assert!(
        e.contains("(end_of_induction.response_percent): 101% is out of range"),
        "{e}"
    );
    let e = problem(
        "on_response = \"start_maintenance\"",
        "on_response = \"booster\"",
    );
    assert!(
        e.contains("(end_of_induction.on_response): `booster` is not an end-of-induction decision"),
        "{e}"
    );
}

#[test]
fn the_outcome_instrument_must_be_a_depression_scale_collected_at_baseline() {
    let text = edited("instrument = \"phq9\"", "instrument = \"gad7\"");
    let e = errors(&text);
    let line = line_of(&text, "[end_of_induction]", "instrument");
    let s = e.to_string();
    assert!(
        s.contains(&format!(
            "line {line} (end_of_induction.instrument): gad7 cannot decide an outcome"
        )),
        "{s}"
    );
    // gad7 is at baseline but not before sessions or between them.
    assert!(
        s.contains(
            "gad7 decides the end-of-induction outcome but is never collected during the course"
        ),
        "{s}"
    );
    let madrs = errors(&edited("instrument = \"phq9\"", "instrument = \"madrs\"")).to_string();
    assert!(
        madrs.contains(
            "madrs decides the end-of-induction outcome but is not collected at baseline"
        ),
        "{madrs}"
    );
}

#[test]
fn maintenance_rules() {
    let e = problem("start_interval_weeks = 2\n", "start_interval_weeks = 5\n");
    assert!(
        e.contains("(maintenance.start_interval_weeks): 5 weeks is outside the interval bounds 1 to 4 weeks"),
        "{e}"
    );
    let e = problem("min_interval_weeks = 1\n", "min_interval_weeks = 0\n");
    assert!(e.contains("(maintenance.min_interval_weeks)"), "{e}");
    let e = problem("lengthen_by_weeks = 1\n", "lengthen_by_weeks = 0\n");
    assert!(
        e.contains("(maintenance.lengthen_by_weeks): must be at least 1"),
        "{e}"
    );
    let e = problem("shorten_by_weeks = 1\n", "shorten_by_weeks = 0\n");
    assert!(e.contains("(maintenance.shorten_by_weeks)"), "{e}");
    let e = problem(
        "stable_checkins_to_lengthen = 2\n",
        "stable_checkins_to_lengthen = 0\n",
    );
    assert!(
        e.contains("(maintenance.stable_checkins_to_lengthen)"),
        "{e}"
    );
    let e = errors(&edited(
        "max_interval_weeks = 4\n",
        "max_interval_weeks = 0\n",
    ))
    .to_string();
    assert!(
        e.contains("the longest interval (0 weeks) is shorter than the shortest (1 weeks)"),
        "{e}"
    );
    // A fixed interval needs no steps.
    let fixed = iv_text()
        .replace("max_interval_weeks = 4\n", "max_interval_weeks = 2\n")
        .replace("min_interval_weeks = 1\n", "min_interval_weeks = 2\n")
        .replace("lengthen_by_weeks = 1\n", "lengthen_by_weeks = 0\n")
        .replace("shorten_by_weeks = 1\n", "shorten_by_weeks = 0\n");
    assert!(Protocol::from_toml(&fixed).is_ok());
}

#[test]
fn the_initial_block_must_fit_the_bounds() {
    let esk = builtin_text("esketamine-label").unwrap();
    let block = |interval: u16, weeks: u16| {
        esk.replace(
            "interval_weeks = 1\nweeks = 4\n",
            &format!("interval_weeks = {interval}\nweeks = {weeks}\n"),
        )
    };
    assert!(Protocol::from_toml(&block(2, 4)).is_ok());
    let text = block(3, 3);
    let line = line_of(&text, "[maintenance.initial]", "interval_weeks");
    assert_eq!(
        errors(&text).to_string(),
        format!(
            "line {line} (maintenance.initial.interval_weeks): 3 weeks is outside the \
             maintenance interval bounds 1 to 2 weeks"
        )
    );
    let e = errors(&block(2, 3)).to_string();
    assert!(
        e.contains(
            "(maintenance.initial.weeks): 3 weeks is not a whole number of 2-week intervals"
        ),
        "{e}"
    );
    let e = errors(&block(2, 0)).to_string();
    assert!(e.contains("(maintenance.initial.weeks)"), "{e}");
}

#[test]
fn safety_rules() {
    let e = errors(&edited(
        "bp_max = { systolic = 140, diastolic = 90 }",
        "bp_max = { systolic = 300, diastolic = 30 }",
    ));
    let s = e.to_string();
    assert_eq!(e.len(), 2, "{s}");
    assert!(s.contains("(safety.bp_max.systolic): 300 mmHg is not a plausible systolic threshold"));
    assert!(
        s.contains("(safety.bp_max.diastolic): 30 mmHg is not a plausible diastolic threshold")
    );
    let e = problem(
        "bp_max = { systolic = 140, diastolic = 90 }",
        "bp_max = { systolic = 100, diastolic = 120 }",
    );
    assert!(
        e.contains("the diastolic threshold (120) must be below the systolic (100)"),
        "{e}"
    );
    let e = problem(
        "hold_on_cssrs = [\"moderate\", \"high\"]",
        "hold_on_cssrs = [\"none\"]",
    );
    assert!(
        e.contains("(safety.hold_on_cssrs): `none` would hold every session"),
        "{e}"
    );
    let e = problem("discharge_min_moaas = 5\n", "discharge_min_moaas = 6\n");
    assert!(
        e.contains("(safety.discharge_min_moaas): 6 is not a MOAA/S level"),
        "{e}"
    );
    // A protocol of its own id may omit the BP threshold; the built-in id gets the built-in's
    // (an absent safety key never means "off" for a built-in protocol's text).
    let own = edited("bp_max = { systolic = 140, diastolic = 90 }\n", "")
        .replace("id = \"iv-ketamine-6\"", "id = \"our-iv\"");
    assert_eq!(Protocol::from_toml(&own).unwrap().safety.bp_max, None);
    let same_id = edited("bp_max = { systolic = 140, diastolic = 90 }\n", "");
    assert_eq!(
        Protocol::from_toml(&same_id).unwrap().safety.bp_max,
        builtin("iv-ketamine-6").unwrap().safety.bp_max
    );
}

/// Version 1 of each built-in, as courses started before the safety settings froze it.
const ESK_V1: &str = include_str!("../fixtures/esketamine-label-v1.toml");
const IV_V1: &str = include_str!("../fixtures/iv-ketamine-6-v1.toml");

#[test]
fn an_old_frozen_text_gets_todays_safety_settings_from_the_builtin_of_its_id() {
    let old = Protocol::from_toml(ESK_V1).unwrap();
    let now = builtin("esketamine-label").unwrap();
    assert_eq!(old.version, 1, "the fixture is the old text");
    // Everything the old text did not say comes from today's built-in: in-session alerts,
    // the 56/84 mg and day-1 dose check, the suicide-screen gate, fasting, MADRS item 10.
    assert_eq!(old.safety.in_session, now.safety.in_session);
    assert!(old.safety.in_session.is_some());
    assert_eq!(old.dose_check, now.dose_check);
    assert_eq!(old.dose_check.as_ref().unwrap().allowed_mg, [56, 84]);
    assert_eq!(
        old.dose_check.as_ref().unwrap().first_session_max_mg,
        Some(56)
    );
    assert_eq!(old.safety.suicide_screens, now.safety.suicide_screens);
    assert!(!old.safety.suicide_screens.is_empty());
    assert!(old.safety.fasting_required);
    assert_eq!(old.safety.madrs_item10_alert, Some(4));
    // What the old text says is kept as written (its own source and rhythm).
    assert_eq!(old.safety.observation_minutes, Some(120));
    assert_ne!(old.safety.source, now.safety.source);
    assert_eq!(
        cadence_clinical::protocol::missing_keys(ESK_V1),
        [
            "safety.madrs_item10_alert",
            "safety.suicide_screens",
            "safety.escort_required",
            "safety.fasting_required",
            "safety.in_session",
            "dose_check"
        ]
    );

    let old_iv = Protocol::from_toml(IV_V1).unwrap();
    assert_eq!(old_iv.version, 1);
    assert!(old_iv.safety.escort_required, "the IV escort rule applies");
    assert!(old_iv.safety.in_session.is_some());
    assert!(old_iv.dose_check.as_ref().unwrap().per_kg);
    // Today's built-in leaves IV observation time out on purpose: still none.
    assert_eq!(old_iv.safety.observation_minutes, None);
}

#[test]
fn a_key_written_out_turns_a_guard_off_on_purpose() {
    let text = ESK_V1.replace(
        "observation_minutes = 120\n",
        "observation_minutes = 120\nfasting_required = false\nsuicide_screens = []\n",
    );
    let p = Protocol::from_toml(&text).unwrap();
    assert!(!p.safety.fasting_required);
    assert!(p.safety.suicide_screens.is_empty());
    // What it still leaves out is supplied.
    assert!(p.safety.in_session.is_some());
}

#[test]
fn collect_rules() {
    let e = problem("when = \"between_sessions\"", "when = \"baseline\"");
    assert!(
        e.contains(
            "(collect[3].when): `baseline` is already listed in collect[0]: merge the two lists"
        ),
        "{e}"
    );
    let text = edited(
        "instruments = [\"moaas\", \"cadss\"]",
        "instruments = [\"moaas\", \"moaas\"]",
    );
    let line = line_of(&text, "when = \"during_session\"", "instruments");
    assert_eq!(
        errors(&text).to_string(),
        format!("line {line} (collect[2].instruments): moaas is listed twice")
    );
    // Holding on the C-SSRS needs it collected.
    let no_cssrs = iv_text().replace(", \"cssrs_screen\"]", "]");
    let e = errors(&no_cssrs).to_string();
    assert!(
        e.contains("(safety.hold_on_cssrs): holds on the C-SSRS but never collects cssrs_screen"),
        "{e}"
    );
}

#[test]
fn every_problem_is_reported_at_once_in_file_order() {
    let text = iv_text()
        .replace("version = 2\n", "version = 0\n")
        .replace("max_weeks = 3\n", "max_weeks = 1\n")
        .replace("partial_percent = 25\n", "partial_percent = 60\n")
        .replace("every_weeks = 12\n", "every_weeks = 0\n")
        .replace("discharge_min_moaas = 5\n", "discharge_min_moaas = 9\n");
    let e = errors(&text);
    let paths: Vec<&str> = e
        .problems
        .iter()
        .map(|p| p.path.as_deref().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "version",
            "induction.max_weeks",
            "end_of_induction.partial_percent",
            "reassessment.every_weeks",
            "safety.discharge_min_moaas"
        ]
    );
    let lines: Vec<usize> = e.problems.iter().map(|p| p.line.unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
    assert_eq!(e.to_string().lines().count(), 5);
}

#[test]
fn a_missing_source_is_a_problem() {
    let e = problem(
        "source = \"Sedation (MOAA/S) and dissociation (CADSS, about 40 min after dosing) during each session [JNJ-SEDATION] [JNJ-DISSOC] [WILLIAMSON-CADSS].\"",
        "source = \" \"",
    );
    assert!(
        e.contains("(collect[2].source): a source is required"),
        "{e}"
    );
}

#[test]
fn a_bad_id_is_a_problem() {
    let e = problem("id = \"iv-ketamine-6\"", "id = \"IV Ketamine\"");
    assert!(
        e.starts_with("line 7 (id): `IV Ketamine` is not a protocol id"),
        "{e}"
    );
}

// ---- the clinical settings (issue 13 §7) ----

fn esk_text() -> &'static str {
    builtin_text("esketamine-label").unwrap()
}

/// The esketamine built-in under an id of its own (so nothing is supplied from the built-in),
/// with `from` replaced by `to` (which must occur exactly once).
fn esk_own(from: &str, to: &str) -> String {
    let text = esk_text().replace("id = \"esketamine-label\"", "id = \"our-esketamine\"");
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    text.replace(from, to)
}

#[test]
fn the_builtins_pass_their_own_check_under_another_id() {
    for id in builtin_ids() {
        let text = builtin_text(id)
            .unwrap()
            .replace(&format!("id = \"{id}\""), "id = \"our-copy\"");
        assert!(Protocol::from_toml(&text).is_ok(), "{id}");
    }
}

#[test]
fn symptom_return_by_reliable_deterioration_needs_a_reliable_change_rule() {
    // The IV protocol's symptom return is reliable deterioration on the PHQ-9: without the
    // PHQ-9 rule it could never trigger.
    let e = problem("  { instrument = 'phq9', points = 6 },\n", "");
    assert!(
        e.contains("(maintenance.symptom_return): reliable deterioration needs a reliable-change rule for phq9"),
        "{e}"
    );
    // The booster too.
    let text = edited("  { instrument = 'phq9', points = 6 },\n", "").replace(
        "booster_when = \"response_lost\"",
        "booster_when = \"reliable_deterioration\"",
    );
    let paths: Vec<String> = errors(&text)
        .problems
        .into_iter()
        .filter_map(|p| p.path)
        .collect();
    assert_eq!(
        paths,
        ["maintenance.symptom_return", "maintenance.booster_when"]
    );
    // `response_lost` needs no rule.
    let fixed = edited("  { instrument = 'phq9', points = 6 },\n", "").replace(
        "symptom_return = \"reliable_deterioration\"",
        "symptom_return = \"response_lost\"",
    );
    assert!(Protocol::from_toml(&fixed).is_ok());
}

#[test]
fn reliable_change_rules_are_checked() {
    let e = problem(
        "{ instrument = 'gad7', points = 4 }",
        "{ instrument = 'gad7', points = 0 }",
    );
    assert!(
        e.contains("(outcomes.reliable_change[1].points): 0 points"),
        "{e}"
    );
    let e = problem(
        "{ instrument = 'gad7', points = 4 }",
        "{ instrument = 'phq9', points = 4 }",
    );
    assert!(e.contains("phq9 has two reliable-change rules"), "{e}");
    let e = problem(
        "{ instrument = 'gad7', points = 4 }",
        "{ instrument = 'gad7', sd = 4.0, reliability = 1.0 }",
    );
    assert!(
        e.contains("(outcomes.reliable_change[1].reliability)"),
        "{e}"
    );
    let e = problem(
        "{ instrument = 'gad7', points = 4 }",
        "{ instrument = 'gad7', points = 4, sd = 4.0 }",
    );
    assert!(
        e.contains("give either `points`, or `sd` with `reliability`"),
        "{e}"
    );
    assert!(
        Protocol::from_toml(&edited(
            "{ instrument = 'gad7', points = 4 }",
            "{ instrument = 'gad7', sd = 4.0, reliability = 0.85 }",
        ))
        .is_ok()
    );
}

#[test]
fn the_madrs_item_10_level_is_1_to_6() {
    for bad in [0, 7] {
        let e = problem(
            "madrs_item10_alert = 4\n",
            &format!("madrs_item10_alert = {bad}\n"),
        );
        assert!(
            e.contains(&format!(
                "(safety.madrs_item10_alert): {bad} is not a MADRS item level"
            )),
            "{e}"
        );
    }
    for good in [1, 6] {
        assert!(
            Protocol::from_toml(&edited(
                "madrs_item10_alert = 4\n",
                &format!("madrs_item10_alert = {good}\n")
            ))
            .is_ok()
        );
    }
}

#[test]
fn in_session_limits_are_plausible_and_the_crisis_is_above_the_pre_dose_hold() {
    let e = problem(
        "bp_above = { systolic = 180, diastolic = 120 }",
        "bp_above = { systolic = 130, diastolic = 120 }",
    );
    assert!(
        e.contains("(safety.in_session.bp_above): the crisis limit 130/120 is below the pre-dose hold 140/90"),
        "{e}"
    );
    let e = problem(
        "bp_above = { systolic = 180, diastolic = 120 }",
        "bp_above = { systolic = 180, diastolic = 85 }",
    );
    assert!(e.contains("is below the pre-dose hold"), "{e}");
    for (from, to, needle) in [
        (
            "spo2_below = 90",
            "spo2_below = 40",
            "(safety.in_session.spo2_below): 40%",
        ),
        (
            "spo2_below = 90",
            "spo2_below = 101",
            "(safety.in_session.spo2_below): 101%",
        ),
        (
            "moaas_at_or_below = 3",
            "moaas_at_or_below = 6",
            "(safety.in_session.moaas_at_or_below): 6 is not a MOAA/S level",
        ),
        (
            "spo2_below = 90",
            "spo2_below = 90\nrespiratory_rate_below = 0",
            "(safety.in_session.respiratory_rate_below): 0 breaths",
        ),
        (
            "spo2_below = 90",
            "spo2_below = 90\nrespiratory_rate_above = 81",
            "(safety.in_session.respiratory_rate_above): 81 breaths",
        ),
        (
            "spo2_below = 90",
            "spo2_below = 90\nrespiratory_rate_below = 20\nrespiratory_rate_above = 12",
            "(safety.in_session.respiratory_rate_above): the upper limit (12) must be above the lower (20)",
        ),
    ] {
        let e = problem(from, to);
        assert!(e.contains(needle), "{to}: {e}");
    }
    assert!(
        Protocol::from_toml(&edited(
            "spo2_below = 90",
            "spo2_below = 90\nrespiratory_rate_below = 8\nrespiratory_rate_above = 30"
        ))
        .is_ok()
    );
}

#[test]
fn suicide_screens_need_a_suicide_item_collected_before_sessions() {
    let e = problem(
        "suicide_screens = [\"phq9\", \"cssrs_screen\"]",
        "suicide_screens = [\"gad7\"]",
    );
    assert!(
        e.contains("(safety.suicide_screens): gad7 has no suicide item"),
        "{e}"
    );
    let e = problem(
        "suicide_screens = [\"phq9\", \"cssrs_screen\"]",
        "suicide_screens = [\"madrs\"]",
    );
    assert!(
        e.contains("madrs is required before each session but not collected then"),
        "{e}"
    );
    let e = problem(
        "suicide_screens = [\"phq9\", \"cssrs_screen\"]",
        "suicide_screens = [\"phq9\", \"phq9\"]",
    );
    assert!(e.contains("phq9 is listed twice"), "{e}");
}

#[test]
fn dose_and_screening_settings_are_in_range() {
    for (from, to, needle) in [
        (
            "first_session_max_mg = 56",
            "first_session_max_mg = 0",
            "(dose_check.first_session_max_mg): 0 mg is out of range",
        ),
        (
            "allowed_mg = [56, 84]",
            "allowed_mg = [56, 84, 2000]",
            "(dose_check.allowed_mg): 2000 mg is out of range",
        ),
    ] {
        let e = errors(&esk_own(from, to)).to_string();
        assert!(e.contains(needle), "{to}: {e}");
    }
    let e = problem("valid_days = 30", "valid_days = 0");
    assert!(
        e.contains("(screening.valid_days): 0 days is out of range"),
        "{e}"
    );
    let e = problem(
        "bp_max = { diastolic = 90, systolic = 140 }",
        "bp_max = { diastolic = 90, systolic = 400 }",
    );
    assert!(e.contains("(screening.bp_max.systolic): 400 mmHg"), "{e}");
}

#[test]
fn an_esketamine_protocol_keeps_the_label_and_rems_floor() {
    // A clinic's own esketamine protocol (no built-in to supply from) may not observe for less
    // than 2 hours, or leave the label's dose check out.
    let e = errors(&esk_own(
        "observation_minutes = 120\n",
        "observation_minutes = 60\n",
    ))
    .to_string();
    assert!(
        e.contains("(safety.observation_minutes): 60 minutes: the esketamine label and REMS require at least 120 minutes"),
        "{e}"
    );
    let e = errors(&esk_own("observation_minutes = 120\n", "")).to_string();
    assert!(e.contains("(safety.observation_minutes): not set"), "{e}");
    assert!(
        Protocol::from_toml(&esk_own(
            "observation_minutes = 120\n",
            "observation_minutes = 150\n"
        ))
        .is_ok()
    );
    let e = errors(&esk_own(
        "allowed_mg = [56, 84]\n",
        "allowed_mg = [56, 70, 84]\n",
    ))
    .to_string();
    assert!(
        e.contains("(dose_check.allowed_mg): esketamine comes in 56 or 84 mg"),
        "{e}"
    );
    let e = errors(&esk_own("allowed_mg = [56, 84]\n", "")).to_string();
    assert!(e.contains("(dose_check.allowed_mg)"), "{e}");
    assert!(
        Protocol::from_toml(&esk_own("allowed_mg = [56, 84]\n", "allowed_mg = [56]\n")).is_ok()
    );
    let e = errors(&esk_own(
        "first_session_max_mg = 56\n",
        "first_session_max_mg = 84\n",
    ))
    .to_string();
    assert!(
        e.contains("(dose_check.first_session_max_mg): the esketamine label's day-1 dose is 56 mg"),
        "{e}"
    );
    let e = errors(&esk_own("first_session_max_mg = 56\n", "")).to_string();
    assert!(e.contains("(dose_check.first_session_max_mg)"), "{e}");
    // Without the section at all.
    let start = esk_text().find("[dose_check]").unwrap();
    let end = start + esk_text()[start..].find("[[collect]]").unwrap();
    let text = esk_own("[dose_check]", "[dose_check]").replace(&esk_text()[start..end], "");
    let e = errors(&text);
    assert_eq!(e.len(), 1, "{e}");
    assert_eq!(e.problems[0].path.as_deref(), Some("dose_check"));
    assert!(
        e.to_string()
            .contains("an esketamine protocol needs a [dose_check]"),
        "{e}"
    );
    // The IV protocol has no such floor.
    let own_iv = iv_text().replace("id = \"iv-ketamine-6\"", "id = \"our-iv\"");
    assert!(
        Protocol::from_toml(&own_iv)
            .unwrap()
            .safety
            .observation_minutes
            .is_none()
    );
}
