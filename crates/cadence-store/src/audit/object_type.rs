//! What an audit row is about: one [`ObjectType`] per kind of object Cadence audits, so a
//! service cannot write a misspelt type. The text is what the log stores and the chain's
//! hash covers: it never changes for an existing type, and a type once written stays here
//! (a stored type that is not in this list reads as an unreadable row, that is, tampering).

use crate::records::{SessionEntryKind, string_enum};

string_enum!(
    /// The kind of object an audit row is about (`docs/security.md` lists them).
    ObjectType {
        /// A clinic (created by the operator, its calendar set for the demo).
        Clinic = "clinic",
        /// A clinic's calendar (time zone, open days, closed dates).
        ClinicCalendar = "clinic_calendar",
        /// A clinic's day: opening hours per weekday, chairs, session length (issue 16 §1).
        ClinicHours = "clinic_hours",
        /// A clinic's price list.
        PriceList = "price_list",
        /// The clinic's audit log, as an admin views or exports it.
        AuditLog = "audit_log",
        /// A clinic's registration settings (the MRN pattern).
        RegistrationSettings = "registration_settings",
        /// A staff user (created, role or access changed).
        User = "user",
        /// A login session (log in, failed login, log out).
        Login = "login",
        /// A user's password.
        Password = "password",
        /// A patient's demographics.
        Patient = "patient",
        /// The clinic's patient list or a search of it (one row for the clinic).
        PatientList = "patient_list",
        /// A safety screening.
        Screening = "screening",
        /// A patient's screenings.
        ScreeningList = "screening_list",
        /// A rating-scale assessment.
        Assessment = "assessment",
        /// A patient's assessments.
        AssessmentList = "assessment_list",
        /// A course of treatment.
        Course = "course",
        /// Several courses at once: a patient's, or the whole clinic's (`/today`, `/patients`).
        CourseList = "course_list",
        /// A clinician's decision on a course.
        Decision = "decision",
        /// A course's decisions.
        DecisionList = "decision_list",
        /// A treatment session (booked, read, status changed).
        TreatmentSession = "treatment_session",
        /// A session's timers (the nurse's timer panel).
        SessionTimers = "session_timers",
        /// The day's schedule of sessions.
        Schedule = "schedule",
        /// A session's pre-dose checks.
        PreChecks = "pre_checks",
        /// A session's administration (or its infusion's end).
        Administration = "administration",
        /// A monitoring entry during a session.
        MonitoringEntry = "monitoring_entry",
        /// A session's discharge.
        Discharge = "discharge",
        /// A session's exceptional end (transfer to emergency care, leaving against advice).
        ExceptionalEnd = "exceptional_end",
        /// The clinic's exceptionally ended sessions (admins).
        ExceptionalEndList = "exceptional_end_list",
        /// A session's signature.
        Signature = "signature",
        /// An addendum to a session's record.
        Addendum = "addendum",
        /// Safety findings (a patient's, or the clinic's open ones).
        FindingList = "finding_list",
        /// The release of a safety finding or a session gate.
        FindingRelease = "finding_release",
        /// A patient's REMS enrolment.
        RemsEnrolment = "rems_enrolment",
        /// The de-identified research summary (one row for the clinic).
        ResearchSummary = "research_summary",
        /// A backup of the database (an export).
        Backup = "backup",
        /// A request the permission matrix refused (the route is the object id).
        Route = "route",
        /// A request refused by its CSRF check.
        Csrf = "csrf",
    }
);

/// The object an entry of a session's record is about (an infusion's end is part of the
/// administration).
impl From<SessionEntryKind> for ObjectType {
    fn from(kind: SessionEntryKind) -> ObjectType {
        match kind {
            SessionEntryKind::PreChecks => ObjectType::PreChecks,
            SessionEntryKind::Administration | SessionEntryKind::AdministrationEnd => {
                ObjectType::Administration
            }
            SessionEntryKind::Discharge => ObjectType::Discharge,
            SessionEntryKind::ExceptionalEnd => ObjectType::ExceptionalEnd,
            SessionEntryKind::Addendum => ObjectType::Addendum,
            SessionEntryKind::Signature => ObjectType::Signature,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ObjectType;

    #[test]
    fn every_type_has_one_spelling() {
        for t in ObjectType::ALL {
            assert_eq!(t.as_str().parse::<ObjectType>(), Ok(*t));
            assert_eq!(
                serde_json::to_value(t).unwrap(),
                serde_json::Value::String(t.as_str().to_owned()),
                "serde and the stored text agree"
            );
        }
    }
}
