# schedd_lib.sh — helpers for schedd's integration tests (sourced after lib.sh
# and alertd_lib.sh, whose watch_site, wait_grep, lines, count_lines, field
# and kill9 they use): the demo community with a maintenance.yaml of short
# plans, schedd itself, and work orders as dispatchd would publish them.

# schedd_config PLANS: config/ copied to $IT_TMP/conf with maintenance.yaml
# replaced by the plans given (YAML, the items of "plans:"); checked,
# migrated and applied.
schedd_config() {
	SCHEDD_CONF_DIR="$IT_TMP/conf"
	mkdir -p "$SCHEDD_CONF_DIR"
	cp config/*.yaml "$SCHEDD_CONF_DIR/"
	{
		printf 'defaults:\n  lead_time: 0s\n  overdue:\n    after: 1d\n'
		printf '    notify: [supervisor]\n    escalate: [project_manager]\n'
		printf '    escalate_after: 1d\nplans:\n%s\n' "$1"
	} >"$SCHEDD_CONF_DIR/maintenance.yaml"
	"$FM_BIN/fmctl" check "$SCHEDD_CONF_DIR" >/dev/null || fail "test plans do not check"
	"$FM_BIN/fmctl" migrate >/dev/null
	"$FM_BIN/fmctl" apply "$SCHEDD_CONF_DIR" >/dev/null
}

# start_schedd INSTANCE [VAR=VALUE...]: sets SCHEDD_PID.
start_schedd() {
	local inst=$1; shift
	start_daemon schedd "$inst" config/fm.yaml "$@"
	SCHEDD_PID=$DAEMON_PID
}

# requests FILE PLAN: the idempotency keys of PLAN's requests, in order.
requests() {
	lines "$1" '^fm/v1/demo/wo-request ' "\"plan_id\":\"$2\"" |
		grep -o '"idempotency_key":"[^"]*"' | cut -d'"' -f4
}

# wo_done WO_ID PLAN DEVICE COMPLETED_MS: the retained work order of a
# completed job, as dispatchd publishes it.
wo_done() {
	pub "fm/v1/demo/wo/$1" "{\"wo_id\":\"$1\",\"site\":\"demo\",\"device\":\"$3\",\
\"kind\":\"preventive\",\"state\":\"completed\",\"plan_id\":\"$2\",\
\"completed_at\":$4}" -r
}

# local_key_time MS: the local time (Asia/Shanghai, the demo site) of MS as
# keys carry it.
local_key_time() { TZ=Asia/Shanghai date -d "@$(($1 / 1000))" +%Y-%m-%dT%H:%M:%S; }

# schedd_logs_clean: no sanitizer report in any schedd log of this test (a
# SAN=1 build reports there and may go on running).
schedd_logs_clean() {
	local bad
	bad=$(grep -lE 'runtime error|Sanitizer' "$IT_TMP"/schedd-*.log || true)
	[ -z "$bad" ] || { cat $bad >&2; fail "sanitizer report in $bad"; }
	ok "no sanitizer report in the schedd logs"
}
