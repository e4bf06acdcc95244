#!/usr/bin/env bash
# t_ingest_session_lost — the broker comes back without ingestd's session
# (its persistence wiped: what it queued for ingestd meanwhile is gone).
# ingestd must say so at error level (mqtt_session_lost), resubscribe and
# go on storing what devices publish after.
. "$(dirname "$0")/lib.sh"
it_setup_db
start_ingestd sl
log=$IT_TMP/ingestd-sl.log
tests/it/servers.sh stop-broker
rm -rf "$FM_IT_DIR/broker/data"
tests/it/servers.sh start-broker
n=300
while [ $n -gt 0 ] && ! grep -q 'event=mqtt_session_lost' "$log"; do sleep 0.1; n=$((n - 1)); done
[ $n -gt 0 ] || { grep mqtt "$log" | tail -5; fail "no mqtt_session_lost after the broker lost the session"; }
ok "$(grep -o 'level=error event=mqtt_session_lost client_id=[^ ]*' "$log" | head -1)"
# The subscription is made again right after the connect; a publish may
# come before it, so publish until one reading is stored (each its own seq).
seq=7000 stored=0
while [ $seq -lt 7200 ] && [ "$stored" -eq 0 ]; do
	seq=$((seq + 1))
	pub fm/v1/demo/dev/pump-3/telemetry "{\"seq\":$seq,\"metrics\":{\"outlet_pressure_kpa\":300}}" 2>/dev/null || true
	sleep 0.1
	stored=$(sql "select count(*) from readings where device_id = 'pump-3' and seq > 7000")
done
[ "$stored" -gt 0 ] || fail "no reading published after the lost session was stored"
ok "resubscribed: a reading published afterwards is stored"
kill -0 "$INGESTD_PID" || fail "ingestd exited"
echo "t_ingest_session_lost: all passed"
