//! The patient list at a glance: each patient's phase and next session, from their latest
//! course ([`App::patient_overview`]), and the look at latest courses that `/today` shares.
//!
//! The clinic's course bundles come from one audited store read (a fixed number of queries,
//! however many patients); each listed patient's latest course (the one a clinician acts on) is
//! looked at. The list shows [`OVERVIEW_PAGE`] patients a page.

use crate::authz::{Permission, require};
use crate::courses::{CourseRead, calendar_of};
use crate::patients::SEARCH_LIMIT;
use crate::{Actor, App, AppError};
use cadence_clinical::course::CoursePhase;
use cadence_clinical::suggestion::{Review, review};
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::{CourseId, PatientId};
use cadence_store::records::{CourseBundle, Patient};
use jiff::civil::Date;
use std::collections::HashMap;

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
    /// Patients matching the search (at most [`SEARCH_LIMIT`]).
    pub matches: usize,
    /// The search hit [`SEARCH_LIMIT`]: narrow it to see the others.
    pub at_limit: bool,
}

/// A patient's latest course as the engine sees it today.
pub(super) struct CourseLook {
    pub(super) read: CourseRead,
    pub(super) review: Option<Review>,
}

impl CourseLook {
    pub(super) fn decided_since(&self, date: Date) -> bool {
        self.read.snapshot.last_decision.is_some_and(|d| d >= date)
    }
}

impl App {
    /// Looks at the latest course of every listed patient, from one audited read of the
    /// clinic's course bundles (a fixed number of queries, whatever the number of patients).
    pub(super) async fn look(
        &self,
        actor: &Actor,
        patients: &[Patient],
        today: Date,
    ) -> Result<Vec<Option<CourseLook>>, AppError> {
        let event = actor.event(self, AuditAction::Read, ObjectType::CourseList);
        let bundles = self
            .store
            .list_course_bundles(actor.clinic_id, event)
            .await?;
        // Each patient's newest course comes first: that is the one a clinician acts on.
        let mut latest: HashMap<PatientId, CourseBundle> = HashMap::new();
        for bundle in bundles {
            latest.entry(bundle.course.patient_id).or_insert(bundle);
        }
        let calendar = calendar_of(&self.store.get_clinic(actor.clinic_id).await?)?;
        let mut looks = Vec::with_capacity(patients.len());
        for p in patients {
            let Some(bundle) = latest.remove(&p.id) else {
                looks.push(None);
                continue;
            };
            let read = CourseRead::of(bundle, calendar.clone(), today)?;
            // A course whose outcome cannot be computed is shown without a suggestion rather
            // than failing the whole list; its own page reports the problem.
            let review = review(&read.protocol, &read.snapshot).ok();
            looks.push(Some(CourseLook { read, review }));
        }
        Ok(looks)
    }

    /// One page of the patient list: patients whose name or MRN contains `search` (by family
    /// name), from position `from` of the matches, each with their phase and next session;
    /// with `phase`, only patients in it. Looks at most [`OVERVIEW_PAGE`] patients beyond
    /// `from`; a page costs the same few store reads however many patients there are.
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
        let today = self.clinic_today(actor).await?;
        let event = actor.event(self, AuditAction::Read, ObjectType::PatientList);
        let patients = self
            .store
            .list_patients(actor.clinic_id, search, SEARCH_LIMIT, event)
            .await?;
        let matches = patients.len();
        let window: Vec<Patient> = patients
            .into_iter()
            .skip(from)
            .take(OVERVIEW_PAGE)
            .collect();
        let looked = window.len();
        let looks = self.look(actor, &window, today).await?;
        let rows = window
            .into_iter()
            .zip(looks)
            .map(|(patient, look)| PatientOverview {
                phase: clinical.then(|| {
                    look.as_ref().map_or(PatientPhase::Screening, |l| {
                        PatientPhase::of(l.read.snapshot.phase)
                    })
                }),
                course_id: look.as_ref().map(|l| l.read.bundle.course.id),
                next_session: look.as_ref().and_then(|l| {
                    let s = &l.read.snapshot;
                    (clinical || s.next_booked).then_some(s.next_due).flatten()
                }),
                patient,
            })
            .filter(|row| phase.is_none_or(|p| row.phase == Some(p)))
            .collect();
        let next = from.saturating_add(looked);
        Ok(OverviewPage {
            rows,
            from,
            next_from: (next < matches).then_some(next),
            matches,
            at_limit: matches >= SEARCH_LIMIT as usize,
        })
    }
}
