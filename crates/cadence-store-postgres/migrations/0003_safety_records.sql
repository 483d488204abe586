-- Safety as records (issue 13): findings and their releases, REMS enrolment, the session
-- record as append-only entries, and the screening a course starts on. Mirrors
-- crates/cadence-store-sqlite/migrations/0003_safety_records.sql.
--
-- The treatment_sessions columns pre_checks, administration and discharge are superseded by
-- session_entries: their values are copied below and the columns are no longer written (they
-- stay, unused, so both backends keep the same columns). A session's `held` status is no
-- longer stored either: it is derived from open findings.

CREATE TABLE findings (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id            BIGINT NOT NULL,
    patient_id           BIGINT NOT NULL,
    course_id            BIGINT,
    treatment_session_id BIGINT,
    kind                 TEXT NOT NULL,
    severity             TEXT NOT NULL,
    detail               TEXT NOT NULL,
    source               TEXT NOT NULL,
    source_id            BIGINT,
    found_at             BIGINT NOT NULL,
    recorded_by          BIGINT REFERENCES users (id),
    CONSTRAINT findings_clinic_id_id_key UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id),
    FOREIGN KEY (clinic_id, treatment_session_id) REFERENCES treatment_sessions (clinic_id, id)
);
CREATE INDEX findings_patient_idx ON findings (clinic_id, patient_id, found_at);

CREATE TABLE finding_releases (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id   BIGINT NOT NULL,
    finding_id  BIGINT NOT NULL CONSTRAINT finding_releases_finding_id_key UNIQUE,
    note        TEXT NOT NULL,
    decision_id BIGINT,
    released_by BIGINT NOT NULL REFERENCES users (id),
    released_at BIGINT NOT NULL,
    FOREIGN KEY (clinic_id, finding_id) REFERENCES findings (clinic_id, id)
);
CREATE INDEX finding_releases_clinic_idx ON finding_releases (clinic_id, finding_id);

CREATE FUNCTION cadence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER findings_append_only BEFORE UPDATE OR DELETE ON findings
    FOR EACH ROW EXECUTE FUNCTION cadence_append_only();
CREATE TRIGGER finding_releases_append_only BEFORE UPDATE OR DELETE ON finding_releases
    FOR EACH ROW EXECUTE FUNCTION cadence_append_only();

CREATE TABLE rems_enrolments (
    clinic_id       BIGINT NOT NULL,
    patient_id      BIGINT NOT NULL,
    rems_patient_id TEXT NOT NULL,
    enrolled_on     TEXT NOT NULL,
    recorded_by     BIGINT NOT NULL REFERENCES users (id),
    recorded_at     BIGINT NOT NULL,
    PRIMARY KEY (clinic_id, patient_id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
);

CREATE TABLE session_entries (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id            BIGINT NOT NULL,
    treatment_session_id BIGINT NOT NULL,
    kind                 TEXT NOT NULL,
    body                 TEXT NOT NULL,
    corrects             BIGINT CONSTRAINT session_entries_corrects_key UNIQUE,
    reason               TEXT,
    recorded_by          BIGINT NOT NULL REFERENCES users (id),
    recorded_at          BIGINT NOT NULL,
    CONSTRAINT session_entries_clinic_id_id_key UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, treatment_session_id) REFERENCES treatment_sessions (clinic_id, id),
    FOREIGN KEY (clinic_id, corrects) REFERENCES session_entries (clinic_id, id)
);
CREATE INDEX session_entries_session_idx ON session_entries (clinic_id, treatment_session_id, id);
CREATE UNIQUE INDEX session_entries_once ON session_entries (treatment_session_id, kind)
    WHERE corrects IS NULL AND kind IN ('administration', 'administration_end', 'signature');
CREATE UNIQUE INDEX session_entries_end ON session_entries (treatment_session_id)
    WHERE corrects IS NULL AND kind IN ('discharge', 'exceptional_end');
CREATE TRIGGER session_entries_append_only BEFORE UPDATE OR DELETE ON session_entries
    FOR EACH ROW EXECUTE FUNCTION cadence_append_only();
CREATE TRIGGER monitoring_entries_append_only BEFORE UPDATE OR DELETE ON monitoring_entries
    FOR EACH ROW EXECUTE FUNCTION cadence_append_only();

ALTER TABLE monitoring_entries ADD COLUMN respiratory_rate INTEGER;
ALTER TABLE treatment_sessions ADD COLUMN booking_reason TEXT;
ALTER TABLE courses ADD COLUMN screening_id BIGINT;
ALTER TABLE courses ADD COLUMN screening_override TEXT;

INSERT INTO session_entries (clinic_id, treatment_session_id, kind, body, recorded_by, recorded_at)
SELECT clinic_id, id, 'pre_checks', pre_checks,
       (pre_checks::jsonb ->> 'recorded_by')::bigint,
       COALESCE((EXTRACT(EPOCH FROM (pre_checks::jsonb ->> 'recorded_at')::timestamptz) * 1000)::bigint, updated_at)
FROM treatment_sessions WHERE pre_checks IS NOT NULL;

INSERT INTO session_entries (clinic_id, treatment_session_id, kind, body, recorded_by, recorded_at)
SELECT clinic_id, id, 'administration', administration,
       (administration::jsonb ->> 'recorded_by')::bigint,
       COALESCE((EXTRACT(EPOCH FROM (administration::jsonb ->> 'started_at')::timestamptz) * 1000)::bigint, updated_at)
FROM treatment_sessions WHERE administration IS NOT NULL;

INSERT INTO session_entries (clinic_id, treatment_session_id, kind, body, recorded_by, recorded_at)
SELECT clinic_id, id, 'discharge', discharge,
       (discharge::jsonb ->> 'recorded_by')::bigint,
       COALESCE((EXTRACT(EPOCH FROM (discharge::jsonb ->> 'discharged_at')::timestamptz) * 1000)::bigint, updated_at)
FROM treatment_sessions WHERE discharge IS NOT NULL;

INSERT INTO findings (clinic_id, patient_id, course_id, treatment_session_id, kind, severity,
                      detail, source, source_id, found_at, recorded_by)
SELECT s.clinic_id, c.patient_id, s.course_id, s.id, 'pre_dose_blood_pressure', 'moderate',
       'Pre-dose blood pressure ' || (s.pre_checks::jsonb ->> 'bp_systolic') || '/' ||
       (s.pre_checks::jsonb ->> 'bp_diastolic') || ' mmHg held this session (recorded before findings were stored)',
       'migrated', s.id, s.updated_at, (s.pre_checks::jsonb ->> 'recorded_by')::bigint
FROM treatment_sessions s JOIN courses c ON c.id = s.course_id
WHERE s.status = 'held';
UPDATE treatment_sessions SET status = 'in_progress' WHERE status = 'held';

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
WHERE (a.score::jsonb -> 'flags') ? 'suicide_risk';

INSERT INTO finding_releases (clinic_id, finding_id, note, decision_id, released_by, released_at)
SELECT f.clinic_id, f.id, 'Reviewed by a decision recorded before findings were stored',
       d.id, d.decided_by, d.created_at
FROM findings f
JOIN decisions d ON d.id = (
    SELECT d2.id FROM decisions d2 JOIN courses c2 ON c2.id = d2.course_id
    WHERE c2.clinic_id = f.clinic_id AND c2.patient_id = f.patient_id AND d2.created_at > f.found_at
    ORDER BY d2.created_at, d2.id LIMIT 1)
WHERE f.source = 'migrated' AND f.kind <> 'pre_dose_blood_pressure';
