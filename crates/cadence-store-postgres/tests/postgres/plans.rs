//! Query plans of the hot page queries (issue 18): each can be served by an index, never only
//! by a full scan of a table that grows with the clinic. The statements are the store's own
//! (kept in step by hand: a changed query changes its row here), with the columns shortened.
//! On an empty test database PostgreSQL prefers sequential scans, so the plans are read with
//! `enable_seqscan = off`: a `Seq Scan` that remains means no index can serve the query.

use crate::support::TestDb;
use sqlx::{Connection, Executor, Row};

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
         WHERE s.clinic_id = $1 AND s.course_id = $2 ORDER BY s.scheduled_on, s.id",
    ),
    (
        "the day's sessions",
        "SELECT s.id FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = $1 AND s.scheduled_on = $2 ORDER BY s.id",
    ),
    (
        "the sessions of a range of days (a course start's induction days)",
        "SELECT s.id FROM treatment_sessions s JOIN courses c ON c.id = s.course_id \
         WHERE s.clinic_id = $1 AND s.scheduled_on >= $2 AND s.scheduled_on < $3 \
         ORDER BY s.scheduled_on, s.id",
    ),
    (
        "sessions' monitoring entries",
        "SELECT id FROM monitoring_entries WHERE treatment_session_id = ANY($1::BIGINT[]) ORDER BY taken_at, id",
    ),
    (
        "sessions' record entries",
        "SELECT id FROM session_entries WHERE treatment_session_id = ANY($1::BIGINT[]) ORDER BY id",
    ),
    (
        "a patient's assessments",
        "SELECT id FROM assessments WHERE clinic_id = $1 AND patient_id = $2 \
         ORDER BY taken_on, id",
    ),
    (
        "a patient's findings",
        "SELECT f.id FROM findings f LEFT JOIN finding_releases r ON r.finding_id = f.id \
         WHERE f.clinic_id = $1 AND f.patient_id = $2 ORDER BY f.found_at, f.id",
    ),
    (
        "a course's decisions",
        "SELECT id FROM decisions WHERE clinic_id = $1 AND course_id = $2 ORDER BY id",
    ),
    (
        "a patient's REMS enrolment",
        "SELECT patient_id FROM rems_enrolments WHERE clinic_id = $1 AND patient_id = $2",
    ),
    (
        "the end of a patient's earlier course",
        "SELECT MAX(day) FROM ( \
           SELECT s.scheduled_on AS day FROM treatment_sessions s \
           JOIN courses c ON c.clinic_id = s.clinic_id AND c.id = s.course_id \
           WHERE c.clinic_id = $1 AND c.patient_id = $2 AND s.status = 'completed' \
             AND (c.start_date < $3 OR (c.start_date = $3 AND c.id < $4)) \
           UNION ALL \
           SELECT d.decided_on FROM decisions d \
           JOIN courses c ON c.clinic_id = d.clinic_id AND c.id = d.course_id \
           WHERE c.clinic_id = $1 AND c.patient_id = $2 \
             AND (c.start_date < $3 OR (c.start_date = $3 AND c.id < $4))) AS days",
    ),
    (
        "courses due for a look today, or with a booking to move",
        "SELECT course_id FROM course_summaries WHERE clinic_id = $1 AND attention_on <= $2 \
         UNION SELECT course_id FROM course_summaries WHERE clinic_id = $1 AND to_move > 0",
    ),
    (
        "clinics with a stale summary",
        "SELECT c.id FROM clinics c WHERE EXISTS (SELECT 1 FROM course_summaries s \
         WHERE s.clinic_id = c.id AND s.attention_on <= $1) ORDER BY c.id",
    ),
    (
        "a batch of a clinic's stale courses",
        "SELECT course_id FROM course_summaries WHERE clinic_id = $1 AND attention_on <= $2 \
         ORDER BY course_id LIMIT $3",
    ),
    (
        "a course's summary",
        "SELECT version FROM course_summaries WHERE clinic_id = $1 AND course_id = $2",
    ),
    (
        "a patient's newest course",
        "SELECT id FROM courses WHERE clinic_id = $1 AND patient_id = $2 \
         ORDER BY start_date DESC, id DESC LIMIT 1",
    ),
    (
        "a page of the patient list",
        "SELECT id FROM patients WHERE clinic_id = $1 AND ($2::TEXT IS NULL \
         OR strpos(lower(given_name), lower($2)) > 0 \
         OR strpos(lower(family_name), lower($2)) > 0 \
         OR strpos(lower(mrn), lower($2)) > 0) \
         ORDER BY family_name COLLATE \"C\", given_name COLLATE \"C\", id LIMIT $3 OFFSET $4",
    ),
    (
        "the patient list's count",
        "SELECT count(*) FROM patients WHERE clinic_id = $1 AND ($2::TEXT IS NULL \
         OR strpos(lower(given_name), lower($2)) > 0 \
         OR strpos(lower(family_name), lower($2)) > 0 \
         OR strpos(lower(mrn), lower($2)) > 0)",
    ),
    (
        "patients by id",
        "SELECT id FROM patients WHERE clinic_id = $1 AND id = ANY($2::BIGINT[]) ORDER BY id",
    ),
    (
        "the clinic's open findings",
        "SELECT f.id FROM findings f LEFT JOIN finding_releases r ON r.finding_id = f.id \
         WHERE f.clinic_id = $1 AND r.id IS NULL ORDER BY f.found_at, f.id",
    ),
    (
        "a patient",
        "SELECT id FROM patients WHERE clinic_id = $1 AND id = $2",
    ),
];

/// The plan's lines that scan a big table sequentially.
fn full_scans(plan: &[String]) -> Vec<String> {
    plan.iter()
        .filter(|line| {
            BIG.iter().any(|t| {
                line.contains(&format!("Seq Scan on {t} "))
                    || line.ends_with(&format!("Seq Scan on {t}"))
            })
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn regression_issue_18_hot_queries_use_an_index() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = db.store().await;
    store.close().await;
    let mut conn = db.raw().await;
    conn.execute("SET enable_seqscan = off").await.unwrap();
    let mut bad = Vec::new();
    for (n, (what, sql)) in HOT.iter().enumerate() {
        // PREPARE infers each parameter's type from the statement; EXECUTE's untyped literals
        // take those types.
        let params = (1..=4).filter(|i| sql.contains(&format!("${i}"))).count();
        let values: Vec<&str> = (1..=params)
            .map(|i| {
                if sql.contains(&format!("${i}::BIGINT[]")) {
                    "'{1,2}'"
                } else {
                    "'1'"
                }
            })
            .collect();
        let prepare = format!("PREPARE hot_{n} AS {sql}");
        let explain = if values.is_empty() {
            format!("EXPLAIN EXECUTE hot_{n}")
        } else {
            format!("EXPLAIN EXECUTE hot_{n}({})", values.join(", "))
        };
        let plan: Vec<String> = match conn.execute(sqlx::AssertSqlSafe(prepare)).await {
            Err(e) => vec![format!("error: {e}")],
            Ok(_) => sqlx::query(sqlx::AssertSqlSafe(explain))
                .fetch_all(&mut conn)
                .await
                .map(|rows| {
                    rows.iter()
                        .map(|r| r.try_get::<String, _>(0).unwrap())
                        .collect()
                })
                .unwrap_or_else(|e| vec![format!("error: {e}")]),
        };
        let scans = full_scans(&plan);
        if !scans.is_empty() || plan.iter().any(|l| l.starts_with("error")) {
            bad.push(format!("{what}: {scans:?} in {plan:?}"));
        }
    }
    conn.close().await.ok();
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
            "  ->  Seq Scan on treatment_sessions s  (cost=1.00..2.00 rows=1 width=8)".into()
        ]),
        vec!["  ->  Seq Scan on treatment_sessions s  (cost=1.00..2.00 rows=1 width=8)".to_owned()]
    );
    assert!(
        full_scans(&["Index Scan using patients_clinic_name_idx on patients".into()]).is_empty()
    );
}
