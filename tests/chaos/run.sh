#!/usr/bin/env bash
# run.sh — the chaos suite: every tests/chaos/c_*.sh under the integration
# harness (tests/it/run.sh --dir: real Mosquitto with the shipped
# configuration and PostgreSQL 15, a fresh database and broker state per
# test, everything torn down at the end). Faults are injected into those
# servers and the daemons under load; fmsim's oracle counts what was lost.
#   tests/chaos/run.sh [NAME...]    only the tests whose names contain NAME
# CHAOS_SCALE=short (default; CI, `make chaos`) or long (`make soak`: longer
# outages, more load, repeated kills). FM_BIN: the binaries (build/bin).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CHAOS_SCALE=${CHAOS_SCALE:-short}
start=$(date +%s)
"$here/../it/run.sh" --dir "$here" "$@"
rc=$?
echo "chaos ($CHAOS_SCALE): wall time $(( $(date +%s) - start )) s"
exit $rc
