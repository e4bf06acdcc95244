-- 006_roles.sql — one least-privilege group role per daemon. They are
-- NOLOGIN: a deployment creates a LOGIN role per daemon instance and makes
-- it a member (CREATE ROLE ingestd_1 LOGIN IN ROLE fm_ingestd). Each role
-- gets exactly what its daemon uses; no daemon may delete anything, none
-- runs DDL, and only fmctl (the operator's tool) writes the registry.
-- Migrations themselves run as the schema owner, which needs CREATEROLE the
-- first time (roles are cluster-wide).
-- A later migration that adds a table adds its grants with it.

-- Roles are shared by every database of the cluster: another database may
-- have created them already, or be creating them right now (the advisory
-- lock of fmctl migrate is per database), so both cases are tolerated.
DO $roles$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['fm_ingestd', 'fm_alertd', 'fm_schedd', 'fm_dispatchd', 'fm_fmctl'] LOOP
		CONTINUE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r);
		BEGIN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END;
	END LOOP;
	-- Names of this database and schema are not known when the file is
	-- written.
	EXECUTE format('GRANT USAGE ON SCHEMA %I TO fm_ingestd, fm_alertd, fm_schedd, fm_dispatchd, fm_fmctl',
		       current_schema());
	-- ingestd moves COPY batches through a session temp table (002).
	EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO fm_ingestd', current_database());
END
$roles$;

-- Every daemon checks the schema version at start.
GRANT SELECT ON schema_migrations TO fm_ingestd, fm_alertd, fm_schedd, fm_dispatchd, fm_fmctl;

-- The registry is every table 001_registry.sql made (whatever its later
-- shape): those that only list devices read sites and devices; alertd
-- (escalation along the roster) and dispatchd (assignment by skill, area and
-- shift) read all of it; fmctl apply writes it, and the plans with it.
GRANT SELECT ON sites, devices TO fm_ingestd, fm_schedd;
DO $registry$
DECLARE
	t text;
BEGIN
	FOR t IN SELECT c.relname FROM pg_class c
		  WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
		    AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		    AND c.relname <> ALL (ARRAY['schema_migrations', 'readings', 'events',
			'device_status', 'quarantine', 'ingest_spool_position', 'alarms',
			'alarm_events', 'pm_plans', 'pm_state', 'work_orders', 'wo_events'])
		  ORDER BY 1 LOOP
		EXECUTE format('GRANT SELECT ON %I TO fm_alertd, fm_dispatchd', t);
		EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO fm_fmctl', t);
	END LOOP;
END
$registry$;
GRANT SELECT, INSERT, UPDATE, DELETE ON pm_plans TO fm_fmctl;

-- ingestd: history in, device status, its spool position, partitions.
GRANT SELECT, INSERT ON readings, events TO fm_ingestd;
GRANT INSERT ON quarantine TO fm_ingestd;
GRANT SELECT, INSERT, UPDATE ON device_status, ingest_spool_position TO fm_ingestd;
GRANT EXECUTE ON FUNCTION fm_partitions_maintain(text, integer, integer, integer)
	TO fm_ingestd, fm_fmctl;

-- alertd: owns alarms; recovers missed events; knows which devices are
-- offline and which assets have an open work order (expected alarms).
GRANT SELECT, INSERT, UPDATE ON alarms TO fm_alertd;
GRANT SELECT, INSERT ON alarm_events TO fm_alertd;
GRANT SELECT ON events, device_status, work_orders TO fm_alertd;

-- schedd: owns pm_state; reads plans, meter history and PM work orders.
GRANT SELECT ON pm_plans, readings, work_orders TO fm_schedd;
GRANT SELECT, INSERT, UPDATE ON pm_state TO fm_schedd;

-- dispatchd: owns work orders; reads the alarms and plans they come from.
GRANT SELECT, INSERT, UPDATE ON work_orders TO fm_dispatchd;
GRANT SELECT, INSERT ON wo_events TO fm_dispatchd;
GRANT SELECT ON alarms, pm_plans, pm_state TO fm_dispatchd;

-- fmctl: reads everything for watch, list and report.
GRANT SELECT ON readings, events, device_status, quarantine, ingest_spool_position,
	alarms, alarm_events, pm_state, work_orders, wo_events
	TO fm_fmctl;
