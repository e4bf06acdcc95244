-- 002_history.sql — what the devices said, written by ingestd: readings
-- (partitioned by UTC day), discrete events, last known device status, the
-- quarantine of rejected messages, and ingestd's spool position.
--
-- No foreign keys to the registry here, on purpose: history is written at
-- full rate by COPY (a foreign key costs an index lookup per row and a lock
-- on the registry row), it must accept a device the registry does not list
-- yet (whether to keep such data is ingestd's decision, not the schema's),
-- and it must outlive a device later removed from the registry.
--
-- Migrations run inside fmctl migrate's transaction: no BEGIN/COMMIT here and
-- nothing that cannot run in a transaction (CREATE INDEX CONCURRENTLY).

-- readings: one row per metric of a telemetry message. Booleans are stored as
-- 0/1. seq is the device's sequence number (bigint: ingestd must reject or
-- map a seq above 2^63-1).
--
-- Stored once: a redelivered QoS 1 message carries the same device, seq,
-- metric and ts. A unique index on a partitioned table must contain the
-- partition key, so the key is (device_id, metric, ts, seq): ts is part of
-- the payload (or the receipt time ingestd wrote into its spool, which a
-- spool replay repeats), so a duplicate always lands in the same partition
-- and conflicts there. Including ts also keeps a device's restart (seq back
-- to 0, new ts) from colliding with its earlier rows. The column order lets
-- the same index serve "device X, metric Y, between t1 and t2".
-- COPY cannot skip conflicts, so ingestd copies a batch into a session temp
-- table (CREATE TEMP TABLE ... (LIKE readings) ON COMMIT DELETE ROWS) and
-- moves it with INSERT ... SELECT ... ON CONFLICT DO NOTHING.
--
-- No DEFAULT partition, deliberately: a row outside every partition fails
-- loudly (SQLSTATE 23514) instead of landing in a default partition that is
-- never dropped by retention and that makes creating the partition for its
-- day fail later. ingestd rejects timestamps older than retention or further
-- in the future than its skew, and fm_partitions_maintain keeps partitions
-- ahead, so every accepted row has a partition.
CREATE TABLE readings (
	ts        timestamptz      NOT NULL,
	device_id text             NOT NULL,
	metric    text             NOT NULL,
	value     double precision NOT NULL,
	seq       bigint           NOT NULL,
	-- NaN compares greater than Infinity, so this also rejects NaN.
	CONSTRAINT readings_value_finite CHECK (value > '-Infinity' AND value < 'Infinity'),
	CONSTRAINT readings_once UNIQUE (device_id, metric, ts, seq)
) PARTITION BY RANGE (ts);

-- Rows arrive roughly in time order, which is what BRIN needs.
CREATE INDEX readings_ts_brin ON readings USING brin (ts);

-- fm_partitions_maintain: creates one partition per UTC day from
-- p_behind_days before today to p_ahead_days after, and drops partitions
-- whose whole day is older than p_retention_days (NULL: drop nothing).
-- Returns one row per partition created or dropped. Safe to run repeatedly
-- and concurrently (an advisory lock serialises callers; existing partitions
-- are kept). Partitions are named <table>_pYYYYMMDD; partitions not named
-- so are never touched. Run it in a short transaction of its own: creating
-- and dropping partitions takes locks on the parent until commit.
-- SECURITY DEFINER so that ingestd may keep partitions without owning the
-- table; only the tables listed below can be named.
CREATE FUNCTION fm_partitions_maintain(
	p_table text DEFAULT 'readings',
	p_ahead_days integer DEFAULT 7,
	p_retention_days integer DEFAULT NULL,
	p_behind_days integer DEFAULT 1)
RETURNS TABLE (action text, partition_name text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $fn$
DECLARE
	nsp text;
	today date := (now() AT TIME ZONE 'UTC')::date;
	d date;
	part text;
BEGIN
	IF p_table IS NULL OR p_table <> ALL (ARRAY['readings']) THEN
		RAISE EXCEPTION 'fm_partitions_maintain: % is not a table it maintains', p_table
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_ahead_days IS NULL OR p_ahead_days NOT BETWEEN 0 AND 366
	   OR p_behind_days IS NULL OR p_behind_days NOT BETWEEN 0 AND 3660 THEN
		RAISE EXCEPTION 'fm_partitions_maintain: ahead must be 0..366 days, behind 0..3660'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_retention_days IS NOT NULL AND p_retention_days <= p_behind_days THEN
		RAISE EXCEPTION 'fm_partitions_maintain: retention (% days) must exceed behind (% days)',
			p_retention_days, p_behind_days USING ERRCODE = 'invalid_parameter_value';
	END IF;

	PERFORM pg_advisory_xact_lock(hashtext('fm_partitions_maintain'), hashtext(p_table));

	SELECT n.nspname INTO nsp
	  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE c.relname = p_table AND n.nspname = current_schema()
	   AND c.relkind = 'p' AND c.relpersistence = 'p';
	IF nsp IS NULL THEN
		RAISE EXCEPTION 'fm_partitions_maintain: no partitioned table %.%', current_schema(), p_table
			USING ERRCODE = 'undefined_table';
	END IF;

	FOR d IN SELECT g::date FROM generate_series(today - p_behind_days, today + p_ahead_days,
						     interval '1 day') AS g LOOP
		part := p_table || '_p' || to_char(d, 'YYYYMMDD');
		CONTINUE WHEN to_regclass(format('%I.%I', nsp, part)) IS NOT NULL;
		EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
			       nsp, part, nsp, p_table,
			       to_char(d, 'YYYY-MM-DD') || ' 00:00:00+00',
			       to_char(d + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
		action := 'created';
		partition_name := part;
		RETURN NEXT;
	END LOOP;

	IF p_retention_days IS NULL THEN
		RETURN;
	END IF;
	-- A partition goes when its whole day ended before the retention horizon.
	FOR part IN SELECT c.relname
		      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		     WHERE i.inhparent = format('%I.%I', nsp, p_table)::regclass
		       AND c.relname ~ ('^' || p_table || '_p[0-9]{8}$')
		     ORDER BY c.relname LOOP
		d := to_date(right(part, 8), 'YYYYMMDD');
		CONTINUE WHEN (d + 1)::timestamp AT TIME ZONE 'UTC'
			      > now() - make_interval(days => p_retention_days);
		EXECUTE format('DROP TABLE %I.%I', nsp, part);
		action := 'dropped';
		partition_name := part;
		RETURN NEXT;
	END LOOP;
END
$fn$;

REVOKE ALL ON FUNCTION fm_partitions_maintain(text, integer, integer, integer) FROM PUBLIC;

-- A fresh database can take data at once: today, yesterday and a week ahead.
SELECT count(*) FROM fm_partitions_maintain('readings', 7, NULL, 1);

-- events: discrete device events (entrapment, fire_alarm, flood ...). Few
-- rows, so one table; alertd recovers what it missed while down by site and
-- time. Stored once per (device_id, seq, ts), as readings.
CREATE TABLE events (
	id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ts          timestamptz NOT NULL,
	site_id     text        NOT NULL,
	device_id   text        NOT NULL,
	event       text        NOT NULL,
	state       text        NOT NULL,
	seq         bigint      NOT NULL,
	detail      jsonb       NOT NULL DEFAULT '{}',
	received_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT events_state CHECK (state IN ('active', 'cleared')),
	CONSTRAINT events_detail_object CHECK (jsonb_typeof(detail) = 'object'),
	CONSTRAINT events_once UNIQUE (device_id, seq, ts)
);
CREATE INDEX events_site_ts ON events (site_id, ts);
CREATE INDEX events_ts_brin ON events USING brin (ts);

-- device_status: the last known state of each device (status topic, last
-- will) and when anything was last heard from it.
CREATE TABLE device_status (
	device_id        text        PRIMARY KEY,
	site_id          text        NOT NULL,
	state            text        NOT NULL DEFAULT 'unknown',
	last_seen        timestamptz,
	last_seq         bigint,
	state_changed_at timestamptz,
	updated_at       timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT device_status_state CHECK (state IN ('online', 'offline', 'unknown'))
);
CREATE INDEX device_status_site ON device_status (site_id, state);

-- quarantine: messages ingestd rejected, with their raw bytes for diagnosis.
-- raw is bounded (ingestd keeps at most the first 64 KiB; raw_bytes is the
-- size that arrived), so a flood of huge junk cannot fill the disk fast.
CREATE TABLE quarantine (
	id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	received_at timestamptz NOT NULL DEFAULT now(),
	instance    text,
	topic       text        NOT NULL,
	reason      text        NOT NULL,
	raw         bytea       NOT NULL,
	raw_bytes   integer     NOT NULL,
	detail      text,
	CONSTRAINT quarantine_topic_len CHECK (octet_length(topic) <= 65535),
	CONSTRAINT quarantine_reason_len CHECK (octet_length(reason) BETWEEN 1 AND 128),
	CONSTRAINT quarantine_raw_len CHECK (octet_length(raw) <= 65536 AND octet_length(raw) <= raw_bytes),
	CONSTRAINT quarantine_detail_len CHECK (octet_length(detail) <= 4096)
);
CREATE INDEX quarantine_received_brin ON quarantine USING brin (received_at);

-- ingest_spool_position: how far each ingestd instance has moved its spool
-- into PostgreSQL. Updated in the same transaction as the rows it covers, so
-- after a crash the instance replays exactly what did not commit.
CREATE TABLE ingest_spool_position (
	instance    text        PRIMARY KEY,
	segment     bigint      NOT NULL,
	byte_offset bigint      NOT NULL,
	updated_at  timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT ingest_spool_position_nonneg CHECK (segment >= 0 AND byte_offset >= 0)
);
