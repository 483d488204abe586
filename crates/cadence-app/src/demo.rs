//! The demo clinic: synthetic patients at every stage of a course, for `cadence demo`, the
//! README's first command, and the browser tests.
//!
//! Everything here is invented (names from a fixed list of obviously fictional ones, dates
//! relative to today). Demo users exist only in a demo database: `cadence demo` refuses to seed
//! a database that already has a clinic other than the demo one.

use crate::courses::calendar_of;
use crate::{App, AppError};
use cadence_clinical::decision::Decision;
use cadence_clinical::history::CourseHistory;
use cadence_clinical::instrument::{InstrumentId, ScoringConfig, score};
use cadence_clinical::planner::{Phase, plan};
use cadence_clinical::protocol::{self, Protocol};
use cadence_clinical::route::Route;
use cadence_clinical::screening::{ScreeningConfig, ScreeningInput, screen};
use cadence_store::StoreError;
use cadence_store::audit::AuditAction;
use cadence_store::ids::{ClinicId, CourseId, PatientId, UserId};
use cadence_store::records::{
    Administration, AssessmentSource, Clinic, Discharge, NewAssessment, NewCourse, NewDecision,
    NewScreening, PatientDetails, PreChecks, Role, Sex, TreatmentSessionChange,
    TreatmentSessionStatus,
};
use jiff::civil::Date;
use jiff::{Span, Timestamp};

/// The demo clinic's name.
pub const DEMO_CLINIC: &str = "Demo Clinic";
/// Every demo user's password (demo mode only).
pub const DEMO_PASSWORD: &str = "cadence-demo";
/// The demo users, one per role.
pub const DEMO_USERS: [(&str, Role); 5] = [
    ("admin@demo.test", Role::Admin),
    ("clinician@demo.test", Role::Clinician),
    ("nurse@demo.test", Role::Nurse),
    ("frontdesk@demo.test", Role::FrontDesk),
    ("researcher@demo.test", Role::Researcher),
];

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

fn days(n: i64) -> Span {
    Span::new().days(n)
}

struct Seeder<'a> {
    app: &'a App,
    clinic: Clinic,
    clinician: UserId,
    nurse: UserId,
    today: Date,
}

impl Seeder<'_> {
    fn at(&self) -> Timestamp {
        self.app.now()
    }

    async fn patient(
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
        };
        let mut event = self.app.operator_event(AuditAction::Create, "patient");
        event.clinic_id = Some(self.clinic.id);
        Ok(self
            .app
            .store
            .create_patient(self.clinic.id, details, self.at(), event)
            .await?
            .id)
    }

    async fn phq9(
        &self,
        patient: PatientId,
        on: Date,
        total: u8,
        item9: u8,
    ) -> Result<(), AppError> {
        let answers = phq9(total, item9);
        let scored = score(InstrumentId::Phq9, &answers, &ScoringConfig::default())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let new = NewAssessment {
            clinic_id: self.clinic.id,
            patient_id: patient,
            course_id: None,
            instrument: InstrumentId::Phq9,
            answers,
            total: scored.total.map(i64::from),
            score: serde_json::to_value(&scored).map_err(|e| AppError::Internal(e.to_string()))?,
            source: AssessmentSource::Clinic,
            taken_on: on,
            created_by: Some(self.nurse),
            created_at: self.at(),
        };
        let mut event = self.app.operator_event(AuditAction::Create, "assessment");
        event.clinic_id = Some(self.clinic.id);
        self.app.store.create_assessment(new, event).await?;
        Ok(())
    }

    /// Starts an IV course on `start`, books its induction, and completes the first
    /// `completed` sessions that fall before today.
    async fn course(
        &self,
        patient: PatientId,
        start: Date,
        completed: usize,
        bp: (u16, u16),
    ) -> Result<(CourseId, Vec<Date>), AppError> {
        let text = protocol::builtin_text("iv-ketamine-6").ok_or(AppError::NotFound)?;
        let protocol = Protocol::from_toml(text).map_err(|e| AppError::Internal(e.to_string()))?;
        let planned = plan(
            &protocol,
            &calendar_of(&self.clinic)?,
            &CourseHistory::default(),
            start,
            start,
            52,
        )
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let dates: Vec<Date> = planned
            .sessions
            .iter()
            .filter(|s| s.phase == Phase::Induction)
            .map(|s| s.date)
            .collect();
        let new = NewCourse {
            clinic_id: self.clinic.id,
            patient_id: patient,
            protocol_id: protocol.id.clone(),
            protocol_version: protocol.version,
            protocol_text: text.to_owned(),
            start_date: start,
            created_by: self.clinician,
            created_at: self.at(),
        };
        let mut event = self.app.operator_event(AuditAction::Create, "course");
        event.clinic_id = Some(self.clinic.id);
        let course = self
            .app
            .store
            .create_course(new, dates.clone(), event)
            .await?;
        self.complete_sessions(course.id, completed, bp).await?;
        Ok((course.id, dates))
    }

    async fn complete_sessions(
        &self,
        course: CourseId,
        n: usize,
        bp: (u16, u16),
    ) -> Result<(), AppError> {
        let mut event = self.app.operator_event(AuditAction::Read, "course");
        event.clinic_id = Some(self.clinic.id);
        let bundle = self
            .app
            .store
            .get_course_bundle(self.clinic.id, course, event)
            .await?;
        let due = bundle
            .sessions
            .iter()
            .filter(|s| {
                s.status == TreatmentSessionStatus::Scheduled && s.scheduled_on < self.today
            })
            .take(n);
        for s in due {
            let change = TreatmentSessionChange {
                status: Some(TreatmentSessionStatus::Completed),
                pre_checks: Some(PreChecks {
                    identity_confirmed: true,
                    fasting_confirmed: true,
                    transport_arranged: true,
                    bp_systolic: bp.0,
                    bp_diastolic: bp.1,
                    heart_rate: Some(72),
                    spo2: Some(98),
                    recorded_by: self.nurse,
                    recorded_at: self.at(),
                }),
                administration: Some(Administration {
                    route: Route::IvKetamine,
                    dose_ordered_mg: 36.0,
                    dose_given_mg: 36.0,
                    lot: "DEMO-LOT-1".into(),
                    started_at: self.at(),
                    recorded_by: self.nurse,
                }),
                discharge: Some(Discharge {
                    discharged_at: self.at(),
                    moaas: 5,
                    bp_systolic: bp.0,
                    bp_diastolic: bp.1,
                    clinically_stable: true,
                    escort_present: true,
                    ready_after_minutes: Some(75),
                    recorded_by: self.nurse,
                }),
            };
            let mut event = self
                .app
                .operator_event(AuditAction::Update, "treatment_session");
            event.clinic_id = Some(self.clinic.id);
            self.app
                .store
                .update_treatment_session(self.clinic.id, s.id, change, self.at(), event)
                .await?;
        }
        Ok(())
    }

    /// An IV ketamine screening that needs review (a benzodiazepine), with Maudsley staging.
    async fn screening(&self, patient: PatientId) -> Result<(), AppError> {
        let input: ScreeningInput = serde_json::from_value(serde_json::json!({
            "route": "iv_ketamine", "age_years": 42, "conditions": [],
            "medications": ["benzodiazepine"], "bp": {"systolic": 126, "diastolic": 80},
            "failed_adequate_trials": 3,
            "maudsley": {"duration_months": 20, "severity": "moderate",
                         "failed_antidepressants": 3, "augmentation": true, "ect": false}
        }))
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let result = screen(&input, &ScreeningConfig::default())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let result_json = to_json(&result)?;
        let new = NewScreening {
            clinic_id: self.clinic.id,
            patient_id: patient,
            route: input.route,
            input: to_json(&input)?,
            decision: result_json["decision"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            result: result_json,
            created_by: self.clinician,
            created_at: self.at(),
        };
        let mut event = self.app.operator_event(AuditAction::Create, "screening");
        event.clinic_id = Some(self.clinic.id);
        self.app.store.create_screening(new, event).await?;
        Ok(())
    }

    async fn decide(
        &self,
        course: CourseId,
        on: Date,
        decision: Decision,
        note: &str,
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
        let mut event = self.app.operator_event(AuditAction::Create, "decision");
        event.clinic_id = Some(self.clinic.id);
        self.app.store.create_decision(new, event).await?;
        Ok(())
    }
}

impl App {
    /// Seeds the demo clinic unless it exists. Returns `false` when it already did.
    pub async fn seed_demo(&self) -> Result<bool, AppError> {
        match self.store.find_clinic_by_name(DEMO_CLINIC).await {
            Ok(_) => return Ok(false),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
        let clinic = self.create_clinic(DEMO_CLINIC, "UTC").await?;
        let mut ids = Vec::new();
        for (email, role) in DEMO_USERS {
            let (user, _) = self
                .create_user(clinic.id, email, role, Some(DEMO_PASSWORD))
                .await?;
            ids.push(user.id);
        }
        let today = self.now().to_zoned(jiff::tz::TimeZone::UTC).date();
        let s = Seeder {
            app: self,
            clinician: ids[1],
            nurse: ids[2],
            today,
            clinic,
        };
        let ago = |n: i64| today.saturating_sub(days(n));
        let born = |y: i16| Date::new(y, 3, 14).unwrap_or(Date::MIN);

        // 1. Screening only.
        let p = s
            .patient("DEMO-001", "Ada", "Screening", born(1984), Sex::Female)
            .await?;
        s.phq9(p, ago(2), 19, 0).await?;
        s.screening(p).await?;

        // 2. Mid-induction: baseline 21, three infusions in.
        let p = s
            .patient("DEMO-002", "Ben", "Induction", born(1979), Sex::Male)
            .await?;
        s.phq9(p, ago(9), 21, 0).await?;
        s.course(p, ago(8), 3, (124, 80)).await?;
        s.phq9(p, ago(1), 15, 0).await?;

        // 3. End-of-induction review due: six infusions, PHQ-9 20 -> 7.
        let p = s
            .patient("DEMO-003", "Cleo", "Review", born(1990), Sex::Female)
            .await?;
        s.phq9(p, ago(24), 20, 0).await?;
        let (_, dates) = s.course(p, ago(22), 6, (128, 82)).await?;
        if let Some(last) = dates.get(5) {
            s.phq9(p, *last, 7, 0).await?;
        }

        // 4. Maintenance, interval lengthened after two stable check-ins.
        let p = s
            .patient("DEMO-004", "Dev", "Maintenance", born(1972), Sex::Male)
            .await?;
        s.phq9(p, ago(120), 22, 0).await?;
        let (c, _) = s.course(p, ago(118), 6, (126, 78)).await?;
        s.phq9(p, ago(100), 8, 0).await?;
        s.decide(
            c,
            ago(99),
            Decision::StartMaintenance,
            "Response at end of induction.",
        )
        .await?;
        s.phq9(p, ago(80), 7, 0).await?;
        s.phq9(p, ago(66), 6, 0).await?;
        s.decide(
            c,
            ago(65),
            Decision::LengthenInterval,
            "Stable for two check-ins.",
        )
        .await?;
        s.phq9(p, ago(30), 6, 0).await?;

        // 5. Booster after symptom return.
        let p = s
            .patient("DEMO-005", "Eve", "Booster", born(1988), Sex::Female)
            .await?;
        s.phq9(p, ago(90), 18, 0).await?;
        let (c, _) = s.course(p, ago(88), 6, (122, 76)).await?;
        s.phq9(p, ago(70), 6, 0).await?;
        s.decide(
            c,
            ago(69),
            Decision::StartMaintenance,
            "Remission at end of induction.",
        )
        .await?;
        s.phq9(p, ago(20), 13, 0).await?;
        s.decide(
            c,
            ago(19),
            Decision::Booster,
            "Symptoms returned; booster booked.",
        )
        .await?;

        // 6. Discontinued non-responder.
        let p = s
            .patient("DEMO-006", "Finn", "Nonresponse", born(1969), Sex::Male)
            .await?;
        s.phq9(p, ago(60), 20, 0).await?;
        let (c, _) = s.course(p, ago(58), 6, (130, 84)).await?;
        s.phq9(p, ago(40), 18, 0).await?;
        s.decide(
            c,
            ago(39),
            Decision::Discontinue,
            "Non-response after induction.",
        )
        .await?;

        // 7. Safety hold: a positive item 9 two days ago.
        let p = s
            .patient("DEMO-007", "Gus", "Hold", born(1995), Sex::Male)
            .await?;
        s.phq9(p, ago(16), 23, 1).await?;
        s.safety_hold_course(p).await?;
        Ok(true)
    }
}

impl Seeder<'_> {
    /// The safety-hold patient's course: three infusions, then a PHQ-9 with item 9 positive.
    async fn safety_hold_course(&self, p: PatientId) -> Result<(), AppError> {
        let ago = |n: i64| self.today.saturating_sub(days(n));
        let (c, _) = self.course(p, ago(14), 3, (132, 86)).await?;
        // The baseline's item 9 was reviewed when the course was accepted.
        self.decide(
            c,
            ago(14),
            Decision::Continue,
            "Baseline item 9 reviewed; safety plan in place.",
        )
        .await?;
        self.phq9(p, ago(2), 16, 1).await
    }
}

/// The clinic id of the demo clinic, if seeded (for tests).
pub async fn demo_clinic(app: &App) -> Result<ClinicId, AppError> {
    Ok(app.store.find_clinic_by_name(DEMO_CLINIC).await?.id)
}
