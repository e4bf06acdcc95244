#!/usr/bin/env bash
# t_schedd_kill9 — a fixed plan every 3 seconds: over about 14 s, with a
# schedd kill -9 and restart in the middle, exactly one work-order request
# per occurrence: keys distinct and consecutive (3 s apart, no gap), each
# request well formed, and pm_state holding the last key.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alertd_lib.sh"
. "$(dirname "$0")/schedd_lib.sh"
schedd_config '  - id: round3
    name: Pump round every 3 s
    targets: {devices: [pump-1]}
    calendar: {every: 3 seconds, anchor: fixed, anchor_date: 2020-01-01}
    skill: plumbing
    duration: 1m
    checklist: [look at the pump]'
W="$IT_TMP/site.log"
watch_site "$W"
start_schedd k1
wait_grep "$W" 5 '^fm/v1/demo/wo-request ' '"plan_id":"round3"' >/dev/null || fail "no first request"
sleep 5
kill9 "$SCHEDD_PID"
sleep 1
start_schedd k1
sleep 7
kill "$SCHEDD_PID"; wait "$SCHEDD_PID" 2>/dev/null || true

mapfile -t keys < <(requests "$W" round3)
n=${#keys[@]}
[ "$n" -ge 4 ] || fail "only $n requests: ${keys[*]}"
ok "$n requests"
check "distinct keys" "$n" "$(printf '%s\n' "${keys[@]}" | sort -u | grep -c .)"
prev=""
for k in "${keys[@]}"; do
	t=$(TZ=Asia/Shanghai date -d "${k##round3:pump-1:}" +%s) || fail "key $k has no time"
	[ -z "$prev" ] || [ $((t - prev)) -eq 3 ] || fail "gap between $prev and $t in ${keys[*]}"
	prev=$t
done
ok "consecutive occurrences, 3 s apart: ${keys[0]} .. ${keys[$((n - 1))]}"
line=$(lines "$W" '^fm/v1/demo/wo-request ' '"plan_id":"round3"' | sed -n 1p)
check "source" schedd "$(field source "$line")"
check "kind" preventive "$(field kind "$line")"
check "skill" plumbing "$(field skill "$line")"
check "device" pump-1 "$(field device "$line")"
check "sla_start is the due instant" "$(field due_at "$line")" "$(field sla_start "$line")"
check "no missed occurrence" 0 "$(count_lines "$W" '^fm/v1/demo/wo-request ' '"missed":')"
check "pm_state keeps the last key" "${keys[$((n - 1))]}" \
	"$(sql "select last_request_key from pm_state where plan_id = 'round3'")"
schedd_logs_clean
echo "t_schedd_kill9: all passed"
