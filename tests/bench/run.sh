#!/usr/bin/env bash
# run.sh — `make bench`: runs every benchmark, shows what each prints, then
# one table of the figures they reported ("figure" lines: key, value, unit,
# what) with the machine they ran on, also written as build/bench.json.
# Benchmarks never fail on a number; a benchmark that breaks makes the
# exit status 1.
set -uo pipefail
cd "$(dirname "$0")/../.."
machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "machine: $machine"
figs=$(mktemp /tmp/fm-bench-figures.XXXXXX)
trap 'rm -f "$figs"' EXIT
status=0

# step TITLE COMMAND...: runs it, shows its output, keeps its figure lines.
step() {
	local title=$1 rc
	shift
	echo "== $title"
	"$@" 2>&1 | tee >(grep $'^figure\t' >>"$figs") | grep -v $'^figure\t'
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] || { echo "($title: exit $rc)"; status=1; }
}

for b in build/tests/bench/bench_*; do
	[ -x "$b" ] && step "$(basename "$b")" "$b"
done
step "ingest (tests/bench/ingest.sh: broker ceiling vs ingestd into PostgreSQL)" tests/bench/ingest.sh
step "alertd (tests/bench/alertd.sh: telemetry -> alarm latency, idle and under ingest; daemons' CPU and RSS)" tests/bench/alertd.sh
step "scale (tests/bench/scale.sh: cost per reading as devices grow)" tests/bench/scale.sh
sleep 0.5 # the tee's grep finishes writing

echo
echo "== make bench: figures ($machine)"
awk -F'\t' '{ printf "%-30s %12s %-10s %s\n", $2, $3, $4, $5 }' "$figs"
mkdir -p build
awk -F'\t' -v machine="$machine" -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	-v commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" '
	function q(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
	BEGIN { printf "{\"machine\": %s, \"date\": %s, \"commit\": %s, \"figures\": [", q(machine), q(date), q(commit) }
	{ v = ($3 ~ /^-?[0-9]+(\.[0-9]+)?$/) ? $3 : "null"
	  printf "%s\n  {\"key\": %s, \"value\": %s, \"unit\": %s, \"what\": %s}", (NR > 1 ? "," : ""), q($2), v, q($4), q($5) }
	END { print "\n]}" }' "$figs" >build/bench.json
echo "(also in build/bench.json)"
exit $status
