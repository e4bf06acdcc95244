#!/usr/bin/env bash
# t_schedd_shipped — schedd on the shipped config/maintenance.yaml: every
# enabled plan loads (item sets included), each (plan, device) is an
# instance, and the plans never done are requested at once — once each —
# with the first occurrence carrying every item set in its title.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/schedd_lib.sh"
it_setup_db config/
W="$IT_TMP/site.log"
watch_site "$W"
start_schedd s1
plans=$(sql "select count(*) from pm_plans where enabled")
line=$(grep 'event=started' "$IT_TMP/schedd-s1.log")
check "plans loaded" "$plans" "$(echo "$line" | grep -o 'plans=[0-9]*' | cut -d= -f2)"
wait_grep "$W" 10 '^fm/v1/demo/wo-request ' '"plan_id":"elevator_routine"' '"device":"elev-1a"' >/dev/null ||
	fail "no elevator routine request"
line=$(lines "$W" '^fm/v1/demo/wo-request ' '"plan_id":"elevator_routine"' '"device":"elev-1a"')
echo "$line" | grep -q '"title":"[^"]*(+ quarterly, half_yearly, yearly)"' ||
	fail "the first occurrence does not carry every item set: $line"
ok "first occurrence carries every item set"
sleep 3
n=$(count_lines "$W" '^fm/v1/demo/wo-request ')
keys=$(lines "$W" '^fm/v1/demo/wo-request ' | grep -o '"idempotency_key":"[^"]*"' | sort -u | grep -c .)
check "one request per key" "$n" "$keys"
wait_sql "select count(*) from pm_state where last_request_key is not null" "$n" 10 ||
	fail "pm_state does not hold every request"
ok "$n requests at once, each in pm_state"
schedd_logs_clean
echo "t_schedd_shipped: all passed"
