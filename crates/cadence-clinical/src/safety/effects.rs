//! The adverse effects a monitoring entry records, as short codes with their words.
//!
//! The list covers the effects the label and the trials report most often during a session
//! ([ADVANCED-PSY]: dissociation, dizziness, nausea, sedation, anxiety, raised blood pressure,
//! vomiting) and the three the REMS Patient Monitoring Form asks about (sedation, dissociation,
//! respiratory depression [PMF-MANUALSPRO]). A monitoring entry takes codes from this list
//! only, at most once each, so the record stays countable and the REMS answers derivable.

/// Sedation, as the REMS form asks.
pub const SEDATION: &str = "sedation";
/// Dissociation, as the REMS form asks.
pub const DISSOCIATION: &str = "dissociation";
/// Respiratory depression, as the REMS form asks.
pub const RESPIRATORY_DEPRESSION: &str = "respiratory_depression";

/// Every code, with its words, in the order forms list them.
pub const ADVERSE_EFFECTS: [(&str, &str); 9] = [
    (SEDATION, "Sedation"),
    (DISSOCIATION, "Dissociation"),
    (RESPIRATORY_DEPRESSION, "Respiratory depression"),
    ("nausea", "Nausea"),
    ("vomiting", "Vomiting"),
    ("dizziness", "Dizziness"),
    ("headache", "Headache"),
    ("anxiety", "Anxiety"),
    ("blood_pressure_increase", "Blood pressure increase"),
];

/// The words for a code, if it is one.
pub fn adverse_effect_label(code: &str) -> Option<&'static str> {
    ADVERSE_EFFECTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}
