//! Treatment sessions: booking and status changes, the session as staff see it (with its
//! holds and discharge criteria), and the nurse's record ([`record`]).
//!
//! Every guard lives here, so the API, the pages and the command line get it alike (issue 13):
//! a booking on a paused or stopped course, before its start, twice on one day or beyond the
//! horizon is refused; a session is held while the patient has an open finding or the session
//! fails a gate; front desk sees the booking, never the record.

mod record;
pub mod rems;
pub mod timers;

pub use rems::RemsSummary;
pub use timers::Timer;

pub use record::{
    AdministrationInput, DischargeInput, ExceptionalEndInput, MonitoringInput, PreCheckInput,
};

use crate::authz::{Permission, allows, require};
pub use crate::courses::BOOKING_HORIZON_DAYS;
use crate::courses::{CourseRead, redact_clinical};
use crate::safety::{Hold, holds_for};
use crate::schedule::SlotRequest;
use crate::validate;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_clinical::planner::SessionState;
use cadence_clinical::route::Route;
use cadence_clinical::safety::{Criterion, Readiness, discharge_criteria};
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::{CourseId, TreatmentSessionId};
use cadence_store::records::{
    Finding, NewTreatmentSession, SessionStatus, StatusChange, TreatmentSession,
};
use jiff::civil::Date;
use rems::rems_summary;
use serde::Serialize;

/// A treatment session as staff see it: the record, and what holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionView {
    /// The session (front desk: the booking only).
    #[serde(flatten)]
    pub session: TreatmentSession,
    /// What holds the session now (empty for front desk, who sees the `held` status only).
    pub holds: Vec<Hold>,
    /// The protocol's discharge criteria judged on the latest readings (empty for front desk).
    pub discharge_criteria: Vec<Criterion>,
    /// The findings raised during this session (in-session alerts, a pre-dose blood pressure,
    /// a released gate), open or released (empty for front desk).
    pub findings: Vec<Finding>,
    /// The checks that fall due after the dose (empty for front desk).
    pub timers: Vec<Timer>,
    /// The SPRAVATO REMS Patient Monitoring Form summary, for esketamine (clinical roles).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rems: Option<RemsSummary>,
}

/// A session with its course, read once for a guard or a page.
#[derive(Debug, Clone)]
pub(crate) struct SessionContext {
    pub session: TreatmentSession,
    /// The course, read once (its snapshot as of the read; a write changes the bundle only).
    pub course: CourseRead,
    pub today: Date,
    pub holds: Vec<Hold>,
}

impl SessionContext {
    /// Refuses a record on a course a clinician paused or discontinued.
    pub(crate) fn require_active(&self) -> Result<(), AppError> {
        self.course.require_active()
    }

    /// Refuses a record on a cancelled, missed or finished session.
    pub(crate) fn require_open(&self) -> Result<(), AppError> {
        match self.session.status {
            SessionStatus::Cancelled | SessionStatus::NoShow => Err(AppError::Conflict {
                code: ErrorCode::SessionCancelled,
                message: "this session was cancelled or not attended: set it back to \
                              scheduled first"
                    .into(),
            }),
            SessionStatus::Completed => Err(AppError::Conflict {
                code: ErrorCode::SessionCompleted,
                message: "this session is over: add a correction or an addendum instead".into(),
            }),
            _ => Ok(()),
        }
    }

    /// The session's status as staff see it: `held` while something holds it.
    fn status(&self) -> SessionStatus {
        if self.holds.is_empty() {
            self.session.status
        } else {
            SessionStatus::Held
        }
    }

    /// The view for a role.
    pub(crate) fn view(self, actor: &Actor, now: jiff::Timestamp) -> SessionView {
        let status = self.status();
        let clinical = allows(actor.role, Permission::ReadClinical);
        let criteria = if clinical {
            discharge_criteria(&self.course.protocol, &readiness(&self.session, now))
        } else {
            Vec::new()
        };
        let mut session = self.session;
        session.status = status;
        if !clinical {
            redact_clinical(&mut session);
        }
        let findings: Vec<Finding> = if clinical {
            self.course
                .bundle
                .findings
                .into_iter()
                .filter(|f| f.treatment_session_id == Some(session.id))
                .collect()
        } else {
            Vec::new()
        };
        let protocol = &self.course.protocol;
        let tz = jiff::tz::TimeZone::get(self.course.calendar.time_zone())
            .unwrap_or(jiff::tz::TimeZone::UTC);
        let (timers, rems) = if clinical {
            (
                session_timers(&session, protocol, now, &tz),
                (protocol.route == Route::Esketamine)
                    .then(|| rems_summary(&session, protocol.safety.bp_max, &tz, &findings)),
            )
        } else {
            (Vec::new(), None)
        };
        SessionView {
            session,
            holds: if clinical { self.holds } else { Vec::new() },
            discharge_criteria: criteria,
            findings,
            timers,
            rems,
        }
    }
}

/// A session's timers under its protocol.
fn session_timers(
    s: &TreatmentSession,
    protocol: &cadence_clinical::protocol::Protocol,
    now: jiff::Timestamp,
    tz: &jiff::tz::TimeZone,
) -> Vec<Timer> {
    timers::timers(
        &s.monitoring,
        s.administration.as_ref(),
        s.discharge.is_some() || s.status == SessionStatus::Completed,
        protocol.safety.observation_minutes,
        now,
        tz,
    )
}

/// What is known about discharge readiness before discharge: the dose time, the latest
/// monitoring values, and the discharge itself once recorded.
pub(crate) fn readiness(s: &TreatmentSession, now: jiff::Timestamp) -> Readiness {
    let latest = |f: &dyn Fn(&cadence_store::records::NewMonitoringEntry) -> bool| {
        s.monitoring.iter().rev().find(|m| f(&m.entry))
    };
    if let Some(d) = &s.discharge {
        return Readiness {
            dosed_at: s.administration.as_ref().map(|a| a.started_at),
            at: Some(d.discharged_at),
            moaas: Some(d.moaas),
            bp: Some(d.bp),
            clinically_stable: Some(d.clinically_stable),
            escort_present: Some(d.escort_present),
        };
    }
    Readiness {
        dosed_at: s.administration.as_ref().map(|a| a.started_at),
        at: Some(now),
        moaas: latest(&|e| e.moaas.is_some()).and_then(|m| m.entry.moaas),
        bp: latest(&|e| e.bp.is_some()).and_then(|m| m.entry.bp),
        clinically_stable: None,
        escort_present: None,
    }
}

impl App {
    /// Reads a session with its course and derives what holds it. Audited as two reads (the
    /// session, the course).
    pub(crate) async fn session_context(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
    ) -> Result<SessionContext, AppError> {
        let event = actor
            .event(self, AuditAction::Read, ObjectType::TreatmentSession)
            .with_object_id(id);
        let session = self
            .store
            .get_treatment_session(actor.clinic_id, id, event)
            .await?;
        let course = self.read_course(actor, session.course_id).await?;
        let today = course.snapshot.today;
        let holds = holds_for(&session, &course.protocol, &course.bundle);
        Ok(SessionContext {
            session,
            course,
            today,
            holds,
        })
    }

    /// Refuses a day a session cannot be booked on: in the past, beyond
    /// [`BOOKING_HORIZON_DAYS`], a closed day, before the course starts.
    pub(crate) fn check_booking_day(&self, read: &CourseRead, date: Date) -> Result<(), AppError> {
        let today = read.snapshot.today;
        if date < today {
            return Err(AppError::invalid(
                ErrorCode::DateInPast,
                format!("{date} is before today ({today})"),
            ));
        }
        let horizon = today
            .checked_add(jiff::Span::new().days(BOOKING_HORIZON_DAYS))
            .map_err(|_| AppError::invalid(ErrorCode::OutOfRange, "the date is out of range"))?;
        if date > horizon {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                format!(
                    "{date} is more than 52 weeks ahead (after {horizon}): book within the plan's \
                     horizon"
                ),
            ));
        }
        if !read.calendar.is_open(date) {
            return Err(AppError::invalid(
                ErrorCode::ClinicClosed,
                format!("the clinic is closed on {date}"),
            ));
        }
        if date < read.bundle.course.start_date {
            return Err(AppError::invalid(
                ErrorCode::BeforeCourseStart,
                format!(
                    "{date} is before the course starts ({}): book from that day on",
                    read.bundle.course.start_date
                ),
            ));
        }
        Ok(())
    }

    /// Books a session in a course on a slot: an open day of the clinic, not in the past, not
    /// before the course starts, within [`BOOKING_HORIZON_DAYS`], not on a day the patient
    /// has a session already, and never on a paused or discontinued course; at the time asked
    /// for (within opening hours, a chair free) or the day's first open slot, for the clinic's
    /// session length or the protocol's observation time if longer (issue 16 §1). A day the
    /// plan does not propose (issue 14) needs a reason, which the plan then shows with the
    /// session.
    pub async fn book_session(
        &self,
        actor: &Actor,
        course: CourseId,
        to: SlotRequest,
        reason: Option<&str>,
    ) -> Result<SessionView, AppError> {
        require(actor.role, Permission::Schedule)?;
        let reason = validate::note("reason", reason, 500)?;
        let start = crate::schedule::parse_start(to.start_time.as_deref())?;
        let date = to.date;
        let read = self.read_course(actor, course).await?;
        let today = read.snapshot.today;
        self.check_booking_day(&read, date)?;
        read.require_active()?;
        let taken = read.bundle.sessions.iter().any(|s| {
            s.scheduled_on == date
                && !matches!(s.status, SessionStatus::Cancelled | SessionStatus::NoShow)
        });
        if taken {
            return Err(AppError::Conflict {
                code: ErrorCode::AlreadyBooked,
                message: format!(
                    "this course already has a session on {date}: move or cancel it first"
                ),
            });
        }
        let planned = read.plan()?;
        let proposed: Vec<Date> = planned
            .sessions
            .iter()
            .filter(|s| s.status == SessionState::Planned)
            .map(|s| s.date)
            .collect();
        if !proposed.contains(&date) && reason.is_none() {
            let next = proposed
                .first()
                .map_or_else(|| "no further session".to_owned(), ToString::to_string);
            return Err(AppError::invalid(
                ErrorCode::BookingReasonRequired,
                format!(
                    "{date} is not a day the plan proposes (next: {next}): give the reason for \
                     this day, or book the plan's day"
                ),
            ));
        }
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let day = self
            .store
            .list_treatment_sessions_on(
                actor.clinic_id,
                date,
                actor.event(self, AuditAction::Read, ObjectType::Schedule),
            )
            .await?;
        if day.iter().any(|s| {
            s.patient_id == read.bundle.course.patient_id
                && !matches!(s.status, SessionStatus::Cancelled | SessionStatus::NoShow)
        }) {
            return Err(AppError::Conflict {
                code: ErrorCode::AlreadyBooked,
                message: format!(
                    "the patient already has a session on {date}: move or cancel it first"
                ),
            });
        }
        let slot = crate::schedule::pick_slot(
            &clinic,
            &read.calendar,
            date,
            start,
            to.chair,
            crate::schedule::minutes_for(&clinic, &read.protocol),
            &crate::schedule::occupied(&day, None),
        )?;
        let new = NewTreatmentSession {
            clinic_id: actor.clinic_id,
            course_id: course,
            slot,
            booking_reason: reason,
            created_at: self.now(),
        };
        let event = actor.event(self, AuditAction::Create, ObjectType::TreatmentSession);
        let booked = self
            .store
            .create_treatment_session(new, clinic.chairs, event)
            .await?;
        let mut read = read;
        read.bundle.sessions.push(booked.clone());
        let holds = holds_for(&booked, &read.protocol, &read.bundle);
        Ok(SessionContext {
            session: booked,
            course: read,
            today,
            holds,
        }
        .view(actor, self.now()))
    }

    /// The timers of a session only, for the nurse's panel that polls them: one audited read
    /// of the session and its protocol's observation time (issue 14: the panel reads only
    /// what it shows). Clinical roles only.
    pub async fn session_timers(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
    ) -> Result<Vec<Timer>, AppError> {
        require(actor.role, Permission::ReadClinical)?;
        let event = actor
            .event(self, AuditAction::Read, ObjectType::SessionTimers)
            .with_object_id(id);
        let session = self
            .store
            .get_treatment_session(actor.clinic_id, id, event)
            .await?;
        let text = self
            .store
            .course_protocol_text(actor.clinic_id, session.course_id)
            .await?;
        let protocol = cadence_clinical::protocol::Protocol::from_toml(&text)
            .map_err(|e| AppError::Internal(format!("frozen protocol: {e}")))?;
        let tz = self.clinic_time_zone(actor).await?;
        Ok(session_timers(&session, &protocol, self.now(), &tz))
    }

    /// A treatment session with its holds and discharge criteria; front desk sees the booking
    /// only.
    pub async fn get_session(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
    ) -> Result<SessionView, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let ctx = self.session_context(actor, id).await?;
        Ok(ctx.view(actor, self.now()))
    }

    /// Marks a booked session cancelled or not attended, or back to scheduled. A session whose
    /// record has begun (pre-checks or a dose) keeps its record: it cannot be cancelled.
    pub async fn set_session_status(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        status: SessionStatus,
    ) -> Result<SessionView, AppError> {
        require(actor.role, Permission::Schedule)?;
        if !matches!(
            status,
            SessionStatus::Cancelled | SessionStatus::NoShow | SessionStatus::Scheduled
        ) {
            return Err(AppError::invalid(
                ErrorCode::InvalidStatus,
                "status may be set to scheduled, cancelled or no_show; other states follow the \
                 session record",
            ));
        }
        let ctx = self.session_context(actor, id).await?;
        if ctx.session.status == SessionStatus::Completed {
            return Err(AppError::Conflict {
                code: ErrorCode::SessionCompleted,
                message: "a completed session cannot change status".into(),
            });
        }
        if !ctx.session.entries.is_empty() {
            return Err(AppError::Conflict {
                code: ErrorCode::SessionStarted,
                message: "this session's record has begun (pre-checks or a dose): it cannot be \
                          cancelled; record its end instead"
                    .into(),
            });
        }
        if status == SessionStatus::Scheduled {
            ctx.require_active()?;
            let taken = ctx.course.bundle.sessions.iter().any(|s| {
                s.id != id
                    && s.scheduled_on == ctx.session.scheduled_on
                    && !matches!(s.status, SessionStatus::Cancelled | SessionStatus::NoShow)
            });
            if taken {
                return Err(AppError::Conflict {
                    code: ErrorCode::AlreadyBooked,
                    message: "this course has another session that day: cancel it first".into(),
                });
            }
        }
        let change = StatusChange {
            status,
            at: self.now(),
        };
        let event = actor
            .event(self, AuditAction::Update, ObjectType::TreatmentSession)
            .with_patient(ctx.session.patient_id)
            .with_object_id(id);
        let session = self
            .store
            .set_treatment_session_status(actor.clinic_id, id, change, event)
            .await?;
        let holds = holds_for(&session, &ctx.course.protocol, &ctx.course.bundle);
        Ok(SessionContext {
            session,
            holds,
            ..ctx
        }
        .view(actor, self.now()))
    }

    /// The clinic's sessions on a date (front desk: bookings only).
    pub async fn sessions_on(
        &self,
        actor: &Actor,
        date: Date,
    ) -> Result<Vec<TreatmentSession>, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let event = actor.event(self, AuditAction::Read, ObjectType::Schedule);
        let mut list = self
            .store
            .list_treatment_sessions_on(actor.clinic_id, date, event)
            .await?;
        if !allows(actor.role, Permission::ReadClinical) {
            list.iter_mut().for_each(redact_clinical);
        }
        Ok(list)
    }
}
