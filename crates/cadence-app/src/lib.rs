//! Cadence's use cases: what clinic staff can do, checked and audited, over any [`Store`].
//!
//! The web layer (JSON API and HTML pages) and the command line call these services; none of
//! them touches storage directly. Every service takes the acting user ([`Actor`]) so it can
//! check the permission matrix ([`authz`]) and write the audit row for the access in the same
//! transaction as the access itself. Time comes from an injected [`Clock`], so session expiry
//! and audit times are testable.
//!
//! Reading order: [`clock`], [`error`], [`authz`], [`auth`] (with [`throttle`] and
//! [`hashing`]), then the services: [`patients`], [`screenings`], [`assessments`],
//! [`courses`], [`safety`] (findings, holds and releases), [`treatment_sessions`], [`decisions`],
//! [`research`], [`audit_log`], [`today`] (the day's work and the patient list at a glance);
//! [`admin`] is the operator's (clinics and users), [`settings`] the clinic admin's.

pub mod admin;
pub mod assessments;
pub mod audit_log;
pub mod auth;
pub mod authz;
pub mod clock;
pub mod courses;
pub mod decisions;
pub mod demo;
pub mod error;
pub mod hashing;
pub mod health;
pub mod patients;
pub mod registration;
pub mod research;
pub mod safety;
pub mod schedule;
pub mod screenings;
pub mod settings;
pub mod throttle;
pub mod today;
pub mod treatment_sessions;
mod validate;

pub use cadence_store::{Store, StoreError, audit, ids, records};
pub use clock::{Clock, FakeClock, SystemClock};
pub use error::{AppError, ErrorCode};

use cadence_store::audit::{AuditAction, AuditEvent, AuditOutcome, ObjectType};
use cadence_store::ids::{ClinicId, UserId};
use cadence_store::records::Role;
use std::sync::Arc;

/// Settings the services need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    /// Idle timeout for staff sessions (security.md decision 5: 15 minutes by default).
    pub idle_timeout: jiff::SignedDuration,
    /// Absolute session lifetime (ASVS 4.0.3 V3.3.2: 12 hours).
    pub absolute_timeout: jiff::SignedDuration,
    /// Failed logins allowed per account in a throttle window.
    pub max_failures_per_account: u32,
    /// Failed logins allowed per client address in a throttle window.
    pub max_failures_per_address: u32,
    /// The throttle window.
    pub throttle_window: jiff::SignedDuration,
    /// Password hashes computed at once, on the blocking pool ([`hashing`]); more wait.
    pub max_concurrent_hashes: usize,
    /// The IM ketamine screening blood-pressure threshold: a reading above it (systolic or
    /// diastolic) makes an IM screening `needs_review`. No default: no consensus cut-off is
    /// confirmed (clinical reference, the APA statement's BP thresholds UNCONFIRMED) and no
    /// built-in protocol is IM, so the installation sets it (`cadence serve
    /// --im-screening-bp-max`); unset, IM readings are checked for plausibility only.
    pub im_screening_bp_max: Option<cadence_clinical::history::BloodPressure>,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            idle_timeout: jiff::SignedDuration::from_mins(15),
            absolute_timeout: jiff::SignedDuration::from_hours(12),
            max_failures_per_account: 10,
            max_failures_per_address: 50,
            throttle_window: jiff::SignedDuration::from_mins(15),
            max_concurrent_hashes: hashing::default_concurrency(),
            im_screening_bp_max: None,
        }
    }
}

/// The application: a store, a clock and settings, shared by every request.
#[derive(Debug, Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    config: AppConfig,
    throttle: Arc<throttle::Throttle>,
    hashing: Arc<hashing::Hashing>,
    last_purge: Arc<std::sync::Mutex<Option<jiff::Timestamp>>>,
    storage: Arc<health::StorageHealth>,
}

impl App {
    /// Builds the application over a store and a clock.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: AppConfig) -> App {
        App {
            store,
            clock,
            throttle: Arc::new(throttle::Throttle::default()),
            hashing: Arc::new(hashing::Hashing::new(config.max_concurrent_hashes)),
            last_purge: Arc::default(),
            storage: Arc::default(),
            config,
        }
    }

    /// The store (for the binary's maintenance commands).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The current time.
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// The settings.
    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// The actor's clinic's staff by id, as records name them ("who recorded this"): their
    /// login emails. Staff accounts are not health data; not audited.
    pub async fn staff_names(
        &self,
        actor: &Actor,
    ) -> Result<std::collections::HashMap<UserId, String>, AppError> {
        Ok(self
            .store
            .list_users(actor.clinic_id)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect())
    }
}

/// The authenticated user a request acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user.
    pub user_id: UserId,
    /// Their clinic: every record they touch must belong to it.
    pub clinic_id: ClinicId,
    /// Their role.
    pub role: Role,
    /// The request id, for the audit log.
    pub request_id: String,
}

impl Actor {
    /// An audit event by this actor (outcome success; the store fills ids on create).
    pub fn event(&self, app: &App, action: AuditAction, object_type: ObjectType) -> AuditEvent {
        AuditEvent {
            at: app.now(),
            actor_id: Some(self.user_id),
            actor_role: Some(self.role.as_str().to_owned()),
            clinic_id: Some(self.clinic_id),
            patient_id: None,
            action,
            object_type,
            object_id: None,
            outcome: AuditOutcome::Success,
            request_id: self.request_id.clone(),
        }
    }
}
