#!/usr/bin/env bash
# local-servers.sh — start and stop a private Mosquitto and PostgreSQL 15 in a
# directory, on free loopback ports, with authentication and the shipped
# broker configuration. Used by the integration tests (a temporary directory)
# and by `make demo` (./var). Never touches the system's own servers.
#
#   local-servers.sh start DIR          both servers; writes DIR/env.sh
#   local-servers.sh stop DIR           both servers (idempotent)
#   local-servers.sh {start,stop,kill,restart}-{pg,broker} DIR
#   local-servers.sh add-user DIR NAME PASSWORD   a daemon's broker account
#   local-servers.sh add-device DIR NAME           a device's account
#   local-servers.sh add-person DIR NAME ROLES [SITE]  a person's account
#   local-servers.sh db-roles DIR   the daemons' PostgreSQL login roles
#                                   (after fmctl migrate); passwords in
#                                   DIR/secrets/<daemon>.env as PGPASSWORD
# FM_BROKER_PROFILE=durable (default: a snapshot on every change) or
# throughput (a snapshot every 5 minutes) when the broker (re)starts.
#
# DIR/env.sh exports FM_MQTT_URL, FM_DB_CONNINFO, PGHOST, PGPORT, PGUSER,
# PGDATABASE, BROKER_PORT (loopback), BROKER_TLS_PORT (TLS, the test CA in
# FM_CA_FILE) and FM_MQTT_PASS_<user> for every broker account it created.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/secrets.sh"
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)}
BROKER_USERS=(ingestd alertd schedd dispatchd fmctl fmsim)

die() { echo "local-servers: $*" >&2; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		if port_free "$p"; then echo "$p"; return 0; fi
	done
	die "no free loopback port"
}

# Runs a PostgreSQL tool as the postgres user when we are root (PostgreSQL
# refuses to run as root), as ourselves otherwise.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

wait_for() { # seconds command...
	local n=$(($1 * 10)); shift
	while [ $n -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}

load_env() { [ -f "$1/env.sh" ] || die "$1/env.sh missing: run start first"; . "$1/env.sh"; }

# ---- PostgreSQL ----------------------------------------------------------
pg_init() {
	local dir=$1
	[ -n "$PGBIN" ] || die "PostgreSQL 15 server binaries not found (apt-get install postgresql)"
	mkdir -p "$dir/pg" "$dir/pgsock"
	touch "$dir/pg.log"
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/pg" "$dir/pgsock" "$dir/pg.log"; fi
	chmod 700 "$dir/pg"
	if [ ! -f "$dir/pg/PG_VERSION" ]; then
		as_pg "$PGBIN/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
			>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
		# Loopback only; trust is for this private test/demo cluster, whose
		# socket and port nobody else can reach. Deployments use scram (README).
		# The daemons' login roles (deploy/db-roles.sh) must give their
		# password, as in a deployment; setup and the tests' own roles do not.
		cat >"$dir/pg/pg_hba.conf" <<-EOF
		local all all trust
		host all ingestd,alertd,schedd,dispatchd,fmctl 127.0.0.1/32 scram-sha-256
		host all all 127.0.0.1/32 trust
		EOF
		if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/pg/pg_hba.conf"; fi
	fi
}

pg_start() {
	local dir=$1
	load_env "$dir"
	as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -w -t 60 -l "$dir/pg.log" \
		-o "-p $PGPORT -k $dir/pgsock -c listen_addresses=127.0.0.1 -c fsync=${FM_PG_FSYNC:-on} -c max_connections=100" \
		start >/dev/null || { tail -20 "$dir/pg.log" >&2; die "PostgreSQL did not start"; }
	wait_for 30 "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PGPORT" || die "PostgreSQL not ready"
	if ! "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "select 1 from pg_database where datname='$PGDATABASE'" postgres | grep -q 1; then
		"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$PGDATABASE"
	fi
}

pg_stop() { # mode: fast | immediate
	local dir=$1 mode=${2:-fast}
	[ -f "$dir/pg/postmaster.pid" ] || return 0
	as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -m "$mode" -w -t 60 stop >/dev/null 2>&1 || true
}

pg_kill() {
	local dir=$1 pid
	[ -f "$dir/pg/postmaster.pid" ] || return 0
	pid=$(head -1 "$dir/pg/postmaster.pid")
	kill -9 "$pid" 2>/dev/null || true
	wait_for 10 bash -c "! kill -0 $pid" || true
	# Children notice the postmaster is gone and exit; wait until they do.
	sleep 0.5
	rm -f "$dir/pg/postmaster.pid"
}

# ---- Mosquitto -------------------------------------------------------------
# The broker's files are made by the tools a deployment uses: deploy/pki.sh
# (site CA, server certificate) and deploy/fm-broker-user.sh (password file,
# ACL); the configuration is the shipped mosquitto.conf.in.
broker_init() {
	local dir=$1 u
	mkdir -p "$dir/broker/data"
	sed -e "s|@PORT@|$BROKER_PORT|g" -e "s|@TLS_PORT@|$BROKER_TLS_PORT|g" \
		-e "s|@TLS_ADDR@|127.0.0.1|g" -e "s|@DIR@|$dir/broker|g" -e "s|@STATE@|$dir/broker|g" \
		"$here/mosquitto/mosquitto.conf.in" >"$dir/broker/mosquitto.conf"
	# FM_BROKER_PROFILE=throughput: snapshots every 5 minutes instead of on
	# every change (see mosquitto.conf.in); for load tests and benchmarks.
	if [ "${FM_BROKER_PROFILE:-durable}" = throughput ]; then
		sed -i -e 's/^autosave_on_changes true$/autosave_on_changes false/' \
			-e 's/^autosave_interval 1$/autosave_interval 300/' "$dir/broker/mosquitto.conf"
	fi
	if [ ! -f "$dir/broker/tls/server.crt" ]; then
		"$here/pki.sh" ca "$dir/broker/tls" "fm test CA" >/dev/null
		"$here/pki.sh" server "$dir/broker/tls" localhost >/dev/null
	fi
	cp "$here/mosquitto/acl" "$dir/broker/acl.base"
	if [ ! -f "$dir/broker/passwd" ]; then
		: >"$dir/broker/passwords.sh"
		for u in "${BROKER_USERS[@]}"; do
			FM_BROKER_NO_RELOAD=1 add_user "$dir" "$u" "$(secret_new)"
		done
	fi
	FM_BROKER_NO_RELOAD=1 "$here/fm-broker-user.sh" -d "$dir/broker" render
	chmod 600 "$dir/broker/passwd" "$dir/broker/acl" "$dir/broker/tls/"*.key
	if [ "$(id -u)" -eq 0 ]; then chown -R mosquitto: "$dir/broker"; fi
}

# account DIR COMMAND NAME [ARGS...]: a broker account made by
# fm-broker-user.sh with a random password, which passwords.sh exports as
# FM_MQTT_PASS_<name> (characters other than A-Za-z0-9_ become _).
account() {
	local dir=$1 cmd=$2 name=$3 pass var
	shift 3
	pass=${FM_NEW_PASSWORD:-$(secret_new)}
	FM_NEW_PASSWORD=$pass "$here/fm-broker-user.sh" -d "$dir/broker" "$cmd" "$name" "$@"
	var=FM_MQTT_PASS_$(echo "$name" | tr -c 'A-Za-z0-9_\n' '_')
	touch "$dir/broker/passwords.sh"
	sed -i "/^export $var=/d" "$dir/broker/passwords.sh"
	echo "export $var='$pass'" >>"$dir/broker/passwords.sh"
	chmod 600 "$dir/broker/passwords.sh"
	if [ "$(id -u)" -eq 0 ]; then chown -R mosquitto: "$dir/broker"; fi
}

add_user() { # dir name password: a daemon's account (its ACL is in the shipped file)
	FM_NEW_PASSWORD=$3 account "$1" add-daemon "$2"
}

broker_start() {
	local dir=$1
	load_env "$dir"
	broker_init "$dir"
	rm -f "$dir/broker/mosquitto.pid"
	mosquitto -c "$dir/broker/mosquitto.conf" -d 2>>"$dir/broker/mosquitto.stderr"
	wait_for 10 test -s "$dir/broker/mosquitto.pid" || die "mosquitto did not start (see $dir/broker/mosquitto.log)"
	wait_for 10 bash -c "(exec 3<>/dev/tcp/127.0.0.1/$BROKER_PORT)" || die "mosquitto not listening"
	wait_for 10 bash -c "(exec 3<>/dev/tcp/127.0.0.1/$BROKER_TLS_PORT)" || die "mosquitto not listening for TLS"
}

broker_pid() { [ -s "$1/broker/mosquitto.pid" ] && cat "$1/broker/mosquitto.pid"; }

broker_stop() { # signal: TERM | KILL
	local dir=$1 sig=${2:-TERM} pid
	pid=$(broker_pid "$dir") || return 0
	kill "-$sig" "$pid" 2>/dev/null || true
	wait_for 10 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
	rm -f "$dir/broker/mosquitto.pid"
}

# ---- both ----------------------------------------------------------------
start_all() {
	local dir=$1
	mkdir -p "$dir"
	chmod 755 "$dir"
	dir=$(cd "$dir" && pwd)
	if [ ! -f "$dir/env.sh" ]; then
		local pgport bport tport
		pgport=$(pick_port)
		bport=$(pick_port)
		while [ "$bport" = "$pgport" ]; do bport=$(pick_port); done
		tport=$(pick_port)
		while [ "$tport" = "$pgport" ] || [ "$tport" = "$bport" ]; do tport=$(pick_port); done
		cat >"$dir/env.sh" <<-EOF
		export FM_SERVERS_DIR='$dir'
		export PGPORT=$pgport PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=\${PGDATABASE:-fm}
		export BROKER_PORT=$bport BROKER_TLS_PORT=$tport
		export FM_CA_FILE='$dir/broker/tls/ca.crt'
		export FM_MQTT_URL=tcp://127.0.0.1:$bport
		export FM_DB_CONNINFO="host=127.0.0.1 port=$pgport user=postgres dbname=\$PGDATABASE"
		[ -f '$dir/broker/passwords.sh' ] && . '$dir/broker/passwords.sh'
		true
		EOF
	fi
	load_env "$dir"
	if [ -z "${BROKER_TLS_PORT:-}" ]; then # a directory from before the TLS listener
		echo "export BROKER_TLS_PORT=$(pick_port) FM_CA_FILE='$dir/broker/tls/ca.crt'" >>"$dir/env.sh"
		load_env "$dir"
	fi
	port_free "$PGPORT" || [ -f "$dir/pg/postmaster.pid" ] || die "port $PGPORT is taken: remove $dir/env.sh to pick new ports"
	pg_init "$dir"
	[ -f "$dir/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1 || pg_start "$dir"
	if ! { pid=$(broker_pid "$dir") && kill -0 "$pid" 2>/dev/null; }; then broker_start "$dir"; fi
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|stop|{start,stop,kill,restart}-{pg,broker}|add-user DIR [...]"
case $cmd in
start) start_all "$dir" ;;
stop) broker_stop "$dir" TERM; pg_stop "$dir" fast ;;
start-pg) pg_start "$dir" ;;
stop-pg) pg_stop "$dir" "${3:-fast}" ;;
kill-pg) pg_kill "$dir" ;;
restart-pg) pg_stop "$dir" fast; pg_start "$dir" ;;
start-broker) broker_start "$dir" ;;
stop-broker) broker_stop "$dir" TERM ;;
kill-broker) broker_stop "$dir" KILL ;;
restart-broker) broker_stop "$dir" TERM; broker_start "$dir" ;;
add-user) add_user "$dir" "$3" "$4" ;;
add-device | add-person) account "$dir" "$cmd" "${@:3}" ;;
db-roles) load_env "$dir"; "$here/db-roles.sh" "$dir/secrets" >/dev/null ;;
*) die "unknown command $cmd" ;;
esac
