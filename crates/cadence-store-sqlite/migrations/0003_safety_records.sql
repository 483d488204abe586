-- Safety as records (issue 13): findings and their releases, REMS enrolment, the session
-- record as append-only entries, and the screening a course starts on.
--
-- The treatment_sessions columns pre_checks, administration and discharge are superseded by
-- session_entries: their values are copied below and the columns are no longer written
-- (SQLite cannot drop them without rebuilding the table; they stay, unused, for history).
-- A session's `held` status is no longer stored either: it is derived from open findings.

-- A safety finding: what holds a patient's sessions until a clinician releases it.
CREATE TABLE findings (
    id                   INTEGER PRIMARY KEY,
    clinic_id            INTEGER NOT NULL,
    patient_id           INTEGER NOT NULL,
    course_id            INTEGER,
    treatment_session_id INTEGER,
    kind                 TEXT    NOT NULL,
    severity             TEXT    NOT NULL,
    detail               TEXT    NOT NULL,
    source               TEXT    NOT NULL,
    source_id            BIGINT,
    found_at             BIGINT  NOT NULL,
    recorded_by          INTEGER REFERENCES users (id),
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id),
    FOREIGN KEY (clinic_id, treatment_session_id) REFERENCES treatment_sessions (clinic_id, id)
);
CREATE INDEX findings_patient ON findings (clinic_id, patient_id, found_at);

-- A clinician's release of one finding: at most one per finding.
CREATE TABLE finding_releases (
    id          INTEGER PRIMARY KEY,
    clinic_id   INTEGER NOT NULL,
    finding_id  INTEGER NOT NULL UNIQUE,
    note        TEXT    NOT NULL,
    decision_id INTEGER,
    released_by INTEGER NOT NULL REFERENCES users (id),
    released_at BIGINT  NOT NULL,
    FOREIGN KEY (clinic_id, finding_id) REFERENCES findings (clinic_id, id)
);
CREATE INDEX finding_releases_clinic ON finding_releases (clinic_id, finding_id);

CREATE TRIGGER findings_no_update BEFORE UPDATE ON findings
BEGIN
    SELECT RAISE(ABORT, 'findings are append-only');
END;
CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
BEGIN
    SELECT RAISE(ABORT, 'findings are append-only');
END;
CREATE TRIGGER finding_releases_no_update BEFORE UPDATE ON finding_releases
BEGIN
    SELECT RAISE(ABORT, 'finding releases are append-only');
END;
CREATE TRIGGER finding_releases_no_delete BEFORE DELETE ON finding_releases
BEGIN
    SELECT RAISE(ABORT, 'finding releases are append-only');
END;

-- A patient's SPRAVATO REMS enrolment.
CREATE TABLE rems_enrolments (
    clinic_id       INTEGER NOT NULL,
    patient_id      INTEGER NOT NULL,
    rems_patient_id TEXT    NOT NULL,
    enrolled_on     TEXT    NOT NULL,
    recorded_by     INTEGER NOT NULL REFERENCES users (id),
    recorded_at     BIGINT  NOT NULL,
    PRIMARY KEY (clinic_id, patient_id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
);

-- The session record, one row per entry, never updated or deleted: readings are added,
-- corrections point at what they correct, addenda follow a signature.
CREATE TABLE session_entries (
    id                   INTEGER PRIMARY KEY,
    clinic_id            INTEGER NOT NULL,
    treatment_session_id INTEGER NOT NULL,
    kind                 TEXT    NOT NULL,
    body                 TEXT    NOT NULL,
    corrects             INTEGER UNIQUE,
    reason               TEXT,
    recorded_by          INTEGER NOT NULL REFERENCES users (id),
    recorded_at          BIGINT  NOT NULL,
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, treatment_session_id) REFERENCES treatment_sessions (clinic_id, id),
    FOREIGN KEY (clinic_id, corrects) REFERENCES session_entries (clinic_id, id)
);
CREATE INDEX session_entries_session ON session_entries (clinic_id, treatment_session_id, id);
-- One administration, one infusion end and one signature per session, and one end (a
-- discharge or an exceptional end); a correction carries `corrects` and is not counted.
CREATE UNIQUE INDEX session_entries_once ON session_entries (treatment_session_id, kind)
    WHERE corrects IS NULL AND kind IN ('administration', 'administration_end', 'signature');
CREATE UNIQUE INDEX session_entries_end ON session_entries (treatment_session_id)
    WHERE corrects IS NULL AND kind IN ('discharge', 'exceptional_end');

CREATE TRIGGER session_entries_no_update BEFORE UPDATE ON session_entries
BEGIN
    SELECT RAISE(ABORT, 'session entries are append-only');
END;
CREATE TRIGGER session_entries_no_delete BEFORE DELETE ON session_entries
BEGIN
    SELECT RAISE(ABORT, 'session entries are append-only');
END;
CREATE TRIGGER monitoring_entries_no_update BEFORE UPDATE ON monitoring_entries
BEGIN
    SELECT RAISE(ABORT, 'monitoring entries are append-only');
END;
CREATE TRIGGER monitoring_entries_no_delete BEFORE DELETE ON monitoring_entries
BEGIN
    SELECT RAISE(ABORT, 'monitoring entries are append-only');
END;

ALTER TABLE monitoring_entries ADD COLUMN respiratory_rate INTEGER;
ALTER TABLE treatment_sessions ADD COLUMN booking_reason TEXT;
ALTER TABLE courses ADD COLUMN screening_id INTEGER;
ALTER TABLE courses ADD COLUMN screening_override TEXT;

-- Carry the stored records over, each entry at the time it was recorded.
INSERT INTO session_entries (clinic_id, treatment_session_id, kind, body, recorded_by, recorded_at)
SELECT clinic_id, id, 'pre_checks', pre_checks,
       json_extract(pre_checks, '$.recorded_by'),
       COALESCE(CAST(unixepoch(json_extract(pre_checks, '$.recorded_at'), 'subsec') * 1000 AS INTEGER), updated_at)
FROM treatment_sessions WHERE pre_checks IS NOT NULL;

INSERT INTO session_entries (clinic_id, treatment_session_id, kind, body, recorded_by, recorded_at)
SELECT clinic_id, id, 'administration', administration,
       json_extract(administration, '$.recorded_by'),
       COALESCE(CAST(unixepoch(json_extract(administration, '$.started_at'), 'subsec') * 1000 AS INTEGER), updated_at)
FROM treatment_sessions WHERE administration IS NOT NULL;

INSERT INTO session_entries (clinic_id, treatment_session_id, kind, body, recorded_by, recorded_at)
SELECT clinic_id, id, 'discharge', discharge,
       json_extract(discharge, '$.recorded_by'),
       COALESCE(CAST(unixepoch(json_extract(discharge, '$.discharged_at'), 'subsec') * 1000 AS INTEGER), updated_at)
FROM treatment_sessions WHERE discharge IS NOT NULL;

-- A session held for its pre-dose blood pressure becomes an open finding: a clinician
-- releases it, as every hold is released now.
INSERT INTO findings (clinic_id, patient_id, course_id, treatment_session_id, kind, severity,
                      detail, source, source_id, found_at, recorded_by)
SELECT s.clinic_id, c.patient_id, s.course_id, s.id, 'pre_dose_blood_pressure', 'moderate',
       'Pre-dose blood pressure ' || json_extract(s.pre_checks, '$.bp_systolic') || '/' ||
       json_extract(s.pre_checks, '$.bp_diastolic') || ' mmHg held this session (recorded before findings were stored)',
       'migrated', s.id, s.updated_at, json_extract(s.pre_checks, '$.recorded_by')
FROM treatment_sessions s JOIN courses c ON c.id = s.course_id
WHERE s.status = 'held';
UPDATE treatment_sessions SET status = 'in_progress' WHERE status = 'held';

-- An assessment that raised a suicide-risk flag becomes a finding; one a clinician's decision
-- followed (in time) counts as reviewed by that decision, as the engine treated it before.
INSERT INTO findings (clinic_id, patient_id, kind, severity, detail, source, source_id,
                      found_at, recorded_by)
SELECT a.clinic_id, a.patient_id,
       CASE a.instrument WHEN 'cssrs_screen' THEN 'cssrs_risk'
                         WHEN 'madrs' THEN 'madrs_suicidal_thoughts'
                         ELSE 'suicide_risk_item' END,
       'high',
       a.instrument || ' of ' || a.taken_on || ' raised a suicide-risk flag (recorded before findings were stored)',
       'migrated', a.id, a.created_at, a.created_by
FROM assessments a
WHERE EXISTS (SELECT 1 FROM json_each(a.score, '$.flags') WHERE value = 'suicide_risk');

INSERT INTO finding_releases (clinic_id, finding_id, note, decision_id, released_by, released_at)
SELECT f.clinic_id, f.id, 'Reviewed by a decision recorded before findings were stored',
       d.id, d.decided_by, d.created_at
FROM findings f
JOIN decisions d ON d.id = (
    SELECT d2.id FROM decisions d2 JOIN courses c2 ON c2.id = d2.course_id
    WHERE c2.clinic_id = f.clinic_id AND c2.patient_id = f.patient_id AND d2.created_at > f.found_at
    ORDER BY d2.created_at, d2.id LIMIT 1)
WHERE f.source = 'migrated' AND f.kind <> 'pre_dose_blood_pressure';
