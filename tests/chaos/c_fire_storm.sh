#!/usr/bin/env bash
# c_fire_storm — a telemetry storm (fmsim load at a high rate through
# ingestd and alertd) with fire alarms in it: fire_alarm events on N fire
# panels published one by one during the storm. Every fire alarm's raise
# must reach an alarm-log subscriber within 5 s of its publish (measured:
# publish time taken by the test just before mosquitto_pub, receipt time
# stamped by mosquitto_sub), exactly once, and match alarm_events; every
# acknowledged reading is stored once.
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/alertd_lib.sh"
. "$(dirname "$0")/chaos_lib.sh"
RATE=$(by_scale 3000 4000)
SECS=$(by_scale 12 60)
PANELS=$(by_scale 10 40)
LIMIT_MS=5000
criterion "fmsim load at $RATE msg/s for $SECS s (500 devices, 2 metrics) into ingestd and alertd;" \
	"$PANELS fire alarms published during it; each raise on alarm-log within $LIMIT_MS ms," \
	"exactly once (alarm oracle missing 0, duplicates 0); readings missing 0, duplicates 0"
broker_throughput
chaos_config 500 "$PANELS"
start_ingestd f1
start_alertd f1
alarm_sub storm
load_bg --devices 500 --metrics 2 --seconds "$SECS" --rate "$RATE" --connections 2
sleep 2
: >"$IT_TMP/fire.pub"
for i in $(seq 1 "$PANELS"); do
	p=$(printf 'fp%03d' "$i")
	echo "$p $(now_ms)" >>"$IT_TMP/fire.pub"
	fire "$p" active "$i"
	sleep "$(echo "scale=2; ($SECS - 4) / $PANELS" | bc)"
done
load_wait
floor "messages acknowledged during the storm (1/2 of the offered)" $((RATE * SECS / 2)) "$(acked_of "$IT_TMP/load.out")"
wait_grep "$IT_TMP/storm.log" 15 '"rule":"fire_alarm"' "\"device\":\"$(printf 'fp%03d' "$PANELS")\"" >/dev/null ||
	fail "the last fire alarm never arrived"
lat=$(python3 - "$IT_TMP/fire.pub" "$IT_TMP/storm.log" <<'PY'
import json, sys
pub = dict((l.split()[0], int(l.split()[1])) for l in open(sys.argv[1]))
got = {}
for line in open(sys.argv[2]):
    t, _, p = line.rstrip("\n").split(" ", 2)
    m = json.loads(p)
    if m.get("rule") == "fire_alarm" and m.get("transition") == "raised":
        got.setdefault(m["device"], float(t) * 1000)
lats = sorted(got[d] - pub[d] for d in pub if d in got)
missing = [d for d in pub if d not in got]
print(len(lats), len(missing), int(lats[len(lats) // 2]) if lats else -1, int(lats[-1]) if lats else -1)
PY
)
read -r n_got n_missing p50 max <<<"$lat"
figure "fire alarm publish -> alarm-log receipt: delivered=$n_got missing=$n_missing p50=${p50} ms max=${max} ms"
check "fire alarms never delivered" 0 "$n_missing"
floor "fire alarms delivered" "$PANELS" "$n_got"
[ "$max" -le "$LIMIT_MS" ] || fail "a fire alarm took $max ms (limit $LIMIT_MS)"
ok "every fire alarm within $LIMIT_MS ms (max $max ms)"
raised_per_panel "$PANELS"
alarm_oracle_ok storm fire_alarm
oracle_figures 0
echo "c_fire_storm: all passed"
