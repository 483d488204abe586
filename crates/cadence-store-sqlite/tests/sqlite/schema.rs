//! The migrated schema, exactly: the PostgreSQL backend must match it (same tables, same
//! column names), so a change here is a change there.

use crate::harness::TempDb;
use cadence_store_sqlite::SCHEMA_TABLES;

/// Every table and its columns, in declaration order.
const EXPECTED: &[(&str, &[&str])] = &[
    (
        "assessments",
        &[
            "id",
            "clinic_id",
            "patient_id",
            "course_id",
            "instrument",
            "answers",
            "total",
            "score",
            "source",
            "taken_on",
            "created_by",
            "created_at",
        ],
    ),
    ("audit_head", &["id", "seq", "hash"]),
    (
        "audit_log",
        &[
            "seq",
            "at",
            "actor_id",
            "actor_role",
            "clinic_id",
            "patient_id",
            "action",
            "object_type",
            "object_id",
            "outcome",
            "request_id",
            "prev_hash",
            "hash",
        ],
    ),
    (
        "auth_sessions",
        &[
            "token_hash",
            "user_id",
            "kind",
            "csrf_hash",
            "created_at",
            "last_seen_at",
        ],
    ),
    (
        "clinics",
        &[
            "id",
            "name",
            "time_zone",
            "open_days",
            "closed_dates",
            "created_at",
        ],
    ),
    (
        "courses",
        &[
            "id",
            "clinic_id",
            "patient_id",
            "protocol_id",
            "protocol_version",
            "protocol_text",
            "start_date",
            "created_by",
            "created_at",
        ],
    ),
    (
        "decisions",
        &[
            "id",
            "clinic_id",
            "course_id",
            "decision",
            "suggestion_shown",
            "note",
            "decided_by",
            "decided_on",
            "created_at",
        ],
    ),
    (
        "monitoring_entries",
        &[
            "id",
            "clinic_id",
            "treatment_session_id",
            "taken_at",
            "bp_systolic",
            "bp_diastolic",
            "heart_rate",
            "spo2",
            "moaas",
            "cadss",
            "adverse_effects",
            "recorded_by",
        ],
    ),
    (
        "patients",
        &[
            "id",
            "clinic_id",
            "mrn",
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "weight_kg",
            "created_at",
            "updated_at",
        ],
    ),
    ("price_lists", &["clinic_id", "text", "updated_at"]),
    (
        "screenings",
        &[
            "id",
            "clinic_id",
            "patient_id",
            "route",
            "input",
            "result",
            "decision",
            "created_by",
            "created_at",
        ],
    ),
    (
        "treatment_sessions",
        &[
            "id",
            "clinic_id",
            "course_id",
            "scheduled_on",
            "status",
            "pre_checks",
            "administration",
            "discharge",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "users",
        &[
            "id",
            "clinic_id",
            "email",
            "role",
            "password_hash",
            "must_change_password",
            "disabled",
            "created_at",
        ],
    ),
];

#[tokio::test]
async fn the_schema_is_exactly_the_documented_one() {
    let db = TempDb::new("schema").await;
    let schema = db.store.schema().await.unwrap();
    let tables: Vec<&str> = schema.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(tables, SCHEMA_TABLES);
    let expected: Vec<(String, Vec<String>)> = EXPECTED
        .iter()
        .map(|(t, cols)| {
            (
                (*t).to_owned(),
                cols.iter().map(|c| (*c).to_owned()).collect(),
            )
        })
        .collect();
    assert_eq!(schema, expected);
    db.store.integrity_check().await.unwrap();
}
