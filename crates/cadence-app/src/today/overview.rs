//! The patient list at a glance: each patient's phase and next session, from their latest
//! course ([`App::patient_overview`]), and the look at latest courses that `/today` shares.
//!
//! A page is one audited store read, paginated and searched in the database (issue 18); each
//! listed patient's latest course (the one a clinician acts on) is shown from the course read
//! model, replayed only when its stored summary does not hold today. The list shows
//! [`OVERVIEW_PAGE`] patients a page.

use super::ReviewKind;
use crate::authz::{Permission, require};
use crate::courses::{CourseRead, calendar_of};
use crate::{Actor, App, AppError};
use cadence_clinical::calendar::ClinicCalendar;
use cadence_clinical::course::CoursePhase;
use cadence_clinical::schedule::{MoveReason, OpeningHours};
use cadence_clinical::suggestion::{Review, Suggestion, review};
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::CourseId;
use cadence_store::ids::{ClinicId, TreatmentSessionId};
use cadence_store::records::{
    CourseSummaryRecord, NEVER, Patient, SummarisedBundle, SummaryUpdate,
};
use jiff::civil::Date;

/// Where a patient stands, from their latest course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatientPhase {
    /// No course yet (registered, screening).
    Screening,
    /// Induction (including the end-of-induction review).
    Induction,
    /// Maintenance.
    Maintenance,
    /// Paused by a clinician.
    Paused,
    /// Discontinued by a clinician.
    Discontinued,
}

impl PatientPhase {
    /// Every phase, in course order.
    pub const ALL: [PatientPhase; 5] = [
        PatientPhase::Screening,
        PatientPhase::Induction,
        PatientPhase::Maintenance,
        PatientPhase::Paused,
        PatientPhase::Discontinued,
    ];

    /// The stable id (the `phase` filter's value).
    pub fn as_str(self) -> &'static str {
        match self {
            PatientPhase::Screening => "screening",
            PatientPhase::Induction => "induction",
            PatientPhase::Maintenance => "maintenance",
            PatientPhase::Paused => "paused",
            PatientPhase::Discontinued => "discontinued",
        }
    }

    /// The phase with this id.
    pub fn parse(id: &str) -> Option<PatientPhase> {
        PatientPhase::ALL.into_iter().find(|p| p.as_str() == id)
    }

    fn of(phase: CoursePhase) -> PatientPhase {
        match phase {
            CoursePhase::Induction => PatientPhase::Induction,
            CoursePhase::Maintenance => PatientPhase::Maintenance,
            CoursePhase::Paused => PatientPhase::Paused,
            CoursePhase::Discontinued => PatientPhase::Discontinued,
        }
    }
}

/// One patient in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientOverview {
    /// The patient.
    pub patient: Patient,
    /// Their phase (clinical roles only: front desk sees bookings, not plans, so a
    /// discontinuation is not revealed, issue 15 §10).
    pub phase: Option<PatientPhase>,
    /// Their latest course.
    pub course_id: Option<CourseId>,
    /// The next session, today or later: the first booked one, else (clinical roles) the
    /// plan's.
    pub next_session: Option<Date>,
}

/// Stale courses read at once by [`App::refresh_stale_summaries`].
pub const REFRESH_BATCH: u32 = 200;
/// The request id of the background refresh's audit rows.
pub const REFRESH_REQUEST_ID: &str = "read-model-refresh";

/// Patients the list looks at per page.
pub const OVERVIEW_PAGE: usize = 50;

/// A page of the patient list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverviewPage {
    /// The patients of this page in the phase asked for, by family name.
    pub rows: Vec<PatientOverview>,
    /// Where this page started among the matches.
    pub from: usize,
    /// Where the next page starts, when there are more matches.
    pub next_from: Option<usize>,
    /// Patients matching the search.
    pub matches: usize,
    /// Always false since the list is paginated in the database (issue 18); kept for the page.
    pub at_limit: bool,
}

/// A patient's latest course as the engine sees it today.
pub(crate) struct CourseLook {
    pub(crate) read: CourseRead,
    pub(crate) review: Option<Review>,
}

/// A course looked at for a clinic-wide page, with its stored summary.
pub(crate) struct LookedCourse {
    pub(crate) look: CourseLook,
    pub(crate) summary: CourseSummaryRecord,
    pub(crate) latest: bool,
}

impl LookedCourse {
    /// A course read for a clinic-wide page, replayed once for `today`.
    pub(crate) fn of(
        course: SummarisedBundle,
        calendar: &ClinicCalendar,
        today: Date,
    ) -> Result<LookedCourse, AppError> {
        let read = CourseRead::of(course.bundle, calendar.clone(), today)?;
        // A course whose outcome cannot be computed is shown without a suggestion rather than
        // failing the whole list; its own page reports the problem.
        let review = review(&read.protocol, &read.snapshot).ok();
        Ok(LookedCourse {
            look: CourseLook { read, review },
            summary: course.summary,
            latest: course.latest,
        })
    }

    /// Its bookings from today that must move, with the reason.
    pub(crate) fn to_move(&self, hours: &OpeningHours) -> Vec<(TreatmentSessionId, MoveReason)> {
        crate::schedule::course_to_move(&self.look.read, hours)
    }
}

impl CourseLook {
    pub(super) fn decided_since(&self, date: Date) -> bool {
        self.read.snapshot.last_decision.is_some_and(|d| d >= date)
    }

    /// The review this course waits for today, and since when: a safety hold (a clinician
    /// review), the end-of-induction review (or its score), or a maintenance interval review.
    pub(super) fn review_due(&self, today: Date) -> Option<(ReviewKind, Date)> {
        let snap = &self.read.snapshot;
        if snap.phase == CoursePhase::Discontinued {
            return None;
        }
        let r = self.review.as_ref()?;
        if !snap.open_findings.is_empty() {
            return Some((ReviewKind::ClinicianReview, today));
        }
        match (snap.phase, snap.last_session) {
            (CoursePhase::Induction, Some(last))
                if snap.induction.complete() && !self.decided_since(last) =>
            {
                match r.suggestion {
                    Suggestion::StartMaintenance
                    | Suggestion::ExtendInduction
                    | Suggestion::Discontinue => Some((ReviewKind::EndOfInduction, last)),
                    _ if r.reasons.iter().any(|x| x.code == "assessment_due") => {
                        Some((ReviewKind::EndOfInductionScore, last))
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
                Some((ReviewKind::Maintenance, latest))
            }
            _ => None,
        }
    }

    /// The first day this course may need a look on `/today`: today when something shows now
    /// (a review, an assessment due, an open finding), else the first day a session or an
    /// assessment falls due; [`NEVER`] for a patient's older course or when nothing is due.
    /// Nothing else changes what `/today` shows without a write, and every write marks the
    /// summary stale.
    pub(super) fn attention_on(&self, latest: bool, today: Date) -> Date {
        if !latest {
            return NEVER;
        }
        let snap = &self.read.snapshot;
        let shows_now = !snap.open_findings.is_empty()
            || self.review_due(today).is_some()
            || snap.due_assessments.iter().any(|d| d.due_on <= today);
        if shows_now {
            return today;
        }
        snap.due_assessments
            .iter()
            .map(|d| d.due_on)
            .chain(snap.next_due)
            .min()
            .unwrap_or(NEVER)
    }

    /// The summary to store for this course as computed for `today`.
    fn update(
        &self,
        version: i64,
        latest: bool,
        today: Date,
        hours: &OpeningHours,
    ) -> SummaryUpdate {
        let to_move = crate::schedule::course_to_move(&self.read, hours).len();
        SummaryUpdate {
            course_id: self.read.bundle.course.id,
            version,
            phase: self.read.snapshot.phase,
            next_due: self.read.snapshot.next_due,
            attention_on: self.attention_on(latest, today),
            computed_on: today,
            to_move: u32::try_from(to_move).unwrap_or(u32::MAX),
        }
    }
}

/// Whether a stored summary already says what `update` would store.
fn unchanged(stored: &CourseSummaryRecord, update: &SummaryUpdate) -> bool {
    stored.phase == Some(update.phase)
        && stored.next_due == update.next_due
        && stored.attention_on == update.attention_on
        && stored.to_move == update.to_move
}

impl App {
    /// Stores the recomputed summaries that changed (derived data: a failure only means the
    /// next view recomputes them, so it is logged, not returned).
    pub(crate) async fn write_back(
        &self,
        actor: &Actor,
        looks: &[LookedCourse],
        today: Date,
        hours: &OpeningHours,
    ) {
        if let Err(e) = self
            .store_summaries(actor.clinic_id, looks, today, hours)
            .await
        {
            tracing::warn!(error = %e, "course summaries not stored; the next view recomputes them");
        }
    }

    /// Stores the recomputed summaries that changed; how many were stored (a summary a write
    /// changed in between is skipped).
    async fn store_summaries(
        &self,
        clinic: ClinicId,
        looks: &[LookedCourse],
        today: Date,
        hours: &OpeningHours,
    ) -> Result<u64, AppError> {
        let updates: Vec<SummaryUpdate> = looks
            .iter()
            .map(|l| {
                let update = l.look.update(l.summary.version, l.latest, today, hours);
                (l, update)
            })
            .filter(|(l, u)| !unchanged(&l.summary, u))
            .map(|(_, u)| u)
            .collect();
        if updates.is_empty() {
            return Ok(0);
        }
        Ok(self.store.put_course_summaries(clinic, updates).await?)
    }

    /// Recomputes every stale course summary of every clinic, [`REFRESH_BATCH`] courses a read,
    /// so that the first page view after an upgrade (which marks every summary stale) or after
    /// a quiet spell does not replay the whole clinic inside one request. `cadence serve` runs
    /// it in the background at start-up; pages stay correct without it (they recompute what
    /// they read). Each read is audited as the system's (`course_list`, request id
    /// `read-model-refresh`). Returns how many summaries were stored.
    pub async fn refresh_stale_summaries(&self) -> Result<u64, AppError> {
        let mut stored = 0;
        for clinic_id in self.store.clinics_with_stale_summaries().await? {
            let clinic = self.store.get_clinic(clinic_id).await?;
            let calendar = calendar_of(&clinic)?;
            loop {
                let today = self
                    .now()
                    .to_zoned(clinic.time_zone.time_zone().clone())
                    .date();
                let mut event = self.operator_event(AuditAction::Read, ObjectType::CourseList);
                event.clinic_id = Some(clinic_id);
                event.request_id = REFRESH_REQUEST_ID.to_owned();
                let batch = self
                    .store
                    .stale_courses(clinic_id, REFRESH_BATCH, event)
                    .await?;
                if batch.is_empty() {
                    break;
                }
                let last = batch.len() < usize::try_from(REFRESH_BATCH).unwrap_or(usize::MAX);
                // A course the engine cannot replay stays stale (its own page reports the
                // problem); the rest of the batch is still stored.
                let looks: Vec<LookedCourse> = batch
                    .into_iter()
                    .filter_map(|c| LookedCourse::of(c, &calendar, today).ok())
                    .collect();
                let now_stored = self
                    .store_summaries(clinic_id, &looks, today, &clinic.opening_hours)
                    .await?;
                stored += now_stored;
                // No progress (every course of the batch unreplayable, or written in between):
                // leave the rest to the pages rather than read the same batch again.
                if now_stored == 0 || last {
                    break;
                }
            }
        }
        Ok(stored)
    }

    /// One page of the patient list: patients whose name or MRN contains `search` (by family
    /// name), from position `from` of the matches, each with their phase and next session;
    /// with `phase`, only patients in it. One store read per page, paginated and searched in
    /// the database, whatever the number of patients (issue 18): each row's phase and next
    /// session come from the read model, or from a replay of the course when its summary does
    /// not hold today (then stored again).
    pub async fn patient_overview(
        &self,
        actor: &Actor,
        search: Option<&str>,
        phase: Option<PatientPhase>,
        from: usize,
    ) -> Result<OverviewPage, AppError> {
        require(actor.role, Permission::ReadPatients)?;
        let clinical = crate::authz::allows(actor.role, Permission::ReadClinical);
        if phase.is_some() && !clinical {
            return Err(AppError::Forbidden(Permission::ReadClinical.phrase()));
        }
        let search = crate::patients::check_search(search)?;
        let clinic = self.store.get_clinic(actor.clinic_id).await?;
        let today = self
            .now()
            .to_zoned(clinic.time_zone.time_zone().clone())
            .date();
        let event = actor.event(self, AuditAction::Read, ObjectType::PatientList);
        let offset = u32::try_from(from).unwrap_or(u32::MAX);
        let page_size = u32::try_from(OVERVIEW_PAGE).unwrap_or(u32::MAX);
        let page = self
            .store
            .patient_page(actor.clinic_id, search, offset, page_size, today, event)
            .await?;
        let matches = usize::try_from(page.matches).unwrap_or(usize::MAX);
        let looked = page.rows.len();
        let mut calendar = None;
        let mut recomputed = Vec::new();
        let mut rows = Vec::with_capacity(looked);
        for row in page.rows {
            let (phase, course_id, next_session) = match (row.latest, row.bundle) {
                (None, _) => (PatientPhase::Screening, None, None),
                (Some(summary), Some(bundle)) => {
                    let calendar = match &calendar {
                        Some(c) => c,
                        None => calendar.insert(calendar_of(&clinic)?),
                    };
                    let read = CourseRead::of(bundle, calendar.clone(), today)?;
                    let review = review(&read.protocol, &read.snapshot).ok();
                    let look = CourseLook { read, review };
                    let shown = (
                        PatientPhase::of(look.read.snapshot.phase),
                        Some(summary.course_id),
                        look.read.snapshot.next_due,
                    );
                    recomputed.push(LookedCourse {
                        look,
                        summary,
                        latest: true,
                    });
                    shown
                }
                (Some(summary), None) => (
                    summary
                        .phase
                        .map_or(PatientPhase::Screening, PatientPhase::of),
                    Some(summary.course_id),
                    summary.next_due,
                ),
            };
            rows.push(PatientOverview {
                patient: row.patient,
                phase: clinical.then_some(phase),
                course_id,
                next_session,
            });
        }
        self.write_back(actor, &recomputed, today, &clinic.opening_hours)
            .await;
        let rows = rows
            .into_iter()
            .filter(|row| phase.is_none_or(|p| row.phase == Some(p)))
            .collect();
        let next = from.saturating_add(looked);
        Ok(OverviewPage {
            rows,
            from,
            next_from: (looked > 0 && next < matches).then_some(next),
            matches,
            at_limit: false,
        })
    }
}
