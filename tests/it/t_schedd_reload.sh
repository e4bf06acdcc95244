#!/usr/bin/env bash
# t_schedd_reload — schedd's configuration and its database: SIGHUP with a
# newly applied plan starts requesting it while the running plan goes on
# without a duplicate or a gap; a configuration that does not load (a site
# whose time zone is unknown) is rejected and the old one kept; with
# PostgreSQL stopped the requests go on and pm_state catches up after it
# returns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/schedd_lib.sh"
round='  - id: round3
    name: Pump round every 3 s
    targets: {devices: [pump-1]}
    calendar: {every: 3 seconds, anchor: fixed, anchor_date: 2020-01-01}
    duration: 1m
    checklist: [look at the pump]'
schedd_config "$round"
W="$IT_TMP/site.log"
watch_site "$W"
start_schedd h1
wait_grep "$W" 5 '^fm/v1/demo/wo-request ' '"plan_id":"round3"' >/dev/null || fail "no first request"

schedd_config "$round
  - id: tank_round
    name: Tank round every 4 s
    targets: {devices: [tank-1]}
    calendar: {every: 4 seconds, anchor: fixed, anchor_date: 2020-01-01}
    duration: 1m
    checklist: [look at the tank]"
kill -HUP "$SCHEDD_PID"
wait_grep "$W" 6 '^fm/v1/demo/wo-request ' '"plan_id":"tank_round"' >/dev/null || fail "the new plan was not loaded"
ok "SIGHUP: the new plan is requested"

sql "update sites set timezone = 'Mars/Olympus_Mons' where site_id = 'demo'" >/dev/null
kill -HUP "$SCHEDD_PID"
wait_grep "$IT_TMP/schedd-h1.log" 5 'event=reload_rejected' >/dev/null || fail "a bad configuration was taken"
sql "update sites set timezone = 'Asia/Shanghai' where site_id = 'demo'" >/dev/null
n=$(requests "$W" tank_round | grep -c .)
sleep 4.5
[ "$(requests "$W" tank_round | grep -c .)" -gt "$n" ] || fail "the old configuration stopped"
ok "rejected: the old configuration goes on"

tests/it/servers.sh stop-pg
ok "PostgreSQL stopped"
n=$(requests "$W" round3 | grep -c .)
sleep 7
[ "$(requests "$W" round3 | grep -c .)" -ge $((n + 2)) ] || fail "requests stopped with the database"
ok "requests go on without the database"
tests/it/servers.sh start-pg
last=$(requests "$W" round3 | tail -1)
wait_sql "select count(*) from pm_state where plan_id = 'round3' and last_request_key >= '$last'" 1 15 ||
	fail "pm_state did not catch up"
ok "pm_state caught up after the database returned"
kill "$SCHEDD_PID"; wait "$SCHEDD_PID" 2>/dev/null || true

for p in round3 tank_round; do
	mapfile -t keys < <(requests "$W" "$p")
	check "$p: distinct keys" "${#keys[@]}" "$(printf '%s\n' "${keys[@]}" | sort -u | grep -c .)"
	step=$([ "$p" = round3 ] && echo 3 || echo 4) prev=""
	for k in "${keys[@]}"; do
		t=$(TZ=Asia/Shanghai date -d "$(echo "$k" | cut -d: -f3-)" +%s)
		[ -z "$prev" ] || [ $((t - prev)) -eq "$step" ] || fail "$p: gap before $k"
		prev=$t
	done
	ok "$p: ${#keys[@]} consecutive occurrences"
done
schedd_logs_clean
echo "t_schedd_reload: all passed"
