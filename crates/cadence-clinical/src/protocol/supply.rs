//! An upgrade never weakens safety: the safety settings a protocol text leaves out are
//! supplied by Cadence's built-in protocol of the same id.
//!
//! A course freezes its protocol's text when it starts, and texts frozen before a safety key
//! existed do not name it (version 1 of `esketamine-label` has no in-session limits, no dose
//! check, no suicide-screen gate and no fasting rule; version 1 of `iv-ketamine-6` has no
//! escort rule). Left to serde's defaults those keys would mean "off", so a course started
//! before the upgrade would run without the guards the same protocol has today. Instead, a
//! key the text leaves out takes the value of the built-in protocol with the same id, as this
//! release of Cadence ships it. A key the text writes (even as `false`, `[]` or a section with
//! only its `source`) is kept as written: that is how a protocol turns a guard off on purpose.
//! A protocol whose id is not a built-in one is read as written. `docs/protocols.md` states the
//! rule.

use super::Protocol;

/// The keys of `[safety]` a built-in protocol supplies when a text leaves them out (`source`
/// and `hold_on_suicide_risk` are required, so never absent).
pub const SUPPLIED_SAFETY_KEYS: [&str; 9] = [
    "bp_max",
    "hold_on_cssrs",
    "discharge_min_moaas",
    "observation_minutes",
    "madrs_item10_alert",
    "suicide_screens",
    "escort_required",
    "fasting_required",
    "in_session",
];

/// The top-level sections a built-in protocol supplies when a text leaves them out. Only
/// guards: `[outcomes]` and `[screening]` change how scores and screenings are judged, not
/// whether a dose may be given, and keep their documented defaults.
pub const SUPPLIED_SECTIONS: [&str; 1] = ["dose_check"];

/// The keys (`safety.<key>` or a section name) that `text` leaves out and that `builtin`
/// supplies. Empty when `text` does not parse as TOML.
pub fn missing_keys(text: &str) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let safety = table.get("safety").and_then(toml::Value::as_table);
    let mut out: Vec<String> = SUPPLIED_SAFETY_KEYS
        .iter()
        .filter(|key| safety.is_none_or(|s| !s.contains_key(**key)))
        .map(|key| format!("safety.{key}"))
        .collect();
    out.extend(
        SUPPLIED_SECTIONS
            .iter()
            .filter(|key| !table.contains_key(**key))
            .map(|key| (*key).to_owned()),
    );
    out
}

/// Fills into `p` every key of [`missing_keys`] from `builtin` (the built-in protocol with
/// `p`'s id); returns the keys filled.
pub(super) fn supply(p: &mut Protocol, text: &str, builtin: &Protocol) -> Vec<String> {
    let missing = missing_keys(text);
    let (s, b) = (&mut p.safety, &builtin.safety);
    for key in &missing {
        match key.as_str() {
            "safety.bp_max" => s.bp_max = b.bp_max,
            "safety.hold_on_cssrs" => s.hold_on_cssrs.clone_from(&b.hold_on_cssrs),
            "safety.discharge_min_moaas" => s.discharge_min_moaas = b.discharge_min_moaas,
            "safety.observation_minutes" => s.observation_minutes = b.observation_minutes,
            "safety.madrs_item10_alert" => s.madrs_item10_alert = b.madrs_item10_alert,
            "safety.suicide_screens" => s.suicide_screens.clone_from(&b.suicide_screens),
            "safety.escort_required" => s.escort_required = b.escort_required,
            "safety.fasting_required" => s.fasting_required = b.fasting_required,
            "safety.in_session" => s.in_session.clone_from(&b.in_session),
            "dose_check" => p.dose_check.clone_from(&builtin.dose_check),
            _ => {}
        }
    }
    missing
}
