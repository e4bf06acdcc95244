#!/usr/bin/env bash
# t_ingest_shared — two ingestd instances on a shared subscription
# ($share/ingestd/...) split the load and together lose nothing.
. "$(dirname "$0")/lib.sh"
it_setup_db
broker_throughput
register_load 100
sed 's/^  shared: false/  shared: true/' config/fm.yaml >"$IT_TMP/fm.yaml"
grep -q '^  shared: true' "$IT_TMP/fm.yaml" || fail "could not enable shared in a copy of fm.yaml"
INGESTD_CONF=$IT_TMP/fm.yaml start_ingestd s1
P1=$INGESTD_PID
INGESTD_CONF=$IT_TMP/fm.yaml start_ingestd s2
P2=$INGESTD_PID
load --devices 100 --metrics 2 --count 20000 --connections 4 >"$IT_TMP/load.out"
tail -1 "$IT_TMP/load.out"
check_oracle 120
kill -USR1 "$P1" "$P2"; sleep 0.5
a1=$(grep 'event=stats' "$IT_TMP/ingestd-s1.log" | tail -1 | grep -o ' accepted=[0-9]*' | cut -d= -f2)
a2=$(grep 'event=stats' "$IT_TMP/ingestd-s2.log" | tail -1 | grep -o ' accepted=[0-9]*' | cut -d= -f2)
echo "  instance s1 accepted $a1, s2 accepted $a2"
[ "${a1:-0}" -gt 0 ] && [ "${a2:-0}" -gt 0 ] || fail "the load was not split"
[ $((a1 + a2)) -ge 20000 ] || fail "together they accepted only $((a1 + a2)) of 20000"
ok "together they accepted $((a1 + a2)) messages (QoS 1 redeliveries included)"
echo "t_ingest_shared: all passed"
