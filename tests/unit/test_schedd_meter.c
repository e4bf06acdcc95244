/* test_schedd_meter.c — meter accounting from telemetry, as scripts of
 * readings with the verdict and meter value wanted after each: counters that
 * reset, roll over or jump, starts and run-hours derived from `running` with
 * a capped gap, stale and duplicate readings, non-numbers; states restored
 * after a schedd restart; completion, progress and due; and the "whichever
 * comes first" choice. */
#include "schedd/meter.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#define MIN_MS 60000LL
#define HOUR_MS 3600000LL
#define T0 1735689600000LL /* 2025-01-01T00:00:00Z */

struct reading {
	double v;
	long long ts; /* ms after T0 */
	enum meter_verdict want;
	double value; /* the meter after it */
};

struct meter_case {
	const char *name;
	struct meter_conf conf;
	struct reading r[12];
	int n;
};

static const struct meter_case cases[] = {
	{"counter: starts at its raw value, counts increases",
	 {METER_COUNTER, 1, 0},
	 {{1834.5, 0, METER_REBASED, 1834.5},
	  {1835, HOUR_MS, METER_COUNTED, 1835},
	  {1835, 2 * HOUR_MS, METER_COUNTED, 1835},
	  {1836.5, 4 * HOUR_MS, METER_COUNTED, 1836.5}},
	 4},
	{"counter: duplicate and older readings are ignored",
	 {METER_COUNTER, 0, 0},
	 {{100, HOUR_MS, METER_REBASED, 100},
	  {105, 2 * HOUR_MS, METER_COUNTED, 105},
	  {999, 2 * HOUR_MS, METER_STALE, 105},
	  {1, HOUR_MS, METER_STALE, 105},
	  {107, 2 * HOUR_MS + 1, METER_COUNTED, 107}},
	 5},
	{"counter: a reset starts a new baseline and keeps the count",
	 {METER_COUNTER, 0, 0},
	 {{1000, 0, METER_REBASED, 1000},
	  {1010, 10 * HOUR_MS, METER_COUNTED, 1010},
	  {2, 11 * HOUR_MS, METER_REBASED, 1010},
	  {5, 14 * HOUR_MS, METER_COUNTED, 1013},
	  {0, 15 * HOUR_MS, METER_REBASED, 1013},
	  {0.5, 16 * HOUR_MS, METER_COUNTED, 1013.5}},
	 6},
	{"counter: 16-bit rollover",
	 {METER_COUNTER, 0, 0},
	 {{65530, 0, METER_REBASED, 65530},
	  {65535, MIN_MS, METER_COUNTED, 65535},
	  {3, 2 * MIN_MS, METER_REBASED, 65535},
	  {10, 3 * MIN_MS, METER_COUNTED, 65542}},
	 4},
	{"run_hours: a glitch to 0 and back is not counted twice",
	 {METER_COUNTER, 1, 0},
	 {{100, 0, METER_REBASED, 100},
	  {100.5, 10000, METER_COUNTED, 100.5},
	  {0, 20000, METER_REBASED, 100.5},
	  {100.5, 30000, METER_REBASED, 100.5},
	  {101, HOUR_MS, METER_COUNTED, 101}},
	 5},
	{"run_hours: one hour's worth within any shorter interval",
	 {METER_COUNTER, 1, 0},
	 {{50, 0, METER_REBASED, 50},
	  {51, 10000, METER_COUNTED, 51},
	  {52.5, 20000, METER_REBASED, 51},
	  {53, 30000, METER_COUNTED, 51.5}},
	 4},
	{"run_hours: a week of schedd downtime is counted",
	 {METER_COUNTER, 1, 0},
	 {{100, 0, METER_REBASED, 100},
	  {268, 168 * HOUR_MS, METER_COUNTED, 268},
	  {437, 336 * HOUR_MS, METER_REBASED, 268}},
	 3},
	{"kwh: no rate limit",
	 {METER_COUNTER, 0, 0},
	 {{5000, 0, METER_REBASED, 5000}, {9000, 1000, METER_COUNTED, 9000}},
	 2},
	{"counter: non-numbers are ignored",
	 {METER_COUNTER, 0, 0},
	 {{10, 0, METER_REBASED, 10},
	  {NAN, MIN_MS, METER_INVALID, 10},
	  {INFINITY, MIN_MS, METER_INVALID, 10},
	  {-INFINITY, MIN_MS, METER_INVALID, 10},
	  {12, MIN_MS, METER_COUNTED, 12}},
	 5},
	{"starts: counts false -> true only",
	 {METER_STARTS, 0, 0},
	 {{0, 0, METER_REBASED, 0},
	  {1, MIN_MS, METER_COUNTED, 1},
	  {1, 2 * MIN_MS, METER_COUNTED, 1},
	  {0, 3 * MIN_MS, METER_COUNTED, 1},
	  {1, 4 * MIN_MS, METER_COUNTED, 2},
	  {1, 4 * MIN_MS, METER_STALE, 2},
	  {0, 2 * MIN_MS, METER_STALE, 2},
	  {0, 5 * MIN_MS, METER_COUNTED, 2},
	  {2.5, 6 * MIN_MS, METER_COUNTED, 3},
	  {NAN, 7 * MIN_MS, METER_INVALID, 3}},
	 10},
	{"starts: already running at the first reading is no start seen",
	 {METER_STARTS, 0, 0},
	 {{1, 0, METER_REBASED, 0},
	  {1, MIN_MS, METER_COUNTED, 0},
	  {0, 2 * MIN_MS, METER_COUNTED, 0},
	  {1, 3 * MIN_MS, METER_COUNTED, 1}},
	 4},
	{"run-hours: integrates running time, gaps capped at 15 min",
	 {METER_RUN_HOURS, 0, 15 * MIN_MS},
	 {{1, 0, METER_REBASED, 0},
	  {1, 6 * MIN_MS, METER_COUNTED, 0.1},
	  {0, 36 * MIN_MS, METER_COUNTED, 0.35},
	  {0, 2 * HOUR_MS, METER_COUNTED, 0.35},
	  {1, 3 * HOUR_MS, METER_COUNTED, 0.35},
	  {1, 3 * HOUR_MS + 3 * MIN_MS, METER_COUNTED, 0.4},
	  {0, 3 * HOUR_MS + 3 * MIN_MS + 72 * HOUR_MS, METER_COUNTED, 0.65},
	  {1, 3 * HOUR_MS, METER_STALE, 0.65}},
	 8},
	{"run-hours: a duplicate does not add time",
	 {METER_RUN_HOURS, 0, HOUR_MS},
	 {{1, 0, METER_REBASED, 0},
	  {1, 30 * MIN_MS, METER_COUNTED, 0.5},
	  {1, 30 * MIN_MS, METER_STALE, 0.5},
	  {0, 60 * MIN_MS, METER_COUNTED, 1}},
	 4},
	{"run-hours: an invalid gap cap counts nothing",
	 {METER_RUN_HOURS, 0, 0},
	 {{1, 0, METER_INVALID, 0}, {1, HOUR_MS, METER_INVALID, 0}},
	 2},
	{"counter: a negative rate limit is invalid",
	 {METER_COUNTER, -1, 0},
	 {{1, 0, METER_INVALID, 0}},
	 1},
};

static void
test_feed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct meter_case *c = &cases[i];
		struct meter_state st;

		meter_state_init(&st);
		for (int j = 0; j < c->n; j++) {
			const struct reading *r = &c->r[j];
			enum meter_verdict v = meter_feed(&c->conf, &st, r->v, T0 + r->ts);

			if (v != r->want || fabs(meter_progress(&st) - r->value) > 1e-9)
				fail_msg("%s, reading %d: verdict %d value %.12g; want %d %.12g",
					 c->name, j, v, meter_progress(&st), r->want, r->value);
		}
	}
}

static void
test_conf_valid(void **state)
{
	static const struct {
		struct meter_conf c;
		int valid;
	} t[] = {
		{{METER_COUNTER, 0, 0}, 1},         {{METER_COUNTER, 1, 0}, 1},
		{{METER_COUNTER, -0.5, 0}, 0},      {{METER_COUNTER, NAN, 0}, 0},
		{{METER_COUNTER, INFINITY, 0}, 0},  {{METER_STARTS, 0, 0}, 1},
		{{METER_RUN_HOURS, 0, 1}, 1},       {{METER_RUN_HOURS, 0, 0}, 0},
		{{METER_RUN_HOURS, 0, -MIN_MS}, 0}, {{(enum meter_kind)7, 0, MIN_MS}, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (meter_conf_valid(&t[i].c) != t[i].valid)
			fail_msg("row %zu", i);
}

/* schedd restarted: pm_state gave back the value (and maybe the baseline). */
static void
test_restored(void **state)
{
	const struct meter_conf c = {METER_COUNTER, 1, 0};
	struct meter_state st;

	(void)state;
	meter_state_init(&st);
	st.has_value = 1;
	st.value = 500;
	st.has_done = 1;
	st.value_at_done = 450;
	/* Without a baseline the first reading is one, whatever its size. */
	assert_int_equal(meter_feed(&c, &st, 3, T0), METER_REBASED);
	assert_true(st.value == 500);
	assert_int_equal(meter_feed(&c, &st, 4, T0 + HOUR_MS), METER_COUNTED);
	assert_true(st.value == 501);
	assert_true(meter_progress(&st) == 51);

	/* With its baseline, what the counter ran while schedd was down counts. */
	meter_state_init(&st);
	st.has_base = 1;
	st.base = 1000;
	st.base_ts_ms = T0;
	st.has_value = 1;
	st.value = 1500;
	assert_int_equal(meter_feed(&c, &st, 1010, T0 + 24 * HOUR_MS), METER_COUNTED);
	assert_true(st.value == 1510);
	assert_int_equal(meter_feed(&c, &st, 1011, T0), METER_STALE);
}

static void
test_done_and_due(void **state)
{
	const struct meter_conf c = {METER_COUNTER, 1, 0};
	struct meter_state st;

	(void)state;
	meter_state_init(&st);
	/* Never done: due at once, even before any reading. */
	assert_int_equal(meter_due(&st, 2000), 1);
	assert_true(meter_progress(&st) == 0);
	meter_feed(&c, &st, 1834.5, T0);
	assert_int_equal(meter_due(&st, 2000), 1);
	assert_true(meter_progress(&st) == 1834.5);

	meter_mark_done(&st);
	assert_int_equal(meter_due(&st, 2000), 0);
	assert_true(meter_progress(&st) == 0);
	meter_feed(&c, &st, 3834, T0 + 2000 * HOUR_MS);
	assert_int_equal(meter_due(&st, 2000), 0);
	assert_true(meter_progress(&st) == 1999.5);
	/* A reset on the way loses nothing. */
	meter_feed(&c, &st, 0, T0 + 2001 * HOUR_MS);
	meter_feed(&c, &st, 0.5, T0 + 2002 * HOUR_MS);
	assert_true(meter_progress(&st) == 2000);
	assert_int_equal(meter_due(&st, 2000), 1);
	assert_int_equal(meter_due(&st, 2000.5), 0);
	/* Completion resets the meter plan. */
	meter_mark_done(&st);
	assert_int_equal(meter_due(&st, 2000), 0);
	assert_true(st.value_at_done == 2000 + 1834.5);
}

/* A completion recorded before the first reading: that reading is the value
 * at completion, not progress. */
static void
test_done_before_reading(void **state)
{
	const struct meter_conf c = {METER_COUNTER, 0, 0};
	struct meter_state st;

	(void)state;
	meter_state_init(&st);
	meter_mark_done(&st);
	assert_int_equal(meter_due(&st, 10), 0);
	assert_int_equal(meter_feed(&c, &st, 9000, T0), METER_REBASED);
	assert_int_equal(meter_due(&st, 10), 0);
	assert_true(meter_progress(&st) == 0);
	meter_feed(&c, &st, 9010, T0 + 1);
	assert_int_equal(meter_due(&st, 10), 1);
	assert_true(meter_progress(&st) == 10);
}

static void
test_first(void **state)
{
	enum { NOMETER, NEVER, NOTDUE, DUE };
	static const struct {
		int calendar_ready, meter, outstanding;
		enum meter_fire want;
		const char *name;
	} t[] = {
		{0, NOMETER, 0, METER_FIRE_NONE, "none"},
		{1, NOMETER, 0, METER_FIRE_CALENDAR, "calendar"},
		{0, NOTDUE, 0, METER_FIRE_NONE, "none"},
		{1, NOTDUE, 0, METER_FIRE_CALENDAR, "calendar"},
		{0, DUE, 0, METER_FIRE_METER, "meter"},
		{1, DUE, 0, METER_FIRE_BOTH, "calendar+meter"},
		{0, NEVER, 0, METER_FIRE_METER, "meter"},
		{1, NEVER, 0, METER_FIRE_BOTH, "calendar+meter"},
		{1, DUE, 1, METER_FIRE_NONE, "none"},
		{1, NOMETER, 1, METER_FIRE_NONE, "none"},
		{0, DUE, 1, METER_FIRE_NONE, "none"},
	};
	const struct meter_conf c = {METER_STARTS, 0, 0};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct meter_state st;
		enum meter_fire f;

		meter_state_init(&st);
		meter_feed(&c, &st, 0, T0);
		if (t[i].meter != NEVER)
			meter_mark_done(&st);
		if (t[i].meter == DUE)
			for (int k = 1; k <= 6; k++)
				meter_feed(&c, &st, k % 2, T0 + k);
		f = meter_first(t[i].calendar_ready, t[i].meter == NOMETER ? NULL : &st, 3,
				t[i].outstanding);
		if (f != t[i].want || strcmp(meter_fire_name(f), t[i].name) != 0)
			fail_msg("row %zu: %d %s", i, f, meter_fire_name(f));
	}
	assert_string_equal(meter_fire_name((enum meter_fire)42), "none");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed),
		cmocka_unit_test(test_conf_valid),
		cmocka_unit_test(test_restored),
		cmocka_unit_test(test_done_and_due),
		cmocka_unit_test(test_done_before_reading),
		cmocka_unit_test(test_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
