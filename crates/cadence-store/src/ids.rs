//! Typed record ids, so a patient id can never be passed where a course id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// A clinic (the tenant every record belongs to).
    ClinicId
);
id_type!(
    /// A staff user.
    UserId
);
id_type!(
    /// A patient.
    PatientId
);
id_type!(
    /// A safety screening.
    ScreeningId
);
id_type!(
    /// A completed assessment.
    AssessmentId
);
id_type!(
    /// A treatment course.
    CourseId
);
id_type!(
    /// A treatment session (never "session": that is a login).
    TreatmentSessionId
);
id_type!(
    /// A timed monitoring entry within a treatment session.
    MonitoringEntryId
);
id_type!(
    /// A recorded clinician decision.
    DecisionId
);
id_type!(
    /// A safety finding (what holds a patient's sessions until a clinician releases it).
    FindingId
);
id_type!(
    /// An entry of a treatment session's record (pre-checks, administration, discharge...).
    SessionEntryId
);
