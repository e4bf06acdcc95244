/* test_schedd_due_instant.c — plans every N hours, minutes or seconds
 * (due_instant.c): a fixed grid from the anchor date's local midnight in
 * exact elapsed time (also across a DST change), floating plans counted from
 * the completion instant, what a completion or a request covers, occurrences
 * missed by a downtime, keys with the local time read back, and the sub-day
 * units of maintenance.yaml (pm_conf). */
#include "pm_conf.h"
#include "schedd_due_fixture.h"

struct inst_case {
	const char *name;
	const char *zone;
	enum due_unit unit;
	int every;
	const char *anchor_date; /* NULL: floating */
	long long lead_ms;
	const char *last_done; /* RFC 3339 or NULL */
	const char *last_req;  /* RFC 3339 (the requested occurrence) or NULL */
	const char *now;
	enum due_state state;
	const char *due;
	long long missed;
};

#define at fx_at

static const struct inst_case cases[] = {
	{"fixed 8 h: the grid starts at local midnight, latest due is ready", "Asia/Shanghai",
	 DUE_HOUR, 8, "2025-01-01", 0, NULL, NULL, "2025-03-10T09:30:00+08:00", DUE_READY,
	 "2025-03-10T08:00:00+08:00", 0},
	{"fixed 8 h: after its request, the next one waits", "Asia/Shanghai", DUE_HOUR, 8,
	 "2025-01-01", 0, NULL, "2025-03-10T08:00:00+08:00", "2025-03-10T09:30:00+08:00", DUE_WAIT,
	 "2025-03-10T16:00:00+08:00", 0},
	{"fixed 3 s: exactly at the instant it is ready", "Asia/Shanghai", DUE_SECOND, 3,
	 "2025-01-01", 0, NULL, "2025-01-01T00:00:03+08:00", "2025-01-01T00:00:06+08:00", DUE_READY,
	 "2025-01-01T00:00:06+08:00", 0},
	{"fixed 3 s: 1 ms before, waiting", "Asia/Shanghai", DUE_SECOND, 3, "2025-01-01", 0, NULL,
	 "2025-01-01T00:00:03+08:00", "2025-01-01T00:00:05.999+08:00", DUE_WAIT,
	 "2025-01-01T00:00:06+08:00", 0},
	{"fixed 3 s: down 10 s after a request, three missed", "Asia/Shanghai", DUE_SECOND, 3,
	 "2025-01-01", 0, NULL, "2025-01-01T00:00:03+08:00", "2025-01-01T00:00:16+08:00", DUE_READY,
	 "2025-01-01T00:00:15+08:00", 3},
	{"fixed 10 min with a 2 min lead: requested early", "Asia/Shanghai", DUE_MINUTE, 10,
	 "2025-01-01", 120000, NULL, "2025-01-01T00:10:00+08:00", "2025-01-01T00:18:00+08:00",
	 DUE_READY, "2025-01-01T00:20:00+08:00", 0},
	{"fixed: a completion within the lead covers the coming one", "Asia/Shanghai", DUE_MINUTE,
	 10, "2025-01-01", 120000, "2025-01-01T00:18:30+08:00", "2025-01-01T00:10:00+08:00",
	 "2025-01-01T00:19:00+08:00", DUE_WAIT, "2025-01-01T00:30:00+08:00", 0},
	{"fixed: a completion after a downtime counts the missed", "Asia/Shanghai", DUE_HOUR, 1,
	 "2025-01-01", 0, "2025-01-01T05:10:00+08:00", NULL, "2025-01-01T09:05:00+08:00", DUE_READY,
	 "2025-01-01T09:00:00+08:00", 3},
	{"fixed: anchor still ahead waits for it", "Asia/Shanghai", DUE_HOUR, 6, "2025-02-01", 0,
	 NULL, NULL, "2025-01-31T20:00:00+08:00", DUE_WAIT, "2025-02-01T00:00:00+08:00", 0},
	{"fixed across spring forward: elapsed hours, not wall clock", "Europe/Berlin", DUE_HOUR, 1,
	 "2025-03-30", 0, NULL, "2025-03-30T01:00:00+01:00", "2025-03-30T01:30:00+01:00", DUE_WAIT,
	 "2025-03-30T03:00:00+02:00", 0},
	{"floating never done: due now, on the second", "Asia/Shanghai", DUE_HOUR, 8, NULL, 0, NULL,
	 NULL, "2025-01-01T10:00:00.750+08:00", DUE_READY, "2025-01-01T10:00:00+08:00", 0},
	{"floating requested never done: nothing more", "Asia/Shanghai", DUE_HOUR, 8, NULL, 0, NULL,
	 "2025-01-01T10:00:00+08:00", "2025-01-03T10:00:00+08:00", DUE_REQUESTED,
	 "2025-01-01T10:00:00+08:00", 0},
	{"floating: completion + period, waiting", "Asia/Shanghai", DUE_MINUTE, 30, NULL, 0,
	 "2025-01-01T10:07:13+08:00", "2025-01-01T10:00:00+08:00", "2025-01-01T10:20:00+08:00",
	 DUE_WAIT, "2025-01-01T10:37:13+08:00", 0},
	{"floating: completion + period reached, ready, never missed", "Asia/Shanghai", DUE_MINUTE,
	 30, NULL, 0, "2025-01-01T10:07:13+08:00", "2025-01-01T10:00:00+08:00",
	 "2025-01-02T10:20:00+08:00", DUE_READY, "2025-01-01T10:37:13+08:00", 0},
	{"floating: the new occurrence requested", "Asia/Shanghai", DUE_MINUTE, 30, NULL, 0,
	 "2025-01-01T10:07:13+08:00", "2025-01-01T10:37:13+08:00", "2025-01-02T10:20:00+08:00",
	 DUE_REQUESTED, "2025-01-01T10:37:13+08:00", 0},
};

static void
test_table(void **state)
{
	static struct tu_zone z;
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct inst_case *c = &cases[i];
		struct due_plan p;
		struct due_history h;
		struct due_result r;

		memset(&p, 0, sizeof p);
		memset(&h, 0, sizeof h);
		assert_int_equal(tu_tz_load(c->zone, &z), 0);
		p.unit = c->unit;
		p.every = c->every;
		p.lead_ms = c->lead_ms;
		p.anchor = c->anchor_date ? DUE_FIXED : DUE_FLOATING;
		if (c->anchor_date)
			sscanf(c->anchor_date, "%d-%d-%d", &p.anchor_date.year,
			       &p.anchor_date.month, &p.anchor_date.day);
		h.has_last_done = c->last_done != NULL;
		h.last_done_ms = c->last_done ? at(c->last_done) : 0;
		h.has_last_requested = c->last_req != NULL;
		h.last_requested_ms = c->last_req ? at(c->last_req) : 0;
		if (due_next(&p, &z, &h, at(c->now), &r) != 0)
			fail_msg("%s: due_next failed", c->name);
		if (r.state != c->state || r.due_ms != at(c->due) || r.missed != c->missed)
			fail_msg("%s: state %d due %lld missed %lld; want %d %lld %lld", c->name,
				 r.state, r.due_ms, r.missed, c->state, at(c->due), c->missed);
		if (r.state != DUE_REQUESTED && r.publish_ms > r.due_ms - c->lead_ms)
			fail_msg("%s: publish %lld after due - lead", c->name, r.publish_ms);
	}
}

static void
test_invalid(void **state)
{
	static struct tu_zone z;
	struct due_plan p = {DUE_SECOND, 3, DUE_FIXED, {2025, 1, 1}, 0, 0, 0, 0};
	struct due_history h = {0, 0, 0, {0, 0, 0}, 0};
	struct due_result r;
	(void)state;

	assert_int_equal(tu_tz_load("Asia/Shanghai", &z), 0);
	assert_true(due_plan_valid(&p));
	assert_true(due_unit_sub_day(DUE_MINUTE) && !due_unit_sub_day(DUE_DAY));
	p.has_window = 1; /* instants have no window */
	p.window_start_s = 0;
	p.window_end_s = 3600;
	assert_false(due_plan_valid(&p));
	assert_int_equal(due_next(&p, &z, &h, at("2025-01-01T00:00:00Z"), &r), -1);
	p.has_window = 0;
	p.every = 0;
	assert_int_equal(due_next(&p, &z, &h, at("2025-01-01T00:00:00Z"), &r), -1);
}

static void
test_keys(void **state)
{
	static struct tu_zone z;
	char key[128];
	long long ms = 0, t = at("2025-03-10T08:00:03.400+08:00");
	struct due_date d;
	(void)state;

	assert_int_equal(tu_tz_load("Asia/Shanghai", &z), 0);
	assert_int_equal(due_key_time(key, sizeof key, "round", "pump-1", &z, t), 32);
	assert_string_equal(key, "round:pump-1:2025-03-10T08:00:03");
	assert_int_equal(due_key_instant(key, &z, &ms), 0);
	assert_int_equal(ms, at("2025-03-10T08:00:03+08:00"));
	/* a date key is not a time key, and the other way round */
	assert_int_equal(due_key_instant("round:pump-1:2025-03-10", &z, &ms), -1);
	assert_int_equal(due_key_date(key, &d), -1);
	assert_int_equal(due_key_instant("round:pump-1:2025-03-10T24:00:00", &z, &ms), -1);
	assert_int_equal(due_key_instant("round:pump-1:2025-02-30T08:00:00", &z, &ms), -1);
	assert_int_equal(due_key_instant("2025-03-10T08:00:03", &z, &ms), -1);
	assert_int_equal(due_key_time(key, sizeof key, "ro:und", "pump-1", &z, t), -1);
	assert_string_equal(key, "");
	assert_int_equal(due_key_time(key, 20, "round", "pump-1", &z, t), -1);
}

static void
test_conf_units(void **state)
{
	static const struct {
		const char *text;
		int rc, count, unit;
		long long min_ms;
	} t[] = {
		{"8 hours", 0, 8, PM_HOUR, 8 * 3600000LL},
		{"1 hour", 0, 1, PM_HOUR, 3600000LL},
		{"10 minutes", 0, 10, PM_MINUTE, 600000LL},
		{"3 seconds", 0, 3, PM_SECOND, 3000LL},
		{"1 month", 0, 1, PM_MONTH, 28 * 86400000LL},
		{"3 secs", -1, 0, 0, 0},
		{"0 seconds", -1, 0, 0, 0},
	};
	char buf[32];
	(void)state;

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pm_period p = {0, 0};

		assert_int_equal(pm_period_parse(t[i].text, &p), t[i].rc);
		if (t[i].rc)
			continue;
		assert_int_equal(p.count, t[i].count);
		assert_int_equal(p.unit, t[i].unit);
		assert_int_equal(pm_period_min_ms(&p), t[i].min_ms);
		assert_string_equal(pm_period_str(&p, buf, sizeof buf), t[i].text);
	}
	/* the earlier units keep their indexes (pm_plans.calendar_unit) */
	assert_string_equal(pm_unit_names[PM_YEAR], "year");
	assert_string_equal(pm_unit_names[PM_HOUR], "hour");
	assert_string_equal(pm_unit_names[PM_SECOND], "second");
	assert_true(pm_unit_sub_day(PM_SECOND) && !pm_unit_sub_day(PM_WEEK));
	assert_int_equal(pm_period_min_days(&(struct pm_period){48, PM_HOUR}), 2);
}

/* maintenance.yaml: a sub-day plan checks with its lead time and duration
 * against the period in milliseconds, and refuses a window. */
static void
test_conf_checks(void **state)
{
	static const struct {
		const char *extra, *want; /* want: a fragment of the one error, NULL: none */
	} t[] = {
		{"    lead_time: 2m\n", NULL},
		{"    lead_time: 10m\n",
		 "lead_time: must be shorter than the period (every 10 minutes)"},
		{"    window: {start: \"00:00\", end: \"06:00\"}\n",
		 "window: a plan every 10 minutes has no time window"},
	};
	char yaml[1024];
	(void)state;

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct cfg_errs errs;
		struct cfg_doc *doc;
		struct pm_set set = {0};
		int n = snprintf(yaml, sizeof yaml,
				 "plans:\n  - id: round\n    name: Round\n"
				 "    targets: {devices: [pump-1]}\n"
				 "    calendar: {every: 10 minutes}\n    duration: 1m\n"
				 "    checklist: [look]\n    overdue: {notify: [supervisor]}\n%s",
				 t[i].extra);

		cfg_errs_init(&errs);
		doc = cfg_load_buf("maintenance.yaml", yaml, (size_t)n, &errs);
		assert_non_null(doc);
		if (pm_build(&set, doc, NULL, &errs) != (t[i].want ? -1 : 0))
			fail_msg("case %zu: %s", i, errs.n ? errs.msg[0] : "no error");
		if (t[i].want) {
			assert_int_equal(errs.n, 1);
			if (!strstr(errs.msg[0], t[i].want))
				fail_msg("case %zu: %s", i, errs.msg[0]);
		} else {
			assert_true(set.n_plans == 1 && set.plans[0].every.unit == PM_MINUTE &&
				    set.plans[0].every.count == 10);
		}
		pm_free(&set);
		cfg_doc_free(doc);
		cfg_errs_free(&errs);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),       cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_keys),        cmocka_unit_test(test_conf_units),
		cmocka_unit_test(test_conf_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
