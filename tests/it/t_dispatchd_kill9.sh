#!/usr/bin/env bash
# t_dispatchd_kill9 — dispatchd killed with -9 mid-flight: the order it had
# dispatched is reloaded from work_orders at restart, its acceptance window
# still counts from the stored dispatch (so it goes to the other technician
# when it ran out meanwhile), and the technicians carry on with it. A
# request published while dispatchd was down is taken from the broker's
# queue at restart and opens exactly one order.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/dispatchd_lib.sh"
dispatchd_begin k1

wo_request crash-1 "Valve stuck"
wait_sql "select state from work_orders where idempotency_key = 'crash-1'" dispatched 5 || fail "not dispatched"
id=$(wo_id_of crash-1)
a=$(wo_col "$id" assignee)
kill9 "$DISPATCHD_PID"
ok "killed with $id dispatched to $a"
wo_request crash-2 "Drain blocked"
wo_request crash-2 "Drain blocked"
sleep 4
start_dispatchd k1
wait_sql "select count(*) from wo_events where wo_id = '$id' and transition = 'reassigned'" 1 5 ||
	fail "acceptance window lost across the restart"
b=$(wo_col "$id" assignee)
[ "$a" != "$b" ] || fail "still with $a"
ok "after restart the window had passed: $a -> $b"
wait_grep "$W" 5 "^fm/v1/demo/wo/$id " "\"assignee\":\"$b\"" >/dev/null || fail "retained state not updated"
wait_sql "select count(*) from work_orders where idempotency_key = 'crash-2'" 1 5 ||
	fail "request published while down not taken"
ok "request queued while down opened one order"
wo_cmd "$b" "$id" accept
wo_cmd "$b" "$id" arrive
wait_sql "select state from work_orders where wo_id = '$id'" on_site 5 || fail "technician cannot go on"
ok "$b accepted and arrived after the restart"
kill9 "$DISPATCHD_PID"
start_dispatchd k1
wo_cmd "$b" "$id" complete
wait_sql "select state from work_orders where wo_id = '$id'" completed 5 || fail "not completed after a second restart"
check "accepted once" 1 "$(sql "select count(*) from wo_events where wo_id = '$id' and transition = 'accepted'")"
check "one crash-2 order" 1 "$(sql "select count(*) from work_orders where idempotency_key = 'crash-2'")"
echo "t_dispatchd_kill9: all passed"
