#!/usr/bin/env bash
# t_dispatchd_escalate — nobody accepts: after the 3 s acceptance window the
# order goes to the other technician ('reassigned'), the breached accept
# clock is recorded once, and the escalation chain runs (assignee, then the
# supervisor after 2 s, then the project manager after 4 s); when both
# technicians have let it pass, nobody is left and it stays escalated. An
# order whose skill no technician has (weak current, in the test
# configuration) escalates at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/dispatchd_lib.sh"
dispatchd_begin e1

wo_request slow-1 "Tap dripping"
wait_sql "select state from work_orders where idempotency_key = 'slow-1'" dispatched 5 || fail "not dispatched"
id=$(wo_id_of slow-1)
a=$(wo_col "$id" assignee)
wait_sql "select count(*) from wo_events where wo_id = '$id' and transition = 'reassigned'" 1 8 ||
	fail "not reassigned after the acceptance window"
b=$(wo_col "$id" assignee)
[ "$a" != "$b" ] || fail "reassigned to the same person $a"
ok "no acceptance: $a -> $b"
wait_grep "$W" 5 "^fm/v1/demo/notify/$b " "assignment: work order $id" >/dev/null || fail "$b not notified"
wait_sql "select escalation_level >= 3 from work_orders where wo_id = '$id'" t 12 || fail "not escalated to level 3"
ok "escalated to level $(wo_col "$id" escalation_level)"
wait_grep "$W" 5 '^fm/v1/demo/notify/sup-sun ' '"kind":"escalation"' "work order $id" >/dev/null ||
	fail "supervisor not told"
ok "supervisor told"
wait_grep "$W" 5 '^fm/v1/demo/notify/pm-zhou ' '"kind":"escalation"' "work order $id" >/dev/null ||
	fail "project manager not told"
ok "project manager told"
check "accept breach recorded once" 1 \
	"$(sql "select count(*) from wo_events where wo_id = '$id' and detail->'breached' ? 'accept'")"
check "breached bits include accept" t "$(sql "select breached & 2 <> 0 from work_orders where wo_id = '$id'")"
wait_grep "$W" 5 "^fm/v1/demo/wo/$id " '"breached":\[[^]]*"accept"' >/dev/null || fail "breach not published"
ok "breach in the retained state"

pub "fm/v1/demo/wo-request" "{\"idempotency_key\":\"wiring-1\",\"ts\":$(date +%s%3N),\"source\":\"ops\",\
\"site\":\"demo\",\"kind\":\"facility_repair\",\"priority\":\"ordinary\",\"skill\":\"weak_current\",\
\"title\":\"Door intercom\",\"sla_start\":$(date +%s%3N)}"
wait_sql "select escalation_level from work_orders where idempotency_key = 'wiring-1'" 1 5 ||
	fail "nobody available did not escalate at once"
check "nobody available: still registered" registered "$(sql "select state from work_orders where idempotency_key = 'wiring-1'")"
check "escalated because nobody" "nobody available" \
	"$(sql "select detail->>'why' from wo_events e join work_orders w using (wo_id) where w.idempotency_key = 'wiring-1' and transition = 'escalated'")"
echo "t_dispatchd_escalate: all passed"
