# sec_lib.sh — helpers for the security tests (sourced after lib.sh): broker
# accounts made with the shipped deploy/fm-broker-user.sh (through
# local-servers.sh), MQTT 5 clients whose outcome is checked from
# mosquitto_pub's own report, and a recorder of everything delivered.

# account KIND NAME [ROLES [SITE]]: a device's or person's broker account;
# its password becomes FM_MQTT_PASS_<name> (- as _).
account() {
	tests/it/servers.sh "add-$1" "${@:2}" >/dev/null
	. "$FM_IT_DIR/env.sh"
}

pass_of() { local v="FM_MQTT_PASS_${1//-/_}"; echo "${!v}"; }

# as USER PUB_ARGS...: mosquitto_pub as USER (MQTT 5, QoS 1, debug output);
# its output (both streams) in $OUT, its exit status in $RC.
as() {
	local user=$1
	shift
	RC=0
	OUT=$(mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -u "$user" -P "$(pass_of "$user")" \
		-V mqttv5 -q 1 -d "$@" 2>&1) || RC=$?
}

# refused DESCRIPTION USER PUB_ARGS...: the broker answers the publish with
# PUBACK reason 135 (0x87, "Not authorized").
refused() {
	local what=$1
	shift
	as "$@"
	if [[ $OUT == *"received PUBACK (Mid: 1, RC:135)"* && $OUT == *"Publish 1 failed: Not authorized"* ]]; then
		ok "$what: PUBACK reason 135 Not authorized"
	else
		fail "$what: not refused as not authorized: $OUT"
	fi
}

# accepted DESCRIPTION USER PUB_ARGS...: PUBACK reason 0.
accepted() {
	local what=$1
	shift
	as "$@"
	[[ $OUT == *"received PUBACK (Mid: 1, RC:0)"* ]] || fail "$what: not accepted: $OUT"
	ok "$what: PUBACK reason 0"
}

# record FILE: everything delivered on the broker, as the test user, into
# FILE (topic payload per line) until the test ends; returns once recording.
record() {
	: >"$1"
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
		-V mqttv5 -q 1 -t '#' -v >>"$1" &
	IT_PIDS+=($!)
	local n=50
	while [ $n -gt 0 ]; do
		pub fm/v1/_test/recording "$n"
		grep -q '^fm/v1/_test/recording ' "$1" && return 0
		sleep 0.1; n=$((n - 1))
	done
	fail "the recorder does not receive"
}

# delivered FILE TOPIC: how many messages on TOPIC the recorder saw.
delivered() { grep -c "^$2 " "$1" || true; }

# sees USER SECONDS FILE FILTER...: what USER receives on FILTERs within
# SECONDS (topic payload per line) into FILE; SUBACK lines in FILE.suback.
sees() {
	local user=$1 secs=$2 file=$3 t args=()
	shift 3
	for t in "$@"; do args+=(-t "$t"); done
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$user" -P "$(pass_of "$user")" -V mqttv5 \
		-q 1 -v -W "$secs" "${args[@]}" -d >"$file.raw" 2>&1 || true
	grep -E '^(Subscribed|Client .* received SUBACK)' "$file.raw" >"$file.suback" || true
	grep -vE '^(Client |Subscribed |Timed out)' "$file.raw" >"$file" || true
}
