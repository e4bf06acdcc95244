#!/usr/bin/env bash
# install.sh — puts a built tree in place on a Debian 12 host (`make install`):
#   $PREFIX/bin           ingestd alertd schedd dispatchd fmctl fmsim
#   $PREFIX/share/fm/     sql/ (migrations), deploy/ (fm-broker-user.sh,
#                         pki.sh, db-roles.sh and the shipped acl), README.md
#   $SYSCONFDIR/fm/       *.yaml (the community; kept when present), fm.env
#                         (non-secret settings; kept), secrets/ (0700),
#                         broker/ (mosquitto.conf, acl.base; tls/ for pki.sh)
#   $SYSCONFDIR/systemd/system/  fm@.service, fm.target,
#                         mosquitto.service.d/fm.conf,
#                         fm@alertd.service.d/priority.conf (Nice=-5)
#   $STATEDIR/fm/         the daemons' state (systemd makes fm/<daemon>)
# Variables: DESTDIR (staging root, default none), PREFIX (/usr/local),
# SYSCONFDIR (/etc), STATEDIR (/var/lib), FM_BIN (the built binaries,
# default build/bin), MQTT_PORT (1883, loopback), MQTT_TLS_PORT (8883),
# MQTT_TLS_ADDR (0.0.0.0). As root without DESTDIR it also creates the
# system user fm. It never starts anything and never writes a secret.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
SYSCONFDIR=${SYSCONFDIR:-/etc}
STATEDIR=${STATEDIR:-/var/lib}
FM_BIN=${FM_BIN:-$root/build/bin}
DAEMONS=(ingestd alertd schedd dispatchd)
die() { echo "install: $*" >&2; exit 1; }

for b in "${DAEMONS[@]}" fmctl fmsim; do
	[ -x "$FM_BIN/$b" ] || die "$FM_BIN/$b missing: run make bins first"
done

bindir=$PREFIX/bin
share=$PREFIX/share/fm
etc=$SYSCONFDIR/fm
units=$SYSCONFDIR/systemd/system
D=$DESTDIR

# subst FILE: the @VARIABLES@ of the shipped templates.
subst() {
	sed -e "s|@BINDIR@|$bindir|g" -e "s|@SYSCONFDIR@|$SYSCONFDIR|g" -e "s|@STATEDIR@|$STATEDIR|g" \
		-e "s|@DOCDIR@|$share|g" -e "s|@PORT@|${MQTT_PORT:-1883}|g" \
		-e "s|@TLS_PORT@|${MQTT_TLS_PORT:-8883}|g" -e "s|@TLS_ADDR@|${MQTT_TLS_ADDR:-0.0.0.0}|g" \
		-e "s|@DIR@|$etc/broker|g" -e "s|@STATE@|$STATEDIR/fm/broker|g" "$1"
}

# keep SRC DST MODE: installs SRC unless DST exists (the site's own copy).
keep() {
	if [ -e "$2" ]; then echo "install: kept $2"; else install -m "$3" "$1" "$2"; fi
}

install -d "$D$bindir" "$D$share/sql" "$D$share/deploy/mosquitto" "$D$etc/broker/tls" \
	"$D$units/mosquitto.service.d" "$D$units/fm@alertd.service.d" "$D$STATEDIR/fm"
install -d -m 700 "$D$etc/secrets"
for b in "${DAEMONS[@]}" fmctl fmsim; do install -m 755 "$FM_BIN/$b" "$D$bindir/$b"; done
install -m 644 "$root"/schemas/sql/*.sql "$D$share/sql/"
install -m 755 "$root"/deploy/{fm-broker-user.sh,pki.sh,db-roles.sh} "$D$share/deploy/"
install -m 644 "$root/deploy/secrets.sh" "$D$share/deploy/"
install -m 644 "$root/deploy/mosquitto/acl" "$D$share/deploy/mosquitto/acl"
install -m 644 "$root/README.md" "$D$share/README.md"

for f in "$root"/config/*.yaml; do keep "$f" "$D$etc/$(basename "$f")" 644; done
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cat >"$tmp" <<EOF
# fm.env — settings every daemon and fmctl share (no secrets: those are in
# secrets/<daemon>.env). Operators: set -a; . $etc/fm.env; set +a
FM_MQTT_URL=tcp://127.0.0.1:${MQTT_PORT:-1883}
FM_DB_CONNINFO="host=127.0.0.1 dbname=fm"
FM_SCHEMA_DIR=$share/sql
EOF
keep "$tmp" "$D$etc/fm.env" 644

# The broker: the configuration is always the shipped one (re-rendered); the
# accounts (passwd, acl.users) and certificates are the site's and are kept.
subst "$root/deploy/mosquitto/mosquitto.conf.in" >"$tmp"
install -m 644 "$tmp" "$D$etc/broker/mosquitto.conf"
install -m 644 "$root/deploy/mosquitto/acl" "$D$etc/broker/acl.base"

for u in fm@.service fm.target; do
	subst "$root/deploy/systemd/$u" >"$tmp"
	install -m 644 "$tmp" "$D$units/$u"
done
subst "$root/deploy/systemd/mosquitto.service.d/fm.conf" >"$tmp"
install -m 644 "$tmp" "$D$units/mosquitto.service.d/fm.conf"
install -m 644 "$root/deploy/systemd/fm@alertd.service.d/priority.conf" "$D$units/fm@alertd.service.d/priority.conf"

if [ -z "$D" ] && [ "$(id -u)" -eq 0 ]; then
	id fm >/dev/null 2>&1 || useradd --system --home-dir "$STATEDIR/fm" --shell /usr/sbin/nologin fm
	if id mosquitto >/dev/null 2>&1; then
		chgrp -R mosquitto "$etc/broker" && chmod 750 "$etc/broker"
	fi
	command -v systemctl >/dev/null && systemctl daemon-reload || true
fi

cat <<EOF
install: done under ${D:-/}. Then, once per site (README "Operations"):
  $share/deploy/pki.sh ca $etc/broker/tls "SITE CA"
  $share/deploy/pki.sh server $etc/broker/tls BROKER-HOSTNAME
  for d in ${DAEMONS[*]} fmctl; do
    FM_BROKER_DIR=$etc/broker $share/deploy/fm-broker-user.sh add-daemon \$d $etc/secrets/\$d.env
  done
  (set -a; . $etc/fm.env; $bindir/fmctl migrate && $bindir/fmctl -c $etc/fm.yaml apply $etc/)
  (set -a; . $etc/fm.env; $share/deploy/db-roles.sh $etc/secrets)
  chown -R root:root $etc/secrets && chmod 600 $etc/secrets/*.env
  systemctl restart mosquitto && systemctl enable --now fm.target
EOF
