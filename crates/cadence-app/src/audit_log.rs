//! Reading the audit log: verifying the chain and reporting events as CSV.

use crate::authz::{Permission, require};
use crate::{Actor, App, AppError, ErrorCode};
use cadence_store::audit::{
    AuditAction, AuditOutcome, AuditRecord, ChainBreak, ChainHead, ObjectType, check_anchor,
    check_end, next_entry,
};
use cadence_store::ids::PatientId;
use jiff::Timestamp;

/// Rows read per page while verifying.
const PAGE: u32 = 5000;

/// The outcome of verifying the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    /// Intact, with its head.
    Intact(ChainHead),
    /// Broken at the first bad entry.
    Broken(ChainBreak),
}

impl App {
    /// Verifies the whole audit chain page by page (no actor: an operator's command), up to
    /// the head the last append recorded (`audit_head`), which it must reach.
    pub async fn verify_audit_chain(&self) -> Result<ChainCheck, AppError> {
        self.verify_audit_chain_to(None).await
    }

    /// [`App::verify_audit_chain`], and also against an anchor kept elsewhere (the head in a
    /// backup manifest): the log must still hold the anchor's entry with its hash.
    ///
    /// The recorded head is read first and the walk stops there, so rows a running server
    /// appends meanwhile are not mistaken for tampering. A row that does not decode is
    /// reported as the entry that cannot be read, not as a failure of the verifier.
    pub async fn verify_audit_chain_to(
        &self,
        anchor: Option<&ChainHead>,
    ) -> Result<ChainCheck, AppError> {
        let recorded = self.store.audit_head().await?;
        let end = recorded.as_ref().map_or(i64::MAX, |h| h.seq);
        let mut head = ChainHead::genesis();
        let mut at_anchor = anchor.filter(|a| a.seq == 0).map(|_| head.clone());
        while head.seq < end {
            let want = u32::try_from(end - head.seq).map_or(PAGE, |left| left.min(PAGE));
            let page = self.store.audit_entries(head.seq + 1, want).await?;
            if page.is_empty() {
                break;
            }
            for entry in &page {
                match next_entry(&head, entry) {
                    Ok(next) => head = next,
                    Err(b) => return Ok(ChainCheck::Broken(b)),
                }
                if anchor.is_some_and(|a| a.seq == head.seq) {
                    at_anchor = Some(head.clone());
                }
            }
        }
        if let Err(b) = check_end(&head, recorded.as_ref()) {
            return Ok(ChainCheck::Broken(b));
        }
        if let Some(anchor) = anchor {
            if let Err(b) = check_anchor(&head, at_anchor.as_ref(), anchor) {
                return Ok(ChainCheck::Broken(b));
            }
        }
        Ok(ChainCheck::Intact(head))
    }

    /// Records an attempt the permission matrix or a CSRF check refused (ASVS 16.3.2: log
    /// every failed authorization). `object` says what was attempted, e.g. a route.
    pub async fn record_denied(
        &self,
        actor: &Actor,
        action: AuditAction,
        object_type: ObjectType,
        object: Option<String>,
    ) -> Result<(), AppError> {
        let mut event = actor.event(self, action, object_type);
        event.outcome = AuditOutcome::Denied;
        event.object_id = object;
        self.store.append_audit(event).await?;
        Ok(())
    }

    /// Audit events in `[from, to)`, optionally for one patient, as RFC 4180 CSV.
    pub async fn audit_report_csv(
        &self,
        actor: Option<&Actor>,
        from: Timestamp,
        to: Timestamp,
        patient: Option<PatientId>,
    ) -> Result<String, AppError> {
        if let Some(a) = actor {
            require(a.role, Permission::ReadAudit)?;
        }
        let rows = self.store.audit_range(from, to, patient).await?;
        Ok(to_csv(&rows))
    }
}

/// What an admin's audit view asks for: days in the clinic's time zone, inclusive, and
/// optionally one patient or one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditFilter {
    /// The first day.
    pub from: jiff::civil::Date,
    /// The last day (inclusive).
    pub to: jiff::civil::Date,
    /// Only rows about this patient.
    pub patient: Option<PatientId>,
    /// Only rows by this user.
    pub user: Option<cadence_store::ids::UserId>,
}

/// The longest span the audit view reads at once, in days.
pub const MAX_AUDIT_VIEW_DAYS: i32 = 92;

impl App {
    /// The clinic's audit rows for an admin (`/settings/audit`): the filter's days in the
    /// clinic's time zone, this clinic's rows only, oldest first. The view is itself audited
    /// (one `read` of the `audit_log`, naming the patient when filtered by one).
    pub async fn clinic_audit(
        &self,
        actor: &Actor,
        filter: AuditFilter,
    ) -> Result<Vec<AuditRecord>, AppError> {
        require(actor.role, Permission::ReadAudit)?;
        if filter.to < filter.from {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                "the last day is before the first day",
            ));
        }
        if (filter.to - filter.from).get_days() >= MAX_AUDIT_VIEW_DAYS {
            return Err(AppError::invalid(
                ErrorCode::OutOfRange,
                format!(
                    "choose at most {MAX_AUDIT_VIEW_DAYS} days at once (the operator's `cadence \
                     audit report` exports any range)"
                ),
            ));
        }
        let tz = self.clinic_time_zone(actor).await?;
        let start = |d: jiff::civil::Date| {
            d.to_zoned(tz.clone())
                .map(|z| z.timestamp())
                .map_err(|e| AppError::Internal(e.to_string()))
        };
        let from = start(filter.from)?;
        let to = start(filter.to.tomorrow().unwrap_or(filter.to))?;
        let mut event = actor.event(self, AuditAction::Read, ObjectType::AuditLog);
        if let Some(p) = filter.patient {
            event = event.with_patient(p);
        }
        self.store.append_audit(event).await?;
        let rows = self.store.audit_range(from, to, filter.patient).await?;
        Ok(rows
            .into_iter()
            .filter(|r| r.event.clinic_id == Some(actor.clinic_id))
            .filter(|r| filter.user.is_none_or(|u| r.event.actor_id == Some(u)))
            .collect())
    }
}

/// CSV with a header; fields quoted per RFC 4180, and a leading `=`, `+`, `-`, `@`, tab or CR
/// neutralised with a `'` so a spreadsheet never runs a cell as a formula (ASVS 1.2.10).
pub fn to_csv(rows: &[AuditRecord]) -> String {
    let mut out = String::from(
        "seq,at,actor_id,actor_role,clinic_id,patient_id,action,object_type,object_id,outcome,request_id,hash\r\n",
    );
    for r in rows {
        let e = &r.event;
        let fields = [
            r.seq.to_string(),
            e.at.to_string(),
            e.actor_id.map(|v| v.to_string()).unwrap_or_default(),
            e.actor_role.clone().unwrap_or_default(),
            e.clinic_id.map(|v| v.to_string()).unwrap_or_default(),
            e.patient_id.map(|v| v.to_string()).unwrap_or_default(),
            e.action.as_str().to_owned(),
            e.object_type.as_str().to_owned(),
            e.object_id.clone().unwrap_or_default(),
            e.outcome.as_str().to_owned(),
            e.request_id.clone(),
            r.hash.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(value: &str) -> String {
    let mut v = value.to_owned();
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.insert(0, '\'');
    }
    if v.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_neutralises_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-1+1"), "'-1+1");
    }
}
