#!/usr/bin/env bash
# t_schedd_complete — a floating plan every 8 s: requested at once (never
# done), nothing more while its work order is open; the retained work order
# (dispatchd's, here published by the test) completed at T moves the next
# due to T + 8 s: pm_state has last_done = T and next_due = T + 8 s, and the
# next request is for that instant, not earlier.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/schedd_lib.sh"
schedd_config '  - id: lift_clean
    name: Lift car cleaning every 8 s
    targets: {devices: [elev-1b]}
    calendar: {every: 8 seconds}
    duration: 1m
    checklist: [clean the car]'
W="$IT_TMP/site.log"
watch_site "$W"
start_schedd c1
wait_grep "$W" 5 '^fm/v1/demo/wo-request ' '"plan_id":"lift_clean"' >/dev/null || fail "no first request"
sleep 3
check "requests while the first is open" 1 "$(count_lines "$W" '^fm/v1/demo/wo-request ')"
done_ms=$(($(date +%s%3N) - 1500))
wo_done WO-1 lift_clean elev-1b "$done_ms"
wait_sql "select (extract(epoch from last_done) * 1000)::bigint from pm_state where plan_id = 'lift_clean'" \
	"$done_ms" 5 || fail "the completion did not reach pm_state"
ok "last_done = completed_at ($done_ms)"
wait_sql "select (extract(epoch from next_due) * 1000)::bigint from pm_state where plan_id = 'lift_clean'" \
	"$((done_ms + 8000))" 5 || fail "next_due did not move"
ok "next_due = completed_at + 8 s"
sleep $(((done_ms + 6000 - $(date +%s%3N)) / 1000))
check "requests before the new due" 1 "$(count_lines "$W" '^fm/v1/demo/wo-request ')"
line=$(wait_grep "$W" 6 '^fm/v1/demo/wo-request ' "lift_clean:elev-1b:$(local_key_time $((done_ms + 8000)))") ||
	fail "no request for completed_at + 8 s"
check "its due_at" "$((done_ms + 8000))" "$(field due_at "$line")"
schedd_logs_clean
echo "t_schedd_complete: all passed"
