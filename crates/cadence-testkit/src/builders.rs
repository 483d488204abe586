//! Valid request bodies, so tests say only what they change.

use jiff::civil::Date;
use serde_json::{Value, json};

/// A patient with this MRN.
pub fn patient(mrn: &str) -> Value {
    json!({
        "mrn": mrn,
        "given_name": "Ada",
        "family_name": "Lovelace",
        "birth_date": "1980-05-17",
        "sex": "female",
        "weight_kg": 64.5
    })
}

/// A PHQ-9 with these nine answers, taken today.
pub fn phq9(answers: [u8; 9]) -> Value {
    json!({ "instrument": "phq9", "answers": answers })
}

/// A PHQ-9 that screens negative for suicide risk (item 9 at 0): the pre-session suicide
/// screen the built-in protocols require on the day of a session.
pub fn suicide_screen() -> Value {
    phq9([1, 1, 1, 1, 1, 1, 1, 1, 0])
}

/// An IV ketamine screening with two failed trials (eligible; the age is derived from the birth date, 45 on the test clock).
pub fn screening() -> Value {
    json!({ "route": "iv_ketamine", "failed_adequate_trials": 2 })
}

/// A course on the built-in IV ketamine protocol starting on `start`.
pub fn course(start: Date) -> Value {
    json!({ "protocol": "iv-ketamine-6", "start_date": start.to_string() })
}

/// Pre-dose checks with a normal blood pressure.
pub fn pre_checks() -> Value {
    json!({
        "identity_confirmed": true,
        "fasting_confirmed": true,
        "transport_arranged": true,
        "bp_systolic": 122,
        "bp_diastolic": 78,
        "heart_rate": 72,
        "spo2": 98
    })
}

/// An IV ketamine administration.
pub fn administration() -> Value {
    json!({
        "route": "iv_ketamine",
        "dose_ordered_mg": 35.0,
        "dose_given_mg": 35.0,
        "lot": "LOT-2026-01"
    })
}

/// A monitoring entry.
pub fn monitoring() -> Value {
    json!({ "bp_systolic": 130, "bp_diastolic": 82, "heart_rate": 80, "moaas": 4 })
}

/// A discharge.
pub fn discharge() -> Value {
    json!({
        "moaas": 5,
        "bp_systolic": 124,
        "bp_diastolic": 80,
        "clinically_stable": true,
        "escort_present": true
    })
}

/// A decision.
pub fn decision() -> Value {
    json!({ "decision": "continue", "note": "Tolerating well; continue induction." })
}
