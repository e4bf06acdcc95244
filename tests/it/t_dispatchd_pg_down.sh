#!/usr/bin/env bash
# t_dispatchd_pg_down — PostgreSQL stopped under a running dispatchd: a
# request that arrives meanwhile is not acknowledged until its order can be
# written (the broker redelivers it), dispatchd does not exit, and once the
# database is back exactly one order is opened and dispatched.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/dispatchd_lib.sh"
dispatchd_begin p1
tests/it/servers.sh stop-pg
wo_request down-1 "Leak while the database is down"
sleep 3
kill -0 "$DISPATCHD_PID" 2>/dev/null || fail "dispatchd exited with PostgreSQL down"
ok "dispatchd still running with PostgreSQL down"
tests/it/servers.sh start-pg
wait_sql "select state from work_orders where idempotency_key = 'down-1'" dispatched 20 ||
	fail "request not taken after PostgreSQL came back"
check "one order" 1 "$(sql "select count(*) from work_orders where idempotency_key = 'down-1'")"
id=$(wo_id_of down-1)
wait_grep "$W" 5 "^fm/v1/demo/wo/$id " '"state":"dispatched"' >/dev/null || fail "state not published"
ok "opened and dispatched after the outage: $id"
echo "t_dispatchd_pg_down: all passed"
