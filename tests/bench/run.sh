#!/usr/bin/env bash
# run.sh — `make bench`: runs every benchmark binary and prints its figures,
# with the machine they ran on. Benchmarks never fail on a number.
set -uo pipefail
cd "$(dirname "$0")/../.."
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
status=0
for b in build/tests/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" || status=1
done
echo "== ingest (tests/bench/ingest.sh: broker ceiling vs ingestd into PostgreSQL)"
tests/bench/ingest.sh || status=1
echo "== alertd (tests/bench/alertd.sh: telemetry -> alarm latency, idle and under ingest)"
tests/bench/alertd.sh || status=1
exit $status
