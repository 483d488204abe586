//! Courses: started from a protocol, planned by the clinical engine, reviewed and forecast on
//! every read from what was recorded (sessions, assessments, decisions).

use crate::authz::{Permission, allows, require};
use crate::{Actor, App, AppError};
use cadence_clinical::calendar::{ClinicCalendar, OpenDays};
use cadence_clinical::collection::{CollectionInputs, DueAssessment, due_assessments};
use cadence_clinical::course::{CoursePhase, course_state};
use cadence_clinical::forecast::{Forecast, forecast};
use cadence_clinical::history::{
    AssessmentRecord, BloodPressure, CourseHistory, DecisionRecord, FindingRecord, SessionRecord,
    SessionStatus,
};
use cadence_clinical::planner::{Phase, Plan, plan};
use cadence_clinical::price::PriceList;
use cadence_clinical::protocol::{self, Protocol};
use cadence_clinical::screening::Eligibility;
use cadence_clinical::suggestion::{Review, review};
use cadence_store::audit::AuditAction;
use cadence_store::ids::{CourseId, PatientId};
use cadence_store::records::{
    Clinic, Course, CourseBundle, DecisionRecord as StoredDecision, NewCourse, Screening,
    TreatmentSession, TreatmentSessionStatus,
};
use jiff::civil::Date;
use serde::Serialize;

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
    /// Booked treatment sessions.
    pub sessions: Vec<TreatmentSession>,
    /// The dated plan from today.
    pub plan: Plan,
    /// The engine's suggestion (clinical roles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Review>,
    /// Forecasts over 26 and 52 weeks.
    pub forecasts: Vec<Forecast>,
    /// Recorded decisions (clinical roles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<Vec<StoredDecision>>,
    /// What the protocol says to collect that is not yet collected (issue 13 §8); empty for
    /// front desk.
    pub due_assessments: Vec<DueAssessment>,
}

/// The assessments a course's protocol says are due today or coming, from its bundle
/// ([`cadence_clinical::collection`] has the rules).
pub(crate) fn assessments_due(
    protocol: &Protocol,
    calendar: &ClinicCalendar,
    bundle: &CourseBundle,
    stopped: bool,
    today: Date,
) -> Result<Vec<DueAssessment>, AppError> {
    let first_dose = bundle
        .sessions
        .iter()
        .filter(|s| s.status == TreatmentSessionStatus::Completed)
        .map(|s| s.scheduled_on)
        .min();
    let next_session = bundle
        .sessions
        .iter()
        .filter(|s| {
            s.scheduled_on >= today
                && matches!(
                    s.status,
                    TreatmentSessionStatus::Scheduled
                        | TreatmentSessionStatus::InProgress
                        | TreatmentSessionStatus::Held
                )
        })
        .map(|s| s.scheduled_on)
        .min();
    let taken: Vec<_> = bundle
        .assessments
        .iter()
        .map(|a| (a.instrument, a.taken_on))
        .collect();
    due_assessments(&CollectionInputs {
        protocol,
        calendar,
        first_dose,
        next_session,
        stopped,
        taken: &taken,
        today,
    })
    .map_err(|e| AppError::Internal(format!("assessments due: {e}")))
}

/// The clinic's calendar as the planner needs it.
pub fn calendar_of(clinic: &Clinic) -> Result<ClinicCalendar, AppError> {
    let open: OpenDays = clinic
        .open_days
        .parse()
        .map_err(|e| AppError::Internal(format!("clinic open days: {e}")))?;
    ClinicCalendar::new(&clinic.time_zone, open, clinic.closed_dates.iter().copied())
        .map_err(|e| AppError::Internal(format!("clinic calendar: {e}")))
}

/// The engine's view of a stored course.
///
/// Only what has happened by `today` is history: a booking cancelled ahead of its date frees
/// the slot and is left out (the planner books the course's sessions anew).
pub fn history_of(bundle: &CourseBundle, today: Date) -> CourseHistory {
    let sessions = bundle
        .sessions
        .iter()
        .filter(|s| s.scheduled_on <= today)
        .filter_map(|s| {
            let status = match s.status {
                TreatmentSessionStatus::Completed => SessionStatus::Completed,
                TreatmentSessionStatus::Cancelled => SessionStatus::Cancelled,
                TreatmentSessionStatus::NoShow => SessionStatus::NoShow,
                _ => return None,
            };
            Some(SessionRecord {
                date: s.scheduled_on,
                status,
                bp_pre: s.pre_checks.as_ref().map(|p| BloodPressure {
                    systolic: p.bp_systolic,
                    diastolic: p.bp_diastolic,
                }),
                moaas_discharge: s.discharge.as_ref().map(|d| d.moaas),
            })
        })
        .collect();
    CourseHistory {
        start_date: Some(bundle.course.start_date),
        sessions,
        assessments: bundle
            .assessments
            .iter()
            .map(|a| AssessmentRecord {
                date: a.taken_on,
                instrument: a.instrument,
                answers: a.answers.clone(),
            })
            .collect(),
        decisions: bundle
            .decisions
            .iter()
            .map(|d| DecisionRecord {
                date: d.decided_on,
                decision: d.decision,
            })
            .collect(),
        // The stored findings, released by a clinician's recorded release (never by a date).
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

/// A built-in protocol's text and parsed form, or `unknown_protocol`.
fn builtin_protocol(protocol_id: &str) -> Result<(&'static str, Protocol), AppError> {
    let text = protocol::builtin_text(protocol_id).ok_or_else(|| {
        AppError::invalid(
            "unknown_protocol",
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
                "start_in_past",
                format!("start_date {start_date} is before today ({today})"),
            ));
        }
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let planned = plan(
            &protocol,
            &calendar_of(&clinic)?,
            &CourseHistory::default(),
            start_date,
            start_date,
            HORIZONS_WEEKS[0],
        )
        .map_err(|e| AppError::invalid("unplannable", e))?;
        Ok((protocol, planned))
    }

    /// Starts a course on a built-in protocol and books its induction sessions as planned.
    ///
    /// Gated on screening (issue 13 §4): the patient's latest screening for the protocol's
    /// route, taken at most the protocol's `screening.valid_days` before the start, must be
    /// `eligible`; one that `needs_review` (relative or programme reasons only) starts the
    /// course only with the clinician's `screening_override` reason; `not_eligible` (an
    /// absolute reason) never does.
    pub async fn create_course(
        &self,
        actor: &Actor,
        patient: PatientId,
        protocol_id: &str,
        start_date: Date,
        screening_override: Option<&str>,
    ) -> Result<Course, AppError> {
        require(actor.role, Permission::CreateCourse)?;
        let (text, protocol) = builtin_protocol(protocol_id)?;
        let override_reason =
            crate::validate::note("screening_override", screening_override, 2000)?;
        let today = self.clinic_today(actor).await?;
        if start_date < today {
            return Err(AppError::invalid(
                "start_in_past",
                format!("start_date {start_date} is before today ({today})"),
            ));
        }
        let horizon = today
            .checked_add(jiff::Span::new().days(crate::treatment_sessions::BOOKING_HORIZON_DAYS))
            .map_err(|_| AppError::invalid("out_of_range", "start_date is out of range"))?;
        if start_date > horizon {
            return Err(AppError::invalid(
                "out_of_range",
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
        let planned = plan(
            &protocol,
            &calendar_of(&clinic)?,
            &CourseHistory::default(),
            start_date,
            start_date,
            HORIZONS_WEEKS[0],
        )
        .map_err(|e| AppError::invalid("unplannable", e))?;
        let induction: Vec<Date> = planned
            .sessions
            .iter()
            .filter(|s| s.phase == Phase::Induction)
            .map(|s| s.date)
            .collect();
        let new = NewCourse {
            clinic_id: actor.clinic_id,
            patient_id: patient,
            protocol_id: protocol.id.clone(),
            protocol_version: protocol.version,
            protocol_text: text.to_owned(),
            start_date,
            screening_id: Some(screening.id),
            screening_override: override_reason
                .filter(|_| screening.decision == Eligibility::NeedsReview),
            created_by: actor.user_id,
            created_at: self.now(),
        };
        let event = actor
            .event(self, AuditAction::Create, "course")
            .with_patient(patient);
        Ok(self.store.create_course(new, induction, event).await?)
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
            .event(self, AuditAction::Read, "screening_list")
            .with_patient(patient);
        let screenings = self
            .store
            .list_screenings(actor.clinic_id, patient, event)
            .await?;
        let route = protocol.route;
        let Some(latest) = screenings.into_iter().find(|s| s.route == route) else {
            return Err(AppError::Conflict {
                code: "screening_required",
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
                    code: "screening_out_of_date",
                    message: format!(
                        "the latest {} screening ({screened_on}) is {age} days before the start; \
                         the protocol accepts at most {days}: screen the patient again",
                        route.label()
                    ),
                });
            }
        }
        match latest.decision {
            Eligibility::Eligible => Ok(latest),
            Eligibility::NeedsReview if override_reason.is_some() => Ok(latest),
            Eligibility::NeedsReview => Err(AppError::Conflict {
                code: "screening_needs_review",
                message: format!(
                    "the latest screening needs a clinician's review ({}): start the course with \
                     a screening_override reason that records the review",
                    reasons(&latest)
                ),
            }),
            Eligibility::NotEligible => Err(AppError::Conflict {
                code: "screening_not_eligible",
                message: format!(
                    "the latest screening found an absolute reason not to treat by this route \
                     ({}): a course cannot start on it",
                    reasons(&latest)
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
            .event(self, AuditAction::Read, "course_list")
            .with_patient(patient);
        Ok(self
            .store
            .list_courses(actor.clinic_id, patient, event)
            .await?)
    }

    /// A course with its plan, suggestion and forecasts, as of today in the clinic.
    pub async fn get_course(&self, actor: &Actor, id: CourseId) -> Result<CourseView, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let event = actor
            .event(self, AuditAction::Read, "course")
            .with_object_id(id);
        let bundle = self
            .store
            .get_course_bundle(actor.clinic_id, id, event)
            .await?;
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let today = self.clinic_today(actor).await?;
        let protocol = Protocol::from_toml(&bundle.course.protocol_text)
            .map_err(|e| AppError::Internal(format!("frozen protocol: {e}")))?;
        let history = history_of(&bundle, today);
        let plan_from = today.max(bundle.course.start_date);
        let calendar = calendar_of(&clinic)?;
        let stopped = course_state(&protocol, &history, today).phase == CoursePhase::Discontinued;
        let due = assessments_due(&protocol, &calendar, &bundle, stopped, today)?;
        let planned = plan(
            &protocol,
            &calendar,
            &history,
            bundle.course.start_date,
            plan_from,
            HORIZONS_WEEKS[0],
        )
        .map_err(|e| AppError::invalid("unplannable", e))?;
        let clinical = allows(actor.role, Permission::ReadClinical);
        let scoring = protocol.scoring_config();
        let suggestion = if clinical {
            Some(
                review(&protocol, &history, today, &scoring)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            )
        } else {
            None
        };
        let prices = match self.store.get_price_list(actor.clinic_id).await? {
            Some(text) => PriceList::from_toml(&text).ok(),
            None => None,
        };
        let forecasts = HORIZONS_WEEKS
            .iter()
            .map(|&weeks| {
                forecast(
                    &protocol,
                    &history,
                    plan_from,
                    weeks,
                    prices.as_ref(),
                    &scoring,
                )
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let mut sessions = bundle.sessions;
        if !clinical {
            sessions
                .iter_mut()
                .for_each(crate::treatment_sessions::redact_clinical);
        }
        Ok(CourseView {
            protocol_title: protocol.title.clone(),
            course: bundle.course,
            sessions,
            plan: planned,
            suggestion,
            forecasts,
            decisions: clinical.then_some(bundle.decisions),
            due_assessments: if clinical { due } else { Vec::new() },
        })
    }
}

/// A screening's reasons in words, for a refusal.
fn reasons(s: &Screening) -> String {
    s.result
        .reasons
        .iter()
        .map(|r| r.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
