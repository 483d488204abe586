-- Scheduling (issue 16 §1): a session's start time, length and chair; the clinic's opening
-- hours per weekday, its chairs and its session length.
--
-- Existing sessions upgrade to the clinic's default day: they start at 09:00 (the default
-- opening time) for 120 minutes (the default session length, also the esketamine label's
-- observation time), with no chair assigned (they count against the clinic's chairs but hold
-- no particular one). Existing clinics get as many chairs as the most sessions they ever had
-- booked on one day (at least the default of 4, at most 50), so no day they already run becomes overbooked.

ALTER TABLE clinics ADD COLUMN opening_hours TEXT NOT NULL
    DEFAULT 'mon 09:00-17:00,tue 09:00-17:00,wed 09:00-17:00,thu 09:00-17:00,fri 09:00-17:00,sat 09:00-17:00,sun 09:00-17:00';
ALTER TABLE clinics ADD COLUMN chairs INTEGER NOT NULL DEFAULT 4;
ALTER TABLE clinics ADD COLUMN session_minutes INTEGER NOT NULL DEFAULT 120;

ALTER TABLE treatment_sessions ADD COLUMN starts_at TEXT NOT NULL DEFAULT '09:00';
ALTER TABLE treatment_sessions ADD COLUMN minutes INTEGER NOT NULL DEFAULT 120;
ALTER TABLE treatment_sessions ADD COLUMN chair INTEGER;

UPDATE clinics SET chairs = LEAST(50, GREATEST(4, COALESCE((
    SELECT COUNT(*) AS n FROM treatment_sessions s
    WHERE s.clinic_id = clinics.id AND s.status NOT IN ('cancelled', 'no_show')
    GROUP BY s.scheduled_on ORDER BY n DESC LIMIT 1), 1)));
