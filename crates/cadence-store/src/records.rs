//! The records Cadence stores: "new" shapes (what a caller provides) separate from stored rows
//! (what comes back, with ids and times). Values arrive here already validated by the app and
//! the clinical crate; the store keeps them, it does not judge them.

use crate::ids::*;
use cadence_clinical::decision::Decision;
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::route::Route;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

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
        /// Cancelled ahead of time (rebooked by the planner).
        Cancelled = "cancelled",
        /// The patient did not attend (rebooked by the planner).
        NoShow = "no_show",
        /// Held for clinician review (safety).
        Held = "held",
    }
);

/// A clinic to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClinic {
    /// Display name, unique.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// When.
    pub created_at: Timestamp,
}

/// A clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clinic {
    /// Id.
    pub id: ClinicId,
    /// Display name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Open weekdays, e.g. `mon,tue,wed,thu,fri`.
    pub open_days: String,
    /// Closed dates.
    pub closed_dates: Vec<Date>,
    /// When created.
    pub created_at: Timestamp,
}

/// A staff user to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// Login email, lower-cased; unique across the installation.
    pub email: String,
    /// Role.
    pub role: Role,
    /// PHC-format argon2id hash.
    pub password_hash: String,
    /// Whether the password is a one-time password to change at first login.
    pub must_change_password: bool,
    /// When.
    pub created_at: Timestamp,
}

/// A staff user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// Login email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// PHC-format argon2id hash (never serialized).
    pub password_hash: String,
    /// One-time password still in force.
    pub must_change_password: bool,
    /// Disabled users cannot log in; their sessions are ended.
    pub disabled: bool,
    /// When created.
    pub created_at: Timestamp,
}

/// A login session to create. The token itself is never stored: only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuthSession {
    /// Hex SHA-256 of the session token.
    pub token_hash: String,
    /// The user.
    pub user_id: UserId,
    /// Browser or API.
    pub kind: AuthSessionKind,
    /// Hex SHA-256 of the CSRF token (browser sessions).
    pub csrf_hash: Option<String>,
    /// When created.
    pub created_at: Timestamp,
}

/// A login session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSession {
    /// Hex SHA-256 of the session token.
    pub token_hash: String,
    /// The user.
    pub user_id: UserId,
    /// Browser or API.
    pub kind: AuthSessionKind,
    /// Hex SHA-256 of the CSRF token.
    pub csrf_hash: Option<String>,
    /// When created (for the absolute timeout).
    pub created_at: Timestamp,
    /// Last request (for the idle timeout).
    pub last_seen_at: Timestamp,
}

/// Patient demographics as entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatientDetails {
    /// Medical record number, unique within the clinic.
    pub mrn: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub birth_date: Date,
    /// Administrative sex.
    pub sex: Sex,
    /// Weight in kg, if recorded.
    pub weight_kg: Option<f64>,
}

/// A patient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Patient {
    /// Id.
    pub id: PatientId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// Demographics.
    #[serde(flatten)]
    pub details: PatientDetails,
    /// When created.
    pub created_at: Timestamp,
    /// When last changed.
    pub updated_at: Timestamp,
}

/// A screening to store: the input and the clinical crate's result, both as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct NewScreening {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The route screened for.
    pub route: Route,
    /// The screening input.
    pub input: serde_json::Value,
    /// The screening result.
    pub result: serde_json::Value,
    /// The decision id (`eligible`, `needs_review`, `not_eligible`).
    pub decision: String,
    /// Who screened.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// A stored screening.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening {
    /// Id.
    pub id: ScreeningId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The route screened for.
    pub route: Route,
    /// The input.
    pub input: serde_json::Value,
    /// The result.
    pub result: serde_json::Value,
    /// The decision id.
    pub decision: String,
    /// Who screened.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// An assessment to store: the answers and the derived score.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAssessment {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The course it belongs to, if any.
    pub course_id: Option<CourseId>,
    /// The instrument.
    pub instrument: InstrumentId,
    /// Item answers (`None` for an item the flow skips).
    pub answers: Vec<Option<u8>>,
    /// The total (`None` for the C-SSRS).
    pub total: Option<i64>,
    /// The full score object as JSON (band, flags, subscales...).
    pub score: serde_json::Value,
    /// Where it came from.
    pub source: AssessmentSource,
    /// The date it was taken, in the clinic's time zone.
    pub taken_on: Date,
    /// Who entered it (`None` for a patient link).
    pub created_by: Option<UserId>,
    /// When stored.
    pub created_at: Timestamp,
}

/// A stored assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Id.
    pub id: AssessmentId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The course, if any.
    pub course_id: Option<CourseId>,
    /// The instrument.
    pub instrument: InstrumentId,
    /// Item answers.
    pub answers: Vec<Option<u8>>,
    /// The total.
    pub total: Option<i64>,
    /// The score object.
    pub score: serde_json::Value,
    /// Where it came from.
    pub source: AssessmentSource,
    /// The date taken.
    pub taken_on: Date,
    /// Who entered it.
    pub created_by: Option<UserId>,
    /// When stored.
    pub created_at: Timestamp,
}

/// A course to create. The protocol file's text and version are frozen with the course, so a
/// later edit of the clinic's protocol never changes a running course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCourse {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The protocol id.
    pub protocol_id: String,
    /// The protocol version.
    pub protocol_version: u32,
    /// The protocol file text, frozen.
    pub protocol_text: String,
    /// The start date.
    pub start_date: Date,
    /// Who created it.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// A stored course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Course {
    /// Id.
    pub id: CourseId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The patient.
    pub patient_id: PatientId,
    /// The protocol id.
    pub protocol_id: String,
    /// The protocol version.
    pub protocol_version: u32,
    /// The frozen protocol text.
    #[serde(skip)]
    pub protocol_text: String,
    /// The start date.
    pub start_date: Date,
    /// Who created it.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// Pre-dose checks recorded by a nurse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreChecks {
    /// Identity confirmed.
    pub identity_confirmed: bool,
    /// Fasting as instructed (food 2 h, liquids 30 min for esketamine [SPRAVATO-PREP]).
    pub fasting_confirmed: bool,
    /// Transport home arranged (no driving until the next day [SPRAVATOHCP-TRD]).
    pub transport_arranged: bool,
    /// Pre-dose systolic BP, mmHg.
    pub bp_systolic: u16,
    /// Pre-dose diastolic BP, mmHg.
    pub bp_diastolic: u16,
    /// Heart rate, beats per minute.
    pub heart_rate: Option<u16>,
    /// SpO2, percent.
    pub spo2: Option<u8>,
    /// Who recorded them.
    pub recorded_by: UserId,
    /// When.
    pub recorded_at: Timestamp,
}

/// What was administered. Cadence records what a clinician ordered; it never recommends a dose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Administration {
    /// Route.
    pub route: Route,
    /// Dose ordered, mg.
    pub dose_ordered_mg: f64,
    /// Dose given, mg.
    pub dose_given_mg: f64,
    /// Lot number.
    pub lot: String,
    /// When administration started.
    pub started_at: Timestamp,
    /// Who recorded it.
    pub recorded_by: UserId,
}

/// Discharge at the end of monitoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discharge {
    /// When discharged.
    pub discharged_at: Timestamp,
    /// MOAA/S at discharge (0-5).
    pub moaas: u8,
    /// Systolic BP before leaving.
    pub bp_systolic: u16,
    /// Diastolic BP before leaving.
    pub bp_diastolic: u16,
    /// Clinically stable.
    pub clinically_stable: bool,
    /// A responsible adult escorts the patient home.
    pub escort_present: bool,
    /// Minutes after start at which the patient would have been ready to leave (REMS question).
    pub ready_after_minutes: Option<u32>,
    /// Who recorded it.
    pub recorded_by: UserId,
}

/// A treatment session to book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTreatmentSession {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The course.
    pub course_id: CourseId,
    /// The booked date.
    pub scheduled_on: Date,
    /// When booked.
    pub created_at: Timestamp,
}

/// A treatment session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TreatmentSession {
    /// Id.
    pub id: TreatmentSessionId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The course.
    pub course_id: CourseId,
    /// The patient (from the course).
    pub patient_id: PatientId,
    /// The booked date.
    pub scheduled_on: Date,
    /// Status.
    pub status: TreatmentSessionStatus,
    /// Pre-checks, once recorded.
    pub pre_checks: Option<PreChecks>,
    /// Administration, once recorded.
    pub administration: Option<Administration>,
    /// Discharge, once recorded.
    pub discharge: Option<Discharge>,
    /// Monitoring entries, in time order.
    pub monitoring: Vec<MonitoringEntry>,
    /// When last changed.
    pub updated_at: Timestamp,
}

/// A change to a treatment session: each field present replaces the stored one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TreatmentSessionChange {
    /// New status.
    pub status: Option<TreatmentSessionStatus>,
    /// Pre-checks.
    pub pre_checks: Option<PreChecks>,
    /// Administration.
    pub administration: Option<Administration>,
    /// Discharge.
    pub discharge: Option<Discharge>,
}

/// A timed monitoring entry during a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMonitoringEntry {
    /// When taken.
    pub taken_at: Timestamp,
    /// Systolic BP.
    pub bp_systolic: Option<u16>,
    /// Diastolic BP.
    pub bp_diastolic: Option<u16>,
    /// Heart rate.
    pub heart_rate: Option<u16>,
    /// SpO2 percent.
    pub spo2: Option<u8>,
    /// MOAA/S level 0-5.
    pub moaas: Option<u8>,
    /// CADSS total 0-92.
    pub cadss: Option<u8>,
    /// Adverse effects observed (short codes, e.g. `nausea`).
    pub adverse_effects: Vec<String>,
    /// Who recorded it.
    pub recorded_by: UserId,
}

/// A stored monitoring entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringEntry {
    /// Id.
    pub id: MonitoringEntryId,
    /// The entry.
    #[serde(flatten)]
    pub entry: NewMonitoringEntry,
}

/// A clinician's decision to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The course.
    pub course_id: CourseId,
    /// What was decided.
    pub decision: Decision,
    /// The engine's suggestion shown at the time.
    pub suggestion_shown: Option<String>,
    /// The clinician's note.
    pub note: Option<String>,
    /// Who decided (a clinician).
    pub decided_by: UserId,
    /// The date, in the clinic's time zone.
    pub decided_on: Date,
    /// When stored.
    pub created_at: Timestamp,
}

/// A stored decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRecord {
    /// Id.
    pub id: DecisionId,
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The course.
    pub course_id: CourseId,
    /// What was decided.
    pub decision: Decision,
    /// The suggestion shown.
    pub suggestion_shown: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// Who decided.
    pub decided_by: UserId,
    /// The date.
    pub decided_on: Date,
    /// When stored.
    pub created_at: Timestamp,
}

/// Everything about one course the engine needs, read in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseBundle {
    /// The course.
    pub course: Course,
    /// Its treatment sessions, by date.
    pub sessions: Vec<TreatmentSession>,
    /// The patient's assessments, by date (baseline may predate the course).
    pub assessments: Vec<Assessment>,
    /// Its decisions, in the order recorded.
    pub decisions: Vec<DecisionRecord>,
}
