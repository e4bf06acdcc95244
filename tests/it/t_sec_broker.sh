#!/usr/bin/env bash
# t_sec_broker — the shipped broker configuration and ACL, with accounts made
# by deploy/fm-broker-user.sh: anonymous and wrong-password connections are
# refused; a device cannot publish as another device (whatever its client
# id), act as a person or read alarms and work orders; a person cannot act
# as another person or as a device, and reads only what their role allows;
# an oversized payload is refused and the broker and ingestd carry on.
# Nothing refused is delivered (a recorder reading everything) or stored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sec_lib.sh"
it_setup_db
account device pump-1
account device pump-2
account person duty-wang duty_engineer demo
account person duty-li duty_engineer demo
account person tech-yang technician demo
account person tech-huang technician demo
start_ingestd s1
R="$IT_TMP/all.log"
record "$R"

echo "-- connections without valid credentials"
out=$(mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -V mqttv5 -q 1 -t fm/v1/demo/dev/pump-1/telemetry \
	-m '{"seq":90,"metrics":{"outlet_pressure_kpa":1}}' -d 2>&1) && fail "anonymous publish succeeded"
[[ $out == *"received CONNACK (135)"* && $out == *"Connection error: Not authorized"* ]] ||
	fail "anonymous: $out"
ok "anonymous: CONNACK reason 135 Not authorized"
out=$(mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -V mqttv5 -q 1 -u pump-1 -P wrong-password \
	-t fm/v1/demo/dev/pump-1/telemetry -m '{"seq":91,"metrics":{"outlet_pressure_kpa":1}}' -d 2>&1) &&
	fail "wrong password: publish succeeded"
[[ $out == *"received CONNACK (135)"* ]] || fail "wrong password: $out"
ok "wrong password: CONNACK reason 135 Not authorized"
out=$(mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -V mqttv311 -q 1 -t fm/v1/demo/dev/pump-1/telemetry \
	-m x 2>&1) && fail "anonymous MQTT 3.1.1 publish succeeded"
[[ $out == *"not authorised"* ]] || fail "anonymous MQTT 3.1.1: $out"
ok "anonymous MQTT 3.1.1: refused ($out)"

echo "-- a device (username pump-1) with the client id of another (pump-2)"
refused "pump-1 as client pump-2 on pump-2's telemetry" pump-1 -i pump-2 \
	-t fm/v1/demo/dev/pump-2/telemetry -m '{"seq":1,"metrics":{"outlet_pressure_kpa":666}}'
refused "pump-1 on pump-2's event" pump-1 -t fm/v1/demo/dev/pump-2/event \
	-m '{"seq":2,"event":"fault","state":"active"}'
refused "pump-1 on pump-2's status (retained)" pump-1 -r -t fm/v1/demo/dev/pump-2/status \
	-m '{"state":"offline","ts":1}'
refused "pump-1 acting as a person named pump-1" pump-1 -t fm/v1/demo/ops/pump-1/ack -m '{}'
refused "pump-1 publishing an alarm" pump-1 -t fm/v1/demo/alarm/a-1 -m '{}'
accepted "pump-1 on its own telemetry (control)" pump-1 -i pump-2 \
	-t fm/v1/demo/dev/pump-1/telemetry -m '{"seq":3,"metrics":{"outlet_pressure_kpa":301.5}}'
wait_sql "select count(*) from readings where device_id = 'pump-1' and seq = 3" 1 20 ||
	{ cat "$IT_TMP"/ingestd-s1.log; sql "select * from quarantine"; fail "pump-1's own reading not stored"; }
ok "pump-1's own reading stored"
check "readings stored for pump-2" 0 "$(sql "select count(*) from readings where device_id = 'pump-2'")"
check "events stored for pump-2" 0 "$(sql "select count(*) from events where device_id = 'pump-2'")"
check "quarantined messages" 0 "$(sql "select count(*) from quarantine")"
check "messages delivered on pump-2's topics" 0 "$(grep -c '^fm/v1/demo/dev/pump-2/' "$R" || true)"
check "messages delivered on fm/v1/demo/ops/pump-1/ack" 0 "$(delivered "$R" fm/v1/demo/ops/pump-1/ack)"
check "messages delivered on fm/v1/demo/alarm/a-1" 0 "$(delivered "$R" fm/v1/demo/alarm/a-1)"

echo "-- what a device and a person may read"
pub fm/v1/demo/alarm/a-7 '{"alarm_id":"a-7","state":"active"}' -r
pub fm/v1/demo/wo/wo-7 '{"wo_id":"wo-7","state":"assigned"}' -r
( sleep 1.5
  pub fm/v1/demo/alarm/a-8 '{"alarm_id":"a-8","state":"active"}'
  pub fm/v1/demo/alarm-log '{"alarm_id":"a-8"}'
  pub fm/v1/demo/wo/wo-8 '{"wo_id":"wo-8"}'
  pub fm/v1/demo/notify/duty-wang '{"n":1}'
  pub fm/v1/demo/dev/pump-2/telemetry '{"seq":4,"metrics":{"outlet_pressure_kpa":300}}' ) &
waits=($!)
sees pump-1 4 "$IT_TMP/pump1.seen" '#' 'fm/v1/+/alarm/#' 'fm/v1/+/wo/#' 'fm/v1/demo/alarm-log' &
waits+=($!)
sees tech-yang 4 "$IT_TMP/tech.seen" 'fm/v1/demo/alarm/#' 'fm/v1/demo/wo/#' 'fm/v1/demo/notify/#' &
waits+=($!)
sees duty-wang 4 "$IT_TMP/duty.seen" 'fm/v1/demo/alarm/#' 'fm/v1/demo/wo/#' 'fm/v1/demo/notify/#' \
	'fm/v1/demo/alarm-log' &
waits+=($!)
wait "${waits[@]}"
echo "  (mosquitto 2.0's acl_file grants every SUBSCRIBE and checks each delivery:" \
	"$(tr '\n' ' ' <"$IT_TMP/pump1.seen.suback"))"
check "messages pump-1 received on #, alarms, alarm-log and work orders" "" "$(cat "$IT_TMP/pump1.seen")"
check "alarms tech-yang (technician) received" 0 "$(grep -c '/alarm/' "$IT_TMP/tech.seen" || true)"
check "work orders tech-yang received (retained and live)" 2 "$(grep -c '/wo/' "$IT_TMP/tech.seen" || true)"
check "duty-wang's notifications tech-yang received" 0 "$(grep -c '/notify/' "$IT_TMP/tech.seen" || true)"
check "alarms duty-wang (duty engineer) received (retained and live)" 2 \
	"$(grep -c '/alarm/' "$IT_TMP/duty.seen" || true)"
check "alarm-log messages duty-wang received" 1 "$(grep -c '/alarm-log ' "$IT_TMP/duty.seen" || true)"
check "work orders duty-wang received" 2 "$(grep -c '/wo/' "$IT_TMP/duty.seen" || true)"
check "duty-wang's own notifications received" 1 "$(grep -c '/notify/duty-wang ' "$IT_TMP/duty.seen" || true)"

echo "-- a person acting as another person or as a device"
refused "duty-wang acknowledging as duty-li" duty-wang -t fm/v1/demo/ops/duty-li/ack \
	-m '{"alarm_id":"a-7"}'
refused "duty-wang shelving as duty-li" duty-wang -t fm/v1/demo/ops/duty-li/shelve -m '{}'
refused "tech-yang acting on a work order as tech-huang" tech-yang -t fm/v1/demo/ops/tech-huang/wo \
	-m '{"wo_id":"wo-7","action":"accept"}'
refused "tech-yang following up as tech-huang" tech-yang -t fm/v1/demo/ops/tech-huang/followup -m '{}'
refused "duty-wang publishing telemetry as a device named duty-wang" duty-wang \
	-t fm/v1/demo/dev/duty-wang/telemetry -m '{"seq":1,"metrics":{"x":1}}'
refused "tech-yang publishing a work order state" tech-yang -t fm/v1/demo/wo/wo-7 -m '{}'
accepted "tech-yang acting on a work order as tech-yang (control)" tech-yang \
	-t fm/v1/demo/ops/tech-yang/wo -m '{"wo_id":"wo-7","action":"accept"}'
accepted "duty-wang acknowledging as duty-wang (control)" duty-wang -t fm/v1/demo/ops/duty-wang/ack \
	-m '{"alarm_id":"a-7"}'
n=50
while [ $n -gt 0 ] && [ "$(delivered "$R" fm/v1/demo/ops/duty-wang/ack)" = 0 ]; do sleep 0.1; n=$((n - 1)); done
check "own commands delivered" "1 1" \
	"$(delivered "$R" fm/v1/demo/ops/tech-yang/wo) $(delivered "$R" fm/v1/demo/ops/duty-wang/ack)"
check "commands delivered as another person" 0 "$(grep -c -E '^fm/v1/demo/ops/(duty-li|tech-huang)/' "$R" || true)"
check "telemetry delivered for duty-wang" 0 "$(grep -c '^fm/v1/demo/dev/duty-wang/' "$R" || true)"
check "messages on wo/wo-7 (the test's retained one only, none from tech-yang)" 1 "$(delivered "$R" fm/v1/demo/wo/wo-7)"

echo "-- a payload past the broker's limit (message_size_limit 262144)"
head -c 300000 /dev/zero | tr '\0' 'x' >"$IT_TMP/big"
as pump-1 -t fm/v1/demo/dev/pump-1/telemetry -f "$IT_TMP/big"
[[ $OUT == *"received PUBACK (Mid: 1, RC:149)"* && $OUT == *"Publish 1 failed: Packet too large"* ]] ||
	fail "the oversized payload was not refused: $OUT"
ok "300,000 bytes: PUBACK reason 149 Packet too large"
accepted "pump-1's next reading" pump-1 -t fm/v1/demo/dev/pump-1/telemetry \
	-m '{"seq":5,"metrics":{"outlet_pressure_kpa":302.5}}'
wait_sql "select count(*) from readings where device_id = 'pump-1' and seq = 5" 1 20 ||
	fail "ingestd stopped storing after the oversized payload"
ok "ingestd stored the next reading"
kill -0 "$INGESTD_PID" || fail "ingestd died"
kill -0 "$(cat "$FM_IT_DIR/broker/mosquitto.pid")" || fail "the broker died"
ok "broker and ingestd running"
check "oversized messages delivered" 0 "$(awk 'length($0) > 262144' "$R" | wc -l)"
check "quarantined messages" 0 "$(sql "select count(*) from quarantine")"
echo "t_sec_broker: all passed"
