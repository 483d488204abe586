//! Courses: started from a protocol, planned by the clinical engine, reviewed and forecast on
//! every read from what was recorded (sessions, assessments, decisions).

use crate::authz::{Permission, allows, require};
use crate::safety::holds_for;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_clinical::calendar::ClinicCalendar;
use cadence_clinical::collection::DueAssessment;
use cadence_clinical::course::{
    CourseInputs, CoursePhase, CourseSnapshot, CourseSummary, snapshot,
};
use cadence_clinical::forecast::{Forecast, forecast};
use cadence_clinical::history::{
    AssessmentRecord, CourseHistory, DecisionRecord, FindingRecord, SessionRecord, SessionStatus,
};
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::planner::{Plan, SessionKind, plan};
use cadence_clinical::price::PriceList;
use cadence_clinical::protocol::{self, Protocol};
use cadence_clinical::screening::Eligibility;
use cadence_clinical::suggestion::{Review, review};
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::{CourseId, PatientId};
use cadence_store::records::{
    Clinic, Course, CourseBundle, DecisionRecord as StoredDecision, NewCourse, RemsEnrolment,
    Screening, TreatmentSession,
};
use jiff::civil::Date;
use serde::Serialize;

/// How far ahead a session may be booked, in days (the plan's longest horizon, 52 weeks).
pub const BOOKING_HORIZON_DAYS: i64 = 52 * 7;

/// Front desk sees a session's booking (date, status) only: no vitals, doses or notes.
pub(crate) fn redact_clinical(s: &mut TreatmentSession) {
    s.pre_checks = None;
    s.administration = None;
    s.discharge = None;
    s.exceptional_end = None;
    s.entries.clear();
    s.monitoring.clear();
}

/// How far ahead the plan and the forecasts look, in weeks (PRODUCT.md: 6 and 12 months).
pub const HORIZONS_WEEKS: [u16; 2] = [26, 52];

/// A course as staff see it: the record, the plan, and (for clinical roles) the suggestion,
/// forecasts and decisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseView {
    /// The course.
    pub course: Course,
    /// The protocol's title.
    pub protocol_title: String,
    /// The protocol's route of administration.
    pub route: cadence_clinical::route::Route,
    /// Booked treatment sessions (`held` while something holds one booked today).
    pub sessions: Vec<TreatmentSession>,
    /// The next session's day (every role: front desk books it): the first booked one from
    /// today, else the plan's.
    pub next_due: Option<Date>,
    /// Whether that next session is booked.
    pub next_booked: bool,
    /// Where the course stands: phase, induction, interval, next session (clinical roles:
    /// front desk sees bookings, not plans, so a discontinuation is not revealed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<CourseSummary>,
    /// The dated plan from today (clinical roles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// The engine's suggestion (clinical roles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Review>,
    /// Forecasts over 26 and 52 weeks (empty for front desk).
    pub forecasts: Vec<Forecast>,
    /// Recorded decisions (clinical roles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<Vec<StoredDecision>>,
    /// What the protocol says to collect that is not yet collected (issue 13 §8); empty for
    /// front desk.
    pub due_assessments: Vec<DueAssessment>,
    /// The outcome instrument, its baseline and the protocol's response and remission lines,
    /// as the chart's trajectory draws them (clinical roles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<TrajectoryFacts>,
    /// The patient's SPRAVATO REMS enrolment, if recorded (clinical roles only; the chart
    /// shows it at the top, issue 16 §5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rems_enrolment: Option<RemsEnrolment>,
}

/// What the chart's trajectory draws, from the snapshot and the protocol (no page recomputes
/// a baseline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TrajectoryFacts {
    /// The protocol's outcome instrument.
    pub instrument: InstrumentId,
    /// Its baseline total (see `docs/protocols.md` for the rule).
    pub baseline: Option<u16>,
    /// A fall of at least this % is a response.
    pub response_percent: u8,
    /// At or below this total is remission, where the instrument has a cut.
    pub remission_at_most: Option<u16>,
}

/// The clinic's calendar as the planner needs it.
pub fn calendar_of(clinic: &Clinic) -> Result<ClinicCalendar, AppError> {
    ClinicCalendar::new(
        clinic.time_zone.as_str(),
        clinic.open_days,
        clinic.closed_dates.iter().copied(),
    )
    .map_err(|e| AppError::Internal(format!("clinic calendar: {e}")))
}

/// The engine's view of a stored course, as of `today`.
///
/// Sessions that took place (completed, cancelled, not attended) up to today, and sessions
/// still booked with their status (`held` when something holds a session booked today);
/// a booking cancelled ahead of its date frees the slot and is left out. The assessments are
/// this course's: those after the patient's earlier course ended. The findings are the stored
/// ones, released only by a clinician's recorded release, never by a date.
pub fn history_of(bundle: &CourseBundle, protocol: &Protocol, today: Date) -> CourseHistory {
    let sessions = bundle
        .sessions
        .iter()
        .filter_map(|s| {
            let status = match s.status {
                SessionStatus::Completed | SessionStatus::Cancelled | SessionStatus::NoShow
                    if s.scheduled_on <= today =>
                {
                    s.status
                }
                SessionStatus::Scheduled | SessionStatus::InProgress | SessionStatus::Held
                    if s.scheduled_on == today && !holds_for(s, protocol, bundle).is_empty() =>
                {
                    SessionStatus::Held
                }
                SessionStatus::Scheduled | SessionStatus::InProgress | SessionStatus::Held => {
                    s.status
                }
                _ => return None,
            };
            Some(SessionRecord {
                date: s.scheduled_on,
                status,
                bp_pre: s.pre_checks.as_ref().map(|p| p.bp),
                moaas_discharge: s.discharge.as_ref().map(|d| d.moaas),
                booking_reason: s.booking_reason.clone(),
            })
        })
        .collect();
    CourseHistory {
        start_date: Some(bundle.course.start_date),
        sessions,
        assessments: bundle
            .assessments
            .iter()
            .filter(|a| a.taken_on <= today)
            .filter(|a| bundle.earlier_course_end.is_none_or(|end| a.taken_on > end))
            .map(|a| AssessmentRecord {
                date: a.taken_on,
                instrument: a.instrument,
                answers: a.answers.clone(),
            })
            .collect(),
        decisions: bundle
            .decisions
            .iter()
            .filter(|d| d.decided_on <= today)
            .map(|d| DecisionRecord {
                date: d.decided_on,
                decision: d.decision,
            })
            .collect(),
        findings: Some(
            bundle
                .findings
                .iter()
                .map(|f| FindingRecord {
                    kind: f.kind,
                    detail: f.detail.clone(),
                    date: f
                        .found_at
                        .to_zoned(jiff::tz::TimeZone::UTC)
                        .date()
                        .min(today),
                    released: !f.is_open(),
                })
                .collect(),
        ),
    }
}

/// A course read once per request (issue 14): the stored bundle, its frozen protocol, the
/// clinic calendar, and the snapshot that the plan, the suggestion, the forecast and every
/// page read. Nothing else in the service replays a course.
#[derive(Debug, Clone)]
pub struct CourseRead {
    /// What is stored.
    pub bundle: CourseBundle,
    /// The protocol frozen with the course.
    pub protocol: Protocol,
    /// The clinic's calendar.
    pub calendar: ClinicCalendar,
    /// Where the course stands today.
    pub snapshot: CourseSnapshot,
}

impl CourseRead {
    /// Reads a stored course as of `today`.
    pub fn of(
        bundle: CourseBundle,
        calendar: ClinicCalendar,
        today: Date,
    ) -> Result<Self, AppError> {
        let protocol = Protocol::from_toml(&bundle.course.protocol_text)
            .map_err(|e| AppError::Internal(format!("frozen protocol: {e}")))?;
        let history = history_of(&bundle, &protocol, today);
        let snapshot = snapshot(&CourseInputs {
            protocol: &protocol,
            calendar: &calendar,
            history: &history,
            start: None,
            today,
            scoring: &protocol.scoring_config(),
        })
        .map_err(|e| AppError::Internal(format!("course {}: {e}", bundle.course.id)))?;
        Ok(CourseRead {
            bundle,
            protocol,
            calendar,
            snapshot,
        })
    }

    /// The phase today.
    pub fn phase(&self) -> CoursePhase {
        self.snapshot.phase
    }

    /// The dated plan from today, over the first horizon.
    pub fn plan(&self) -> Result<Plan, AppError> {
        plan(
            &self.protocol,
            &self.calendar,
            &self.snapshot,
            HORIZONS_WEEKS[0],
        )
        .map_err(|e| AppError::invalid(ErrorCode::Unplannable, e))
    }

    /// Refuses a booking or a record on a course a clinician paused or discontinued.
    pub(crate) fn require_active(&self) -> Result<(), AppError> {
        match self.phase() {
            CoursePhase::Paused => Err(AppError::Conflict {
                code: ErrorCode::CourseNotActive,
                message: "this course is paused: a clinician records `resume` before any session \
                          goes ahead"
                    .into(),
            }),
            CoursePhase::Discontinued => Err(AppError::Conflict {
                code: ErrorCode::CourseNotActive,
                message: "this course was discontinued: start a new course to treat again".into(),
            }),
            _ => Ok(()),
        }
    }
}

impl App {
    /// Reads a course (one audited store read) as of the clinic's today.
    pub(crate) async fn read_course(
        &self,
        actor: &Actor,
        id: CourseId,
    ) -> Result<CourseRead, AppError> {
        let event = actor
            .event(self, AuditAction::Read, ObjectType::Course)
            .with_object_id(id);
        let bundle = self
            .store
            .get_course_bundle(actor.clinic_id, id, event)
            .await?;
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let today = self.clinic_today(actor).await?;
        CourseRead::of(bundle, calendar_of(&clinic)?, today)
    }
}

/// The plan a course starting on `start` gets: from an empty history, as of its start.
pub(crate) fn new_course_plan(
    protocol: &Protocol,
    calendar: &ClinicCalendar,
    start: Date,
) -> Result<Plan, AppError> {
    let unplannable =
        |e: &dyn std::fmt::Display| AppError::invalid(ErrorCode::Unplannable, e.to_string());
    let snap = snapshot(&CourseInputs {
        protocol,
        calendar,
        history: &CourseHistory::default(),
        start: Some(start),
        today: start,
        scoring: &protocol.scoring_config(),
    })
    .map_err(|e| unplannable(&e))?;
    plan(protocol, calendar, &snap, HORIZONS_WEEKS[0]).map_err(|e| unplannable(&e))
}

/// A built-in protocol's text and parsed form, or `unknown_protocol`.
fn builtin_protocol(protocol_id: &str) -> Result<(&'static str, Protocol), AppError> {
    let text = protocol::builtin_text(protocol_id).ok_or_else(|| {
        AppError::invalid(
            ErrorCode::UnknownProtocol,
            format!(
                "unknown protocol `{protocol_id}`; use one of {}",
                protocol::builtin_ids().join(", ")
            ),
        )
    })?;
    let protocol = Protocol::from_toml(text)
        .map_err(|e| AppError::Internal(format!("built-in protocol: {e}")))?;
    Ok((text, protocol))
}

impl App {
    /// The plan a new course would get (protocol, start date, the clinic's calendar), without
    /// storing anything: what the "start a course" page previews. Same checks as
    /// [`App::create_course`]; reads no patient data.
    pub async fn preview_course(
        &self,
        actor: &Actor,
        protocol_id: &str,
        start_date: Date,
    ) -> Result<(Protocol, Plan), AppError> {
        require(actor.role, Permission::CreateCourse)?;
        let (_, protocol) = builtin_protocol(protocol_id)?;
        let today = self.clinic_today(actor).await?;
        if start_date < today {
            return Err(AppError::invalid(
                ErrorCode::StartInPast,
                format!("start_date {start_date} is before today ({today})"),
            ));
        }
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let planned = new_course_plan(&protocol, &calendar_of(&clinic)?, start_date)?;
        Ok((protocol, planned))
    }

    /// Starts a course on a built-in protocol and books its induction sessions as planned, each
    /// at `start_time` where a chair is free that day, else the day's first open slot; a day
    /// with no chair free is left planned, not booked (never overbooked).
    ///
    /// Gated on screening (issue 13 §4): the patient's latest screening for the protocol's
    /// route, taken at most the protocol's `screening.valid_days` before the start, must be
    /// `eligible`; one that `needs_review` (relative or programme reasons only) starts the
    /// course only with the clinician's `screening_override` reason; `not_eligible` (an
    /// absolute reason) never does, override or not; an override given for an `eligible`
    /// screening is refused (`screening_override_not_needed`), not silently dropped.
    pub async fn create_course(
        &self,
        actor: &Actor,
        patient: PatientId,
        protocol_id: &str,
        start_date: Date,
        start_time: Option<&str>,
        screening_override: Option<&str>,
    ) -> Result<Course, AppError> {
        require(actor.role, Permission::CreateCourse)?;
        let (text, protocol) = builtin_protocol(protocol_id)?;
        let override_reason =
            crate::validate::note("screening_override", screening_override, 2000)?;
        let today = self.clinic_today(actor).await?;
        if start_date < today {
            return Err(AppError::invalid(
                ErrorCode::StartInPast,
                format!("start_date {start_date} is before today ({today})"),
            ));
        }
        let horizon = today
            .checked_add(jiff::Span::new().days(BOOKING_HORIZON_DAYS))
            .map_err(|_| AppError::invalid(ErrorCode::OutOfRange, "start_date is out of range"))?;
        if start_date > horizon {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                format!("start_date {start_date} is more than 52 weeks ahead (after {horizon})"),
            ));
        }
        self.get_patient(actor, patient).await?;
        let screening = self
            .screening_gate(
                actor,
                patient,
                &protocol,
                start_date,
                override_reason.as_deref(),
            )
            .await?;
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let calendar = calendar_of(&clinic)?;
        let planned = new_course_plan(&protocol, &calendar, start_date)?;
        let start = crate::schedule::parse_start(start_time)?;
        let minutes = crate::schedule::minutes_for(&clinic, &protocol);
        // The slots are chosen from a read of the days' bookings and checked again inside the
        // store's transaction: a booking made in between (two course starts at once) makes the
        // store refuse the slot, and the start is planned again from a fresh read.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut induction = Vec::new();
            // The clinic's bookings on the induction's days, read once (one `schedule` row): by
            // the day index, so a course start costs the same in a clinic of any size (issue 18).
            let days = planned
                .sessions
                .iter()
                .filter(|s| s.kind == SessionKind::Induction)
                .map(|s| s.date);
            let booked: Vec<TreatmentSession> = match (days.clone().min(), days.max()) {
                (Some(first), Some(last)) => {
                    self.store
                        .list_treatment_sessions_between(
                            actor.clinic_id,
                            first,
                            last.tomorrow().unwrap_or(last),
                            actor.event(self, AuditAction::Read, ObjectType::Schedule),
                        )
                        .await?
                }
                _ => Vec::new(),
            };
            for s in planned
                .sessions
                .iter()
                .filter(|s| s.kind == SessionKind::Induction)
            {
                let day: Vec<TreatmentSession> = booked
                    .iter()
                    .filter(|b| b.scheduled_on == s.date)
                    .cloned()
                    .collect();
                if day.iter().any(|d| {
                    d.patient_id == patient
                        && !matches!(d.status, SessionStatus::Cancelled | SessionStatus::NoShow)
                }) {
                    return Err(AppError::Conflict {
                        code: ErrorCode::AlreadyBooked,
                        message: format!(
                            "the patient already has a session on {}: move or cancel it first",
                            s.date
                        ),
                    });
                }
                let occupied = crate::schedule::occupied(&day, None);
                // The time asked for where it is free that day, else the day's first open slot.
                let slot = match crate::schedule::pick_slot(
                    &clinic, &calendar, s.date, start, None, minutes, &occupied,
                ) {
                    Ok(slot) => Ok(slot),
                    Err(_) if start.is_some() => crate::schedule::pick_slot(
                        &clinic, &calendar, s.date, None, None, minutes, &occupied,
                    ),
                    Err(e) => Err(e),
                };
                match slot {
                    Ok(slot) => induction.push(slot),
                    // A full day is never overbooked: that session stays planned, not booked, and
                    // the chart offers it to book on another day.
                    Err(AppError::Conflict {
                        code: ErrorCode::SlotFull | ErrorCode::ChairTaken,
                        ..
                    }) => {}
                    Err(e) => return Err(e),
                }
            }
            let new = NewCourse {
                clinic_id: actor.clinic_id,
                patient_id: patient,
                protocol_id: protocol.id.clone(),
                protocol_version: protocol.version,
                protocol_text: text.to_owned(),
                start_date,
                screening_id: Some(screening.id),
                screening_override: override_reason
                    .clone()
                    .filter(|_| screening.decision == Eligibility::NeedsReview),
                created_by: actor.user_id,
                created_at: self.now(),
            };
            let event = actor
                .event(self, AuditAction::Create, ObjectType::Course)
                .with_patient(patient);
            match self
                .store
                .create_course(new, induction, clinic.chairs, event)
                .await
                .map_err(AppError::from)
            {
                Err(AppError::Conflict {
                    code: ErrorCode::ChairTaken | ErrorCode::SlotFull,
                    ..
                }) if attempt < START_ATTEMPTS => continue,
                other => return other,
            }
        }
    }

    /// The screening a course may start on, or why there is none.
    async fn screening_gate(
        &self,
        actor: &Actor,
        patient: PatientId,
        protocol: &Protocol,
        start_date: Date,
        override_reason: Option<&str>,
    ) -> Result<Screening, AppError> {
        let event = actor
            .event(self, AuditAction::Read, ObjectType::ScreeningList)
            .with_patient(patient);
        let screenings = self
            .store
            .list_screenings(actor.clinic_id, patient, event)
            .await?;
        let route = protocol.route;
        let Some(latest) = screenings.into_iter().find(|s| s.route == route) else {
            return Err(AppError::Conflict {
                code: ErrorCode::ScreeningRequired,
                message: format!(
                    "there is no {} screening for this patient: screen them for this route first",
                    route.label()
                ),
            });
        };
        let screened_on = self.clinic_date(actor, latest.created_at).await?;
        if let Some(days) = protocol.screening.as_ref().and_then(|s| s.valid_days) {
            let age = (start_date - screened_on).get_days();
            if age > i32::from(days) {
                return Err(AppError::Conflict {
                    code: ErrorCode::ScreeningOutOfDate,
                    message: format!(
                        "the latest {} screening ({screened_on}) is {age} days before the start; \
                         the protocol accepts at most {days}: screen the patient again",
                        route.label()
                    ),
                });
            }
        }
        // An override is a clinician's review of relative (or programme) reasons: it means
        // nothing for an eligible screening, and an absolute reason refuses whatever is given.
        match latest.decision {
            Eligibility::Eligible if override_reason.is_some() => Err(AppError::Conflict {
                code: ErrorCode::ScreeningOverrideNotNeeded,
                message: "the latest screening is eligible, so there is nothing to override:                           leave screening_override out (it is recorded only for a screening                           that needs review)"
                    .into(),
            }),
            Eligibility::Eligible => Ok(latest),
            Eligibility::NeedsReview if override_reason.is_some() => Ok(latest),
            Eligibility::NeedsReview => Err(AppError::Conflict {
                code: ErrorCode::ScreeningNeedsReview,
                message: format!(
                    "the latest screening needs a clinician's review ({}): start the course with \
                     a screening_override reason that records the review",
                    reasons(&latest)
                ),
            }),
            Eligibility::NotEligible => Err(AppError::Conflict {
                code: ErrorCode::ScreeningNotEligible,
                message: format!(
                    "the latest screening found an absolute reason not to treat by this route \
                     ({}): a course cannot start on it{}",
                    reasons(&latest),
                    if override_reason.is_some() {
                        ", and no override applies to an absolute reason"
                    } else {
                        ""
                    }
                ),
            }),
        }
    }

    /// A patient's courses.
    pub async fn list_courses(
        &self,
        actor: &Actor,
        patient: PatientId,
    ) -> Result<Vec<Course>, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let event = actor
            .event(self, AuditAction::Read, ObjectType::CourseList)
            .with_patient(patient);
        Ok(self
            .store
            .list_courses(actor.clinic_id, patient, event)
            .await?)
    }

    /// The protocol frozen with a course, with its sources: what a suggestion's rules refer to
    /// (clinical roles). Reads no patient data.
    pub async fn course_protocol(&self, actor: &Actor, id: CourseId) -> Result<Protocol, AppError> {
        require(actor.role, Permission::ReadClinical)?;
        let text = self.store.course_protocol_text(actor.clinic_id, id).await?;
        Protocol::from_toml(&text).map_err(|e| AppError::Internal(format!("frozen protocol: {e}")))
    }

    /// A course with its plan, suggestion and forecasts, as of today in the clinic: all from
    /// one snapshot, so they agree.
    pub async fn get_course(&self, actor: &Actor, id: CourseId) -> Result<CourseView, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let read = self.read_course(actor, id).await?;
        let prices = match self.store.get_price_list(actor.clinic_id).await? {
            Some(text) => PriceList::from_toml(&text).ok(),
            None => None,
        };
        self.course_view(actor, read, prices.as_ref())
    }

    /// The view of a course read for a role.
    pub(crate) fn course_view(
        &self,
        actor: &Actor,
        read: CourseRead,
        prices: Option<&PriceList>,
    ) -> Result<CourseView, AppError> {
        let clinical = allows(actor.role, Permission::ReadClinical);
        let planned = read.plan()?;
        let suggestion = if clinical {
            Some(
                review(&read.protocol, &read.snapshot)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            )
        } else {
            None
        };
        let forecasts = if clinical {
            HORIZONS_WEEKS
                .iter()
                .map(|&weeks| {
                    forecast(
                        &read.protocol,
                        &read.calendar,
                        &read.snapshot,
                        weeks,
                        prices,
                    )
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| AppError::Internal(e.to_string()))?
        } else {
            Vec::new()
        };
        let CourseRead {
            bundle,
            protocol,
            snapshot,
            ..
        } = read;
        let mut sessions = bundle.sessions;
        for s in &mut sessions {
            // A session booked today shows `held` while something holds it.
            if s.scheduled_on == snapshot.today && s.status.is_booked() && snapshot.held_today {
                s.status = SessionStatus::Held;
            }
        }
        if !clinical {
            sessions.iter_mut().for_each(redact_clinical);
        }
        Ok(CourseView {
            protocol_title: protocol.title.clone(),
            route: protocol.route,
            course: bundle.course,
            sessions,
            next_due: snapshot.next_due,
            next_booked: snapshot.next_booked,
            summary: clinical.then(|| snapshot.summary()),
            plan: clinical.then_some(planned),
            suggestion,
            forecasts,
            decisions: clinical.then_some(bundle.decisions),
            trajectory: clinical.then(|| {
                let config = protocol.outcome_config();
                let instrument = snapshot.scores.instrument;
                TrajectoryFacts {
                    instrument,
                    baseline: snapshot
                        .scores
                        .baseline
                        .as_ref()
                        .and_then(|b| b.score.total),
                    response_percent: config.response_percent,
                    remission_at_most: config.remission_at_most(instrument),
                }
            }),
            due_assessments: if clinical {
                snapshot.due_assessments
            } else {
                Vec::new()
            },
            rems_enrolment: if clinical { bundle.rems } else { None },
        })
    }
}

/// How often a course start plans its induction's slots again when a booking made at the same
/// moment took one.
const START_ATTEMPTS: u32 = 5;

/// A screening's reasons in words, for a refusal.
fn reasons(s: &Screening) -> String {
    s.result
        .reasons
        .iter()
        .map(|r| r.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
