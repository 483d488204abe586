//! The records Cadence stores: "new" shapes (what a caller provides) separate from stored rows
//! (what comes back, with ids and times). Values arrive here already validated by the app and
//! the clinical crate; the store keeps them, it does not judge them.

mod clinical;
mod people;
mod safety;
mod sessions;
mod summary;
mod vitals;

pub use clinical::*;
pub use people::*;
pub use safety::*;
pub use sessions::*;
pub use summary::*;
pub use vitals::{stored_blood_pressure, stored_spo2};

/// The one way to spell an id enum as text ([`cadence_clinical::text_enum`]).
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident $body:tt) => {
        cadence_clinical::text_enum!($(#[$doc])* pub $name $body);
    };
}
pub(crate) use string_enum;

string_enum!(
    /// A staff role. What each may do is the permission matrix in `cadence-app`
    /// (documented in `docs/security.md`).
    Role {
        /// Users, roles, protocols, prices, backups.
        Admin = "admin",
        /// Screens and accepts patients, reviews scores, records decisions.
        Clinician = "clinician",
        /// Runs treatment sessions.
        Nurse = "nurse",
        /// Schedules; sees no scores or notes.
        FrontDesk = "front_desk",
        /// De-identified aggregates only.
        Researcher = "researcher",
    }
);

impl Role {
    /// In the clinic's words.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Clinician => "Clinician",
            Role::Nurse => "Nurse",
            Role::FrontDesk => "Front desk",
            Role::Researcher => "Researcher",
        }
    }
}

string_enum!(
    /// How a login session is carried.
    AuthSessionKind {
        /// A browser cookie with a CSRF token.
        Browser = "browser",
        /// A bearer token for API clients.
        Api = "api",
    }
);

string_enum!(
    /// Administrative sex as recorded by the clinic.
    Sex {
        /// Female.
        Female = "female",
        /// Male.
        Male = "male",
        /// Other.
        Other = "other",
        /// Unknown or not stated.
        Unknown = "unknown",
    }
);

string_enum!(
    /// Where an assessment came from.
    AssessmentSource {
        /// Entered in clinic.
        Clinic = "clinic",
        /// Filled by the patient from a link.
        PatientLink = "patient_link",
        /// Imported from history.
        Import = "import",
    }
);

pub use cadence_clinical::calendar::{OpenDays, TimeZoneName};
pub use cadence_clinical::history::{BloodPressure, SessionStatus};
pub use cadence_clinical::schedule::OpeningHours;
pub use cadence_clinical::vitals::Spo2;
