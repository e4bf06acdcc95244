#!/usr/bin/env bash
# t_alertd_kill9 — kill -9 of alertd 100 ms after an entrapment event, then a
# restart with the same instance, three times: each entrapment is delivered
# exactly once (one "raised" alarm-log entry, a retained alarm) whether
# alertd had handled it before it died (the journal and alarms restore it) or
# not (Paho may have acknowledged it unhandled: recovered from the events
# ingestd stored). Acknowledgements and escalation timers survive too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
alertd_config
start_ingestd i1
start_alertd k1
W="$IT_TMP/site.log"
watch_site "$W"
# alertd must have recorded a sign of life for recovery to start from
wait_sql "select count(*) from alertd_journal_position where instance = 'k1' and alive_at is not null" 1 15 ||
	fail "alertd never recorded alive_at"

seq=10
for dev in elev-1a elev-1b elev-3a; do
	seq=$((seq + 1))
	event "$dev" entrapment active "$seq"
	sleep 0.1
	kill9 "$ALERTD_PID"
	wait_sql "select count(*) from events where device_id = '$dev' and event = 'entrapment'" 1 10 ||
		fail "ingestd did not store the $dev event"
	start_alertd k1
	wait_grep "$W" 15 '^fm/v1/demo/alarm-log ' "\"device\":\"$dev\"" '"transition":"raised"' >/dev/null ||
		fail "the $dev entrapment was lost"
	sleep 1
	check "raised entries for $dev" 1 \
		"$(count_lines "$W" '^fm/v1/demo/alarm-log ' "\"device\":\"$dev\"" '"transition":"raised"')"
	id=$(field alarm_id "$(lines "$W" '^fm/v1/demo/alarm-log ' "\"device\":\"$dev\"" '"transition":"raised"' | head -1)")
	retained=$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
		-V mqttv5 -t "fm/v1/demo/alarm/$id" -C 1 -W 5) || fail "no retained alarm $id after the restart"
	check "retained state of $id" active "$(field state "$retained")"
done

# an acknowledgement and a pending escalation survive a kill
pub "fm/v1/demo/ops/duty-wang/ack" "{\"alarm_id\":\"$id\"}"
wait_grep "$W" 5 '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$id\"" '"transition":"acked"' >/dev/null || fail "ack"
event elev-2b entrapment active 99
E=$(field alarm_id "$(wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"elev-2b"' '"transition":"raised"')") ||
	fail "no elev-2b alarm"
kill9 "$ALERTD_PID"
start_alertd k1
wait_grep "$W" 15 '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$E\"" '"transition":"escalated"' >/dev/null ||
	fail "the escalation timer did not survive the restart"
sleep 5
check "escalations of the acknowledged $id after restarts" 0 \
	"$(count_lines "$W" '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$id\"" '"transition":"escalated"')"
check "raised entries for elev-2b" 1 \
	"$(count_lines "$W" '^fm/v1/demo/alarm-log ' '"device":"elev-2b"' '"transition":"raised"')"
echo "t_alertd_kill9: all passed"
