-- Cadence's PostgreSQL schema, version 1. Immutable once released: see README.md beside it.
--
-- Mirrors crates/cadence-store-sqlite/migrations/0001_initial.sql table for table and column for
-- column (a test compares the two migrated schemas); only the types differ:
--   ids          BIGINT GENERATED ALWAYS AS IDENTITY (sqlite: INTEGER PRIMARY KEY)
--   timestamps   BIGINT, UTC milliseconds
--   civil dates  TEXT, YYYY-MM-DD
--   enums, JSON  TEXT
--   booleans     BOOLEAN (sqlite: INTEGER 0/1)
-- Clinic-scoped child rows reference their parent by (clinic_id, id), so the database itself
-- refuses a row that points into another clinic. Unique constraints are named
-- <table>_<columns>_key so the store reports the rule that refused a write with the same
-- `table.column` text as the SQLite backend.

CREATE TABLE clinics (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT NOT NULL CONSTRAINT clinics_name_key UNIQUE,
    time_zone    TEXT NOT NULL,
    open_days    TEXT NOT NULL DEFAULT 'mon,tue,wed,thu,fri',
    closed_dates TEXT NOT NULL DEFAULT '[]',
    created_at   BIGINT NOT NULL
);

CREATE TABLE users (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id            BIGINT NOT NULL REFERENCES clinics (id),
    email                TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    role                 TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           BIGINT NOT NULL
);
CREATE INDEX users_clinic_idx ON users (clinic_id);

CREATE TABLE auth_sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL,
    csrf_hash    TEXT,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);

CREATE TABLE patients (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id   BIGINT NOT NULL REFERENCES clinics (id),
    mrn         TEXT NOT NULL,
    given_name  TEXT NOT NULL,
    family_name TEXT NOT NULL,
    birth_date  TEXT NOT NULL,
    sex         TEXT NOT NULL,
    weight_kg   DOUBLE PRECISION,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT patients_clinic_id_mrn_key UNIQUE (clinic_id, mrn),
    CONSTRAINT patients_clinic_id_id_key UNIQUE (clinic_id, id)
);
CREATE INDEX patients_family_name_idx ON patients (clinic_id, family_name);

CREATE TABLE screenings (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id  BIGINT NOT NULL,
    patient_id BIGINT NOT NULL,
    route      TEXT NOT NULL,
    input      TEXT NOT NULL,
    result     TEXT NOT NULL,
    decision   TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
);
CREATE INDEX screenings_patient_idx ON screenings (clinic_id, patient_id);

CREATE TABLE courses (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id        BIGINT NOT NULL,
    patient_id       BIGINT NOT NULL,
    protocol_id      TEXT NOT NULL,
    protocol_version BIGINT NOT NULL,
    protocol_text    TEXT NOT NULL,
    start_date       TEXT NOT NULL,
    created_by       BIGINT NOT NULL REFERENCES users (id),
    created_at       BIGINT NOT NULL,
    CONSTRAINT courses_clinic_id_id_key UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
);
CREATE INDEX courses_patient_idx ON courses (clinic_id, patient_id);

CREATE TABLE assessments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id  BIGINT NOT NULL,
    patient_id BIGINT NOT NULL,
    course_id  BIGINT,
    instrument TEXT NOT NULL,
    answers    TEXT NOT NULL,
    total      BIGINT,
    score      TEXT NOT NULL,
    source     TEXT NOT NULL,
    taken_on   TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id)
);
CREATE INDEX assessments_patient_idx ON assessments (clinic_id, patient_id, taken_on);

CREATE TABLE treatment_sessions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id      BIGINT NOT NULL,
    course_id      BIGINT NOT NULL,
    scheduled_on   TEXT NOT NULL,
    status         TEXT NOT NULL,
    pre_checks     TEXT,
    administration TEXT,
    discharge      TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CONSTRAINT treatment_sessions_clinic_id_id_key UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id)
);
CREATE INDEX treatment_sessions_course_idx ON treatment_sessions (course_id, scheduled_on);
CREATE INDEX treatment_sessions_day_idx ON treatment_sessions (clinic_id, scheduled_on);

CREATE TABLE monitoring_entries (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id            BIGINT NOT NULL,
    treatment_session_id BIGINT NOT NULL,
    taken_at             BIGINT NOT NULL,
    bp_systolic          INTEGER,
    bp_diastolic         INTEGER,
    heart_rate           INTEGER,
    spo2                 INTEGER,
    moaas                INTEGER,
    cadss                INTEGER,
    adverse_effects      TEXT NOT NULL,
    recorded_by          BIGINT NOT NULL REFERENCES users (id),
    FOREIGN KEY (clinic_id, treatment_session_id)
        REFERENCES treatment_sessions (clinic_id, id)
);
CREATE INDEX monitoring_entries_session_idx
    ON monitoring_entries (treatment_session_id, taken_at);

CREATE TABLE decisions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id        BIGINT NOT NULL,
    course_id        BIGINT NOT NULL,
    decision         TEXT NOT NULL,
    suggestion_shown TEXT,
    note             TEXT,
    decided_by       BIGINT NOT NULL REFERENCES users (id),
    decided_on       TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id)
);
CREATE INDEX decisions_course_idx ON decisions (course_id);

CREATE TABLE price_lists (
    clinic_id  BIGINT PRIMARY KEY REFERENCES clinics (id),
    text       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The audit log: no foreign keys on purpose (a failed login has no user; an audit row must
-- never stop a write it describes, nor be removable by deleting what it points at).
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY CHECK (seq >= 1),
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_role  TEXT,
    clinic_id   BIGINT,
    patient_id  BIGINT,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT,
    outcome     TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_patient_idx ON audit_log (patient_id, at);

-- The chain head: one row, locked FOR UPDATE by every append so appends from any number of
-- server processes serialise and the chain stays linear.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only at the database level (security reference, AUD-2): rows can be inserted, never
-- changed or removed, whoever connects.
CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The head row is the chain's anchor inside the database: it is never removed.
CREATE FUNCTION audit_head_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_head cannot be deleted';
END;
$$;

CREATE TRIGGER audit_head_no_delete
    BEFORE DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_keep();

CREATE TRIGGER audit_head_no_truncate
    BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_head_keep();
