//! Every error code a user can receive, from the JSON API or on a page, in one enum: its text
//! (stable; clients branch on it), its HTTP status and its meaning. `docs/api.md`'s code table
//! is checked against [`ErrorCode::ALL`] by a test (`cadence-web/tests/api/docs.rs`), so the
//! table cannot miss a code or disagree on a status.

/// Declares [`ErrorCode`] with `text_enum!` (one text spelling) and its status and meaning,
/// from one row per code, so the three cannot drift apart.
macro_rules! error_codes {
    ($($variant:ident = $text:literal, $status:literal, $meaning:literal;)+) => {
        cadence_clinical::text_enum!(
            /// A stable snake_case error code (the order is `docs/api.md`'s table: by status).
            pub ErrorCode {
                $(#[doc = $meaning] $variant = $text,)+
            }
        );

        impl ErrorCode {
            /// The HTTP status answered with this code.
            pub fn status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status,)+
                }
            }

            /// What the code means and what to do, as `docs/api.md`'s table says it.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $meaning,)+
                }
            }
        }
    };
}

error_codes! {
    MalformedRequest = "malformed_request", 400,
        "the body is not valid JSON, has a wrong type, an unknown or missing field, or a path id / query value does not parse";
    Unauthenticated = "unauthenticated", 401,
        "no session, or it expired or was ended: log in again";
    InvalidCredentials = "invalid_credentials", 401,
        "wrong email or password (the same answer for both); on password change, the current password is wrong";
    Forbidden = "forbidden", 403,
        "your role may not do this (see `security.md`)";
    CsrfFailed = "csrf_failed", 403,
        "a cookie-session request without the right CSRF token, or from another site";
    PasswordChangeRequired = "password_change_required", 403,
        "change your one-time password first (`POST /api/v1/auth/password`)";
    NotFound = "not_found", 404,
        "no such record in your clinic, or no such route";
    MethodNotAllowed = "method_not_allowed", 405,
        "the route exists, the method does not";
    Conflict = "conflict", 409,
        "the change conflicts with existing data (e.g. the MRN is taken)";
    SessionHeld = "session_held", 409,
        "something holds the session (an open safety finding, or a gate such as the day's suicide screen or the REMS enrolment): the message names each and what ends it; no dose is recorded";
    PreChecksMissing = "pre_checks_missing", 409,
        "record the pre-dose checks before administration";
    PreChecksIncomplete = "pre_checks_incomplete", 409,
        "the latest pre-checks do not confirm identity, transport home (or fasting, where the protocol asks): record them again once confirmed";
    AlreadyDosed = "already_dosed", 409,
        "pre-checks after the dose: record further vital signs as monitoring entries";
    AlreadyRecorded = "already_recorded", 409,
        "the administration, infusion end, end or signature is recorded already: send a correction (`corrects`, with a reason)";
    AlreadyCorrected = "already_corrected", 409,
        "that entry has been corrected already: correct the latest one";
    SessionSigned = "session_signed", 409,
        "the session is signed and locked: add an addendum";
    SessionNotToday = "session_not_today", 409,
        "the session is booked for a later day: record it on that day, or move it to today";
    SessionCancelled = "session_cancelled", 409,
        "the session was cancelled or not attended: set it back to scheduled first";
    SessionStarted = "session_started", 409,
        "the session's record has begun: it cannot be cancelled";
    SessionNotStarted = "session_not_started", 409,
        "the session has no record yet (an exceptional end or an addendum needs one)";
    SessionNotCompleted = "session_not_completed", 409,
        "sign a session once it is discharged or ended";
    DischargeCriteriaUnmet = "discharge_criteria_unmet", 409,
        "the protocol's discharge criteria are not met (the message lists them): keep monitoring, or a clinician records an exceptional end";
    CourseNotActive = "course_not_active", 409,
        "the course is paused or discontinued: nothing is booked or recorded until a clinician's decision continues it";
    CourseNotStarted = "course_not_started", 409,
        "the course starts later: record decisions from its start date on";
    AlreadyBooked = "already_booked", 409,
        "the patient (or the course) has a session on that day already: move or cancel it first";
    SlotFull = "slot_full", 409,
        "every chair is taken at that time: choose another time (the schedule shows the open slots)";
    ChairTaken = "chair_taken", 409,
        "that chair is taken at that time, or the clinic has no chair of that number";
    SessionNotScheduled = "session_not_scheduled", 409,
        "only a scheduled session whose record has not begun can be moved; a cancelled or missed one is rebooked";
    SessionNotCancelled = "session_not_cancelled", 409,
        "only a cancelled or missed session is rebooked; a scheduled one is moved";
    AdministrationMissing = "administration_missing", 409,
        "record the administration before discharge (or before the infusion's end)";
    SessionCompleted = "session_completed", 409,
        "a completed session cannot change status or take new readings: add a correction or an addendum";
    ScreeningRequired = "screening_required", 409,
        "starting a course needs a screening of the patient for the protocol's route";
    ScreeningOutOfDate = "screening_out_of_date", 409,
        "the latest screening is older than the protocol accepts: screen again";
    ScreeningNeedsReview = "screening_needs_review", 409,
        "the latest screening needs a clinician's review: start the course with `screening_override` (the reason)";
    ScreeningNotEligible = "screening_not_eligible", 409,
        "the latest screening found an absolute reason: no course starts on it";
    ScreeningOverrideNotNeeded = "screening_override_not_needed", 409,
        "the latest screening is eligible: a `screening_override` is only for one that needs review; leave it out";
    AlreadyReleased = "already_released", 409,
        "the finding has been released already";
    FindingNotReleasable = "finding_not_releasable", 409,
        "a missing REMS enrolment ends only when the enrolment is recorded";
    NothingToRelease = "nothing_to_release", 409,
        "the session is not held by that gate";
    OwnAccess = "own_access", 409,
        "an admin cannot change their own role or disable themselves (settings)";
    BodyTooLarge = "body_too_large", 413,
        "the body is over the limit (1 MiB)";
    UnsupportedMediaType = "unsupported_media_type", 415,
        "the body is not sent as `application/json`";
    MissingField = "missing_field", 422,
        "a required text is empty";
    FieldTooLong = "field_too_long", 422,
        "a text is longer than allowed";
    InvalidCharacters = "invalid_characters", 422,
        "a text contains control characters";
    OutOfRange = "out_of_range", 422,
        "a number or date is outside its plausible range (vital signs, weight, birth date...)";
    InvalidForm = "invalid_form", 422,
        "a page's form has a value that does not read (a number, a time, a choice such as the status or the finding to release); the message names it (pages only)";
    InvalidDate = "invalid_date", 422,
        "a page's form has a date that is not `YYYY-MM-DD` (pages only)";
    DateInFuture = "date_in_future", 422,
        "the date is after today in the clinic";
    DateInPast = "date_in_past", 422,
        "a booking before today";
    BeforeCourseStart = "before_course_start", 422,
        "a booking before the course starts";
    BookingReasonRequired = "booking_reason_required", 422,
        "the day is not one the plan proposes: give the `reason` for it (the plan shows it), or book the plan's day";
    NoteRequired = "note_required", 422,
        "a release, an exceptional end, a correction, an addendum, or a decision that releases a finding needs its note or reason";
    DoseConfirmationRequired = "dose_confirmation_required", 422,
        "the dose departs from the order or the label (the message says how): confirm it with `confirm_reason`";
    StartInPast = "start_in_past", 422,
        "a course starting before today";
    ClinicClosed = "clinic_closed", 422,
        "the clinic is closed on that date";
    OutsideOpeningHours = "outside_opening_hours", 422,
        "the session (its start plus its length) does not fit the day's opening hours";
    InvalidTime = "invalid_time", 422,
        "a time is not HH:MM (24-hour)";
    InvalidOpeningHours = "invalid_opening_hours", 422,
        "opening hours are not `mon 09:00-17:00` lines, or a day closes before it opens";
    InvalidMrn = "invalid_mrn", 422,
        "the MRN has characters other than letters, digits, `-` and `_` (leave it blank to have it numbered by the clinic's pattern)";
    InvalidAnswers = "invalid_answers", 422,
        "answers do not fit the instrument (count or range; the item is named)";
    UnknownInstrument = "unknown_instrument", 422,
        "no instrument with that id (the assessment form; the API answers `400 malformed_request`)";
    InvalidScreening = "invalid_screening", 422,
        "the screening input is implausible (e.g. age over 130)";
    UnknownProtocol = "unknown_protocol", 422,
        "no built-in protocol with that id";
    UnknownDecision = "unknown_decision", 422,
        "not one of the decisions a clinician can record (the chart's decision form)";
    Unplannable = "unplannable", 422,
        "the protocol cannot be planned on the clinic's calendar";
    RouteMismatch = "route_mismatch", 422,
        "the administration's route is not the course protocol's";
    InvalidStatus = "invalid_status", 422,
        "only `scheduled`, `cancelled` and `no_show` can be set";
    PasswordTooShort = "password_too_short", 422,
        "a new password under 8 characters";
    PasswordTooLong = "password_too_long", 422,
        "a new password over 128 characters";
    PasswordUnchanged = "password_unchanged", 422,
        "the new password is the current one";
    InvalidEmail = "invalid_email", 422,
        "not an email address (operator commands, clinic settings, a patient's email)";
    InvalidPhone = "invalid_phone", 422,
        "a phone number with characters other than digits, spaces and `+ - ( ) .`, or under 5 digits";
    InvalidMrnPattern = "invalid_mrn_pattern", 422,
        "an MRN pattern without exactly one `{n}` or `{n:0W}` (W 1 to 12), or whose numbers would not be valid MRNs";
    InvalidRole = "invalid_role", 422,
        "not one of the roles admin, clinician, nurse, front_desk, researcher (clinic settings)";
    UnknownTimeZone = "unknown_time_zone", 422,
        "not an IANA time zone (operator commands, clinic calendar)";
    InvalidOpenDays = "invalid_open_days", 422,
        "the open days are not weekdays, or none is chosen (clinic calendar)";
    InvalidClosedDate = "invalid_closed_date", 422,
        "a closed date is not `YYYY-MM-DD` (the line is named)";
    TooManyClosedDates = "too_many_closed_dates", 422,
        "a clinic calendar keeps at most 1000 closed dates";
    InvalidPriceList = "invalid_price_list", 422,
        "the price list file does not parse or check (the line and column are named)";
    TooManyAttempts = "too_many_attempts", 429,
        "too many failed logins; wait `Retry-After` seconds";
    Internal = "internal", 500,
        "the server failed; nothing was changed";
    Timeout = "timeout", 503,
        "the server took too long; check before retrying";
    StorageUnavailable = "storage_unavailable", 503,
        "the database cannot take the change now (disk full, read-only, I/O or connection trouble); nothing was changed, retry later";
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_is_an_error_status_with_a_meaning_in_status_order() {
        let mut last = 0;
        for code in ErrorCode::ALL {
            let status = code.status();
            assert!((400..600).contains(&status), "{code} {status}");
            assert!(status >= last, "{code}: the table is ordered by status");
            last = status;
            assert!(!code.meaning().is_empty(), "{code}");
            // One table cell each: no pipe or line break.
            assert!(!code.meaning().contains(['|', '\n']), "{code}");
        }
    }
}
