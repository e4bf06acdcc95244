#!/usr/bin/env bash
# t_fmsim_community — the simulated demo community against alertd, the real
# broker and database: births for all 38 devices, 20 s at speed 60 (twenty
# simulated minutes) without a single alarm, then faults as a demo injects
# them: scheduled on the command line (fire alarm) and in a scenario file
# (gas leak), an entrapment and a mains loss through `fmsim fault` (the
# mains alarm raised, the pump alarms it causes suppressed), a device taken
# offline and back; bad requests
# refused with their exit codes; SIGUSR1 counters; SIGTERM stops it at once,
# exit 0, FIFO removed, no offline statuses published on the way out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
alertd_config
# offline rules raise 2 s after a last will instead of 5 min
python3 - "$ALERTD_CONF_DIR/rules.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
for rule in ("device_offline", "security_device_offline"):
    i = s.index("  - id: " + rule + "\n")
    j = s.find("\n  - id: ", i + 1)
    j = len(s) if j < 0 else j
    assert "after: 5m" in s[i:j], rule
    s = s[:i] + s[i:j].replace("after: 5m", "after: 2s", 1) + s[j:]
open(p, "w").write(s)
PY
"$FM_BIN/fmctl" apply "$ALERTD_CONF_DIR" >/dev/null
start_alertd a1
W="$IT_TMP/site.log"
watch_site "$W"

CTL="$IT_TMP/run/fmsim.ctl"
LOG="$IT_TMP/fmsim.log"
fault() { "$FM_BIN/fmsim" fault --config "$ALERTD_CONF_DIR" --control "$CTL" "$@"; }
printf '# AFTER NAME [DEVICE] [FOR]\n\n23s gas_leak gas-b3 3s\n' >"$IT_TMP/scenario"

FM_MQTT_USERNAME=fmsim FM_MQTT_PASSWORD="${FM_MQTT_PASS_fmsim:?}" \
	"$FM_BIN/fmsim" community --config "$ALERTD_CONF_DIR" --speed 60 --interval 1s \
	--control "$CTL" --seed 3 --fault fire_alarm@22s+3s --scenario "$IT_TMP/scenario" >"$LOG" 2>&1 &
SIM=$!
IT_PIDS+=("$SIM")
T0=$(date +%s)
for _ in $(seq 1 100); do grep -q 'event=started' "$LOG" && break; sleep 0.1; done
grep -q 'event=started' "$LOG" || { cat "$LOG" >&2; fail "fmsim community did not start"; }
[ -p "$CTL" ] || fail "no control FIFO at $CTL"
wait_grep "$W" 5 '^fm/v1/demo/dev/env-1/status ' '"state":"online"' >/dev/null || fail "no births"
check "devices born online (retained status)" 38 \
	"$(count_lines "$W" '^fm/v1/demo/dev/[^/]*/status ' '"state":"online"')"

# --- twenty simulated minutes of a normal community: no alarm at all
sleep $((T0 + 20 - $(date +%s)))
devices=$(lines "$W" '^fm/v1/demo/dev/[^/]*/telemetry ' | cut -d/ -f5 | sort -u | wc -l)
check "devices publishing telemetry" 38 "$devices"
msgs=$(count_lines "$W" '/telemetry ')
[ "$msgs" -ge 500 ] || fail "only $msgs telemetry messages in 20 s at a 1 s interval"
if [ "$(count_lines "$W" '^fm/v1/demo/alarm-log ')" != 0 ]; then
	lines "$W" '^fm/v1/demo/alarm-log ' >&2
	fail "alarms raised by the normal simulation"
fi
ok "20 s at speed 60: $msgs telemetry messages from 38 devices, no alarm"

# --- scheduled on the command line: a fire alarm 22 s in, for 3 s
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"rule":"fire_alarm"' '"transition":"raised"' >/dev/null ||
	fail "the scheduled fire alarm did not raise"
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"rule":"fire_alarm"' '"transition":"cleared"' >/dev/null ||
	fail "the scheduled fire alarm did not clear after 3 s"
grep -q 'event=fault_cleared fault=fire_alarm device=fire-panel-1 source=expired' "$LOG" ||
	fail "no log line for the expiry"
ok "--fault fire_alarm@22s+3s: raised on fire-panel-1, cleared 3 s later"
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"gas-b3"' '"rule":"gas_alarm"' '"transition":"raised"' \
	>/dev/null || fail "the scenario's gas leak did not raise"
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"gas-b3"' '"rule":"gas_alarm"' '"transition":"cleared"' \
	>/dev/null || fail "the scenario's gas leak did not clear"
ok "--scenario \"23s gas_leak gas-b3 3s\": gas alarm raised and cleared"

# --- an entrapment from another terminal
fault entrapment >/dev/null || fail "fmsim fault entrapment"
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"elev-1a"' '"rule":"elevator_entrapment"' \
	'"transition":"raised"' >/dev/null || fail "no entrapment alarm"
wait_grep "$W" 2 '^fm/v1/demo/dev/elev-1a/event ' '"event":"entrapment"' '"state":"active"' \
	'"floor":' >/dev/null || fail "the entrapment event has no floor"
grep -q 'event=fault_injected fault=entrapment device=elev-1a .*source=control' "$LOG" ||
	fail "the injection was not logged"
ok "fmsim fault entrapment: elev-1a entrapment alarm (event with the floor), logged"

# --- mains loss in the distribution room: one root cause, pumps suppressed
fault mains_loss dr-main >/dev/null || fail "fmsim fault mains_loss"
mains=$(wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"dr-main"' '"rule":"mains_lost"' \
	'"transition":"raised"') || fail "no mains-lost alarm"
M=$(field alarm_id "$mains")
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"pump-1"' '"rule":"pump_no_current"' \
	'"transition":"raised"' >/dev/null || fail "pump-1 raised nothing under mains loss"
sleep 2
pumps=0
for id in $(lines "$W" '^fm/v1/demo/alarm-log ' '"rule":"pump_no_current"' '"transition":"raised"' |
	grep -o '"alarm_id":"[^"]*"' | cut -d'"' -f4 | sort -u); do
	pumps=$((pumps + 1))
	sup=$(lines "$W" '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$id\"" "\"suppressed_by\":\"$M\"" | head -1)
	[ -n "$sup" ] || fail "pump alarm $id is not suppressed by $M"
	check "notifications of suppressed $id" 0 "$(count_lines "$W" '/notify/' "\"alarm_id\":\"$id\"")"
done
others=$(lines "$W" '^fm/v1/demo/alarm-log ' '"transition":"raised"' |
	grep -v -e '"rule":"pump_no_current"' -e '"rule":"mains_lost"' -e '"rule":"fire_alarm"' \
		-e '"rule":"elevator_entrapment"' -e '"rule":"gas_' || true)
[ -z "$others" ] || { echo "$others" >&2; fail "mains loss raised other alarms"; }
ok "mains_loss: $M raised; $pumps pump alarm(s) suppressed by it, none notified; nothing else"

# --- a camera goes offline, then comes back
fault device_offline cctv-gate-s >/dev/null || fail "fmsim fault device_offline"
wait_grep "$W" 5 '^fm/v1/demo/dev/cctv-gate-s/status ' '"state":"offline"' >/dev/null ||
	fail "no retained offline status"
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"cctv-gate-s"' \
	'"rule":"security_device_offline"' '"transition":"raised"' >/dev/null || fail "no offline alarm"
n1=$(count_lines "$W" '^fm/v1/demo/dev/cctv-gate-s/telemetry ')
sleep 2
check "cctv-gate-s telemetry while offline" "$n1" "$(count_lines "$W" '^fm/v1/demo/dev/cctv-gate-s/telemetry ')"
fault device_offline cctv-gate-s --clear >/dev/null || fail "fmsim fault --clear"
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' '"device":"cctv-gate-s"' \
	'"rule":"security_device_offline"' '"transition":"cleared"' >/dev/null ||
	fail "the offline alarm did not clear when the camera came back"
ok "device_offline: retained offline, telemetry stopped, alarm raised; cleared: back online, alarm cleared"

# --- bad requests
set +e
out=$(fault pump_explode 2>&1); rc=$?
set -e
check "exit code of an unknown fault" 2 "$rc"
printf '%s' "$out" | grep -q "unknown fault 'pump_explode'" || fail "unclear message: $out"
set +e
out=$(fault entrapment pump-1 2>&1); rc=$?
set -e
check "exit code of a fault on the wrong type" 2 "$rc"
printf '%s' "$out" | grep -q "does not apply to pump-1" || fail "unclear message: $out"
set +e
"$FM_BIN/fmsim" fault entrapment --control "$IT_TMP/nobody.ctl" >/dev/null 2>&1; rc=$?
set -e
check "exit code with no community on the FIFO" 3 "$rc"
printf 'fault no_such - 0\n' >"$CTL"
for _ in $(seq 1 20); do grep -q 'event=control_rejected' "$LOG" && break; sleep 0.1; done
grep -q "event=control_rejected reason=\"unknown fault 'no_such'" "$LOG" ||
	fail "a bad control line was not logged"
ok "unknown fault (2), wrong type (2), no community (3), bad control line logged"

# --- counters, then SIGTERM
kill -USR1 "$SIM"
for _ in $(seq 1 20); do grep -q 'event=stats' "$LOG" && break; sleep 0.1; done
stats=$(grep 'event=stats' "$LOG" | head -1)
printf '%s' "$stats" | grep -q 'faults_active=2 ' || fail "stats: $stats"
printf '%s' "$stats" | grep -q 'active=entrapment@elev-1a,mains_loss@dr-main\|active=mains_loss@dr-main,entrapment@elev-1a' ||
	fail "stats: $stats"
printf '%s' "$stats" | grep -q 'publish_failed=0 ' || fail "stats: $stats"
ok "SIGUSR1: $(printf '%s' "$stats" | grep -o 'published=[0-9]*') faults_active=2"
offline=$(count_lines "$W" '/status ' '"state":"offline"')
t=$(date +%s%N)
kill -TERM "$SIM"
set +e
wait "$SIM"; rc=$?
set -e
ms=$((($(date +%s%N) - t) / 1000000))
check "exit status after SIGTERM" 0 "$rc"
[ "$ms" -lt 3000 ] || fail "SIGTERM took $ms ms"
[ ! -e "$CTL" ] || fail "the control FIFO was left behind"
sleep 1
check "offline statuses after the stop (no will)" "$offline" "$(count_lines "$W" '/status ' '"state":"offline"')"
grep -q 'event=stopped' "$LOG" || fail "no stopped line"
ok "SIGTERM: exit 0 in $ms ms, FIFO removed, no offline flood"
echo "t_fmsim_community: all passed"
