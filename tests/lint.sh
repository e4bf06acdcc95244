#!/usr/bin/env bash
# lint.sh — the checks that keep the code readable: clang-format (the
# checked-in .clang-format), files under ~500 lines, every header compiles on
# its own, third-party headers included only by their owning module.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
srcs=$(git ls-files '*.c' '*.h' 2>/dev/null || find common services tests -name '*.[ch]')

if command -v clang-format >/dev/null; then
	bad=$(for f in $srcs; do clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
	if [ -n "$bad" ]; then echo "lint: not clang-formatted (make format):"; echo "$bad" | sed 's/^/  /'; fail=1; fi
fi

big=$(for f in $srcs; do n=$(wc -l <"$f"); [ "$n" -gt 500 ] && echo "  $f ($n lines)"; done)
if [ -n "$big" ]; then echo "lint: files past 500 lines:"; echo "$big"; fail=1; fi

PQ_INC=$(pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
for h in $(echo "$srcs" | grep '\.h$'); do
	if ! echo "#include \"$h\"" | cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I. -Icommon -Iservices \
		-Iservices/$(basename "$(dirname "$h")") $PQ_INC -fsyntax-only -x c - 2>/tmp/lint.$$; then
		echo "lint: $h does not compile alone:"; sed 's/^/  /' /tmp/lint.$$; fail=1
	fi
done
rm -f /tmp/lint.$$

# One owner per dependency.
owner() { # header-regex allowed-files-regex
	local hits
	hits=$(grep -lE "#include <($1)" $srcs 2>/dev/null | grep -vE "$2" | grep -v '^tests/fuzz/')
	if [ -n "$hits" ]; then echo "lint: <$1> included outside its owner:"; echo "$hits" | sed 's/^/  /'; fail=1; fi
}
owner 'MQTT[A-Za-z]*\.h' '^common/mqtt[a-z_]*\.(c|h)$'
owner 'libpq-fe\.h' '^common/db[a-z_]*\.c$'
owner 'yaml\.h' '^common/config[a-z_]*\.c$'
owner 'jansson\.h' '^common/msg[a-z_]*\.c$'

[ $fail -eq 0 ] && echo "lint: ok"
exit $fail
