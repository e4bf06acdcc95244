#!/usr/bin/env bash
# t_check_plans.sh — config/maintenance.yaml through `fmctl check` and
# `fmctl apply` against a real PostgreSQL: the shipped plans check clean;
# injected plan errors are each reported as file:line: message with exit 1
# and apply refuses them; apply loads one pm_plans row per plan with what the
# file says, a second apply changes nothing (no xmin moves), a removed plan
# is reported and kept, and deleted with --prune; a directory without
# maintenance.yaml leaves the plans alone.
# Needs FM_DB_CONNINFO / PG* (tests/it/run.sh exports them) and FM_BIN.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fmctl="${FM_BIN:-build/bin}/fmctl"
work=$(mktemp -d /tmp/t_check_plans.XXXXXX)
trap 'rm -rf "$work"' EXIT
. tests/it/apply_lib.sh

fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
q() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1" || fail "psql: $1"; }
snapshot() { q "SELECT plan_id || ' ' || xmin FROM pm_plans ORDER BY 1"; }

[ -x "$fmctl" ] || fail "no $fmctl"
want=$(grep -c '^  - id: ' config/maintenance.yaml)

# ---- check: the shipped plans ---------------------------------------------------
out=$("$fmctl" check config/ 2>&1) || fail "check config/: $out"
[[ $out == *", $want plans, "* ]] || fail "check summary: $out"
ok "check config/: $out"

# ---- check: injected errors, each at its line ------------------------------------
bad="$work/bad"
mkdir "$bad" && cp config/*.yaml "$bad/"
m="$bad/maintenance.yaml"
# a period nobody can read; an unknown skill; an escalation on a plan that is
# not statutory; a lead time as long as the period; a site-level plan with a
# meter; a checklist item set as often as its plan.
sed -i 's/^    calendar: {every: 1 week}                 # T 002$/    calendar: {every: 1 fortnight}/' "$m"
sed -i '/^  - id: tank_water_quality$/,/^  - id:/s/^    skill: plumbing$/    skill: welding/' "$m"
sed -i '/^  - id: generator_test_run$/,/^  - id:/s/^    skill: electrical$/    skill: electrical\n    overdue: {escalate: [project_manager]}/' "$m"
sed -i '/^  - id: vacant_flat_check$/,/^  - id:/s/^    lead_time: 1d$/    lead_time: 8d/' "$m"
sed -i '/^  - id: fire_drill$/,/^  - id:/s/^    duration: 3h$/    duration: 3h\n    meter: {metric: run_hours, every: 10}/' "$m"
sed -i '/^      - name: quarterly$/,/^      - name:/s/^        every: 3 months$/        every: 15 days/' "$m"
l_every=$(line_of "$m" "every: 1 fortnight")
l_skill=$(line_of "$m" "skill: welding")
l_esc=$(line_of "$m" "overdue: {escalate: [project_manager]}")
l_lead=$(line_of "$m" "lead_time: 8d")
l_meter=$(line_of "$m" "meter: {metric: run_hours, every: 10}")
l_set=$(line_of "$m" "        every: 15 days")
for v in "$l_every" "$l_skill" "$l_esc" "$l_lead" "$l_meter" "$l_set"; do
	[ -n "$v" ] || fail "could not inject the errors (config/maintenance.yaml changed?)"
done
"$fmctl" check "$bad" >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 1 ] || { cat "$work/err"; fail "check with plan errors: exit $rc, want 1"; }
for want_msg in \
	"$m:$l_every: every: '1 fortnight' is not a period (N days, weeks, months or years" \
	"$m:$l_skill: skill: unknown skill 'welding'" \
	"$m:$l_esc: escalate: only statutory plans escalate (statutory: true)" \
	"$m:$l_lead: lead_time: must be shorter than the period (every 1 week)" \
	"$m:$l_meter: meter: a site-level plan has no device to count from" \
	"$m:$l_set: every: an item set must come less often than its plan (every 15 days)" \
	"fmctl: $bad/: 6 problems"; do
	grep -qF -- "$want_msg" "$work/err" || { cat "$work/err"; fail "missing: $want_msg"; }
done
[ ! -s "$work/out" ] || fail "check with errors printed on stdout: $(cat "$work/out")"
ok "check reports all six injected plan errors with file:line (exit 1)"

"$fmctl" migrate >/dev/null || fail "fmctl migrate"
"$fmctl" apply "$bad" >/dev/null 2>&1
rc=$?
[ $rc -eq 1 ] || fail "apply of invalid plans: exit $rc, want 1"
[ "$(q 'SELECT count(*) FROM pm_plans')" -eq 0 ] || fail "apply of invalid plans wrote plans"
ok "apply refuses invalid plans and writes nothing"

# ---- apply ------------------------------------------------------------------------
"$fmctl" apply config/ >"$work/apply1" 2>&1 || { cat "$work/apply1"; fail "apply config/"; }
grep -qF "pm_plans: $want inserted, 0 updated, 0 removed" "$work/apply1" ||
	{ cat "$work/apply1"; fail "apply summary for pm_plans"; }
[ "$(q 'SELECT count(*) FROM pm_plans')" -eq "$want" ] || fail "plan rows"
row=$(q "SELECT array_to_string(asset_types, ','), asset_type, anchor, calendar_count || ' ' ||
	 calendar_unit, calendar_interval, window_start, window_end, lead_time, estimated_duration,
	 skill, assignee, statutory, jsonb_array_length(checklist),
	 (SELECT string_agg(s->>'name' || ':' || (s->>'count') || (s->>'unit'), ',')
	  FROM jsonb_array_elements(item_sets) s), array_to_string(escalate, ',')
	 FROM pm_plans WHERE plan_id = 'elevator_routine'")
[ "$row" = "elevator|elevator|floating|15 day|15 days|00:00:00|06:00:00|48:00:00|02:00:00|elevator|ctr-elevator|t|5|quarterly:3month,half_yearly:6month,yearly:1year|supervisor,project_manager" ] ||
	fail "elevator_routine row: $row"
row=$(q "SELECT calendar_interval, meter_metric, meter_kind, meter_interval, anchor_date
	 FROM pm_plans WHERE plan_id = 'pump_service'")
[ "$row" = "6 mons|run_hours|counter|2000|" ] || fail "pump_service row: $row"
row=$(q "SELECT site_level, site_id, cardinality(device_ids) + cardinality(asset_types),
	 anchor, statutory, array_to_string(escalate, ',')
	 FROM pm_plans WHERE plan_id = 'vacant_flat_check'")
[ "$row" = "t|demo|0|floating|f|" ] || fail "vacant_flat_check row: $row"
row=$(q "SELECT anchor, anchor_date, overdue_after, array_to_string(overdue_notify, ',')
	 FROM pm_plans WHERE plan_id = 'fire_full_test'")
[ "$row" = "fixed|2024-10-01|24:00:00|supervisor" ] || fail "fire_full_test row: $row"
# what schedd may do with it
q "SET ROLE fm_schedd; SELECT count(*) FROM pm_plans" >/dev/null
psql -XAtq -c "SET ROLE fm_schedd; DELETE FROM pm_plans" >/dev/null 2>&1 &&
	fail "fm_schedd may delete plans"
ok "apply loaded $want plans, as the file says"

reapply_unchanged config/ snapshot pm_plans

# ---- one plan changed, one removed ---------------------------------------------------
less="$work/less"
mkdir "$less" && cp config/*.yaml "$less/"
sed -i '/^  - id: generator_test_run$/,/^  - id:/s/^    duration: 1h$/    duration: 90m/' "$less/maintenance.yaml"
sed -i '/^  - id: security_drill$/,$d' "$less/maintenance.yaml"
grep -q 'id: security_drill' "$less/maintenance.yaml" && fail "could not remove security_drill"
out=$("$fmctl" apply "$less" 2>&1) || fail "apply with a change: $out"
[[ $out == *"pm_plans: 0 inserted, 1 updated, 0 removed"* ]] || fail "apply with a change: $out"
[[ $out == *"would remove plan security_drill; use --prune"* ]] || fail "apply with a removal: $out"
[ "$(q "SELECT estimated_duration FROM pm_plans WHERE plan_id = 'generator_test_run'")" = 01:30:00 ] ||
	fail "generator_test_run not updated"
[ "$(q "SELECT count(*) FROM pm_plans WHERE plan_id = 'security_drill'")" -eq 1 ] ||
	fail "security_drill deleted without --prune"
ok "a changed duration updates one row; a removed plan is reported and kept"

out=$("$fmctl" apply "$less" --prune --dry-run 2>&1) || fail "apply --prune --dry-run: $out"
[[ $out == *"would remove plan security_drill"* ]] || fail "apply --prune --dry-run: $out"
[ "$(q "SELECT count(*) FROM pm_plans WHERE plan_id = 'security_drill'")" -eq 1 ] ||
	fail "a dry run deleted security_drill"
out=$("$fmctl" apply "$less" --prune 2>&1) || fail "apply --prune: $out"
[[ $out == *"removed plan security_drill"* ]] || fail "apply --prune: $out"
[ "$(q "SELECT count(*) FROM pm_plans WHERE plan_id = 'security_drill'")" -eq 0 ] ||
	fail "security_drill kept"
ok "--prune deleted security_drill (a dry run did not)"

# ---- a directory without maintenance.yaml leaves the plans alone ----------------------
noplans="$work/noplans"
mkdir "$noplans" && cp config/*.yaml "$noplans/" && rm "$noplans/maintenance.yaml"
n=$(q 'SELECT count(*) FROM pm_plans')
out=$("$fmctl" check "$noplans" 2>&1) || fail "check without maintenance.yaml: $out"
[[ $out != *" plans, "* ]] || fail "check without maintenance.yaml counts plans: $out"
out=$("$fmctl" apply "$noplans" --prune 2>&1) || fail "apply without maintenance.yaml: $out"
[ "$(q 'SELECT count(*) FROM pm_plans')" -eq "$n" ] || fail "apply without maintenance.yaml touched the plans"
ok "a directory without maintenance.yaml checks and applies, plans untouched"
echo "t_check_plans: all passed"
