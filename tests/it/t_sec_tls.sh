#!/usr/bin/env bash
# t_sec_tls — the TLS listener of the shipped configuration, with the site CA
# and server certificate of deploy/pki.sh: ingestd connects over ssl:// with
# the CA (FM_MQTT_CA_FILE) and stores what a device publishes over TLS; a
# client without the site's CA, with another CA, or speaking plain MQTT to
# the TLS port is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sec_lib.sh"
it_setup_db
account device pump-3
[ -f "$FM_CA_FILE" ] || fail "no site CA at $FM_CA_FILE"
start_ingestd tls FM_MQTT_URL="ssl://localhost:$BROKER_TLS_PORT" FM_MQTT_CA_FILE="$FM_CA_FILE"
grep -q "event=mqtt_connected url=ssl://localhost:$BROKER_TLS_PORT" "$IT_TMP/ingestd-tls.log" ||
	fail "ingestd did not connect over TLS"
ok "ingestd connected to ssl://localhost:$BROKER_TLS_PORT with the site CA"

# tls_pub DESCRIPTION [mosquitto_pub options]: pump-3's reading N over TLS.
tls_pub() {
	RC=0
	OUT=$(mosquitto_pub -h localhost -p "$BROKER_TLS_PORT" -u pump-3 -P "$(pass_of pump-3)" -V mqttv5 \
		-q 1 -d -t fm/v1/demo/dev/pump-3/telemetry "$@" 2>&1) || RC=$?
}

tls_pub --cafile "$FM_CA_FILE" -m '{"seq":1,"metrics":{"outlet_pressure_kpa":310.5}}'
[ $RC -eq 0 ] && [[ $OUT == *"received PUBACK (Mid: 1, RC:0)"* ]] || fail "TLS with the site CA: $OUT"
ok "a device with the site CA: connected, PUBACK reason 0"
wait_sql "select count(*) from readings where device_id = 'pump-3' and seq = 1" 1 20 ||
	fail "the reading sent over TLS was not stored"
ok "its reading stored by ingestd (itself on TLS)"

tls_pub --capath /etc/ssl/certs -m '{"seq":2,"metrics":{"outlet_pressure_kpa":311.5}}'
[ $RC -ne 0 ] && [[ $OUT == *"TLS error"* ]] || fail "TLS without the site CA was not refused: $OUT"
ok "a client trusting only the system CAs: refused ($(echo "$OUT" | grep -m1 Error))"

deploy/pki.sh ca "$IT_TMP/other-ca" "another CA" >/dev/null
tls_pub --cafile "$IT_TMP/other-ca/ca.crt" -m '{"seq":3,"metrics":{"outlet_pressure_kpa":312.5}}'
[ $RC -ne 0 ] && [[ $OUT == *"TLS error"* ]] || fail "TLS with another CA was not refused: $OUT"
ok "a client trusting another CA: refused"

RC=0
OUT=$(mosquitto_pub -h 127.0.0.1 -p "$BROKER_TLS_PORT" -u pump-3 -P "$(pass_of pump-3)" -V mqttv5 -q 1 \
	-t fm/v1/demo/dev/pump-3/telemetry -m '{"seq":4,"metrics":{"outlet_pressure_kpa":313.5}}' 2>&1) || RC=$?
[ $RC -ne 0 ] || fail "plain MQTT on the TLS port was accepted"
ok "plain MQTT on the TLS port: refused ($OUT)"
grep -q 'unknown ca' "$FM_IT_DIR/broker/mosquitto.log" || fail "the broker did not log the unknown CA"
ok "the broker logged the refusals (tlsv1 alert unknown ca)"

sleep 1
check "readings stored from the refused clients" 0 \
	"$(sql "select count(*) from readings where device_id = 'pump-3' and seq > 1")"
kill -0 "$INGESTD_PID" || fail "ingestd died"
echo "t_sec_tls: all passed"
