-- 011_dispatch.sql — what dispatchd needs beyond 005 to carry an order's
-- clocks and assignment across a restart (it reloads every open order from
-- work_orders at start), and the KPI view fmctl report reads.
--   sla_start_at   where the SLA clocks count from: the alarm's raise time,
--                  else the registration; a reopen restarts it
--   acked_at       the first dispatch since sla_start_at (acknowledge clock)
--   breached       bit per clock already reported breached (dispatchd's
--                  sla.h numbering: acknowledge, accept, on_site, resolve,
--                  reply, followup)
--   skip           who declined or let the acceptance window pass since
--                  sla_start_at: dispatch passes them over
--   followup_overdue  not followed up within the working time sla.yaml gives
-- dispatch_rotation keeps the per-site counter that makes equal candidates
-- take turns; sla_clocks, sla_settings and sla_escalation hold sla.yaml.

ALTER TABLE work_orders
	ADD COLUMN sla_start_at     timestamptz,
	ADD COLUMN acked_at         timestamptz,
	ADD COLUMN breached         integer     NOT NULL DEFAULT 0,
	ADD COLUMN skip             text[]      NOT NULL DEFAULT '{}',
	ADD COLUMN followup_overdue boolean     NOT NULL DEFAULT false,
	ADD COLUMN source           text,
	ADD CONSTRAINT work_orders_breached CHECK (breached >= 0),
	ADD CONSTRAINT work_orders_source CHECK (source IN ('alertd', 'schedd', 'ops'));
CREATE INDEX work_orders_repeat ON work_orders (device_id, kind, completed_at)
	WHERE device_id IS NOT NULL AND completed_at IS NOT NULL;

CREATE TABLE dispatch_rotation (
	site_id  text   PRIMARY KEY,
	counter  bigint NOT NULL DEFAULT 0
);

-- One row per order for the KPIs: durations in seconds from the SLA start
-- (the alarm's raise time where there is one), on time when no clock was
-- breached, satisfied at a score of 4 or 5 (sla.yaml reopens at 2 or less).
CREATE VIEW wo_kpi AS
SELECT w.wo_id, w.site_id, w.kind, w.priority, w.state, w.created_at,
       extract(epoch FROM w.accepted_at - w.sla_start_at) AS accept_s,
       extract(epoch FROM w.arrived_at - w.sla_start_at) AS arrive_s,
       extract(epoch FROM w.completed_at - w.sla_start_at) AS resolve_s,
       (w.breached & 15) = 0 AS on_time,
       w.satisfaction,
       w.satisfaction >= 4 AS satisfied_score,
       w.repeat_of IS NOT NULL AS is_repeat,
       w.breached <> 0 AS breached_any,
       w.state NOT IN ('closed', 'cancelled') AS is_open
FROM work_orders w;

-- sla.yaml as fmctl apply writes it and dispatchd reads it at start: the
-- clocks per category x urgency (durations in ms, 0: no such clock), one
-- row of settings, and the escalation chain (notify: role names, team ids,
-- person ids, or 'assignee').
CREATE TABLE sla_clocks (
	category        text   NOT NULL,
	urgency         text   NOT NULL,
	acknowledge_ms  bigint NOT NULL,
	accept_ms       bigint NOT NULL,
	on_site_ms      bigint NOT NULL,
	resolve_ms      bigint NOT NULL,
	updated_at      timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (category, urgency),
	CONSTRAINT sla_clocks_category CHECK (category IN ('equipment_fault', 'facility_repair',
		'emergency', 'preventive', 'inspection', 'repair_request', 'complaint')),
	CONSTRAINT sla_clocks_urgency CHECK (urgency IN ('emergency', 'ordinary')),
	CONSTRAINT sla_clocks_ms CHECK (acknowledge_ms >= 0 AND accept_ms >= 0
		AND on_site_ms >= 0 AND resolve_ms >= 0)
);

CREATE TABLE sla_settings (
	id                 boolean  PRIMARY KEY DEFAULT true CHECK (id),
	reply_major_ms     bigint   NOT NULL,
	reply_urgent_ms    bigint   NOT NULL,
	reply_general_ms   bigint   NOT NULL,
	followup_days      integer  NOT NULL,
	reopen_score_max   integer  NOT NULL,
	-- bit 0 = Sunday .. bit 6 = Saturday; minutes after local midnight
	work_days          integer  NOT NULL,
	work_start_min     integer  NOT NULL,
	work_end_min       integer  NOT NULL,
	repeat_window_ms   bigint   NOT NULL,
	emergency_team     text     NOT NULL,
	dispatch_roles     text[]   NOT NULL,
	load_weight_emergency integer NOT NULL,
	load_weight_ordinary  integer NOT NULL,
	updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sla_escalation (
	step      integer PRIMARY KEY,
	after_ms  bigint  NOT NULL CHECK (after_ms >= 0),
	notify    text[]  NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT ON sla_clocks, sla_settings, sla_escalation TO fm_dispatchd;
GRANT SELECT, INSERT, UPDATE, DELETE ON sla_clocks, sla_settings, sla_escalation TO fm_fmctl;
GRANT SELECT, INSERT, UPDATE ON dispatch_rotation TO fm_dispatchd;
GRANT SELECT ON dispatch_rotation, wo_kpi TO fm_fmctl;
