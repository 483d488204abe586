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

use overview::CourseLook;

use crate::authz::{Permission, allows, require};
use crate::patients::SEARCH_LIMIT;
use crate::safety::holds_for;
use crate::{Actor, App, AppError};
use cadence_clinical::collection::DueAssessment;
use cadence_clinical::course::CoursePhase;
use cadence_clinical::safety::FindingKind;
use cadence_clinical::suggestion::Suggestion;
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::{CourseId, FindingId, PatientId, TreatmentSessionId};
use cadence_store::records::{Patient, SessionStatus, TreatmentSession};
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

/// What a safety alert is about, grouped for the day's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertKind {
    /// A suicide-risk item, C-SSRS level or MADRS item 10 not yet released.
    SuicideRisk,
    /// An in-session alert (SpO2, blood-pressure crisis, deep sedation, respiratory rate).
    InSession,
    /// A pre-dose blood pressure over the protocol's threshold.
    BloodPressureHold,
    /// A new screening during a course found reasons to review.
    Screening,
    /// A review has waited more than [`REVIEW_GRACE_DAYS`].
    OverdueReview,
}

impl AlertKind {
    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::SuicideRisk => "suicide_risk",
            AlertKind::InSession => "in_session",
            AlertKind::BloodPressureHold => "bp_hold",
            AlertKind::Screening => "screening",
            AlertKind::OverdueReview => "overdue_review",
        }
    }

    /// The group a finding falls in.
    pub fn of(kind: FindingKind) -> AlertKind {
        match kind {
            FindingKind::SuicideRiskItem
            | FindingKind::CssrsRisk
            | FindingKind::MadrsSuicidalThoughts
            | FindingKind::SuicideScreenMissing => AlertKind::SuicideRisk,
            FindingKind::LowOxygenSaturation
            | FindingKind::BloodPressureCrisis
            | FindingKind::DeepSedation
            | FindingKind::RespiratoryRate => AlertKind::InSession,
            FindingKind::PreDoseBloodPressure => AlertKind::BloodPressureHold,
            FindingKind::ScreeningNotEligible
            | FindingKind::ScreeningNeedsReview
            | FindingKind::RemsEnrolmentMissing => AlertKind::Screening,
        }
    }
}

/// A safety finding awaiting a clinician (clinical roles only): one per open finding.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyAlert {
    /// What kind.
    pub kind: AlertKind,
    /// The patient.
    pub patient: Patient,
    /// The course, when the finding arose in one.
    pub course_id: Option<CourseId>,
    /// The session it arose in, when it did.
    pub session_id: Option<TreatmentSessionId>,
    /// The finding, to release.
    pub finding_id: Option<FindingId>,
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

/// A patient's assessments due today or overdue, from their course's protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentsDue {
    /// The patient.
    pub patient: Patient,
    /// The course.
    pub course_id: CourseId,
    /// What is due, soonest first.
    pub items: Vec<DueAssessment>,
}

impl AssessmentsDue {
    /// Whether any item's day has passed.
    pub fn overdue(&self) -> bool {
        self.items.iter().any(|i| i.overdue)
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
    /// Assessments the protocols say to collect today or overdue, overdue first (issue 13 §8);
    /// empty for front desk.
    pub assessments_due: Vec<AssessmentsDue>,
    /// Whether the viewer sees clinical content.
    pub clinical: bool,
    /// More patients than were looked at ([`SEARCH_LIMIT`]): alerts may be incomplete.
    pub truncated: bool,
    /// Booked sessions that no longer fit the plan or the calendar (issue 16 §1), for front
    /// desk to move on `/schedule`.
    pub to_move: usize,
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
        booked.sort_by_key(|s| (s.starts_at, s.chair, s.id));
        let event = actor.event(self, AuditAction::Read, ObjectType::PatientList);
        let patients = self
            .store
            .list_patients(actor.clinic_id, None, SEARCH_LIMIT, event)
            .await?;
        let truncated = patients.len() >= SEARCH_LIMIT as usize;
        let looks = self.look(actor, &patients, today).await?;

        let mut by_id: HashMap<PatientId, Patient> =
            patients.iter().map(|p| (p.id, p.clone())).collect();
        let look_of: HashMap<PatientId, &CourseLook> = patients
            .iter()
            .zip(&looks)
            .filter_map(|(p, l)| l.as_ref().map(|l| (p.id, l)))
            .collect();
        let mut sessions = Vec::with_capacity(booked.len());
        for mut session in booked {
            let patient = match by_id.get(&session.patient_id) {
                Some(p) => p.clone(),
                None => {
                    let p = self.get_patient(actor, session.patient_id).await?;
                    by_id.insert(p.id, p.clone());
                    p
                }
            };
            // Held while the patient has an open finding or the session fails a gate.
            if let Some(look) = look_of.get(&session.patient_id) {
                let read = &look.read;
                let full = read
                    .bundle
                    .sessions
                    .iter()
                    .find(|s| s.id == session.id)
                    .unwrap_or(&session);
                if !holds_for(full, &read.protocol, &read.bundle).is_empty() {
                    session.status = SessionStatus::Held;
                }
            }
            sessions.push(ScheduledSession { session, patient });
        }

        let mut alerts = Vec::new();
        if clinical {
            for f in self.open_findings(actor).await? {
                let patient = match by_id.get(&f.patient_id) {
                    Some(p) => p.clone(),
                    None => {
                        let p = self.get_patient(actor, f.patient_id).await?;
                        by_id.insert(p.id, p.clone());
                        p
                    }
                };
                alerts.push(SafetyAlert {
                    kind: AlertKind::of(f.kind),
                    patient,
                    course_id: f.course_id,
                    session_id: f.treatment_session_id,
                    finding_id: Some(f.id),
                    message: format!("{}: {}", f.kind.label(), f.detail),
                });
            }
        }
        let mut reviews_due = Vec::new();
        let mut assessments_due = Vec::new();
        for (patient, look) in patients.iter().zip(&looks) {
            let Some(look) = look else { continue };
            let snap = &look.read.snapshot;
            let items: Vec<DueAssessment> = snap
                .due_assessments
                .iter()
                .filter(|d| d.due_on <= today)
                .copied()
                .collect();
            if !items.is_empty() {
                assessments_due.push(AssessmentsDue {
                    patient: patient.clone(),
                    course_id: look.read.bundle.course.id,
                    items,
                });
            }
            if snap.phase == CoursePhase::Discontinued {
                continue;
            }
            let course_id = look.read.bundle.course.id;
            let held_for_safety = !snap.open_findings.is_empty();
            let Some(r) = &look.review else { continue };
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
            let review_due = match (snap.phase, snap.last_session) {
                _ if held_for_safety => Some(due(ReviewKind::ClinicianReview, today)),
                (CoursePhase::Induction, Some(last))
                    if snap.induction.complete() && !look.decided_since(last) =>
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
                    let latest = snap.scores.follow_ups.last().map_or(today, |a| a.date);
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
            if review_due.overdue && clinical {
                alerts.push(SafetyAlert {
                    kind: AlertKind::OverdueReview,
                    patient: patient.clone(),
                    course_id: Some(course_id),
                    session_id: None,
                    finding_id: None,
                    message: format!(
                        "{} due since {}, more than {REVIEW_GRACE_DAYS} days ago, with no \
                         decision recorded.",
                        review_due.kind.label(),
                        review_due.since
                    ),
                });
            }
            reviews_due.push(review_due);
        }
        if !clinical {
            alerts.clear();
            assessments_due.clear();
        }
        alerts.sort_by_key(|a| a.kind);
        reviews_due.sort_by_key(|r| (!r.overdue, r.since));
        assessments_due.sort_by_key(|a| !a.overdue());
        let hours = self.store.get_clinic(actor.clinic_id).await?.opening_hours;
        let to_move = looks
            .iter()
            .flatten()
            .map(|l| crate::schedule::course_to_move(&l.read, &hours).len())
            .sum();
        Ok(TodayView {
            to_move,
            date: today,
            sessions,
            alerts,
            reviews_due,
            assessments_due,
            clinical,
            truncated,
        })
    }
}
