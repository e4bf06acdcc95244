#!/usr/bin/env bash
# c_spool_max — ingestd's spool cannot grow (spool.max_bytes (3M) reached: the configured limit, portable) while
# PostgreSQL is down under load: back-pressure, a log line and a counter, no
# loss once PostgreSQL returns. Criterion and floors: spool_fill_test in
# chaos_lib.sh.
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/alertd_lib.sh"
. "$(dirname "$0")/chaos_lib.sh"
spool_fill_test max
echo "c_spool_max: all passed"
