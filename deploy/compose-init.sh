#!/usr/bin/env bash
# compose-init.sh — the site-specific files docker-compose.yml mounts, made
# with the same scripts as a host install (README "Operations"):
#   DIR/broker/   mosquitto.conf (the shipped mosquitto.conf.in, listening on
#                 the container network), passwd and acl (fm-broker-user.sh),
#                 tls/ (pki.sh: site CA and a server certificate for HOST)
#   DIR/secrets/  <daemon>.env: FM_MQTT_PASSWORD, PGPASSWORD (0600);
#                 postgres.env (POSTGRES_PASSWORD), owner.env (PGPASSWORD)
#   compose-init.sh [DIR [HOST]]     DIR default var/compose (FM_COMPOSE_DIR)
# Existing passwords and certificates are kept: run it again after an upgrade.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/secrets.sh"
dir=${1:-${FM_COMPOSE_DIR:-var/compose}}
host=${2:-$(hostname)}
mkdir -p "$dir/broker" && dir=$(cd "$dir" && pwd)
S=$dir/secrets
(umask 077 && mkdir -p "$S")

# The broker inside the compose network: the loopback listener listens on
# the container's interfaces (docker-compose.yml publishes it on the host's
# loopback only); logs go to the container's output.
sed -e "s|@PORT@|1883|g" -e "s|@TLS_PORT@|8883|g" -e "s|@TLS_ADDR@|0.0.0.0|g" \
	-e "s|@DIR@|/mosquitto/config|g" -e "s|@STATE@|/mosquitto/data|g" \
	-e "s|^listener 1883 127.0.0.1$|listener 1883 0.0.0.0|" -e "s|^log_dest file .*|log_dest stdout|" \
	-e "s|^persistence_location .*|persistence_location /mosquitto/data/|" -e "/^pid_file /d" \
	"$here/mosquitto/mosquitto.conf.in" >"$dir/broker/mosquitto.conf"
[ -f "$dir/broker/tls/ca.crt" ] || "$here/pki.sh" ca "$dir/broker/tls" "fm compose CA" >/dev/null
[ -f "$dir/broker/tls/server.crt" ] || "$here/pki.sh" server "$dir/broker/tls" "$host" broker >/dev/null
for d in ingestd alertd schedd dispatchd fmctl; do
	if [ -z "$(secret_get "$S/$d.env" FM_MQTT_PASSWORD)" ]; then
		FM_BROKER_NO_RELOAD=1 "$here/fm-broker-user.sh" -d "$dir/broker" add-daemon "$d" "$S/$d.env" 2>/dev/null
	fi
	[ -n "$(secret_get "$S/$d.env" PGPASSWORD)" ] || secret_set "$S/$d.env" PGPASSWORD "$(secret_new)"
done
FM_BROKER_NO_RELOAD=1 "$here/fm-broker-user.sh" -d "$dir/broker" render
owner=$(secret_get "$S/owner.env" PGPASSWORD)
[ -n "$owner" ] || { owner=$(secret_new); secret_set "$S/owner.env" PGPASSWORD "$owner"; }
secret_set "$S/postgres.env" POSTGRES_PASSWORD "$owner"
# The broker container runs as uid 1883 (eclipse-mosquitto) and must read
# passwd, acl and its key.
chmod 644 "$dir/broker/passwd" "$dir/broker/acl" "$dir/broker/tls/server.key" 2>/dev/null || true
echo "compose-init: $dir ready (passwords in $S)"
