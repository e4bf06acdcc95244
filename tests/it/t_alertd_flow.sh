#!/usr/bin/env bash
# t_alertd_flow — alertd against the real broker and database, the duty
# post's view: an entrapment becomes a retained severity-1 alarm, an
# alarm-log entry, a notification to the duty engineer on shift and one
# work-order request (however often it re-fires); without an acknowledgement
# it escalates to the supervisor, with one it does not; commands from the
# wrong people or for unknown alarms are refused with a reply; the mains-lost
# alarm suppresses the pump alarm it causes; every transition reaches
# alarms/alarm_events.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
alertd_config
start_alertd a1
W="$IT_TMP/site.log"
watch_site "$W"

# --- an entrapment, acknowledged at once: it never escalates
event elev-1a entrapment active 1
raised=$(wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"elev-1a"' '"transition":"raised"') ||
	fail "no raised alarm-log entry for the entrapment"
A=$(field alarm_id "$raised")
check "severity of the entrapment" 1 "$(field severity "$raised")"
check "rule" elevator_entrapment "$(field rule "$raised")"
pub "fm/v1/demo/ops/duty-wang/ack" "{\"alarm_id\":\"$A\",\"note\":\"rescue team called\"}"
wait_grep "$W" 5 '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$A\"" '"transition":"acked"' '"actor":"duty-wang"' >/dev/null ||
	fail "acknowledgement not applied"
wait_grep "$W" 5 '^fm/v1/demo/notify/duty-wang ' '"kind":"accepted"' '"verb":"ack"' >/dev/null ||
	fail "no reply to the acknowledgement"
ok "entrapment $A raised (severity 1) and acknowledged by duty-wang"

# --- a second entrapment, left alone: escalates after 4 s
event elev-2a entrapment active 1
raised=$(wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"elev-2a"' '"transition":"raised"') ||
	fail "no alarm for the second entrapment"
B=$(field alarm_id "$raised")
retained=$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
	-V mqttv5 -t "fm/v1/demo/alarm/$B" -C 1 -W 5) || fail "no retained alarm for a late subscriber"
check "retained alarm state" active "$(field state "$retained")"
check "retained alarm severity" 1 "$(field severity "$retained")"
wait_grep "$W" 5 '^fm/v1/demo/notify/ctr-elevator ' "\"alarm_id\":\"$B\"" '"kind":"alarm"' >/dev/null ||
	fail "the elevator contractor was not told"
duty=$(count_lines "$W" '^fm/v1/demo/notify/duty-' "\"alarm_id\":\"$B\"" '"kind":"alarm"')
[ "$duty" -ge 1 ] || fail "no duty engineer told"
ok "the duty post and the contractor were told ($duty duty engineers: on shift + the emergency team)"
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$B\"" '"transition":"escalated"' >/dev/null ||
	fail "the unacknowledged entrapment did not escalate"
wait_grep "$W" 5 '^fm/v1/demo/notify/sup-sun ' "\"alarm_id\":\"$B\"" '"kind":"escalation"' >/dev/null ||
	fail "the supervisor was not told of the escalation"
check "escalations of the acknowledged alarm" 0 \
	"$(count_lines "$W" '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$A\"" '"transition":"escalated"')"
ok "unacknowledged: escalated to sup-sun; acknowledged: never escalated"

# --- one incident, one work order
event elev-2a entrapment cleared 2
event elev-2a entrapment active 3
wait_grep "$W" 5 '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$B\"" '"transition":"cleared"' >/dev/null || fail "no clear"
sleep 1
check "work-order requests for $B" 1 "$(count_lines "$W" '^fm/v1/demo/wo-request ' "\"idempotency_key\":\"$B\"")"
req=$(lines "$W" '^fm/v1/demo/wo-request ' "\"alarm_id\":\"$B\"" | head -1)
check "work-order priority" emergency "$(field priority "$req")"
check "SLA start = raise time" "$(field raised_at "$raised")" "$(field sla_start "$req")"

# --- refused commands, each answered
pub "fm/v1/demo/ops/tech-chen/ack" "{\"alarm_id\":\"$B\"}"
wait_grep "$W" 5 '^fm/v1/demo/notify/tech-chen ' '"kind":"rejected"' '"reason":"forbidden"' >/dev/null ||
	fail "a technician's ack was not refused"
pub "fm/v1/demo/ops/duty-li/ack" '{"alarm_id":"no-such-alarm"}'
wait_grep "$W" 5 '^fm/v1/demo/notify/duty-li ' '"kind":"rejected"' '"reason":"unknown_alarm"' >/dev/null ||
	fail "an unknown alarm id was not refused"
pub "fm/v1/demo/ops/duty-li/ack" "{\"alarm_id\":\"$B\",\"person\":\"sup-sun\"}"
wait_grep "$W" 5 '^fm/v1/demo/notify/duty-li ' '"kind":"rejected"' '"reason":"unknown_field"' >/dev/null ||
	fail "a payload naming a person was not refused"
pub "fm/v1/demo/ops/duty-li/shelve" '{"alarm_id":'
wait_grep "$W" 5 '^fm/v1/demo/notify/duty-li ' '"kind":"rejected"' '"reason":"bad_json"' >/dev/null ||
	fail "malformed JSON was not refused"
ok "forbidden, unknown alarm, spoofed person and malformed commands refused with a reply"
pub "fm/v1/demo/ops/sup-sun/shelve" "{\"alarm_id\":\"$B\",\"duration_s\":600,\"note\":\"rescue on site\"}"
shelved=$(wait_grep "$W" 5 '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$B\"" '"transition":"shelved"') ||
	fail "shelving not applied"
check "shelved by" sup-sun "$(field actor "$shelved")"
pub "fm/v1/demo/ops/sup-sun/shelve" "{\"alarm_id\":\"$B\",\"duration_s\":604800}"
wait_grep "$W" 5 '^fm/v1/demo/notify/sup-sun ' '"kind":"rejected"' '"reason":"shelve_range"' >/dev/null ||
	fail "shelving past the rule's shelve_max was not refused"
ok "shelved for 10 min by sup-sun; a week refused (shelve_max)"

# --- mains lost suppresses the pump alarm it causes
telemetry dr-main 1 '{"mains_present":false}'
mains=$(wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"rule":"mains_lost"' '"transition":"raised"') ||
	fail "no mains-lost alarm"
M=$(field alarm_id "$mains")
telemetry pump-1 1 '{"running":true,"motor_current_a":0}'
pump=$(wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"pump-1"' '"rule":"pump_no_current"' '"transition":"raised"') ||
	fail "no pump alarm"
check "pump alarm suppressed by" "$M" "$(field suppressed_by "$pump")"
P=$(field alarm_id "$pump")
sleep 1
check "notifications of the suppressed pump alarm" 0 "$(count_lines "$W" '/notify/' "\"alarm_id\":\"$P\"")"
check "work orders for the suppressed pump alarm" 0 "$(count_lines "$W" '/wo-request ' "\"alarm_id\":\"$P\"")"

# --- history
wait_sql "select count(*) from alarms where alarm_id in ('$A','$B','$M','$P')" 4 10 || fail "alarms not stored"
check "stored severity" 1 "$(sql "select severity from alarms where alarm_id = '$A'")"
wait_sql "select acked_by from alarms where alarm_id = '$A'" duty-wang 10 || fail "ack not stored"
check "stored suppression" "$M" "$(sql "select suppressed_by from alarms where alarm_id = '$P'")"
wait_sql "select string_agg(transition, ',' order by id) from alarm_events where alarm_id = '$A'" raised,acked 10 ||
	fail "alarm_events of $A"
ok "alarms and alarm_events hold every transition with its actor"
# SIGUSR1 publishes them now (and prints them); the retained copy is the latest
kill -USR1 "$ALERTD_PID"
for _ in $(seq 1 50); do
	stats=$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
		-V mqttv5 -t fm/v1/_sys/alertd/a1 -C 1 -W 2 || true)
	printf '%s' "$stats" | grep -q '"commands_rejected_forbidden":' && break
	sleep 0.2
done
grep -q 'alertd stats transitions=' "$IT_TMP/alertd-a1.log" || fail "SIGUSR1 printed no stats"
for counter in transitions notifications escalations wo_requests suppressed commands_ok \
	commands_rejected_forbidden commands_rejected_unknown_alarm rejected_unknown_field eval_p99_us; do
	printf '%s' "$stats" | grep -q "\"$counter\":" || fail "stats lack $counter: $stats"
done
check "rejected commands counted (forbidden)" 1 "$(field commands_rejected_forbidden "$stats")"
ok "stats retained on fm/v1/_sys/alertd/a1"
kill -0 "$ALERTD_PID" || fail "alertd died"
echo "t_alertd_flow: all passed"
