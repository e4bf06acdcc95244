# chaos_lib.sh — helpers of the chaos suite (sourced by tests/chaos/c_*.sh
# after tests/it/lib.sh and alertd_lib.sh): the scale of a run, the stated
# criterion, progress floors and figures every test prints, the community
# the tests load (simulated meters and fire panels at site "load", a
# threshold rule the tests cross at will), and the alarm oracle: a
# persistent-session subscriber of alarm-log compared with alarm_events.

# CHAOS_SCALE=short (CI: the suite within minutes) or long (make soak).
CHAOS_SCALE=${CHAOS_SCALE:-short}
case $CHAOS_SCALE in
short | long) ;;
*) echo "CHAOS_SCALE must be short or long, not '$CHAOS_SCALE'" >&2; exit 2 ;;
esac
CHAOS_CLEANUP=()

# CHAOS_KEEP=DIR: each test's directory (logs, oracle, captures) is copied
# to DIR/<test> at its end, for a look after the harness removed its own.
chaos_cleanup() {
	it_cleanup
	if [ -n "${CHAOS_KEEP:-}" ]; then
		mkdir -p "$CHAOS_KEEP" && rm -rf "${CHAOS_KEEP:?}/$IT_NAME" && cp -r "$IT_TMP" "$CHAOS_KEEP/$IT_NAME" &&
			cp "$FM_IT_DIR/broker/mosquitto.log" "$FM_IT_DIR/pg.log" "$CHAOS_KEEP/$IT_NAME/" 2>/dev/null
	fi
	local c
	for c in "${CHAOS_CLEANUP[@]:-}"; do [ -n "$c" ] && eval "$c" >/dev/null 2>&1 || true; done
}
trap chaos_cleanup EXIT

# by_scale SHORT LONG: the value for this run's scale.
by_scale() { if [ "$CHAOS_SCALE" = long ]; then echo "$2"; else echo "$1"; fi; }

# ok with the seconds since the test started, to see where its time goes
ok() { echo "  ok [${SECONDS}s]: $*"; }

criterion() { echo "  criterion ($CHAOS_SCALE): $*"; }
figure() { echo "  figure: $*"; }

# floor DESCRIPTION MIN ACTUAL: the minimum progress without which the
# test proves nothing (an idle system must not pass).
floor() {
	[ -n "$3" ] && [ "$3" -ge "$2" ] || fail "progress floor: $1: ${3:-none} < $2"
	echo "  floor: $1: $3 >= $2"
}

# skip REASON: counted as skipped by the harness, never as passed.
skip() { echo "  SKIP: $*"; exit 77; }

# now_ms: the wall clock in milliseconds.
now_ms() { date +%s%3N; }

# chaos_config DEVICES PANELS: the demo community plus the rule chaos_probe
# (meter_power, metric "probe" above 0.5 raises, at or under it clears, no
# delay), DEVICES meters ld000001.. and PANELS fire panels fp001.. at site
# "load"; migrated and applied. CHAOS_CONF is the directory (with fm.yaml).
chaos_config() {
	CHAOS_CONF="$IT_TMP/conf"
	mkdir -p "$CHAOS_CONF"
	cp config/*.yaml "$CHAOS_CONF/"
	# CHAOS_INGESTD: the instance the demo's ingestd-demo device stands for
	# (alertd alarms on that ingestd's spool through it)
	sed -i "s/^  - id: ingestd-demo\$/  - id: ingestd-${CHAOS_INGESTD:-demo}/" "$CHAOS_CONF/devices.yaml"
	# CHAOS_PLANS: a maintenance.yaml in place of the demo's (whose plans
	# would all fall due at once in a fresh database)
	[ -z "${CHAOS_PLANS:-}" ] || printf '%s\n' "$CHAOS_PLANS" >"$CHAOS_CONF/maintenance.yaml"
	tests/it/probe_rule.sh "$CHAOS_CONF/rules.yaml" chaos_probe
	"$FM_BIN/fmctl" check "$CHAOS_CONF" >/dev/null || fail "chaos rules do not check"
	"$FM_BIN/fmctl" migrate >/dev/null
	"$FM_BIN/fmctl" apply "$CHAOS_CONF" >/dev/null
	mkdir -p "$IT_TMP/load-config"
	"$FM_BIN/fmsim" load --devices "$1" --register "$IT_TMP/load-config" >/dev/null
	local i
	for i in $(seq 1 "$2"); do
		printf '  - {id: fp%03d, type: fire_panel, name: chaos fire panel %d}\n' "$i" "$i"
	done >>"$IT_TMP/load-config/devices.yaml"
	"$FM_BIN/fmctl" apply "$IT_TMP/load-config" >/dev/null || fail "load registry not applied"
}

# load_bg ARGS...: fmsim load in the background (oracle $IT_TMP/oracle,
# summary in $IT_TMP/load.out); sets LOAD.
load_bg() {
	load "$@" >"$IT_TMP/load.out" 2>&1 &
	LOAD=$!
	IT_PIDS+=("$LOAD")
}

# load_wait: waits for the background load; fails when it did.
load_wait() {
	wait "$LOAD" || fail "load failed: $(tail -3 "$IT_TMP/load.out")"
	sed 's/^/  /' "$IT_TMP/load.out" | tail -3
}

# oracle_figures [MAX_MISSING]: fmsim check over the load's oracle; prints
# its figures; duplicates must be 0 and missing at most MAX_MISSING (0).
# Sets MISSING and ACKED.
oracle_figures() {
	local out max=${1:-0}
	# When a loss is allowed, the message that will never come should not
	# cost the whole wait (--settle); otherwise wait it all, through any
	# reconnect back-off (db.reconnect_max is 30 s).
	local settle=()
	[ "$max" -gt 0 ] && settle=(--settle 45)
	out=$("$FM_BIN/fmsim" check --oracle "$IT_TMP/oracle" --wait "$(by_scale 90 300)" "${settle[@]}" || true)
	echo "  readings oracle: $out"
	MISSING=$(echo "$out" | grep -o ' missing=[0-9]*' | cut -d= -f2)
	ACKED=$(echo "$out" | grep -o 'acked=[0-9]*' | head -1 | cut -d= -f2)
	[ -n "$MISSING" ] || fail "fmsim check gave no figures"
	echo "$out" | grep -q ' duplicates=0 ' || fail "duplicate readings"
	[ "$MISSING" -le "$max" ] || fail "$MISSING acknowledged messages missing (allowed: $max)"
	ok "acknowledged messages missing: $MISSING (allowed $max), duplicates 0"
}

# stored_since MS: readings of the load whose publish time is MS or later.
stored_since() { sql "select count(*) from readings where ts >= to_timestamp($1 / 1000.0)"; }

# daemon_stat LOG NAME: the last value of NAME in the daemon's stats line
# (send SIGUSR1 first for a fresh one).
daemon_stat() {
	grep 'event=stats' "$1" | tail -1 | grep -o " $2=[0-9]*" | cut -d= -f2
}

# ---- alarms ---------------------------------------------------------------
# alarm_sub NAME: a persistent-session subscriber (client id chaos-NAME,
# session kept an hour) of fm/v1/load/alarm-log, appending "recv_time topic
# payload" lines to $IT_TMP/NAME.log; sets SUB_PID. Run it again to
# reconnect to the same session.
alarm_sub() {
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u "$FM_MQTT_USERNAME" -P "$FM_MQTT_PASSWORD" \
		-V mqttv5 -c -x 3600 -i "chaos-$1" -q 1 -F '%U %t %p' \
		-t 'fm/v1/load/alarm-log' >>"$IT_TMP/$1.log" 2>>"$IT_TMP/$1.err" &
	SUB_PID=$!
	IT_PIDS+=("$SUB_PID")
	sleep 0.3
	kill -0 "$SUB_PID" 2>/dev/null || fail "alarm subscriber $1 did not start: $(cat "$IT_TMP/$1.err")"
}

# alarm_sub_stop: the subscriber disconnects cleanly; its session stays.
alarm_sub_stop() { kill "$SUB_PID" 2>/dev/null; wait "$SUB_PID" 2>/dev/null || true; }

# fire PANEL STATE SEQ: a fire_alarm event of panel PANEL at site load.
fire() {
	pub "fm/v1/load/dev/$1/event" \
		"{\"seq\":$3,\"ts\":$(now_ms),\"event\":\"fire_alarm\",\"state\":\"$2\"}"
}

# alarm_oracle NAME [RULE]: the transitions alertd stored in alarm_events
# for site load (of RULE, or all) against the alarm-log entries the
# subscriber NAME received, by (alarm_id, transition, ts). Prints the
# figures and sets AL_STORED AL_DELIVERED AL_MISSING AL_DUPLICATES
# AL_UNSTORED. Waits up to 60 s for the store to settle first.
alarm_oracle() {
	local name=$1 rule=${2:-} where="a.site_id = 'load'" out prev=-1 cur n=600
	[ -n "$rule" ] && where="$where and a.rule_id = '$rule'"
	# alertd's writer may lag its publishes: wait until alarm_events stops growing
	while [ $n -gt 0 ]; do
		cur=$(sql "select count(*) from alarm_events e join alarms a using (alarm_id) where $where")
		[ "$cur" = "$prev" ] && break
		prev=$cur; sleep 1; n=$((n - 10))
	done
	sql "select e.alarm_id, e.transition, (extract(epoch from e.ts) * 1000)::bigint
		from alarm_events e join alarms a using (alarm_id) where $where" >"$IT_TMP/$name.stored"
	out=$(python3 - "$IT_TMP/$name.stored" "$IT_TMP/$name.log" "$rule" <<-'PY'
	import collections, json, sys
	stored = collections.Counter()
	for line in open(sys.argv[1]):
	    a, t, ts = line.rstrip("\n").split("|")
	    stored[(a, t, int(ts))] += 1
	got = collections.Counter()
	for line in open(sys.argv[2]):
	    parts = line.rstrip("\n").split(" ", 2)
	    if len(parts) < 3 or not parts[2].startswith("{"):
	        continue
	    m = json.loads(parts[2])
	    if sys.argv[3] and m.get("rule") != sys.argv[3]:
	        continue
	    got[(m["alarm_id"], m["transition"], int(m["ts"]))] += 1
	missing = sum(max(0, n - got[k]) for k, n in stored.items())
	dups = sum(max(0, n - max(stored[k], 1)) for k, n in got.items())
	unstored = sum(max(0, n - stored[k]) for k, n in got.items() if stored[k] == 0)
	print(sum(stored.values()), sum(got.values()), missing, dups, unstored)
	PY
	) || fail "alarm oracle failed"
	read -r AL_STORED AL_DELIVERED AL_MISSING AL_DUPLICATES AL_UNSTORED <<<"$out"
	echo "  alarm oracle${rule:+ ($rule)}: stored=$AL_STORED delivered=$AL_DELIVERED" \
		"missing=$AL_MISSING duplicates=$AL_DUPLICATES unstored=$AL_UNSTORED"
}

# alarm_oracle_ok NAME [RULE]: the alarm oracle with missing, duplicates and
# unstored all 0.
alarm_oracle_ok() {
	alarm_oracle "$@"
	[ "$AL_MISSING" -eq 0 ] || fail "$AL_MISSING alarm transitions stored but never delivered"
	[ "$AL_UNSTORED" -eq 0 ] || fail "$AL_UNSTORED alarm transitions delivered but never stored"
	[ "$AL_DUPLICATES" -eq 0 ] || fail "$AL_DUPLICATES alarm transitions delivered twice"
	ok "every stored alarm transition delivered once, every delivered one stored"
}

# raised_per_panel N: fails unless each of fp001..fpN has exactly one
# fire_alarm "raised" in alarm_events.
raised_per_panel() {
	local got
	got=$(sql "select count(*) from (select a.device_id from alarm_events e join alarms a using (alarm_id)
		where a.site_id = 'load' and a.rule_id = 'fire_alarm' and e.transition = 'raised'
		group by a.device_id having count(*) = 1) x")
	check "fire panels raised exactly once (alarm_events)" "$1" "$got"
}

# ---- the broker -----------------------------------------------------------
# broker_fault_test kill|restart: the body of c_broker_kill9 and
# c_broker_restart. The broker runs the shipped (durable) configuration;
# fmsim load publishes into ingestd; the broker is killed with -9 (or
# stopped with SIGTERM) under that load and started 2 s later, once (short)
# or three times (long). Every publish the broker acknowledged must be
# stored exactly once; ingestd must make progress after each restart.
broker_fault_test() {
	local mode=$1 faults rate secs i t_restart before after
	faults=$(by_scale 1 3)
	# the durable profile writes a snapshot per change: ~150-300 msg/s here
	rate=$(by_scale 150 200)
	secs=$(by_scale 12 60)
	criterion "fmsim load at $rate msg/s for $secs s (100 devices, 2 metrics) into ingestd" \
		"through the broker with the SHIPPED configuration; the broker" \
		"$([ "$mode" = kill ] && echo "killed with -9" || echo "stopped gracefully (SIGTERM)")" \
		"$faults time(s) under load, restarted 2 s later; every acknowledged publish stored:" \
		"missing 0, duplicates 0"
	grep -q '^autosave_on_changes true$' "$FM_IT_DIR/broker/mosquitto.conf" ||
		fail "the broker does not run the shipped (durable) configuration"
	ok "broker runs the shipped configuration (autosave_on_changes true, autosave_interval 1)"
	chaos_config 100 0
	start_ingestd b1
	load_bg --devices 100 --metrics 2 --seconds "$secs" --rate "$rate" --connections 2 \
		--ack-timeout 60
	for i in $(seq 1 "$faults"); do
		before=$(sql "select count(*) from readings")
		wait_sql "select count(*) >= $before + $((rate * 2)) from readings" t 30 ||
			fail "no progress before fault $i"
		if [ "$mode" = kill ]; then
			tests/it/servers.sh kill-broker
		else
			tests/it/servers.sh stop-broker
		fi
		ok "fault $i: broker $mode with $(sql "select count(*) from readings") readings stored"
		sleep 2
		tests/it/servers.sh start-broker
		t_restart=$(now_ms)
		ok "fault $i: broker started"
		after=$((rate * 2)) # 1 s of load, 2 readings a message
		wait_sql "select count(*) >= $after from readings where ts >= to_timestamp($t_restart / 1000.0)" \
			t 45 || true
		floor "readings published after restart $i and stored" "$after" "$(stored_since "$t_restart")"
	done
	load_wait
	floor "messages acknowledged by the broker over the run (a third of the offered load: the outage and the reconnect back-off take the rest)" $((rate * secs / 3)) "$(acked_of "$IT_TMP/load.out")"
	oracle_figures 0
	kill -0 "$INGESTD_PID" || fail "ingestd died"
	figure "broker faults=$faults mode=$mode acked=$ACKED missing=$MISSING"
}

# ---- PostgreSQL -----------------------------------------------------------
# pg_outage_test fast|immediate: the body of c_pg_stop_fast and
# c_pg_stop_immediate. ingestd and alertd run under fmsim load; PostgreSQL
# is stopped (pg_ctl -m MODE) for 10 s (short) or 60 s (long, as issue #9
# asks) and started again. Fire alarms raised during the outage must reach
# the alarm-log subscriber while the database is down and be stored after;
# every acknowledged reading must be stored exactly once.
pg_outage_test() {
	local mode=$1 outage rate panels secs t_down t_up i spool late
	outage=$(by_scale 10 60)
	rate=$(by_scale 500 800)
	panels=$(by_scale 5 20)
	secs=$((outage + 8))
	criterion "fmsim load at $rate msg/s (50 devices, 4 metrics) for $secs s into ingestd" \
		"and alertd; PostgreSQL stopped with -m $mode for $outage s$([ "$CHAOS_SCALE" = short ] &&
			echo " (the short form; make soak stops it 60 s)"); $panels fire alarms raised" \
		"during the outage: each delivered on alarm-log before PostgreSQL returns, each stored" \
		"once after (alarm oracle missing 0, duplicates 0); readings missing 0, duplicates 0"
	broker_throughput
	chaos_config 50 "$panels"
	start_ingestd p1
	start_alertd a1
	alarm_sub pg
	load_bg --devices 50 --metrics 4 --seconds "$secs" --rate "$rate" --connections 2
	wait_sql "select count(*) > $((rate * 4)) from readings" t 30 || fail "no progress before the outage"
	tests/it/servers.sh stop-pg "$mode"
	t_down=$(now_ms)
	ok "PostgreSQL stopped (-m $mode)"
	for i in $(seq 1 "$panels"); do
		fire "$(printf 'fp%03d' "$i")" active "$i"
		sleep "$(echo "scale=2; $outage / 2 / $panels" | bc)"
	done
	while [ $(($(now_ms) - t_down)) -lt $((outage * 1000)) ]; do sleep 0.2; done
	kill -0 "$INGESTD_PID" || fail "ingestd exited while the database was down"
	kill -0 "$ALERTD_PID" || fail "alertd exited while the database was down"
	kill -USR1 "$INGESTD_PID"; sleep 0.5
	spool=$(daemon_stat "$IT_TMP/ingestd-p1.log" spool_bytes)
	figure "ingestd spool at the end of the outage: ${spool:-?} bytes"
	floor "fire alarms delivered on alarm-log while PostgreSQL was down" "$panels" \
		"$(grep -c '"rule":"fire_alarm".*"transition":"raised"' "$IT_TMP/pg.log" || true)"
	tests/it/servers.sh start-pg
	t_up=$(now_ms)
	ok "PostgreSQL started after $(((t_up - t_down) / 1000)) s"
	load_wait
	oracle_figures 0
	floor "readings published during the outage and stored after it (1/2 of the offered)" \
		$((rate * 4 * outage / 2)) \
		"$(sql "select count(*) from readings where ts >= to_timestamp($t_down / 1000.0)
			and ts < to_timestamp($t_up / 1000.0)")"
	grep -q 'event=store_retry' "$IT_TMP/ingestd-p1.log" || fail "ingestd's writer never saw the outage"
	raised_per_panel "$panels"
	alarm_oracle_ok pg fire_alarm
	late=$(sql "select count(*) from alarm_events e join alarms a using (alarm_id)
		where a.rule_id = 'fire_alarm' and a.site_id = 'load' and e.ts >= to_timestamp($t_up / 1000.0)")
	check "fire alarm transitions timed after PostgreSQL returned (all were during the outage)" 0 "$late"
	kill -0 "$INGESTD_PID" && kill -0 "$ALERTD_PID" || fail "a daemon died"
}

# ---- the spool ------------------------------------------------------------
# spool_fill_test disk|max: the body of c_spool_disk_full and c_spool_max.
# PostgreSQL is stopped under load so that ingestd's spool grows until it
# can take no more: the disk is full (disk: a 1 MiB tmpfs as FM_SPOOL_DIR)
# with the shipped 64M segments, or spool.max_bytes is reached (max: 3M and
# 64k segments in the fm.yaml ingestd reads).
# ingestd must then stop reading (back-pressure: its received counter
# stands still while the broker goes on acknowledging the publishers and
# queues for ingestd's session), say so in its log and stats, and after
# PostgreSQL returns store every acknowledged reading exactly once.
spool_fill_test() {
	local mode=$1 rate secs spool_dir what counter r1 r2 n stall
	rate=$(by_scale 500 800)
	secs=$(by_scale 14 40)
	criterion "fmsim load at $rate msg/s for $secs s (50 devices, 20 metrics); PostgreSQL stopped;" \
		"ingestd's spool fills ($([ "$mode" = disk ] && echo "disk full: 1 MiB tmpfs" ||
			echo "spool.max_bytes 1M")); back-pressure: ingestd's received counter grows by" \
		"at most 2 % of the offered load over 3 s while the broker still acknowledges" \
		"publishes; a log line and a stats counter say so; alertd raises ingest_spool_full on" \
		"ingestd-s1 within 15 s and clears it once the spool drains;$([ "$mode" = disk ] &&
			echo " ingestd killed and restarted while the disk is full: it starts;") PostgreSQL back:" \
		"readings missing 0 (the message held when killed was not acknowledged), duplicates 0"
	spool_dir=$IT_TMP/spool
	# The disk fills with the shipped 64M segments, inside the first one:
	# the spool seals it and appends to the next (made ahead), so the space
	# comes back once it is written to PostgreSQL.
	INGESTD_CONF=$IT_TMP/fm-spool.yaml
	cp config/fm.yaml "$INGESTD_CONF"
	if [ "$mode" = disk ]; then
		spool_dir=$IT_TMP/spoolfs
		mkdir -p "$spool_dir"
		mount -t tmpfs -o size=1m tmpfs "$spool_dir" 2>"$IT_TMP/mount.err" ||
			skip "cannot mount a size-limited tmpfs here ($(cat "$IT_TMP/mount.err")); c_spool_max covers the configured limit"
		CHAOS_CLEANUP+=("umount -l '$spool_dir'") # lazy: ingestd may not be reaped yet
		what=spool_write_failed counter=spool_errors
	else
		# max_bytes must leave room for a whole segment and a largest record.
		sed -i -e 's/^  max_bytes: 1G .*/  max_bytes: 3M/' \
			-e 's/^  segment_bytes: 64M/  segment_bytes: 64k/' "$INGESTD_CONF"
		grep -q '^  max_bytes: 3M$' "$INGESTD_CONF" || fail "could not set spool.max_bytes"
		grep -q '^  segment_bytes: 64k$' "$INGESTD_CONF" || fail "could not set spool.segment_bytes"
		what=spool_full counter=spool_full
	fi
	broker_throughput
	CHAOS_INGESTD=s1 chaos_config 50 0
	start_alertd a1
	watch_site "$IT_TMP/site.log"
	start_ingestd s1 FM_SPOOL_DIR="$spool_dir"
	load_bg --devices 50 --metrics 20 --seconds "$secs" --rate "$rate" --connections 2
	wait_sql "select count(*) > $((rate * 20)) from readings" t 30 || fail "no progress before the outage"
	tests/it/servers.sh stop-pg
	ok "PostgreSQL stopped"
	n=300
	until grep -q "event=$what" "$IT_TMP/ingestd-s1.log"; do
		n=$((n - 1)); [ $n -gt 0 ] || fail "the spool never filled (no event=$what in the log)"
		sleep 0.1
	done
	ok "ingestd logged: $(grep -m1 "event=$what" "$IT_TMP/ingestd-s1.log" | cut -d' ' -f3-)"
	sleep 0.5
	kill -USR1 "$INGESTD_PID"; sleep 0.3
	r1=$(daemon_stat "$IT_TMP/ingestd-s1.log" received)
	sleep 3
	kill -USR1 "$INGESTD_PID"; sleep 0.3
	r2=$(daemon_stat "$IT_TMP/ingestd-s1.log" received)
	stall=$((r2 - r1))
	figure "ingestd received $r1 -> $r2 over 3 s with the spool full ($(daemon_stat "$IT_TMP/ingestd-s1.log" spool_bytes) bytes);" \
		"$counter=$(daemon_stat "$IT_TMP/ingestd-s1.log" "$counter")"
	[ "$stall" -le $((rate * 3 / 50)) ] || fail "ingestd kept reading with the spool full ($stall messages in 3 s)"
	ok "back-pressure: ingestd took $stall messages in 3 s with the spool full"
	floor "stats counter $counter" 1 "$(daemon_stat "$IT_TMP/ingestd-s1.log" "$counter")"
	wait_grep "$IT_TMP/site.log" 15 '^fm/v1/demo/alarm-log ' '"device":"ingestd-s1"' \
		'"rule":"ingest_spool_full"' '"transition":"raised"' >/dev/null ||
		fail "no ingest_spool_full alarm while the spool is full"
	ok "alarm raised: ingest_spool_full on ingestd-s1 (notified: $(count_lines "$IT_TMP/site.log" \
		'^fm/v1/demo/notify/' 'ingestd-s1') notification(s))"
	if [ "$mode" = disk ]; then
		# Restarted while the disk is still full (and PostgreSQL down),
		# ingestd must start and drain what filled it, not exit. The
		# message it was retrying under back-pressure had not been
		# acknowledged: the broker delivers it again.
		kill -9 "$INGESTD_PID"
		wait "$INGESTD_PID" 2>/dev/null || true
		start_ingestd s1 FM_SPOOL_DIR="$spool_dir"
		grep -q 'event=spool_opened_full' "$IT_TMP/ingestd-s1.log" ||
			fail "ingestd restarted, but not on a full disk (no spool_opened_full)"
		ok "ingestd killed and restarted on the full disk: started, spool_opened_full"
	fi
	sleep 2
	tests/it/servers.sh start-pg
	ok "PostgreSQL started"
	load_wait
	floor "messages the broker acknowledged over the run (3/4 of the offered: the publishers did not wait for ingestd)" \
		$((rate * secs * 3 / 4)) "$(acked_of "$IT_TMP/load.out")"
	oracle_figures 0
	wait_grep "$IT_TMP/site.log" 15 '^fm/v1/demo/alarm-log ' '"device":"ingestd-s1"' \
		'"rule":"ingest_spool_full"' '"transition":"cleared"' >/dev/null ||
		fail "the ingest_spool_full alarm did not clear after the spool drained"
	ok "alarm cleared once the spool drained"
	kill -0 "$INGESTD_PID" || fail "ingestd died"
	figure "spool $mode: acked=$ACKED missing=$MISSING"
}
