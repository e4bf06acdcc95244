#!/usr/bin/env bash
# run.sh — `make fuzz`: builds every libFuzzer harness in tests/fuzz/ with
# clang (ASan + UBSan) against common/, and runs each for FUZZ_SECONDS
# (default 60) on a scratch copy of its seed corpus (the corpus in the tree
# is never modified). A crash, leak or timeout fails the run and leaves the
# input under build/fuzz/<name>/.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-60}
out=build/fuzz
mkdir -p "$out"
PQ_INC=$(pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
status=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	corpus=tests/fuzz/corpus/${name#fuzz_}
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Icommon $PQ_INC "$src" common/*.c \
		-o "$out/$name" -lpaho-mqtt3cs -lpq -lyaml -ljansson -lpthread -lm
	mkdir -p "$out/$name.work" "$out/$name.artifacts"
	echo "== $name: ${secs}s on $corpus"
	if ! "$out/$name" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
		-artifact_prefix="$out/$name.artifacts/" "$out/$name.work" "$corpus" \
		>"$out/$name.log" 2>&1; then
		echo "$name: FAILED (see $out/$name.log and $out/$name.artifacts/)"
		tail -20 "$out/$name.log"
		status=1
	else
		grep -E '^Done|stat::number_of_executed_units' "$out/$name.log" | tail -1
	fi
done
exit $status
