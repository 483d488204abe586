-- Issue 18: the schedule's to-move list from the course read model.
--
-- course_summaries.to_move counts a course's bookings from the day computed that no longer fit
-- its plan or the clinic's calendar (issue 16 §1). /schedule and /today read only the courses
-- whose summary is stale or counts one, instead of every course of the clinic. Every summary is
-- marked stale here, so the first look computes the count for courses that existed before.
ALTER TABLE course_summaries ADD COLUMN to_move BIGINT NOT NULL DEFAULT 0;
UPDATE course_summaries SET attention_on = '1000-01-01', version = version + 1;
CREATE INDEX course_summaries_to_move ON course_summaries (clinic_id, to_move);
