#!/usr/bin/env bash
# t_demo_smoke — `make demo` as CI runs it: deploy/demo.sh start with its own
# servers under a private var directory (other ports than the harness's, the
# harness's PG*/FM_* variables in the environment), stdin and stdout not a
# terminal, so it plays the scenario and exits. Then, in the demo's own
# PostgreSQL: the mains alarm raised and every alarm on what dr-main feeds
# suppressed by it, with no work order of its own; the entrapment alarm
# acknowledged by a duty engineer and closed; its emergency work order
# accepted, completed, followed up with score 5 and closed. deploy/demo.sh
# stop leaves nothing running: no pid of its pid files, no process started
# with its var directory in its environment or command line, no FIFO.
# shellcheck source=tests/it/lib.sh disable=SC2031 # (dsql sources env.sh in a subshell)
. "$(dirname "$0")/lib.sh"
DV="$IT_TMP/var"
chmod 755 "$IT_TMP" # PostgreSQL and Mosquitto run as their own users when we are root
OUT="$IT_TMP/demo.out"

# Whatever happens, the demo is stopped (its daemons' command lines do not
# name the harness's directory, so run.sh's cleanup would not find them).
demo_cleanup() {
	FM_DEMO_VAR="$DV" FM_BIN="$FM_BIN" deploy/demo.sh stop >/dev/null 2>&1 || true
	it_cleanup
}
trap demo_cleanup EXIT

rc=0
FM_DEMO_VAR="$DV" FM_BIN="$FM_BIN" timeout -k 5 200 deploy/demo.sh start </dev/null >"$OUT" 2>&1 || rc=$?
if [ $rc -ne 0 ]; then
	tail -60 "$OUT" >&2
	fail "deploy/demo.sh start exited $rc"
fi
ok "deploy/demo.sh start exited 0 ($(wc -l <"$OUT") lines of narration)"
grep -q '^== Where to look next' "$OUT" || fail "no hints printed"
grep -q '^\$ fmctl wo accept .* --as ' "$OUT" || fail "the commands run are not printed"
PIDS=$(cat "$DV"/*.pid)
check "processes in the demo's pid files" 5 "$(echo "$PIDS" | wc -w)"

# dsql QUERY: against the demo's database (its env.sh, in a subshell;
# env.sh keeps an inherited PGDATABASE, so the harness's is dropped first).
# shellcheck disable=SC1091
dsql() { (unset PGDATABASE && . "$DV/env.sh" && psql -X -At -v ON_ERROR_STOP=1 -c "$1"); }
[ "$(dsql "select current_database() || ' ' || current_setting('port')")" != "$PGDATABASE $PGPORT" ] ||
	fail "the demo used the harness's database"

# --- mains loss: one root cause, the dependants suppressed
M=$(dsql "select alarm_id from alarms where device_id = 'dr-main' and rule_id = 'mains_lost'")
[ -n "$M" ] || fail "no mains alarm"
check "mains alarm raised (alarm_events)" 1 \
	"$(dsql "select count(*) from alarm_events where alarm_id = '$M' and transition = 'raised'")"
check "mains alarm acknowledged and closed" "true closed" "$(dsql "select acked || ' ' || state from alarms where alarm_id = '$M'")"
# the alarms on what dr-main feeds, raised before the entrapment step
DEP="select alarm_id from alarms where device_id in
       (select to_device from device_feeds where from_device = 'dr-main')
     and raised_at < (select raised_at from alarms where rule_id = 'elevator_entrapment')"
n=$(dsql "select count(*) from ($DEP) d")
[ "$n" -ge 1 ] || fail "no dependent alarm raised under the mains loss"
# suppressed when raised (the raised event says by what) or later (a
# suppressed event); the alarm row forgets it once the cause clears
SUPP=$(dsql "select count(distinct alarm_id) from alarm_events where alarm_id in ($DEP)
             and transition in ('raised', 'suppressed') and detail->>'suppressed_by' = '$M'")
check "dependent alarms raised (alarm_events)" "$n" \
	"$(dsql "select count(distinct alarm_id) from alarm_events where transition = 'raised'
	         and alarm_id in ($DEP)")"
# Suppression, paging and work orders of the dependants are checked last, after the
# stop checks, so that a failure there does not hide the rest.
WO_RAISE=$(dsql "select count(*) from work_orders where source_alarm_id in ($DEP)
                 and created_at < (select cleared_at from alarms where alarm_id = '$M')")
WO_BACK=$(dsql "select count(*) from work_orders where source_alarm_id in ($DEP)
                and created_at >= (select cleared_at from alarms where alarm_id = '$M')")
UNSUP=$(dsql "select count(*) from alarm_events e where alarm_id in ($DEP) and transition = 'unsuppressed'
              and not exists (select 1 from alarm_events c where c.alarm_id = e.alarm_id
                              and c.transition = 'cleared' and c.id < e.id)")
ok "mains loss: $M raised and acknowledged; $n dependent alarm(s) raised"

# --- the entrapment: alarm acknowledged and closed, work order closed
A=$(dsql "select alarm_id from alarms where device_id = 'elev-1a' and rule_id = 'elevator_entrapment'")
[ -n "$A" ] || fail "no entrapment alarm"
check "entrapment alarm severity and state" "1 closed" "$(dsql "select severity || ' ' || state from alarms where alarm_id = '$A'")"
who=$(dsql "select actor from alarm_events where alarm_id = '$A' and transition = 'acked'")
check "acked by a duty engineer" 1 \
	"$(dsql "select count(*) from person_roles where person_id = '$who' and role = 'duty_engineer'")"
W=$(dsql "select wo_id from work_orders where source_alarm_id = '$A'")
[ -n "$W" ] || fail "no work order for $A"
check "work order kind, state, satisfaction" "emergency closed 5" \
	"$(dsql "select kind || ' ' || state || ' ' || satisfaction from work_orders where wo_id = '$W'")"
check "work order transitions" "created dispatched accepted arrived started completed followed_up closed" \
	"$(dsql "select string_agg(transition, ' ' order by id) from wo_events where wo_id = '$W'")"
assignee=$(dsql "select assignee from work_orders where wo_id = '$W'")
check "the assignee did the work" "$assignee $assignee $assignee $assignee" \
	"$(dsql "select string_agg(actor, ' ' order by id) from wo_events where wo_id = '$W'
	         and transition in ('accepted', 'arrived', 'started', 'completed')")"
ok "entrapment: $A acked by $who and closed; $W by $assignee, followed up (5), closed"

# --- stop: nothing left
FM_DEMO_VAR="$DV" FM_BIN="$FM_BIN" deploy/demo.sh stop >"$IT_TMP/stop.out" 2>&1 || {
	cat "$IT_TMP/stop.out" >&2
	fail "deploy/demo.sh stop failed"
}
sleep 0.5
for p in $PIDS; do
	! kill -0 "$p" 2>/dev/null || fail "pid $p ($(tr '\0' ' ' </proc/"$p"/cmdline)) still runs"
done
left=$(pgrep -f "$DV" || true)
[ -z "$left" ] || { ps -o pid,args -p "$left" >&2; fail "processes with $DV on their command line"; }
left=$(grep -lzx "FM_DEMO_VAR=$DV" /proc/[0-9]*/environ 2>/dev/null || true)
[ -z "$left" ] || { echo "$left" >&2; fail "processes the demo started still run"; }
[ ! -e "$DV/fmsim.ctl" ] || fail "the control FIFO was left"
[ ! -e "$DV/pg/postmaster.pid" ] || fail "PostgreSQL's pid file was left"
[ ! -e "$DV/broker/mosquitto.pid" ] || fail "Mosquitto's pid file was left"
ok "deploy/demo.sh stop: daemons, community, Mosquitto and PostgreSQL gone"

check "dependent alarms suppressed by $M (alarm_events)" "$n" "$SUPP"
check "work orders for the dependent alarms while the mains was lost" 0 "$WO_RAISE"
check "dependent alarms unsuppressed (paged) while still active when the mains returned" 0 "$UNSUP"
check "work orders for the dependent alarms when the mains returned" 0 "$WO_BACK"
ok "mains loss: the dependent alarms paged nobody and opened no work order"
echo "t_demo_smoke: all passed"
