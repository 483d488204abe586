//! The demo clinic's building blocks: synthetic patients, PHQ-9s, courses booked by the real
//! planner, sessions completed or held, screenings and decisions, written straight to the store
//! as the operator (audit rows without an actor, like `cadence clinic create`).

use crate::courses::calendar_of;
use crate::{App, AppError, validate};
use cadence_clinical::calendar::ClinicCalendar;
use cadence_clinical::decision::Decision;
use cadence_clinical::instrument::{InstrumentId, ScoringConfig, StoredScore, score};
use cadence_clinical::planner::SessionKind;
use cadence_clinical::protocol::{self, Protocol};
use cadence_clinical::route::Route;
use cadence_clinical::safety::{
    ExceptionalEnd, FindingDraft, Vitals, assessment_findings, monitoring_findings,
    pre_dose_finding,
};
use cadence_clinical::screening::{ScreeningInput, screen};
use cadence_store::audit::{AuditAction, AuditEvent, ObjectType};
use cadence_store::ids::FindingId;
use cadence_store::ids::{CourseId, PatientId, ScreeningId, TreatmentSessionId, UserId};
use cadence_store::records::{
    Administration, AssessmentSource, Clinic, Discharge, EntryGuard, ExceptionalEndRecord,
    NewAssessment, NewCourse, NewDecision, NewFinding, NewMonitoringEntry, NewRelease,
    NewScreening, NewSessionEntry, NewTreatmentSession, PatientContact, PatientDetails, PreChecks,
    RemsEnrolment, SessionEntryKind, SessionStatus, Sex,
};
use jiff::civil::Date;
use jiff::{Span, Timestamp};

/// The demo's protocol (the esketamine patient's course uses [`ESKETAMINE`]).
pub(super) const PROTOCOL: &str = "iv-ketamine-6";
/// The built-in esketamine protocol (the label's schedule).
pub(super) const ESKETAMINE: &str = "esketamine-label";

/// PHQ-9 answers summing to `total` (item 9 = `item9`).
fn phq9(total: u8, item9: u8) -> Vec<Option<u8>> {
    let mut left = total.saturating_sub(item9);
    let mut answers: Vec<Option<u8>> = (0..8)
        .map(|_| {
            let v = left.min(3);
            left -= v;
            Some(v)
        })
        .collect();
    answers.push(Some(item9));
    answers
}

fn to_json(value: &impl serde::Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(|e| AppError::Internal(e.to_string()))
}

/// A span of `n` days.
pub(super) fn days(n: i64) -> Span {
    Span::new().days(n)
}

/// Writes the demo clinic's records.
pub(super) struct Seeder<'a> {
    pub(super) app: &'a App,
    pub(super) clinic: Clinic,
    pub(super) clinician: UserId,
    pub(super) nurse: UserId,
    pub(super) today: Date,
}

impl Seeder<'_> {
    fn at(&self) -> Timestamp {
        self.app.now()
    }

    /// A time of day on `date` in the clinic's time zone, never later than now: a past
    /// session's record carries its own day's times, not the seeding moment.
    fn on(&self, date: Date, hour: i8, minute: i8) -> Timestamp {
        let now = self.at();
        date.at(hour, minute, 0, 0)
            .to_zoned(self.clinic.time_zone.time_zone().clone())
            .ok()
            .map_or(now, |z| z.timestamp().min(now))
    }

    fn event(&self, action: AuditAction, object_type: ObjectType) -> AuditEvent {
        let mut event = self.app.operator_event(action, object_type);
        event.clinic_id = Some(self.clinic.id);
        event
    }

    fn calendar(&self) -> Result<ClinicCalendar, AppError> {
        calendar_of(&self.clinic)
    }

    /// `n` days before today.
    pub(super) fn ago(&self, n: i64) -> Date {
        self.today.saturating_sub(days(n))
    }

    /// The first open day on or after `date`.
    pub(super) fn open_from(&self, date: Date) -> Result<Date, AppError> {
        self.calendar()?
            .next_open_on_or_after(date, 14)
            .ok_or_else(|| AppError::Internal("the demo calendar has no open day".into()))
    }

    pub(super) async fn patient(
        &self,
        mrn: &str,
        given: &str,
        family: &str,
        born: Date,
        sex: Sex,
    ) -> Result<PatientId, AppError> {
        let details = PatientDetails {
            mrn: mrn.into(),
            given_name: given.into(),
            family_name: family.into(),
            birth_date: born,
            sex,
            weight_kg: Some(72.0),
            weight_measured_on: Some(self.ago(30)),
            // Synthetic contact details (example.org, the 555-01xx range kept for fiction).
            contact: PatientContact {
                email: Some(format!("{}.{}@example.org", given, family).to_lowercase()),
                phone: Some(format!("+1 555 01{:02}", mrn_number(mrn) % 100)),
                address: None,
                emergency_contact_name: Some(format!("Partner of {given}")),
                emergency_contact_phone: Some(format!("+1 555 02{:02}", mrn_number(mrn) % 100)),
                referrer: Some("Dr. Example, Riverside Psychiatry".into()),
                contact_consent: Some(true),
            },
        };
        let event = self.event(AuditAction::Create, ObjectType::Patient);
        Ok(self
            .app
            .store
            .create_patient(self.clinic.id, details, self.at(), event)
            .await?
            .id)
    }

    /// A PHQ-9 taken in clinic.
    pub(super) async fn phq9(
        &self,
        patient: PatientId,
        on: Date,
        total: u8,
        item9: u8,
    ) -> Result<(), AppError> {
        self.phq9_from(patient, on, total, item9, AssessmentSource::Clinic)
            .await
    }

    /// A PHQ-9 from a given source (a between-session one comes by link).
    pub(super) async fn phq9_from(
        &self,
        patient: PatientId,
        on: Date,
        total: u8,
        item9: u8,
        source: AssessmentSource,
    ) -> Result<(), AppError> {
        let answers = phq9(total, item9);
        let scored = score(InstrumentId::Phq9, &answers, &ScoringConfig::default())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        // The findings the service would store with it (item 9 above 0 holds the patient).
        let findings = crate::safety::default_safety()
            .map(|safety| assessment_findings(&scored, &answers, &safety))
            .unwrap_or_default();
        let new = NewAssessment {
            clinic_id: self.clinic.id,
            patient_id: patient,
            course_id: None,
            instrument: InstrumentId::Phq9,
            answers,
            total: scored.total.map(i64::from),
            score: StoredScore::from(&scored),
            source,
            taken_on: on,
            created_by: (source == AssessmentSource::Clinic).then_some(self.nurse),
            created_at: self.at(),
        };
        let event = self.event(AuditAction::Create, ObjectType::Assessment);
        self.app
            .store
            .create_assessment(new, drafts(findings, None), event)
            .await?;
        Ok(())
    }

    /// The induction dates the planner books for a course on a built-in protocol.
    pub(super) fn induction_dates_of(
        &self,
        protocol_id: &str,
        start: Date,
    ) -> Result<Vec<Date>, AppError> {
        let protocol = protocol::builtin(protocol_id).ok_or(AppError::NotFound)?;
        let planned = crate::courses::new_course_plan(&protocol, &self.calendar()?, start)?;
        Ok(planned
            .sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Induction)
            .map(|s| s.date)
            .collect())
    }

    /// A start date whose `nth` (0-based) induction session falls today, so the demo has
    /// sessions on today's schedule. When the clinic is closed today: the latest start whose
    /// `nth` session is already past (`nth_past`) or still to come (otherwise), the sessions
    /// before it past and those after it to come.
    pub(super) fn start_for_today(&self, nth: usize, nth_past: bool) -> Result<Date, AppError> {
        self.start_for_today_of(PROTOCOL, nth, nth_past)
    }

    /// [`Seeder::start_for_today`] for a course on a built-in protocol.
    pub(super) fn start_for_today_of(
        &self,
        protocol_id: &str,
        nth: usize,
        nth_past: bool,
    ) -> Result<Date, AppError> {
        let calendar = self.calendar()?;
        let today = self.today;
        let mut fallback = None;
        // From the latest start back: the first match is the most recent course.
        for n in 1..=28 {
            let start = self.ago(n);
            if !calendar.is_open(start) {
                continue;
            }
            let dates = self.induction_dates_of(protocol_id, start)?;
            let Some(at) = dates.get(nth) else { continue };
            let before_past = dates[..nth].iter().all(|d| *d < today);
            let after_to_come = dates[nth + 1..].iter().all(|d| *d > today);
            if !(before_past && after_to_come) {
                continue;
            }
            if *at == today {
                return Ok(start);
            }
            if fallback.is_none() && (*at < today) == nth_past {
                fallback = Some(start);
            }
        }
        fallback.ok_or_else(|| AppError::Internal("no demo course start fits the calendar".into()))
    }

    /// Starts an IV course on `start`, books its induction, and completes the first
    /// `completed` sessions that fall before today.
    pub(super) async fn course(
        &self,
        patient: PatientId,
        start: Date,
        completed: usize,
        bp: (u16, u16),
    ) -> Result<(CourseId, Vec<Date>), AppError> {
        let (course, dates) = self.course_on(PROTOCOL, patient, start, None).await?;
        self.complete_sessions(course, completed, bp).await?;
        Ok((course, dates))
    }

    /// Starts a course on a built-in protocol on `start` and books its induction.
    pub(super) async fn course_on(
        &self,
        protocol_id: &str,
        patient: PatientId,
        start: Date,
        screening: Option<ScreeningId>,
    ) -> Result<(CourseId, Vec<Date>), AppError> {
        let text = protocol::builtin_text(protocol_id).ok_or(AppError::NotFound)?;
        let protocol = Protocol::from_toml(text).map_err(|e| AppError::Internal(e.to_string()))?;
        let dates = self.induction_dates_of(protocol_id, start)?;
        let minutes = crate::schedule::minutes_for(&self.clinic, &protocol);
        let mut slots = Vec::with_capacity(dates.len());
        for d in &dates {
            slots.push(self.free_slot(*d, minutes).await?);
        }
        let new = NewCourse {
            clinic_id: self.clinic.id,
            patient_id: patient,
            protocol_id: protocol.id.clone(),
            protocol_version: protocol.version,
            protocol_text: text.to_owned(),
            start_date: start,
            screening_id: screening,
            screening_override: None,
            created_by: self.clinician,
            created_at: self.at(),
        };
        let event = self.event(AuditAction::Create, ObjectType::Course);
        let course = self
            .app
            .store
            .create_course(new, slots, self.clinic.chairs, event)
            .await?;
        Ok((course.id, dates))
    }

    /// The course's booked sessions that are still scheduled, by date.
    pub(super) async fn scheduled(
        &self,
        course: CourseId,
    ) -> Result<Vec<(TreatmentSessionId, Date)>, AppError> {
        self.sessions_in(course, SessionStatus::Scheduled).await
    }

    /// The course's sessions in one status, by date.
    pub(super) async fn sessions_in(
        &self,
        course: CourseId,
        status: SessionStatus,
    ) -> Result<Vec<(TreatmentSessionId, Date)>, AppError> {
        let event = self.event(AuditAction::Read, ObjectType::Course);
        let bundle = self
            .app
            .store
            .get_course_bundle(self.clinic.id, course, event)
            .await?;
        let mut booked: Vec<(TreatmentSessionId, Date)> = bundle
            .sessions
            .iter()
            .filter(|s| s.status == status)
            .map(|s| (s.id, s.scheduled_on))
            .collect();
        booked.sort_by_key(|(id, date)| (*date, *id));
        Ok(booked)
    }

    /// A time of day on `date` (see [`Seeder::on`]).
    pub(super) fn time(&self, date: Date, hour: i8, minute: i8) -> Timestamp {
        self.on(date, hour, minute)
    }

    pub(super) async fn complete_sessions(
        &self,
        course: CourseId,
        n: usize,
        bp: (u16, u16),
    ) -> Result<(), AppError> {
        let due: Vec<(TreatmentSessionId, Date)> = self
            .scheduled(course)
            .await?
            .into_iter()
            .filter(|(_, date)| *date < self.today)
            .take(n)
            .collect();
        for (id, date) in due {
            self.complete(id, date, bp).await?;
        }
        Ok(())
    }

    fn pre_checks(&self, bp: (u16, u16), recorded_at: Timestamp) -> Result<PreChecks, AppError> {
        Ok(PreChecks {
            identity_confirmed: true,
            fasting_confirmed: true,
            transport_arranged: true,
            bp: validate::blood_pressure(bp.0, bp.1)?,
            heart_rate: Some(72),
            spo2: validate::spo2(Some(98))?,
            recorded_by: self.nurse,
            recorded_at,
        })
    }

    /// Appends one entry to a session's record, as the service would (with its findings).
    async fn entry(
        &self,
        id: TreatmentSessionId,
        kind: SessionEntryKind,
        body: serde_json::Value,
        (at, by): (Timestamp, UserId),
        status: Option<SessionStatus>,
        findings: Vec<NewFinding>,
    ) -> Result<(), AppError> {
        let entry = NewSessionEntry {
            kind,
            body,
            corrects: None,
            reason: None,
            recorded_by: by,
            recorded_at: at,
            status,
        };
        let event = self.event(AuditAction::Update, kind.into());
        self.app
            .store
            .append_session_entry(
                self.clinic.id,
                id,
                entry,
                EntryGuard::default(),
                findings,
                event,
            )
            .await
            .map(|(session, _)| session)?;
        Ok(())
    }

    /// Records a whole uneventful session: pre-checks, administration and discharge.
    pub(super) async fn complete(
        &self,
        id: TreatmentSessionId,
        date: Date,
        bp: (u16, u16),
    ) -> Result<(), AppError> {
        let nurse = self.nurse;
        self.entry(
            id,
            SessionEntryKind::PreChecks,
            to_json(&self.pre_checks(bp, self.on(date, 9, 0))?)?,
            (self.on(date, 9, 0), nurse),
            Some(SessionStatus::InProgress),
            Vec::new(),
        )
        .await?;
        self.administer(id, self.administration(date, 36.0)).await?;
        self.discharge(id, self.on(date, 11, 15), 75, bp).await
    }

    /// An IV administration at 9:10 on `date` (0.5 mg/kg for the demo's 72 kg patients).
    fn administration(&self, date: Date, mg: f64) -> Administration {
        let mut given = self.administration_at(date, mg, 9, 10);
        given.ended_at = Some(self.on(date, 9, 50));
        given
    }

    /// An IV administration started at `hour:minute` on `date`, its end not yet recorded.
    pub(super) fn administration_at(
        &self,
        date: Date,
        mg: f64,
        hour: i8,
        minute: i8,
    ) -> Administration {
        Administration {
            route: Route::IvKetamine,
            dose_ordered_mg: mg,
            dose_given_mg: mg,
            lot: "DEMO-LOT-1".into(),
            started_at: self.on(date, hour, minute),
            ended_at: None,
            weight_kg: Some(72.0),
            mg_per_kg: cadence_clinical::safety::mg_per_kg(mg, 72.0),
            dose_flags: Vec::new(),
            confirmation: None,
            recorded_by: self.nurse,
        }
    }

    /// Records pre-checks with a blood pressure over the protocol's threshold: the finding
    /// holds the session for clinician review, as `record_pre_checks` would store it.
    pub(super) async fn hold(
        &self,
        id: TreatmentSessionId,
        course: CourseId,
        bp: (u16, u16),
    ) -> Result<(), AppError> {
        let protocol = protocol::builtin(PROTOCOL).ok_or(AppError::NotFound)?;
        let reading = validate::blood_pressure(bp.0, bp.1)?;
        let found = pre_dose_finding(reading, &protocol.safety)
            .into_iter()
            .collect();
        self.entry(
            id,
            SessionEntryKind::PreChecks,
            to_json(&self.pre_checks(bp, self.at())?)?,
            (self.at(), self.nurse),
            Some(SessionStatus::InProgress),
            drafts(found, Some(course)),
        )
        .await
    }

    /// A pre-checks reading at `at` (each is kept; a reading over the protocol's threshold
    /// raises its finding, as `record_pre_checks` stores it).
    pub(super) async fn reading(
        &self,
        id: TreatmentSessionId,
        course: CourseId,
        protocol_id: &str,
        at: Timestamp,
        bp: (u16, u16),
    ) -> Result<(), AppError> {
        let protocol = protocol::builtin(protocol_id).ok_or(AppError::NotFound)?;
        let reading = validate::blood_pressure(bp.0, bp.1)?;
        let found = pre_dose_finding(reading, &protocol.safety)
            .into_iter()
            .collect();
        self.entry(
            id,
            SessionEntryKind::PreChecks,
            to_json(&self.pre_checks(bp, at)?)?,
            (at, self.nurse),
            Some(SessionStatus::InProgress),
            drafts(found, Some(course)),
        )
        .await
    }

    /// The administration entry.
    pub(super) async fn administer(
        &self,
        id: TreatmentSessionId,
        given: Administration,
    ) -> Result<(), AppError> {
        let at = given.started_at;
        self.entry(
            id,
            SessionEntryKind::Administration,
            to_json(&given)?,
            (at, self.nurse),
            None,
            Vec::new(),
        )
        .await
    }

    /// A monitoring entry at `at`; out of the protocol's in-session limits it raises its
    /// in-session alerts, as `add_monitoring_entry` stores them.
    pub(super) async fn monitor(
        &self,
        id: TreatmentSessionId,
        course: CourseId,
        protocol_id: &str,
        at: Timestamp,
        (bp, spo2, moaas, cadss): (Option<(u16, u16)>, u8, u8, Option<u8>),
    ) -> Result<(), AppError> {
        let protocol = protocol::builtin(protocol_id).ok_or(AppError::NotFound)?;
        let bp = bp
            .map(|(systolic, diastolic)| validate::blood_pressure(systolic, diastolic))
            .transpose()?;
        let spo2 = validate::spo2(Some(spo2))?;
        let vitals = Vitals {
            bp,
            spo2,
            moaas: Some(moaas),
            respiratory_rate: None,
        };
        let found = monitoring_findings(&vitals, protocol.safety.in_session.as_ref());
        let entry = NewMonitoringEntry {
            taken_at: at,
            bp,
            heart_rate: Some(84),
            spo2,
            respiratory_rate: None,
            moaas: Some(moaas),
            cadss,
            adverse_effects: Vec::new(),
            recorded_by: self.nurse,
        };
        let event = self.event(AuditAction::Create, ObjectType::MonitoringEntry);
        self.app
            .store
            .add_monitoring_entry(
                self.clinic.id,
                id,
                entry,
                drafts(found, Some(course)),
                event,
            )
            .await?;
        Ok(())
    }

    /// A normal discharge at `at`, `minutes` after the dose.
    pub(super) async fn discharge(
        &self,
        id: TreatmentSessionId,
        at: Timestamp,
        minutes: u32,
        bp: (u16, u16),
    ) -> Result<(), AppError> {
        let discharge = Discharge {
            discharged_at: at,
            moaas: 5,
            bp: validate::blood_pressure(bp.0, bp.1)?,
            clinically_stable: true,
            escort_present: true,
            ready_after_minutes: Some(minutes),
            recorded_by: self.nurse,
        };
        self.entry(
            id,
            SessionEntryKind::Discharge,
            to_json(&discharge)?,
            (at, self.nurse),
            Some(SessionStatus::Completed),
            Vec::new(),
        )
        .await
    }

    /// A clinician's exceptional end (flagged for admins): the session ends without a normal
    /// discharge.
    pub(super) async fn exceptional_end(
        &self,
        id: TreatmentSessionId,
        at: Timestamp,
        kind: ExceptionalEnd,
        reason: &str,
    ) -> Result<(), AppError> {
        let record = ExceptionalEndRecord {
            kind,
            reason: reason.into(),
            ended_at: at,
            recorded_by: self.clinician,
        };
        let entry = NewSessionEntry {
            kind: SessionEntryKind::ExceptionalEnd,
            body: to_json(&record)?,
            corrects: None,
            reason: None,
            recorded_by: self.clinician,
            recorded_at: at,
            status: Some(SessionStatus::Completed),
        };
        let event = self.event(AuditAction::Update, ObjectType::ExceptionalEnd);
        self.app
            .store
            .append_session_entry(
                self.clinic.id,
                id,
                entry,
                EntryGuard::default(),
                Vec::new(),
                event,
            )
            .await?;
        Ok(())
    }

    /// A clinician's release of one finding, with a note, at `at`.
    pub(super) async fn release(
        &self,
        finding: FindingId,
        at: Timestamp,
        note: &str,
    ) -> Result<(), AppError> {
        let release = NewRelease {
            note: note.into(),
            decision_id: None,
            released_by: self.clinician,
            released_at: at,
        };
        let event = self.event(AuditAction::Create, ObjectType::FindingRelease);
        self.app
            .store
            .release_finding(self.clinic.id, finding, release, event)
            .await?;
        Ok(())
    }

    /// The patient's REMS enrolment.
    pub(super) async fn rems(
        &self,
        patient: PatientId,
        rems_patient_id: &str,
        enrolled_on: Date,
    ) -> Result<(), AppError> {
        let enrolment = RemsEnrolment {
            patient_id: patient,
            rems_patient_id: rems_patient_id.into(),
            enrolled_on,
            recorded_by: self.clinician,
            recorded_at: self.at(),
        };
        let event = self.event(AuditAction::Update, ObjectType::RemsEnrolment);
        self.app
            .store
            .set_rems_enrolment(self.clinic.id, enrolment, event)
            .await?;
        Ok(())
    }

    /// A whole esketamine session on `date`: pre-checks, the self-administered dose, sedation
    /// and dissociation at 40 minutes, and discharge after the label's 2-hour observation.
    pub(super) async fn complete_esketamine(
        &self,
        id: TreatmentSessionId,
        course: CourseId,
        date: Date,
        mg: f64,
    ) -> Result<(), AppError> {
        self.reading(id, course, ESKETAMINE, self.on(date, 9, 0), (128, 80))
            .await?;
        self.administer(
            id,
            Administration {
                route: Route::Esketamine,
                dose_ordered_mg: mg,
                dose_given_mg: mg,
                lot: "DEMO-LOT-ESK".into(),
                started_at: self.on(date, 9, 10),
                ended_at: None,
                weight_kg: None,
                mg_per_kg: None,
                dose_flags: Vec::new(),
                confirmation: None,
                recorded_by: self.nurse,
            },
        )
        .await?;
        self.monitor(
            id,
            course,
            ESKETAMINE,
            self.on(date, 9, 50),
            (Some((146, 88)), 97, 4, Some(14)),
        )
        .await?;
        self.monitor(
            id,
            course,
            ESKETAMINE,
            self.on(date, 10, 40),
            (Some((132, 82)), 98, 5, Some(4)),
        )
        .await?;
        self.discharge(id, self.on(date, 11, 15), 125, (128, 80))
            .await
    }

    /// Books a session on the first open day on or after `date`.
    pub(super) async fn book(
        &self,
        course: CourseId,
        date: Date,
    ) -> Result<(TreatmentSessionId, Date), AppError> {
        let date = self.open_from(date)?;
        let slot = self
            .free_slot(date, self.clinic.session_minutes.max(120))
            .await?;
        let new = NewTreatmentSession {
            clinic_id: self.clinic.id,
            course_id: course,
            slot,
            booking_reason: None,
            created_at: self.at(),
        };
        let event = self.event(AuditAction::Create, ObjectType::TreatmentSession);
        let session = self
            .app
            .store
            .create_treatment_session(new, self.clinic.chairs, event)
            .await?;
        Ok((session.id, date))
    }

    /// The first free slot of a day for a session of `minutes` (the demo spreads its patients
    /// over the day's chairs and times, as front desk would).
    pub(super) async fn free_slot(
        &self,
        date: Date,
        minutes: u16,
    ) -> Result<cadence_store::records::BookingSlot, AppError> {
        let event = self.event(AuditAction::Read, ObjectType::Schedule);
        let day = self
            .app
            .store
            .list_treatment_sessions_on(self.clinic.id, date, event)
            .await?;
        let calendar = crate::courses::calendar_of(&self.clinic)?;
        crate::schedule::pick_slot(
            &self.clinic,
            &calendar,
            date,
            None,
            None,
            minutes,
            &crate::schedule::occupied(&day, None),
        )
    }

    /// A maintenance (or booster) session that took place around `date`, with the PHQ-9 taken
    /// before it.
    pub(super) async fn visit(
        &self,
        patient: PatientId,
        course: CourseId,
        date: Date,
        phq9_total: u8,
    ) -> Result<(), AppError> {
        let (id, date) = self.book(course, date).await?;
        self.phq9(patient, date, phq9_total, 0).await?;
        self.complete(id, date, (124, 78)).await
    }

    /// An IV ketamine screening that needs review (a benzodiazepine), with Maudsley staging.
    pub(super) async fn screening(
        &self,
        patient: PatientId,
        born: Date,
    ) -> Result<ScreeningId, AppError> {
        self.screen(
            patient,
            born,
            serde_json::json!({
                "route": "iv_ketamine", "conditions": [],
                "medications": ["benzodiazepine"], "bp": {"systolic": 126, "diastolic": 80},
                "failed_adequate_trials": 3,
                "maudsley": {"duration_months": 20, "severity": "moderate",
                             "failed_antidepressants": 3, "augmentation": true, "ect": false}
            }),
        )
        .await
    }

    /// A screening from its input, scored by the engine as the service would (the age derived
    /// from the patient's birth date `born`, as the service derives it).
    pub(super) async fn screen(
        &self,
        patient: PatientId,
        born: Date,
        input: serde_json::Value,
    ) -> Result<ScreeningId, AppError> {
        let mut input: ScreeningInput =
            serde_json::from_value(input).map_err(|e| AppError::Internal(e.to_string()))?;
        input.age_years = cadence_clinical::screening::age_on(born, self.today);
        let result = screen(&input, &crate::screenings::screening_config(input.route))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let new = NewScreening {
            clinic_id: self.clinic.id,
            patient_id: patient,
            route: input.route,
            decision: result.decision,
            input,
            result,
            created_by: self.clinician,
            created_at: self.at(),
        };
        let event = self.event(AuditAction::Create, ObjectType::Screening);
        Ok(self
            .app
            .store
            .create_screening(new, Vec::new(), event)
            .await?
            .id)
    }

    /// The clinic's price list.
    pub(super) async fn price_list(&self, text: &str) -> Result<(), AppError> {
        let event = self.event(AuditAction::Update, ObjectType::PriceList);
        self.app
            .store
            .set_price_list(self.clinic.id, text, event)
            .await?;
        Ok(())
    }

    /// The clinic's MRN pattern (the demo's own numbers are typed; new patients continue it).
    pub(super) async fn mrn_pattern(&self, pattern: &str) -> Result<(), AppError> {
        let event = self.event(AuditAction::Update, ObjectType::RegistrationSettings);
        self.app
            .store
            .set_mrn_pattern(self.clinic.id, pattern, event)
            .await?;
        Ok(())
    }

    /// A closed day added after the bookings (a staff training day two or more days ahead):
    /// the sessions booked that day go on front desk's "to move" list, with the reason, as they
    /// would in a real clinic; nothing moves by itself.
    pub(super) async fn closed_day_to_move(&self) -> Result<(), AppError> {
        let event = self.event(AuditAction::Read, ObjectType::CourseList);
        let bundles = self
            .app
            .store
            .list_course_bundles(self.clinic.id, event)
            .await?;
        let later = self
            .today
            .checked_add(jiff::Span::new().days(2))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let day = bundles
            .iter()
            .flat_map(|b| b.sessions.iter())
            .filter(|s| s.status == SessionStatus::Scheduled && s.scheduled_on >= later)
            .map(|s| s.scheduled_on)
            .min();
        if let Some(day) = day {
            let event = self.event(AuditAction::Update, ObjectType::ClinicCalendar);
            self.app
                .store
                .update_clinic_calendar(
                    self.clinic.id,
                    &self.clinic.time_zone,
                    self.clinic.open_days,
                    &[day],
                    event,
                )
                .await?;
        }
        Ok(())
    }

    /// The patient's open findings (to name in a release).
    pub(super) async fn open_findings(
        &self,
        patient: PatientId,
    ) -> Result<Vec<FindingId>, AppError> {
        let event = self.event(AuditAction::Read, ObjectType::FindingList);
        Ok(self
            .app
            .store
            .list_findings(self.clinic.id, patient, event)
            .await?
            .into_iter()
            .filter(|f| f.is_open())
            .map(|f| f.id)
            .collect())
    }

    /// A clinician's decision with a note, releasing the findings it names.
    pub(super) async fn decide(
        &self,
        course: CourseId,
        on: Date,
        decision: Decision,
        note: &str,
        releases: Vec<FindingId>,
    ) -> Result<(), AppError> {
        let new = NewDecision {
            clinic_id: self.clinic.id,
            course_id: course,
            decision,
            suggestion_shown: None,
            note: Some(note.into()),
            decided_by: self.clinician,
            decided_on: on,
            created_at: self.at(),
        };
        let event = self.event(AuditAction::Create, ObjectType::Decision);
        self.app.store.create_decision(new, releases, event).await?;
        Ok(())
    }
}

/// Findings as the store takes them.
fn drafts(found: Vec<FindingDraft>, course: Option<CourseId>) -> Vec<NewFinding> {
    found
        .into_iter()
        .map(|f| NewFinding {
            kind: f.kind,
            severity: f.severity,
            detail: f.detail,
            course_id: course,
        })
        .collect()
}

/// The number at the end of a demo MRN (`DEMO-009` is 9).
fn mrn_number(mrn: &str) -> u32 {
    mrn.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
