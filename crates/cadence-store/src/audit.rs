//! The append-only, hash-chained audit log: who read or changed which health information, when.
//!
//! Each row carries the hash of the previous row, `hash = SHA-256(prev_hash || canonical(row))`,
//! so editing, deleting, reordering or inserting any row breaks every later hash
//! (security reference section 6; Crosby & Wallach). The canonical encoding is fixed-order and
//! length-prefixed, so two different rows never encode alike. Backends append rows in the same
//! transaction as the change they describe, serialised so the chain stays linear, and refuse
//! UPDATE and DELETE with triggers. [`verify_chain`] names the first bad entry.

mod object_type;

pub use object_type::ObjectType;

use crate::ids::{ClinicId, PatientId, UserId};
use crate::records::string_enum;
use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};

string_enum!(
    /// What was done.
    AuditAction {
        /// A record was created.
        Create = "create",
        /// Health information was read.
        Read = "read",
        /// A record was changed.
        Update = "update",
        /// Health information left the system (export, print, backup).
        Export = "export",
        /// A user logged in.
        Login = "login",
        /// A login failed.
        LoginFailed = "login_failed",
        /// A user logged out.
        Logout = "logout",
        /// A user's role or access changed.
        PrivilegeChange = "privilege_change",
    }
);

string_enum!(
    /// How it ended.
    AuditOutcome {
        /// Done.
        Success = "success",
        /// Refused by authorization.
        Denied = "denied",
        /// Failed (invalid input, conflict).
        Failure = "failure",
    }
);

/// One access or change to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// When (UTC, from the app's clock).
    pub at: Timestamp,
    /// Who (`None` for the system or an anonymous attempt).
    pub actor_id: Option<UserId>,
    /// The actor's role at the time.
    pub actor_role: Option<String>,
    /// The clinic.
    pub clinic_id: Option<ClinicId>,
    /// The patient whose information was touched.
    pub patient_id: Option<PatientId>,
    /// What was done.
    pub action: AuditAction,
    /// The kind of object (stored, and hashed, as its text, e.g. `patient`).
    pub object_type: ObjectType,
    /// The object's id, once known.
    pub object_id: Option<String>,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// The request that caused it.
    pub request_id: String,
}

impl AuditEvent {
    /// The same event about the object with this id (set once a create knows its new id).
    pub fn with_object_id(mut self, id: impl ToString) -> AuditEvent {
        self.object_id = Some(id.to_string());
        self
    }

    /// The same event about this patient.
    pub fn with_patient(mut self, patient: PatientId) -> AuditEvent {
        self.patient_id = Some(patient);
        self
    }
}

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// Position in the chain, from 1, gap-free.
    pub seq: i64,
    /// The event.
    #[serde(flatten)]
    pub event: AuditEvent,
    /// Hex SHA-256 of the previous row ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// Hex SHA-256 of this row.
    pub hash: String,
}

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The canonical bytes of an event at a sequence number: every field in a fixed order, each
/// tagged and length-prefixed, so the encoding is injective.
pub fn canonical(seq: i64, e: &AuditEvent) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(b"cadence-audit-v1");
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&e.at.as_millisecond().to_be_bytes());
    let mut field = |value: Option<&str>| match value {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            out.extend_from_slice(&(v.len() as u64).to_be_bytes());
            out.extend_from_slice(v.as_bytes());
        }
    };
    field(e.actor_id.map(|id| id.to_string()).as_deref());
    field(e.actor_role.as_deref());
    field(e.clinic_id.map(|id| id.to_string()).as_deref());
    field(e.patient_id.map(|id| id.to_string()).as_deref());
    field(Some(e.action.as_str()));
    field(Some(e.object_type.as_str()));
    field(e.object_id.as_deref());
    field(Some(e.outcome.as_str()));
    field(Some(&e.request_id));
    out
}

/// The hash of a row given its predecessor's hash.
pub fn chain_hash(prev_hash: &str, seq: i64, event: &AuditEvent) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical(seq, event));
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// The last row of an intact chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    /// Its sequence number (0 for an empty log).
    pub seq: i64,
    /// Its hash ([`GENESIS_HASH`] for an empty log).
    pub hash: String,
}

/// Where and why a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit chain broken at entry {seq}: {problem}")]
pub struct ChainBreak {
    /// The first bad sequence number.
    pub seq: i64,
    /// What is wrong there.
    pub problem: String,
}

/// Checks the next row against the chain so far and returns the new head, or where and why the
/// chain breaks. Verifiers that page through a long log call this row by row.
pub fn next_head(head: &ChainHead, r: &AuditRecord) -> Result<ChainHead, ChainBreak> {
    let expected_seq = head.seq + 1;
    if r.seq != expected_seq {
        return Err(ChainBreak {
            seq: expected_seq,
            problem: format!("entry {expected_seq} is missing (next entry is {})", r.seq),
        });
    }
    if r.prev_hash != head.hash {
        return Err(ChainBreak {
            seq: r.seq,
            problem: "it does not point at the previous entry's hash".into(),
        });
    }
    if chain_hash(&r.prev_hash, r.seq, &r.event) != r.hash {
        return Err(ChainBreak {
            seq: r.seq,
            problem: "its contents do not match its hash (edited)".into(),
        });
    }
    Ok(ChainHead {
        seq: r.seq,
        hash: r.hash.clone(),
    })
}

/// A stored audit row as verification reads it: decoded, or not decodable because a stored
/// value is not one Cadence writes (an unknown action or outcome, a time or id that is not an
/// integer): a tampered row, which must be reported, not crash the verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditEntry {
    /// A row that decodes.
    Readable(Box<AuditRecord>),
    /// A row that does not; `seq` when at least its sequence number decodes.
    Unreadable {
        /// Its sequence number, if that much can be read.
        seq: Option<i64>,
    },
}

/// [`next_head`] for a row as verification reads it: an unreadable row breaks the chain where
/// the next entry was expected.
pub fn next_entry(head: &ChainHead, entry: &AuditEntry) -> Result<ChainHead, ChainBreak> {
    match entry {
        AuditEntry::Readable(r) => next_head(head, r),
        AuditEntry::Unreadable { .. } => Err(ChainBreak {
            seq: head.seq + 1,
            problem: "cannot be read (a stored value is not one Cadence writes)".into(),
        }),
    }
}

/// Checks the end of a verified walk against the head the last append recorded
/// (`audit_head`): deleting the newest rows leaves a chain that verifies on its own, so only
/// this comparison shows the truncation. `recorded` is `None` when the head row is missing or
/// cannot be read.
pub fn check_end(walked: &ChainHead, recorded: Option<&ChainHead>) -> Result<(), ChainBreak> {
    let Some(recorded) = recorded else {
        return Err(ChainBreak {
            seq: walked.seq + 1,
            problem: "the recorded chain head is missing or cannot be read".into(),
        });
    };
    if walked.seq < recorded.seq {
        return Err(ChainBreak {
            seq: walked.seq + 1,
            problem: format!(
                "missing: the log ends at entry {} but its head records entry {} (the newest \
                 entries were deleted)",
                walked.seq, recorded.seq
            ),
        });
    }
    if walked.seq > recorded.seq {
        return Err(ChainBreak {
            seq: recorded.seq + 1,
            problem: format!(
                "beyond the recorded head: the head records entry {} but the log goes on to \
                 entry {} (the head was altered)",
                recorded.seq, walked.seq
            ),
        });
    }
    if walked.hash != recorded.hash {
        return Err(ChainBreak {
            seq: walked.seq,
            problem: "its hash differs from the one the head recorded".into(),
        });
    }
    Ok(())
}

/// Checks a verified walk against an anchor kept elsewhere (the head in a backup manifest, or
/// one printed by `cadence audit verify`): the log must reach the anchor's entry, with its
/// hash. `at_anchor` is the walk's head when it passed the anchor's sequence number.
pub fn check_anchor(
    walked: &ChainHead,
    at_anchor: Option<&ChainHead>,
    anchor: &ChainHead,
) -> Result<(), ChainBreak> {
    match at_anchor {
        _ if walked.seq < anchor.seq => Err(ChainBreak {
            seq: walked.seq + 1,
            problem: format!(
                "missing: the log ends at entry {} but the anchor records entry {} (entries \
                 were deleted and the head rewritten)",
                walked.seq, anchor.seq
            ),
        }),
        Some(head) if head.hash == anchor.hash => Ok(()),
        _ => Err(ChainBreak {
            seq: anchor.seq,
            problem: "its hash differs from the anchor's (the log was rewritten)".into(),
        }),
    }
}

impl ChainHead {
    /// The head of an empty log.
    pub fn genesis() -> ChainHead {
        ChainHead {
            seq: 0,
            hash: GENESIS_HASH.to_owned(),
        }
    }
}

/// Checks a whole chain, in sequence order, and returns its head or the first bad entry.
pub fn verify_chain<'a>(
    records: impl IntoIterator<Item = &'a AuditRecord>,
) -> Result<ChainHead, ChainBreak> {
    records
        .into_iter()
        .try_fold(ChainHead::genesis(), |head, r| next_head(&head, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(object: ObjectType) -> AuditEvent {
        AuditEvent {
            at: Timestamp::from_millisecond(1_800_000_000_000).unwrap(),
            actor_id: Some(UserId(7)),
            actor_role: Some("nurse".into()),
            clinic_id: Some(ClinicId(1)),
            patient_id: Some(PatientId(3)),
            action: AuditAction::Read,
            object_type: object,
            object_id: Some("3".into()),
            outcome: AuditOutcome::Success,
            request_id: "req-1".into(),
        }
    }

    /// Rows already stored must keep verifying: the canonical encoding (and so the hash) of
    /// an event is pinned, down to the text of its object type.
    #[test]
    fn the_canonical_encoding_is_pinned() {
        let e = event(ObjectType::TreatmentSession);
        assert_eq!(
            chain_hash(GENESIS_HASH, 1, &e),
            "b8e42fb1473b9911e7685c1b4e8bd3753654ef98880bd0972e1e973855272db1"
        );
    }

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = event(ObjectType::Patient);
                e.object_id = Some(seq.to_string());
                let hash = chain_hash(&prev, seq, &e);
                let r = AuditRecord {
                    seq,
                    event: e,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                r
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies_to_its_head() {
        let c = chain(5);
        let head = verify_chain(&c).unwrap();
        assert_eq!(head.seq, 5);
        assert_eq!(head.hash, c[4].hash);
        assert_eq!(verify_chain(&[]).unwrap().hash, GENESIS_HASH);
    }

    #[test]
    fn an_edit_names_the_edited_entry() {
        let mut c = chain(5);
        c[2].event.object_type = ObjectType::Course;
        assert_eq!(verify_chain(&c).unwrap_err().seq, 3);
    }

    #[test]
    fn a_deletion_names_the_missing_entry() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify_chain(&c).unwrap_err().seq, 2);
    }

    #[test]
    fn a_recomputed_entry_still_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].event.object_type = ObjectType::Course;
        c[2].hash = chain_hash(&c[2].prev_hash, 3, &c[2].event);
        assert_eq!(verify_chain(&c).unwrap_err().seq, 4);
    }

    #[test]
    fn a_truncated_log_is_caught_by_its_recorded_head() {
        let c = chain(10);
        let full = verify_chain(&c).unwrap();
        assert_eq!(check_end(&full, Some(&full)), Ok(()));
        for keep in [9, 0] {
            let walked = verify_chain(&c[..keep]).unwrap();
            let b = check_end(&walked, Some(&full)).unwrap_err();
            assert_eq!(b.seq, i64::try_from(keep).unwrap() + 1, "{b}");
        }
        assert_eq!(check_end(&full, None).unwrap_err().seq, 11);
        let mut other = full.clone();
        other.hash = GENESIS_HASH.into();
        assert_eq!(check_end(&full, Some(&other)).unwrap_err().seq, 10);
    }

    #[test]
    fn an_anchor_must_be_reached_with_its_hash() {
        let c = chain(10);
        let anchor = verify_chain(&c[..6]).unwrap();
        let full = verify_chain(&c).unwrap();
        assert_eq!(check_anchor(&full, Some(&anchor), &anchor), Ok(()));
        let short = verify_chain(&c[..4]).unwrap();
        assert_eq!(check_anchor(&short, None, &anchor).unwrap_err().seq, 5);
        let mut forged = anchor.clone();
        forged.hash = GENESIS_HASH.into();
        assert_eq!(
            check_anchor(&full, Some(&forged), &anchor).unwrap_err().seq,
            6
        );
    }

    #[test]
    fn an_unreadable_row_breaks_the_chain_where_it_stands() {
        let head = ChainHead::genesis();
        let b = next_entry(&head, &AuditEntry::Unreadable { seq: None }).unwrap_err();
        assert_eq!(b.seq, 1);
        assert!(b.to_string().contains("entry 1: cannot be read"), "{b}");
    }

    #[test]
    fn the_encoding_separates_fields() {
        // Moving a character between adjacent fields must change the encoding.
        // `course` + `_list1` and `course_list` + `1` run together alike without the lengths.
        let mut a = event(ObjectType::Course);
        a.object_id = Some("_list1".into());
        let mut b = event(ObjectType::CourseList);
        b.object_id = Some("1".into());
        assert_ne!(canonical(1, &a), canonical(1, &b));
        let mut none = event(ObjectType::Patient);
        none.object_id = None;
        let mut empty = event(ObjectType::Patient);
        empty.object_id = Some(String::new());
        assert_ne!(canonical(1, &none), canonical(1, &empty));
    }
}
