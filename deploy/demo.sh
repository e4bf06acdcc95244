#!/usr/bin/env bash
# demo.sh — `make demo` and `make demo-stop`. Starts a private Mosquitto and
# PostgreSQL under ./var/ (authentication and ACLs on, the shipped broker
# configuration), migrates the database, applies the demo community in
# config/, starts ingestd, alertd, schedd and dispatchd as their broker users
# and the simulated community (fmsim community), gives the people of
# config/people.yaml broker accounts, then plays a narrated scenario
# (deploy/demo-scenario.sh): a mains loss, then an elevator entrapment from
# alarm to closed work order. Idempotent: running it again reuses what is
# running and plays the scenario again.
#
#   deploy/demo.sh start | stop | scenario
# Environment: FM_DEMO_VAR (default ./var) where everything lives; FM_BIN
# (default build/bin) the binaries; FM_DEMO_CONFIG (default config/) the
# configuration; FM_DEMO_WAIT (default 60) the longest wait of a scenario
# step, in seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p "${FM_DEMO_VAR:-$root/var}"
var=$(cd "${FM_DEMO_VAR:-$root/var}" && pwd)
FM_BIN=$(cd "${FM_BIN:-$root/build/bin}" && pwd)
cfg=$(cd "${FM_DEMO_CONFIG:-$root/config}" && pwd)
servers="$root/deploy/local-servers.sh"
ctl="$var/fmsim.ctl"
DAEMONS=(ingestd alertd schedd dispatchd)
# Every process the demo starts carries FM_DEMO_VAR in its environment, so
# whatever it left running can be found (tests/it/t_demo_smoke.sh does).
export FM_DEMO_VAR=$var FM_BIN

# A path for the messages: relative to the repository when under it.
show_path() { case $1 in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac; }
V=$(show_path "$var")

# The demo's own servers decide: nothing inherited from the caller's shell
# (a test harness exports its own database and broker) may point elsewhere,
# neither in local-servers.sh (it creates $PGDATABASE) nor in var/env.sh.
unset PGDATABASE PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGSERVICE PGOPTIONS \
	FM_DB_CONNINFO FM_MQTT_URL FM_MQTT_USERNAME FM_MQTT_PASSWORD BROKER_PORT \
	FM_SPOOL_DIR FM_INSTANCE FM_SERVERS_DIR
# shellcheck disable=SC1091
load_env() { . "$var/env.sh"; }

# alive NAME: the process in $var/NAME.pid runs.
alive() { [ -f "$var/$1.pid" ] && kill -0 "$(cat "$var/$1.pid")" 2>/dev/null; }

# wait_started NAME SECONDS: the log has a started line from this run.
wait_started() {
	local n=$(($2 * 10))
	while [ $n -gt 0 ]; do
		grep -q 'event=started' <(tail -n +"$3" "$var/$1.log") && return 0
		alive "$1" || break
		sleep 0.1; n=$((n - 1))
	done
	echo "demo: $1 did not start; the end of $V/$1.log:" >&2
	tail -20 "$var/$1.log" >&2
	exit 1
}

# run_daemon NAME: starts NAME as its broker user unless running; pid in
# var/NAME.pid, log in var/NAME.log; waits for its started line.
run_daemon() {
	local name=$1 pass="FM_MQTT_PASS_$1" from
	alive "$name" && return 0
	touch "$var/$name.log"
	from=$(($(wc -l <"$var/$name.log") + 1))
	# its broker user, and its own PostgreSQL role (deploy/db-roles.sh;
	# password in var/secrets/NAME.env)
	FM_SPOOL_DIR="$var/spool" FM_INSTANCE=demo FM_MQTT_USERNAME="$name" \
		FM_MQTT_PASSWORD="${!pass}" FM_DB_CONNINFO="$FM_DB_CONNINFO user=$name" \
		PGPASSWORD="$(sed -n 's/^PGPASSWORD=//p' "$var/secrets/$name.env")" \
		"$FM_BIN/$name" -c "$cfg/fm.yaml" >>"$var/$name.log" 2>&1 &
	echo $! >"$var/$name.pid"
	wait_started "$name" 30 "$from"
}

# run_community: the simulated community as broker user fmsim, an hour of
# community life a minute, telemetry every 2 s, faults through var/fmsim.ctl.
run_community() {
	local from
	alive fmsim && [ -p "$ctl" ] && return 0
	touch "$var/fmsim.log"
	from=$(($(wc -l <"$var/fmsim.log") + 1))
	FM_MQTT_USERNAME=fmsim FM_MQTT_PASSWORD="${FM_MQTT_PASS_fmsim:?}" \
		"$FM_BIN/fmsim" community --config "$cfg" --speed 60 --interval 2s --control "$ctl" \
		>>"$var/fmsim.log" 2>&1 &
	echo $! >"$var/fmsim.pid"
	wait_started fmsim 30 "$from"
}

# stop_pid NAME: SIGTERM, then SIGKILL after 10 s.
stop_pid() {
	local pid
	[ -f "$var/$1.pid" ] || return 0
	pid=$(cat "$var/$1.pid")
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$var/$1.pid"
}

# people_accounts: a broker account for every active person in the
# registry with the read access of their roles (deploy/fm-broker-user.sh
# add-person), the password in var/people/PERSON.pass (mode 0600) for
# fmctl's --password-file; kept across runs.
people_accounts() {
	local p roles added=0
	mkdir -p "$var/people"
	chmod 700 "$var/people"
	while IFS='|' read -r p roles; do
		if [ -s "$var/people/$p.pass" ] && grep -q "^$p:" "$var/broker/passwd"; then continue; fi
		(umask 077; head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$var/people/$p.pass")
		FM_NEW_PASSWORD=$(cat "$var/people/$p.pass") "$servers" add-person "$var" "$p" "$roles" >/dev/null
		added=$((added + 1))
	done < <(psql -X -At -v ON_ERROR_STOP=1 -c "select p.person_id, string_agg(r.role, ',' order by r.role)
		from people p join person_roles r using (person_id) where p.active group by 1 order by 1")
	[ $added -eq 0 ] || sleep 0.5 # the broker rereads its password file on SIGHUP
}

# console.sh: what a newcomer sources to use fmctl as the operators' console.
write_console_env() {
	cat >"$var/console.sh" <<-EOF
	# Source me: fmctl on the PATH, talking to the demo's servers as the
	# operators' console (broker user fmctl). People act with --as PERSON
	# --password-file $V/people/PERSON.pass.
	. '$var/env.sh'
	export PATH='$FM_BIN':"\$PATH" FM_MQTT_USERNAME=fmctl FM_MQTT_PASSWORD="\$FM_MQTT_PASS_fmctl"
	EOF
}

start() {
	echo "== Starting the demo servers under $V/ (Mosquitto and PostgreSQL, authentication and ACLs on)"
	"$servers" start "$var"
	load_env
	"$FM_BIN/fmctl" migrate
	"$servers" db-roles "$var"
	"$FM_BIN/fmctl" -c "$cfg/fm.yaml" check "$cfg"
	"$FM_BIN/fmctl" -c "$cfg/fm.yaml" apply "$cfg"
	people_accounts
	write_console_env
	for d in "${DAEMONS[@]}"; do run_daemon "$d"; done
	run_community
	cat <<-EOF

	Running (logs and pids under $V/):
	  Mosquitto   $FM_MQTT_URL   (daemon accounts: $V/broker/passwords.sh)
	              TLS for devices and people: port $BROKER_TLS_PORT, CA $FM_CA_FILE
	  PostgreSQL  $FM_DB_CONNINFO
	EOF
	for d in "${DAEMONS[@]}" fmsim; do
		printf '  %-11s pid %s, log %s\n' "$d" "$(cat "$var/$d.pid")" "$V/$d.log"
	done
	echo "  (fmsim: the simulated community, 38 devices, an hour a minute; faults through $V/fmsim.ctl)"
	# shellcheck source=deploy/demo-scenario.sh
	. "$root/deploy/demo-scenario.sh"
	scenario
	hints
	if [ -t 0 ] && [ -t 1 ]; then
		echo
		echo "== fmctl watch (Ctrl-C leaves it; the demo keeps running until make demo-stop)"
		trap 'echo; echo "watch left; everything keeps running. make demo-stop stops it."; exit 0' INT
		fm_console watch || true
	fi
}

stop() {
	local any=0
	stop_pid fmsim
	rm -f "$ctl"
	for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do stop_pid "${DAEMONS[i]}"; done
	if [ -f "$var/env.sh" ]; then
		"$servers" stop "$var"
		any=1
	fi
	if [ $any -eq 1 ]; then
		echo "demo stopped (data kept in $V/; rm -rf $V to start afresh)"
	else
		echo "demo not running"
	fi
}

case ${1:-start} in
start) start ;;
stop) stop ;;
scenario)
	load_env
	alive fmsim || { echo "demo: not running; start it with make demo" >&2; exit 1; }
	# shellcheck source=deploy/demo-scenario.sh
	. "$root/deploy/demo-scenario.sh"
	scenario
	hints
	;;
*)
	echo "usage: $0 start|stop|scenario" >&2
	exit 2
	;;
esac
