#!/usr/bin/env bash
# servers.sh — lets an integration test act on the servers the harness
# started: tests/it/servers.sh {stop,start,kill,restart}-{pg,broker}
exec "$(dirname "$0")/../../deploy/local-servers.sh" "$1" "${FM_IT_DIR:?run under tests/it/run.sh}" "${@:2}"
