# demo-scenario.sh — the narrated scenario of `make demo`, sourced by
# deploy/demo.sh once the servers, daemons and community run (it sets var, V,
# ctl, FM_BIN and the demo's environment). Every command a person would type
# is printed before it runs, with its output. Waits are keyed on alarm and
# work-order events newer than the step's start, so a second run plays a
# fresh occurrence; each wait gives up after FM_DEMO_WAIT seconds (60) with
# the end of the logs concerned, and the demo exits 1.
# shellcheck shell=bash disable=SC2154

FM_DEMO_WAIT=${FM_DEMO_WAIT:-60}

q() { psql -X -At -v ON_ERROR_STOP=1 -c "$1"; }

# demo_fail WHAT LOG...: the reason, the end of each named log, exit 1.
demo_fail() {
	local l
	{
		echo
		echo "demo: FAILED: $1"
		shift
		for l in "$@"; do
			echo "--- the end of $V/$l.log"
			tail -15 "$var/$l.log" 2>/dev/null || true
		done
		echo "(the demo keeps running; make demo-stop stops it)"
	} >&2
	exit 1
}

# await WHAT SQL LOG...: polls SQL until it returns something (kept in GOT).
await() {
	local what=$1 sql=$2 n=$((FM_DEMO_WAIT * 4))
	shift 2
	while [ $n -gt 0 ]; do
		GOT=$(q "$sql" 2>/dev/null || true)
		[ -n "$GOT" ] && return 0
		sleep 0.25
		n=$((n - 1))
	done
	demo_fail "$what: not within ${FM_DEMO_WAIT} s" "$@"
}

say() { printf '\n== %s\n' "$1"; shift; [ $# -eq 0 ] || printf '   %s\n' "$@"; }

fm_console() { FM_MQTT_USERNAME=fmctl FM_MQTT_PASSWORD="$FM_MQTT_PASS_fmctl" "$FM_BIN/fmctl" "$@"; }

# show LOG CMD...: prints the command as a person types it (with var/
# shortened), runs it, and fails the demo (LOG's tail) if it fails.
show() {
	local log=$1 rc=0
	shift
	printf '\n$ %s\n' "$(printf '%s ' "$@" | sed -e "s|$var/|$V/|g" -e 's/ $//')"
	"$@" || rc=$?
	[ $rc -eq 0 ] || demo_fail "'$*' exited $rc" "$log"
}

fmctl() { fm_console "$@"; }
fmsim() { # FM_DEMO_CONFIG's registry (the default, config/, needs no flag)
	if [ "$cfg" = "$root/config" ]; then "$FM_BIN/fmsim" "$@"; else "$FM_BIN/fmsim" "$@" --config "$cfg"; fi
}
# as PERSON ARGS...: fmctl acting as PERSON (their broker account).
as() {
	local p=$1
	shift
	FM_MQTT_USERNAME='' FM_MQTT_PASSWORD='' "$FM_BIN/fmctl" "$@" --as "$p" \
		--password-file "$var/people/$p.pass"
}
act() { # LOG PERSON ARGS...
	local log=$1 p=$2
	shift 2
	printf '\n$ fmctl %s --as %s --password-file %s\n' "$*" "$p" "$V/people/$p.pass"
	as "$p" "$@" || demo_fail "fmctl $* --as $p exited $?" "$log"
}

snapshot() { show alertd fmctl watch --once; }

first_with_role() {
	q "select person_id from person_roles join people using (person_id)
	   where role = '$1' and active order by person_id limit 1"
}

raised_since() { # EVENT_ID DEVICE RULE
	echo "select e.alarm_id from alarm_events e join alarms a using (alarm_id)
	      where e.id > $1 and e.transition = 'raised' and a.device_id = '$2'
	        and a.rule_id = '$3' order by e.id limit 1"
}

# tidy: what an interrupted earlier run left: its faults cleared and its
# unacknowledged alarms acknowledged, so this run raises fresh ones.
tidy() {
	local a left
	fmsim fault mains_loss --clear --control "$ctl" >/dev/null 2>&1 || true
	fmsim fault entrapment --clear --control "$ctl" >/dev/null 2>&1 || true
	left=$(q "select alarm_id from alarms where state <> 'closed' and not acked order by raised_at")
	if [ -n "$left" ]; then
		say "Acknowledging the alarms an earlier run left open, so this run starts afresh"
		for a in $left; do act alertd "$duty" ack --note "left by an earlier demo run" "$a"; done
	fi
	await "the alarms of an earlier run to clear" \
		"select 1 where not exists (select 1 from alarms where state = 'active'
		   and device_id in ('dr-main', 'elev-1a'))" alertd fmsim
}

# The alarms raised since event E on what dr-main feeds, as
# "alarm_id device suppressed_by-or-- work_order-or--" lines.
dependants() {
	q "select a.alarm_id || ' ' || a.device_id || ' ' || coalesce(nullif(a.suppressed_by, ''), '-')
	          || ' ' || coalesce((select string_agg(w.wo_id, ',') from work_orders w
	                              where w.source_alarm_id = a.alarm_id), '-')
	   from alarms a where a.alarm_id in (select alarm_id from alarm_events
	                                      where id > $1 and transition = 'raised')
	    and a.device_id in (select to_device from device_feeds where from_device = 'dr-main')
	  order by a.raised_at"
}

step_mains() {
	local e0 m a deps
	e0=$(q "select coalesce(max(id), 0) from alarm_events")
	say "1/2  Mains loss in the distribution room" \
		"The simulated community loses mains power at dr-main. alertd raises one" \
		"root-cause alarm (mains_lost, severity II); the pumps dr-main feeds keep their" \
		"run command but draw no current, and their alarms are recorded as suppressed" \
		"by the mains alarm (suppressed_by): nobody is paged for them."
	show fmsim fmsim fault mains_loss dr-main --control "$ctl"
	await "the mains alarm on dr-main" "$(raised_since "$e0" dr-main mains_lost)" alertd fmsim
	m=$GOT
	echo "   -> mains alarm $m raised"
	await "a pump alarm suppressed by $m" \
		"select 1 from alarms where suppressed_by = '$m' limit 1" alertd fmsim
	sleep 3 # the other pumps' alarms follow within a telemetry interval
	deps=$(dependants "$e0")
	echo "   -> alarms on what dr-main feeds (alarm device suppressed_by work_order):"
	printf '        %s\n' "$deps"
	if printf '%s\n' "$deps" | grep -qv " $m -\$"; then
		echo "   !! not every dependent alarm is suppressed by $m without a work order:"
		echo "   !! one raised before the root cause (compare the rules' raise_for)"
	fi
	show alertd psql -X -c "select alarm_id, device_id, rule_id, severity, state, suppressed_by
	    from alarms where alarm_id = '$m' or suppressed_by = '$m' order by raised_at"
	snapshot
	say "The duty engineer ($duty) acknowledges the root cause"
	act alertd "$duty" ack --note "mains lost: emergency plan started, owners told" "$m"
	say "Mains power is back: the fault is cleared; the acknowledged alarm closes"
	show fmsim fmsim fault mains_loss dr-main --clear --control "$ctl"
	await "the mains alarm $m to close" "select 1 from alarms where alarm_id = '$m' and state = 'closed'" alertd fmsim
	echo "   -> $m closed"
	for a in $(printf '%s\n' "$deps" | cut -d' ' -f1); do
		await "the pump alarm $a to clear" "select 1 from alarms where alarm_id = '$a' and state <> 'active'" alertd fmsim
		as "$duty" ack --note "explained by $m" "$a" >/dev/null 2>&1 || true
	done
	echo "   -> the pump alarms cleared with the mains, and $duty acknowledged them"
	show alertd fmctl alarms --since 10m --limit 5
}

step_entrapment() {
	local e0 a w who
	e0=$(q "select coalesce(max(id), 0) from alarm_events")
	say "2/2  An elevator entrapment in building 1, car A (elev-1a)" \
		"The car stops between floors with people inside: a severity I alarm; alertd" \
		"asks dispatchd for an emergency work order, which goes at once to someone" \
		"with the elevator skill who is on duty."
	show fmsim fmsim fault entrapment elev-1a --control "$ctl"
	await "the entrapment alarm on elev-1a" "$(raised_since "$e0" elev-1a elevator_entrapment)" alertd fmsim
	a=$GOT
	echo "   -> alarm $a raised (severity 1)"
	await "the emergency work order for $a" \
		"select wo_id from work_orders where source_alarm_id = '$a' and assignee is not null" dispatchd alertd
	w=$GOT
	snapshot
	say "The duty engineer ($duty) acknowledges the alarm"
	act alertd "$duty" ack --note "rescue called, contractor on the way" "$a"
	say "The emergency work order, and who it went to"
	show dispatchd fmctl wo list
	printf '\n$ fmctl wo show --format json %s\n' "$w"
	who=$(fm_console wo show --format json "$w" | grep -o '"assignee": *"[^"]*"' | head -1 | cut -d'"' -f4)
	[ -n "$who" ] || demo_fail "no assignee in fmctl wo show --format json $w" dispatchd
	echo "   -> $w assigned to $who"
	say "$who accepts the order and arrives on site"
	act dispatchd "$who" wo accept "$w"
	act dispatchd "$who" wo arrive "$w"
	say "The passengers are out: the entrapment is over, the acknowledged alarm closes"
	show fmsim fmsim fault entrapment elev-1a --clear --control "$ctl"
	await "the entrapment alarm $a to close" "select 1 from alarms where alarm_id = '$a' and state = 'closed'" alertd fmsim
	echo "   -> $a closed"
	say "$who repairs the car and completes the order"
	act dispatchd "$who" wo start "$w"
	act dispatchd "$who" wo complete --note "door operator reset, car tested, back in service" "$w"
	say "Customer service ($cs) calls the residents back: satisfied (5), the order closes"
	act dispatchd "$cs" followup --score 5 --note "residents satisfied with the rescue" "$w"
	await "the work order $w to close" "select 1 from work_orders where wo_id = '$w' and state = 'closed'" dispatchd
	show dispatchd fmctl wo show "$w"
	snapshot
}

scenario() {
	duty=$(first_with_role duty_engineer)
	cs=$(first_with_role customer_service)
	if [ -z "$duty" ] || [ -z "$cs" ]; then
		demo_fail "the registry has no duty engineer or no customer service"
	fi
	tidy
	step_mains
	step_entrapment
	say "The scenario is done: one root-cause alarm for the outage, and an entrapment" \
		"taken from alarm to closed work order."
}

hints() {
	cat <<-EOF

	== Where to look next (everything keeps running; the community goes on living)
	   . $V/console.sh                      fmctl on the PATH as the operators' console
	   fmctl watch                          open alarms and work orders, live (Ctrl-C leaves)
	   fmctl alarms --since 1h              alarm history; fmctl devices, fmctl stats
	   fmctl wo list --state all            work orders; fmctl wo show WO_ID for one
	   fmctl report                         work-order KPIs; fmctl report pm: maintenance plans
	   fmsim fault --help                   more faults: fmsim fault pump_fail --control $V/fmsim.ctl
	   fmctl ack --as $duty --password-file $V/people/$duty.pass ALARM_ID
	   psql -c 'select * from alarm_events order by id desc limit 10'
	   logs: $V/{ingestd,alertd,schedd,dispatchd,fmsim}.log
	   make demo again replays the scenario; make demo-stop stops everything
	EOF
}
