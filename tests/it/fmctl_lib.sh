# fmctl_lib.sh — helpers for fmctl's integration tests (sourced after
# lib.sh): broker accounts for people, fmctl run as the console or as a
# person, exit-code checks, and JSON/CSV checks with python3.

# people_accounts PERSON...: a broker account per person (the registry in
# PostgreSQL gives their roles: deploy/fm-broker-user.sh add-person) with a
# random password, kept in PW_<person> ('-' as '_').
people_accounts() {
	local p pw roles
	for p in "$@"; do
		pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
		roles=$(sql "select string_agg(role, ',' order by role) from person_roles where person_id = '$p'")
		[ -n "$roles" ] || fail "$p has no role in the registry"
		FM_NEW_PASSWORD=$pw deploy/local-servers.sh add-person "$FM_IT_DIR" "$p" "$roles" >/dev/null
		printf -v "PW_${p//-/_}" '%s' "$pw"
	done
	sleep 0.3 # the broker reloads its password file on SIGHUP
}

# fm_console ARGS...: fmctl as the operators' console (broker user fmctl).
fm_console() {
	FM_MQTT_USERNAME=fmctl FM_MQTT_PASSWORD="$FM_MQTT_PASS_fmctl" "$FM_BIN/fmctl" "$@"
}

# fm_as PERSON ARGS...: fmctl acting as PERSON with that person's password.
fm_as() {
	local p=$1 v="PW_${1//-/_}"; shift
	FM_MQTT_USERNAME= FM_MQTT_PASSWORD="${!v}" "$FM_BIN/fmctl" "$@" --as "$p"
}

# run_rc WANT DESCRIPTION CMD...: runs CMD, its stdout in OUT and stderr in
# ERR; fails unless it exits WANT.
run_rc() {
	local want=$1 what=$2 rc=0; shift 2
	OUT=$("$@" 2>"$IT_TMP/stderr") || rc=$?
	ERR=$(cat "$IT_TMP/stderr")
	if [ "$rc" != "$want" ]; then
		echo "  stdout: $OUT" >&2; echo "  stderr: $ERR" >&2
		fail "$what: exit $rc, expected $want"
	fi
	ok "$what (exit $rc)"
}

# has TEXT PATTERN...: every pattern (grep -E) is in TEXT.
has() {
	local text=$1 p; shift
	for p in "$@"; do
		printf '%s\n' "$text" | grep -qE -- "$p" || { printf '%s\n' "$text" >&2; fail "output lacks '$p'"; }
	done
}

# json_true JSON EXPR: EXPR (python, over d = the parsed JSON) is true; the
# text must be a JSON array of objects.
json_true() {
	printf '%s' "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and all(isinstance(r, dict) for r in d), "not an array of objects"
sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" || { printf '%s\n' "$1" >&2; fail "JSON check failed: $2"; }
}

# csv_true CSV EXPR: EXPR over rows = csv.DictReader of CSV is true.
csv_true() {
	printf '%s' "$1" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" || { printf '%s\n' "$1" >&2; fail "CSV check failed: $2"; }
}
