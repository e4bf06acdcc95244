#!/usr/bin/env bash
# c_broker_kill9 — the broker, with the shipped durable configuration
# (persistence, a snapshot on every change, no queue limit), killed with -9
# under load and restarted: nothing it acknowledged is lost (the publishers'
# messages, ingestd's persistent session and its queue survive the crash).
# Criterion and floors: broker_fault_test in chaos_lib.sh.
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/alertd_lib.sh"
. "$(dirname "$0")/chaos_lib.sh"
broker_fault_test kill
echo "c_broker_kill9: all passed"
