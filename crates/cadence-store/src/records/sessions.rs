//! Treatment sessions: booking, pre-checks, administration, monitoring and discharge.

use super::TreatmentSessionStatus;
use crate::ids::*;
use cadence_clinical::route::Route;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

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
