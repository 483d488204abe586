//! The day's work ([`App::today`]): sessions booked today, safety alerts and reviews due; and
//! the patient list at a glance ([`App::patient_overview`], in [`overview`]).
//!
//! Built from one audited store read whatever the clinic's size (issue 18): the day's
//! sessions, the open findings and the courses the read model marks as possibly needing a look
//! today (a session, a review or an assessment due, or a write since the summary was computed),
//! with their patients; one audit row per view. The engine's suggestion for each course is
//! computed once, exactly as [`App::get_course`] does; front desk gets the schedule and
//! "review due" without the suggestion, scores or reasons.

mod overview;

pub use overview::{
    OVERVIEW_PAGE, OverviewPage, PatientOverview, PatientPhase, REFRESH_BATCH, REFRESH_REQUEST_ID,
};

use overview::CourseLook;
pub(crate) use overview::LookedCourse;

use crate::authz::{Permission, allows, require};
use crate::courses::{calendar_of, redact_clinical};
use crate::safety::holds_for;
use crate::{Actor, App, AppError};
use cadence_clinical::collection::DueAssessment;
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
    /// The clinic's booked sessions that no longer fit the plan or the calendar (issue 16 §1);
    /// `/schedule` lists them.
    pub to_move: usize,
}

fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map_or(0, |span| span.get_days())
}

impl App {
    /// Today's sessions, safety alerts and reviews due in the actor's clinic.
    ///
    /// One store read whatever the clinic's size ([`Store::today_records`]): the day's
    /// bookings, the open findings and the courses the read model says may need a look today,
    /// audited by one row. Each of those courses is replayed once, as [`App::get_course`]
    /// does, and its summary written back when it changed.
    ///
    /// [`Store::today_records`]: cadence_store::Store::today_records
    pub async fn today(&self, actor: &Actor) -> Result<TodayView, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let clinical = allows(actor.role, Permission::ReadClinical);
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let today = self
            .now()
            .to_zoned(clinic.time_zone.time_zone().clone())
            .date();
        let calendar = calendar_of(&clinic)?;
        let event = actor.event(self, AuditAction::Read, ObjectType::CourseList);
        let records = self
            .store
            .today_records(actor.clinic_id, today, event)
            .await?;
        let by_id: HashMap<PatientId, Patient> =
            records.patients.into_iter().map(|p| (p.id, p)).collect();
        let patient = |id: PatientId| {
            by_id
                .get(&id)
                .cloned()
                .ok_or_else(|| AppError::Internal(format!("patient {id} of today's work")))
        };
        let looks = records
            .courses
            .into_iter()
            .map(|c| LookedCourse::of(c, &calendar, today))
            .collect::<Result<Vec<_>, _>>()?;
        self.write_back(actor, &looks, today, &clinic.opening_hours)
            .await;
        let look_of: HashMap<CourseId, &CourseLook> = looks
            .iter()
            .map(|l| (l.look.read.bundle.course.id, &l.look))
            .collect();

        let mut sessions = Vec::with_capacity(records.sessions.len());
        for mut session in records.sessions {
            // Held while the patient has an open finding or the session fails a gate.
            if let Some(look) = look_of.get(&session.course_id) {
                let read = &look.read;
                if !holds_for(&session, &read.protocol, &read.bundle).is_empty() {
                    session.status = SessionStatus::Held;
                }
            }
            if !clinical {
                redact_clinical(&mut session);
            }
            let patient = patient(session.patient_id)?;
            sessions.push(ScheduledSession { session, patient });
        }

        let mut alerts = Vec::new();
        if clinical {
            for f in records.open_findings {
                alerts.push(SafetyAlert {
                    kind: AlertKind::of(f.kind),
                    patient: patient(f.patient_id)?,
                    course_id: f.course_id,
                    session_id: f.treatment_session_id,
                    finding_id: Some(f.id),
                    message: format!("{}: {}", f.kind.label(), f.detail),
                });
            }
        }
        let mut reviews_due = Vec::new();
        let mut assessments_due = Vec::new();
        let mut latest: Vec<&CourseLook> =
            looks.iter().filter(|l| l.latest).map(|l| &l.look).collect();
        // In the patient list's order, as before the read model.
        latest.sort_by_key(|l| {
            by_id.get(&l.read.bundle.course.patient_id).map(|p| {
                (
                    p.details.family_name.clone(),
                    p.details.given_name.clone(),
                    p.id,
                )
            })
        });
        for look in latest {
            let patient = patient(look.read.bundle.course.patient_id)?;
            let snap = &look.read.snapshot;
            let course_id = look.read.bundle.course.id;
            let items: Vec<DueAssessment> = snap
                .due_assessments
                .iter()
                .filter(|d| d.due_on <= today)
                .copied()
                .collect();
            if !items.is_empty() {
                assessments_due.push(AssessmentsDue {
                    patient: patient.clone(),
                    course_id,
                    items,
                });
            }
            let Some((kind, since)) = look.review_due(today) else {
                continue;
            };
            let overdue = days_between(since, today) > REVIEW_GRACE_DAYS;
            // Safety holds are alerts for clinical roles already; front desk sees only that a
            // clinician review is due.
            if kind == ReviewKind::ClinicianReview && clinical {
                continue;
            }
            if overdue && clinical {
                alerts.push(SafetyAlert {
                    kind: AlertKind::OverdueReview,
                    patient: patient.clone(),
                    course_id: Some(course_id),
                    session_id: None,
                    finding_id: None,
                    message: format!(
                        "{} due since {since}, more than {REVIEW_GRACE_DAYS} days ago, with no \
                         decision recorded.",
                        kind.label(),
                    ),
                });
            }
            reviews_due.push(ReviewDue {
                kind,
                patient,
                course_id,
                since,
                overdue,
                suggestion: if clinical {
                    look.review.as_ref().map(|r| r.suggestion)
                } else {
                    None
                },
            });
        }
        if !clinical {
            alerts.clear();
            assessments_due.clear();
        }
        alerts.sort_by_key(|a| a.kind);
        reviews_due.sort_by_key(|r| (!r.overdue, r.since));
        assessments_due.sort_by_key(|a| !a.overdue());
        sessions.sort_by_key(|s| (s.session.starts_at, s.session.chair, s.session.id));
        // The read brought every course counting a booking to move: this is the clinic's count.
        let to_move = looks
            .iter()
            .map(|l| l.to_move(&clinic.opening_hours).len())
            .sum();
        Ok(TodayView {
            to_move,
            date: today,
            sessions,
            alerts,
            reviews_due,
            assessments_due,
            clinical,
        })
    }
}
