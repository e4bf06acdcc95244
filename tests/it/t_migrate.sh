#!/usr/bin/env bash
# t_migrate.sh — fmctl migrate and the schema it builds, against the fresh
# database tests/it/run.sh made (FM_DB_CONNINFO): first run and idempotent
# second run, refusals, every table of architecture.md, daily partitions
# created ahead and dropped past retention, CHECK constraints, and the
# least-privilege roles. Prints each check; exits 1 on the first failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
FMCTL=${FM_BIN:-build/bin}/fmctl
DIR=${FM_SCHEMA_DIR:-schemas/sql}
: "${FM_DB_CONNINFO:?run under tests/it/run.sh}"
export FM_SCHEMA_DIR=$DIR

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
die() { echo "FAILED: $*"; exit 1; }
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$FM_DB_CONNINFO" -c "$1"; }
# expect_error SQLSTATE SQL: the statement must fail with that SQLSTATE.
expect_error() {
	local out
	out=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -At -d "$FM_DB_CONNINFO" -c "$2" 2>&1) &&
		die "succeeded but should fail with $1: $2"
	grep -q "ERROR:  $1" <<<"$out" || die "wanted $1 from: $2; got: $out"
}

want=$(ls "$DIR" | grep -cE '^[0-9]+_.*\.sql$')
[ "$want" -gt 0 ] || die "no migrations in $DIR"

# --- first run, second run ---------------------------------------------------
out=$("$FMCTL" migrate 2>&1) || die "first migrate exited $?: $out"
grep -q "schema at version $want (applied $want)" <<<"$out" || die "first migrate said: $out"
[ "$(q 'SELECT max(version) FROM schema_migrations')" = "$want" ] || die "version after migrate"
ok "migrate on an empty database applies $want migrations"

rows=$(q 'SELECT count(*) FROM schema_migrations')
out=$("$FMCTL" migrate 2>&1) || die "second migrate exited $?: $out"
grep -q "schema at version $want, nothing to apply" <<<"$out" || die "second migrate said: $out"
[ "$(q 'SELECT count(*) FROM schema_migrations')" = "$rows" ] || die "second migrate added rows"
ok "second migrate is a no-op: '$out'"

out=$("$FMCTL" migrate --status 2>&1) || die "--status exited $?"
grep -q "schema at version $want, 0 pending" <<<"$out" || die "--status said: $out"
ok "migrate --status reports nothing pending"

# --- refusals -----------------------------------------------------------------
q "INSERT INTO schema_migrations (version, name, checksum) VALUES ($want + 1, 'future.sql', 'x')"
out=$("$FMCTL" migrate 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "newer than the newest migration" <<<"$out" || die "newer database: exit $rc: $out"
q "DELETE FROM schema_migrations WHERE version = $want + 1"
ok "refuses a database newer than its migrations (exit 1)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/gap" "$tmp/dup"
cp "$DIR"/001_*.sql "$DIR"/003_*.sql "$tmp/gap/"
cp "$DIR"/001_*.sql "$tmp/dup/"; cp "$DIR"/001_*.sql "$tmp/dup/001_again.sql"
out=$("$FMCTL" migrate --dir "$tmp/gap" 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "without gaps" <<<"$out" || die "gap: exit $rc: $out"
out=$("$FMCTL" migrate --dir "$tmp/dup" 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "same number" <<<"$out" || die "duplicate: exit $rc: $out"
ok "refuses a gap and a duplicate number (exit 1)"

out=$(FM_DB_CONNINFO="host=127.0.0.1 port=1 dbname=x connect_timeout=2" "$FMCTL" migrate 2>&1); rc=$?
[ $rc -eq 3 ] || die "unreachable database: exit $rc: $out"
ok "unreachable database: exit 3"

"$FMCTL" migrate --bogus >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || die "bad option: exit $rc"
ok "bad option: exit 2"

# Two migrates racing on another fresh database both end at the same version.
other="${PGDATABASE:-fm}_race"
createdb "$other" || die "createdb $other"
race_info="$FM_DB_CONNINFO dbname=$other"
FM_DB_CONNINFO=$race_info "$FMCTL" migrate >"$tmp/a" 2>&1 & a=$!
FM_DB_CONNINFO=$race_info "$FMCTL" migrate >"$tmp/b" 2>&1 & b=$!
wait $a; ra=$?; wait $b; rb=$?
v=$(psql -X -At -d "$race_info" -c 'SELECT count(*) FROM schema_migrations')
dropdb "$other"
[ $ra -eq 0 ] && [ $rb -eq 0 ] && [ "$v" = "$want" ] || die "concurrent migrates: $ra $rb $v: $(cat "$tmp/a" "$tmp/b")"
ok "two concurrent migrates: both exit 0, each migration applied once"

# --- tables -------------------------------------------------------------------
for t in sites devices people skills shifts readings events device_status quarantine \
	ingest_spool_position alarms alarm_events pm_plans pm_state work_orders wo_events \
	schema_migrations; do
	[ "$(q "SELECT to_regclass('$t') IS NOT NULL")" = t ] || die "table $t missing"
done
ok "every table of architecture.md exists"

for c in readings.ts readings.device_id readings.metric readings.value readings.seq \
	events.ts events.device_id events.event events.state events.seq events.detail \
	device_status.device_id device_status.state device_status.last_seen \
	alarms.alarm_id alarms.site_id alarms.device_id alarms.rule_id alarms.severity alarms.state \
	alarms.acked alarms.acked_by alarms.raised_at alarms.cleared_at alarms.escalation_level alarms.wo_id \
	pm_state.last_done pm_state.next_due \
	work_orders.wo_id work_orders.site_id work_orders.device_id work_orders.kind work_orders.priority \
	work_orders.state work_orders.assignee work_orders.created_at work_orders.respond_by \
	work_orders.arrive_by work_orders.resolve_by work_orders.source_alarm_id work_orders.plan_id \
	wo_events.actor wo_events.ts schema_migrations.version schema_migrations.applied_at; do
	[ "$(q "SELECT count(*) FROM information_schema.columns
		WHERE table_name = '${c%.*}' AND column_name = '${c#*.}'")" = 1 ] || die "column $c missing"
done
ok "the columns architecture.md names exist"

# --- partitions ---------------------------------------------------------------
[ "$(q "SELECT relkind FROM pg_class WHERE relname = 'readings'")" = p ] || die "readings not partitioned"
[ "$(q "SELECT count(*) FROM pg_indexes WHERE tablename = 'readings' AND indexdef LIKE '%USING brin (ts)%'")" = 1 ] ||
	die "no BRIN index on readings(ts)"
for d in 0 7; do
	p="readings_p$(date -u -d "+$d days" +%Y%m%d)"
	[ "$(q "SELECT to_regclass('$p') IS NOT NULL")" = t ] || die "partition $p missing after migrate"
done
ok "readings is partitioned by day, with BRIN on ts, partitions today..+7 days"

old=$(date -u -d '-35 days' +%Y-%m-%d)
oldp="readings_p$(date -u -d '-35 days' +%Y%m%d)"
q "SET ROLE fm_ingestd; SELECT count(*) FROM fm_partitions_maintain('readings', 3, NULL, 40)" >/dev/null ||
	die "maintain as fm_ingestd"
[ "$(q "SELECT to_regclass('$oldp') IS NOT NULL")" = t ] || die "old partition $oldp not created"
again=$(q "SELECT count(*) FROM fm_partitions_maintain('readings', 3, NULL, 40)")
[ "$again" = 0 ] || die "second maintain created $again partitions"
ok "fm_partitions_maintain (as fm_ingestd) creates partitions behind and ahead, idempotently"

now=$(date -u +%FT%T.%3NZ)
ins="INSERT INTO readings (ts, device_id, metric, value, seq) VALUES
	('$old 12:00:00+00', 'pump-1', 'outlet_pressure_kpa', 312.4, 1042),
	('$now', 'pump-1', 'outlet_pressure_kpa', 300, 1043)
	ON CONFLICT DO NOTHING"
q "SET ROLE fm_ingestd; $ins" || die "insert readings as fm_ingestd"
q "SET ROLE fm_ingestd; $ins" || die "second insert"
[ "$(q 'SELECT count(*) FROM readings')" = 2 ] || die "redelivered readings stored twice"
[ "$(q "SELECT count(*) FROM $oldp")" = 1 ] || die "old reading not in $oldp"
ok "a redelivered (device, seq, metric, ts) is stored once"

expect_error 23514 "INSERT INTO readings VALUES (now() + interval '400 days', 'pump-1', 'm', 1, 1)"
ok "a reading with no partition is refused (23514), not parked in a default partition"

# Concurrent callers serialise on the advisory lock and both succeed.
q "SELECT count(*) FROM fm_partitions_maintain('readings', 14)" >"$tmp/p1" 2>&1 & a=$!
q "SELECT count(*) FROM fm_partitions_maintain('readings', 14)" >"$tmp/p2" 2>&1 & b=$!
wait $a; ra=$?; wait $b; rb=$?
[ $ra -eq 0 ] && [ $rb -eq 0 ] || die "concurrent maintain: $(cat "$tmp/p1" "$tmp/p2")"
[ $(( $(cat "$tmp/p1") + $(cat "$tmp/p2") )) -eq 7 ] || die "concurrent maintain created $(cat "$tmp/p1") + $(cat "$tmp/p2")"
ok "two concurrent maintain calls create the 7 new partitions once"

dropped=$(q "SELECT string_agg(partition_name, ' ') FROM fm_partitions_maintain('readings', 3, 30) WHERE action = 'dropped'")
grep -q "$oldp" <<<"$dropped" || die "retention 30 days did not drop $oldp (dropped: $dropped)"
[ "$(q "SELECT to_regclass('$oldp') IS NULL")" = t ] || die "$oldp still there"
[ "$(q 'SELECT count(*) FROM readings')" = 1 ] || die "old reading still there"
keep="readings_p$(date -u -d '-29 days' +%Y%m%d)"
[ "$(q "SELECT to_regclass('$keep') IS NOT NULL")" = t ] || die "$keep dropped inside retention"
ok "retention 30 days drops $oldp with its row and keeps $keep"

expect_error 22023 "SELECT * FROM fm_partitions_maintain('work_orders')"
expect_error 22023 "SELECT * FROM fm_partitions_maintain('readings', 3, 1, 5)"
ok "fm_partitions_maintain refuses other tables and retention inside the created range"

# --- CHECK constraints ----------------------------------------------------------
alarm="INSERT INTO alarms (alarm_id, site_id, device_id, rule_id, severity, state, raised_at)"
q "$alarm VALUES ('a1', 's1', 'pump-1', 'pump_outlet_pressure_low', 2, 'active', now())" || die "valid alarm"
expect_error 23514 "$alarm VALUES ('a2', 's1', 'pump-1', 'r', 5, 'active', now())"
expect_error 23514 "$alarm VALUES ('a3', 's1', 'pump-1', 'r', 0, 'active', now())"
expect_error 23514 "$alarm VALUES ('a4', 's1', 'pump-1', 'r', 2, 'burning', now())"
expect_error 23514 "INSERT INTO alarm_events (alarm_id, ts, transition, actor) VALUES ('a1', now(), 'exploded', 'x')"
ok "alarms refuse severity outside 1..4, an unknown state or transition"

wo="INSERT INTO work_orders (wo_id, site_id, kind, priority, state, title)"
q "$wo VALUES ('w1', 's1', 'equipment_fault', 'emergency', 'registered', 'pump fault')" || die "valid work order"
expect_error 23514 "$wo VALUES ('w2', 's1', 'equipment_fault', 'emergency', 'lost', 't')"
expect_error 23514 "$wo VALUES ('w3', 's1', 'gossip', 'ordinary', 'registered', 't')"
expect_error 23514 "$wo VALUES ('w4', 's1', 'complaint', 'whenever', 'registered', 't')"
expect_error 23514 "$wo VALUES ('w5', 's1', 'equipment_fault', 'ordinary', 'dispatched', 't')"
expect_error 23514 "UPDATE work_orders SET state = 'paused', paused_at = now() WHERE wo_id = 'w1'"
expect_error 23505 "$wo VALUES ('w1', 's1', 'equipment_fault', 'ordinary', 'registered', 't')"
q "UPDATE work_orders SET idempotency_key = 'alarm:a1' WHERE wo_id = 'w1'"
expect_error 23505 "INSERT INTO work_orders (wo_id, site_id, kind, title, idempotency_key) VALUES ('w6', 's1', 'emergency', 't', 'alarm:a1')"
ok "work orders refuse unknown states, kinds, priorities, a dispatch with nobody, a pause with no reason, a reused idempotency key"

expect_error 23514 "INSERT INTO events (ts, site_id, device_id, event, state, seq) VALUES (now(), 's1', 'd', 'flood', 'maybe', 1)"
expect_error 23514 "INSERT INTO readings VALUES (now(), 'pump-1', 'm', 'NaN', 9)"
expect_error 23514 "INSERT INTO readings VALUES (now(), 'pump-1', 'm', 'Infinity', 9)"
expect_error 23514 "INSERT INTO quarantine (topic, reason, raw, raw_bytes) VALUES ('t', 'big', decode(repeat('ab', 65537), 'hex'), 65537)"
ok "events refuse an unknown state; readings refuse NaN/Infinity; quarantine bounds raw bytes"

# --- roles ----------------------------------------------------------------------
for r in fm_ingestd fm_alertd fm_schedd fm_dispatchd fm_fmctl; do
	[ "$(q "SELECT rolcanlogin FROM pg_roles WHERE rolname = '$r'")" = f ] || die "role $r missing or LOGIN"
done
ok "NOLOGIN group roles exist for every daemon"

expect_error 42501 "SET ROLE fm_ingestd; $wo VALUES ('w9', 's1', 'equipment_fault', 'ordinary', 'registered', 't')"
expect_error 42501 "SET ROLE fm_ingestd; DELETE FROM work_orders"
expect_error 42501 "SET ROLE fm_ingestd; DELETE FROM readings"
expect_error 42501 "SET ROLE fm_ingestd; CREATE TABLE evil (x int)"
q "SET ROLE fm_ingestd; INSERT INTO events (ts, site_id, device_id, event, state, seq) VALUES (now(), 's1', 'd', 'flood', 'active', 1);
   INSERT INTO quarantine (topic, reason, raw, raw_bytes) VALUES ('fm/v1/s1/dev/d/telemetry', 'bad_json', '\\x7b', 1);
   INSERT INTO device_status (device_id, site_id, state) VALUES ('d', 's1', 'online');
   INSERT INTO ingest_spool_position (instance, segment, byte_offset) VALUES ('i1', 0, 0)" ||
	die "fm_ingestd cannot write its own tables"
ok "fm_ingestd writes history, status, quarantine and spool position but not work orders or DDL"

q "SET ROLE fm_ingestd; CREATE TEMP TABLE readings_in (LIKE readings) ON COMMIT DELETE ROWS;
   BEGIN; COPY readings_in FROM STDIN;
   INSERT INTO readings SELECT * FROM readings_in ON CONFLICT DO NOTHING; COMMIT" \
	< <(printf '%s\tpump-2\tm\t1\t7\n' "$(date -u +%FT%TZ)") ||
	die "ingestd COPY-through-temp-table pattern"
ok "fm_ingestd can COPY through a session temp table and insert ON CONFLICT DO NOTHING"

expect_error 42501 "SET ROLE fm_dispatchd; DELETE FROM readings"
expect_error 42501 "SET ROLE fm_dispatchd; SELECT count(*) FROM readings"
expect_error 42501 "SET ROLE fm_dispatchd; DELETE FROM work_orders"
q "SET ROLE fm_dispatchd; $wo VALUES ('w10', 's1', 'repair_request', 'ordinary', 'registered', 't');
   INSERT INTO wo_events (wo_id, ts, transition, to_state, actor) VALUES ('w10', now(), 'created', 'registered', 'dispatchd')" ||
	die "fm_dispatchd cannot open a work order"
ok "fm_dispatchd opens work orders but cannot read or delete readings, nor delete orders"

expect_error 42501 "SET ROLE fm_alertd; UPDATE work_orders SET state = 'closed'"
expect_error 42501 "SET ROLE fm_alertd; DELETE FROM alarms"
q "SET ROLE fm_alertd; UPDATE alarms SET acked = true, acked_by = 'duty-1', acked_at = now() WHERE alarm_id = 'a1';
   INSERT INTO alarm_events (alarm_id, ts, transition, actor) VALUES ('a1', now(), 'acked', 'duty-1');
   SELECT count(*) FROM events; SELECT count(*) FROM people" >/dev/null || die "fm_alertd cannot keep alarms"
ok "fm_alertd keeps alarms and reads events and the registry, but cannot touch work orders"

expect_error 42501 "SET ROLE fm_schedd; UPDATE work_orders SET state = 'closed'"
expect_error 42501 "SET ROLE fm_schedd; UPDATE pm_plans SET enabled = false"
q "SET ROLE fm_schedd; INSERT INTO pm_state (plan_id, device_id, next_due) VALUES ('p1', 'pump-1', now())" ||
	die "fm_schedd cannot write pm_state"
ok "fm_schedd writes pm_state only"

expect_error 42501 "SET ROLE fm_fmctl; INSERT INTO readings VALUES (now(), 'x', 'm', 1, 1)"
expect_error 42501 "SET ROLE fm_fmctl; UPDATE alarms SET state = 'closed'"
q "SET ROLE fm_fmctl; DELETE FROM sites WHERE false; UPDATE devices SET device_id = device_id WHERE false;
   UPDATE pm_plans SET enabled = enabled WHERE false; SELECT count(*) FROM work_orders" >/dev/null ||
	die "fm_fmctl cannot write the registry"
ok "fm_fmctl writes the registry and reads everything, but writes no history or alarms"

echo "t_migrate: all $n checks passed"
