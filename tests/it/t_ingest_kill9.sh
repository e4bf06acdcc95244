#!/usr/bin/env bash
# t_ingest_kill9 — kill -9 of ingestd in the middle of a load, then a
# restart with the same instance: the broker kept its persistent session, the
# spool kept what was acknowledged, and the writer replays exactly what did
# not commit. Missing 0, duplicates 0.
. "$(dirname "$0")/lib.sh"
it_setup_db
broker_throughput
register_load 100
start_ingestd k1
load --devices 100 --metrics 3 --count 30000 --rate 6000 --connections 2 >"$IT_TMP/load.out" 2>&1 &
LOAD=$!
IT_PIDS+=("$LOAD")
wait_sql "select count(*) > 3000 from readings" t 30 || fail "no progress before the kill"
before=$(sql "select count(*) from readings")
kill -9 "$INGESTD_PID"
ok "ingestd killed with $before readings stored"
sleep 1
start_ingestd k1
wait "$LOAD" || fail "load failed: $(tail -3 "$IT_TMP/load.out")"
cat "$IT_TMP/load.out" | tail -2
check_oracle 120
check "readings of all 30000 messages" "90000" "$(sql "select count(*) from readings where device_id like 'ld%'")"
echo "t_ingest_kill9: all passed"
