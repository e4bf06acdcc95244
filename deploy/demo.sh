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
	cat <<-EOF

	Demo servers are running (data under var/):
	  Mosquitto   $FM_MQTT_URL   (users and passwords: var/broker/passwords.sh)
	  PostgreSQL  $FM_DB_CONNINFO
	Try:
	  . var/env.sh && psql -c 'select device_id, asset_type, site_id from devices order by 1'
	  . var/env.sh && mosquitto_sub -h 127.0.0.1 -p \$BROKER_PORT -u fmctl -P "\$FM_MQTT_PASS_fmctl" -t 'fm/v1/#' -v
	The daemons are not built yet (issues #3-#7): they only check configuration (-n).
	Stop everything with:  make demo-stop
	EOF
	;;
stop)
	if [ -f "$var/env.sh" ]; then "$servers" stop "$var"; echo "demo stopped (data kept in var/; rm -rf var to start afresh)"; else echo "demo not running"; fi
	;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
