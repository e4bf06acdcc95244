-- 004_maintenance.sql — preventive maintenance: the plans (loaded from
-- config/ by fmctl apply, like the registry) and schedd's state per plan and
-- device (last done, next due, meter values counted from telemetry).

-- A plan targets one device or every device of an asset type (optionally on
-- one site), and is due by calendar interval, by meter (run_hours, starts),
-- or by whichever comes first when both are set.
-- Plans are configuration that refers to configuration, so they reference
-- the registry; the keys are deferred so that fmctl apply may load sites,
-- devices and plans in one transaction in any order. A device cannot leave
-- the registry while a plan still names it.
CREATE TABLE pm_plans (
	plan_id           text        PRIMARY KEY,
	site_id           text        REFERENCES sites (site_id) DEFERRABLE INITIALLY DEFERRED,
	device_id         text        REFERENCES devices (device_id) DEFERRABLE INITIALLY DEFERRED,
	asset_type        text,
	name              text        NOT NULL,
	-- fixed: due dates anchored to the calendar; floating: counted from the
	-- last completion.
	anchor            text        NOT NULL DEFAULT 'floating',
	calendar_interval interval,
	meter_metric      text,
	meter_interval    double precision,
	lead_time         interval    NOT NULL DEFAULT interval '0',
	-- Local time of day (the site's timezone) the work may be done in, e.g.
	-- elevators after 00:00; NULL: any time. window_end < window_start
	-- spans midnight.
	window_start      time,
	window_end        time,
	skill             text,
	priority          text        NOT NULL DEFAULT 'ordinary',
	checklist         jsonb       NOT NULL DEFAULT '[]',
	enabled           boolean     NOT NULL DEFAULT true,
	updated_at        timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT pm_plans_target CHECK (device_id IS NOT NULL OR asset_type IS NOT NULL),
	CONSTRAINT pm_plans_anchor CHECK (anchor IN ('fixed', 'floating')),
	CONSTRAINT pm_plans_due_by CHECK (calendar_interval IS NOT NULL OR meter_metric IS NOT NULL),
	CONSTRAINT pm_plans_calendar CHECK (calendar_interval > interval '0'),
	CONSTRAINT pm_plans_meter CHECK ((meter_metric IS NULL) = (meter_interval IS NULL)
					 AND meter_interval > 0),
	CONSTRAINT pm_plans_lead CHECK (lead_time >= interval '0'),
	CONSTRAINT pm_plans_window CHECK ((window_start IS NULL) = (window_end IS NULL)),
	CONSTRAINT pm_plans_priority CHECK (priority IN ('emergency', 'ordinary')),
	CONSTRAINT pm_plans_checklist CHECK (jsonb_typeof(checklist) = 'array')
);
CREATE INDEX pm_plans_device ON pm_plans (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX pm_plans_asset_type ON pm_plans (asset_type) WHERE asset_type IS NOT NULL;

-- pm_state: one row per (plan, device) that schedd has looked at.
-- No foreign keys, on purpose: last_done is a record of work done, and it
-- must survive fmctl apply replacing a plan or re-adding a device (a lost
-- last_done would make the plan due at once). schedd ignores rows whose plan
-- or device no longer exists.
-- meter_value is the latest counted meter reading; meter_at_last_done the
-- reading when the work was last done, so the meter due point is
-- meter_at_last_done + pm_plans.meter_interval.
CREATE TABLE pm_state (
	plan_id            text        NOT NULL,
	device_id          text        NOT NULL,
	last_done          timestamptz,
	next_due           timestamptz,
	meter_value        double precision,
	meter_at           timestamptz,
	meter_at_last_done double precision,
	-- The idempotency key of the last work-order request and its work
	-- order, so a restart never requests the same occurrence twice.
	last_request_key   text,
	last_requested_at  timestamptz,
	wo_id              text,
	updated_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (plan_id, device_id)
);
CREATE INDEX pm_state_next_due ON pm_state (next_due);
