#!/usr/bin/env bash
# t_ingest_poison — a record PostgreSQL refuses (here: today's partition of
# readings is gone) must not block the spool: the writer finds it by
# replaying the batch one record at a time, quarantines it as
# store_rejected with its bytes and PostgreSQL's error, and goes on.
. "$(dirname "$0")/lib.sh"
it_setup_db
start_ingestd x1
part="readings_p$(date -u +%Y%m%d)"
sql "DROP TABLE $part" >/dev/null
ok "dropped $part"
pub fm/v1/demo/dev/pump-1/telemetry '{"seq":1,"metrics":{"outlet_pressure_kpa":300.5}}'
wait_sql "select count(*) from quarantine where reason = 'store_rejected'" 1 30 ||
	fail "the refused record was not quarantined"
ok "refused record quarantined as store_rejected"
raw=$(sql "select convert_from(raw, 'UTF8') from quarantine where reason = 'store_rejected'")
[[ $raw == pump-1* && $raw == *outlet_pressure_kpa* ]] || fail "raw bytes are not the record: $raw"
ok "its raw bytes are the spool record"
[ -n "$(sql "select detail from quarantine where reason = 'store_rejected'")" ] || fail "no error detail"
ok "PostgreSQL's error kept as detail"
sql "select count(*) from fm_partitions_maintain('readings', 7, NULL, 1)" >/dev/null
pub fm/v1/demo/dev/pump-1/telemetry '{"seq":2,"metrics":{"outlet_pressure_kpa":301.5}}'
wait_sql "select count(*) from readings where seq = 2" 1 20 || fail "the spool is blocked after the refused record"
ok "the next message is stored: the spool was not blocked"
kill -0 "$INGESTD_PID" || fail "ingestd died"
echo "t_ingest_poison: all passed"
