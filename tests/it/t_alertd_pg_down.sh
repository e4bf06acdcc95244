#!/usr/bin/env bash
# t_alertd_pg_down — PostgreSQL stopped under a running alertd: an
# entrapment is still raised, notified and escalated at once; the history
# (alarms, alarm_events) catches up when the database returns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
alertd_config
start_alertd p1
W="$IT_TMP/site.log"
watch_site "$W"
tests/it/servers.sh stop-pg
ok "PostgreSQL stopped"
event elev-1a entrapment active 1
raised=$(wait_grep "$W" 5 '^fm/v1/demo/alarm-log ' '"device":"elev-1a"' '"transition":"raised"') ||
	fail "no alarm while PostgreSQL is down"
A=$(field alarm_id "$raised")
wait_grep "$W" 5 '^fm/v1/demo/notify/ctr-elevator ' "\"alarm_id\":\"$A\"" >/dev/null || fail "no notification"
wait_grep "$W" 10 '^fm/v1/demo/alarm-log ' "\"alarm_id\":\"$A\"" '"transition":"escalated"' >/dev/null ||
	fail "no escalation while PostgreSQL is down"
ok "raised, notified and escalated with the database down"
kill -0 "$ALERTD_PID" || fail "alertd died"
tests/it/servers.sh start-pg
wait_sql "select string_agg(transition, ',' order by id) from alarm_events where alarm_id = '$A'" raised,escalated 30 ||
	fail "history did not catch up"
check "stored escalation level" 1 "$(sql "select escalation_level from alarms where alarm_id = '$A'")"
ok "the history caught up after the database returned"
echo "t_alertd_pg_down: all passed"
