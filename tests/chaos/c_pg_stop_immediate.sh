#!/usr/bin/env bash
# c_pg_stop_immediate — PostgreSQL stopped with pg_ctl -m immediate under load and
# started again: ingestd spools and drains, alertd raises and publishes
# fire alarms without the database and stores them after. Criterion and
# floors: pg_outage_test in chaos_lib.sh.
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/alertd_lib.sh"
. "$(dirname "$0")/chaos_lib.sh"
pg_outage_test immediate
echo "c_pg_stop_immediate: all passed"
