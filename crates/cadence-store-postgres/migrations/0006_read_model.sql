-- Issue 18: the course read model and the indexes the page queries need (same tables and
-- columns as the SQLite backend's 0006_read_model.sql; see that file for the design).
--
-- course_summaries holds, per course, what the clinic-wide pages show between writes and the
-- first day the course may need a look on /today. The service computes it from the one replay
-- of the course; the database only marks it stale, in each write's own transaction (the
-- triggers below): attention_on = '1000-01-01' (before any real day) and version + 1.
CREATE TABLE course_summaries (
    course_id    BIGINT PRIMARY KEY,
    clinic_id    BIGINT NOT NULL,
    patient_id   BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 0,
    phase        TEXT,
    next_due     TEXT,
    attention_on TEXT   NOT NULL,
    computed_on  TEXT,
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id)
);
CREATE INDEX course_summaries_attention_idx ON course_summaries (clinic_id, attention_on);
CREATE INDEX course_summaries_patient_idx ON course_summaries (clinic_id, patient_id);

INSERT INTO course_summaries (course_id, clinic_id, patient_id, attention_on)
    SELECT id, clinic_id, patient_id, '1000-01-01' FROM courses;

CREATE INDEX treatment_sessions_clinic_course_idx
    ON treatment_sessions (clinic_id, course_id, scheduled_on);
-- A session's record entries by session (the plan test found them read by a full scan).
CREATE INDEX session_entries_by_session_idx ON session_entries (treatment_session_id, id);
CREATE INDEX courses_patient_start_idx ON courses (clinic_id, patient_id, start_date, id);
CREATE INDEX patients_clinic_name_idx
    ON patients (clinic_id, family_name COLLATE "C", given_name COLLATE "C", id);

CREATE FUNCTION cadence_summary_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO course_summaries (course_id, clinic_id, patient_id, attention_on)
    VALUES (NEW.id, NEW.clinic_id, NEW.patient_id, '1000-01-01');
    RETURN NULL;
END;
$$;
CREATE TRIGGER course_summaries_new AFTER INSERT ON courses
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_new();

-- A write to one course (its sessions, decisions).
CREATE FUNCTION cadence_summary_stale_course() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE course_id = NEW.course_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER course_summaries_session AFTER INSERT OR UPDATE ON treatment_sessions
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_stale_course();
CREATE TRIGGER course_summaries_decision AFTER INSERT ON decisions
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_stale_course();

-- A write to one session's record.
CREATE FUNCTION cadence_summary_stale_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE course_id = (SELECT course_id FROM treatment_sessions
                       WHERE id = NEW.treatment_session_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER course_summaries_entry AFTER INSERT ON session_entries
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_stale_session();
CREATE TRIGGER course_summaries_monitoring AFTER INSERT ON monitoring_entries
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_stale_session();

-- A write about the patient (assessments, findings, REMS): every course of theirs.
CREATE FUNCTION cadence_summary_stale_patient() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE clinic_id = NEW.clinic_id AND patient_id = NEW.patient_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER course_summaries_assessment AFTER INSERT ON assessments
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_stale_patient();
CREATE TRIGGER course_summaries_finding AFTER INSERT ON findings
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_stale_patient();
CREATE TRIGGER course_summaries_rems AFTER INSERT OR UPDATE ON rems_enrolments
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_stale_patient();

CREATE FUNCTION cadence_summary_stale_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE clinic_id = NEW.clinic_id
      AND patient_id = (SELECT patient_id FROM findings WHERE id = NEW.finding_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER course_summaries_release AFTER INSERT ON finding_releases
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_stale_release();

-- The clinic's calendar plans every course.
CREATE FUNCTION cadence_summary_stale_clinic() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE clinic_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER course_summaries_calendar AFTER UPDATE ON clinics
    FOR EACH ROW EXECUTE FUNCTION cadence_summary_stale_clinic();

ANALYZE;
