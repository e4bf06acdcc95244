#!/usr/bin/env bash
# t_schedd_missed — schedd down for several periods of a fixed plan (every
# 2 s, down about 9 s), then started again: one overdue request for the
# latest occurrence that says how many it stands for (missed = the
# occurrences skipped between the last request and it), no flood of the
# skipped ones, and the plan back on its grid afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/schedd_lib.sh"
schedd_config '  - id: round2
    name: Pump round every 2 s
    targets: {devices: [pump-2]}
    calendar: {every: 2 seconds, anchor: fixed, anchor_date: 2020-01-01}
    duration: 1m
    checklist: [look at the pump]'
W="$IT_TMP/site.log"
watch_site "$W"
start_schedd m1
wait_grep "$W" 5 '^fm/v1/demo/wo-request ' '"plan_id":"round2"' >/dev/null || fail "no first request"
kill9 "$SCHEDD_PID"
sleep 0.5
before=$(requests "$W" round2 | grep -c .)
last=$(requests "$W" round2 | tail -1)
sleep 9
start_schedd m1
sleep 1.5
kill "$SCHEDD_PID"; wait "$SCHEDD_PID" 2>/dev/null || true

mapfile -t keys < <(requests "$W" round2)
first=${keys[$before]:-}
[ -n "$first" ] || fail "no request after the restart"
t0=$(TZ=Asia/Shanghai date -d "${last##round2:pump-2:}" +%s)
t1=$(TZ=Asia/Shanghai date -d "${first##round2:pump-2:}" +%s)
want=$(((t1 - t0) / 2 - 1))
[ "$want" -ge 3 ] || fail "expected several skipped occurrences, $last -> $first"
line=$(lines "$W" '^fm/v1/demo/wo-request ' "\"idempotency_key\":\"$first\"")
check "one request for $first" 1 "$(printf '%s\n' "$line" | grep -c .)"
check "missed in the request after the downtime" "$want" "$(field missed "$line")"
check "requests with missed" 1 "$(count_lines "$W" '^fm/v1/demo/wo-request ' '"missed":')"
check "distinct keys" "${#keys[@]}" "$(printf '%s\n' "${keys[@]}" | sort -u | grep -c .)"
[ "${#keys[@]}" -le $((before + 2)) ] || fail "a flood after the restart: ${keys[*]}"
ok "no flood: ${#keys[@]} requests in all (${keys[*]})"
check "pm_state records what the last request stood for" \
	"$([ "${#keys[@]}" -gt $((before + 1)) ] && echo 0 || echo "$want")" \
	"$(sql "select request_missed from pm_state where plan_id = 'round2'")"
schedd_logs_clean
echo "t_schedd_missed: all passed"
