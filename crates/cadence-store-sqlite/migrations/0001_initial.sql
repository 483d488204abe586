-- Cadence's initial SQLite schema.
--
-- Conventions shared with the PostgreSQL backend (a test compares both migrated schemas: same
-- tables, same column names): ids INTEGER PRIMARY KEY; timestamps BIGINT UTC milliseconds;
-- civil dates TEXT 'YYYY-MM-DD'; enums TEXT (their as_str()); JSON values TEXT; booleans
-- INTEGER 0/1. Clinic-scoped child rows reference their parent by (clinic_id, id), so the
-- database itself refuses a row that points into another clinic.
--
-- Released migrations are immutable: see README.md in this folder.

CREATE TABLE clinics (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    time_zone    TEXT    NOT NULL,
    open_days    TEXT    NOT NULL DEFAULT 'mon,tue,wed,thu,fri',
    closed_dates TEXT    NOT NULL DEFAULT '[]',
    created_at   BIGINT  NOT NULL
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    clinic_id            INTEGER NOT NULL REFERENCES clinics (id),
    email                TEXT    NOT NULL UNIQUE,
    role                 TEXT    NOT NULL,
    password_hash        TEXT    NOT NULL,
    must_change_password INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
    disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at           BIGINT  NOT NULL
);
CREATE INDEX users_clinic ON users (clinic_id);

CREATE TABLE auth_sessions (
    token_hash   TEXT    PRIMARY KEY NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    kind         TEXT    NOT NULL,
    csrf_hash    TEXT,
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE patients (
    id          INTEGER PRIMARY KEY,
    clinic_id   INTEGER NOT NULL REFERENCES clinics (id),
    mrn         TEXT    NOT NULL,
    given_name  TEXT    NOT NULL,
    family_name TEXT    NOT NULL,
    birth_date  TEXT    NOT NULL,
    sex         TEXT    NOT NULL,
    weight_kg   REAL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    UNIQUE (clinic_id, mrn),
    UNIQUE (clinic_id, id)
);
CREATE INDEX patients_clinic_family ON patients (clinic_id, family_name);

CREATE TABLE screenings (
    id         INTEGER PRIMARY KEY,
    clinic_id  INTEGER NOT NULL,
    patient_id INTEGER NOT NULL,
    route      TEXT    NOT NULL,
    input      TEXT    NOT NULL,
    result     TEXT    NOT NULL,
    decision   TEXT    NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at BIGINT  NOT NULL,
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
);
CREATE INDEX screenings_patient ON screenings (clinic_id, patient_id);

CREATE TABLE courses (
    id               INTEGER PRIMARY KEY,
    clinic_id        INTEGER NOT NULL,
    patient_id       INTEGER NOT NULL,
    protocol_id      TEXT    NOT NULL,
    protocol_version INTEGER NOT NULL,
    protocol_text    TEXT    NOT NULL,
    start_date       TEXT    NOT NULL,
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       BIGINT  NOT NULL,
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
);
CREATE INDEX courses_patient ON courses (clinic_id, patient_id);

CREATE TABLE assessments (
    id         INTEGER PRIMARY KEY,
    clinic_id  INTEGER NOT NULL,
    patient_id INTEGER NOT NULL,
    course_id  INTEGER,
    instrument TEXT    NOT NULL,
    answers    TEXT    NOT NULL,
    total      BIGINT,
    score      TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    taken_on   TEXT    NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at BIGINT  NOT NULL,
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id)
);
CREATE INDEX assessments_patient ON assessments (clinic_id, patient_id, taken_on);

CREATE TABLE treatment_sessions (
    id             INTEGER PRIMARY KEY,
    clinic_id      INTEGER NOT NULL,
    course_id      INTEGER NOT NULL,
    scheduled_on   TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    pre_checks     TEXT,
    administration TEXT,
    discharge      TEXT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id)
);
CREATE INDEX treatment_sessions_course ON treatment_sessions (course_id, scheduled_on);
CREATE INDEX treatment_sessions_day ON treatment_sessions (clinic_id, scheduled_on);

CREATE TABLE monitoring_entries (
    id                   INTEGER PRIMARY KEY,
    clinic_id            INTEGER NOT NULL,
    treatment_session_id INTEGER NOT NULL,
    taken_at             BIGINT  NOT NULL,
    bp_systolic          INTEGER,
    bp_diastolic         INTEGER,
    heart_rate           INTEGER,
    spo2                 INTEGER,
    moaas                INTEGER,
    cadss                INTEGER,
    adverse_effects      TEXT    NOT NULL,
    recorded_by          INTEGER NOT NULL REFERENCES users (id),
    FOREIGN KEY (clinic_id, treatment_session_id) REFERENCES treatment_sessions (clinic_id, id)
);
CREATE INDEX monitoring_entries_session ON monitoring_entries (treatment_session_id, taken_at);

CREATE TABLE decisions (
    id               INTEGER PRIMARY KEY,
    clinic_id        INTEGER NOT NULL,
    course_id        INTEGER NOT NULL,
    decision         TEXT    NOT NULL,
    suggestion_shown TEXT,
    note             TEXT,
    decided_by       INTEGER NOT NULL REFERENCES users (id),
    decided_on       TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id)
);
CREATE INDEX decisions_course ON decisions (course_id);

CREATE TABLE price_lists (
    clinic_id  INTEGER PRIMARY KEY REFERENCES clinics (id),
    text       TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL
);

-- The audit log: seq is assigned by the store (head.seq + 1), never by autoincrement, so the
-- chain is gap-free. No foreign keys: audit rows outlive and must not constrain the records.
CREATE TABLE audit_log (
    seq         BIGINT  PRIMARY KEY NOT NULL,
    at          BIGINT  NOT NULL,
    actor_id    BIGINT,
    actor_role  TEXT,
    clinic_id   BIGINT,
    patient_id  BIGINT,
    action      TEXT    NOT NULL,
    object_type TEXT    NOT NULL,
    object_id   TEXT,
    outcome     TEXT    NOT NULL,
    request_id  TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_patient_at ON audit_log (patient_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The chain head: one row, read and updated in the same transaction as every append, which
-- serialises appends (SQLite transactions begin IMMEDIATE, so the writer lock is taken first).
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head cannot be deleted');
END;
