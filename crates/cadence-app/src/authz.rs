//! Who may do what: the permission matrix, in one place (documented in `docs/security.md`, and
//! walked route by route, role by role, in the web tests).
//!
//! Principle of least privilege for a clinic: clinicians decide; nurses run sessions; front desk
//! schedules and never sees scores or notes; admins manage users, settings and the audit log but
//! not charts; researchers see de-identified aggregates only, never a patient record.

use crate::AppError;
use cadence_store::records::Role;

/// Something a user can be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See patient demographics (names, MRN, birth date) and the schedule.
    ReadPatients,
    /// Register or edit patient demographics.
    WritePatients,
    /// See clinical data: screenings, scores, outcomes, suggestions, decisions and notes.
    ReadClinical,
    /// Record a screening.
    Screen,
    /// Record an assessment.
    RecordAssessment,
    /// Start a course.
    CreateCourse,
    /// Book, cancel or mark sessions as not attended.
    Schedule,
    /// Record pre-checks, administration, monitoring and discharge.
    RecordSession,
    /// Record a clinician's decision.
    Decide,
    /// Manage users and clinic settings (calendar, price list).
    Administer,
    /// Read the audit log.
    ReadAudit,
    /// See de-identified, clinic-level aggregates.
    ReadAggregates,
}

impl Permission {
    /// A short phrase for "your role may not …" messages.
    pub fn phrase(self) -> &'static str {
        match self {
            Permission::ReadPatients => "see patient records",
            Permission::WritePatients => "register or edit patients",
            Permission::ReadClinical => "see clinical data",
            Permission::Screen => "record screenings",
            Permission::RecordAssessment => "record assessments",
            Permission::CreateCourse => "start courses",
            Permission::Schedule => "schedule sessions",
            Permission::RecordSession => "record session data",
            Permission::Decide => "record clinical decisions",
            Permission::Administer => "manage users and settings",
            Permission::ReadAudit => "read the audit log",
            Permission::ReadAggregates => "see aggregate reports",
        }
    }
}

/// Whether a role has a permission.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Clinician => matches!(
            permission,
            ReadPatients
                | WritePatients
                | ReadClinical
                | Screen
                | RecordAssessment
                | CreateCourse
                | Schedule
                | RecordSession
                | Decide
                | ReadAggregates
        ),
        Role::Nurse => matches!(
            permission,
            ReadPatients | ReadClinical | RecordAssessment | Schedule | RecordSession
        ),
        Role::FrontDesk => matches!(permission, ReadPatients | WritePatients | Schedule),
        Role::Admin => matches!(permission, Administer | ReadAudit | ReadAggregates),
        Role::Researcher => matches!(permission, ReadAggregates),
    }
}

/// `Ok` when the role has the permission, else [`AppError::Forbidden`].
pub fn require(role: Role, permission: Permission) -> Result<(), AppError> {
    if allows(role, permission) {
        Ok(())
    } else {
        Err(AppError::Forbidden(permission.phrase()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clinicians_decide() {
        for role in Role::ALL {
            assert_eq!(allows(*role, Permission::Decide), *role == Role::Clinician);
        }
    }

    #[test]
    fn front_desk_and_researchers_never_see_clinical_data() {
        assert!(!allows(Role::FrontDesk, Permission::ReadClinical));
        assert!(!allows(Role::Researcher, Permission::ReadClinical));
        assert!(!allows(Role::Researcher, Permission::ReadPatients));
        assert!(!allows(Role::Admin, Permission::ReadPatients));
    }

    #[test]
    fn nurses_record_sessions_but_do_not_decide() {
        assert!(allows(Role::Nurse, Permission::RecordSession));
        assert!(!allows(Role::Nurse, Permission::Decide));
        assert!(!allows(Role::FrontDesk, Permission::RecordSession));
    }
}
