-- 009_plans.sql — pm_plans grows what config/maintenance.yaml says
-- (common/pm_conf.h): several devices and asset types per plan narrowed by
-- tags, site-level plans, the calendar as unit and count, a fixed plan's
-- anchor date, the meter's kind, duration, item sets, statutory plans with
-- their overdue notification and escalation, an assignee, and last_done.
-- 004's columns keep their meaning: calendar_interval is the same period as
-- calendar_count calendar_unit; device_id and asset_type are set when the
-- plan names exactly one device or one asset type (so the foreign key still
-- guards single-device plans), and device_ids / asset_types are the whole
-- target. The grants of 006 are per table and cover the new columns: fmctl
-- writes pm_plans, schedd reads it and owns pm_state.
-- A site-level plan (no device) keeps its pm_state under device_id ''.

ALTER TABLE pm_plans
	ADD COLUMN device_ids         text[]   NOT NULL DEFAULT '{}',
	ADD COLUMN asset_types        text[]   NOT NULL DEFAULT '{}',
	-- a device must carry every one of these tags to be covered
	ADD COLUMN target_tags        text[]   NOT NULL DEFAULT '{}',
	ADD COLUMN site_level         boolean  NOT NULL DEFAULT false,
	ADD COLUMN calendar_unit      text,
	ADD COLUMN calendar_count     integer,
	-- fixed plans: occurrences fall on anchor_date + k * the period
	ADD COLUMN anchor_date        date,
	-- counter: the metric's increase; starts: false -> true transitions of
	-- a boolean metric; hours: hours the boolean metric is true
	ADD COLUMN meter_kind         text,
	ADD COLUMN estimated_duration interval NOT NULL DEFAULT interval '1 hour',
	-- [{"name", "unit", "count", "anchor_date", "items": [...]}]: extra items
	-- on the first occurrence due on or after each anchor_date + k * period
	ADD COLUMN item_sets          jsonb    NOT NULL DEFAULT '[]',
	ADD COLUMN assignee           text     REFERENCES people (person_id) DEFERRABLE INITIALLY DEFERRED,
	ADD COLUMN statutory          boolean  NOT NULL DEFAULT false,
	ADD COLUMN overdue_after      interval NOT NULL DEFAULT interval '1 day',
	ADD COLUMN overdue_notify     text[]   NOT NULL DEFAULT '{}',
	ADD COLUMN escalate           text[]   NOT NULL DEFAULT '{}',
	ADD COLUMN escalate_after     interval NOT NULL DEFAULT interval '0',
	-- the last completion known from before the system (NULL: unknown, so
	-- the plan is due at once unless pm_state records a completion)
	ADD COLUMN last_done          date;

ALTER TABLE pm_plans DROP CONSTRAINT pm_plans_target;
ALTER TABLE pm_plans
	ADD CONSTRAINT pm_plans_target CHECK (
		CASE WHEN site_level
		     THEN site_id IS NOT NULL AND cardinality(device_ids) = 0
			  AND cardinality(asset_types) = 0 AND meter_metric IS NULL
		     ELSE cardinality(device_ids) > 0 OR cardinality(asset_types) > 0 END),
	ADD CONSTRAINT pm_plans_calendar_unit CHECK (
		(calendar_unit IS NULL) = (calendar_interval IS NULL)
		AND (calendar_unit IS NULL) = (calendar_count IS NULL)
		AND calendar_unit IN ('day', 'week', 'month', 'year') AND calendar_count > 0),
	ADD CONSTRAINT pm_plans_anchor_date CHECK ((anchor = 'fixed') = (anchor_date IS NOT NULL)),
	ADD CONSTRAINT pm_plans_meter_kind CHECK (
		(meter_kind IS NULL) = (meter_metric IS NULL)
		AND meter_kind IN ('counter', 'starts', 'hours')),
	ADD CONSTRAINT pm_plans_duration CHECK (estimated_duration > interval '0'),
	ADD CONSTRAINT pm_plans_item_sets CHECK (jsonb_typeof(item_sets) = 'array'),
	ADD CONSTRAINT pm_plans_overdue CHECK (overdue_after >= interval '0'
		AND escalate_after >= interval '0'),
	-- only statutory plans escalate
	ADD CONSTRAINT pm_plans_escalate CHECK (statutory OR cardinality(escalate) = 0);
