#!/usr/bin/env bash
# c_alarm_offline — an alarm-log subscriber with a persistent session
# (MQTT 5, session expiry 1 h, QoS 1) is offline while alertd publishes
# 5,000 alarm transitions (short) or 20,000 (long): telemetry that crosses
# and clears the chaos_probe threshold on 10 devices, 250 (1,000) times
# each, every device at CHAOS_ALARM_RATE messages/s (default 0: as fast as
# mosquitto_pub sends — a burst; alertd once hung here at 100/s, publishing
# from Paho's receive thread, which blocked in MQTTClient_publish once 64
# publishes were in flight and then read no PUBACK: common/mqtt_outbox.c).
# When it reconnects it must receive every transition alertd
# stored in alarm_events, once. Broker: the throughput profile (its subject
# here is the queue of an offline session, not broker crashes, which
# c_broker_kill9 covers with the shipped profile).
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/alertd_lib.sh"
. "$(dirname "$0")/chaos_lib.sh"
CYCLES=$(by_scale 250 1000)
DEVICES=10
WANT=$((DEVICES * CYCLES * 2))
RATE=${CHAOS_ALARM_RATE:-0}
criterion "subscriber offline while alertd makes at least $WANT transitions ($DEVICES devices x" \
	"$CYCLES raise+clear at $RATE msg/s each; flapping adds one per device); after reconnecting it receives every" \
	"transition stored in alarm_events: missing 0, duplicates 0, nothing unstored"
broker_throughput
chaos_config "$DEVICES" 0
start_alertd o1
alarm_sub off
alarm_sub_stop
ok "subscriber chaos-off connected once and went offline (session kept)"
pids=()
for d in $(seq 1 "$DEVICES"); do
	dev=$(printf 'ld%06d' "$d")
	for c in $(seq 1 "$CYCLES"); do
		printf '{"seq":%d,"metrics":{"probe":1}}\n{"seq":%d,"metrics":{"probe":0}}\n' $((2 * c)) $((2 * c + 1))
	done >"$IT_TMP/tel-$dev"
	python3 -c 'import sys, time
r = float(sys.argv[1])
for l in sys.stdin:
    sys.stdout.write(l); sys.stdout.flush()
    if r > 0: time.sleep(1 / r)' "$RATE" <"$IT_TMP/tel-$dev" |
		mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
		-V mqttv5 -q 1 -t "fm/v1/load/dev/$dev/telemetry" -l &
	pids+=("$!")
done
for p in "${pids[@]}"; do wait "$p" || fail "a telemetry publisher failed"; done
ok "$((WANT)) telemetry messages published"
q="select count(*) from alarm_events e join alarms a using (alarm_id) where a.rule_id = 'chaos_probe'"
wait_sql "select ($q) >= $WANT" t "$(by_scale 90 300)" || fail "alertd stored only $(sql "$q") transitions"
floor "alarm transitions alertd stored while the subscriber was offline" "$WANT" "$(sql "$q")"
alarm_sub off
ok "subscriber chaos-off reconnected to its session"
n=$(by_scale 120 600)
while [ $n -gt 0 ]; do
	got=$(grep -c '"rule":"chaos_probe"' "$IT_TMP/off.log" || true)
	[ "$got" -ge "$(sql "$q")" ] && break
	sleep 0.5; n=$((n - 1))
done
alarm_oracle_ok off chaos_probe
floor "transitions delivered after the reconnect" "$WANT" "$AL_DELIVERED"
figure "alarm offline: stored=$AL_STORED delivered=$AL_DELIVERED missing=$AL_MISSING duplicates=$AL_DUPLICATES"
echo "c_alarm_offline: all passed"
