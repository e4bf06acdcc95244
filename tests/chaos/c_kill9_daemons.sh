#!/usr/bin/env bash
# c_kill9_daemons — kill -9 of each daemon under load, in turn, and a
# restart with the same instance (short: one round; long: three): ingestd
# while fmsim load runs; alertd 100 ms after a fire alarm; dispatchd 100 ms
# after a work-order request (published again while it is down, as a
# retrying sender would); schedd between occurrences of a plan due every
# 2 s. ingestd acknowledges a message only after its spool has it
# (common/mqrx), so no acknowledged reading may be missing.
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/alertd_lib.sh"
. "$(dirname "$0")/../it/dispatchd_lib.sh"
. "$(dirname "$0")/../it/schedd_lib.sh"
. "$(dirname "$0")/chaos_lib.sh"
ROUNDS=$(by_scale 1 3)
RATE=$(by_scale 400 600)
SECS=$(by_scale 14 45)
criterion "fmsim load at $RATE msg/s for $SECS s (100 devices, 2 metrics); $ROUNDS round(s) of" \
	"kill -9 + restart of ingestd, alertd, dispatchd and schedd under that load. Readings:" \
	"duplicates 0, missing 0. Each fire alarm raised exactly once (alarm_events and alarm-log; alarm" \
	"oracle missing 0, duplicates 0). Each work-order key one order. schedd: every occurrence" \
	"requested once, or reported missed=N by the first request after its restart (by design)"
broker_throughput
CHAOS_PLANS='defaults:
  lead_time: 0s
  overdue: {after: 1d, notify: [supervisor], escalate: [project_manager], escalate_after: 1d}
plans:
  - id: chaos2
    name: Pump round every 2 s
    targets: {devices: [pump-1]}
    calendar: {every: 2 seconds, anchor: fixed, anchor_date: 2020-01-01}
    skill: plumbing
    duration: 1m
    checklist: [look at the pump]'
chaos_config 100 "$ROUNDS"
DISPATCHD_CONF_DIR=$CHAOS_CONF
W="$IT_TMP/site.log"
watch_site "$W"
alarm_sub k9
start_ingestd k1
start_alertd k1
start_dispatchd k1
start_schedd k1
load_bg --devices 100 --metrics 2 --seconds "$SECS" --rate "$RATE" --connections 2
KILLS=0
for r in $(seq 1 "$ROUNDS"); do
	before=$(sql "select count(*) from readings")
	wait_sql "select count(*) > $before + $((RATE * 2)) from readings" t 30 || fail "no progress before round $r"
	kill9 "$INGESTD_PID"; KILLS=$((KILLS + 1))
	sleep 0.5
	start_ingestd k1
	t_ing=$(now_ms)
	ok "round $r: ingestd killed and restarted"
	panel=$(printf 'fp%03d' "$r")
	fire "$panel" active "$r"
	sleep 0.1
	kill9 "$ALERTD_PID"
	wait_sql "select count(*) from events where device_id = '$panel'" 1 15 || fail "ingestd did not store the $panel event"
	start_alertd k1
	ok "round $r: alertd killed 100 ms after the $panel fire alarm and restarted"
	wo_request "chaos-$r" "Chaos round $r"
	sleep 0.1
	kill9 "$DISPATCHD_PID"
	wo_request "chaos-$r" "Chaos round $r"
	sleep 0.5
	start_dispatchd k1
	ok "round $r: dispatchd killed 100 ms after request chaos-$r and restarted"
	sleep 1
	kill9 "$SCHEDD_PID"
	sleep 2.5
	start_schedd k1
	ok "round $r: schedd killed and restarted 2.5 s later"
	wait_sql "select count(*) >= $((RATE * 2)) from readings where ts >= to_timestamp($t_ing / 1000.0)" t 30 || true
	floor "round $r: readings published after ingestd's restart and stored (1 s of load)" $((RATE * 2)) \
		"$(stored_since "$t_ing")"
done
load_wait
oracle_figures 0
figure "ingestd kills=$KILLS missing=$MISSING"

wait_grep "$IT_TMP/k9.log" 15 '"rule":"fire_alarm"' "\"device\":\"fp$(printf '%03d' "$ROUNDS")\"" >/dev/null ||
	fail "the last fire alarm never arrived"
raised_per_panel "$ROUNDS"
alarm_oracle_ok k9 fire_alarm
floor "fire alarm raises delivered" "$ROUNDS" "$AL_DELIVERED"

for r in $(seq 1 "$ROUNDS"); do
	wait_sql "select count(*) from work_orders where idempotency_key = 'chaos-$r'" 1 15 ||
		fail "request chaos-$r did not open exactly one order"
done
ok "each of $ROUNDS work-order keys opened exactly one order"

sleep 2.5
kill "$SCHEDD_PID"; wait "$SCHEDD_PID" 2>/dev/null || true
mapfile -t reqs < <(lines "$W" '^fm/v1/demo/wo-request ' '"plan_id":"chaos2"')
n=${#reqs[@]}
floor "schedd requests" $((4 * ROUNDS)) "$n"
key_of() { printf '%s\n' "$1" | grep -o '"idempotency_key":"[^"]*"' | cut -d'"' -f4; }
keys=$(for l in "${reqs[@]}"; do key_of "$l"; done)
check "distinct schedd keys" "$n" "$(echo "$keys" | sort -u | grep -c .)"
# A request after downtime reports the occurrences it missed (missed=N, one
# request for them, by design: README, schedd): a gap of N+1 periods must
# carry missed=N; any other gap is a lost occurrence.
prev="" missed_total=0
for l in "${reqs[@]}"; do
	k=$(key_of "$l")
	m=$(field missed "$l" || true); m=${m:-0}
	t=$(TZ=Asia/Shanghai date -d "${k##chaos2:pump-1:}" +%s) || fail "key $k has no time"
	[ -z "$prev" ] || [ $((t - prev)) -eq $((2 * (m + 1))) ] ||
		fail "gap of $((t - prev)) s before $k, which reports missed=$m"
	missed_total=$((missed_total + m))
	prev=$t
done
ok "schedd: $n requests, every occurrence 2 s apart requested or reported missed ($missed_total) across the kills"
figure "kill9 rounds=$ROUNDS readings_acked=$ACKED readings_missing=$MISSING fire_alarms=$AL_DELIVERED schedd_requests=$n schedd_missed_reported=$missed_total"
echo "c_kill9_daemons: all passed"
