//! `impl Store for SqliteStore`: each method delegates to the module for its records.
//!
//! Every method that takes an audit event runs in one `BEGIN IMMEDIATE` transaction with its
//! audit append, and returns early (rolling back) on any error, so a failed or refused call
//! leaves neither data nor an audit row.

mod auth;
mod courses;
mod patients;
mod people;
mod read_model;
mod records;
mod safety;
mod sessions;

use crate::SqliteStore;
use cadence_store::audit::{AuditEntry, AuditEvent, AuditRecord, ChainHead};
use cadence_store::ids::*;
use cadence_store::records::*;
use cadence_store::{Store, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn check_available(&self) -> Result<(), StoreError> {
        records::check_available(&self.pool).await
    }

    async fn create_clinic(&self, new: NewClinic, audit: AuditEvent) -> Result<Clinic, StoreError> {
        people::create_clinic(&self.pool, new, audit).await
    }

    async fn get_clinic(&self, id: ClinicId) -> Result<Clinic, StoreError> {
        people::get_clinic(&self.readers, id).await
    }

    async fn find_clinic_by_name(&self, name: &str) -> Result<Clinic, StoreError> {
        people::find_clinic_by_name(&self.readers, name).await
    }

    async fn update_clinic_calendar(
        &self,
        id: ClinicId,
        time_zone: &TimeZoneName,
        open_days: OpenDays,
        closed_dates: &[Date],
        audit: AuditEvent,
    ) -> Result<Clinic, StoreError> {
        people::update_clinic_calendar(&self.pool, id, time_zone, open_days, closed_dates, audit)
            .await
    }

    async fn update_clinic_schedule(
        &self,
        id: ClinicId,
        opening_hours: &OpeningHours,
        chairs: u16,
        session_minutes: u16,
        audit: AuditEvent,
    ) -> Result<Clinic, StoreError> {
        people::update_clinic_schedule(
            &self.pool,
            id,
            opening_hours,
            chairs,
            session_minutes,
            audit,
        )
        .await
    }

    async fn create_user(&self, new: NewUser, audit: AuditEvent) -> Result<User, StoreError> {
        people::create_user(&self.pool, new, audit).await
    }

    async fn find_user_by_email(&self, email: &str) -> Result<User, StoreError> {
        people::find_user_by_email(&self.readers, email).await
    }

    async fn get_user(&self, id: UserId) -> Result<User, StoreError> {
        people::get_user(&self.readers, id).await
    }

    async fn list_users(&self, clinic: ClinicId) -> Result<Vec<User>, StoreError> {
        people::list_users(&self.readers, clinic).await
    }

    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        must_change_password: bool,
        keep_session: Option<&str>,
        audit: AuditEvent,
    ) -> Result<(), StoreError> {
        people::set_password(
            &self.pool,
            id,
            password_hash,
            must_change_password,
            keep_session,
            audit,
        )
        .await
    }

    async fn update_user_access(
        &self,
        clinic: ClinicId,
        id: UserId,
        role: Role,
        disabled: bool,
        audit: AuditEvent,
    ) -> Result<User, StoreError> {
        people::update_user_access(&self.pool, clinic, id, role, disabled, audit).await
    }

    async fn create_auth_session(
        &self,
        new: NewAuthSession,
        audit: AuditEvent,
    ) -> Result<AuthSession, StoreError> {
        auth::create_auth_session(&self.pool, new, audit).await
    }

    async fn get_auth_session(&self, token_hash: &str) -> Result<AuthSession, StoreError> {
        auth::get_auth_session(&self.readers, token_hash).await
    }

    async fn touch_auth_session(&self, token_hash: &str, at: Timestamp) -> Result<(), StoreError> {
        auth::touch_auth_session(&self.pool, token_hash, at).await
    }

    async fn delete_auth_session(
        &self,
        token_hash: &str,
        audit: Option<AuditEvent>,
    ) -> Result<(), StoreError> {
        auth::delete_auth_session(&self.pool, token_hash, audit).await
    }

    async fn delete_expired_auth_sessions(
        &self,
        idle_before: Timestamp,
        created_before: Timestamp,
    ) -> Result<u64, StoreError> {
        auth::delete_expired_auth_sessions(&self.pool, idle_before, created_before).await
    }

    async fn create_patient(
        &self,
        clinic: ClinicId,
        details: PatientDetails,
        at: Timestamp,
        audit: AuditEvent,
    ) -> Result<Patient, StoreError> {
        patients::create_patient(&self.pool, clinic, details, at, audit).await
    }

    async fn get_patient(
        &self,
        clinic: ClinicId,
        id: PatientId,
        audit: AuditEvent,
    ) -> Result<Patient, StoreError> {
        patients::get_patient(&self.pool, &self.readers, clinic, id, audit).await
    }

    async fn list_patients(
        &self,
        clinic: ClinicId,
        search: Option<&str>,
        limit: u32,
        audit: AuditEvent,
    ) -> Result<Vec<Patient>, StoreError> {
        patients::list_patients(&self.pool, &self.readers, clinic, search, limit, audit).await
    }

    async fn update_patient(
        &self,
        clinic: ClinicId,
        id: PatientId,
        details: PatientDetails,
        at: Timestamp,
        audit: AuditEvent,
    ) -> Result<Patient, StoreError> {
        patients::update_patient(&self.pool, clinic, id, details, at, audit).await
    }

    async fn mrn_pattern(&self, clinic: ClinicId) -> Result<Option<String>, StoreError> {
        patients::mrn_pattern(&self.readers, clinic).await
    }

    async fn set_mrn_pattern(
        &self,
        clinic: ClinicId,
        pattern: &str,
        audit: AuditEvent,
    ) -> Result<(), StoreError> {
        patients::set_mrn_pattern(&self.pool, clinic, pattern, audit).await
    }

    async fn count_patients(&self, clinic: ClinicId) -> Result<u64, StoreError> {
        patients::count_patients(&self.readers, clinic).await
    }

    async fn create_screening(
        &self,
        new: NewScreening,
        findings: Vec<NewFinding>,
        audit: AuditEvent,
    ) -> Result<Screening, StoreError> {
        patients::create_screening(&self.pool, new, findings, audit).await
    }

    async fn list_screenings(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        audit: AuditEvent,
    ) -> Result<Vec<Screening>, StoreError> {
        patients::list_screenings(&self.pool, &self.readers, clinic, patient, audit).await
    }

    async fn get_screening(
        &self,
        clinic: ClinicId,
        id: ScreeningId,
        audit: AuditEvent,
    ) -> Result<Screening, StoreError> {
        patients::get_screening(&self.pool, &self.readers, clinic, id, audit).await
    }

    async fn create_assessment(
        &self,
        new: NewAssessment,
        findings: Vec<NewFinding>,
        audit: AuditEvent,
    ) -> Result<Assessment, StoreError> {
        patients::create_assessment(&self.pool, new, findings, audit).await
    }

    async fn list_findings(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        audit: AuditEvent,
    ) -> Result<Vec<Finding>, StoreError> {
        safety::list_findings(&self.pool, &self.readers, clinic, patient, audit).await
    }

    async fn list_open_findings(
        &self,
        clinic: ClinicId,
        audit: AuditEvent,
    ) -> Result<Vec<Finding>, StoreError> {
        safety::list_open_findings(&self.pool, &self.readers, clinic, audit).await
    }

    async fn release_finding(
        &self,
        clinic: ClinicId,
        id: FindingId,
        release: NewRelease,
        audit: AuditEvent,
    ) -> Result<Finding, StoreError> {
        safety::release_finding(&self.pool, clinic, id, release, audit).await
    }

    async fn release_gate(
        &self,
        clinic: ClinicId,
        session: TreatmentSessionId,
        gate: NewFinding,
        release: NewRelease,
        audit: AuditEvent,
    ) -> Result<Finding, StoreError> {
        safety::release_gate(&self.pool, clinic, session, gate, release, audit).await
    }

    async fn set_rems_enrolment(
        &self,
        clinic: ClinicId,
        enrolment: RemsEnrolment,
        audit: AuditEvent,
    ) -> Result<RemsEnrolment, StoreError> {
        safety::set_rems_enrolment(&self.pool, clinic, enrolment, audit).await
    }

    async fn list_assessments(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        audit: AuditEvent,
    ) -> Result<Vec<Assessment>, StoreError> {
        patients::list_assessments(&self.pool, &self.readers, clinic, patient, audit).await
    }

    async fn create_course(
        &self,
        new: NewCourse,
        sessions: Vec<BookingSlot>,
        chairs: u16,
        audit: AuditEvent,
    ) -> Result<Course, StoreError> {
        courses::create_course(&self.pool, new, sessions, chairs, audit).await
    }

    async fn list_courses(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        audit: AuditEvent,
    ) -> Result<Vec<Course>, StoreError> {
        courses::list_courses(&self.pool, &self.readers, clinic, patient, audit).await
    }

    async fn get_course_bundle(
        &self,
        clinic: ClinicId,
        id: CourseId,
        audit: AuditEvent,
    ) -> Result<CourseBundle, StoreError> {
        courses::get_course_bundle(&self.pool, &self.readers, clinic, id, audit).await
    }

    async fn list_course_bundles(
        &self,
        clinic: ClinicId,
        audit: AuditEvent,
    ) -> Result<Vec<CourseBundle>, StoreError> {
        courses::list_course_bundles(&self.pool, &self.readers, clinic, audit).await
    }

    async fn today_records(
        &self,
        clinic: ClinicId,
        today: Date,
        audit: AuditEvent,
    ) -> Result<TodayRecords, StoreError> {
        read_model::today_records(&self.pool, &self.readers, clinic, today, audit).await
    }

    async fn clinics_with_stale_summaries(&self) -> Result<Vec<ClinicId>, StoreError> {
        read_model::clinics_with_stale_summaries(&self.readers).await
    }

    async fn stale_courses(
        &self,
        clinic: ClinicId,
        limit: u32,
        audit: AuditEvent,
    ) -> Result<Vec<SummarisedBundle>, StoreError> {
        read_model::stale_courses(&self.pool, &self.readers, clinic, limit, audit).await
    }

    async fn schedule_records(
        &self,
        clinic: ClinicId,
        from: Date,
        until: Date,
        audit: AuditEvent,
    ) -> Result<ScheduleRecords, StoreError> {
        read_model::schedule_records(&self.pool, &self.readers, clinic, from, until, audit).await
    }

    async fn patient_page(
        &self,
        clinic: ClinicId,
        search: Option<&str>,
        offset: u32,
        limit: u32,
        today: Date,
        audit: AuditEvent,
    ) -> Result<PatientPage, StoreError> {
        read_model::patient_page(
            &self.pool,
            &self.readers,
            clinic,
            search,
            offset,
            limit,
            today,
            audit,
        )
        .await
    }

    async fn put_course_summaries(
        &self,
        clinic: ClinicId,
        updates: Vec<SummaryUpdate>,
    ) -> Result<u64, StoreError> {
        read_model::put_course_summaries(&self.pool, clinic, updates).await
    }

    async fn create_treatment_session(
        &self,
        new: NewTreatmentSession,
        chairs: u16,
        audit: AuditEvent,
    ) -> Result<TreatmentSession, StoreError> {
        sessions::create_treatment_session(&self.pool, new, chairs, audit).await
    }

    async fn move_treatment_session(
        &self,
        clinic: ClinicId,
        id: TreatmentSessionId,
        slot: BookingSlot,
        booking_reason: Option<String>,
        chairs: u16,
        at: Timestamp,
        audit: AuditEvent,
    ) -> Result<TreatmentSession, StoreError> {
        sessions::move_treatment_session(
            &self.pool,
            clinic,
            id,
            slot,
            booking_reason,
            chairs,
            at,
            audit,
        )
        .await
    }

    async fn get_treatment_session(
        &self,
        clinic: ClinicId,
        id: TreatmentSessionId,
        audit: AuditEvent,
    ) -> Result<TreatmentSession, StoreError> {
        sessions::get_treatment_session(&self.pool, &self.readers, clinic, id, audit).await
    }

    async fn list_treatment_sessions_between(
        &self,
        clinic: ClinicId,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
        audit: AuditEvent,
    ) -> Result<Vec<TreatmentSession>, StoreError> {
        sessions::list_treatment_sessions_between(
            &self.pool,
            &self.readers,
            clinic,
            from,
            until,
            audit,
        )
        .await
    }

    async fn list_treatment_sessions_on(
        &self,
        clinic: ClinicId,
        date: Date,
        audit: AuditEvent,
    ) -> Result<Vec<TreatmentSession>, StoreError> {
        sessions::list_treatment_sessions_on(&self.pool, &self.readers, clinic, date, audit).await
    }

    async fn set_treatment_session_status(
        &self,
        clinic: ClinicId,
        id: TreatmentSessionId,
        change: StatusChange,
        audit: AuditEvent,
    ) -> Result<TreatmentSession, StoreError> {
        sessions::set_treatment_session_status(&self.pool, clinic, id, change, audit).await
    }

    async fn append_session_entry(
        &self,
        clinic: ClinicId,
        session: TreatmentSessionId,
        entry: NewSessionEntry,
        guard: EntryGuard,
        findings: Vec<NewFinding>,
        audit: AuditEvent,
    ) -> Result<(TreatmentSession, Vec<Finding>), StoreError> {
        sessions::append_session_entry(&self.pool, clinic, session, entry, guard, findings, audit)
            .await
    }

    async fn list_clinic_entries(
        &self,
        clinic: ClinicId,
        kind: SessionEntryKind,
        limit: u32,
        audit: AuditEvent,
    ) -> Result<Vec<ClinicEntry>, StoreError> {
        sessions::list_clinic_entries(&self.pool, &self.readers, clinic, kind, limit, audit).await
    }

    async fn add_monitoring_entry(
        &self,
        clinic: ClinicId,
        session: TreatmentSessionId,
        entry: NewMonitoringEntry,
        findings: Vec<NewFinding>,
        audit: AuditEvent,
    ) -> Result<MonitoringEntry, StoreError> {
        sessions::add_monitoring_entry(&self.pool, clinic, session, entry, findings, audit).await
    }

    async fn create_decision(
        &self,
        new: NewDecision,
        releases: Vec<FindingId>,
        audit: AuditEvent,
    ) -> Result<DecisionRecord, StoreError> {
        courses::create_decision(&self.pool, new, releases, audit).await
    }

    async fn course_protocol_text(
        &self,
        clinic: ClinicId,
        course: CourseId,
    ) -> Result<String, StoreError> {
        records::course_protocol_text(&self.readers, clinic, course).await
    }

    async fn get_price_list(&self, clinic: ClinicId) -> Result<Option<String>, StoreError> {
        records::get_price_list(&self.readers, clinic).await
    }

    async fn set_price_list(
        &self,
        clinic: ClinicId,
        text: &str,
        audit: AuditEvent,
    ) -> Result<(), StoreError> {
        records::set_price_list(&self.pool, clinic, text, audit).await
    }

    async fn append_audit(&self, event: AuditEvent) -> Result<AuditRecord, StoreError> {
        records::append_audit(&self.pool, event).await
    }

    async fn audit_entries(
        &self,
        from_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        records::audit_entries(&self.readers, from_seq, limit).await
    }

    async fn audit_head(&self) -> Result<Option<ChainHead>, StoreError> {
        records::audit_head(&self.readers).await
    }

    async fn audit_page(&self, from_seq: i64, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        records::audit_page(&self.readers, from_seq, limit).await
    }

    async fn audit_range(
        &self,
        from: Timestamp,
        to: Timestamp,
        patient: Option<PatientId>,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        records::audit_range(&self.readers, from, to, patient).await
    }
}
