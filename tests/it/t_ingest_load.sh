#!/usr/bin/env bash
# t_ingest_load — 50,000 acknowledged messages from fmsim load (4 connections,
# 200 devices, 5 metrics each) end up as exactly that many messages' readings:
# missing 0, duplicates 0.
. "$(dirname "$0")/lib.sh"
it_setup_db
broker_throughput
register_load 200
start_ingestd l1
load --devices 200 --metrics 5 --count 50000 --connections 4 >"$IT_TMP/load.out"
cat "$IT_TMP/load.out"
acked=$(acked_of "$IT_TMP/load.out")
[ "$acked" -ge 50000 ] || fail "only $acked of 50000 acknowledged"
ok "50000 messages acknowledged by the broker"
check_oracle 120
check "readings rows" "250000" "$(sql "select count(*) from readings where device_id like 'ld%'")"
kill -0 "$INGESTD_PID" || fail "ingestd died"
echo "t_ingest_load: all passed"
