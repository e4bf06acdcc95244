#!/usr/bin/env bash
# t_schedd_overdue — a statutory plan left undone: its overdue notice goes to
# the planner (notify) once, 2 s after it was due, and the escalation to the
# project manager once, 2 s later; a kill -9 and restart sends neither again.
# The stats on fm/v1/_sys/schedd/{instance} count them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/schedd_lib.sh"
schedd_config '  - id: lift_statutory
    name: Elevator statutory check
    targets: {devices: [elev-2a]}
    calendar: {every: 1 hour}
    duration: 1m
    checklist: [inspect]
    statutory: true
    overdue: {after: 2s, notify: [sup-sun], escalate: [pm-zhou], escalate_after: 2s}'
W="$IT_TMP/site.log"
watch_site "$W"
start_schedd o1
wait_grep "$W" 5 '^fm/v1/demo/wo-request ' '"plan_id":"lift_statutory"' >/dev/null || fail "no request"
line=$(wait_grep "$W" 5 '^fm/v1/demo/notify/sup-sun ' '"kind":"info"') || fail "no overdue notice"
check "notice names the device" elev-2a "$(field device "$line")"
wait_grep "$W" 5 '^fm/v1/demo/notify/pm-zhou ' '"kind":"escalation"' >/dev/null || fail "no escalation"
wait_sql "select escalated_key is not null from pm_state where plan_id = 'lift_statutory'" t 5 ||
	fail "the escalation is not in pm_state"
kill9 "$SCHEDD_PID"
start_schedd o1
sleep 3
check "overdue notices" 1 "$(count_lines "$W" '^fm/v1/demo/notify/sup-sun ')"
check "escalations" 1 "$(count_lines "$W" '^fm/v1/demo/notify/pm-zhou ')"
check "notices in all" 2 "$(count_lines "$W" '^fm/v1/demo/notify/')"
check "requests" 1 "$(count_lines "$W" '^fm/v1/demo/wo-request ')"
kill -USR1 "$SCHEDD_PID"
stats=$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
	-V mqttv5 -t "fm/v1/_sys/schedd/o1" -C 1 -W 5) || fail "no stats"
check "stats: instances" 1 "$(printf '%s' "$stats" | grep -o '"instances":[0-9]*' | cut -d: -f2)"
schedd_logs_clean
echo "t_schedd_overdue: all passed"
