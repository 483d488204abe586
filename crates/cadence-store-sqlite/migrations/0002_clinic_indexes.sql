-- Clinic-wide reads (Store::list_course_bundles: /today, /patients, the research summary) read
-- every decision and monitoring entry of a clinic; index them by clinic as the other
-- clinic-scoped tables are.
CREATE INDEX decisions_clinic_course ON decisions (clinic_id, course_id);
CREATE INDEX monitoring_entries_clinic_session ON monitoring_entries (clinic_id, treatment_session_id, taken_at);
