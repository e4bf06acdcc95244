#!/usr/bin/env bash
# t_fmctl_people — fmctl's people's commands against real Mosquitto,
# PostgreSQL, ingestd, alertd and dispatchd: an entrapment shows in `watch`;
# the duty engineer acknowledges it with `ack --as` (the retained alarm then
# shows acked), a technician is refused by alertd, a wrong password by the
# broker, and nobody can act for someone else; `alarms`, `devices`, `wo
# list/show` read it back from PostgreSQL; the contractor accepts, arrives
# and completes the emergency order, customer service follows it up and
# takes a resident's request; `stats` shows the daemons' counters. Table,
# JSON and CSV output are checked, and every exit code scripts rely on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/dispatchd_lib.sh"
. "$(dirname "$0")/fmctl_lib.sh"

alertd_config
DISPATCHD_CONF_DIR=$ALERTD_CONF_DIR
start_ingestd i1
start_alertd a1
start_dispatchd d1
people_accounts duty-wang tech-chen ctr-elevator cs-wu

# --- help and usage errors
for c in watch alarms ack shelve "wo" "wo accept" request followup devices stats; do
	# shellcheck disable=SC2086
	run_rc 0 "fmctl $c --help" "$FM_BIN/fmctl" $c --help
done
run_rc 2 "unknown option is a usage error" "$FM_BIN/fmctl" alarms --bogus
run_rc 2 "bad --format is a usage error" "$FM_BIN/fmctl" devices --format xml
run_rc 2 "acting without --as is a usage error" "$FM_BIN/fmctl" ack A-1
run_rc 2 "no flag names another person than --as" "$FM_BIN/fmctl" ack --person duty-wang A-1

# --- an entrapment: alarm and emergency work order
event elev-1a entrapment active 1
wait_sql "select count(*) from alarms where device_id = 'elev-1a'" 1 10 || fail "no alarm stored"
A=$(sql "select alarm_id from alarms where device_id = 'elev-1a'")
wait_sql "select count(*) from work_orders where source_alarm_id = '$A'" 1 10 || fail "no work order"
W=$(sql "select wo_id from work_orders where source_alarm_id = '$A'")
ok "alarm $A and work order $W opened"

run_rc 0 "watch --once" fm_console watch --once
has "$OUT" "^type +site +id" "alarm +demo +$A +1 +elev-1a +elevator_entrapment +active +false" \
	"wo +demo +$W +emergency +elev-1a +emergency"
run_rc 0 "watch --once --format json" fm_console watch --once --format json
json_true "$OUT" "any(r['id'] == '$A' and r['sev'] == '1' and r['acked'] == 'false' for r in d)"
json_true "$OUT" "any(r['id'] == '$W' and r['type'] == 'wo' and r['assignee'] == 'ctr-elevator' for r in d)"
ok "watch shows the alarm (severity 1, not acked) and the order"

# --- the broker decides who may log in; nobody acts for someone else
run_rc 5 "wrong password refused by the broker" \
	env FM_MQTT_PASSWORD=wrong "$FM_BIN/fmctl" ack --as duty-wang "$A"
has "$ERR" "cannot log in to the broker as duty-wang"
run_rc 5 "tech-chen cannot log in as duty-wang with his own password" \
	env FM_MQTT_PASSWORD="$PW_tech_chen" "$FM_BIN/fmctl" ack --as duty-wang "$A"
umask 022; echo "$PW_duty_wang" >"$IT_TMP/pw"; chmod 644 "$IT_TMP/pw"
run_rc 2 "a password file others can read is refused" \
	"$FM_BIN/fmctl" ack --as duty-wang --password-file "$IT_TMP/pw" "$A"
chmod 600 "$IT_TMP/pw"

# --- alertd decides what the person may do
run_rc 4 "a technician's ack refused by alertd" fm_as tech-chen ack "$A"
has "$OUT" "ack +$A +rejected +forbidden"
run_rc 0 "duty-wang acknowledges (password file)" \
	env FM_MQTT_PASSWORD= "$FM_BIN/fmctl" ack --as duty-wang --password-file "$IT_TMP/pw" \
	--note "rescue called" "$A"
has "$OUT" "ack +$A +accepted"
run_rc 4 "a second ack is refused: already_acked" fm_as duty-wang ack --format json "$A"
json_true "$OUT" "d[0]['result'] == 'rejected' and d[0]['reason'] == 'already_acked'"
run_rc 0 "watch after the ack" fm_console watch --once --format json
json_true "$OUT" "any(r['id'] == '$A' and r['acked'] == 'true' and r['assignee'] == 'duty-wang' for r in d)"
ok "the retained alarm shows acked by duty-wang"

# --- history from PostgreSQL
wait_sql "select acked_by from alarms where alarm_id = '$A'" duty-wang 10 || fail "ack not stored"
run_rc 0 "alarms" fm_console alarms --device elev-1a
has "$OUT" "^alarm_id +site +device" "$A +demo +elev-1a +elevator_entrapment +1 +active +t +duty-wang"
run_rc 0 "alarms --format json" fm_console alarms --state open --severity 1 --since 1h --format json
json_true "$OUT" "any(r['alarm_id'] == '$A' and r['severity'] == 1 and r['acked'] is True and r['acked_by'] == 'duty-wang' for r in d)"
run_rc 0 "alarms --format csv" fm_console alarms --format csv
csv_true "$OUT" "any(r['alarm_id'] == '$A' and r['rule'] == 'elevator_entrapment' for r in rows)"
run_rc 0 "alarms --state closed" fm_console alarms --state closed --format json
json_true "$OUT" "not any(r['alarm_id'] == '$A' for r in d)"
run_rc 2 "alarms --severity 7 is a usage error" fm_console alarms --severity 7

# --- the emergency order: list, show, the contractor's steps
run_rc 0 "wo list" fm_console wo list
has "$OUT" "$W +demo +emergency +emergency +dispatched +ctr-elevator +elev-1a"
run_rc 0 "wo list --format json" fm_console wo list --assignee ctr-elevator --format json
json_true "$OUT" "[r['wo_id'] for r in d] == ['$W'] and d[0]['state'] == 'dispatched'"
run_rc 4 "tech-chen may not accept ctr-elevator's order" fm_as tech-chen wo accept "$W"
has "$OUT" "wo +$W +rejected +not_assignee"
for step in accept arrive complete; do
	run_rc 0 "ctr-elevator: wo $step" fm_as ctr-elevator wo "$step" --note "step $step" "$W"
	has "$OUT" "wo +$W +accepted"
done
run_rc 0 "wo show" fm_console wo show "$W"
has "$OUT" "^state +completed" "^assignee +ctr-elevator" "created" "accepted +dispatched +accepted +ctr-elevator"
run_rc 0 "wo show --format json" fm_console wo show "$W" --format json
json_true "$OUT" "d[0]['state'] == 'completed' and [e['transition'] for e in d[0]['events']][-3:] == ['accepted', 'arrived', 'completed']"
run_rc 1 "wo show of an unknown order" fm_console wo show WO-none

# --- customer service: follow-up and a resident's request
run_rc 4 "a technician's follow-up is refused" fm_as tech-chen followup --score 5 "$W"
run_rc 0 "cs-wu follows up" fm_as cs-wu followup --score 5 --note "resident satisfied" "$W"
has "$OUT" "followup +$W +accepted"
wait_sql "select state from work_orders where wo_id = '$W'" closed 5 || fail "not closed"
ok "order $W closed after the follow-up"
run_rc 4 "a technician may not take a request" fm_as tech-chen request --location x \
	--description "leak" --contact "Ms Li"
run_rc 0 "cs-wu takes a resident's request" fm_as cs-wu request --location "3-2-801 kitchen" \
	--skill plumbing --description "Tap under the sink leaks" --contact "Ms Li 138 0000 1234" \
	--request-id cs-wu:it-1 --format json
json_true "$OUT" "d[0]['verb'] == 'request' and d[0]['result'] == 'accepted' and d[0]['id']"
R=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
check "the request opened a repair order" repair_request "$(wo_col "$R" kind)"
run_rc 0 "wo list --kind repair_request" fm_console wo list --kind repair_request --format csv
csv_true "$OUT" "[r['wo_id'] for r in rows] == ['$R']"

# --- devices and stats
wait_sql "select state from device_status where device_id = 'elev-1a'" online 10 || fail "no status"
run_rc 0 "devices" fm_console devices --type elevator
has "$OUT" "^device +site +type" "elev-1a +demo +elevator .* online .* 1 +1"
run_rc 0 "devices --format json" fm_console devices --format json
json_true "$OUT" "any(r['device'] == 'elev-1a' and r['status'] == 'online' and r['open_alarms'] == 1 and r['worst_severity'] == 1 for r in d)"
json_true "$OUT" "len(d) == $(sql "select count(*) from devices")"
kill -USR1 "$ALERTD_PID" "$DISPATCHD_PID"
sleep 0.5
run_rc 0 "stats" fm_console stats
has "$OUT" "^daemon +instance +counter +value" "^alertd +a1 " "^dispatchd +d1 +opened +2"
run_rc 0 "stats --daemon dispatchd --format json" fm_console stats --daemon dispatchd --format json
json_true "$OUT" "all(r['daemon'] == 'dispatchd' for r in d) and any(r['counter'] == 'followups' and r['value'] == 1 for r in d)"

# --- no reply: alertd stopped
kill "$ALERTD_PID"; wait "$ALERTD_PID" 2>/dev/null || true
run_rc 6 "no reply within --wait" fm_as duty-wang ack --wait 1s "$A"
echo "t_fmctl_people: all passed"
