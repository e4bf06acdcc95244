#!/usr/bin/env bash
# t_fmsim_oracle.sh — the load generator's oracle, on its own (no ingestd):
# `fmsim load --register` gives a registry fmctl applies; `fmsim load`
# publishes 2,000 messages of 3 metrics that mosquitto_sub captures; the
# capture is written into readings with psql, standing in for ingestd. Then
# `fmsim check` must find nothing missing or duplicated, and exactly what the
# test removes (whole messages, one metric of a message), duplicates (a row
# again with another ts), adds (a stored but unacknowledged seq) or corrupts
# (the oracle file). --wait sees rows that arrive late. A broker account that
# may not publish gets every publish refused and nothing acknowledged.
# Needs FM_MQTT_URL, FM_MQTT_USERNAME/PASSWORD (may publish anywhere),
# FM_DB_CONNINFO / PG* and FM_BIN: tests/it/run.sh exports them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bin=${FM_BIN:-build/bin}
work=$(mktemp -d /tmp/t_fmsim_oracle.XXXXXX)
sub_pid=
cleanup() {
	if [ -n "$sub_pid" ]; then kill "$sub_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
sql() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
# Runs fmsim check; sets out and rc.
check() {
	set +e
	out=$("$bin/fmsim" check --oracle "$work/oracle" "$@" 2>&1)
	rc=$?
	set -e
}
expect_check() { # rc line-fragment...
	local want_rc=$1; shift
	[ "$rc" -eq "$want_rc" ] || fail "check exit $rc, want $want_rc: $out"
	for frag in "$@"; do
		[[ $out == *"$frag"* ]] || fail "check printed '$out', want '$frag'"
	done
}

devices=50 metrics=3 count=2000
hostport=${FM_MQTT_URL#tcp://}
host=${hostport%:*} port=${hostport##*:}
topic="fm/v1/load/dev/+/telemetry"

[ -x "$bin/fmsim" ] || fail "no $bin/fmsim"
"$bin/fmctl" migrate >/dev/null || fail "fmctl migrate"

# ---- usage ---------------------------------------------------------------------
set +e
"$bin/fmsim" >/dev/null 2>&1; r1=$?
"$bin/fmsim" load --devices 5 >/dev/null 2>&1; r2=$?
"$bin/fmsim" load --devices 0 --count 5 >/dev/null 2>&1; r3=$?
"$bin/fmsim" check >/dev/null 2>&1; r4=$?
"$bin/fmsim" -n >/dev/null 2>&1; r5=$?
set -e
[ "$r1 $r2 $r3 $r4 $r5" = "2 2 2 2 0" ] || fail "usage exits: $r1 $r2 $r3 $r4 $r5, want 2 2 2 2 0"
ok "usage errors exit 2, -n exits 0"

# ---- register the devices ------------------------------------------------------
out=$("$bin/fmsim" load --devices $devices --register "$work/reg")
[[ $out == *"next: fmctl apply $work/reg"* ]] || fail "register printed: $out"
"$bin/fmctl" apply "$work/reg" >"$work/apply.out" || fail "fmctl apply: $(cat "$work/apply.out")"
n=$(sql "SELECT count(*) FROM devices WHERE site_id = 'load' AND device_id LIKE 'ld______'")
[ "$n" -eq $devices ] || fail "$n load devices registered, want $devices"
ok "fmsim load --register + fmctl apply: $n devices of site load"

# ---- publish and capture -------------------------------------------------------
# A persistent session made before the first publish, so the capture misses
# nothing however late mosquitto_sub gets going.
sub=(mosquitto_sub -h "$host" -p "$port" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD"
	-i "t-fmsim-oracle-$$" -c -q 1 -t "$topic")
"${sub[@]}" -E || fail "mosquitto_sub could not subscribe"
"${sub[@]}" -v -C $count -W 60 >"$work/captured" &
sub_pid=$!
start=$(date +%s%N)
"$bin/fmsim" load --devices $devices --metrics $metrics --count $count --connections 4 \
	--oracle "$work/oracle" >"$work/load.out" 2>"$work/load.err" ||
	fail "fmsim load: $(cat "$work/load.out" "$work/load.err")"
grep -q "^fmsim load: sent=$count acked=$count failed=0 " "$work/load.out" ||
	fail "load summary: $(cat "$work/load.out")"
wait "$sub_pid" || fail "mosquitto_sub ended with $? after $(wc -l <"$work/captured") messages"
sub_pid=
ok "$(head -1 "$work/load.out") ($(( ($(date +%s%N) - start) / 1000000 )) ms)"
ok "$(sed -n 2p "$work/load.out")"
[ "$(wc -l <"$work/captured")" -eq $count ] || fail "captured $(wc -l <"$work/captured")"
head -1 "$work/oracle" | grep -q "^fmsim-oracle 1 site=load prefix=ld devices=$devices metrics=$metrics .* acked=$count$" ||
	fail "oracle header: $(head -1 "$work/oracle")"
[ "$(wc -l <"$work/oracle")" -eq $((devices + 1)) ] || fail "oracle lines: $(wc -l <"$work/oracle")"

# ---- stand in for ingestd: the capture into readings ---------------------------
# "fm/v1/load/dev/ld000001/telemetry {"seq":1,"ts":...,"metrics":{"m00":1.5,...}}"
# becomes one tab-separated row per metric: ts_ms, device, metric, value, seq.
awk '{
	split($1, t, "/"); dev = t[5]; p = $2
	match(p, /"seq":[0-9]+/); seq = substr(p, RSTART + 6, RLENGTH - 6)
	match(p, /"ts":[0-9]+/); ts = substr(p, RSTART + 5, RLENGTH - 5)
	match(p, /"metrics":\{[^}]*\}/); m = substr(p, RSTART + 11, RLENGTH - 12)
	n = split(m, kv, ",")
	for (i = 1; i <= n; i++) {
		split(kv[i], f, ":"); gsub(/"/, "", f[1])
		printf "%s\t%s\t%s\t%s\t%s\n", ts, dev, f[1], f[2], seq
	}
}' "$work/captured" >"$work/rows.tsv"
[ "$(wc -l <"$work/rows.tsv")" -eq $((count * metrics)) ] || fail "rows: $(wc -l <"$work/rows.tsv")"
psql -XAtq -v ON_ERROR_STOP=1 >/dev/null <<EOF || fail "loading the capture"
CREATE TABLE t_capture (ts_ms bigint, device_id text, metric text, value double precision, seq bigint);
\copy t_capture FROM '$work/rows.tsv'
INSERT INTO readings (ts, device_id, metric, value, seq)
SELECT timestamptz 'epoch' + ts_ms * interval '1 millisecond', device_id, metric, value, seq
  FROM t_capture;
EOF
ok "captured $count messages stored as $(sql "SELECT count(*) FROM readings") readings"

# ---- check -------------------------------------------------------------------------
check
expect_check 0 "fmsim check: acked=$count stored=$count missing=0 duplicates=0 unacked_stored=0"
ok "$out"

# Whole messages gone (5 of ld000003, 2 of ld000010) and one metric of another.
sql "DELETE FROM readings WHERE (device_id = 'ld000003' AND seq BETWEEN 1 AND 5)
	OR (device_id = 'ld000010' AND seq IN (7, 8))
	OR (device_id = 'ld000020' AND seq = 3 AND metric = 'm01')"
check
expect_check 1 "acked=$count stored=$((count - 8)) missing=8 duplicates=0" "partial=1"
ok "rows removed: $out (exit 1)"

# The same reading again with another ts: what a receipt-time ts would cause.
sql "INSERT INTO readings (ts, device_id, metric, value, seq)
	SELECT ts + interval '1 millisecond', device_id, metric, value, seq FROM readings
	 WHERE device_id = 'ld000030' AND seq = 10 AND metric = 'm00'"
check
expect_check 1 "missing=8 duplicates=1"
ok "a duplicate row: $out"

# Put the removed rows back, drop the duplicate: clean again.
sql "INSERT INTO readings (ts, device_id, metric, value, seq)
	SELECT timestamptz 'epoch' + ts_ms * interval '1 millisecond', device_id, metric, value, seq
	  FROM t_capture c
	 WHERE NOT EXISTS (SELECT 1 FROM readings r WHERE r.device_id = c.device_id
			   AND r.seq = c.seq AND r.metric = c.metric)"
sql "DELETE FROM readings WHERE device_id = 'ld000030' AND seq = 10 AND metric = 'm00'
	AND ts = (SELECT max(ts) FROM readings WHERE device_id = 'ld000030' AND seq = 10
		  AND metric = 'm00')"
check
expect_check 0 "stored=$count missing=0 duplicates=0"

# Stored but never acknowledged (a device's at-least-once): reported, not a failure.
sql "INSERT INTO readings (ts, device_id, metric, value, seq)
	SELECT ts, device_id, metric, value, 100000 FROM readings
	 WHERE device_id = 'ld000001' AND seq = 1"
check
expect_check 0 "missing=0 duplicates=0 unacked_stored=1"
ok "stored but unacknowledged: $out (exit 0)"

# ---- --wait: rows that arrive while check polls ----------------------------------
sql "DELETE FROM readings WHERE device_id = 'ld000042' AND seq BETWEEN 20 AND 24"
"$bin/fmsim" check --oracle "$work/oracle" --wait 30 >"$work/wait.out" 2>&1 &
wait_pid=$!
sleep 2
kill -0 "$wait_pid" 2>/dev/null || fail "check --wait did not wait: $(cat "$work/wait.out")"
sql "INSERT INTO readings (ts, device_id, metric, value, seq)
	SELECT timestamptz 'epoch' + ts_ms * interval '1 millisecond', device_id, metric, value, seq
	  FROM t_capture WHERE device_id = 'ld000042' AND seq BETWEEN 20 AND 24"
wait "$wait_pid" || fail "check --wait: exit $?: $(cat "$work/wait.out")"
grep -q "missing=0 duplicates=0" "$work/wait.out" || fail "check --wait: $(cat "$work/wait.out")"
ok "check --wait saw 5 late messages arrive: $(cat "$work/wait.out")"
sql "DELETE FROM readings WHERE device_id = 'ld000042' AND seq = 20"
set +e
"$bin/fmsim" check --oracle "$work/oracle" --wait 1 >"$work/wait.out" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] && grep -q "missing=1 " "$work/wait.out" ||
	fail "check --wait 1 with a message missing: exit $rc: $(cat "$work/wait.out")"
ok "check --wait gives up after its time: $(cat "$work/wait.out")"

# ---- a bad oracle file is refused by name ------------------------------------------
cp "$work/oracle" "$work/oracle.good"
sed -i '1s/^fmsim-oracle/fmsim-oracel/' "$work/oracle"
check
expect_check 2 "$work/oracle:1: not_an_oracle"
sed '$d' "$work/oracle.good" >"$work/oracle"
check
expect_check 2 "device_count_mismatch"
sed '2s/ 1-/ 0-/' "$work/oracle.good" >"$work/oracle"
check
expect_check 2 "acked_count_mismatch"
ok "bad oracle files: not_an_oracle, device_count_mismatch, acked_count_mismatch (exit 2)"

# ---- an account that may not publish: refused, nothing acknowledged ---------------
set +e
FM_MQTT_USERNAME=fmctl FM_MQTT_PASSWORD=${FM_MQTT_PASS_fmctl:?} \
	"$bin/fmsim" load --devices 2 --count 6 --connections 1 --retry off \
	--prefix ldx --oracle "$work/refused" >"$work/refused.out" 2>"$work/refused.err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "refused load: exit $rc: $(cat "$work/refused.out" "$work/refused.err")"
grep -q "^fmsim load: sent=6 acked=0 failed=6 " "$work/refused.out" &&
	grep -q "refused=6 " "$work/refused.out" ||
	fail "refused load: $(cat "$work/refused.out")"
grep -q "^fmsim-oracle 1 .* acked=0$" "$work/refused" || fail "refused oracle: $(head -1 "$work/refused")"
ok "publishes the broker refuses are not acknowledged: $(head -1 "$work/refused.out")"
