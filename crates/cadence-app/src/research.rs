//! De-identified, clinic-level aggregates: what a researcher may see. Counts only: never a
//! patient id, name, MRN or date, so nothing in the answer points at a person.

use crate::authz::{Permission, require};
use crate::{Actor, App, AppError};
use cadence_store::audit::{AuditAction, ObjectType};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many courses started on one protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtocolCount {
    /// The protocol id (a clinic-chosen label, not a person's data).
    pub protocol_id: String,
    /// Courses on it.
    pub courses: u64,
}

/// The clinic's aggregate counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResearchSummary {
    /// Registered patients.
    pub patients: u64,
    /// Courses started, all protocols.
    pub courses: u64,
    /// Courses by protocol, by protocol id.
    pub courses_by_protocol: Vec<ProtocolCount>,
}

impl App {
    /// Counts of the actor's clinic's patients and courses.
    ///
    /// Two store reads whatever the clinic's size (the patients, then the clinic's courses),
    /// each audited like any other access (object type `research_summary`, naming no
    /// patient).
    pub async fn research_summary(&self, actor: &Actor) -> Result<ResearchSummary, AppError> {
        require(actor.role, Permission::ReadAggregates)?;
        let event = actor.event(self, AuditAction::Read, ObjectType::ResearchSummary);
        let patients = self
            .store
            .list_patients(actor.clinic_id, None, u32::MAX, event)
            .await?;
        let event = actor.event(self, AuditAction::Read, ObjectType::ResearchSummary);
        let mut by_protocol: BTreeMap<String, u64> = BTreeMap::new();
        for bundle in self
            .store
            .list_course_bundles(actor.clinic_id, event)
            .await?
        {
            *by_protocol.entry(bundle.course.protocol_id).or_default() += 1;
        }
        Ok(ResearchSummary {
            patients: patients.len() as u64,
            courses: by_protocol.values().sum(),
            courses_by_protocol: by_protocol
                .into_iter()
                .map(|(protocol_id, courses)| ProtocolCount {
                    protocol_id,
                    courses,
                })
                .collect(),
        })
    }
}
