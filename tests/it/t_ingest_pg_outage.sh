#!/usr/bin/env bash
# t_ingest_pg_outage — PostgreSQL stopped for 30 s under load, then started:
# ingestd keeps accepting into its spool, keeps running, reconnects and
# drains the backlog. Missing 0, duplicates 0.
. "$(dirname "$0")/lib.sh"
it_setup_db
broker_throughput
register_load 50
start_ingestd p1
load --devices 50 --metrics 4 --seconds 45 --rate 800 --connections 2 >"$IT_TMP/load.out" 2>&1 &
LOAD=$!
IT_PIDS+=("$LOAD")
wait_sql "select count(*) > 1000 from readings" t 30 || fail "no progress before the outage"
tests/it/servers.sh stop-pg
ok "PostgreSQL stopped"
sleep 30
kill -0 "$INGESTD_PID" || fail "ingestd exited while the database was down"
kill -USR1 "$INGESTD_PID"; sleep 0.5
spool=$(grep 'event=stats' "$IT_TMP/ingestd-p1.log" | tail -1 | grep -o 'spool_bytes=[0-9]*' | cut -d= -f2)
[ "${spool:-0}" -gt 100000 ] || fail "the spool did not take the load while PostgreSQL was down (spool_bytes=$spool)"
ok "ingestd still running, spool holds $spool bytes"
tests/it/servers.sh start-pg
ok "PostgreSQL started"
wait "$LOAD" || fail "load failed: $(tail -3 "$IT_TMP/load.out")"
tail -2 "$IT_TMP/load.out"
check_oracle 120
grep -q 'event=store_retry' "$IT_TMP/ingestd-p1.log" || fail "the writer never saw the outage"
ok "the writer saw the outage and recovered"
kill -0 "$INGESTD_PID" || fail "ingestd died"
echo "t_ingest_pg_outage: all passed"
