-- 007_rules.sql — alarm rules (config/rules.yaml), written by fmctl apply and
-- read by alertd at start and on SIGHUP (it evaluates the live stream from
-- memory, never from here). One row per rule (device_id NULL) and one per
-- per-device override, holding the whole effective rule for that device, so
-- a reader takes each row as it is, with nothing to merge.
-- Levels are in the metric's own unit; durations are milliseconds. Columns a
-- rule's kind does not have are NULL. escalation is read without a JSON
-- parser: jsonb_to_recordset(escalation) AS e(after_ms bigint, notify text[]).

CREATE TABLE rules (
	rule_id        text        NOT NULL,
	-- An override's device; it goes with the device.
	device_id      text        REFERENCES devices (device_id) ON DELETE CASCADE
				   DEFERRABLE INITIALLY DEFERRED,
	name           text,
	asset_types    text[]      NOT NULL,
	kind           text        NOT NULL,
	metric         text,
	while_metric   text,
	op             text,
	raise_level    double precision,
	-- NULL: the alarm clears as soon as the raise condition no longer holds.
	clear_level    double precision,
	raise_for_ms   bigint,
	clear_for_ms   bigint,
	window_ms      bigint,
	timeout_ms     bigint,
	event          text,
	after_ms       bigint,
	silence_ms     bigint,
	-- The seeds' incident grades: 1 = I (特别重大) ... 4 = IV (一般).
	severity       smallint    NOT NULL,
	message        text        NOT NULL,
	-- Role names, team ids or person ids.
	notify         text[]      NOT NULL,
	-- The work-order request, as work_orders.kind / priority / skill;
	-- wo_assignee is a person id or 'supplier' (the device's supplier).
	wo_kind        text,
	wo_priority    text,
	wo_skill       text,
	wo_assignee    text,
	reminder_ms    bigint      NOT NULL,
	-- [{"after_ms": 900000, "notify": ["supervisor"]}, ...], counted from the raise.
	escalation     jsonb       NOT NULL DEFAULT '[]',
	flap_changes   smallint    NOT NULL,
	flap_window_ms bigint      NOT NULL,
	shelve_max_ms  bigint      NOT NULL,
	enabled        boolean     NOT NULL DEFAULT true,
	updated_at     timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT rules_key UNIQUE NULLS NOT DISTINCT (rule_id, device_id),
	CONSTRAINT rules_kind CHECK (kind IN ('threshold', 'rate', 'no_data', 'event', 'offline')),
	CONSTRAINT rules_op CHECK (op IN ('above', 'at_least', 'below', 'at_most', 'rise', 'fall')),
	CONSTRAINT rules_severity CHECK (severity BETWEEN 1 AND 4),
	CONSTRAINT rules_wo CHECK ((wo_kind IS NULL) = (wo_priority IS NULL)),
	CONSTRAINT rules_wo_kind CHECK (wo_kind IN ('equipment_fault', 'facility_repair',
		'emergency', 'preventive', 'inspection', 'repair_request', 'complaint')),
	CONSTRAINT rules_wo_priority CHECK (wo_priority IN ('emergency', 'ordinary')),
	CONSTRAINT rules_escalation CHECK (jsonb_typeof(escalation) = 'array'),
	CONSTRAINT rules_durations CHECK (raise_for_ms >= 0 AND clear_for_ms >= 0
		AND window_ms > 0 AND timeout_ms > 0 AND after_ms >= 0 AND silence_ms >= 0
		AND reminder_ms >= 0 AND flap_window_ms > 0 AND shelve_max_ms > 0),
	CONSTRAINT rules_flap_changes CHECK (flap_changes >= 0)
);
-- The rules of an asset type (alertd, fmctl report).
CREATE INDEX rules_asset_types ON rules USING gin (asset_types);

-- alertd reads them; fmctl apply writes them (grants as in 006_roles.sql).
GRANT SELECT ON rules TO fm_alertd;
GRANT SELECT, INSERT, UPDATE, DELETE ON rules TO fm_fmctl;
