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

case ${1:-start} in
start)
	"$servers" start "$var"
	. "$var/env.sh"
	"$fmctl" migrate
	"$fmctl" check config/
	"$fmctl" apply config/
	if ! { [ -f "$var/ingestd.pid" ] && kill -0 "$(cat "$var/ingestd.pid")" 2>/dev/null; }; then
		FM_SPOOL_DIR="$var/spool" FM_INSTANCE=demo FM_MQTT_USERNAME=ingestd \
			FM_MQTT_PASSWORD="$FM_MQTT_PASS_ingestd" "$root/build/bin/ingestd" \
			>>"$var/ingestd.log" 2>&1 &
		echo $! >"$var/ingestd.pid"
		for _ in $(seq 1 100); do
			grep -q 'event=started' "$var/ingestd.log" && break
			sleep 0.1
		done
	fi
	cat <<-EOF

	Demo servers are running (data under var/):
	  Mosquitto   $FM_MQTT_URL   (users and passwords: var/broker/passwords.sh)
	  PostgreSQL  $FM_DB_CONNINFO
	  ingestd     pid $(cat "$var/ingestd.pid"), log var/ingestd.log
	Try:
	  . var/env.sh
	  mosquitto_pub -h 127.0.0.1 -p \$BROKER_PORT -u fmsim -P "\$FM_MQTT_PASS_fmsim" -q 1 \\
	    -t fm/v1/demo/dev/pump-1/telemetry -m '{"seq":1,"metrics":{"outlet_pressure_kpa":312.5,"running":true}}'
	  psql -c 'select * from readings order by ts desc limit 5' -c 'select * from device_status'
	  mosquitto_sub -h 127.0.0.1 -p \$BROKER_PORT -u fmctl -P "\$FM_MQTT_PASS_fmctl" -t 'fm/v1/_sys/#' -C 1 -v
	alertd, schedd and dispatchd are not built yet (issues #4-#7).
	Stop everything with:  make demo-stop
	EOF
	;;
stop)
	if [ -f "$var/ingestd.pid" ]; then
		pid=$(cat "$var/ingestd.pid")
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$var/ingestd.pid"
	fi
	if [ -f "$var/env.sh" ]; then "$servers" stop "$var"; echo "demo stopped (data kept in var/; rm -rf var to start afresh)"; else echo "demo not running"; fi
	;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
