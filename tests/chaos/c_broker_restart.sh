#!/usr/bin/env bash
# c_broker_restart — the broker (shipped configuration) stopped gracefully
# under load and started again: nothing it acknowledged is lost.
# Criterion and floors: broker_fault_test in chaos_lib.sh.
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/alertd_lib.sh"
. "$(dirname "$0")/chaos_lib.sh"
broker_fault_test restart
echo "c_broker_restart: all passed"
