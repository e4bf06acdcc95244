# lib.sh — helpers for the shell integration tests (sourced; run.sh has
# started the servers and exported FM_* and PG*). Every check prints what it
# verified; the first failure ends the test with exit 1. Daemons started
# here are killed when the test exits, whatever happens.
set -euo pipefail
FM_BIN=${FM_BIN:-build/bin}
IT_NAME=$(basename "$0" .sh)
IT_TMP=$(mktemp -d "${FM_IT_DIR:?run under tests/it/run.sh}/$IT_NAME.XXXX")
IT_PIDS=()
IT_FAILS=0

it_cleanup() {
	local p
	for p in "${IT_PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
}
trap it_cleanup EXIT

ok() { echo "  ok: $*"; }
fail() { echo "  FAIL: $*" >&2; exit 1; }

# check DESCRIPTION EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then ok "$1 ($3)"; else fail "$1: expected '$2', got '$3'"; fi
}

sql() { psql -X -At -v ON_ERROR_STOP=1 -c "$1"; }

# wait_sql QUERY EXPECTED SECONDS: polls until the query returns EXPECTED.
wait_sql() {
	local q=$1 want=$2 n=$(($3 * 10)) got=""
	while [ $n -gt 0 ]; do
		got=$(sql "$q" 2>/dev/null || true)
		[ "$got" = "$want" ] && return 0
		sleep 0.1; n=$((n - 1))
	done
	echo "  (waited for [$q] = '$want', last '$got')" >&2
	return 1
}

# The database ready for daemons: migrated and the demo community applied.
it_setup_db() {
	"$FM_BIN/fmctl" migrate >/dev/null
	"$FM_BIN/fmctl" apply "${1:-config/}" >/dev/null
}

# start_daemon NAME INSTANCE CONF [VAR=VALUE...]: runs daemon NAME as its
# broker user and its PostgreSQL login role (password from the secrets
# run.sh made with deploy/db-roles.sh), with its spool/journal under the
# test's directory, logging to $IT_TMP/NAME-INSTANCE.log; waits for its
# "started" line; sets DAEMON_PID. VAR=VALUE settings override all that.
start_daemon() {
	local name=$1 inst=$2 conf=$3; shift 3
	local log="$IT_TMP/$name-$inst.log" pass="FM_MQTT_PASS_$name" db=()
	if [ -f "$FM_IT_DIR/secrets/$name.env" ]; then
		db=(FM_DB_CONNINFO="$FM_DB_CONNINFO user=$name"
		    PGPASSWORD="$(sed -n 's/^PGPASSWORD=//p' "$FM_IT_DIR/secrets/$name.env")")
	fi
	: >>"$log"
	local before
	before=$(grep -c 'event=started' "$log" || true)
	env FM_INSTANCE="$inst" FM_SPOOL_DIR="$IT_TMP/spool" "${db[@]}" \
		FM_MQTT_USERNAME="$name" FM_MQTT_PASSWORD="${!pass}" "$@" \
		"$FM_BIN/$name" -c "$conf" >>"$log" 2>&1 &
	DAEMON_PID=$!
	IT_PIDS+=("$DAEMON_PID")
	# ready when subscribed: the started line is logged after mq_connect
	local n=300
	while [ $n -gt 0 ] && [ "$(grep -c 'event=started' "$log" || true)" -le "$before" ]; do
		kill -0 "$DAEMON_PID" 2>/dev/null || { cat "$log" >&2; fail "$name $inst exited"; }
		sleep 0.1; n=$((n - 1))
	done
	[ $n -gt 0 ] || fail "$name $inst did not start"
}

# start_ingestd INSTANCE [VAR=VALUE...]: sets INGESTD_PID.
start_ingestd() {
	local inst=$1; shift
	start_daemon ingestd "$inst" "${INGESTD_CONF:-config/fm.yaml}" "$@"
	INGESTD_PID=$DAEMON_PID
}

# pub TOPIC PAYLOAD [mosquitto_pub options]: QoS 1 as the full-access test user.
pub() {
	local t=$1 m=$2; shift 2
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
		-V mqttv5 -q 1 -t "$t" -m "$m" "$@"
}

# The stats ingestd publishes retained on fm/v1/_sys/ingestd/INSTANCE.
ingestd_stats() {
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
		-V mqttv5 -t "fm/v1/_sys/ingestd/$1" -C 1 -W 5
}

# The broker for load tests: snapshots every 5 minutes, not on every change
# (their subject is ingestd; broker durability has tests of its own).
broker_throughput() {
	FM_BROKER_PROFILE=throughput tests/it/servers.sh restart-broker
	grep -q '^autosave_interval 300' "$FM_IT_DIR/broker/mosquitto.conf" || fail "throughput profile not applied"
}

# register_load DEVICES: a site "load" with DEVICES simulated devices.
register_load() {
	mkdir -p "$IT_TMP/load-config"
	"$FM_BIN/fmsim" load --devices "$1" --register "$IT_TMP/load-config" >/dev/null
	"$FM_BIN/fmctl" apply "$IT_TMP/load-config" >/dev/null
}

# load ARGS...: fmsim load as the test user, oracle in $IT_TMP/oracle.
load() {
	"$FM_BIN/fmsim" load --oracle "$IT_TMP/oracle" "$@"
}

# check_oracle SECONDS: every acknowledged message stored exactly once.
check_oracle() {
	local out
	out=$("$FM_BIN/fmsim" check --oracle "$IT_TMP/oracle" --wait "$1") || { echo "$out"; fail "oracle check"; }
	echo "  $out"
	echo "$out" | grep -q ' missing=0 ' || fail "missing readings"
	echo "$out" | grep -q ' duplicates=0' || fail "duplicate readings"
	ok "nothing acknowledged is missing, nothing is stored twice"
}

# acked: how many messages the last load had acknowledged (its summary line).
acked_of() { grep -o 'acked=[0-9]*' "$1" | head -1 | cut -d= -f2; }
