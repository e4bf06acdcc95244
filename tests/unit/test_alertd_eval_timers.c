/* test_alertd_eval_timers.c — alertd's pure rule evaluator beyond plain
 * thresholds: rates of change over a window (and a ring that keeps spanning
 * it), no-data timers, events, device offline/online by last will and by
 * silence, disabled rules, what a verdict reports, and the deadlines
 * rule_next_deadline announces. */
#include "alertd_eval_fixture.h"

#include <limits.h>

static const struct eval_case cases[] = {
	/* ---- rate of change ---- */
	{"rate fall: raised once the drop within the window reaches the level",
	 RATE(RCF_FALL, 15, 5, 10 * M),
	 {{0, 'm', 80, 0, RULE_NONE},
	  {2 * M, 'm', 75, 0, RULE_NONE},
	  {5 * M, 'm', 66, 0, RULE_NONE},  /* 14 */
	  {6 * M, 'm', 65, 0, RULE_RAISE}, /* 15 */
	  {8 * M, 'm', 64, 0, RULE_NONE},
	  {12 * M, 'm', 64, 0, RULE_NONE},  /* 80 at 0 left the window, 75 at 2 m has not: 11 */
	  {15 * M, 'm', 64, 0, RULE_CLEAR}, /* window from 5 m: 66 -> 64, 2 <= 5 */
	  {17 * M, 'm', 64, 0, RULE_NONE},
	  END}},
	{"rate fall: clears when the change within the window is back at the clear level",
	 RATE(RCF_FALL, 15, 5, 10 * M),
	 {{0, 'm', 80, 0, RULE_NONE},
	  {1 * M, 'm', 60, 0, RULE_RAISE},
	  {5 * M, 'm', 58, 0, RULE_NONE},
	  {10 * M, 'm', 58, 0, RULE_NONE},      /* 80 at 0 still in the window */
	  {11 * M + 1, 'm', 57, 0, RULE_CLEAR}, /* 80 and 60 have left the window: 1 */
	  END}},
	{"rate rise ignores a fall, and a fall ignores a rise",
	 RATE(RCF_RISE, 10, 5, 60 * M),
	 {{0, 'm', 100, 0, RULE_NONE},
	  {10 * M, 'm', 80, 0, RULE_NONE},
	  {20 * M, 'm', 89, 0, RULE_NONE},
	  {30 * M, 'm', 90, 0, RULE_RAISE}, /* 10 above the lowest (80) */
	  END}},
	{"rate: a slow drift never raises, whatever the reading interval",
	 RATE(RCF_FALL, 15, 5, 10 * M),
	 {{0, 'm', 100, 0, RULE_NONE},
	  {5 * M, 'm', 93, 0, RULE_NONE},
	  {10 * M, 'm', 86, 0, RULE_NONE},
	  {15 * M, 'm', 79, 0, RULE_NONE},
	  {20 * M, 'm', 72, 0, RULE_NONE},
	  {25 * M, 'm', 65.5, 0, RULE_NONE},
	  END}},
	{"rate: a repeated or late reading is ignored",
	 RATE(RCF_FALL, 15, 5, 10 * M),
	 {{0, 'm', 80, 0, RULE_NONE},
	  {1 * M, 'm', 60, 0, RULE_RAISE},
	  {2 * M, 'm', 90, 1 * M, RULE_NONE}, /* same ts as the last */
	  {3 * M, 'm', 90, 30 * S, RULE_NONE},
	  END}},

	/* ---- no data ---- */
	{"no_data: raised at the timeout, cleared by the next reading of the metric",
	 {.kind = RCF_NO_DATA, .metric = "level", .timeout_ms = 10 * M, .enabled = 1},
	 {{2 * M, 'm', 50, 0, RULE_NONE},
	  {11 * M, 't', 0, 0, RULE_NONE},
	  {12 * M - 1, 'o', 1, 0, RULE_NONE}, /* another metric does not count */
	  {12 * M - 1, 't', 0, 0, RULE_NONE},
	  {12 * M, 't', 0, 0, RULE_RAISE},
	  {13 * M, 't', 0, 0, RULE_NONE},
	  {14 * M, 'm', 50, 0, RULE_CLEAR},
	  {24 * M - 1, 't', 0, 0, RULE_NONE},
	  {24 * M, 't', 0, 0, RULE_RAISE},
	  END}},
	{"no_data: the clock starts at state creation for a metric never seen",
	 {.kind = RCF_NO_DATA, .metric = "level", .timeout_ms = 10 * M, .enabled = 1},
	 {{10 * M - 1, 't', 0, 0, RULE_NONE}, {10 * M, 't', 0, 0, RULE_RAISE}, END}},

	/* ---- events ---- */
	{"event: active raises, cleared clears, repeats and other events do nothing",
	 {.kind = RCF_EVENT, .event = "entrapment", .enabled = 1},
	 {{1, 'e', 0, 0, RULE_NONE},
	  {2, 'e', 1, 0, RULE_RAISE},
	  {3, 'e', 1, 0, RULE_NONE},
	  {4, 'x', 0, 0, RULE_NONE},
	  {5, 'm', 1, 0, RULE_NONE},
	  {6, 's', 0, 0, RULE_NONE},
	  {7, 't', 0, 0, RULE_NONE},
	  {8, 'e', 0, 0, RULE_CLEAR},
	  {9, 'e', 0, 0, RULE_NONE},
	  {10, 'e', 1, 0, RULE_RAISE},
	  END}},

	/* ---- offline ---- */
	{"offline: a last will raises after 'after'; hearing the device clears",
	 {.kind = RCF_OFFLINE, .after_ms = 5 * M, .enabled = 1},
	 {{1 * M, 's', 0, 0, RULE_NONE},
	  {3 * M, 's', 0, 0, RULE_NONE}, /* a repeated last will keeps the first time */
	  {6 * M - 1, 't', 0, 0, RULE_NONE},
	  {6 * M, 't', 0, 0, RULE_RAISE},
	  {7 * M, 't', 0, 0, RULE_NONE},
	  {8 * M, 's', 1, 0, RULE_CLEAR},
	  {60 * M, 't', 0, 0, RULE_NONE}, /* no silence rule */
	  END}},
	{"offline: a reading after the last will means it is back",
	 {.kind = RCF_OFFLINE, .after_ms = 5 * M, .enabled = 1},
	 {{0, 's', 0, 0, RULE_NONE},
	  {2 * M, 'o', 1, 0, RULE_NONE},
	  {10 * M, 't', 0, 0, RULE_NONE},
	  {11 * M, 's', 0, 0, RULE_NONE},
	  {16 * M, 't', 0, 0, RULE_RAISE},
	  {17 * M, 'x', 1, 0, RULE_CLEAR}, /* an event is hearing it too */
	  END}},
	{"offline: silence raises without a last will; any message clears",
	 {.kind = RCF_OFFLINE, .after_ms = 5 * M, .silence_ms = 5 * M, .enabled = 1},
	 {{4 * M, 'o', 1, 0, RULE_NONE},
	  {9 * M - 1, 't', 0, 0, RULE_NONE},
	  {9 * M, 't', 0, 0, RULE_RAISE},
	  {10 * M, 'o', 1, 0, RULE_CLEAR},
	  {10 * M, 'o', 1, 0, RULE_NONE},
	  END}},
	{"offline: after 0 raises on the last will itself",
	 {.kind = RCF_OFFLINE, .after_ms = 0, .enabled = 1},
	 {{5, 's', 1, 0, RULE_NONE}, {6, 's', 0, 0, RULE_RAISE}, {7, 's', 1, 0, RULE_CLEAR}, END}},

	/* ---- disabled ---- */
	{"a disabled rule raises nothing",
	 {.kind = RCF_EVENT, .event = "entrapment", .enabled = 0},
	 {{1, 'e', 1, 0, RULE_NONE}, {2, 't', 0, 0, RULE_NONE}, END}},
};

static void
test_timers_table(void **state)
{
	(void)state;
	run_cases(cases, sizeof cases / sizeof cases[0]);
}

/* What a verdict reports: the value, the level, and since when. */
static void
test_results(void **state)
{
	struct rcf_rule thr = THR(RCF_ABOVE, 40, 37, 1, 60 * S, 0);
	struct rcf_rule rate = RATE(RCF_FALL, 15, 5, 10 * M);
	struct rcf_rule ev = {.kind = RCF_EVENT, .event = "fire_alarm", .enabled = 1};
	struct rule_input in = {RULE_IN_METRIC, "level", 41.5, 0, 0};
	struct rule_state st;
	struct rule_result res;

	(void)state;
	rule_state_init(&st, 0);
	in.ts_ms = 5 * S;
	rule_eval(&thr, &st, &in, 5 * S, &res);
	assert_int_equal(rule_tick(&thr, &st, 65 * S, &res), RULE_RAISE);
	assert_true(res.has_value && res.has_threshold);
	assert_true(res.value == 41.5 && res.threshold == 40);
	assert_int_equal(res.since_ms, 5 * S);

	rule_state_init(&st, 0);
	in.value = 80;
	in.ts_ms = 0;
	rule_eval(&rate, &st, &in, 0, &res);
	in.value = 62;
	in.ts_ms = 1 * M;
	assert_int_equal(rule_eval(&rate, &st, &in, 1 * M, &res), RULE_RAISE);
	assert_true(res.value == 18 && res.threshold == 15);

	rule_state_init(&st, 0);
	in = (struct rule_input){RULE_IN_EVENT, "fire_alarm", 0, 0, 1};
	assert_int_equal(rule_eval(&ev, &st, &in, 7, &res), RULE_RAISE);
	assert_false(res.has_value);
	assert_false(res.has_threshold);
	assert_int_equal(res.since_ms, 7);
}

/* A rule disabled (by a reload or an override) while raised clears it. */
static void
test_disabled_clears(void **state)
{
	struct rcf_rule r = THR(RCF_ABOVE, 40, 37, 1, 0, 0);
	struct rule_input in = {RULE_IN_METRIC, "level", 50, 1, 0};
	struct rule_state st;
	struct rule_result res;

	(void)state;
	rule_state_init(&st, 0);
	assert_int_equal(rule_eval(&r, &st, &in, 1, &res), RULE_RAISE);
	r.enabled = 0;
	assert_int_equal(rule_tick(&r, &st, 2, &res), RULE_CLEAR);
	assert_int_equal(rule_eval(&r, &st, &in, 3, &res), RULE_NONE);
}

/* Rate samples are spaced so that a full ring still spans the window: a
 * reading every second for an hour keeps the window's oldest value. */
static void
test_rate_ring_spans_window(void **state)
{
	struct rcf_rule r = RATE(RCF_RISE, 50, 10, 10 * M);
	struct rule_input in = {RULE_IN_METRIC, "level", 0, 0, 0};
	struct rule_state st;
	struct rule_result res;
	int raised_at = -1;

	(void)state;
	rule_state_init(&st, 0);
	/* +5 per minute: the rise within 10 minutes reaches 50 after 10 minutes */
	for (int s = 0; s <= 3600 && raised_at < 0; s++) {
		in.ts_ms = s * S;
		in.value = s / 12.0;
		if (rule_eval(&r, &st, &in, s * S, &res) == RULE_RAISE)
			raised_at = s;
	}
	/* the sample spacing (window / 15 = 40 s) may delay it by one spacing */
	assert_true(raised_at >= 600 && raised_at <= 640);
	assert_int_equal(st.ring_n, RULE_RING);
}

struct deadline_case {
	const char *what;
	struct rcf_rule rule;
	struct step steps[4];
	long long want;
};

static const struct deadline_case deadlines[] = {
	{"threshold pending raise",
	 THR(RCF_ABOVE, 40, 37, 1, 60 * S, 0),
	 {{10, 'm', 41, 0, RULE_NONE}, END},
	 10 + 60 * S},
	{"threshold pending clear",
	 THR(RCF_ABOVE, 40, 37, 1, 0, 30 * S),
	 {{0, 'm', 41, 0, RULE_RAISE}, {5, 'm', 30, 0, RULE_NONE}, END},
	 5 + 30 * S},
	{"threshold idle",
	 THR(RCF_ABOVE, 40, 37, 1, 60 * S, 0),
	 {{10, 'm', 39, 0, RULE_NONE}, END},
	 LLONG_MAX},
	{"no_data",
	 {.kind = RCF_NO_DATA, .metric = "level", .timeout_ms = 10 * M, .enabled = 1},
	 {{3, 'm', 1, 0, RULE_NONE}, END},
	 3 + 10 * M},
	{"offline: the earlier of last will and silence",
	 {.kind = RCF_OFFLINE, .after_ms = 5 * M, .silence_ms = 10 * M, .enabled = 1},
	 {{1 * M, 'o', 1, 0, RULE_NONE}, {2 * M, 's', 0, 0, RULE_NONE}, END},
	 7 * M},
	{"offline raised: only an input clears it",
	 {.kind = RCF_OFFLINE, .after_ms = 0, .silence_ms = 10 * M, .enabled = 1},
	 {{1, 's', 0, 0, RULE_RAISE}, END},
	 LLONG_MAX},
	{"event",
	 {.kind = RCF_EVENT, .event = "flood", .enabled = 1},
	 {{1, 'e', 1, 0, RULE_RAISE}, END},
	 LLONG_MAX},
};

static void
test_next_deadline(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof deadlines / sizeof deadlines[0]; c++) {
		const struct deadline_case *k = &deadlines[c];
		struct rule_state st;
		struct rule_result res;

		rule_state_init(&st, 0);
		for (const struct step *s = k->steps; s->now >= 0; s++)
			assert_int_equal(run_step(&k->rule, &st, s, &res), s->want);
		if (rule_next_deadline(&k->rule, &st) != k->want)
			fail_msg("%s: deadline %lld, want %lld", k->what,
				 rule_next_deadline(&k->rule, &st), k->want);
		/* at the deadline a tick fires, just before it does not */
		if (k->want != LLONG_MAX) {
			struct rule_state before = st;

			assert_int_equal(rule_tick(&k->rule, &before, k->want - 1, &res),
					 RULE_NONE);
			assert_int_not_equal(rule_tick(&k->rule, &st, k->want, &res), RULE_NONE);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_table),
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_disabled_clears),
		cmocka_unit_test(test_rate_ring_spans_window),
		cmocka_unit_test(test_next_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
