#!/usr/bin/env bash
# run.sh — `make fuzz`: builds every libFuzzer harness tests/fuzz/fuzz_*.c
# with clang (ASan + UBSan) against common/, and runs each in turn for
# FUZZ_SECONDS (default 60) on a scratch copy of its seed corpus
# tests/fuzz/corpus/<name>/ (the corpus in the tree is never modified).
# common/ is compiled once (two jobs) and linked into every harness, so the
# builds stay short next to the runs.
#
# A crash, leak, sanitizer report, abort() (a harness's own check) or an
# input slower than 5 s fails the run and leaves the input under
# $FUZZ_OUT/<name>.artifacts/; reproduce with
#   $FUZZ_OUT/<name> $FUZZ_OUT/<name>.artifacts/crash-...
# and turn it into a test in tests/unit/test_fuzz_regressions.c.
#
# Environment: FUZZ_SECONDS per harness; FUZZ_OUT output directory (default
# build/fuzz); FUZZ_ONLY a space-separated list of harness names to run
# (e.g. "fuzz_msg fuzz_ops"), default all; FUZZ_JOBS compile jobs (2).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-60}
out=${FUZZ_OUT:-build/fuzz}
jobs=${FUZZ_JOBS:-2}
mkdir -p "$out/obj"
PQ_INC=$(pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
cflags="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
	-fno-sanitize-recover=undefined -Icommon $PQ_INC"
export cflags out

# common/ once, instrumented for coverage (fuzzer-no-link); only what changed.
compile_one() {
	local src=$1 obj
	obj=$out/obj/$(basename "$src" .c).o
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find common -name '*.h' -newer "$obj")" ]; then
		# shellcheck disable=SC2086
		clang $cflags -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
	fi
}
export -f compile_one
printf '%s\n' common/*.c | xargs -P "$jobs" -I{} bash -c 'compile_one {}'
rm -f "$out/libfm_fuzz.a"
ar rcs "$out/libfm_fuzz.a" "$out"/obj/*.o

# Every harness linked before any runs (two at a time), so a run never
# waits on a build and a long run keeps the binaries it started with.
names=()
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	if [ -z "${FUZZ_ONLY:-}" ] || [[ " $FUZZ_ONLY " == *" $name "* ]]; then
		names+=("$name")
	fi
done
link_one() {
	# shellcheck disable=SC2086
	clang $cflags -Wall -Wextra -Wshadow -Wmissing-prototypes -Werror -fsanitize=fuzzer \
		"tests/fuzz/$1.c" "$out/libfm_fuzz.a" -o "$out/$1" \
		-lpaho-mqtt3cs -lpq -lyaml -ljansson -lpthread -lm
}
export -f link_one
printf '%s\n' "${names[@]}" | xargs -P "$jobs" -I{} bash -c 'link_one {}'

status=0
for name in "${names[@]}"; do
	corpus=tests/fuzz/corpus/${name#fuzz_}
	rm -rf "$out/$name.work"
	mkdir -p "$out/$name.work" "$out/$name.artifacts"
	echo "== $name: ${secs}s on $corpus ($(find "$corpus" -type f | wc -l) seeds)"
	if ! "$out/$name" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/$name.artifacts/" \
		"$out/$name.work" "$corpus" >"$out/$name.log" 2>&1; then
		echo "$name: FAILED (see $out/$name.log; input under $out/$name.artifacts/)"
		tail -30 "$out/$name.log"
		status=1
	else
		# the last status line (cov, ft, corpus) and the totals
		grep -E '^#[0-9]+' "$out/$name.log" | tail -1
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$out/$name.log" |
			tr '\n' ' '
		echo "new_corpus_files: $(find "$out/$name.work" -type f | wc -l)"
	fi
done
exit $status
