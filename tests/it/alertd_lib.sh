# alertd_lib.sh — helpers for alertd's integration tests (sourced after
# lib.sh): the demo community with test timings, alertd itself, and a
# subscriber that records everything the duty post would see.

# alertd_config: config/ copied to $IT_TMP/conf with short timings: the
# entrapment escalates to the supervisor after 4 s and to the project
# manager after 5 min, reminders hourly; mains lost and a pump without
# current raise at once. Applied to the database.
alertd_config() {
	ALERTD_CONF_DIR="$IT_TMP/conf"
	mkdir -p "$ALERTD_CONF_DIR"
	cp config/*.yaml "$ALERTD_CONF_DIR/"
	python3 - "$ALERTD_CONF_DIR/rules.yaml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
def edit(rule, old, new):
    global s
    i = s.index("  - id: " + rule + "\n")
    j = s.find("\n  - id: ", i + 1)
    j = len(s) if j < 0 else j
    block = s[i:j]
    assert old in block, (rule, old)
    s = s[:i] + block.replace(old, new, 1) + s[j:]
edit("elevator_entrapment", "reminder: 5m", "reminder: 1h")
edit("elevator_entrapment", "after: 10m", "after: 4s")
edit("elevator_entrapment", "after: 20m", "after: 5m")
edit("mains_lost", "raise_for: 60s", "raise_for: 0s")
edit("pump_no_current", "raise_for: 30s", "raise_for: 0s")
open(p, "w").write(s)
PY
	"$FM_BIN/fmctl" check "$ALERTD_CONF_DIR" >/dev/null || fail "test rules do not check"
	"$FM_BIN/fmctl" migrate >/dev/null
	"$FM_BIN/fmctl" apply "$ALERTD_CONF_DIR" >/dev/null
}

# start_alertd INSTANCE [VAR=VALUE...]: sets ALERTD_PID.
start_alertd() {
	local inst=$1; shift
	start_daemon alertd "$inst" config/fm.yaml "$@"
	ALERTD_PID=$DAEMON_PID
}

# kill9 PID: kill -9 and reap it quietly.
kill9() { kill -9 "$1"; wait "$1" 2>/dev/null || true; }

# watch_site FILE: records every message under fm/v1/demo/ (topic payload per
# line) from now on, retained ones included.
watch_site() {
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
		-V mqttv5 -q 1 -v -t 'fm/v1/demo/#' >"$1" 2>/dev/null &
	IT_PIDS+=("$!")
	sleep 0.3
}

# wait_grep FILE SECONDS PATTERN...: until FILE has a line matching every
# pattern (grep -E, in turn); prints that line.
wait_grep() {
	local f=$1 n=$(($2 * 10)) line; shift 2
	while [ $n -gt 0 ]; do
		line=$(lines "$f" "$@" | head -1)
		[ -n "$line" ] && { echo "$line"; return 0; }
		sleep 0.1; n=$((n - 1))
	done
	echo "  (no line in $f matching: $*)" >&2
	return 1
}

# lines FILE PATTERN...: the lines matching every pattern.
lines() {
	local f=$1; shift
	local out
	out=$(cat "$f")
	for p in "$@"; do out=$(printf '%s\n' "$out" | grep -E -- "$p" || true); done
	[ -n "$out" ] && printf '%s\n' "$out"
	return 0
}

# count_lines FILE PATTERN...
count_lines() { lines "$@" | grep -c . || true; }

# field NAME LINE: a string or number field of the JSON in LINE.
field() { printf '%s\n' "$2" | grep -o "\"$1\":\"\?[^,\"}]*" | head -1 | sed 's/.*:"\?//'; }

# event DEVICE NAME STATE SEQ: a device event, now.
event() {
	pub "fm/v1/demo/dev/$1/event" \
		"{\"seq\":$4,\"ts\":$(date +%s%3N),\"event\":\"$2\",\"state\":\"$3\"}"
}

# telemetry DEVICE SEQ METRICS_JSON
telemetry() {
	pub "fm/v1/demo/dev/$1/telemetry" "{\"seq\":$2,\"ts\":$(date +%s%3N),\"metrics\":$3}"
}
