#!/usr/bin/env bash
# t_ingest_kill9 — kill -9 of ingestd in the middle of a load, then a
# restart with the same instance: the broker kept its persistent session, the
# spool kept what was appended, and the writer replays exactly what did not
# commit. Duplicates 0. Missing: at most 1 — Paho MQTT C sends the PUBACK of
# a QoS 1 message when it reads it, before the handler can spool it, so the
# one message being handed over when the process dies can be lost (README,
# "Known limits"; issue #3 stays open on it). More than one is a failure.
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
out=$("$FM_BIN/fmsim" check --oracle "$IT_TMP/oracle" --wait 60 || true)
echo "  $out"
missing=$(echo "$out" | grep -o ' missing=[0-9]*' | cut -d= -f2)
echo "$out" | grep -q ' duplicates=0' || fail "duplicate readings"
[ -n "$missing" ] && [ "$missing" -le 1 ] || fail "$missing acknowledged messages lost (at most 1 is Paho's hand-over window)"
ok "duplicates 0; missing $missing (Paho's hand-over window allows at most 1)"
echo "t_ingest_kill9: all passed"
