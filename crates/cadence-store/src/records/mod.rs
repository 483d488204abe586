//! The records Cadence stores: "new" shapes (what a caller provides) separate from stored rows
//! (what comes back, with ids and times). Values arrive here already validated by the app and
//! the clinical crate; the store keeps them, it does not judge them.

mod clinical;
mod people;
mod safety;
mod sessions;

pub use clinical::*;
pub use people::*;
pub use safety::*;
pub use sessions::*;

/// Implements `as_str`, `Display`, `FromStr` and `ALL` for a snake_case id enum.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant,)+ }

        impl $name {
            /// Every value, in a stable order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The stable id stored and shown.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "unknown {} `{other}`: expected one of {}",
                        stringify!($name),
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
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

string_enum!(
    /// The state of a treatment session.
    TreatmentSessionStatus {
        /// Booked.
        Scheduled = "scheduled",
        /// Pre-checks or administration recorded, not yet discharged.
        InProgress = "in_progress",
        /// Discharged.
        Completed = "completed",
        /// Cancelled ahead of time.
        Cancelled = "cancelled",
        /// The patient did not attend.
        NoShow = "no_show",
        /// Held for clinician review: an open finding or a failed gate. Never stored: the
        /// service derives it from the patient's findings when it reads a session.
        Held = "held",
    }
);
