//! Treatment sessions: booking, pre-checks, administration, monitoring and discharge.

use super::{BloodPressure, SessionStatus, Spo2};
use crate::ids::*;
use cadence_clinical::route::Route;
use cadence_clinical::safety::{DoseFlag, ExceptionalEnd};
use jiff::Timestamp;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

/// Pre-dose checks recorded by a nurse. Recorded again, they add a reading: nothing is
/// overwritten, and the latest reading is the one a dose is judged on (issue 13 §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreChecks {
    /// Identity confirmed.
    pub identity_confirmed: bool,
    /// Fasting as instructed (food 2 h, liquids 30 min for esketamine [SPRAVATO-PREP]).
    pub fasting_confirmed: bool,
    /// Transport home arranged (no driving until the next day [SPRAVATOHCP-TRD]).
    pub transport_arranged: bool,
    /// Pre-dose blood pressure (`bp_systolic` and `bp_diastolic` in JSON).
    #[serde(flatten, with = "super::vitals::bp_fields")]
    pub bp: BloodPressure,
    /// Heart rate, beats per minute.
    pub heart_rate: Option<u16>,
    /// SpO2.
    pub spo2: Option<Spo2>,
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
    /// When an infusion ended (recorded at the end, or with the administration).
    #[serde(default)]
    pub ended_at: Option<Timestamp>,
    /// The patient's weight used for mg/kg, kg (weight-based routes).
    #[serde(default)]
    pub weight_kg: Option<f64>,
    /// The dose given per kg of that weight.
    #[serde(default)]
    pub mg_per_kg: Option<f64>,
    /// Departures from the order or the label that were confirmed (issue 13 §6).
    #[serde(default)]
    pub dose_flags: Vec<DoseFlag>,
    /// The reason given when confirming them.
    #[serde(default)]
    pub confirmation: Option<String>,
    /// Who recorded it.
    pub recorded_by: UserId,
}

/// Discharge at the end of monitoring, once the protocol's criteria are met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discharge {
    /// When discharged.
    pub discharged_at: Timestamp,
    /// MOAA/S at discharge (0-5).
    pub moaas: u8,
    /// Blood pressure before leaving (`bp_systolic` and `bp_diastolic` in JSON).
    #[serde(flatten, with = "super::vitals::bp_fields")]
    pub bp: BloodPressure,
    /// Clinically stable.
    pub clinically_stable: bool,
    /// A responsible adult escorts the patient home.
    pub escort_present: bool,
    /// Minutes after start at which the patient would have been ready to leave (REMS question).
    pub ready_after_minutes: Option<u32>,
    /// Who recorded it.
    pub recorded_by: UserId,
}

/// A session ended without meeting the discharge criteria, recorded by a clinician with a
/// reason; flagged and shown to admins (issue 13 §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionalEndRecord {
    /// How it ended.
    pub kind: ExceptionalEnd,
    /// Why.
    pub reason: String,
    /// When.
    pub ended_at: Timestamp,
    /// The clinician.
    pub recorded_by: UserId,
}

/// A clinician's signature on a completed session: the record is locked; later corrections are
/// addenda (issue 16 §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The clinician.
    pub signed_by: UserId,
    /// When.
    pub signed_at: Timestamp,
}

super::string_enum!(
    /// What an entry of a session's record holds.
    SessionEntryKind {
        /// Pre-dose checks (repeatable: each is a reading).
        PreChecks = "pre_checks",
        /// The administration (once; corrected by a new entry pointing at it).
        Administration = "administration",
        /// The end time of an infusion.
        AdministrationEnd = "administration_end",
        /// The discharge (once, or an exceptional end).
        Discharge = "discharge",
        /// An exceptional end (once, or a discharge).
        ExceptionalEnd = "exceptional_end",
        /// A note added to the record, with a reason (after signing, the only way to add).
        Addendum = "addendum",
        /// The clinician's signature.
        Signature = "signature",
    }
);

/// An entry of one kind from anywhere in the clinic, with the session it belongs to (e.g. the
/// exceptional ends an admin reviews).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClinicEntry {
    /// The session.
    pub treatment_session_id: TreatmentSessionId,
    /// The session's day.
    pub scheduled_on: Date,
    /// The entry.
    pub entry: SessionEntry,
}

/// One entry of a session's record, append-only: who recorded what, when, and what it
/// corrects.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionEntry {
    /// Id.
    pub id: SessionEntryId,
    /// What it holds.
    pub kind: SessionEntryKind,
    /// The entry's content (the shape of its kind).
    pub body: serde_json::Value,
    /// The entry this one corrects, if it is a correction.
    pub corrects: Option<SessionEntryId>,
    /// Why (corrections and addenda).
    pub reason: Option<String>,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// When.
    pub recorded_at: Timestamp,
}

/// An entry to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSessionEntry {
    /// What it holds.
    pub kind: SessionEntryKind,
    /// Its content.
    pub body: serde_json::Value,
    /// The entry it corrects.
    pub corrects: Option<SessionEntryId>,
    /// Why.
    pub reason: Option<String>,
    /// Who.
    pub recorded_by: UserId,
    /// When.
    pub recorded_at: Timestamp,
    /// The session's status after it, when the entry moves the session on.
    pub status: Option<SessionStatus>,
}

/// What must still hold when the entry is written, checked inside its transaction so that
/// no concurrent write can slip between the service's check and the append.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EntryGuard {
    /// The patient has no open finding (a dose is refused while one is open).
    pub no_open_findings: bool,
    /// The session is not signed (signed records take addenda only).
    pub not_signed: bool,
}

/// A treatment session to book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTreatmentSession {
    /// The clinic.
    pub clinic_id: ClinicId,
    /// The course.
    pub course_id: CourseId,
    /// The booked day, time, length and chair.
    pub slot: BookingSlot,
    /// Why this date departs from the plan, when it does.
    pub booking_reason: Option<String>,
    /// When booked.
    pub created_at: Timestamp,
}

/// When and where a session is booked (issue 16 §1): its day, its start in clinic time, its
/// length and its chair. The store refuses, inside the booking's transaction, a slot where the
/// chair is taken, where every chair is taken, or a day the patient has another session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingSlot {
    /// The day.
    pub on: Date,
    /// The start, in the clinic's time zone.
    pub starts_at: Time,
    /// The length, in minutes.
    pub minutes: u16,
    /// The chair (1 to the clinic's chairs).
    pub chair: u16,
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
    /// The booked start time, in the clinic's time zone (`HH:MM`).
    #[serde(serialize_with = "cadence_clinical::schedule::serde_hhmm")]
    pub starts_at: Time,
    /// The booked length, in minutes.
    pub minutes: u16,
    /// The chair, where one is assigned (sessions booked before chairs were kept have none).
    pub chair: Option<u16>,
    /// Status (`held` is derived by the service from open findings and gates).
    pub status: SessionStatus,
    /// Why the booking departs from the plan, when it does.
    pub booking_reason: Option<String>,
    /// The latest pre-checks reading.
    pub pre_checks: Option<PreChecks>,
    /// The administration in force (the latest correction).
    pub administration: Option<Administration>,
    /// The discharge in force.
    pub discharge: Option<Discharge>,
    /// An exceptional end, instead of a discharge.
    pub exceptional_end: Option<ExceptionalEndRecord>,
    /// The signature, once signed.
    pub signature: Option<Signature>,
    /// Every entry of the record, in the order recorded (readings, corrections, addenda).
    pub entries: Vec<SessionEntry>,
    /// Monitoring entries, in time order.
    pub monitoring: Vec<MonitoringEntry>,
    /// When last changed.
    pub updated_at: Timestamp,
}

impl TreatmentSession {
    /// Fills the fields in force (latest pre-checks, the administration and discharge not
    /// corrected by a later entry, the signature) from `entries`. Both backends call this, so
    /// the rule is written once.
    pub fn fold_entries(&mut self) {
        let corrected: std::collections::HashSet<SessionEntryId> =
            self.entries.iter().filter_map(|e| e.corrects).collect();
        let in_force = |kind: SessionEntryKind| {
            self.entries
                .iter()
                .rev()
                .find(|e| e.kind == kind && !corrected.contains(&e.id))
        };
        fn body<T: serde::de::DeserializeOwned>(e: Option<&SessionEntry>) -> Option<T> {
            e.and_then(|e| serde_json::from_value(e.body.clone()).ok())
        }
        self.pre_checks = body(in_force(SessionEntryKind::PreChecks));
        let mut administration: Option<Administration> =
            body(in_force(SessionEntryKind::Administration));
        if let (Some(a), Some(end)) = (
            administration.as_mut(),
            in_force(SessionEntryKind::AdministrationEnd),
        ) {
            if let Some(at) = end.body.get("ended_at").and_then(|v| v.as_str()) {
                a.ended_at = at.parse().ok().or(a.ended_at);
            }
        }
        self.administration = administration;
        self.discharge = body(in_force(SessionEntryKind::Discharge));
        self.exceptional_end = body(in_force(SessionEntryKind::ExceptionalEnd));
        self.signature = in_force(SessionEntryKind::Signature).map(|e| Signature {
            signed_by: e.recorded_by,
            signed_at: e.recorded_at,
        });
    }
}

/// A change of a session's booking status (front desk: cancelled, not attended, scheduled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The new status.
    pub status: SessionStatus,
    /// When.
    pub at: Timestamp,
}

/// A timed monitoring entry during a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMonitoringEntry {
    /// When taken.
    pub taken_at: Timestamp,
    /// Blood pressure, if taken (`bp_systolic` and `bp_diastolic` in JSON, both or neither).
    #[serde(flatten, with = "super::vitals::optional_bp_fields")]
    pub bp: Option<BloodPressure>,
    /// Heart rate.
    pub heart_rate: Option<u16>,
    /// SpO2.
    pub spo2: Option<Spo2>,
    /// Respiratory rate, breaths a minute.
    #[serde(default)]
    pub respiratory_rate: Option<u16>,
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

/// A session booked on a day, as the slot check sees it (both backends read these inside the
/// booking's transaction and call [`check_slot`], so the rule is written once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayBooking {
    /// The session.
    pub id: TreatmentSessionId,
    /// Its patient.
    pub patient_id: PatientId,
    /// Its start.
    pub starts_at: Time,
    /// Its length.
    pub minutes: u16,
    /// Its chair.
    pub chair: Option<u16>,
}

/// Refuses a slot that double-books the patient, a taken chair or a full clinic (the
/// [`Store::create_treatment_session`](crate::Store::create_treatment_session) rules), leaving
/// `except` (a session being moved) out.
pub fn check_slot(
    day: &[DayBooking],
    patient: PatientId,
    slot: &BookingSlot,
    chairs: u16,
    except: Option<TreatmentSessionId>,
) -> Result<(), crate::StoreError> {
    use cadence_clinical::schedule::{Occupied, SlotRefusal, free_chair};
    let others: Vec<&DayBooking> = day.iter().filter(|b| Some(b.id) != except).collect();
    let conflict = |c: &str| crate::StoreError::Conflict {
        constraint: c.into(),
    };
    if others.iter().any(|b| b.patient_id == patient) {
        return Err(conflict("treatment_sessions.patient_day"));
    }
    let occupied: Vec<Occupied> = others
        .iter()
        .map(|b| Occupied {
            start: b.starts_at,
            minutes: b.minutes,
            chair: b.chair,
        })
        .collect();
    match free_chair(
        &occupied,
        slot.starts_at,
        slot.minutes,
        chairs,
        Some(slot.chair),
    ) {
        Ok(_) => Ok(()),
        Err(SlotRefusal::Full { .. }) => Err(conflict("treatment_sessions.capacity")),
        Err(_) => Err(conflict("treatment_sessions.chair")),
    }
}
