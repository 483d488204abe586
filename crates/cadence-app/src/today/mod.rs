//! The day's work ([`App::today`]): sessions booked today, safety alerts and reviews due; and
//! the patient list at a glance ([`App::patient_overview`], in [`overview`]).
//!
//! Built from four store reads whatever the clinic's size: the clinic, the day's sessions, the
//! patient list (at most [`SEARCH_LIMIT`]; it names the patients) and the clinic's course
//! bundles, of which each listed patient's latest course is looked at (plus a patient read for a
//! session booked for someone beyond the list's limit). Each read is audited like any other,
//! one row each. The engine's suggestion for each course is computed once, exactly as
//! [`App::get_course`] does; front desk gets the schedule and "review due" without the
//! suggestion, scores or reasons.

mod overview;

pub use overview::{OVERVIEW_PAGE, OverviewPage, PatientOverview, PatientPhase};

use crate::authz::{Permission, allows, require};
use crate::patients::SEARCH_LIMIT;
use crate::{Actor, App, AppError};
use cadence_clinical::course::CoursePhase;
use cadence_clinical::suggestion::Suggestion;
use cadence_store::audit::AuditAction;
use cadence_store::ids::{CourseId, PatientId, TreatmentSessionId};
use cadence_store::records::{Patient, TreatmentSession, TreatmentSessionStatus};
use jiff::civil::Date;
use std::collections::HashMap;

/// Days a review may wait before it is overdue (and becomes a safety alert).
pub const REVIEW_GRACE_DAYS: i32 = 7;

/// A session booked today, with its patient.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledSession {
    /// The session (booking only, for front desk).
    pub session: TreatmentSession,
    /// The patient.
    pub patient: Patient,
}

/// What a safety alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertKind {
    /// A positive suicide-risk item or C-SSRS risk, not yet reviewed.
    SuicideRisk,
    /// A session held for a pre-dose blood pressure over the protocol's threshold.
    BloodPressureHold,
    /// Sedation had not resolved at discharge.
    Sedation,
    /// A review has waited more than [`REVIEW_GRACE_DAYS`].
    OverdueReview,
}

impl AlertKind {
    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::SuicideRisk => "suicide_risk",
            AlertKind::BloodPressureHold => "bp_hold",
            AlertKind::Sedation => "sedation",
            AlertKind::OverdueReview => "overdue_review",
        }
    }
}

/// A safety finding awaiting a clinician (clinical roles only).
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyAlert {
    /// What kind.
    pub kind: AlertKind,
    /// The patient.
    pub patient: Patient,
    /// The course.
    pub course_id: CourseId,
    /// The held session, for a blood-pressure hold.
    pub session_id: Option<TreatmentSessionId>,
    /// What was found, in plain words.
    pub message: String,
}

/// What kind of review is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    /// Induction is done: start maintenance, extend or stop.
    EndOfInduction,
    /// Induction is done but the end-of-induction score is still to be recorded.
    EndOfInductionScore,
    /// Maintenance: lengthen, shorten or a booster.
    Maintenance,
    /// A safety finding (front desk sees this without its content).
    ClinicianReview,
}

impl ReviewKind {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            ReviewKind::EndOfInduction => "End-of-induction review",
            ReviewKind::EndOfInductionScore => "End-of-induction score to record",
            ReviewKind::Maintenance => "Maintenance interval review",
            ReviewKind::ClinicianReview => "Clinician review before the next session",
        }
    }
}

/// A course waiting for a clinician's decision.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewDue {
    /// What kind.
    pub kind: ReviewKind,
    /// The patient.
    pub patient: Patient,
    /// The course.
    pub course_id: CourseId,
    /// Due since.
    pub since: Date,
    /// Waiting more than [`REVIEW_GRACE_DAYS`].
    pub overdue: bool,
    /// The engine's suggestion (clinical roles only).
    pub suggestion: Option<Suggestion>,
}

/// The day's work.
#[derive(Debug, Clone, PartialEq)]
pub struct TodayView {
    /// Today, in the clinic's time zone.
    pub date: Date,
    /// Sessions booked today, in booking order.
    pub sessions: Vec<ScheduledSession>,
    /// Safety alerts (empty for front desk).
    pub alerts: Vec<SafetyAlert>,
    /// Reviews due, overdue first.
    pub reviews_due: Vec<ReviewDue>,
    /// Whether the viewer sees clinical content.
    pub clinical: bool,
    /// More patients than were looked at ([`SEARCH_LIMIT`]): alerts may be incomplete.
    pub truncated: bool,
}

fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map_or(0, |span| span.get_days())
}

impl App {
    /// Today's sessions, safety alerts and reviews due in the actor's clinic.
    pub async fn today(&self, actor: &Actor) -> Result<TodayView, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let clinical = allows(actor.role, Permission::ReadClinical);
        let today = self.clinic_today(actor).await?;
        let mut booked = self.sessions_on(actor, today).await?;
        booked.sort_by_key(|s| s.id);
        let event = actor.event(self, AuditAction::Read, "patient_list");
        let patients = self
            .store
            .list_patients(actor.clinic_id, None, SEARCH_LIMIT, event)
            .await?;
        let truncated = patients.len() >= SEARCH_LIMIT as usize;
        let looks = self.look(actor, &patients, today).await?;

        let by_id: HashMap<PatientId, &Patient> = patients.iter().map(|p| (p.id, p)).collect();
        let mut sessions = Vec::with_capacity(booked.len());
        for session in booked {
            let patient = match by_id.get(&session.patient_id) {
                Some(p) => (*p).clone(),
                None => self.get_patient(actor, session.patient_id).await?,
            };
            sessions.push(ScheduledSession { session, patient });
        }

        let mut alerts = Vec::new();
        let mut reviews_due = Vec::new();
        for (patient, look) in patients.iter().zip(&looks) {
            let Some(look) = look else { continue };
            if look.state.phase == CoursePhase::Discontinued {
                continue;
            }
            let course_id = look.bundle.course.id;
            let alert = |kind, session_id, message| SafetyAlert {
                kind,
                patient: patient.clone(),
                course_id,
                session_id,
                message,
            };
            let mut held_for_safety = false;
            for s in &look.bundle.sessions {
                if s.status != TreatmentSessionStatus::Held
                    || s.scheduled_on > today
                    || look.decided_since(s.scheduled_on)
                {
                    continue;
                }
                held_for_safety = true;
                let bp = s
                    .pre_checks
                    .as_ref()
                    .map(|p| format!(" (pre-dose BP {}/{} mmHg)", p.bp_systolic, p.bp_diastolic))
                    .unwrap_or_default();
                alerts.push(alert(
                    AlertKind::BloodPressureHold,
                    Some(s.id),
                    format!(
                        "Session on {} is held{bp}: above the protocol's threshold. A clinician \
                         reviews before dosing.",
                        s.scheduled_on
                    ),
                ));
            }
            let Some(r) = &look.review else { continue };
            if r.suggestion == Suggestion::HoldForReview {
                held_for_safety = true;
                for reason in &r.reasons {
                    let kind = match reason.code {
                        "suicide_risk_flag" | "cssrs_risk" => AlertKind::SuicideRisk,
                        "bp_above_threshold" => AlertKind::BloodPressureHold,
                        _ => AlertKind::Sedation,
                    };
                    alerts.push(alert(kind, None, reason.message.clone()));
                }
            }
            let due = |kind, since: Date| {
                let overdue = days_between(since, today) > REVIEW_GRACE_DAYS;
                ReviewDue {
                    kind,
                    patient: patient.clone(),
                    course_id,
                    since,
                    overdue,
                    suggestion: clinical.then_some(r.suggestion),
                }
            };
            let s = &look.state;
            let review_due = match (s.phase, s.last_session) {
                _ if held_for_safety => Some(due(ReviewKind::ClinicianReview, today)),
                (CoursePhase::Induction, Some(last))
                    if s.induction_complete() && !look.decided_since(last) =>
                {
                    match r.suggestion {
                        Suggestion::StartMaintenance
                        | Suggestion::ExtendInduction
                        | Suggestion::Discontinue => Some(due(ReviewKind::EndOfInduction, last)),
                        _ if r.reasons.iter().any(|x| x.code == "assessment_due") => {
                            Some(due(ReviewKind::EndOfInductionScore, last))
                        }
                        _ => None,
                    }
                }
                (CoursePhase::Maintenance, _)
                    if matches!(
                        r.suggestion,
                        Suggestion::LengthenInterval
                            | Suggestion::ShortenInterval
                            | Suggestion::Booster
                    ) =>
                {
                    let latest = look
                        .bundle
                        .assessments
                        .iter()
                        .map(|a| a.taken_on)
                        .filter(|d| *d <= today)
                        .max()
                        .unwrap_or(today);
                    Some(due(ReviewKind::Maintenance, latest))
                }
                _ => None,
            };
            let Some(review_due) = review_due else {
                continue;
            };
            // Safety holds are alerts for clinical roles already; front desk sees only that a
            // clinician review is due.
            if review_due.kind == ReviewKind::ClinicianReview && clinical {
                continue;
            }
            if review_due.overdue {
                alerts.push(alert(
                    AlertKind::OverdueReview,
                    None,
                    format!(
                        "{} due since {}, more than {REVIEW_GRACE_DAYS} days ago, with no \
                         decision recorded.",
                        review_due.kind.label(),
                        review_due.since
                    ),
                ));
            }
            reviews_due.push(review_due);
        }
        if !clinical {
            alerts.clear();
        }
        alerts.sort_by_key(|a| a.kind);
        reviews_due.sort_by_key(|r| (!r.overdue, r.since));
        Ok(TodayView {
            date: today,
            sessions,
            alerts,
            reviews_due,
            clinical,
            truncated,
        })
    }
}
