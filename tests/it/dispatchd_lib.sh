# dispatchd_lib.sh — helpers for dispatchd's integration tests (sourced after
# lib.sh and alertd_lib.sh, whose watch_site, wait_grep, lines, field and
# kill9 they use): the demo community with test SLAs (accept 3 s, on site
# and resolve in minutes, escalation a few seconds apart), two plumbers on
# an all-day shift as the only dispatch pool, and dispatchd itself.

# dispatchd_config: config/ copied to $IT_TMP/conf (fm.yaml too, so that
# dispatchd reads its registry and sla.yaml there), edited, checked, applied.
# DISPATCHD_ORDINARY_SLA replaces the short clocks of ordinary orders for
# tests whose subject is not the clocks (on a loaded machine a 3 s accept
# clock may run out between a test's steps).
dispatchd_config() {
	DISPATCHD_CONF_DIR="$IT_TMP/conf"
	mkdir -p "$DISPATCHD_CONF_DIR"
	cp config/*.yaml "$DISPATCHD_CONF_DIR/"
	python3 - "$DISPATCHD_CONF_DIR" "${DISPATCHD_ORDINARY_SLA:-{acknowledge: 2s, accept: 3s, on_site: 10m, resolve: 20m\}}" <<'PY'
import sys
d = sys.argv[1]
def edit(name, old, new):
    p = d + "/" + name
    s = open(p).read()
    assert old in s, (name, old)
    open(p, "w").write(s.replace(old, new, 1))
edit("sla.yaml", "ordinary:  {acknowledge: 5m, accept: 15m, on_site: 2h, resolve: 4h}",
     "ordinary:  " + sys.argv[2])
edit("sla.yaml", "dispatch_roles: [technician, duty_engineer]", "dispatch_roles: [technician]")
edit("sla.yaml", "{after: 15m, notify: [supervisor]}", "{after: 2s, notify: [supervisor]}")
edit("sla.yaml", "{after: 1h, notify: [project_manager]}", "{after: 4s, notify: [project_manager]}")
edit("people.yaml", "shifts:\n", "shifts:\n  - id: allday\n    name: All day\n    start: \"00:00\"\n    end: \"00:00\"\n")
edit("people.yaml", "roster:\n", "roster:\n  - shift: allday\n    days: [mon, tue, wed, thu, fri, sat, sun]\n    people: [tech-yang, tech-huang]\n")
PY
	# tech-yang and tech-huang only: the others' day shifts would make the
	# candidates depend on the hour the test runs at.
	sed -i 's/^    people: \[tech-chen, tech-yang\]/    people: [tech-chen]/; s/^    people: \[tech-zhao, tech-huang\]/    people: [tech-zhao]/' \
		"$DISPATCHD_CONF_DIR/people.yaml"
	# nobody of the pool has weak_current: an order needing it finds nobody
	sed -i 's/^    skills: \[elevator, electrical\]/    skills: [elevator]/; s/^    skills: \[electrical, fire, weak_current\]/    skills: [electrical, fire]/' \
		"$DISPATCHD_CONF_DIR/people.yaml"
	"$FM_BIN/fmctl" check "$DISPATCHD_CONF_DIR" >/dev/null || fail "test configuration does not check"
	"$FM_BIN/fmctl" migrate >/dev/null
	"$FM_BIN/fmctl" apply "$DISPATCHD_CONF_DIR" >/dev/null
}

# dispatchd_begin INSTANCE: the test configuration, a recorder of the site
# in $W, and dispatchd started.
dispatchd_begin() {
	dispatchd_config
	W="$IT_TMP/site.log"
	watch_site "$W"
	start_dispatchd "$1"
}

# start_dispatchd INSTANCE [VAR=VALUE...]: sets DISPATCHD_PID. It logs in
# as a member of fm_dispatchd, so it has only the grants of 006 and 011.
start_dispatchd() {
	local inst=$1; shift
	sql "DO \$\$BEGIN CREATE ROLE it_dispatchd LOGIN IN ROLE fm_dispatchd;
		EXCEPTION WHEN duplicate_object THEN NULL; END\$\$" >/dev/null
	start_daemon dispatchd "$inst" "$DISPATCHD_CONF_DIR/fm.yaml" \
		FM_DB_CONNINFO="$FM_DB_CONNINFO user=it_dispatchd" "$@"
	DISPATCHD_PID=$DAEMON_PID
}

# wo_request KEY TITLE [KIND [PRIORITY [DEVICE [SLA_START]]]]: a request as
# alertd or schedd would publish it.
wo_request() {
	local now dev=${5:-}
	now=$(date +%s%3N)
	[ -n "$dev" ] && dev="\"$dev\"" || dev=null
	pub "fm/v1/demo/wo-request" "{\"idempotency_key\":\"$1\",\"ts\":$now,\"source\":\"alertd\",\
\"site\":\"demo\",\"device\":$dev,\"kind\":\"${3:-facility_repair}\",\"priority\":\"${4:-ordinary}\",\
\"skill\":\"plumbing\",\"assignee\":null,\"title\":\"$2\",\"alarm_id\":null,\"plan_id\":null,\
\"due_at\":null,\"sla_start\":${6:-$now}}"
}

# wo_cmd PERSON WO_ID ACTION [EXTRA_JSON]: a technician's command.
wo_cmd() {
	pub "fm/v1/demo/ops/$1/wo" "{\"wo_id\":\"$2\",\"action\":\"$3\"${4:+,$4}}"
}

# wo_id_of KEY: the order a request key opened.
wo_id_of() { sql "select wo_id from work_orders where idempotency_key = '$1'"; }

# wo_col WO_ID COLUMN
wo_col() { sql "select $2 from work_orders where wo_id = '$1'"; }

# transitions WO_ID: the order's wo_events transitions, comma-separated.
transitions() { sql "select string_agg(transition, ',' order by id) from wo_events where wo_id = '$1'"; }
