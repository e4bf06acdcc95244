#!/usr/bin/env bash
# c_spool_disk_full — ingestd's spool cannot grow (its disk is full: a 1 MiB tmpfs, the shipped 64M segments; skipped where mount is not allowed) while
# PostgreSQL is down under load: back-pressure, a log line and a counter, no
# loss once PostgreSQL returns. Criterion and floors: spool_fill_test in
# chaos_lib.sh.
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/alertd_lib.sh"
. "$(dirname "$0")/chaos_lib.sh"
spool_fill_test disk
echo "c_spool_disk_full: all passed"
