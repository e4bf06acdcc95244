#!/usr/bin/env bash
# t_check_rules.sh — config/rules.yaml through `fmctl check` and `fmctl apply`
# against a real PostgreSQL: the shipped rules check clean; injected rule
# errors are each reported as file:line: message with exit 1 and apply
# refuses them; apply loads one row per rule and per override, a second apply
# changes nothing (no xmin moves), a changed level updates exactly that row,
# a removed rule is reported and kept, and deleted with --prune; a directory
# without rules.yaml (fmsim's registry) leaves the rules alone.
# Needs FM_DB_CONNINFO / PG* (tests/it/run.sh exports them) and FM_BIN.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fmctl="${FM_BIN:-build/bin}/fmctl"
work=$(mktemp -d /tmp/t_check_rules.XXXXXX)
trap 'rm -rf "$work"' EXIT
. tests/it/apply_lib.sh

fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
q() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1" || fail "psql: $1"; }
snapshot() { q "SELECT rule_id || '/' || coalesce(device_id, '') || ' ' || xmin FROM rules ORDER BY 1"; }

[ -x "$fmctl" ] || fail "no $fmctl"
want_rules=$(grep -c '^  - id: ' config/rules.yaml)
want_overrides=$(awk '/^overrides:/{p=1;next} /^[a-z]/{p=0} p && /^  - device: /{n++} END{print n+0}' config/rules.yaml)

# ---- check: the shipped rules -------------------------------------------------
out=$("$fmctl" check config/ 2>&1) || fail "check config/: $out"
[[ $out == *", $want_rules rules" ]] || fail "check summary: $out"
ok "check config/: $out"

# ---- check: injected errors, each at its line -----------------------------------
bad="$work/bad"
mkdir "$bad" && cp config/*.yaml "$bad/"
r="$bad/rules.yaml"
# transformer_hot: clear above its raise level; a severity V; a notify target
# nobody knows; an override of a device that does not exist; a metric name
# with a capital; a window on a threshold rule.
sed -i '/^  - id: transformer_hot$/,/^  - id:/s/^    clear: 85$/    clear: 95/' "$r"
sed -i '/^  - id: noise_high$/,/^  - id:/s/^    severity: 4$/    severity: 5/' "$r"
sed -i 's/^    notify: \[duty_engineer, ctr-elevator\]$/    notify: [duty_engineer, ctr-lift]/' "$r"
sed -i 's/^  - device: pump-3 .*/  - device: pump-9/' "$r"
sed -i 's/^    metric: fuel_pct$/    metric: Fuel_pct/' "$r"
sed -i '/^  - id: distribution_room_hot$/,/^  - id:/s/^    raise_for: 5m$/    raise_for: 5m\n    window: 5m/' "$r"
l_clear=$(line_of "$r" "clear: 95")
l_sev=$(line_of "$r" "severity: 5")
l_notify=$(line_of "$r" "ctr-lift")
l_dev=$(line_of "$r" "device: pump-9")
l_metric=$(line_of "$r" "metric: Fuel_pct")
l_window=$(grep -n '^    window: 5m$' "$r" | head -1 | cut -d: -f1)
for v in "$l_clear" "$l_sev" "$l_notify" "$l_dev" "$l_metric" "$l_window"; do
	[ -n "$v" ] || fail "could not inject the errors (config/rules.yaml changed?)"
done
"$fmctl" check "$bad" >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 1 ] || { cat "$work/err"; fail "check with rule errors: exit $rc, want 1"; }
for want in \
	"$r:$l_clear: clear: 95 must be below the raise level 90: an alarm raised above a level clears at a lower one (hysteresis)" \
	"$r:$l_sev: severity: out of range 1..4" \
	"$r:$l_notify: notify: unknown role, team or person 'ctr-lift'" \
	"$r:$l_dev: device: unknown device 'pump-9'" \
	"$r:$l_metric: metric: 'Fuel_pct' is not a metric name ([a-z0-9_], 1 to 64)" \
	"$r:$l_window: window: not a key of threshold rules" \
	"fmctl: $bad/: 6 problems"; do
	grep -qF -- "$want" "$work/err" || { cat "$work/err"; fail "missing: $want"; }
done
[ ! -s "$work/out" ] || fail "check with errors printed on stdout: $(cat "$work/out")"
ok "check reports all six injected rule errors with file:line (exit 1)"

"$fmctl" migrate >/dev/null || fail "fmctl migrate"
"$fmctl" apply "$bad" >/dev/null 2>&1
rc=$?
[ $rc -eq 1 ] || fail "apply of invalid rules: exit $rc, want 1"
[ "$(q 'SELECT count(*) FROM rules')" -eq 0 ] || fail "apply of invalid rules wrote rules"
ok "apply refuses invalid rules and writes nothing"

# ---- apply ------------------------------------------------------------------------
"$fmctl" apply config/ >"$work/apply1" 2>&1 || { cat "$work/apply1"; fail "apply config/"; }
grep -qF "rules: $((want_rules + want_overrides)) inserted, 0 updated, 0 removed" "$work/apply1" ||
	{ cat "$work/apply1"; fail "apply summary for rules"; }
[ "$(q 'SELECT count(*) FROM rules WHERE device_id IS NULL')" -eq "$want_rules" ] || fail "rule rows"
[ "$(q 'SELECT count(*) FROM rules WHERE device_id IS NOT NULL')" -eq "$want_overrides" ] ||
	fail "override rows"
row=$(q "SELECT kind, op, raise_level, clear_level, raise_for_ms, severity, array_to_string(notify, ',')
	 FROM rules WHERE rule_id = 'tank_level_low' AND device_id IS NULL")
[ "$row" = "threshold|below|20|25|60000|3|duty_engineer" ] || fail "tank_level_low row: $row"
row=$(q "SELECT raise_level, clear_level, raise_for_ms FROM rules
	 WHERE rule_id = 'flood_depth' AND device_id = 'flood-cp-1'")
[ "$row" = "10|5|120000" ] || fail "flood-cp-1 override row: $row"
row=$(q "SELECT wo_kind, wo_priority, wo_skill, wo_assignee FROM rules
	 WHERE rule_id = 'elevator_entrapment'")
[ "$row" = "emergency|emergency|elevator|ctr-elevator" ] || fail "entrapment work order: $row"
# escalation reads without a JSON parser of one's own
row=$(q "SELECT string_agg(e.after_ms || ':' || array_to_string(e.notify, ','), ' ')
	 FROM rules, jsonb_to_recordset(escalation) AS e(after_ms bigint, notify text[])
	 WHERE rule_id = 'fire_alarm'")
[ "$row" = "300000:supervisor,emergency 900000:project_manager" ] || fail "fire_alarm escalation: $row"
# what alertd may do with it
q "SET ROLE fm_alertd; SELECT count(*) FROM rules" >/dev/null
psql -XAtq -c "SET ROLE fm_alertd; DELETE FROM rules" >/dev/null 2>&1 && fail "fm_alertd may delete rules"
ok "apply loaded $want_rules rules and $want_overrides overrides, as the file says"

reapply_unchanged config/ snapshot rules
before=$(snapshot)

# ---- one level changed, one rule removed --------------------------------------------
less="$work/less"
mkdir "$less" && cp config/*.yaml "$less/"
sed -i '/^  - id: transformer_hot$/,/^  - id:/s/^    raise: 90 .*/    raise: 95/' "$less/rules.yaml"
sed -i '/^  - id: pm25_high$/,/^  - id:/{/^  - id: pm25_high$/d;/^  - id:/!d}' "$less/rules.yaml"
grep -q 'id: pm25_high' "$less/rules.yaml" && fail "could not remove pm25_high"
grep -q '^    raise: 95$' "$less/rules.yaml" || fail "could not change transformer_hot"
out=$("$fmctl" apply "$less" 2>&1) || fail "apply with a change: $out"
[[ $out == *"rules: 0 inserted, 1 updated, 0 removed"* ]] || fail "apply with a change: $out"
[[ $out == *"would remove rule pm25_high; use --prune"* ]] || fail "apply with a removal: $out"
[ "$(q "SELECT raise_level FROM rules WHERE rule_id = 'transformer_hot'")" = 95 ] ||
	fail "transformer_hot not updated"
[ "$(q "SELECT count(*) FROM rules WHERE rule_id = 'pm25_high'")" -eq 1 ] ||
	fail "pm25_high deleted without --prune"
ok "a changed level updates one row; a removed rule is reported and kept"

out=$("$fmctl" apply "$less" --prune 2>&1) || fail "apply --prune: $out"
[[ $out == *"removed rule pm25_high"* ]] || fail "apply --prune: $out"
[ "$(q "SELECT count(*) FROM rules WHERE rule_id = 'pm25_high'")" -eq 0 ] || fail "pm25_high kept"
ok "--prune deleted pm25_high"

# ---- a directory without rules.yaml leaves the rules alone ---------------------------
norules="$work/norules"
mkdir "$norules" && cp config/*.yaml "$norules/" && rm "$norules/rules.yaml"
n=$(q 'SELECT count(*) FROM rules')
out=$("$fmctl" check "$norules" 2>&1) || fail "check without rules.yaml: $out"
out=$("$fmctl" apply "$norules" --prune 2>&1) || fail "apply without rules.yaml: $out"
[ "$(q 'SELECT count(*) FROM rules')" -eq "$n" ] || fail "apply without rules.yaml touched the rules"
ok "a directory without rules.yaml checks and applies, rules untouched"
echo "t_check_rules: all passed"
