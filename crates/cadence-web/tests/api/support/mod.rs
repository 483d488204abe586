//! Shared test support: running a test on every backend, a world of fixtures, the table of
//! valid requests for every route, and checking responses against the OpenAPI document.

pub mod browser;
pub mod cases;
pub mod page_cases;
pub mod schema;

pub use cadence_testkit::{Backend, Credential, TestApp, TestResponse, builders};

use axum::http::Method;
use cadence_app::records::Role;
use cadence_testkit::Staff;
use serde_json::Value;
use std::sync::atomic::{AtomicU32, Ordering};

/// Runs `async fn $name(backend: Backend)` as `$name::sqlite` and `$name::postgres` (the
/// latter returns at once, passing, when no PostgreSQL is configured).
macro_rules! on_every_backend {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(cadence_testkit::Backend::Sqlite).await;
            }

            #[tokio::test]
            async fn postgres() {
                if !cadence_testkit::Backend::Postgres.is_available() {
                    eprintln!("skipped: {} is not set", cadence_testkit::PG_URL_VAR);
                    return;
                }
                super::$name(cadence_testkit::Backend::Postgres).await;
            }
        }
    )+};
}
pub(crate) use on_every_backend;

/// A test app with a clinic of logged-in staff, and helpers that make fixtures through the
/// API as that clinic's clinician.
pub struct World {
    pub t: TestApp,
    pub staff: Staff,
    mrns: AtomicU32,
}

impl World {
    pub async fn new(backend: Backend) -> World {
        World::with(TestApp::on(backend).await).await
    }

    pub async fn with(t: TestApp) -> World {
        let staff = t.staff("North Clinic").await;
        World {
            t,
            staff,
            mrns: AtomicU32::new(0),
        }
    }

    pub fn token(&self, role: Role) -> &str {
        self.staff.token(role)
    }

    /// A fresh MRN.
    pub fn mrn(&self) -> String {
        format!("MRN-{:04}", self.mrns.fetch_add(1, Ordering::Relaxed))
    }

    /// A request as the clinician.
    pub async fn as_clinician(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> TestResponse {
        self.t
            .request(method, path, Some(self.token(Role::Clinician)), body)
            .await
    }

    pub async fn patient(&self) -> i64 {
        let r = self
            .as_clinician(
                Method::POST,
                "/api/v1/patients",
                Some(builders::patient(&self.mrn())),
            )
            .await;
        r.expect(201).id()
    }

    /// A patient with an eligible IV screening; the patient's id.
    pub async fn screened_patient(&self) -> i64 {
        let p = self.patient().await;
        self.as_clinician(
            Method::POST,
            &format!("/api/v1/patients/{p}/screenings"),
            Some(builders::screening()),
        )
        .await
        .expect(201);
        p
    }

    pub async fn screening(&self) -> i64 {
        let p = self.patient().await;
        let r = self
            .as_clinician(
                Method::POST,
                &format!("/api/v1/patients/{p}/screenings"),
                Some(builders::screening()),
            )
            .await;
        r.expect(201).id()
    }

    pub async fn course(&self) -> i64 {
        let p = self.patient().await;
        self.course_for(p).await
    }

    /// A course starting today on an eligible IV screening.
    pub async fn course_for(&self, patient: i64) -> i64 {
        self.as_clinician(
            Method::POST,
            &format!("/api/v1/patients/{patient}/screenings"),
            Some(builders::screening()),
        )
        .await
        .expect(201);
        let r = self
            .as_clinician(
                Method::POST,
                &format!("/api/v1/patients/{patient}/courses"),
                Some(builders::course(self.t.today())),
            )
            .await;
        r.expect(201).id()
    }

    /// The first booked session of a new course.
    pub async fn session(&self) -> i64 {
        let c = self.course().await;
        let r = self
            .as_clinician(Method::GET, &format!("/api/v1/courses/{c}"), None)
            .await;
        r.expect(200);
        r.json["sessions"][0]["id"]
            .as_i64()
            .expect("a booked session")
    }

    /// A session of today with pre-checks and the day's suicide screen recorded: nothing holds
    /// it.
    pub async fn pre_checked_session(&self) -> i64 {
        let s = self.session().await;
        let r = self
            .as_clinician(Method::GET, &format!("/api/v1/sessions/{s}"), None)
            .await;
        let patient = r.expect(200).json["patient_id"].as_i64().expect("patient");
        self.as_clinician(
            Method::POST,
            &format!("/api/v1/patients/{patient}/assessments"),
            Some(builders::suicide_screen()),
        )
        .await
        .expect(201);
        self.as_clinician(
            Method::POST,
            &format!("/api/v1/sessions/{s}/pre-checks"),
            Some(builders::pre_checks()),
        )
        .await
        .expect(200);
        s
    }

    /// A session of today, dosed and discharged.
    pub async fn discharged_session(&self) -> i64 {
        let s = self.administered_session().await;
        self.as_clinician(
            Method::POST,
            &format!("/api/v1/sessions/{s}/discharge"),
            Some(builders::discharge()),
        )
        .await
        .expect(200);
        s
    }

    /// An open safety finding: a new patient's PHQ-9 with item 9 answered 1.
    pub async fn open_finding(&self) -> i64 {
        let p = self.patient().await;
        self.as_clinician(
            Method::POST,
            &format!("/api/v1/patients/{p}/assessments"),
            Some(builders::phq9([1, 1, 1, 1, 1, 1, 1, 1, 1])),
        )
        .await
        .expect(201);
        let r = self
            .as_clinician(Method::GET, &format!("/api/v1/patients/{p}/findings"), None)
            .await;
        r.expect(200).json[0]["id"].as_i64().expect("a finding")
    }

    pub async fn administered_session(&self) -> i64 {
        let s = self.pre_checked_session().await;
        self.as_clinician(
            Method::POST,
            &format!("/api/v1/sessions/{s}/administration"),
            Some(builders::administration()),
        )
        .await
        .expect(200);
        s
    }
}
