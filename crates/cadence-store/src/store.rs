//! The [`Store`] trait: everything the application asks of storage.

use crate::StoreError;
use crate::audit::{AuditEvent, AuditRecord};
use crate::ids::*;
use crate::records::*;
use jiff::Timestamp;

/// Storage for one Cadence installation (all clinics).
///
/// Rules every backend follows, checked by the conformance suite:
/// - Every method that takes an [`AuditEvent`] appends it to the audit log in the same
///   transaction as its read or write (filling in the new object's id on a create). If the
///   operation fails, neither the change nor the audit row is kept: failed and denied attempts
///   are audited separately with [`Store::append_audit`].
/// - Every clinic-scoped read and write takes the caller's [`ClinicId`]; a record of another
///   clinic is [`StoreError::NotFound`].
/// - Unique rules refused are [`StoreError::Conflict`] naming the rule (`users.email`,
///   `patients.mrn`, `clinics.name`).
/// - Audit appends are serialised, so the chain is linear under any number of writers and
///   server processes.
#[async_trait::async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    // --- health ----------------------------------------------------------------------------

    /// A cheap check that the database answers and is not read-only (for `/healthz`):
    /// [`StoreError::Unavailable`] when it cannot be reached or cannot take writes. A full disk
    /// shows only when a write fails; the application remembers that.
    async fn check_available(&self) -> Result<(), StoreError>;

    // --- clinics and users ---------------------------------------------------------------

    /// Creates a clinic (open Monday to Friday, no closed dates).
    async fn create_clinic(&self, new: NewClinic, audit: AuditEvent) -> Result<Clinic, StoreError>;
    /// A clinic by id.
    async fn get_clinic(&self, id: ClinicId) -> Result<Clinic, StoreError>;
    /// A clinic by its exact name.
    async fn find_clinic_by_name(&self, name: &str) -> Result<Clinic, StoreError>;
    /// Sets a clinic's calendar.
    async fn update_clinic_calendar(
        &self,
        id: ClinicId,
        time_zone: &TimeZoneName,
        open_days: OpenDays,
        closed_dates: &[jiff::civil::Date],
        audit: AuditEvent,
    ) -> Result<Clinic, StoreError>;

    /// Sets a clinic's day (issue 16 §1): opening hours per weekday, chairs, session length.
    async fn update_clinic_schedule(
        &self,
        id: ClinicId,
        opening_hours: &OpeningHours,
        chairs: u16,
        session_minutes: u16,
        audit: AuditEvent,
    ) -> Result<Clinic, StoreError>;

    /// Creates a user.
    async fn create_user(&self, new: NewUser, audit: AuditEvent) -> Result<User, StoreError>;
    /// A user by login email (lower-cased), in any clinic.
    async fn find_user_by_email(&self, email: &str) -> Result<User, StoreError>;
    /// A user by id.
    async fn get_user(&self, id: UserId) -> Result<User, StoreError>;
    /// A clinic's users, by email.
    async fn list_users(&self, clinic: ClinicId) -> Result<Vec<User>, StoreError>;
    /// Replaces a user's password hash and clears (or sets) the one-time flag; ends the user's
    /// other sessions except `keep_session` (a token hash).
    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        must_change_password: bool,
        keep_session: Option<&str>,
        audit: AuditEvent,
    ) -> Result<(), StoreError>;
    /// Changes a user's role or disables them; a disabled user's sessions are ended.
    async fn update_user_access(
        &self,
        clinic: ClinicId,
        id: UserId,
        role: Role,
        disabled: bool,
        audit: AuditEvent,
    ) -> Result<User, StoreError>;

    // --- login sessions ------------------------------------------------------------------

    /// Stores a new login session and audits the login.
    async fn create_auth_session(
        &self,
        new: NewAuthSession,
        audit: AuditEvent,
    ) -> Result<AuthSession, StoreError>;
    /// A login session by token hash.
    async fn get_auth_session(&self, token_hash: &str) -> Result<AuthSession, StoreError>;
    /// Records activity on a session (idle timeout).
    async fn touch_auth_session(&self, token_hash: &str, at: Timestamp) -> Result<(), StoreError>;
    /// Ends a session (logout or expiry); audits when an event is given.
    async fn delete_auth_session(
        &self,
        token_hash: &str,
        audit: Option<AuditEvent>,
    ) -> Result<(), StoreError>;
    /// Deletes every session last seen before `idle_before` or created before
    /// `created_before` (expired ones nobody presented again); returns how many. Not audited:
    /// an expiry is not an access, as when [`Store::delete_auth_session`] ends one unaudited.
    async fn delete_expired_auth_sessions(
        &self,
        idle_before: Timestamp,
        created_before: Timestamp,
    ) -> Result<u64, StoreError>;

    // --- patients --------------------------------------------------------------------------

    /// Creates a patient.
    async fn create_patient(
        &self,
        clinic: ClinicId,
        details: PatientDetails,
        at: Timestamp,
        audit: AuditEvent,
    ) -> Result<Patient, StoreError>;
    /// A patient.
    async fn get_patient(
        &self,
        clinic: ClinicId,
        id: PatientId,
        audit: AuditEvent,
    ) -> Result<Patient, StoreError>;
    /// A clinic's patients matching every word of `search` (case-insensitive: part of the
    /// given name, family name or MRN, or the birth date `YYYY-MM-DD`; at most
    /// [`MAX_SEARCH_WORDS`](crate::records::MAX_SEARCH_WORDS) words), by family name, at most
    /// `limit`.
    async fn list_patients(
        &self,
        clinic: ClinicId,
        search: Option<&str>,
        limit: u32,
        audit: AuditEvent,
    ) -> Result<Vec<Patient>, StoreError>;
    /// Replaces a patient's details.
    async fn update_patient(
        &self,
        clinic: ClinicId,
        id: PatientId,
        details: PatientDetails,
        at: Timestamp,
        audit: AuditEvent,
    ) -> Result<Patient, StoreError>;

    /// The clinic's MRN pattern for numbers the clinic does not type, if an admin set one.
    async fn mrn_pattern(&self, clinic: ClinicId) -> Result<Option<String>, StoreError>;
    /// Sets the clinic's MRN pattern (audited with `audit`).
    async fn set_mrn_pattern(
        &self,
        clinic: ClinicId,
        pattern: &str,
        audit: AuditEvent,
    ) -> Result<(), StoreError>;
    /// How many patients the clinic has registered (patients are never deleted).
    async fn count_patients(&self, clinic: ClinicId) -> Result<u64, StoreError>;

    // --- screenings and assessments ---------------------------------------------------------

    /// Stores a screening, with the findings it raises (a screening during a course).
    async fn create_screening(
        &self,
        new: NewScreening,
        findings: Vec<NewFinding>,
        audit: AuditEvent,
    ) -> Result<Screening, StoreError>;
    /// A screening.
    async fn get_screening(
        &self,
        clinic: ClinicId,
        id: ScreeningId,
        audit: AuditEvent,
    ) -> Result<Screening, StoreError>;
    /// A patient's screenings, newest first.
    async fn list_screenings(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        audit: AuditEvent,
    ) -> Result<Vec<Screening>, StoreError>;
    /// Stores an assessment, with the findings it raises.
    async fn create_assessment(
        &self,
        new: NewAssessment,
        findings: Vec<NewFinding>,
        audit: AuditEvent,
    ) -> Result<Assessment, StoreError>;
    /// A patient's assessments, by date taken then id.
    async fn list_assessments(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        audit: AuditEvent,
    ) -> Result<Vec<Assessment>, StoreError>;

    // --- safety findings and REMS -------------------------------------------------------------

    /// A patient's findings, oldest first, with their releases.
    async fn list_findings(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        audit: AuditEvent,
    ) -> Result<Vec<Finding>, StoreError>;
    /// The clinic's open findings (no release yet), oldest first: what `/today` alerts on.
    async fn list_open_findings(
        &self,
        clinic: ClinicId,
        audit: AuditEvent,
    ) -> Result<Vec<Finding>, StoreError>;
    /// Records a clinician's release of a finding. A finding released already is
    /// `Conflict{"finding_releases.finding_id"}`.
    async fn release_finding(
        &self,
        clinic: ClinicId,
        id: FindingId,
        release: NewRelease,
        audit: AuditEvent,
    ) -> Result<Finding, StoreError>;
    /// Stores a gate of one session as a finding and its release together (a clinician
    /// releases a session without, e.g., its suicide screen).
    async fn release_gate(
        &self,
        clinic: ClinicId,
        session: TreatmentSessionId,
        gate: NewFinding,
        release: NewRelease,
        audit: AuditEvent,
    ) -> Result<Finding, StoreError>;
    /// Records (or replaces) a patient's REMS enrolment.
    async fn set_rems_enrolment(
        &self,
        clinic: ClinicId,
        enrolment: RemsEnrolment,
        audit: AuditEvent,
    ) -> Result<RemsEnrolment, StoreError>;

    // --- courses, sessions, decisions -------------------------------------------------------

    /// Creates a course and books its first sessions, in one transaction, each slot checked
    /// as [`Store::create_treatment_session`] checks it against `chairs`.
    async fn create_course(
        &self,
        new: NewCourse,
        sessions: Vec<BookingSlot>,
        chairs: u16,
        audit: AuditEvent,
    ) -> Result<Course, StoreError>;
    /// A patient's courses, newest first.
    async fn list_courses(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        audit: AuditEvent,
    ) -> Result<Vec<Course>, StoreError>;
    /// A course with its sessions, the patient's assessments and its decisions.
    async fn get_course_bundle(
        &self,
        clinic: ClinicId,
        id: CourseId,
        audit: AuditEvent,
    ) -> Result<CourseBundle, StoreError>;
    /// Every course of the clinic as a bundle (each exactly what [`Store::get_course_bundle`]
    /// returns for it), by patient id, each patient's newest first (the order of
    /// [`Store::list_courses`]).
    ///
    /// For clinic-wide pages (today's work, the patient list, research counts): read in one
    /// transaction with a fixed number of queries, whatever the number of courses, and
    /// audited by one row, the caller's event as given (it names no single patient).
    async fn list_course_bundles(
        &self,
        clinic: ClinicId,
        audit: AuditEvent,
    ) -> Result<Vec<CourseBundle>, StoreError>;
    /// What `/today` shows for `today` ([`TodayRecords`]), read without the writer lock in one
    /// consistent read, then audited by one row (the caller's event as given, naming no
    /// patient) that is durable before the records are returned. The number of courses read
    /// follows the day's work (sessions booked, summaries due for a look), not the clinic's
    /// size.
    async fn today_records(
        &self,
        clinic: ClinicId,
        today: jiff::civil::Date,
        audit: AuditEvent,
    ) -> Result<TodayRecords, StoreError>;
    /// What `/schedule` shows ([`ScheduleRecords`]): the sessions booked from `from` to before
    /// `until`, and the courses whose bookings may need a move (summary stale or counting
    /// bookings to move), read without the writer lock in one consistent read and audited by
    /// one row (the caller's event as given). The number of courses read follows the bookings
    /// to move, not the clinic's size.
    async fn schedule_records(
        &self,
        clinic: ClinicId,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
        audit: AuditEvent,
    ) -> Result<ScheduleRecords, StoreError>;
    /// A page of the clinic's patients whose name or MRN contains `search` (as
    /// [`Store::list_patients`] matches), by family name, given name and id, from `offset`, at
    /// most `limit`, with the number of matches and each patient's newest course summary (and
    /// its bundle when the summary does not hold on `today`). One read, one audit row (the
    /// caller's event as given).
    async fn patient_page(
        &self,
        clinic: ClinicId,
        search: Option<&str>,
        offset: u32,
        limit: u32,
        today: jiff::civil::Date,
        audit: AuditEvent,
    ) -> Result<PatientPage, StoreError>;
    /// The clinics with at least one stale course summary (after an upgrade that marks them
    /// all stale, or writes no page has looked at since), by id. Not audited: it names no
    /// patient and reads no record.
    async fn clinics_with_stale_summaries(&self) -> Result<Vec<ClinicId>, StoreError>;
    /// Up to `limit` of the clinic's courses whose summary is stale, by course id, each with
    /// its summary and whether it is its patient's newest: for the service to recompute them
    /// in the background. One read, one audit row (the caller's event as given).
    async fn stale_courses(
        &self,
        clinic: ClinicId,
        limit: u32,
        audit: AuditEvent,
    ) -> Result<Vec<SummarisedBundle>, StoreError>;
    /// Stores freshly computed course summaries (derived data, not audited: computing one is
    /// not an access). An update whose `version` no longer matches (a write came in between)
    /// or names another clinic's course is skipped; returns how many were stored.
    async fn put_course_summaries(
        &self,
        clinic: ClinicId,
        updates: Vec<SummaryUpdate>,
    ) -> Result<u64, StoreError>;
    /// Books a treatment session in a course. Checked inside the transaction against every
    /// booked session of the clinic that day (not cancelled or missed), so two bookings at once
    /// cannot both pass: the patient already has a session that day is
    /// `Conflict{"treatment_sessions.patient_day"}`; the slot's chair is taken (or is not one of
    /// `chairs`) is `Conflict{"treatment_sessions.chair"}`; `chairs` sessions already overlap
    /// it is `Conflict{"treatment_sessions.capacity"}`.
    async fn create_treatment_session(
        &self,
        new: NewTreatmentSession,
        chairs: u16,
        audit: AuditEvent,
    ) -> Result<TreatmentSession, StoreError>;
    /// Moves a scheduled session to another slot (its day, time, length and chair), with the
    /// reason when it departs from the plan; checked like a booking, leaving the session itself
    /// out. A session not `scheduled` is `Conflict{"treatment_sessions.status"}`.
    #[expect(
        clippy::too_many_arguments,
        reason = "a move is its slot, reason, time and the clinic's chairs, as a booking's are"
    )]
    async fn move_treatment_session(
        &self,
        clinic: ClinicId,
        id: TreatmentSessionId,
        slot: BookingSlot,
        booking_reason: Option<String>,
        chairs: u16,
        at: Timestamp,
        audit: AuditEvent,
    ) -> Result<TreatmentSession, StoreError>;
    /// A treatment session with its monitoring entries.
    async fn get_treatment_session(
        &self,
        clinic: ClinicId,
        id: TreatmentSessionId,
        audit: AuditEvent,
    ) -> Result<TreatmentSession, StoreError>;
    /// A clinic's treatment sessions booked on the days `from` up to `until` (exclusive), by
    /// day then id, with their records: the bookings a course start or a week's schedule
    /// checks, read by the day index whatever the clinic's size.
    async fn list_treatment_sessions_between(
        &self,
        clinic: ClinicId,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
        audit: AuditEvent,
    ) -> Result<Vec<TreatmentSession>, StoreError>;
    /// A clinic's treatment sessions booked on a date (today's schedule).
    async fn list_treatment_sessions_on(
        &self,
        clinic: ClinicId,
        date: jiff::civil::Date,
        audit: AuditEvent,
    ) -> Result<Vec<TreatmentSession>, StoreError>;
    /// Changes a session's booking status (cancelled, not attended, scheduled again).
    async fn set_treatment_session_status(
        &self,
        clinic: ClinicId,
        id: TreatmentSessionId,
        change: StatusChange,
        audit: AuditEvent,
    ) -> Result<TreatmentSession, StoreError>;
    /// Appends an entry to a session's record, with the findings it raises, after checking
    /// `guard` inside the same transaction. Refusals: a guard that no longer holds is
    /// `Conflict{"findings.open"}` or `Conflict{"session_entries.signed"}`; a second entry of a
    /// once-only kind that corrects nothing is `Conflict{"session_entries.once"}`; a second
    /// correction of the same entry is `Conflict{"session_entries.corrects"}`. Returns the
    /// session and the patient's findings as they are after the write (one audited access).
    async fn append_session_entry(
        &self,
        clinic: ClinicId,
        session: TreatmentSessionId,
        entry: NewSessionEntry,
        guard: EntryGuard,
        findings: Vec<NewFinding>,
        audit: AuditEvent,
    ) -> Result<(TreatmentSession, Vec<Finding>), StoreError>;
    /// The clinic's session-record entries of one kind, newest first, at most `limit` (one
    /// audited read, about no patient).
    async fn list_clinic_entries(
        &self,
        clinic: ClinicId,
        kind: SessionEntryKind,
        limit: u32,
        audit: AuditEvent,
    ) -> Result<Vec<ClinicEntry>, StoreError>;
    /// Adds a monitoring entry to a treatment session, with the in-session alerts it raises.
    async fn add_monitoring_entry(
        &self,
        clinic: ClinicId,
        session: TreatmentSessionId,
        entry: NewMonitoringEntry,
        findings: Vec<NewFinding>,
        audit: AuditEvent,
    ) -> Result<MonitoringEntry, StoreError>;
    /// Records a clinician's decision, releasing the named findings with it (the decision's
    /// note, clinician and time; each release names the decision) in the same transaction. A
    /// finding released already is `Conflict{"finding_releases.finding_id"}`; one of another
    /// patient or clinic is `NotFound`.
    async fn create_decision(
        &self,
        new: NewDecision,
        releases: Vec<FindingId>,
        audit: AuditEvent,
    ) -> Result<DecisionRecord, StoreError>;

    // --- price list ------------------------------------------------------------------------

    /// The clinic's price list file text, if one is set.
    async fn get_price_list(&self, clinic: ClinicId) -> Result<Option<String>, StoreError>;
    /// The protocol text frozen with a course of the clinic. Not audited: a protocol is the
    /// clinic's rule book, not a patient's record (the session it is read for is).
    async fn course_protocol_text(
        &self,
        clinic: ClinicId,
        course: CourseId,
    ) -> Result<String, StoreError>;
    /// Replaces the clinic's price list file text.
    async fn set_price_list(
        &self,
        clinic: ClinicId,
        text: &str,
        audit: AuditEvent,
    ) -> Result<(), StoreError>;

    // --- audit -------------------------------------------------------------------------------

    /// Appends an audit row on its own (logins, denied or failed attempts, exports).
    async fn append_audit(&self, event: AuditEvent) -> Result<AuditRecord, StoreError>;
    /// Audit rows with `from <= seq`, in sequence order, at most `limit`, as verification
    /// reads them: a row whose stored values do not decode (a tampered row) is
    /// [`AuditEntry::Unreadable`](crate::audit::AuditEntry) rather than an error.
    async fn audit_entries(
        &self,
        from_seq: i64,
        limit: u32,
    ) -> Result<Vec<crate::audit::AuditEntry>, StoreError>;
    /// The chain head the last append recorded (`audit_head`); `None` when the row is missing
    /// or does not decode.
    async fn audit_head(&self) -> Result<Option<crate::audit::ChainHead>, StoreError>;
    /// Audit rows with `from <= seq`, in sequence order, at most `limit` (for verification in
    /// pages).
    async fn audit_page(&self, from_seq: i64, limit: u32) -> Result<Vec<AuditRecord>, StoreError>;
    /// Audit rows with `from <= at < to`, optionally for one patient, in sequence order.
    async fn audit_range(
        &self,
        from: Timestamp,
        to: Timestamp,
        patient: Option<PatientId>,
    ) -> Result<Vec<AuditRecord>, StoreError>;
}
