//! Query plans of the hot page queries (issue 18): each is served by an index, never a full
//! scan of a table that grows with the clinic. The statements are the store's own (kept in
//! step by hand: a changed query changes its row here), with the session columns shortened.
//! SQLite's `EXPLAIN QUERY PLAN` names a full scan `SCAN <table>`; a search by an index is
//! `SEARCH <table> USING ... INDEX`.

use crate::harness::TempDb;
use sqlx::Row;

/// Tables whose size follows the number of patients.
const BIG: &[&str] = &[
    "patients",
    "courses",
    "course_summaries",
    "treatment_sessions",
    "assessments",
    "decisions",
    "findings",
    "finding_releases",
    "session_entries",
    "monitoring_entries",
    "screenings",
    "audit_log",
];

/// (what, statement) for every query a page view runs per course or per list.
const HOT: &[(&str, &str)] = &[
    (
        "one course's sessions",
        "SELECT s.id FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = ?1 AND s.course_id = ?2 ORDER BY s.scheduled_on, s.id",
    ),
    (
        "the day's sessions",
        "SELECT s.id FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = ?1 AND s.scheduled_on = ?2 ORDER BY s.id",
    ),
    (
        "the sessions of a range of days (a course start's induction days)",
        "SELECT s.id FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = ?1 AND s.scheduled_on >= ?2 AND s.scheduled_on < ?3 \
         ORDER BY s.scheduled_on, s.id",
    ),
    (
        "sessions' monitoring entries",
        "SELECT id FROM monitoring_entries WHERE treatment_session_id IN \
         (SELECT value FROM json_each(?1)) ORDER BY taken_at, id",
    ),
    (
        "sessions' record entries",
        "SELECT id FROM session_entries WHERE treatment_session_id IN \
         (SELECT value FROM json_each(?1)) ORDER BY id",
    ),
    (
        "a patient's assessments",
        "SELECT id FROM assessments WHERE clinic_id = ?1 AND patient_id = ?2 \
         ORDER BY taken_on, id",
    ),
    (
        "a patient's findings",
        "SELECT f.id FROM findings f LEFT JOIN finding_releases r ON r.finding_id = f.id \
         WHERE f.clinic_id = ?1 AND f.patient_id = ?2 ORDER BY f.found_at, f.id",
    ),
    (
        "a course's decisions",
        "SELECT id FROM decisions WHERE clinic_id = ?1 AND course_id = ?2 ORDER BY id",
    ),
    (
        "a patient's REMS enrolment",
        "SELECT patient_id FROM rems_enrolments WHERE clinic_id = ?1 AND patient_id = ?2",
    ),
    (
        "the end of a patient's earlier course",
        "SELECT MAX(day) FROM ( \
           SELECT s.scheduled_on AS day FROM treatment_sessions s \
           JOIN courses c ON c.clinic_id = s.clinic_id AND c.id = s.course_id \
           WHERE c.clinic_id = ?1 AND c.patient_id = ?2 AND s.status = 'completed' \
             AND (c.start_date < ?3 OR (c.start_date = ?3 AND c.id < ?4)) \
           UNION ALL \
           SELECT d.decided_on FROM decisions d \
           JOIN courses c ON c.clinic_id = d.clinic_id AND c.id = d.course_id \
           WHERE c.clinic_id = ?1 AND c.patient_id = ?2 \
             AND (c.start_date < ?3 OR (c.start_date = ?3 AND c.id < ?4)))",
    ),
    (
        "courses due for a look today, or with a booking to move",
        "SELECT course_id FROM course_summaries WHERE clinic_id = ?1 AND attention_on <= ?2 \
         UNION SELECT course_id FROM course_summaries WHERE clinic_id = ?1 AND to_move > 0",
    ),
    (
        "clinics with a stale summary",
        "SELECT c.id FROM clinics c WHERE EXISTS (SELECT 1 FROM course_summaries s \
         WHERE s.clinic_id = c.id AND s.attention_on <= ?1) ORDER BY c.id",
    ),
    (
        "a batch of a clinic's stale courses",
        "SELECT course_id FROM course_summaries WHERE clinic_id = ?1 AND attention_on <= ?2 \
         ORDER BY course_id LIMIT ?3",
    ),
    (
        "a course's summary",
        "SELECT version FROM course_summaries WHERE clinic_id = ?1 AND course_id = ?2",
    ),
    (
        "a patient's newest course",
        "SELECT id FROM courses WHERE clinic_id = ?1 AND patient_id = ?2 \
         ORDER BY start_date DESC, id DESC LIMIT 1",
    ),
    (
        "a page of the patient list",
        "SELECT id FROM patients WHERE clinic_id = ?1 AND (?2 IS NULL \
         OR instr(lower(given_name), lower(?2)) > 0 \
         OR instr(lower(family_name), lower(?2)) > 0 \
         OR instr(lower(mrn), lower(?2)) > 0) \
         ORDER BY family_name, given_name, id LIMIT ?3 OFFSET ?4",
    ),
    (
        "the patient list's count",
        "SELECT count(*) FROM patients WHERE clinic_id = ?1 AND (?2 IS NULL \
         OR instr(lower(given_name), lower(?2)) > 0 \
         OR instr(lower(family_name), lower(?2)) > 0 \
         OR instr(lower(mrn), lower(?2)) > 0)",
    ),
    (
        "patients by id",
        "SELECT id FROM patients WHERE clinic_id = ?1 AND id IN \
         (SELECT value FROM json_each(?2)) ORDER BY id",
    ),
    (
        "the clinic's open findings",
        "SELECT f.id FROM findings f LEFT JOIN finding_releases r ON r.finding_id = f.id \
         WHERE f.clinic_id = ?1 AND r.id IS NULL ORDER BY f.found_at, f.id",
    ),
    (
        "a patient",
        "SELECT id FROM patients WHERE clinic_id = ?1 AND id = ?2",
    ),
];

/// The plan's detail lines that scan a big table from end to end.
fn full_scans(details: &[String]) -> Vec<String> {
    details
        .iter()
        .filter(|d| {
            BIG.iter().any(|t| {
                let d = d.as_str();
                d == format!("SCAN {t}")
                    || d.starts_with(&format!("SCAN {t} "))
                    || d.starts_with(&format!("SCAN {t} USING"))
            })
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn regression_issue_18_hot_queries_use_an_index() {
    let db = TempDb::new("plans").await;
    let mut bad = Vec::new();
    for (what, sql) in HOT {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(db.store.pool())
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let details: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>("detail").unwrap())
            .collect();
        let scans = full_scans(&details);
        if !scans.is_empty() {
            bad.push(format!("{what}: {scans:?} in {details:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "full scans of big tables:\n{}",
        bad.join("\n")
    );
}

#[test]
fn a_full_scan_is_recognised() {
    assert_eq!(
        full_scans(&[
            "SCAN treatment_sessions".into(),
            "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)".into()
        ]),
        vec!["SCAN treatment_sessions".to_owned()]
    );
    assert!(
        full_scans(&["SEARCH patients USING INDEX patients_clinic_name (clinic_id=?)".into()])
            .is_empty()
    );
}
