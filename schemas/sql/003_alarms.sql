-- 003_alarms.sql — alarms, written by alertd: the current state of every
-- alarm (restored when alertd restarts) and the audit of every transition.
-- The alarm payload of architecture.md maps onto alarms column by column
-- (site -> site_id, device -> device_id, rule -> rule_id).
--
-- No foreign keys to the registry: alertd raises alarms from the live stream
-- and must persist them even when the registry in PostgreSQL lags behind the
-- devices publishing, and an alarm is history that outlives its device.

CREATE TABLE alarms (
	alarm_id         text        PRIMARY KEY,
	site_id          text        NOT NULL,
	device_id        text,
	rule_id          text        NOT NULL,
	-- The seeds' incident grades: 1 = I (特别重大) ... 4 = IV (一般).
	severity         smallint    NOT NULL,
	-- active and cleared as in the payload; closed once acknowledged and
	-- cleared, when the retained alarm topic is emptied.
	state            text        NOT NULL DEFAULT 'active',
	acked            boolean     NOT NULL DEFAULT false,
	acked_by         text,
	acked_at         timestamptz,
	raised_at        timestamptz NOT NULL,
	cleared_at       timestamptz,
	closed_at        timestamptz,
	shelved_until    timestamptz,
	escalation_level smallint    NOT NULL DEFAULT 0,
	last_notified_at timestamptz,
	wo_id            text,
	-- expected: an open work order on the asset explains the alarm
	-- (maintenance suppression); suppressed_by: the alarm_id of the upstream
	-- cause (a power-room outage suppresses the pump alarms it causes).
	expected         boolean     NOT NULL DEFAULT false,
	suppressed_by    text,
	value            double precision,
	message          text,
	updated_at       timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT alarms_severity CHECK (severity BETWEEN 1 AND 4),
	CONSTRAINT alarms_state CHECK (state IN ('active', 'cleared', 'closed')),
	CONSTRAINT alarms_escalation CHECK (escalation_level >= 0),
	CONSTRAINT alarms_ack CHECK (acked OR (acked_by IS NULL AND acked_at IS NULL)),
	CONSTRAINT alarms_cleared_at CHECK (state <> 'cleared' OR cleared_at IS NOT NULL),
	CONSTRAINT alarms_closed_at CHECK (state <> 'closed' OR closed_at IS NOT NULL)
);
-- What alertd restores at start and what the duty post lists.
CREATE INDEX alarms_open ON alarms (site_id, raised_at) WHERE state <> 'closed';
-- Alarms per asset, flapping rules, MTTA/MTTR (fmctl report).
CREATE INDEX alarms_device ON alarms (device_id, raised_at);
CREATE INDEX alarms_site_raised ON alarms (site_id, raised_at);
CREATE INDEX alarms_rule ON alarms (rule_id, raised_at);

-- alarm_events: one row per transition, as published on alarm-log. actor is
-- the person_id for acked/shelved, otherwise the daemon ("alertd").
CREATE TABLE alarm_events (
	id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	alarm_id   text        NOT NULL REFERENCES alarms (alarm_id) ON DELETE CASCADE,
	ts         timestamptz NOT NULL,
	transition text        NOT NULL,
	actor      text        NOT NULL,
	detail     jsonb       NOT NULL DEFAULT '{}',
	CONSTRAINT alarm_events_transition CHECK (transition IN
		('raised', 'acked', 'cleared', 'escalated', 'reminded', 'shelved', 'closed')),
	CONSTRAINT alarm_events_detail_object CHECK (jsonb_typeof(detail) = 'object')
);
CREATE INDEX alarm_events_alarm ON alarm_events (alarm_id, ts);
CREATE INDEX alarm_events_ts_brin ON alarm_events USING brin (ts);
