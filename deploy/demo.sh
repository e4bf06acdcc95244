#!/usr/bin/env bash
# demo.sh — `make demo` and `make demo-stop`. Starts a private Mosquitto and
# PostgreSQL under ./var/ (authentication and ACLs on, the shipped broker
# configuration), migrates the database and applies the demo community in
# config/. Idempotent: running it again reuses what is running.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
var="$root/var"
servers="$root/deploy/local-servers.sh"
fmctl="$root/build/bin/fmctl"

# run_daemon NAME: starts build/bin/NAME as its broker user and its
# PostgreSQL role (deploy/db-roles.sh, passwords in var/secrets/) unless running;
# pid in var/NAME.pid, log in var/NAME.log; waits for its started line.
run_daemon() {
	local name=$1 pass="FM_MQTT_PASS_$1"
	if [ -f "$var/$name.pid" ] && kill -0 "$(cat "$var/$name.pid")" 2>/dev/null; then
		return 0
	fi
	FM_SPOOL_DIR="$var/spool" FM_INSTANCE=demo FM_MQTT_USERNAME="$name" \
		FM_MQTT_PASSWORD="${!pass}" FM_DB_CONNINFO="$FM_DB_CONNINFO user=$name" \
		PGPASSWORD="$(sed -n 's/^PGPASSWORD=//p' "$var/secrets/$name.env")" \
		"$root/build/bin/$name" >>"$var/$name.log" 2>&1 &
	echo $! >"$var/$name.pid"
	for _ in $(seq 1 100); do
		grep -q 'event=started' "$var/$name.log" && break
		sleep 0.1
	done
}

# stop_daemon NAME: SIGTERM, then SIGKILL after 10 s.
stop_daemon() {
	local pid
	[ -f "$var/$1.pid" ] || return 0
	pid=$(cat "$var/$1.pid")
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$var/$1.pid"
}

case ${1:-start} in
start)
	"$servers" start "$var"
	. "$var/env.sh"
	"$fmctl" migrate
	"$servers" db-roles "$var"
	"$fmctl" check config/
	"$fmctl" apply config/
	run_daemon ingestd
	run_daemon alertd
	run_daemon schedd
	run_daemon dispatchd
	cat <<-EOF

	Demo servers are running (data under var/):
	  Mosquitto   $FM_MQTT_URL   (users and passwords: var/broker/passwords.sh)
	              TLS on port $BROKER_TLS_PORT, CA $FM_CA_FILE
	  PostgreSQL  $FM_DB_CONNINFO
	  ingestd     pid $(cat "$var/ingestd.pid"), log var/ingestd.log
	  alertd      pid $(cat "$var/alertd.pid"), log var/alertd.log
	  schedd      pid $(cat "$var/schedd.pid"), log var/schedd.log
	  dispatchd   pid $(cat "$var/dispatchd.pid"), log var/dispatchd.log
	Try:
	  . var/env.sh
	  mosquitto_pub -h 127.0.0.1 -p \$BROKER_PORT -u fmsim -P "\$FM_MQTT_PASS_fmsim" -q 1 \\
	    -t fm/v1/demo/dev/pump-1/telemetry -m '{"seq":1,"metrics":{"outlet_pressure_kpa":312.5,"running":true}}'
	  psql -c 'select * from readings order by ts desc limit 5' -c 'select * from device_status'
	  mosquitto_sub -h 127.0.0.1 -p \$BROKER_PORT -u fmctl -P "\$FM_MQTT_PASS_fmctl" -t 'fm/v1/_sys/#' -C 1 -v
	An alarm: watch the duty post, then trap someone in elevator 1A:
	  mosquitto_sub -h 127.0.0.1 -p \$BROKER_PORT -u fmctl -P "\$FM_MQTT_PASS_fmctl" -t 'fm/v1/demo/alarm-log' -v &
	  mosquitto_pub -h 127.0.0.1 -p \$BROKER_PORT -u fmsim -P "\$FM_MQTT_PASS_fmsim" -q 1 \\
	    -t fm/v1/demo/dev/elev-1a/event -m '{"seq":1,"event":"entrapment","state":"active"}'
	  psql -c 'select alarm_id, rule_id, severity, state from alarms'
	Preventive maintenance: the plans never done are requested at once:
	  psql -c 'select plan_id, device_id, last_request_key, next_due from pm_state'
	Work orders (dispatchd): the open ones, and their retained states:
	  psql -c 'select wo_id, kind, state, assignee, escalation_level from work_orders'
	  mosquitto_sub -h 127.0.0.1 -p \$BROKER_PORT -u fmctl -P "\$FM_MQTT_PASS_fmctl" -t 'fm/v1/demo/wo/+' -v
	Devices and people over TLS (accounts: deploy/local-servers.sh add-device|add-person var ...):
	  mosquitto_sub -h localhost -p \$BROKER_TLS_PORT --cafile \$FM_CA_FILE -u fmctl -P "\$FM_MQTT_PASS_fmctl" -t 'fm/v1/demo/alarm/#' -v
	Stop everything with:  make demo-stop
	EOF
	;;
stop)
	stop_daemon dispatchd
	stop_daemon schedd
	stop_daemon alertd
	stop_daemon ingestd
	if [ -f "$var/env.sh" ]; then "$servers" stop "$var"; echo "demo stopped (data kept in var/; rm -rf var to start afresh)"; else echo "demo not running"; fi
	;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
