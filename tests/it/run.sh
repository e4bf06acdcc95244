#!/usr/bin/env bash
# run.sh — the integration-test harness. Starts a real Mosquitto (shipped
# configuration: authentication and ACLs on) and a real PostgreSQL 15 in a
# temporary directory on free loopback ports, then runs every
# build/tests/it/it_* binary and every tests/it/t_*.sh, each against a fresh
# database and a broker with no retained state. Servers are stopped and the
# directory removed at the end, also on failure or interrupt.
#   tests/it/run.sh [NAME...]    only the tests whose names contain NAME
#   tests/it/run.sh --dir DIR [NAME...]   DIR's [ct]_*.sh instead (the chaos
#                                suite, tests/chaos/run.sh); a test that exits
#                                77 is counted as skipped, not passed
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
candidates=(build/tests/it/it_* tests/it/t_*.sh)
if [ "${1:-}" = --dir ]; then
	[ -d "${2:-}" ] || { echo "it: --dir needs a directory"; exit 2; }
	candidates=("${2%/}"/[ct]_*.sh)
	shift 2
fi
export FM_BIN=${FM_BIN:-$root/build/bin}
export FM_IT_DIR=$(mktemp -d /tmp/fm-it.XXXXXX)
servers="$root/deploy/local-servers.sh"

cleanup() {
	"$servers" stop "$FM_IT_DIR" >/dev/null 2>&1
	# Anything a test started in its own process group is gone with it; this
	# catches daemons a failed test left behind.
	pkill -9 -f "$FM_IT_DIR" 2>/dev/null
	rm -rf "$FM_IT_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$servers" start "$FM_IT_DIR" || { echo "it: could not start servers"; exit 1; }
. "$FM_IT_DIR/env.sh"
# A test-only broker account that may read and write everything, so tests
# can observe and inject; deployments never have it.
"$servers" add-user "$FM_IT_DIR" fmtest "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf 'user fmtest\ntopic readwrite #\ntopic readwrite $SYS/#\n' >"$FM_IT_DIR/broker/acl.local"
. "$FM_IT_DIR/env.sh"
# The daemons log in to PostgreSQL as their own roles (deploy/db-roles.sh),
# with passwords; the group roles come from the first migration.
"$FM_BIN/fmctl" migrate >/dev/null && "$servers" db-roles "$FM_IT_DIR" ||
	{ echo "it: could not create the daemons' database roles"; exit 1; }

tests=()
for t in "${candidates[@]}"; do
	[ -e "$t" ] || continue
	if [ $# -gt 0 ]; then
		keep=0; for f in "$@"; do [[ $t == *"$f"* ]] && keep=1; done
		[ $keep -eq 1 ] || continue
	fi
	tests+=("$t")
done

pass=0 fail=0 skip=0 failed=() n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	name=$(basename "$t" .sh)
	db="it_${n}_$(echo "$name" | tr -c 'a-z0-9\n' '_')"
	createdb "$db" || { echo "it: createdb $db failed"; exit 1; }
	# Fresh broker state: no retained messages or sessions from earlier tests.
	"$servers" stop-broker "$FM_IT_DIR" && rm -rf "$FM_IT_DIR/broker/data" && "$servers" start-broker "$FM_IT_DIR" ||
		{ echo "it: broker restart failed"; exit 1; }
	echo "== $name"
	start=$(date +%s)
	PGDATABASE=$db FM_DB_CONNINFO="host=127.0.0.1 port=$PGPORT user=postgres dbname=$db" \
		FM_MQTT_USERNAME=fmtest FM_MQTT_PASSWORD=$FM_MQTT_PASS_fmtest \
		timeout -k 10 600 "$t"
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1)); echo "-- $name: ok ($(( $(date +%s) - start )) s)"
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1)); echo "-- $name: SKIPPED ($(( $(date +%s) - start )) s)"
		"$servers" start "$FM_IT_DIR" >/dev/null 2>&1
	else
		fail=$((fail + 1)); failed+=("$name"); echo "-- $name: FAILED (exit $rc)"
		# Make sure the servers are up for the next test whatever this one did.
		"$servers" start "$FM_IT_DIR" >/dev/null 2>&1
	fi
done
echo
echo "integration tests: $n; failed: ${failed[*]:-none}"
echo "it: $pass passed, $fail failed, $skip skipped"
[ "$n" -gt 0 ] && [ "$fail" -eq 0 ]
