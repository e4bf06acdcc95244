#!/usr/bin/env bash
# t_dispatchd_flow — the full loop of a work order through dispatchd against
# real Mosquitto and PostgreSQL: a request published three times opens one
# order; it is dispatched and the technician notified; a decline goes to the
# other technician; someone else's command is refused with a reason; accept,
# arrive, start, complete, follow-up and close are all in wo_events; the
# retained topic is emptied at close. Then a repeat repair on the same
# device within 7 days is linked and the supervisor told, and a low
# follow-up score reopens the order and tells the supervisor.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/dispatchd_lib.sh"
DISPATCHD_ORDINARY_SLA="{acknowledge: 5m, accept: 10m, on_site: 1h, resolve: 2h}"
dispatchd_begin f1
check "fmctl apply wrote the test SLA" 600000 \
	"$(sql "select accept_ms from sla_clocks where category = 'facility_repair' and urgency = 'ordinary'")"

for _ in 1 2 3; do wo_request leak-1 "Leak in the pump room"; done
wait_sql "select count(*) from work_orders where idempotency_key = 'leak-1'" 1 5 || fail "no order"
sleep 1
check "three publishes, one order" 1 "$(sql "select count(*) from work_orders")"
id=$(wo_id_of leak-1)
wait_sql "select state from work_orders where wo_id = '$id'" dispatched 5 || fail "not dispatched"
a=$(wo_col "$id" assignee)
case $a in tech-yang | tech-huang) ok "dispatched to $a" ;; *) fail "assignee '$a'" ;; esac
wait_grep "$W" 5 "^fm/v1/demo/notify/$a " '"kind":"info"' "assignment: work order $id" >/dev/null ||
	fail "$a not notified"
ok "$a notified of the assignment"
wait_grep "$W" 5 "^fm/v1/demo/wo/$id " '"state":"dispatched"' "\"assignee\":\"$a\"" >/dev/null ||
	fail "no retained state"
ok "retained state published"

wo_cmd "$a" "$id" decline '"reason":"no parts on me"'
b=$([ "$a" = tech-yang ] && echo tech-huang || echo tech-yang)
wait_sql "select assignee from work_orders where wo_id = '$id'" "$b" 5 || fail "not re-dispatched"
ok "decline re-dispatched to $b"
wo_cmd "$a" "$id" accept
wait_grep "$W" 5 "^fm/v1/demo/notify/$a " '"kind":"rejected"' '"reason":"not_assignee"' >/dev/null ||
	fail "someone else's accept not refused"
ok "someone else's accept refused: not_assignee"
pub "fm/v1/demo/ops/$b/wo" '{"wo_id":"'"$id"'","action":"fly"}'
wait_grep "$W" 5 "^fm/v1/demo/notify/$b " '"reason":"action_value"' >/dev/null || fail "bad action"
ok "malformed command refused: action_value"

wo_cmd "$b" "$id" accept
wo_cmd "$b" "$id" arrive
wo_cmd "$b" "$id" start
wo_cmd "$b" "$id" complete '"note":"gasket replaced","checklist":[{"item":"no leak","ok":true}],"readings":{"outlet_pressure_kpa":310}'
wait_sql "select state from work_orders where wo_id = '$id'" completed 5 || fail "not completed"
ok "accepted, on site, completed"
check "readings in the audit" 310 \
	"$(sql "select detail->'readings'->>'outlet_pressure_kpa' from wo_events where wo_id = '$id' and transition = 'completed'")"
pub "fm/v1/demo/ops/$b/followup" '{"wo_id":"'"$id"'","score":5}'
wait_grep "$W" 5 "^fm/v1/demo/notify/$b " '"reason":"not_permitted"' >/dev/null ||
	fail "a technician's follow-up was taken"
ok "follow-up by a technician refused"
pub "fm/v1/demo/ops/cs-wu/followup" '{"wo_id":"'"$id"'","score":5,"note":"resident happy"}'
wait_sql "select state from work_orders where wo_id = '$id'" closed 5 || fail "not closed"
check "every transition recorded" \
	"created,dispatched,declined,dispatched,accepted,arrived,started,completed,followed_up,closed" \
	"$(transitions "$id")"
check "actors" "dispatchd,$a,$b,$b,cs-wu,dispatchd" \
	"$(sql "select string_agg(actor, ',' order by id) from wo_events where wo_id = '$id' and transition in ('dispatched','declined','accepted','completed','followed_up','closed')" | sed "s/dispatchd,$a,dispatchd/dispatchd,$a/")"
got=$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
	-V mqttv5 -t "fm/v1/demo/wo/$id" -C 1 -W 2 2>/dev/null || true)
check "retained topic emptied at close" "" "$got"

# repeat repair: an order on pump-1, completed; a second one within 7 days
wo_request pump-a "Pump 1 noisy" equipment_fault ordinary pump-1
wait_sql "select count(*) from work_orders where idempotency_key = 'pump-a' and state = 'dispatched'" 1 5 ||
	fail "pump order not dispatched"
p1=$(wo_id_of pump-a)
t=$(wo_col "$p1" assignee)
wo_cmd "$t" "$p1" accept
wo_cmd "$t" "$p1" arrive
wo_cmd "$t" "$p1" complete
wait_sql "select state from work_orders where wo_id = '$p1'" completed 5 || fail "pump order not completed"
wo_request pump-b "Pump 1 noisy again" equipment_fault ordinary pump-1
wait_sql "select repeat_of from work_orders where idempotency_key = 'pump-b'" "$p1" 5 || fail "repeat not linked"
ok "repeat repair linked to $p1"
p2=$(wo_id_of pump-b)
wait_grep "$W" 5 '^fm/v1/demo/notify/sup-sun ' "repeat repair: work order $p2" >/dev/null ||
	fail "supervisor not told of the repeat"
ok "supervisor told of the repeat"
check "repeat flagged in the audit" "$p1" \
	"$(sql "select detail->>'repeat_of' from wo_events where wo_id = '$p2' and transition = 'noted'")"

# a low follow-up score reopens and tells the supervisor; the order is dispatched again
pub "fm/v1/demo/ops/cs-xu/followup" '{"wo_id":"'"$p1"'","score":1,"note":"still noisy"}'
wait_sql "select reopen_count from work_orders where wo_id = '$p1'" 1 5 || fail "not reopened"
ok "score 1 reopened $p1"
wait_grep "$W" 5 '^fm/v1/demo/notify/sup-sun ' '"kind":"escalation"' "unsatisfied follow-up \\(score 1\\): work order $p1" >/dev/null ||
	fail "supervisor not told of the reopen"
ok "supervisor told of the unsatisfied follow-up"
wait_sql "select state from work_orders where wo_id = '$p1'" dispatched 5 || fail "reopened order not dispatched"
ok "reopened order dispatched again"

kill -USR1 "$DISPATCHD_PID"
sleep 0.5
stats=$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
	-V mqttv5 -t "fm/v1/_sys/dispatchd/f1" -C 1 -W 5)
check "stats: duplicates" 2 "$(field duplicates "$stats")"
check "stats: repeats" 1 "$(field repeats "$stats")"
kill "$DISPATCHD_PID"
rc=0; wait "$DISPATCHD_PID" || rc=$?
check "clean stop on SIGTERM (no leak under SAN=1)" 0 "$rc"
echo "t_dispatchd_flow: all passed"
