#!/usr/bin/env bash
# run-unit.sh — runs every cmocka unit-test binary given, prints their
# summaries and a closing "N passed, N failed" line; exits 1 on any failure.
set -uo pipefail
pass=0 fail=0 failed=()
for t in "$@"; do
	echo "== $(basename "$t")"
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$(basename "$t")"); fi
done
echo
echo "unit test binaries: ${#@}; failed: ${failed[*]:-none}"
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
