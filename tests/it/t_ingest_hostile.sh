#!/usr/bin/env bash
# t_ingest_hostile — a table of hostile payloads, one per rejection reason
# that can reach ingestd through the broker: each is counted under its reason
# and quarantined with its raw bytes, none produces a reading, and ingestd
# goes on storing valid messages after them.
. "$(dirname "$0")/lib.sh"
it_setup_db
start_ingestd h1 FM_MQTT_URL="$FM_MQTT_URL"

D=fm/v1/demo/dev/pump-1
big=$(head -c 70000 /dev/zero | tr '\0' 'x')
now=$(($(date +%s) * 1000))
cases=(
	"bad_json|$D/telemetry|{\"seq\":1,"
	"not_object|$D/telemetry|[1,2]"
	"duplicate_key|$D/telemetry|{\"seq\":1,\"seq\":2,\"metrics\":{\"a\":1}}"
	"unknown_field|$D/telemetry|{\"seq\":1,\"metrics\":{\"a\":1},\"x\":0}"
	"seq_missing|$D/telemetry|{\"metrics\":{\"a\":1}}"
	"seq_type|$D/telemetry|{\"seq\":\"1\",\"metrics\":{\"a\":1}}"
	"ts_future|$D/telemetry|{\"seq\":1,\"ts\":$((now + 3600000)),\"metrics\":{\"a\":1}}"
	"ts_too_old|$D/telemetry|{\"seq\":1,\"ts\":1000,\"metrics\":{\"a\":1}}"
	"metrics_missing|$D/telemetry|{\"seq\":1}"
	"metrics_empty|$D/telemetry|{\"seq\":1,\"metrics\":{}}"
	"metric_name|$D/telemetry|{\"seq\":1,\"metrics\":{\"Bad-Name\":1}}"
	"metric_string|$D/telemetry|{\"seq\":1,\"metrics\":{\"a\":\"12\"}}"
	"metric_object|$D/telemetry|{\"seq\":1,\"metrics\":{\"a\":{\"b\":1}}}"
	"number_nonfinite|$D/telemetry|{\"seq\":1,\"metrics\":{\"a\":NaN}}"
	"number_overflow|$D/telemetry|{\"seq\":1,\"metrics\":{\"a\":1e999}}"
	"identity_mismatch|$D/telemetry|{\"seq\":1,\"device\":\"pump-2\",\"metrics\":{\"a\":1}}"
	"too_large|$D/telemetry|{\"seq\":1,\"metrics\":{\"a\":1},\"pad\":\"$big\"}"
	"unknown_device|fm/v1/demo/dev/ghost-9/telemetry|{\"seq\":1,\"metrics\":{\"a\":1}}"
	"site_mismatch|fm/v1/elsewhere/dev/pump-1/telemetry|{\"seq\":1,\"metrics\":{\"a\":1}}"
	"state_value|$D/event|{\"seq\":1,\"event\":\"flood\",\"state\":\"on\"}"
	"event_missing|$D/event|{\"seq\":1,\"state\":\"active\"}"
	"state_value|$D/status|{\"state\":\"sleeping\"}"
)
for c in "${cases[@]}"; do
	IFS='|' read -r reason topic payload <<<"$c"
	pub "$topic" "$payload"
done
pub fm/v1/demo/dev/pump-1/telemetry '{"seq":1000,"metrics":{"outlet_pressure_kpa":301.5}}'

wait_sql "select count(*) from quarantine" "${#cases[@]}" 20 || fail "not every hostile message was quarantined"
ok "all ${#cases[@]} hostile messages quarantined"
for c in "${cases[@]}"; do
	IFS='|' read -r reason topic payload <<<"$c"
	want=$(printf '%s\n' "${cases[@]}" | grep -c "^$reason|")
	check "quarantined as $reason" "$want" "$(sql "select count(*) from quarantine where reason = '$reason'")"
done
bigmsg="{\"seq\":1,\"metrics\":{\"a\":1},\"pad\":\"$big\"}"
check "raw bytes kept (bounded to 16 KiB, size recorded)" "16384|${#bigmsg}" \
	"$(sql "select octet_length(raw) || '|' || raw_bytes from quarantine where reason = 'too_large'")"
check "raw bytes are the payload" '{"seq":1,' \
	"$(sql "select convert_from(raw, 'UTF8') from quarantine where reason = 'bad_json'")"
wait_sql "select count(*) from readings" 1 10 || fail "the valid message after the hostile ones was not stored"
check "only the valid message produced a reading" "1000|301.5" "$(sql 'select seq || $$|$$ || value from readings')"
kill -0 "$INGESTD_PID" || fail "ingestd died"
ok "ingestd still running"

kill -USR1 "$INGESTD_PID"
sleep 0.5
line=$(grep 'event=stats' "$IT_TMP/ingestd-h1.log" | tail -1)
for r in bad_json too_large unknown_device site_mismatch number_nonfinite; do
	echo "$line" | grep -q "rejected_$r=" || fail "no counter rejected_$r in: $line"
done
check "counted as rejected" "rejected=${#cases[@]}" "$(echo "$line" | grep -o 'rejected=[0-9]*' | head -1)"
stats=$(ingestd_stats h1)
echo "$stats" | grep -q '"rejected_too_large":1' || fail "stats topic lacks rejected_too_large: $stats"
ok "stats published on fm/v1/_sys/ingestd/h1"

# A device retry or QoS 1 redelivery: the same message twice (same seq and
# ts) in one batch and in two batches is stored once.
dup='{"seq":2000,"ts":'$now',"metrics":{"outlet_pressure_kpa":1.5,"running":true}}'
pub fm/v1/demo/dev/pump-1/telemetry "$dup"
pub fm/v1/demo/dev/pump-1/telemetry "$dup"
wait_sql "select count(*) from readings where seq = 2000" 2 10 || fail "the duplicated message was not stored"
sleep 0.5
pub fm/v1/demo/dev/pump-1/telemetry "$dup"
sleep 1
check "a message delivered three times is stored once" "2" "$(sql "select count(*) from readings where seq = 2000")"

# Device status: heard from -> online with last_seen; the last will (a
# retained status "offline") -> offline; a birth message -> online again.
wait_sql "select state || (last_seen is not null) from device_status where device_id = 'pump-1'" onlinetrue 10 ||
	fail "pump-1 not online with a last_seen after its telemetry"
ok "telemetry marks the device online with its last_seen"
pub fm/v1/demo/dev/pump-1/status '{"state":"offline"}' -r
wait_sql "select state from device_status where device_id = 'pump-1'" offline 10 || fail "last will not recorded"
ok "last will recorded: offline"
pub fm/v1/demo/dev/pump-1/status '{"state":"online"}' -r
wait_sql "select state from device_status where device_id = 'pump-1'" online 10 || fail "birth not recorded"
ok "birth recorded: online"
echo "t_ingest_hostile: all passed"
