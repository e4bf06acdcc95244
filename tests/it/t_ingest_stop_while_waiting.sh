#!/usr/bin/env bash
# t_ingest_stop_while_waiting — regression: SIGTERM while ingestd waits for
# PostgreSQL at its first start (no registry cache yet) crashed on exit
# (stats read from a writer that never started). It must exit 0.
. "$(dirname "$0")/lib.sh"
FM_DB_CONNINFO="host=127.0.0.1 port=1 dbname=none connect_timeout=1" \
	FM_INSTANCE=w1 FM_SPOOL_DIR="$IT_TMP/spool" FM_MQTT_USERNAME=ingestd \
	FM_MQTT_PASSWORD="$FM_MQTT_PASS_ingestd" "$FM_BIN/ingestd" >"$IT_TMP/ingestd.log" 2>&1 &
pid=$!
IT_PIDS+=("$pid")
n=100
while [ $n -gt 0 ] && ! grep -q 'event=registry_waiting' "$IT_TMP/ingestd.log"; do sleep 0.1; n=$((n - 1)); done
[ $n -gt 0 ] || fail "ingestd did not start waiting for the database: $(tail -3 "$IT_TMP/ingestd.log")"
ok "ingestd waits for a database it cannot reach, without a registry cache"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
check "exit status after SIGTERM while waiting" 0 "$rc"
echo "t_ingest_stop_while_waiting: all passed"
