-- 008_alertd.sql — alertd's persistence (services/alertd/store*.c): the
-- transitions alarm_events did not yet allow, who shelved an alarm and the
-- note of its acknowledgement, and how far each alertd instance has moved its
-- local journal into PostgreSQL. The journal position commits in the same
-- transaction as the alarm rows it covers, so a restart replays exactly what
-- did not commit; alive_at says until when the instance was running, so that
-- a restart recovers the discrete events that arrived while it was down.

ALTER TABLE alarm_events DROP CONSTRAINT alarm_events_transition;
ALTER TABLE alarm_events ADD CONSTRAINT alarm_events_transition CHECK (transition IN
	('raised', 'acked', 'cleared', 'escalated', 'reminded', 'shelved', 'unshelved',
	 'closed', 'flapping', 'suppressed', 'unsuppressed'));

-- shelved_until already is in 003; who did it goes with it. acked_note: what
-- the person wrote when acknowledging (also in the acked event's detail).
ALTER TABLE alarms ADD COLUMN shelved_by text;
ALTER TABLE alarms ADD COLUMN acked_note text;

CREATE TABLE alertd_journal_position (
	instance    text        PRIMARY KEY,
	segment     bigint      NOT NULL,
	byte_offset bigint      NOT NULL,
	-- the last time the instance's writer reported in (NULL: never)
	alive_at    timestamptz,
	updated_at  timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT alertd_journal_position_nonneg CHECK (segment >= 0 AND byte_offset >= 0)
);

GRANT SELECT, INSERT, UPDATE ON alertd_journal_position TO fm_alertd;
GRANT SELECT ON alertd_journal_position TO fm_fmctl;
