-- Issue 18: the course read model and the indexes the page queries need.
--
-- course_summaries holds, per course, what the clinic-wide pages show between writes (phase,
-- next session) and the first day the course may need a look on /today. The service computes
-- it from the one replay of the course; the database only marks it stale: every write that can
-- change a course sets attention_on to '1000-01-01' (before any real day, so /today recomputes
-- it) and bumps version (a write-back computed before that write is then ignored), in the
-- write's own transaction (the triggers below). Existing courses start stale and are computed
-- by the first look.
CREATE TABLE course_summaries (
    course_id    INTEGER PRIMARY KEY,
    clinic_id    INTEGER NOT NULL,
    patient_id   INTEGER NOT NULL,
    version      BIGINT  NOT NULL DEFAULT 0,
    phase        TEXT,
    next_due     TEXT,
    attention_on TEXT    NOT NULL,
    computed_on  TEXT,
    FOREIGN KEY (clinic_id, course_id) REFERENCES courses (clinic_id, id)
);
CREATE INDEX course_summaries_attention ON course_summaries (clinic_id, attention_on);
CREATE INDEX course_summaries_patient ON course_summaries (clinic_id, patient_id);

INSERT INTO course_summaries (course_id, clinic_id, patient_id, attention_on)
    SELECT id, clinic_id, patient_id, '1000-01-01' FROM courses;

-- One course's sessions by course (not through the clinic-wide day index), a patient's newest
-- course, and the patient list in its page order.
CREATE INDEX treatment_sessions_clinic_course ON treatment_sessions (clinic_id, course_id, scheduled_on);
-- A session's record entries by session (the plan test found them read by a full scan).
CREATE INDEX session_entries_by_session ON session_entries (treatment_session_id, id);
CREATE INDEX courses_patient_start ON courses (clinic_id, patient_id, start_date, id);
CREATE INDEX patients_clinic_name ON patients (clinic_id, family_name, given_name, id);

CREATE TRIGGER course_summaries_new AFTER INSERT ON courses
BEGIN
    INSERT INTO course_summaries (course_id, clinic_id, patient_id, attention_on)
    VALUES (NEW.id, NEW.clinic_id, NEW.patient_id, '1000-01-01');
END;
CREATE TRIGGER course_summaries_session_new AFTER INSERT ON treatment_sessions
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE course_id = NEW.course_id;
END;
CREATE TRIGGER course_summaries_session_change AFTER UPDATE ON treatment_sessions
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE course_id = NEW.course_id;
END;
CREATE TRIGGER course_summaries_entry AFTER INSERT ON session_entries
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE course_id = (SELECT course_id FROM treatment_sessions WHERE id = NEW.treatment_session_id);
END;
CREATE TRIGGER course_summaries_monitoring AFTER INSERT ON monitoring_entries
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE course_id = (SELECT course_id FROM treatment_sessions WHERE id = NEW.treatment_session_id);
END;
CREATE TRIGGER course_summaries_decision AFTER INSERT ON decisions
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE course_id = NEW.course_id;
END;
CREATE TRIGGER course_summaries_assessment AFTER INSERT ON assessments
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE clinic_id = NEW.clinic_id AND patient_id = NEW.patient_id;
END;
CREATE TRIGGER course_summaries_finding AFTER INSERT ON findings
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE clinic_id = NEW.clinic_id AND patient_id = NEW.patient_id;
END;
CREATE TRIGGER course_summaries_release AFTER INSERT ON finding_releases
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE clinic_id = NEW.clinic_id
      AND patient_id = (SELECT patient_id FROM findings WHERE id = NEW.finding_id);
END;
CREATE TRIGGER course_summaries_rems_new AFTER INSERT ON rems_enrolments
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE clinic_id = NEW.clinic_id AND patient_id = NEW.patient_id;
END;
CREATE TRIGGER course_summaries_rems_change AFTER UPDATE ON rems_enrolments
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE clinic_id = NEW.clinic_id AND patient_id = NEW.patient_id;
END;
CREATE TRIGGER course_summaries_calendar AFTER UPDATE ON clinics
BEGIN
    UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1
    WHERE clinic_id = NEW.id;
END;

-- Statistics for the planner (kept fresh by PRAGMA optimize when the store closes).
ANALYZE;
