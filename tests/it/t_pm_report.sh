#!/usr/bin/env bash
# t_pm_report — `fmctl report pm` over work orders dispatchd opened from
# schedd-style requests, against real Mosquitto and PostgreSQL:
#   tank_cleaning: an occurrence due 3 days ago that stood for 2 skipped ones
#     (missed = 2) and is still open (overdue: past due + 1 d), and one due
#     in an hour, completed now (done, on time);
#   pump_service: one due an hour ago, open (not yet overdue).
# The completion rate counts the skipped occurrences as due and not done:
# tank_cleaning due 4, done 1 (25.0 %); in all due 5, done 1 (20.0 %).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/dispatchd_lib.sh"
DISPATCHD_ORDINARY_SLA="{acknowledge: 5m, accept: 10m, on_site: 1h, resolve: 2h}"
dispatchd_begin p1

# pm_request KEY PLAN DEVICE DUE_MS [MISSED]: a request as schedd publishes it.
pm_request() {
	local now
	now=$(date +%s%3N)
	pub "fm/v1/demo/wo-request" "{\"idempotency_key\":\"$1\",\"ts\":$now,\"source\":\"schedd\",\
\"site\":\"demo\",\"device\":\"$3\",\"kind\":\"preventive\",\"priority\":\"ordinary\",\
\"skill\":\"plumbing\",\"assignee\":null,\"title\":\"$2\",\"alarm_id\":null,\"plan_id\":\"$2\",\
\"due_at\":$4,\"sla_start\":$now${5:+,\"missed\":$5}}"
}
now=$(date +%s%3N)
pm_request tank_cleaning:tank-1:old tank_cleaning tank-1 $((now - 3 * 86400000)) 2
pm_request tank_cleaning:tank-1:new tank_cleaning tank-1 $((now + 3600000))
pm_request pump_service:pump-1:a pump_service pump-1 $((now - 3600000))
wait_sql "select count(*) from work_orders where plan_id is not null and state = 'dispatched'" 3 10 ||
	fail "three preventive orders not dispatched"
check "missed kept on the order" 2 "$(sql "select missed from work_orders where idempotency_key = 'tank_cleaning:tank-1:old'")"

id=$(wo_id_of tank_cleaning:tank-1:new)
tech=$(wo_col "$id" assignee)
wo_cmd "$tech" "$id" accept
wo_cmd "$tech" "$id" arrive
wo_cmd "$tech" "$id" start
wo_cmd "$tech" "$id" complete '"note":"cleaned","checklist":[{"item":"sample taken","ok":true}]'
wait_sql "select state from work_orders where wo_id = '$id'" completed 5 || fail "not completed"
ok "$id completed by $tech"

out=$("$FM_BIN/fmctl" report pm --site demo)
echo "$out" | sed 's/^/    /'
# row PERIOD PLAN: the figures after the name (due done done% on_time
# on_time% missed overdue open cancelled).
row() { echo "$out" | awk -v p="$1" -v q="$2" '$1 == p && $2 == q { print $(NF-8), $(NF-7), $(NF-6), $(NF-5), $(NF-4), $(NF-3), $(NF-2), $(NF-1), $NF }'; }
check "tank_cleaning: due done done% on_time on_time% missed overdue open cancelled" \
	"4 1 25.0 1 25.0 2 1 0 0" "$(row all tank_cleaning)"
check "pump_service" "1 0 0.0 0 0.0 0 0 1 0" "$(row all pump_service)"
check "in all" "5 1 20.0 1 20.0 2 1 1 0" "$(row all all)"
echo "$out" | grep -q '二次供水水箱清洗消毒 Tank cleaning and disinfection' || fail "plan name missing"
ok "plan names shown"

json=$("$FM_BIN/fmctl" report pm --site demo --format json)
check "JSON: tank_cleaning's due, done%, missed" "4 25.0 2" "$(echo "$json" | python3 -c '
import json, sys
r = [x for x in json.load(sys.stdin) if x["plan"] == "tank_cleaning"][0]
print(r["due"], "%.1f" % r["done%"], r["missed"])')"
rc=0; "$FM_BIN/fmctl" report pm --help >/dev/null || rc=$?
check "report pm --help" 0 "$rc"
out=$("$FM_BIN/fmctl" report pm --site demo --plan pump_service)
check "--plan: rows (header, plan, total)" 3 "$(echo "$out" | grep -c .)"
check "--plan pump_service total" "1 0 0.0 0 0.0 0 0 1 0" "$(row all all)"

out=$("$FM_BIN/fmctl" report pm --site demo --by day)
echo "$out" | sed 's/^/    /'
old_day=$(TZ=Asia/Shanghai date -d "@$(((now - 3 * 86400000) / 1000))" +%F)
check "--by day: the old occurrence in its own day" "3 0 0.0 0 0.0 2 1 0 0" "$(row "$old_day" tank_cleaning)"
check "--by day: the day's total" "3 0 0.0 0 0.0 2 1 0 0" "$(row "$old_day" all)"
check "--by day: grand total" "5 1 20.0 1 20.0 2 1 1 0" "$(row all all)"

# --from is a day of the site's calendar (Asia/Shanghai), so the site's
# tomorrow starts after the occurrence due in an hour, whatever the hour
# (with UTC's tomorrow the test failed between 16:00 and 24:00 UTC when
# --from was the database session's day).
out=$("$FM_BIN/fmctl" report pm --site demo --from "$(TZ=Asia/Shanghai date -d tomorrow +%F)")
check "an empty period: header and a zero total" 2 "$(echo "$out" | grep -c .)"
check "an empty period's total" "0 0 - 0 - 0 0 0 0" "$(row all all)"
rc=0; "$FM_BIN/fmctl" report pm --by hour >/dev/null 2>&1 || rc=$?
check "--by hour refused as usage" 2 "$rc"
rc=0; "$FM_BIN/fmctl" report wo --plan x >/dev/null 2>&1 || rc=$?
check "--plan on the work-order report refused as usage" 2 "$rc"
"$FM_BIN/fmctl" report --site demo | grep -q '^preventive' || fail "work-order report lost its preventive row"
ok "work-order report still answers"
echo "t_pm_report: all passed"
