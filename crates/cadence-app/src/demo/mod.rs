//! The demo clinic: synthetic patients at every stage of a course, for `cadence demo`, the
//! README's first command, and the browser tests.
//!
//! Everything here is invented (names from a fixed list of obviously fictional ones, dates
//! relative to today). Demo users exist only in a demo database: `cadence demo` seeds only an
//! empty database and refuses one that holds other clinics.
//!
//! The patients, one per stage: screening only; mid-induction (a session today when the clinic
//! is open, held until the day's suicide screen is entered; an earlier in-session alert for deep
//! sedation, released); end-of-induction review due; maintenance with a lengthened interval (one
//! visit held for blood pressure and released by a clinician after a repeat reading); a booster
//! after symptom return; a discontinued non-responder (one session ended exceptionally: left
//! against advice); a suicide-risk safety hold; a session held today for blood pressure; and an
//! esketamine patient with a REMS enrolment, two sessions given under the label's 2-hour
//! observation and the third today.

mod seeder;

use crate::{App, AppError};
use cadence_clinical::calendar::OpenDays;
use cadence_clinical::decision::Decision;
use cadence_clinical::safety::ExceptionalEnd;
use cadence_store::StoreError;
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::ClinicId;
use cadence_store::records::SessionStatus;
use cadence_store::records::{AssessmentSource, Role, Sex};
use jiff::civil::Date;
use seeder::{ESKETAMINE, PROTOCOL, Seeder, days};

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

impl App {
    /// Seeds the demo clinic on UTC unless it exists. Returns `false` when it already did.
    pub async fn seed_demo(&self) -> Result<bool, AppError> {
        self.seed_demo_in("UTC").await
    }

    /// Seeds the demo clinic in an IANA time zone (the demo's "today" is today there) unless
    /// it exists. Returns `false` when it already did.
    pub async fn seed_demo_in(&self, time_zone: &str) -> Result<bool, AppError> {
        match self.store.find_clinic_by_name(DEMO_CLINIC).await {
            Ok(_) => return Ok(false),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
        let clinic = self.create_clinic(DEMO_CLINIC, time_zone).await?;
        // The demo clinic opens every day, so whatever day the demo runs it has a session
        // booked today for the nurse's record (real clinics set their own calendar).
        let mut event = self.operator_event(AuditAction::Update, ObjectType::Clinic);
        event.clinic_id = Some(clinic.id);
        let clinic = self
            .store
            .update_clinic_calendar(clinic.id, &clinic.time_zone, DEMO_OPEN_DAYS, &[], event)
            .await?;
        // Its day: 08:00 to 18:00 every day, three chairs, two-hour sessions (settings).
        let mut event = self.operator_event(AuditAction::Update, ObjectType::ClinicHours);
        event.clinic_id = Some(clinic.id);
        let clinic = self
            .store
            .update_clinic_schedule(
                clinic.id,
                &DEMO_HOURS
                    .parse()
                    .map_err(|e| AppError::Internal(format!("{e}")))?,
                DEMO_CHAIRS,
                120,
                event,
            )
            .await?;
        let tz = clinic.time_zone.time_zone().clone();
        let mut ids = Vec::new();
        for (email, role) in DEMO_USERS {
            let (user, _) = self
                .create_user(clinic.id, email, role, Some(DEMO_PASSWORD))
                .await?;
            ids.push(user.id);
        }
        let s = Seeder {
            app: self,
            clinician: ids[1],
            nurse: ids[2],
            today: self.now().to_zoned(tz).date(),
            clinic,
        };
        s.price_list(DEMO_PRICES).await?;
        s.mrn_pattern("DEMO-{n:03}").await?;
        s.screening_only().await?;
        s.mid_induction().await?;
        s.review_due().await?;
        s.maintenance().await?;
        s.booster().await?;
        s.non_responder().await?;
        s.suicide_risk_hold().await?;
        s.blood_pressure_hold().await?;
        s.esketamine().await?;
        s.closed_day_to_move().await?;
        Ok(true)
    }
}

/// The demo clinic's opening hours (a setting).
const DEMO_HOURS: &str = "mon 08:00-18:00,tue 08:00-18:00,wed 08:00-18:00,thu 08:00-18:00,\
                          fri 08:00-18:00,sat 08:00-18:00,sun 08:00-18:00";

/// The demo clinic's chairs (a setting).
const DEMO_CHAIRS: u16 = 3;

/// The demo clinic's open days: every day (see [`App::seed_demo_in`]).
pub const DEMO_OPEN_DAYS: OpenDays = OpenDays::EVERY_DAY;

/// The demo clinic's price list (synthetic figures; the same as `crates/cadence/demo/prices.toml`).
pub const DEMO_PRICES: &str = "# Demo Clinic price list (synthetic figures).
currency = \"USD\"

[per_session]
iv_ketamine = 450.00
im_ketamine = 300.00
esketamine = 850.00

[induction_package]
route = \"iv_ketamine\"
sessions = 6
price = 2400.00
";

fn born(year: i16) -> Date {
    Date::new(year, 3, 14).unwrap_or(Date::MIN)
}

impl Seeder<'_> {
    /// 1. Screened (needs review: a benzodiazepine), no course yet.
    async fn screening_only(&self) -> Result<(), AppError> {
        let p = self
            .patient("DEMO-001", "Ada", "Screening", born(1984), Sex::Female)
            .await?;
        self.phq9(p, self.ago(2), 19, 0).await?;
        self.screening(p, born(1984)).await.map(|_| ())
    }

    /// 2. Mid-induction: baseline 21, three infusions in, the fourth today (or next).
    async fn mid_induction(&self) -> Result<(), AppError> {
        let p = self
            .patient("DEMO-002", "Ben", "Induction", born(1979), Sex::Male)
            .await?;
        let start = self.start_for_today(3, false)?;
        self.phq9(p, start.saturating_sub(days(1)), 21, 0).await?;
        let (c, dates) = self.course(p, start, 3, (124, 80)).await?;
        if let Some(last) = dates.iter().filter(|d| **d < self.today).nth(2) {
            self.phq9(p, *last, 15, 0).await?;
        }
        // The second infusion: an in-session alert (MOAA/S 3, moderate sedation) that a
        // clinician reviewed and released once he roused to voice.
        let given = self.sessions_in(c, SessionStatus::Completed).await?;
        if let Some(&(id, date)) = given.get(1) {
            self.monitor(
                id,
                c,
                PROTOCOL,
                self.time(date, 9, 35),
                (Some((138, 84)), 96, 3, None),
            )
            .await?;
            for f in self.open_findings(p).await? {
                self.release(
                    f,
                    self.time(date, 9, 45),
                    "Roused to voice within minutes; airway and SpO2 fine throughout. Infusion \
                     rate kept; observe to MOAA/S 5 before discharge.",
                )
                .await?;
            }
        }
        Ok(())
    }

    /// 3. End-of-induction review due: six infusions, PHQ-9 20 -> 7, no decision yet.
    async fn review_due(&self) -> Result<(), AppError> {
        let p = self
            .patient("DEMO-003", "Cleo", "Review", born(1990), Sex::Female)
            .await?;
        self.phq9(p, self.ago(24), 20, 0).await?;
        let (_, dates) = self.course(p, self.ago(22), 6, (128, 82)).await?;
        if let Some(fourth) = dates.get(3) {
            self.phq9(p, *fourth, 11, 0).await?;
        }
        if let Some(last) = dates.get(5) {
            self.phq9(p, *last, 7, 0).await?;
        }
        Ok(())
    }

    /// 4. Maintenance: every 2 weeks, lengthened to 3 after two stable check-ins; stable since
    ///    (so the engine now suggests lengthening again).
    async fn maintenance(&self) -> Result<(), AppError> {
        let p = self
            .patient("DEMO-004", "Dev", "Maintenance", born(1972), Sex::Male)
            .await?;
        self.phq9(p, self.ago(120), 22, 0).await?;
        let (c, _) = self.course(p, self.ago(118), 6, (126, 78)).await?;
        self.phq9(p, self.ago(100), 8, 0).await?;
        self.decide(
            c,
            self.ago(99),
            Decision::StartMaintenance,
            "Response at end of induction.",
            Vec::new(),
        )
        .await?;
        self.visit(p, c, self.ago(85), 7).await?;
        self.visit(p, c, self.ago(71), 6).await?;
        self.decide(
            c,
            self.ago(70),
            Decision::LengthenInterval,
            "Stable for two check-ins.",
            Vec::new(),
        )
        .await?;
        self.visit(p, c, self.ago(49), 6).await?;
        // Held at 146/92 on arrival; the clinician released it after a repeat reading at rest.
        let (id, date) = self.book(c, self.ago(28)).await?;
        self.phq9(p, date, 5, 0).await?;
        self.reading(id, c, PROTOCOL, self.time(date, 9, 0), (146, 92))
            .await?;
        for f in self.open_findings(p).await? {
            self.release(
                f,
                self.time(date, 9, 20),
                "Rushed in from the car park; repeat after 15 minutes at rest. Proceed if under \
                 140/90.",
            )
            .await?;
        }
        self.reading(id, c, PROTOCOL, self.time(date, 9, 25), (134, 84))
            .await?;
        let mut given = self.administration_at(date, 36.0, 9, 30);
        given.ended_at = Some(self.time(date, 10, 10));
        self.administer(id, given).await?;
        self.discharge(id, self.time(date, 11, 30), 80, (128, 80))
            .await?;
        self.visit(p, c, self.ago(7), 6).await?;
        self.book(c, self.today.saturating_add(days(14))).await?;
        Ok(())
    }

    /// 5. Maintenance, symptoms returned (PHQ-9 by link), booster given, better since.
    async fn booster(&self) -> Result<(), AppError> {
        let p = self
            .patient("DEMO-005", "Eve", "Booster", born(1988), Sex::Female)
            .await?;
        self.phq9(p, self.ago(90), 18, 0).await?;
        let (c, _) = self.course(p, self.ago(88), 6, (122, 76)).await?;
        self.phq9(p, self.ago(70), 6, 0).await?;
        self.decide(
            c,
            self.ago(69),
            Decision::StartMaintenance,
            "Remission at end of induction.",
            Vec::new(),
        )
        .await?;
        for (n, total) in [(55, 6), (41, 7), (27, 9)] {
            self.visit(p, c, self.ago(n), total).await?;
        }
        self.phq9_from(p, self.ago(20), 13, 0, AssessmentSource::PatientLink)
            .await?;
        self.decide(
            c,
            self.ago(19),
            Decision::Booster,
            "Symptoms returned; booster booked.",
            Vec::new(),
        )
        .await?;
        self.visit(p, c, self.ago(18), 11).await?;
        self.phq9_from(p, self.ago(11), 7, 0, AssessmentSource::PatientLink)
            .await?;
        self.book(c, self.today.saturating_add(days(5))).await?;
        Ok(())
    }

    /// 6. Discontinued after non-response at the end of induction.
    async fn non_responder(&self) -> Result<(), AppError> {
        let p = self
            .patient("DEMO-006", "Finn", "Nonresponse", born(1969), Sex::Male)
            .await?;
        self.phq9(p, self.ago(60), 20, 0).await?;
        let (c, _) = self.course(p, self.ago(58), 1, (130, 84)).await?;
        // The second infusion ended early: he left against advice 35 minutes after the dose.
        if let Some(&(id, date)) = self.scheduled(c).await?.first() {
            self.reading(id, c, PROTOCOL, self.time(date, 9, 0), (130, 84))
                .await?;
            self.administer(id, self.administration_at(date, 36.0, 9, 10))
                .await?;
            self.exceptional_end(
                id,
                self.time(date, 9, 45),
                ExceptionalEnd::LeftAgainstAdvice,
                "Wanted to leave at MOAA/S 4 with his partner driving; risks explained and \
                 declined to stay. Called at 14:00: home and well.",
            )
            .await?;
        }
        self.complete_sessions(c, 4, (130, 84)).await?;
        self.phq9(p, self.ago(40), 18, 0).await?;
        self.decide(
            c,
            self.ago(39),
            Decision::Discontinue,
            "Non-response after induction.",
            Vec::new(),
        )
        .await
    }

    /// 7. Safety hold: three infusions, then a PHQ-9 by link with item 9 positive yesterday;
    ///    the fourth infusion is booked today (or next).
    async fn suicide_risk_hold(&self) -> Result<(), AppError> {
        let p = self
            .patient("DEMO-007", "Gus", "Hold", born(1995), Sex::Male)
            .await?;
        let start = self.start_for_today(3, false)?;
        self.phq9(p, start.saturating_sub(days(2)), 23, 1).await?;
        let (c, _) = self.course(p, start, 3, (132, 86)).await?;
        // The baseline's item 9 was reviewed (and released) when the course was accepted.
        let baseline = self.open_findings(p).await?;
        self.decide(
            c,
            start,
            Decision::Continue,
            "Baseline item 9 reviewed; safety plan in place.",
            baseline,
        )
        .await?;
        self.phq9_from(p, self.ago(1), 16, 1, AssessmentSource::PatientLink)
            .await
    }

    /// 8. Blood-pressure hold: two infusions, the third held at pre-checks (today when the
    ///    clinic is open, else its last open day).
    async fn blood_pressure_hold(&self) -> Result<(), AppError> {
        let p = self
            .patient("DEMO-008", "Hana", "Pressure", born(1966), Sex::Female)
            .await?;
        let start = self.start_for_today(2, true)?;
        self.phq9(p, start.saturating_sub(days(2)), 17, 0).await?;
        let (c, _) = self.course(p, start, 2, (134, 86)).await?;
        let next = self.scheduled(c).await?.into_iter().next();
        if let Some((id, date)) = next
            && date <= self.today
        {
            self.phq9(p, date, 14, 0).await?;
            self.hold(id, c, (158, 97)).await?;
        }
        Ok(())
    }

    /// 9. Esketamine (the label's schedule): screened eligible, REMS enrolment recorded, 56 mg
    ///    on day 1 and 84 mg since, each with the 2-hour observation; the third session today
    ///    (or next), its suicide screen already taken.
    async fn esketamine(&self) -> Result<(), AppError> {
        let p = self
            .patient("DEMO-009", "Ivy", "Spray", born(1981), Sex::Female)
            .await?;
        let start = self.start_for_today_of(ESKETAMINE, 2, false)?;
        self.phq9(p, start.saturating_sub(days(3)), 20, 0).await?;
        let screening = self
            .screen(
                p,
                born(1981),
                serde_json::json!({
                    "route": "esketamine", "conditions": [],
                    "medications": [], "bp": {"systolic": 128, "diastolic": 80},
                    "failed_adequate_trials": 2, "rems_enrolled": true
                }),
            )
            .await?;
        self.rems(p, "DEMO-REMS-0009", start.saturating_sub(days(3)))
            .await?;
        let (c, _) = self
            .course_on(ESKETAMINE, p, start, Some(screening))
            .await?;
        let booked = self.scheduled(c).await?;
        for (n, &(id, date)) in booked
            .iter()
            .filter(|(_, d)| *d < self.today)
            .take(2)
            .enumerate()
        {
            self.phq9(p, date, if n == 0 { 20 } else { 16 }, 0).await?;
            let mg = if n == 0 { 56.0 } else { 84.0 };
            self.complete_esketamine(id, c, date, mg).await?;
        }
        if let Some(&(_, date)) = booked.iter().find(|(_, d)| *d >= self.today)
            && date == self.today
        {
            self.phq9(p, date, 14, 0).await?;
        }
        Ok(())
    }
}

/// The clinic id of the demo clinic, if seeded (for tests).
pub async fn demo_clinic(app: &App) -> Result<ClinicId, AppError> {
    Ok(app.store.find_clinic_by_name(DEMO_CLINIC).await?.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cadence_clinical::price::PriceList;

    #[test]
    fn the_demo_price_list_is_valid() {
        let prices = PriceList::from_toml(DEMO_PRICES).unwrap();
        assert_eq!(prices.currency(), "USD");
    }
}
