#!/usr/bin/env bash
# t_deploy_install — deploy/install.sh into a staging root (DESTDIR): the
# tree, the units (systemd-analyze verify when present), a second install
# keeping the site's edits; then the installed broker configuration run for
# real with the installed scripts, as README "Operations" does on a host:
# site CA and certificate, a daemon account with its 0600 secret file, a
# TLS connection with that password.
. "$(dirname "$0")/lib.sh"
D="$IT_TMP/root"
DESTDIR=$D deploy/install.sh >"$IT_TMP/install.log" || { cat "$IT_TMP/install.log"; fail "install.sh failed"; }
ok "install.sh into $D"
for f in usr/local/bin/{ingestd,alertd,schedd,dispatchd,fmctl,fmsim}; do
	[ -x "$D/$f" ] || fail "$f not installed"
done
ok "six binaries in /usr/local/bin"
for f in usr/local/share/fm/sql/006_roles.sql usr/local/share/fm/deploy/{fm-broker-user.sh,pki.sh,db-roles.sh,secrets.sh,mosquitto/acl} \
	etc/fm/{fm.yaml,devices.yaml,people.yaml,site.yaml,fm.env,broker/mosquitto.conf,broker/acl.base} \
	etc/systemd/system/{fm@.service,fm.target,mosquitto.service.d/fm.conf,fm@alertd.service.d/priority.conf}; do
	[ -f "$D/$f" ] || fail "$f not installed"
done
ok "migrations, deploy scripts, configuration and units installed"
check "alertd's and the broker's priority (Nice)" "-5 -5" \
	"$(sed -n 's/^Nice=//p' "$D/etc/systemd/system/fm@alertd.service.d/priority.conf" "$D/etc/systemd/system/mosquitto.service.d/fm.conf" | xargs)"
check "schema files" "$(ls schemas/sql/*.sql | wc -l)" "$(ls "$D"/usr/local/share/fm/sql/*.sql | wc -l)"
check "mode of /etc/fm/secrets" 700 "$(stat -c %a "$D/etc/fm/secrets")"
check "secrets written by install.sh" "" "$(ls -A "$D/etc/fm/secrets")"
check "@VARIABLES@ left in installed settings" "" \
	"$(grep -l -E '^[^#].*@[A-Z_]+@' "$D"/etc/fm/broker/mosquitto.conf "$D"/etc/systemd/system/fm* "$D"/etc/systemd/system/*/* || true)"
"$D/usr/local/bin/fmctl" check "$D/etc/fm" >/dev/null || fail "the installed configuration does not check"
ok "fmctl check of the installed /etc/fm"

u="$D/etc/systemd/system/fm@.service"
for line in 'Restart=on-failure' 'User=fm' 'ProtectSystem=strict' 'NoNewPrivileges=yes' 'StateDirectory=fm/%i' \
	'EnvironmentFile=/etc/fm/secrets/%i.env' 'ExecStart=/usr/local/bin/%i -c /etc/fm/fm.yaml'; do
	grep -qx "$line" "$u" || fail "fm@.service lacks $line"
done
ok "fm@.service: restart on failure, user fm, ProtectSystem=strict, NoNewPrivileges, state directory, secrets file"
check "daemons fm.target starts" "fm@ingestd.service fm@alertd.service fm@schedd.service fm@dispatchd.service" \
	"$(sed -n 's/^Wants=//p' "$D/etc/systemd/system/fm.target")"
if command -v systemd-analyze >/dev/null; then
	v="$IT_TMP/verify"
	mkdir -p "$v"
	sed "s|/usr/local/bin/|$D/usr/local/bin/|" "$u" >"$v/fm@.service"
	cp "$D/etc/systemd/system/fm.target" "$v/"
	for d in ingestd alertd schedd dispatchd; do ln -sf fm@.service "$v/fm@$d.service"; done
	out=$(cd "$v" && systemd-analyze verify ./fm@{ingestd,alertd,schedd,dispatchd}.service ./fm.target 2>&1) ||
		fail "systemd-analyze verify: $out"
	check "systemd-analyze verify's complaints" "" "$out"
else
	echo "  (systemd-analyze not installed: units not verified)"
fi

echo "# edited by the site" >>"$D/etc/fm/fm.yaml"
DESTDIR=$D deploy/install.sh >"$IT_TMP/install2.log"
grep -q '^# edited by the site' "$D/etc/fm/fm.yaml" || fail "a second install replaced the site's fm.yaml"
ok "a second install keeps the site's fm.yaml ($(grep -c '^install: kept' "$IT_TMP/install2.log") files kept)"

echo "-- the installed broker configuration, run with the installed scripts"
share="$D/usr/local/share/fm/deploy"
B="$D/etc/fm/broker"
"$share/pki.sh" ca "$B/tls" "install test CA" >/dev/null
"$share/pki.sh" server "$B/tls" localhost >/dev/null
FM_BROKER_DIR=$B FM_BROKER_NO_RELOAD=1 "$share/fm-broker-user.sh" add-daemon fmctl "$D/etc/fm/secrets/fmctl.env" 2>/dev/null
check "mode of the daemon's secret file" 600 "$(stat -c %a "$D/etc/fm/secrets/fmctl.env")"
pass=$(sed -n 's/^FM_MQTT_PASSWORD=//p' "$D/etc/fm/secrets/fmctl.env")
[ -n "$pass" ] || fail "no FM_MQTT_PASSWORD in the secret file"
free_port() { local p; while :; do p=$((20000 + RANDOM % 40000)); ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; done; echo "$p"; }
p1=$(free_port); p2=$(free_port)
mkdir -p "$D/var/lib/fm/broker/data"
sed -e "s|/etc/fm/broker|$B|g" -e "s|/var/lib/fm/broker|$D/var/lib/fm/broker|g" -e "s|^listener 1883 |listener $p1 |" \
	-e "s|^listener 8883 0.0.0.0|listener $p2 127.0.0.1|" "$B/mosquitto.conf" >"$IT_TMP/mosquitto.conf"
# mosquitto drops to its own user: it must reach the staging root.
chmod 755 "$IT_TMP"
[ "$(id -u)" -ne 0 ] || chown -R mosquitto: "$D/var/lib/fm/broker" "$B"
mosquitto -c "$IT_TMP/mosquitto.conf" -d 2>/dev/null
for _ in $(seq 50); do [ -s "$D/var/lib/fm/broker/mosquitto.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$p2") 2>/dev/null && break; sleep 0.1; done
[ -s "$D/var/lib/fm/broker/mosquitto.pid" ] || { cat "$D/var/lib/fm/broker/mosquitto.log" >&2; fail "the broker did not start"; }
IT_PIDS+=("$(cat "$D/var/lib/fm/broker/mosquitto.pid")")
out=$(mosquitto_pub -h localhost -p "$p2" --cafile "$B/tls/ca.crt" -u fmctl -P "$pass" -V mqttv5 -q 1 \
	-t fm/v1/_sys/fmctl/install-test -m x -d 2>&1) || fail "TLS publish as fmctl: $out"
[[ $out == *"received CONNACK (0)"* ]] || fail "fmctl not connected: $out"
ok "fmctl connects over TLS with the password from its secret file"
out=$(mosquitto_pub -h 127.0.0.1 -p "$p1" -V mqttv5 -q 1 -t x -m x 2>&1) && fail "anonymous accepted"
ok "anonymous refused on the installed loopback listener ($out)"
echo "t_deploy_install: all passed"
