//! The clinic's schedule (issue 16 §1): sessions by day with their times and chairs, the open
//! slots, moving and rebooking, the "to move" list, and the clinic's day settings.
//!
//! Booking itself is [`App::book_session`] (`treatment_sessions`); this module picks slots
//! for it, moves and rebooks, and reads the schedule. Every slot is checked twice: here, with
//! a clear message, and again by the store inside the write's transaction, so two front-desk
//! users booking the last chair at once cannot both succeed. Nothing moves by itself: when a
//! decision or the calendar makes a booking no longer fit, [`App::to_move`] lists it with the
//! reason until front desk moves or cancels it.

use crate::authz::{Permission, allows, require};
use crate::courses::{CourseRead, calendar_of, redact_clinical};
use crate::today::LookedCourse;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_clinical::calendar::ClinicCalendar;
use cadence_clinical::planner::SessionState;
use cadence_clinical::protocol::Protocol;
use cadence_clinical::schedule::{
    self, BookedSlot, MAX_CHAIRS, MoveReason, Occupied, OpenSlot, OpeningHours,
    SESSION_MINUTES_RANGE, SlotRefusal,
};
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::{CourseId, PatientId, TreatmentSessionId};
use cadence_store::records::{BookingSlot, Clinic, Patient, SessionStatus, TreatmentSession};
use jiff::civil::{Date, Time};
use serde::Serialize;
use std::collections::HashMap;

/// Longest span the schedule reads at once, in days (a week view is 7).
pub const MAX_SCHEDULE_DAYS: u8 = 14;

/// Where a booking goes: a day, and optionally a start time (`HH:MM`, else the first open
/// slot) and a chair (else the lowest free one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRequest {
    /// The day.
    pub date: Date,
    /// The start time as typed (`HH:MM`).
    pub start_time: Option<String>,
    /// The chair.
    pub chair: Option<u16>,
}

/// A session on the schedule, with its patient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleEntry {
    /// The session (booking only for front desk).
    pub session: TreatmentSession,
    /// The patient's id.
    pub patient_id: PatientId,
    /// The patient's name as staff call them.
    pub patient_name: String,
    /// The patient's MRN.
    pub mrn: String,
    /// Why it must move, when it no longer fits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_move: Option<String>,
}

/// One day of the schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleDay {
    /// The day.
    pub date: Date,
    /// Whether the clinic is open.
    pub open: bool,
    /// Opening time (`HH:MM`).
    pub opens: String,
    /// Closing time (`HH:MM`).
    pub closes: String,
    /// Sessions booked (cancelled and missed ones too, marked), by start time.
    pub sessions: Vec<ScheduleEntry>,
    /// Start times with a chair free for a session of the clinic's length.
    pub open_slots: Vec<OpenSlot>,
}

/// A booked session that no longer fits, for front desk to move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToMove {
    /// The session.
    pub session_id: TreatmentSessionId,
    /// Its course.
    pub course_id: CourseId,
    /// The patient.
    pub patient_id: PatientId,
    /// The patient's name.
    pub patient_name: String,
    /// The booked day.
    pub date: Date,
    /// The booked start (`HH:MM`).
    pub start_time: String,
    /// Why, as data.
    pub reason: MoveReason,
    /// Why, in words.
    pub message: String,
}

/// The schedule over some days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleView {
    /// The clinic's today.
    pub today: Date,
    /// The days, in order.
    pub days: Vec<ScheduleDay>,
    /// Chairs the clinic treats in at once.
    pub chairs: u16,
    /// The clinic's session length (a protocol's observation can lengthen one).
    pub session_minutes: u16,
    /// Every booked session from today that no longer fits.
    pub to_move: Vec<ToMove>,
}

/// The clinic's day settings, as the settings page and the API show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClinicHours {
    /// Opening hours per weekday (`mon 09:00-17:00,…`).
    pub opening_hours: OpeningHours,
    /// Chairs.
    pub chairs: u16,
    /// Session length in minutes.
    pub session_minutes: u16,
}

/// A slot request's time, or `invalid_time`.
pub(crate) fn parse_start(text: Option<&str>) -> Result<Option<Time>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => schedule::parse_time(t)
            .map(Some)
            .map_err(|e| AppError::invalid(ErrorCode::InvalidTime, e)),
    }
}

/// A session's length under a protocol in a clinic.
pub(crate) fn minutes_for(clinic: &Clinic, protocol: &Protocol) -> u16 {
    schedule::session_minutes(clinic.session_minutes, protocol.safety.observation_minutes)
}

/// The day's bookings that hold a chair (not cancelled or missed), leaving `except` out.
pub(crate) fn occupied(
    sessions: &[TreatmentSession],
    except: Option<TreatmentSessionId>,
) -> Vec<Occupied> {
    sessions
        .iter()
        .filter(|s| Some(s.id) != except)
        .filter(|s| !matches!(s.status, SessionStatus::Cancelled | SessionStatus::NoShow))
        .map(|s| Occupied {
            start: s.starts_at,
            minutes: s.minutes,
            chair: s.chair,
        })
        .collect()
}

/// Picks the slot for a request on a day with `day` booked: the time asked for (which must
/// fit the opening hours and have a chair free) or the first open slot.
pub(crate) fn pick_slot(
    clinic: &Clinic,
    calendar: &ClinicCalendar,
    date: Date,
    start: Option<Time>,
    chair: Option<u16>,
    minutes: u16,
    day: &[Occupied],
) -> Result<BookingSlot, AppError> {
    let hours = clinic.opening_hours.on(date);
    let start = match start {
        Some(t) => t,
        None => schedule::open_slots(
            calendar,
            &clinic.opening_hours,
            date,
            minutes,
            clinic.chairs,
            day,
        )
        .first()
        .map(|s| s.start)
        .ok_or_else(|| AppError::Conflict {
            code: ErrorCode::SlotFull,
            message: format!(
                "no chair is free for a {minutes}-minute session on {date}: choose another day"
            ),
        })?,
    };
    schedule::within_hours(hours, start, minutes)
        .map_err(|e| AppError::invalid(ErrorCode::OutsideOpeningHours, e))?;
    let chair = schedule::free_chair(day, start, minutes, clinic.chairs, chair).map_err(|e| {
        let code = match e {
            SlotRefusal::ChairTaken { .. } => ErrorCode::ChairTaken,
            _ => ErrorCode::SlotFull,
        };
        AppError::Conflict {
            code,
            message: e.to_string(),
        }
    })?;
    Ok(BookingSlot {
        on: date,
        starts_at: start,
        minutes,
        chair,
    })
}

/// The booked sessions of a course from today that no longer fit, with the reason.
pub(crate) fn course_to_move(
    read: &CourseRead,
    hours: &OpeningHours,
) -> Vec<(TreatmentSessionId, MoveReason)> {
    let today = read.snapshot.today;
    let booked: Vec<&TreatmentSession> = read
        .bundle
        .sessions
        .iter()
        .filter(|s| s.scheduled_on >= today && s.status == SessionStatus::Scheduled)
        .filter(|s| s.entries.is_empty())
        .collect();
    if booked.is_empty() {
        return Vec::new();
    }
    let plan = read.plan().ok();
    let slots: Vec<BookedSlot> = booked
        .iter()
        .map(|s| BookedSlot {
            date: s.scheduled_on,
            start: s.starts_at,
            minutes: s.minutes,
        })
        .collect();
    let stopped = read.require_active().is_err();
    let found = schedule::to_move(today, plan.as_ref(), stopped, &read.calendar, hours, &slots);
    found
        .into_iter()
        .filter_map(|(slot, reason)| {
            booked
                .iter()
                .find(|s| s.scheduled_on == slot.date && s.starts_at == slot.start)
                .map(|s| (s.id, reason))
        })
        .collect()
}

/// The first day of the week (Monday) a date falls in.
pub fn week_start(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(date)
}

impl App {
    /// The schedule for `days` days from `from` (1 to [`MAX_SCHEDULE_DAYS`]): every session
    /// with its time, chair and patient, the open slots, and the clinic's to-move list.
    ///
    /// One audited store read whatever the clinic's size ([`Store::schedule_records`]): the
    /// days' bookings and the courses the read model says may have a booking to move (issue
    /// 18), each replayed once and its summary written back when it changed.
    ///
    /// [`Store::schedule_records`]: cadence_store::Store::schedule_records
    pub async fn schedule(
        &self,
        actor: &Actor,
        from: Date,
        days: u8,
    ) -> Result<ScheduleView, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        if !(1..=MAX_SCHEDULE_DAYS).contains(&days) {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                format!("days must be 1 to {MAX_SCHEDULE_DAYS}"),
            ));
        }
        let until = from
            .checked_add(jiff::Span::new().days(i64::from(days)))
            .map_err(|_| AppError::invalid(ErrorCode::OutOfRange, "the date is out of range"))?;
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let calendar = calendar_of(&clinic)?;
        let today = self.clinic_today(actor).await?;
        let event = actor.event(self, AuditAction::Read, ObjectType::Schedule);
        let records = self
            .store
            .schedule_records(actor.clinic_id, from, until, event)
            .await?;
        let looks = records
            .courses
            .into_iter()
            .map(|c| LookedCourse::of(c, &calendar, today))
            .collect::<Result<Vec<_>, _>>()?;
        self.write_back(actor, &looks, today, &clinic.opening_hours)
            .await;
        let names: HashMap<PatientId, Patient> =
            records.patients.into_iter().map(|p| (p.id, p)).collect();
        let mut to_move = Vec::new();
        let mut reason_of: HashMap<TreatmentSessionId, MoveReason> = HashMap::new();
        for look in &looks {
            let bundle = &look.look.read.bundle;
            for (id, reason) in look.to_move(&clinic.opening_hours) {
                let (Some(s), Some(p)) = (
                    bundle.sessions.iter().find(|s| s.id == id),
                    names.get(&bundle.course.patient_id),
                ) else {
                    continue;
                };
                to_move.push(ToMove {
                    session_id: id,
                    course_id: bundle.course.id,
                    patient_id: p.id,
                    patient_name: name_of(p),
                    date: s.scheduled_on,
                    start_time: schedule::format_time(s.starts_at),
                    message: reason.message(),
                    reason: reason.clone(),
                });
                reason_of.insert(id, reason);
            }
        }
        to_move.sort_by(|a, b| (a.date, &a.start_time).cmp(&(b.date, &b.start_time)));
        let clinical = allows(actor.role, Permission::ReadClinical);
        let mut out = Vec::new();
        for offset in 0..days {
            let date = from
                .checked_add(jiff::Span::new().days(i64::from(offset)))
                .map_err(|_| {
                    AppError::invalid(ErrorCode::OutOfRange, "the date is out of range")
                })?;
            let mut sessions: Vec<TreatmentSession> = records
                .sessions
                .iter()
                .filter(|s| s.scheduled_on == date)
                .cloned()
                .collect();
            sessions.sort_by_key(|s| (s.starts_at, s.chair, s.id));
            let hours = clinic.opening_hours.on(date);
            let open_slots = schedule::open_slots(
                &calendar,
                &clinic.opening_hours,
                date,
                clinic.session_minutes,
                clinic.chairs,
                &occupied(&sessions, None),
            );
            let entries = sessions
                .into_iter()
                .filter_map(|mut s| {
                    let p = names.get(&s.patient_id)?;
                    if !clinical {
                        redact_clinical(&mut s);
                    }
                    Some(ScheduleEntry {
                        to_move: reason_of.get(&s.id).map(MoveReason::message),
                        patient_id: s.patient_id,
                        patient_name: name_of(p),
                        mrn: p.details.mrn.clone(),
                        session: s,
                    })
                })
                .collect();
            out.push(ScheduleDay {
                date,
                open: calendar.is_open(date),
                opens: schedule::format_time(hours.opens),
                closes: schedule::format_time(hours.closes),
                sessions: entries,
                open_slots: if date < today { Vec::new() } else { open_slots },
            });
        }
        Ok(ScheduleView {
            today,
            days: out,
            chairs: clinic.chairs,
            session_minutes: clinic.session_minutes,
            to_move,
        })
    }

    /// Every booked session from today that no longer fits (a closed day, the opening hours, a
    /// clinician's decision), with the reason: front desk's "to move" list.
    pub async fn to_move(&self, actor: &Actor) -> Result<Vec<ToMove>, AppError> {
        let today = self.clinic_today(actor).await?;
        Ok(self.schedule(actor, today, 1).await?.to_move)
    }

    /// Moves a scheduled session to another slot. The same checks as a booking (open day,
    /// opening hours, a free chair, the patient's day, the course active, within the horizon);
    /// a day other than the one booked that the plan does not propose needs a reason.
    pub async fn move_session(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        to: SlotRequest,
        reason: Option<&str>,
    ) -> Result<crate::treatment_sessions::SessionView, AppError> {
        require(actor.role, Permission::Schedule)?;
        let reason = crate::validate::note("reason", reason, 500)?;
        let start = parse_start(to.start_time.as_deref())?;
        let ctx = self.session_context(actor, id).await?;
        if ctx.session.status != SessionStatus::Scheduled || !ctx.session.entries.is_empty() {
            return Err(AppError::Conflict {
                code: ErrorCode::SessionNotScheduled,
                message: "only a scheduled session whose record has not begun can be moved; \
                          rebook a cancelled one"
                    .into(),
            });
        }
        let read = &ctx.course;
        self.check_booking_day(read, to.date)?;
        read.require_active()?;
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let minutes = minutes_for(&clinic, &read.protocol);
        let day = self
            .store
            .list_treatment_sessions_on(
                actor.clinic_id,
                to.date,
                actor.event(self, AuditAction::Read, ObjectType::Schedule),
            )
            .await?;
        if day.iter().any(|s| {
            s.id != id
                && s.patient_id == ctx.session.patient_id
                && !matches!(s.status, SessionStatus::Cancelled | SessionStatus::NoShow)
        }) {
            return Err(AppError::Conflict {
                code: ErrorCode::AlreadyBooked,
                message: format!(
                    "the patient already has a session on {}: move or cancel it first",
                    to.date
                ),
            });
        }
        let slot = pick_slot(
            &clinic,
            &read.calendar,
            to.date,
            start,
            to.chair,
            minutes,
            &occupied(&day, Some(id)),
        )?;
        let same_day = to.date == ctx.session.scheduled_on;
        let reason = if same_day {
            reason.or_else(|| ctx.session.booking_reason.clone())
        } else {
            // The plan without this booking: the days it proposes for this session.
            let mut bundle = read.bundle.clone();
            bundle.sessions.retain(|s| s.id != id);
            let without = CourseRead::of(bundle, read.calendar.clone(), ctx.today)?;
            let proposed: Vec<Date> = without
                .plan()?
                .sessions
                .iter()
                .filter(|s| s.status == SessionState::Planned)
                .map(|s| s.date)
                .collect();
            if !proposed.contains(&to.date) && reason.is_none() {
                let next = proposed
                    .first()
                    .map_or_else(|| "no further session".to_owned(), ToString::to_string);
                return Err(AppError::invalid(
                    ErrorCode::BookingReasonRequired,
                    format!(
                        "{} is not a day the plan proposes (next: {next}): give the reason for \
                         this day, or move it to the plan's day",
                        to.date
                    ),
                ));
            }
            reason
        };
        let event = actor
            .event(self, AuditAction::Update, ObjectType::TreatmentSession)
            .with_patient(ctx.session.patient_id)
            .with_object_id(id);
        let moved = self
            .store
            .move_treatment_session(
                actor.clinic_id,
                id,
                slot,
                reason,
                clinic.chairs,
                self.now(),
                event,
            )
            .await?;
        let holds = crate::safety::holds_for(&moved, &ctx.course.protocol, &ctx.course.bundle);
        Ok(crate::treatment_sessions::SessionContext {
            session: moved,
            holds,
            ..ctx
        }
        .view(actor, self.now()))
    }

    /// Rebooks a cancelled or missed session: books a new session of its course on the slot
    /// asked for (the cancelled one stays in the record).
    pub async fn rebook_session(
        &self,
        actor: &Actor,
        id: TreatmentSessionId,
        to: SlotRequest,
        reason: Option<&str>,
    ) -> Result<crate::treatment_sessions::SessionView, AppError> {
        require(actor.role, Permission::Schedule)?;
        let event = actor
            .event(self, AuditAction::Read, ObjectType::TreatmentSession)
            .with_object_id(id);
        let old = self
            .store
            .get_treatment_session(actor.clinic_id, id, event)
            .await?;
        if !matches!(old.status, SessionStatus::Cancelled | SessionStatus::NoShow) {
            return Err(AppError::Conflict {
                code: ErrorCode::SessionNotCancelled,
                message: "only a cancelled or missed session is rebooked; move a scheduled one"
                    .into(),
            });
        }
        self.book_session(actor, old.course_id, to, reason).await
    }

    /// The clinic's day settings (admins).
    pub async fn clinic_hours(&self, actor: &Actor) -> Result<ClinicHours, AppError> {
        require(actor.role, Permission::Administer)?;
        let c = self.store.get_clinic(actor.clinic_id).await?;
        Ok(ClinicHours {
            opening_hours: c.opening_hours,
            chairs: c.chairs,
            session_minutes: c.session_minutes,
        })
    }

    /// Sets the clinic's opening hours per weekday (`mon 09:00-17:00` lines), chairs (1 to
    /// [`MAX_CHAIRS`]) and session length (admins). Bookings that no longer fit are listed to
    /// move, never moved.
    pub async fn set_clinic_hours(
        &self,
        actor: &Actor,
        opening_hours: &str,
        chairs: u16,
        session_minutes: u16,
    ) -> Result<ClinicHours, AppError> {
        require(actor.role, Permission::Administer)?;
        let hours = check_day(opening_hours, chairs, session_minutes)?;
        let event = actor
            .event(self, AuditAction::Update, ObjectType::ClinicHours)
            .with_object_id(actor.clinic_id);
        let c = self
            .store
            .update_clinic_schedule(actor.clinic_id, &hours, chairs, session_minutes, event)
            .await?;
        Ok(ClinicHours {
            opening_hours: c.opening_hours,
            chairs: c.chairs,
            session_minutes: c.session_minutes,
        })
    }
}

/// Checks the clinic's day settings: opening hours, 1 to [`MAX_CHAIRS`] chairs, a session
/// length within [`SESSION_MINUTES_RANGE`].
pub(crate) fn check_day(
    opening_hours: &str,
    chairs: u16,
    session_minutes: u16,
) -> Result<OpeningHours, AppError> {
    let hours: OpeningHours = opening_hours
        .parse()
        .map_err(|e| AppError::invalid(ErrorCode::InvalidOpeningHours, e))?;
    if !(1..=MAX_CHAIRS).contains(&chairs) {
        return Err(AppError::invalid(
            ErrorCode::OutOfRange,
            format!("chairs must be 1 to {MAX_CHAIRS}"),
        ));
    }
    let (lo, hi) = SESSION_MINUTES_RANGE;
    if !(lo..=hi).contains(&session_minutes) {
        return Err(AppError::invalid(
            ErrorCode::OutOfRange,
            format!("session length must be {lo} to {hi} minutes"),
        ));
    }
    Ok(hours)
}

/// "Given Family".
fn name_of(p: &Patient) -> String {
    format!("{} {}", p.details.given_name, p.details.family_name)
}
