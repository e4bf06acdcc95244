-- 010_schedd.sql — what schedd needs beyond 004/009: plans every N hours,
-- minutes or seconds (shift rounds; short periods for tests), and the
-- state it must not lose across a restart: the meter's baseline, the due
-- instant of the last request, how many occurrences it stood for, and
-- whether its overdue notice and escalation went out (each once per
-- occurrence). schedd also reads the sites' time zones (006 grants it
-- sites already).

ALTER TABLE pm_plans DROP CONSTRAINT pm_plans_calendar_unit;
ALTER TABLE pm_plans
	ADD CONSTRAINT pm_plans_calendar_unit CHECK (
		(calendar_unit IS NULL) = (calendar_interval IS NULL)
		AND (calendar_unit IS NULL) = (calendar_count IS NULL)
		AND calendar_unit IN ('day', 'week', 'month', 'year', 'hour', 'minute', 'second')
		AND calendar_count > 0);

ALTER TABLE pm_state
	-- the meter's last raw reading (counter) or running state (1/0) and
	-- its time (meter_at): NULL until a reading arrived
	ADD COLUMN meter_base        double precision,
	-- the due instant of the occurrence last requested (next_due keeps
	-- 004's meaning: the next occurrence, for people looking)
	ADD COLUMN request_due       timestamptz,
	-- occurrences a downtime skipped that the last request stood for
	ADD COLUMN request_missed    bigint NOT NULL DEFAULT 0,
	-- the last_request_key whose overdue notice / escalation was sent
	ADD COLUMN overdue_key       text,
	ADD COLUMN escalated_key     text;
