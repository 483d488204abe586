//! Safety rules as guards (issue 13): which records raise a finding, which gates a session
//! must pass before a dose, what a recorded dose is checked against, and the discharge
//! criteria. Pure: the service stores findings with their source and enforces every rule, so
//! the API, the pages and the command line get them alike.
//!
//! A **finding** holds every session of the patient until a clinician records a release that
//! names it (a missing REMS enrolment ends only when the enrolment is recorded). **Gates** are
//! findings derived from what is missing on the session day (a suicide screen, the REMS
//! enrolment); they end when the record arrives. Rules and sources: `docs/protocols.md`,
//! "Safety findings and holds".

mod effects;
mod finding;
mod session;

pub use effects::{
    ADVERSE_EFFECTS, DISSOCIATION, RESPIRATORY_DEPRESSION, SEDATION, adverse_effect_label,
};
pub use finding::{
    FindingDraft, FindingKind, Severity, Vitals, assessment_findings, monitoring_findings,
    pre_dose_finding, screening_finding,
};
pub use session::{
    Confirmations, Criterion, DoseFlag, ExceptionalEnd, GateInputs, Readiness, discharge_criteria,
    dose_flags, mg_per_kg, session_gates, unconfirmed,
};

#[cfg(test)]
mod tests;
