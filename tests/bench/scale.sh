#!/usr/bin/env bash
# scale.sh — cost per reading as the registry grows: for 1,000, 10,000 and
# 100,000 registered devices (BENCH_SCALE_DEVICES), each in a fresh
# database, ingestd and alertd take the same paced load (BENCH_SCALE_RATE
# msg/s, 1 reading each, for BENCH_SCALE_SECONDS, spread over all devices);
# their CPU time per reading and peak RSS. Figures only: never fails on a
# number.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BIN=${FM_BIN:-$root/build/bin}
DIR=$(mktemp -d /tmp/fm-bench-scale.XXXXXX)
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
"$servers" start "$DIR" >/dev/null
. "$DIR/env.sh"
RATE=${BENCH_SCALE_RATE:-2000}
SECS=${BENCH_SCALE_SECONDS:-15}

start() { # daemon instance: its pid in STARTED
	: >"$DIR/$1-$2.log"
	env FM_INSTANCE="$2" FM_SPOOL_DIR="$DIR/spool-$2" FM_MQTT_USERNAME="$1" \
		FM_MQTT_PASSWORD="$(eval echo "\$FM_MQTT_PASS_$1")" "$BIN/$1" >"$DIR/$1-$2.log" 2>&1 &
	STARTED=$!
	PIDS+=("$STARTED")
	until grep -q 'event=started' "$DIR/$1-$2.log"; do
		kill -0 "$STARTED" 2>/dev/null || { tail -5 "$DIR/$1-$2.log"; return 1; }
		sleep 0.1
	done
}

echo "paced load: $RATE msg/s of 1 reading for $SECS s, spread over the registered devices"
for n in ${BENCH_SCALE_DEVICES:-1000 10000 100000}; do
	db=scale_$n
	createdb "$db"
	export PGDATABASE=$db FM_DB_CONNINFO="host=127.0.0.1 port=$PGPORT user=postgres dbname=$db"
	"$BIN/fmctl" migrate >/dev/null
	"$BIN/fmctl" apply config/ >/dev/null
	rm -rf "$DIR/reg"
	"$BIN/fmsim" load --devices "$n" --register "$DIR/reg" >/dev/null
	"$BIN/fmctl" apply "$DIR/reg" >/dev/null
	start ingestd "s$n"
	ing=$STARTED
	start alertd "s$n"
	ale=$STARTED
	i0=$(cpu_ticks "$ing") a0=$(cpu_ticks "$ale")
	FM_MQTT_USERNAME=fmsim FM_MQTT_PASSWORD=$FM_MQTT_PASS_fmsim "$BIN/fmsim" load --devices "$n" \
		--rate "$RATE" --seconds "$SECS" --connections 2 >"$DIR/load-$n.out" 2>&1 || true
	acked=$(grep -o ' acked=[0-9]*' "$DIR/load-$n.out" | head -1 | cut -d= -f2)
	# until ingestd has stored them all (or 60 s): its CPU for this load
	for _ in $(seq 1 600); do
		[ "$(psql -XAtc "select count(*) from readings where device_id like 'ld%'")" -ge "${acked:-0}" ] && break
		sleep 0.1
	done
	sleep 1
	i1=$(cpu_ticks "$ing") a1=$(cpu_ticks "$ale")
	hz=$(getconf CLK_TCK)
	figure "scale.d$n.ingestd_us" "$(fmt "$(echo "($i1 - $i0) / $hz / ${acked:-1} * 1000000" | bc -l)" 1)" "µs CPU" "ingestd CPU per reading, $n devices registered"
	figure "scale.d$n.alertd_us" "$(fmt "$(echo "($a1 - $a0) / $hz / ${acked:-1} * 1000000" | bc -l)" 1)" "µs CPU" "alertd CPU per reading, $n devices registered"
	figure "scale.d$n.ingestd_rss" "$(fmt "$(peak_rss_mib "$ing")" 1)" MiB "ingestd peak RSS, $n devices registered"
	figure "scale.d$n.alertd_rss" "$(fmt "$(peak_rss_mib "$ale")" 1)" MiB "alertd peak RSS, $n devices registered"
	kill "$ing" "$ale"
	wait "$ing" "$ale" 2>/dev/null || true
done
