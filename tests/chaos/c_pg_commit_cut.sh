#!/usr/bin/env bash
# c_pg_commit_cut — ingestd's database connection cut while it commits: a
# PL/pgSQL loop on the server polls pg_stat_activity every 2 ms and calls
# pg_terminate_backend on ingestd's writer whenever its active statement is
# COMMIT (then leaves it 300 ms to reconnect and replay). Whether a cut
# COMMIT took effect or not, the writer's replay from the spool position
# stored in the same transaction must store every acknowledged reading
# exactly once.
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/alertd_lib.sh"
. "$(dirname "$0")/chaos_lib.sh"
RATE=$(by_scale 600 800)
CUT_S=$(by_scale 8 60)
SECS=$((CUT_S + 5))
MIN_CUTS=$(by_scale 3 20)
criterion "fmsim load at $RATE msg/s for $SECS s (50 devices, 4 metrics) into ingestd; for $CUT_S s" \
	"its writer's connection is terminated whenever it is executing COMMIT; at least $MIN_CUTS" \
	"COMMITs cut; readings missing 0, duplicates 0; ingestd stays up"
broker_throughput
chaos_config 50 0
start_ingestd c1
load_bg --devices 50 --metrics 4 --seconds "$SECS" --rate "$RATE" --connections 2
wait_sql "select count(*) > $((RATE * 4)) from readings" t 30 || fail "no progress before the cuts"
t_cut=$(now_ms)
cuts=$(psql -X -q -v ON_ERROR_STOP=1 2>&1 <<SQL | grep -o 'cut=[0-9]*' | cut -d= -f2
DO \$\$
DECLARE n int := 0; k int; t_end timestamptz := clock_timestamp() + interval '$CUT_S seconds';
BEGIN
	WHILE clock_timestamp() < t_end LOOP
		PERFORM pg_stat_clear_snapshot();
		SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) INTO k FROM pg_stat_activity
			WHERE application_name = 'ingestd-writer' AND state = 'active' AND query = 'COMMIT';
		n := n + k;
		IF k > 0 THEN PERFORM pg_sleep(0.3); ELSE PERFORM pg_sleep(0.002); END IF;
	END LOOP;
	RAISE NOTICE 'cut=%', n;
END \$\$;
SQL
)
floor "COMMITs of ingestd's writer cut by pg_terminate_backend" "$MIN_CUTS" "${cuts:-0}"
kill -0 "$INGESTD_PID" || fail "ingestd died"
load_wait
oracle_figures 0
floor "readings published during the cuts and stored (1/4 of the offered)" $((RATE * 4 * CUT_S / 4)) \
	"$(sql "select count(*) from readings where ts >= to_timestamp($t_cut / 1000.0)
		and ts < to_timestamp($t_cut / 1000.0 + $CUT_S)")"
figure "commit cuts=$cuts acked=$ACKED missing=$MISSING store_retry_lines=$(grep -c 'event=store_retry' "$IT_TMP/ingestd-c1.log" || true)"
echo "c_pg_commit_cut: all passed"
