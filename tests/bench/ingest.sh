#!/usr/bin/env bash
# ingest.sh — the ingest benchmark of `make bench`: in one run, on this
# machine, (a) the broker ceiling: fmsim's load into a QoS 1 subscriber that
# does nothing, and (b) the same load into ingestd writing PostgreSQL, timed
# from the first publish until the last reading is committed. Prints
# messages/s, readings/s, the ratio b/a, ingestd's CPU and peak RSS.
# Figures only: it never fails on a number.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BIN=${FM_BIN:-$root/build/bin}
DIR=$(mktemp -d /tmp/fm-bench.XXXXXX)
servers=$root/deploy/local-servers.sh
. "$root/tests/bench/lib.sh"
PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
	"$servers" stop "$DIR" >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT

export FM_BROKER_PROFILE=${FM_BROKER_PROFILE:-throughput}
echo "broker profile: $FM_BROKER_PROFILE (FM_BROKER_PROFILE=durable|throughput)"
FM_PG_FSYNC=${FM_PG_FSYNC:-on} "$servers" start "$DIR" >/dev/null
. "$DIR/env.sh"
export FM_MQTT_USERNAME=fmsim FM_MQTT_PASSWORD=$FM_MQTT_PASS_fmsim
DEVICES=${BENCH_DEVICES:-1000}
"$BIN/fmctl" migrate >/dev/null
"$BIN/fmctl" apply config/ >/dev/null
mkdir -p "$DIR/load-config"
"$BIN/fmsim" load --devices "$DEVICES" --register "$DIR/load-config" >/dev/null
"$BIN/fmctl" apply "$DIR/load-config" >/dev/null

field() { grep -o " $1=[0-9.]*" | head -1 | cut -d= -f2 || true; }

ceiling() { # metrics count
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u ingestd -P "$FM_MQTT_PASS_ingestd" -V mqttv5 \
		-q 1 -t 'fm/v1/load/dev/+/telemetry' >/dev/null &
	local sub=$!
	PIDS+=("$sub")
	sleep 0.5
	local h0
	h0=$(host_ticks)
	"$BIN/fmsim" load --devices "$DEVICES" --metrics "$1" --count "$2" --max --connections 4 \
		--prefix ld 2>/dev/null | grep ' sent=' >"$DIR/ceiling.out" || true
	host_busy "$h0" "$(host_ticks)" >"$DIR/ceiling.busy"
	kill "$sub" 2>/dev/null || true
	wait "$sub" 2>/dev/null || true
	field msg_per_s <"$DIR/ceiling.out"
}

ingest() { # metrics count instance [rate: default as fast as possible]
	env FM_INSTANCE="$3" FM_SPOOL_DIR="$DIR/spool" FM_MQTT_USERNAME=ingestd \
		FM_MQTT_PASSWORD="$FM_MQTT_PASS_ingestd" "$BIN/ingestd" >"$DIR/ingestd-$3.log" 2>&1 &
	local pid=$! t0 t1 ticks0 ticks1 base h0 b0 b1 pg0 pg1 pgs bpid f0 f1
	base=$(psql -XAtc "select count(*) from readings where device_id like 'ld%'")
	PIDS+=("$pid")
	until grep -q 'event=started' "$DIR/ingestd-$3.log"; do sleep 0.1; done
	ticks0=$(cpu_ticks "$pid")
	# where the machine's time goes: the broker, PostgreSQL (postmaster
	# and its children: ingestd's writer's backend among them) and the
	# publishers (fmsim: its CPU from the shell's children times)
	bpid=$(cat "$DIR/broker/mosquitto.pid")
	pgs=$(pg_pids "$DIR")
	b0=$(cpu_ticks "$bpid")
	pg0=$(group_ticks $pgs)
	children_ticks
	f0=$CHILD_TICKS
	h0=$(host_ticks)
	t0=$(date +%s.%N)
	local pace=--max
	[ -n "${4:-}" ] && pace="--rate $4"
	"$BIN/fmsim" load --devices "$DEVICES" --metrics "$1" --count "$2" $pace --connections 4 \
		--oracle "$DIR/oracle-$3" 2>/dev/null >"$DIR/load-$3.out"
	children_ticks
	f1=$CHILD_TICKS
	# done when every row is in: a cheap count, not the oracle join, so the
	# measurement does not compete with the ingest for PostgreSQL
	local want=$((base + $1 * $2)) i=0
	while [ "$(psql -XAtc "select count(*) from readings where device_id like 'ld%'")" -lt "$want" ] && [ $i -lt 6000 ]; do
		sleep 0.1; i=$((i + 1))
	done
	t1=$(date +%s.%N)
	host_busy "$h0" "$(host_ticks)" >"$DIR/ingest.busy"
	b1=$(cpu_ticks "$bpid")
	pg1=$(group_ticks $pgs)
	"$BIN/fmsim" check --oracle "$DIR/oracle-$3" >"$DIR/check-$3.out" 2>/dev/null || true
	ticks1=$(cpu_ticks "$pid")
	rss=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
	kill -USR1 "$pid"
	sleep 0.5
	local stats lat
	stats=$(grep 'event=stats' "$DIR/ingestd-$3.log" | tail -1)
	lat=$(field commit_latency_p50_ms <<<"$stats")/$(field commit_latency_p99_ms <<<"$stats")/$(field commit_latency_p999_ms <<<"$stats")
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	secs=$(echo "$t1 - $t0" | bc -l)
	cpu=$(echo "($ticks1 - $ticks0) / $(getconf CLK_TCK) / $secs * 100" | bc -l)
	pct() { echo "($2 - $1) / $(getconf CLK_TCK) / $secs * 100" | bc -l; }
	echo "$(pct "$b0" "$b1") $(pct "$pg0" "$pg1") $(pct "$f0" "$f1")" >"$DIR/split-$3"
	printf '%s %s %s %s %s\n' "$(echo "$2 / $secs" | bc -l)" "$cpu" "$rss" "$lat" "$(cat "$DIR/check-$3.out")"
}

printf '%-22s %10s %10s %11s %6s %5s %8s %16s  %s\n' "case" "ceiling/s" "ingest/s" "readings/s" "ratio" "cpu%" "rss_MiB" "p50/p99/p99.9_ms" "check"
for case in "1 200000" "20 50000"; do
	set -- $case
	m=$1 n=$2
	c=$(ceiling "$m" "$n")
	read -r rate cpu rss lat check < <(ingest "$m" "$n" "b$m")
	printf '%-22s %10.0f %10.0f %11.0f %6.2f %5.0f %8.1f %16s  %s\n' "$m reading(s)/message" "$c" "$rate" \
		"$(echo "$rate * $m" | bc -l)" "$(echo "$rate / $c" | bc -l)" "$cpu" "$(echo "$rss / 1024" | bc -l)" "$lat" "$check"
	figure "ingest.m$m.broker_ceiling" "$(fmt "$c" 0)" msg/s "broker ceiling, $m reading(s)/message (QoS 1, subscriber that does nothing)"
	figure "ingest.m$m.ingest_rate" "$(fmt "$rate" 0)" msg/s "ingestd into PostgreSQL, $m reading(s)/message, first publish to last commit"
	figure "ingest.m$m.readings" "$(fmt "$(echo "$rate * $m" | bc -l)" 0)" readings/s "readings stored per second, $m reading(s)/message"
	figure "ingest.m$m.ratio" "$(fmt "$(echo "$rate / $c" | bc -l)" 2)" "" "ingest rate / broker ceiling, $m reading(s)/message"
	figure "ingestd.m$m.cpu" "$(fmt "$cpu" 0)" "%" "ingestd CPU (of one core) at full speed, $m reading(s)/message"
	figure "ingestd.m$m.rss_peak" "$(fmt "$(echo "$rss / 1024" | bc -l)" 1)" MiB "ingestd peak RSS, $m reading(s)/message"
	figure "ingest.m$m.missing" "$(grep -o 'missing=[0-9]*' <<<"$check" | cut -d= -f2)" "" "oracle: acknowledged but not stored (must be 0)"
	figure "host.m$m.ceiling_busy" "$(fmt "$(cat "$DIR/ceiling.busy")" 0)" "%" "both cores busy during the broker ceiling run, $m reading(s)/message"
	figure "host.m$m.ingest_busy" "$(fmt "$(cat "$DIR/ingest.busy")" 0)" "%" "both cores busy during the ingest run (broker, PostgreSQL, ingestd, publishers), $m reading(s)/message"
	read -r cb cp cf <"$DIR/split-b$m"
	figure "host.m$m.broker_cpu" "$(fmt "$cb" 0)" "%" "the broker's CPU (of one core) during the ingest run, $m reading(s)/message"
	figure "host.m$m.postgres_cpu" "$(fmt "$cp" 0)" "%" "PostgreSQL's CPU (all its processes, of one core) during the ingest run, $m reading(s)/message"
	figure "host.m$m.publishers_cpu" "$(fmt "$cf" 0)" "%" "fmsim load's CPU (of one core) during the ingest run, $m reading(s)/message"
done

# Below saturation the latency is the path's, not a backlog's: 1 reading
# per message at BENCH_PACED_RATE (default 4,000 msg/s) for 15 s.
paced=${BENCH_PACED_RATE:-4000}
read -r rate cpu rss lat check < <(ingest 1 $((paced * 15)) bpaced "$paced")
printf '%-22s %10s %10.0f %11.0f %6s %5.0f %8.1f %16s  %s\n' "1 reading, ${paced}/s" "-" "$rate" "$rate" \
	"-" "$cpu" "$(echo "$rss / 1024" | bc -l)" "$lat" "$check"
IFS=/ read -r p50 p99 p999 <<<"$lat"
figure ingest.commit_p50 "$p50" ms "publish -> commit latency p50 at $paced msg/s"
figure ingest.commit_p99 "$p99" ms "publish -> commit latency p99 at $paced msg/s"
figure ingest.commit_p999 "$p999" ms "publish -> commit latency p99.9 at $paced msg/s"

# The shipped (durable) broker profile: a snapshot on every change.
"$servers" stop-broker "$DIR" >/dev/null
rm -rf "$DIR/broker/data" # no offline sessions from the runs above queueing every message
FM_BROKER_PROFILE=durable "$servers" start-broker "$DIR" >/dev/null
durable=$(ceiling 1 3000)
printf '%-22s %10.0f   (broker profile durable: a snapshot per change)\n' "1 reading/message" "$durable"
figure ingest.durable_broker_ceiling "$(fmt "$durable" 0)" msg/s "broker ceiling with the shipped durable profile (snapshot per change)"
