-- 005_work_orders.sql — work orders (派工单), owned by dispatchd: intake,
-- SLA clocks, assignment, escalation, progress, follow-up (回访), and the
-- audit of every transition with its actor and time.
--
-- No foreign keys to the registry or to alarms and plans: a work order is a
-- record of work that must outlive the device, the person who did it and the
-- plan that asked for it, and dispatchd must accept a request (say, from
-- alertd for a device just added) before the registry in PostgreSQL catches
-- up.

-- The lifecycle of domain.md: registered -> dispatched -> accepted -> on_site
-- -> in_progress -> completed -> followed_up -> closed. Side states:
-- declined (the assignee refused; waits for re-dispatch), paused (with a
-- reason; stops the resolve clock only), reopened (an unsatisfied follow-up
-- or a repeat repair; waits for dispatch), cancelled (a duplicate or
-- withdrawn request). Escalation is not a state: an order is escalated while
-- it stays where it is, so it is escalation_level plus an 'escalated'
-- transition in wo_events.
CREATE DOMAIN wo_state AS text CHECK (VALUE IN (
	'registered', 'dispatched', 'accepted', 'on_site', 'in_progress', 'paused',
	'completed', 'followed_up', 'closed', 'declined', 'reopened', 'cancelled'));

CREATE TABLE work_orders (
	wo_id            text        PRIMARY KEY,
	site_id          text        NOT NULL,
	device_id        text,
	area_id          text,
	-- The categories of domain.md.
	kind             text        NOT NULL,
	-- Urgency: emergency 紧急 / ordinary 一般; complaints also carry a grade
	-- that sets their reply clock.
	priority         text        NOT NULL DEFAULT 'ordinary',
	complaint_grade  text,
	state            wo_state    NOT NULL DEFAULT 'registered',
	title            text        NOT NULL,
	description      text,
	-- Who asked: a person_id, a resident's contact taken by customer
	-- service, or the requesting daemon.
	reporter         text,
	skill            text,
	assignee         text,
	escalation_level smallint    NOT NULL DEFAULT 0,
	created_at       timestamptz NOT NULL DEFAULT now(),
	respond_by       timestamptz,
	arrive_by        timestamptz,
	resolve_by       timestamptz,
	followup_by      timestamptz,
	dispatched_at    timestamptz,
	accepted_at      timestamptz,
	arrived_at       timestamptz,
	started_at       timestamptz,
	completed_at     timestamptz,
	followed_up_at   timestamptz,
	closed_at        timestamptz,
	cancelled_at     timestamptz,
	-- Pauses stop the resolve clock: paused_ms is the total of finished
	-- pauses, paused_at the start of the current one.
	paused_at        timestamptz,
	paused_ms        bigint      NOT NULL DEFAULT 0,
	pause_reason     text,
	source_alarm_id  text,
	plan_id          text,
	due_at           timestamptz,
	-- alertd: the alarm id; schedd: plan, device and due time. A retried
	-- request finds the order it already opened.
	idempotency_key  text        UNIQUE,
	-- 返修: the completed order this one repeats (same asset and category
	-- within the repeat window).
	repeat_of        text,
	reopen_count     smallint    NOT NULL DEFAULT 0,
	resolution       text,
	satisfaction     smallint,
	satisfied        boolean,
	followup_note    text,
	updated_at       timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT work_orders_kind CHECK (kind IN ('equipment_fault', 'facility_repair',
		'emergency', 'preventive', 'inspection', 'repair_request', 'complaint')),
	CONSTRAINT work_orders_priority CHECK (priority IN ('emergency', 'ordinary')),
	CONSTRAINT work_orders_complaint_grade CHECK (complaint_grade IN ('major', 'urgent', 'general')),
	CONSTRAINT work_orders_escalation CHECK (escalation_level >= 0),
	CONSTRAINT work_orders_paused_ms CHECK (paused_ms >= 0),
	CONSTRAINT work_orders_reopen_count CHECK (reopen_count >= 0),
	CONSTRAINT work_orders_satisfaction CHECK (satisfaction BETWEEN 1 AND 5),
	CONSTRAINT work_orders_paused CHECK (state <> 'paused'
					     OR (paused_at IS NOT NULL AND pause_reason IS NOT NULL)),
	CONSTRAINT work_orders_assigned CHECK (state NOT IN
		('dispatched', 'accepted', 'on_site', 'in_progress', 'paused') OR assignee IS NOT NULL),
	CONSTRAINT work_orders_closed_at CHECK (state <> 'closed' OR closed_at IS NOT NULL),
	CONSTRAINT work_orders_completed_at CHECK (state NOT IN ('completed', 'followed_up')
						   OR completed_at IS NOT NULL)
);
-- What dispatchd restores at start and watches the clocks of.
CREATE INDEX work_orders_open ON work_orders (site_id, state)
	WHERE state NOT IN ('closed', 'cancelled');
-- A technician's load (least-load assignment).
CREATE INDEX work_orders_assignee_open ON work_orders (assignee)
	WHERE state NOT IN ('closed', 'cancelled');
-- Repeat repairs: the same asset within days of a completed order.
CREATE INDEX work_orders_device ON work_orders (device_id, completed_at);
CREATE INDEX work_orders_alarm ON work_orders (source_alarm_id) WHERE source_alarm_id IS NOT NULL;
CREATE INDEX work_orders_plan ON work_orders (plan_id, device_id) WHERE plan_id IS NOT NULL;
-- KPIs by site and period (fmctl report).
CREATE INDEX work_orders_site_created ON work_orders (site_id, created_at);

-- wo_events: every transition, time-stamped with its actor (T 003: the
-- system records times, process and result). from_state is NULL for
-- 'created'; notes and reassignments keep the state.
CREATE TABLE wo_events (
	id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	wo_id      text        NOT NULL REFERENCES work_orders (wo_id) ON DELETE CASCADE,
	ts         timestamptz NOT NULL,
	transition text        NOT NULL,
	from_state wo_state,
	to_state   wo_state    NOT NULL,
	actor      text        NOT NULL,
	detail     jsonb       NOT NULL DEFAULT '{}',
	CONSTRAINT wo_events_transition CHECK (transition IN ('created', 'dispatched', 'accepted',
		'declined', 'arrived', 'started', 'paused', 'resumed', 'completed', 'followed_up',
		'closed', 'escalated', 'reopened', 'cancelled', 'reassigned', 'noted')),
	CONSTRAINT wo_events_detail_object CHECK (jsonb_typeof(detail) = 'object')
);
CREATE INDEX wo_events_wo ON wo_events (wo_id, ts);
CREATE INDEX wo_events_ts_brin ON wo_events USING brin (ts);
