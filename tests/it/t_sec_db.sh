#!/usr/bin/env bash
# t_sec_db — the daemons' PostgreSQL login roles made by deploy/db-roles.sh:
# each logs in with its own password (kept in a 0600 file, refused without
# it), holds only its group role's grants (ingestd cannot touch work orders,
# dispatchd cannot delete readings), and a running daemon is connected as
# its own role.
. "$(dirname "$0")/lib.sh"
it_setup_db
S="$FM_IT_DIR/secrets"

for d in ingestd alertd schedd dispatchd fmctl; do
	check "mode of $d's secret file" 600 "$(stat -c %a "$S/$d.env")"
	check "$d's group role" "fm_$d" "$(sql "select string_agg(g.rolname, ',') from pg_auth_members m
		join pg_roles g on g.oid = m.roleid join pg_roles u on u.oid = m.member where u.rolname = '$d'")"
done

# as_role NAME SQL: runs SQL logged in as NAME over TCP with its password;
# output (both streams) in $OUT, status in $RC.
as_role() {
	RC=0
	OUT=$(PGPASSWORD=$(sed -n 's/^PGPASSWORD=//p' "$S/$1.env") psql -X -At -v ON_ERROR_STOP=1 \
		-d "host=127.0.0.1 port=$PGPORT dbname=$PGDATABASE user=$1" -c "$2" 2>&1) || RC=$?
}

# denied NAME SQL: PostgreSQL refuses it for lack of privilege.
denied() {
	as_role "$1" "$2"
	[ $RC -ne 0 ] && [[ $OUT == *"permission denied"* ]] || fail "$1 may: $2 ($OUT)"
	ok "$1: $2 -> ${OUT#ERROR:  }"
}

as_role ingestd "select count(*) from readings"
check "ingestd reads readings with its password" "0 0" "$RC $OUT"
RC=0
OUT=$(PGPASSWORD=wrong-password psql -X -At -d "host=127.0.0.1 port=$PGPORT dbname=$PGDATABASE user=ingestd" \
	-c "select 1" 2>&1) || RC=$?
[ $RC -ne 0 ] && [[ $OUT == *"password authentication failed"* ]] || fail "wrong password: $OUT"
ok "ingestd with a wrong password: refused"
RC=0
OUT=$(PGPASSWORD= psql -X -At -w -d "host=127.0.0.1 port=$PGPORT dbname=$PGDATABASE user=ingestd" \
	-c "select 1" 2>&1) || RC=$?
[ $RC -ne 0 ] || fail "ingestd without a password was let in"
ok "ingestd without a password: refused"

# Privileges are checked before any row is looked at: empty tables will do.
denied ingestd "update work_orders set state = 'closed'"
denied ingestd "delete from work_orders"
denied ingestd "insert into work_orders (wo_id) values ('x')"
denied ingestd "delete from readings"
denied dispatchd "delete from readings"
denied dispatchd "insert into readings (ts, device_id, metric, value, seq) values (now(), 'pump-1', 'x', 1, 1)"
denied dispatchd "delete from work_orders"
denied alertd "update work_orders set state = 'closed'"
denied schedd "update alarms set state = 'closed'"
denied fmctl "delete from readings"
denied ingestd "create table sneaky (x int)"

start_ingestd db1
n=$(sql "select count(*) from pg_stat_activity where usename = 'ingestd' and datname = current_database()")
[ "$n" -gt 0 ] || fail "no connection of ingestd as role ingestd"
ok "ingestd holds $n connection(s) as role ingestd"
pub fm/v1/demo/dev/pump-1/telemetry '{"seq":1,"metrics":{"outlet_pressure_kpa":300.5}}'
wait_sql "select count(*) from readings where device_id = 'pump-1'" 1 20 || fail "ingestd (as its role) stored nothing"
ok "ingestd, logged in as its role, stores readings"
echo "t_sec_db: all passed"
