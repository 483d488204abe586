//! Clinics, staff users, login sessions and patients.

use super::{AuthSessionKind, OpenDays, OpeningHours, Role, Sex, TimeZoneName};
use crate::ids::*;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A clinic to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClinic {
    /// Display name, unique.
    pub name: String,
    /// IANA time zone.
    pub time_zone: TimeZoneName,
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
    /// IANA time zone (stored as its name).
    pub time_zone: TimeZoneName,
    /// Open weekdays (stored as their ids, e.g. `mon,tue,wed,thu,fri`).
    pub open_days: OpenDays,
    /// Closed dates.
    pub closed_dates: Vec<Date>,
    /// Opening hours per weekday (issue 16 §1; 09:00-17:00 until set).
    pub opening_hours: OpeningHours,
    /// Chairs (or rooms) treated in at once: how many sessions may overlap.
    pub chairs: u16,
    /// The clinic's session length in minutes (a setting; a protocol's observation time
    /// lengthens it).
    pub session_minutes: u16,
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

/// Most words a patient search may have: each must match part of a name or the MRN, or be
/// the birth date.
pub const MAX_SEARCH_WORDS: usize = 4;

/// A patient search split into its words, as both backends bind them (unused ones `None`); more
/// than [`MAX_SEARCH_WORDS`] is an error (the service refuses them with a message first).
pub fn search_words(
    search: Option<&str>,
) -> Result<[Option<&str>; MAX_SEARCH_WORDS], crate::StoreError> {
    let mut words = [None; MAX_SEARCH_WORDS];
    for (i, word) in search.unwrap_or("").split_whitespace().enumerate() {
        *words.get_mut(i).ok_or_else(|| {
            crate::StoreError::other(format!("a search has at most {MAX_SEARCH_WORDS} words"))
        })? = Some(word);
    }
    Ok(words)
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
    /// The day the weight was taken (a dose per kg is only as good as this date).
    #[serde(default)]
    pub weight_measured_on: Option<Date>,
    /// How to reach the patient, and who to call in an emergency.
    #[serde(flatten, default)]
    pub contact: PatientContact,
}

/// How to reach a patient (issue 16 §4; issue 8's messages use the same email and phone, and
/// only with `contact_consent` given). Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientContact {
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number, as the clinic writes it.
    #[serde(default)]
    pub phone: Option<String>,
    /// Postal address, free text.
    #[serde(default)]
    pub address: Option<String>,
    /// Who to call in an emergency.
    #[serde(default)]
    pub emergency_contact_name: Option<String>,
    /// Their phone number.
    #[serde(default)]
    pub emergency_contact_phone: Option<String>,
    /// Who referred the patient (a clinician or service, free text).
    #[serde(default)]
    pub referrer: Option<String>,
    /// Consent to be contacted by email or phone: `None` not asked yet.
    #[serde(default)]
    pub contact_consent: Option<bool>,
}

/// Who recorded the patient's current contact-consent answer, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentRecord {
    /// The user who recorded it.
    pub recorded_by: Option<UserId>,
    /// When.
    pub recorded_at: Timestamp,
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
    /// Who recorded the contact-consent answer and when (`None` until one is recorded).
    pub contact_consent_recorded: Option<ConsentRecord>,
    /// When created.
    pub created_at: Timestamp,
    /// When last changed.
    pub updated_at: Timestamp,
}
