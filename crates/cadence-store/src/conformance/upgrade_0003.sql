-- Records as Cadence stored them before migration 0003 (schema 0001-0002), in SQL both
-- backends run: ids are assigned 1, 2, ... in insert order on a fresh database. Times are
-- milliseconds since the epoch (2026-03-01T10:00Z = 1772359200000).
INSERT INTO clinics (name, time_zone, created_at) VALUES ('Old Clinic', 'UTC', 1772438400000);
INSERT INTO users (clinic_id, email, role, password_hash, must_change_password, created_at)
VALUES (1, 'clinician@old.test', 'clinician', 'x', FALSE, 1772438400000);
INSERT INTO users (clinic_id, email, role, password_hash, must_change_password, created_at)
VALUES (1, 'nurse@old.test', 'nurse', 'x', FALSE, 1772438400000);
INSERT INTO patients (clinic_id, mrn, given_name, family_name, birth_date, sex, created_at, updated_at)
VALUES (1, 'OLD-1', 'Old', 'Record', '1980-01-01', 'female', 1772438400000, 1772438400000);
INSERT INTO courses (clinic_id, patient_id, protocol_id, protocol_version, protocol_text, start_date, created_by, created_at)
VALUES (1, 1, 'iv-ketamine-6', 1, 'id = "iv-ketamine-6"', '2026-03-02', 1, 1772438400000);
-- Session 1, 2026-03-02: completed (pre-checks at 09:00, dose at 09:10, discharge at 11:00).
INSERT INTO treatment_sessions (clinic_id, course_id, scheduled_on, status, pre_checks, administration, discharge, created_at, updated_at)
VALUES (1, 1, '2026-03-02', 'completed',
  '{"identity_confirmed":true,"fasting_confirmed":true,"transport_arranged":true,"bp_systolic":126,"bp_diastolic":80,"heart_rate":70,"spo2":98,"recorded_by":2,"recorded_at":"2026-03-02T09:00:00Z"}',
  '{"route":"iv_ketamine","dose_ordered_mg":36.0,"dose_given_mg":36.0,"lot":"OLD-LOT","started_at":"2026-03-02T09:10:00Z","recorded_by":2}',
  '{"discharged_at":"2026-03-02T11:00:00Z","moaas":5,"bp_systolic":124,"bp_diastolic":80,"clinically_stable":true,"escort_present":true,"ready_after_minutes":90,"recorded_by":2}',
  1772438400000, 1772449200000);
-- Session 2, 2026-03-05: held at 158/97.
INSERT INTO treatment_sessions (clinic_id, course_id, scheduled_on, status, pre_checks, created_at, updated_at)
VALUES (1, 1, '2026-03-05', 'held',
  '{"identity_confirmed":true,"fasting_confirmed":true,"transport_arranged":true,"bp_systolic":158,"bp_diastolic":97,"heart_rate":70,"spo2":98,"recorded_by":2,"recorded_at":"2026-03-05T09:00:00Z"}',
  1772438400000, 1772701200000);
-- A flagged PHQ-9 (2026-03-01 10:00), a decision (2026-03-02 08:30), another flagged PHQ-9
-- (2026-03-04 10:00).
INSERT INTO assessments (clinic_id, patient_id, instrument, answers, total, score, source, taken_on, created_by, created_at)
VALUES (1, 1, 'phq9', '[1,1,1,1,1,1,2,2,2]', 12, '{"instrument":"phq9","total":12,"flags":["suicide_risk"]}', 'clinic', '2026-03-01', 2, 1772359200000);
INSERT INTO decisions (clinic_id, course_id, decision, note, decided_by, decided_on, created_at)
VALUES (1, 1, 'continue', 'Item 9 reviewed', 1, '2026-03-02', 1772440200000);
INSERT INTO assessments (clinic_id, patient_id, instrument, answers, total, score, source, taken_on, created_by, created_at)
VALUES (1, 1, 'phq9', '[1,1,1,1,1,1,2,2,2]', 12, '{"instrument":"phq9","total":12,"flags":["suicide_risk"]}', 'clinic', '2026-03-04', 2, 1772618400000);
