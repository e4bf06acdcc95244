#!/usr/bin/env bash
# t_ingest_same_id — a second ingestd started with the same instance (so the
# same MQTT client id) by mistake: the broker hands it the session and
# disconnects the first (Mosquitto 2.0 just closes the socket; brokers
# that send DISCONNECT 0x8e get ingestd's longest back-off at once). Each
# must back off more and more (the back-off starts over only after a
# connection held 30 s), not take the session back at once, over and over
# (each takeover is a round of redeliveries). Paho's publishing connection
# (ingestd-twin-out, common/mqtt.c's keeper) follows the same rule.
. "$(dirname "$0")/lib.sh"
it_setup_db
start_ingestd twin
first=$INGESTD_PID
start_ingestd twin FM_SPOOL_DIR="$IT_TMP/spool2"
log=$IT_TMP/ingestd-twin.log
sleep 8
n=$(grep -c 'event=mqtt_connected .*client_id=ingestd-twin session' "$log" || true)
# each instance's back-off doubles from 200 ms (0.2+0.4+0.8+1.6+3.2 s):
# at most 7 connections each in 8 s; without it, one per 200 ms (80)
[ "$n" -le 14 ] || fail "$n receiver connections in 8 s: the instances take the session in a fast loop"
ok "$n receiver connections of both instances in 8 s (back-off doubling, not a fast loop)"
# the same for the stats publishers (Paho, ingestd-twin-out: common/mqtt.c)
n=$(grep -c 'event=mqtt_connected .*client_id=ingestd-twin-out' "$log" || true)
[ "$n" -le 14 ] || fail "$n publisher connections in 8 s: a fast takeover loop"
ok "$n publisher (-out) connections in 8 s"
kill -0 "$first" || fail "the first instance exited"
echo "t_ingest_same_id: all passed"
