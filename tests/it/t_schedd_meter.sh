#!/usr/bin/env bash
# t_schedd_meter — a meter plan (counter run_hours every 10, last done
# before the system knew it): the first reading is the baseline; the
# meter survives a schedd restart (pm_state); no request before the counter
# has grown by 10, exactly one when it has, none after while it is open;
# schedd receives the telemetry of the metered device only, also after the
# metered device changed while schedd was down.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/schedd_lib.sh"
plan_on() { # DEVICE: the meter plan, on that device
	schedd_config "  - id: pump_hours
    name: Pump service every 10 run-hours
    targets: {devices: [$1]}
    meter: {metric: run_hours, every: 10}
    last_done: 2026-01-01
    duration: 1h
    checklist: [service the pump]"
}
plan_on pump-3
W="$IT_TMP/site.log"
watch_site "$W"
start_schedd r1
seq=0
hours() { # FROM TO: one reading per run-hour
	for h in $(seq "$1" "$2"); do
		seq=$((seq + 1))
		telemetry pump-3 "$seq" "{\"run_hours\":$h,\"running\":true}"
	done
}
hours 100 105
sleep 1
kill "$SCHEDD_PID"; wait "$SCHEDD_PID" 2>/dev/null || true
check "meter persisted at shutdown" "105|100" \
	"$(sql "select meter_value || '|' || meter_at_last_done from pm_state where plan_id = 'pump_hours'")"
start_schedd r1
hours 106 109
sleep 2
check "requests below the threshold" 0 "$(count_lines "$W" '^fm/v1/demo/wo-request ')"
hours 110 110
line=$(wait_grep "$W" 5 '^fm/v1/demo/wo-request ' '"plan_id":"pump_hours"') || fail "no request at 10 run-hours"
check "device" pump-3 "$(field device "$line")"
key=$(printf '%s\n' "$line" | grep -o '"idempotency_key":"[^"]*"' | cut -d'"' -f4)
ok "request $key"
hours 111 113
sleep 2
check "requests while it is open" 1 "$(count_lines "$W" '^fm/v1/demo/wo-request ')"
wait_sql "select last_request_key from pm_state where plan_id = 'pump_hours'" \
	"$key" 5 || fail "the request is not in pm_state"
ok "pm_state has the request"
for i in 1 2 3 4 5; do telemetry pump-1 "$i" '{"run_hours":1,"running":true}'; done
hours 114 114
sleep 1
kill -USR1 "$SCHEDD_PID"
sleep 0.5
check "telemetry schedd received since its restart (pump-3's 9, none of pump-1's)" 9 \
	"$(grep -o 'schedd stats telemetry_received=[0-9]*' "$IT_TMP/schedd-r1.log" | tail -1 | cut -d= -f2)"
# The plan moves from pump-3 to pump-1 while schedd is down: its persistent
# session still holds pump-3's subscription, which schedd drops at start
# (it remembers what it subscribed in its spool directory).
kill "$SCHEDD_PID"; wait "$SCHEDD_PID" 2>/dev/null || true
plan_on pump-1
start_schedd r1
grep -q 'event=meter_subscriptions_pruned removed=1' "$IT_TMP/schedd-r1.log" ||
	fail "schedd did not drop pump-3's subscription at start"
ok "schedd dropped pump-3's subscription at start"
hours 115 117
for i in 6 7; do telemetry pump-1 "$i" '{"run_hours":2,"running":true}'; done
sleep 1
kill -USR1 "$SCHEDD_PID"
sleep 0.5
check "telemetry schedd received after the change (pump-1's 2, none of pump-3's 3)" 2 \
	"$(grep -o 'schedd stats telemetry_received=[0-9]*' "$IT_TMP/schedd-r1.log" | tail -1 | cut -d= -f2)"
schedd_logs_clean
echo "t_schedd_meter: all passed"
