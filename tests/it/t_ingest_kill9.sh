#!/usr/bin/env bash
# t_ingest_kill9 — kill -9 of ingestd in the middle of a load, three times,
# each followed by a restart with the same instance: the broker kept its
# persistent session and redelivers what was not acknowledged, the spool
# kept what was appended, the writer replays exactly what did not commit.
# ingestd's receiver (common/mqrx) acknowledges a message only after the
# spool has it, so nothing acknowledged can be lost: missing 0 and
# duplicates 0, exactly.
. "$(dirname "$0")/lib.sh"
it_setup_db
broker_throughput
register_load 100
start_ingestd k1
grep -q 'event=started .*receiver=own' "$IT_TMP/ingestd-k1.log" || fail "ingestd is not on its own receiver"
load --devices 100 --metrics 3 --count 40000 --rate 6000 --connections 2 >"$IT_TMP/load.out" 2>&1 &
LOAD=$!
IT_PIDS+=("$LOAD")
at=3000
for k in 1 2 3; do
	wait_sql "select count(*) > $at from readings" t 60 || fail "no progress before kill $k"
	before=$(sql "select count(*) from readings")
	kill -9 "$INGESTD_PID"
	wait "$INGESTD_PID" 2>/dev/null || true
	ok "kill $k: ingestd killed with $before readings stored"
	start_ingestd k1
	at=$((before + 6000))
done
wait "$LOAD" || fail "load failed: $(tail -3 "$IT_TMP/load.out")"
tail -2 "$IT_TMP/load.out"
out=$("$FM_BIN/fmsim" check --oracle "$IT_TMP/oracle" --wait 60 || true)
echo "  $out"
echo "$out" | grep -q ' duplicates=0' || fail "duplicate readings"
echo "$out" | grep -q ' missing=0 ' || fail "acknowledged messages lost"
ok "three kills: missing 0, duplicates 0"
echo "t_ingest_kill9: all passed"
