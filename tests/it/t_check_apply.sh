#!/usr/bin/env bash
# t_check_apply.sh — `fmctl check` and `fmctl apply` against a real
# PostgreSQL: the shipped config/ is valid; injected errors are each reported
# as file:line: message with exit 1; apply loads the registry, a second apply
# changes nothing (no row's xmin moves); a device removed from the
# configuration is reported and kept, and deleted with --prune; --dry-run
# writes nothing; an unreachable database exits 3.
# Needs FM_DB_CONNINFO / PG* (tests/it/run.sh exports them) and FM_BIN.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fmctl="${FM_BIN:-build/bin}/fmctl"
work=$(mktemp -d /tmp/t_check_apply.XXXXXX)
trap 'rm -rf "$work"' EXIT
. tests/it/apply_lib.sh

fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
# Every row of the registry with its xmin: equal snapshots mean nothing was rewritten.
snapshot() {
	psql -XAtq -v ON_ERROR_STOP=1 -c "
		SELECT 'site ' || site_id || ' ' || xmin FROM sites
		UNION ALL SELECT 'area ' || area_id || ' ' || xmin FROM areas
		UNION ALL SELECT 'building ' || building_id || ' ' || xmin FROM buildings
		UNION ALL SELECT 'device ' || device_id || ' ' || xmin FROM devices
		UNION ALL SELECT 'feed ' || from_device || '>' || to_device || ' ' || xmin FROM device_feeds
		UNION ALL SELECT 'skill ' || skill_id || ' ' || xmin FROM skills
		UNION ALL SELECT 'person ' || person_id || ' ' || xmin FROM people
		UNION ALL SELECT 'role ' || person_id || ' ' || role || ' ' || xmin FROM person_roles
		UNION ALL SELECT 'pskill ' || person_id || ' ' || skill_id || ' ' || xmin FROM person_skills
		UNION ALL SELECT 'parea ' || person_id || ' ' || area_id || ' ' || xmin FROM person_areas
		UNION ALL SELECT 'shift ' || shift_id || ' ' || xmin FROM shifts
		UNION ALL SELECT 'roster ' || person_id || ' ' || shift_id || ' ' || xmin FROM roster
		UNION ALL SELECT 'team ' || team_id || ' ' || xmin FROM teams
		UNION ALL SELECT 'member ' || team_id || ' ' || person_id || ' ' || xmin FROM team_members
		ORDER BY 1" || fail "psql snapshot"
}
count() { psql -XAtq -c "SELECT count(*) FROM $1" || fail "psql count $1"; }
# The line of the first match of a fixed string in a file.

[ -x "$fmctl" ] || fail "no $fmctl"

# ---- check: the shipped configuration ---------------------------------------
out=$("$fmctl" check config/ 2>&1) || fail "check config/: $out"
[[ $out == "config/: ok — 1 site, "* ]] || fail "check summary: $out"
ok "check config/: $out"

# ---- check: one copy with four injected errors -------------------------------
bad="$work/bad"
mkdir "$bad" && cp config/*.yaml "$bad/"
sed -i 's/^    type: sump_pump$/    type: lift_pump/' "$bad/devices.yaml"
sed -i 's/^    feeds: \[dr-main\]$/    feeds: [dr-mian]/' "$bad/devices.yaml"
sed -i '0,/^    skills: \[elevator, electrical\]$/s//    skills: [elevator, welding]/' "$bad/people.yaml"
sed -i 's/^    address: .*/    address: Sunshine Road: 1/' "$bad/site.yaml"
l_type=$(line_of "$bad/devices.yaml" "type: lift_pump")
l_feeds=$(line_of "$bad/devices.yaml" "feeds: [dr-mian]")
l_skill=$(line_of "$bad/people.yaml" "skills: [elevator, welding]")
l_syntax=$(line_of "$bad/site.yaml" "Sunshine Road: 1")
[ -n "$l_type" ] && [ -n "$l_feeds" ] && [ -n "$l_skill" ] && [ -n "$l_syntax" ] ||
	fail "could not inject the errors (config/ changed?)"
"$fmctl" check "$bad" >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 1 ] || fail "check with errors: exit $rc, want 1"
for want in \
	"$bad/devices.yaml:$l_type: type: unknown value 'lift_pump' (expected one of: elevator," \
	"$bad/devices.yaml:$l_feeds: feeds: unknown device 'dr-mian'" \
	"$bad/people.yaml:$l_skill: skills: unknown skill 'welding'" \
	"$bad/site.yaml:$l_syntax: syntax error: mapping values are not allowed in this context"; do
	grep -qF -- "$want" "$work/err" || { cat "$work/err"; fail "missing: $want"; }
done
[ ! -s "$work/out" ] || fail "check with errors printed on stdout: $(cat "$work/out")"
ok "check reports all four injected errors with file:line (exit 1)"

# apply refuses an invalid configuration without touching the database
"$fmctl" apply "$bad" >/dev/null 2>&1
rc=$?
[ $rc -eq 1 ] || fail "apply of an invalid configuration: exit $rc, want 1"

# ---- apply ----------------------------------------------------------------------
"$fmctl" migrate >/dev/null || fail "fmctl migrate"
"$fmctl" apply config/ >"$work/apply1" 2>&1 || { cat "$work/apply1"; fail "apply config/"; }
want_devices=$(grep -c '^  - id: ' config/devices.yaml)
want_people=$(awk '/^people:/{p=1;next} /^[a-z]/{p=0} p && /^  - id: /{n++} END{print n}' config/people.yaml)
[ "$(count devices)" -eq "$want_devices" ] || fail "devices: $(count devices), config has $want_devices"
[ "$(count people)" -eq "$want_people" ] || fail "people: $(count people), config has $want_people"
[ "$(count sites)" -eq 1 ] || fail "sites: $(count sites)"
grep -qF "devices: $want_devices inserted, 0 updated, 0 removed" "$work/apply1" ||
	{ cat "$work/apply1"; fail "apply summary for devices"; }
feeds=$(psql -XAtq -c "SELECT count(*) FROM device_feeds WHERE from_device = 'dr-main'")
[ "$feeds" -gt 0 ] || fail "dr-main feeds nothing in the database"
ok "apply loaded $want_devices devices, $want_people people"

reapply_unchanged config/ snapshot rows
before=$(snapshot)

# ---- a device removed from the configuration ------------------------------------
less="$work/less"
mkdir "$less" && cp config/*.yaml "$less/"
victim=$(grep '^  - id: ' "$less/devices.yaml" | tail -1 | sed 's/^  - id: //')
sed -i "/^  - id: $victim\$/,\$d" "$less/devices.yaml"
grep -q "id: $victim\$" "$less/devices.yaml" && fail "could not remove $victim"
"$fmctl" check "$less" >/dev/null 2>&1 || fail "the copy without $victim does not check"

out=$("$fmctl" apply "$less" --dry-run 2>&1) || fail "dry run: $out"
[[ $out == *"would remove device $victim; use --prune"* ]] || fail "dry run: $out"
[ "$(snapshot)" = "$before" ] || fail "dry run wrote something"

out=$("$fmctl" apply "$less" --dry-run --prune 2>&1) || fail "dry run with --prune: $out"
[[ $out == *"would remove device $victim"* && $out == *"nothing written"* ]] ||
	fail "dry run with --prune: $out"
[ "$(snapshot)" = "$before" ] || fail "dry run with --prune wrote something"

out=$("$fmctl" apply "$less" 2>&1) || fail "apply without --prune: $out"
[[ $out == *"would remove device $victim; use --prune"* ]] || fail "apply without --prune: $out"
[ "$(count devices)" -eq "$want_devices" ] || fail "$victim was deleted without --prune"
ok "removal of $victim reported and kept"

out=$("$fmctl" apply "$less" --prune 2>&1) || fail "apply --prune: $out"
[[ $out == *"removed device $victim"* ]] || fail "apply --prune: $out"
[ "$(count devices)" -eq $((want_devices - 1)) ] || fail "--prune left $(count devices) devices"
[ "$(psql -XAtq -c "SELECT count(*) FROM devices WHERE device_id = '$victim'")" -eq 0 ] ||
	fail "$victim still in the database"
ok "--prune deleted $victim"

# ---- an unreachable database ------------------------------------------------------
FM_DB_CONNINFO="host=127.0.0.1 port=1 connect_timeout=2" "$fmctl" apply config/ >/dev/null 2>&1
rc=$?
[ $rc -eq 3 ] || fail "unreachable database: exit $rc, want 3"
ok "unreachable database: exit 3"
echo "t_check_apply: all passed"
