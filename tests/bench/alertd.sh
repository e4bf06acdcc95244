#!/usr/bin/env bash
# alertd.sh — the alarm benchmark of `make bench`: telemetry publish ->
# alarm-log entry received, as the duty post sees it (fmsim probe: a
# threshold crossed on one of 10,000 registered devices, raised then
# cleared), at idle and while ingest runs at half its ceiling measured here
# (ingestd writing PostgreSQL, alertd evaluating the same stream); alertd's
# CPU and peak RSS. Figures only: it never fails on a number.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BIN=${FM_BIN:-$root/build/bin}
DIR=$(mktemp -d /tmp/fm-bench-alertd.XXXXXX)
servers=$root/deploy/local-servers.sh
. "$root/tests/bench/lib.sh"
PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true # reaped quietly (no "Killed" lines)
	"$servers" stop "$DIR" >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT

export FM_BROKER_PROFILE=${FM_BROKER_PROFILE:-throughput}
"$servers" start "$DIR" >/dev/null
. "$DIR/env.sh"
DEVICES=${BENCH_ALERT_DEVICES:-10000}
ROUNDS=${BENCH_ALERT_ROUNDS:-400}
"$BIN/fmctl" migrate >/dev/null
# the demo community plus one rule the probe crosses: meter_power "probe" > 0.5
mkdir -p "$DIR/conf"
cp config/*.yaml "$DIR/conf/"
tests/it/probe_rule.sh "$DIR/conf/rules.yaml" bench_probe
"$BIN/fmctl" apply "$DIR/conf" >/dev/null
"$BIN/fmsim" load --devices "$DEVICES" --register "$DIR/load-config" >/dev/null
"$BIN/fmctl" apply "$DIR/load-config" >/dev/null

# The priorities a deployment gives alertd and the broker (deploy/systemd);
# the probe stands for the duty post, which is not on this server, and runs
# at alertd's so that its own wake-ups on the loaded machine are not counted
# as alarm latency. Without root they stay 0 (said below).
NICE=$(sed -n 's/^Nice=//p' deploy/systemd/fm@alertd.service.d/priority.conf)
BROKER_NICE=$(sed -n 's/^Nice=//p' deploy/systemd/mosquitto.service.d/fm.conf)
nice -n "$NICE" true 2>/dev/null || { echo "not root: no priorities (Nice 0 everywhere)"; NICE=0 BROKER_NICE=0; }
renice -n "$BROKER_NICE" -p "$(cat "$DIR/broker/mosquitto.pid")" >/dev/null
start() { # daemon instance
	local n=0
	[ "$1" = alertd ] && n=$NICE
	: >"$DIR/$1-$2.log"
	env FM_INSTANCE="$2" FM_SPOOL_DIR="$DIR/spool" FM_MQTT_USERNAME="$1" \
		FM_MQTT_PASSWORD="$(eval echo "\$FM_MQTT_PASS_$1")" nice -n "$n" "$BIN/$1" >"$DIR/$1-$2.log" 2>&1 &
	PIDS+=("$!")
	until grep -q 'event=started' "$DIR/$1-$2.log"; do sleep 0.1; done
}
start alertd b1
ALERTD=${PIDS[-1]}
export FM_MQTT_USERNAME=fmsim FM_MQTT_PASSWORD=$FM_MQTT_PASS_fmsim
probe() { nice -n "${1:-$NICE}" "$BIN/fmsim" probe --site load --device ld000001 --count "$ROUNDS" --interval-ms 10 || true; }
# flat: every process at priority 0, the broker and alertd's threads too
flat() {
	renice -n 0 -p "$(cat "$DIR/broker/mosquitto.pid")" $(ls "/proc/$ALERTD/task") >/dev/null
}
field() { grep -o " $1=[0-9.]*" | head -1 | cut -d= -f2 || true; }
ticks() { cpu_ticks "$ALERTD"; }

echo "devices: $DEVICES; rounds per case: $ROUNDS (raise, clear, ...)"
idle=$(probe)
printf '%-34s %s\n' "idle" "$idle"
probe_figures() { # case text
	figure "alarm.$1.p50" "$(field p50_ms <<<"$3")" ms "telemetry publish -> alarm-log, $2, p50"
	figure "alarm.$1.p99" "$(field p99_ms <<<"$3")" ms "telemetry publish -> alarm-log, $2, p99"
	figure "alarm.$1.p999" "$(field p999_ms <<<"$3")" ms "telemetry publish -> alarm-log, $2, p99.9"
	figure "alarm.$1.lost" "$(field lost <<<"$3")" "" "probe rounds with no alarm-log entry, $2 (must be 0)"
}
probe_figures idle "idle" "$idle"

start ingestd b1
INGESTD=${PIDS[-1]}
BROKER=$(cat "$DIR/broker/mosquitto.pid")
# schedd and dispatchd too, for their CPU and RSS under the same load
start schedd b1
SCHEDD=${PIDS[-1]}
start dispatchd b1
DISPATCHD=${PIDS[-1]}
"$BIN/fmsim" load --devices "$DEVICES" --metrics 1 --count 100000 --max --connections 4 \
	--prefix ld 2>/dev/null | grep ' sent=' >"$DIR/ceiling.out" || true
ceiling=$(field msg_per_s <"$DIR/ceiling.out")
# The ceiling run leaves alertd and ingestd a backlog (the broker queues it
# in their sessions): the loaded probe starts once all three are quiet, or
# it would measure the backlog's drain, not half the ceiling.
busy() { local t=0; for p in $ALERTD $INGESTD $BROKER; do t=$((t + $(cpu_ticks "$p"))); done; echo $t; }
drained=
for drain in $(seq 1 180); do
	a=$(busy); sleep 1; b=$(busy)
	[ $((b - a)) -lt 10 ] && drained="backlog drained in ${drain}s" && break
done
rate=$(printf '%.0f' "$(echo "$ceiling / 2" | bc -l)")
# BENCH_ALERT_RATE fixes the load instead (the ceiling moves from run to run
# with everything else on the machine: compare runs at one rate)
rate=${BENCH_ALERT_RATE:-$rate}
[[ $rate =~ ^[1-9][0-9]*$ ]] || { echo "bad load rate '$rate' (BENCH_ALERT_RATE or the ceiling run)" >&2; exit 1; }
echo "ingest ceiling with ingestd and alertd subscribed: ${ceiling%.*} msg/s (${drained:-backlog not drained after 180 s}); load: $rate msg/s"
"$BIN/fmsim" load --devices "$DEVICES" --metrics 1 --count $((rate * 40)) --rate "$rate" \
	--connections 2 --prefix ld >"$DIR/half.out" 2>&1 &
LOAD=$!
PIDS+=("$LOAD")
sleep 3
t0=$(ticks) s0=$(date +%s.%N) h0=$(host_ticks)
for p in $INGESTD $SCHEDD $DISPATCHD $BROKER; do eval "t0_$p=$(cpu_ticks "$p")"; done
loaded=$(probe)
printf '%-34s %s\n' "ingest at $rate msg/s" "$loaded"
t1=$(ticks) s1=$(date +%s.%N) h1=$(host_ticks)
flat
loaded_flat=$(probe 0)
printf '%-34s %s\n' "the same, all at priority 0" "$loaded_flat"
for p in $INGESTD $SCHEDD $DISPATCHD $BROKER; do eval "t1_$p=$(cpu_ticks "$p")"; done
probe_figures load "while ingest runs at $rate msg/s (${BENCH_ALERT_RATE:+fixed, not }half its ceiling), alertd and broker at Nice $NICE/$BROKER_NICE as shipped" "$loaded"
probe_figures load_flat "the same load, every process at Nice 0" "$loaded_flat"
figure alarm.load_rate "$rate" msg/s "the telemetry load during the loaded probe"
figure host.load_busy "$(fmt "$(host_busy "$h0" "$h1")" 0)" "%" "both cores busy during the loaded probe"
wait "$LOAD" 2>/dev/null || true
cpu=$(echo "($t1 - $t0) / $(getconf CLK_TCK) / ($s1 - $s0) * 100" | bc -l)
printf 'alertd: cpu %.0f%% under that load, peak RSS %.1f MiB\n' "$cpu" \
	"$(echo "$(awk '/VmHWM/{print $2}' "/proc/$ALERTD/status") / 1024" | bc -l)"
figure alertd.cpu "$(fmt "$cpu" 0)" "%" "alertd CPU (of one core) under that load"
figure alertd.rss_peak "$(fmt "$(peak_rss_mib "$ALERTD")" 1)" MiB "alertd peak RSS ($DEVICES + 38 devices)"
for d in ingestd:$INGESTD schedd:$SCHEDD dispatchd:$DISPATCHD mosquitto:$BROKER; do
	name=${d%%:*} p=${d#*:}
	c0=$(eval echo "\$t0_$p") c1=$(eval echo "\$t1_$p")
	figure "$name.load.cpu" "$(fmt "$(echo "($c1 - $c0) / $(getconf CLK_TCK) / ($s1 - $s0) * 100" | bc -l)" 0)" "%" "$name CPU under that load"
	figure "$name.load.rss_peak" "$(fmt "$(peak_rss_mib "$p")" 1)" MiB "$name peak RSS"
done
kill -USR1 "$ALERTD"
sleep 0.3
grep -E "stats (readings_evaluated|eval_p50_us|eval_p99_us|eval_max_us|journal_append_max_us|outbox_wait_max_ms)=" "$DIR/alertd-b1.log" | tail -6 | sed 's/^/  /'
