/* test_alertd_eval.c — alertd's pure rule evaluator (services/alertd/rules.c)
 * on thresholds, one table of scripted cases: each comparison at its level
 * and the hysteresis between the raise and clear levels, raise/clear
 * durations with interrupted runs and tick-driven completion, late readings,
 * and the while: guard. Rates, timers, events and presence are in
 * test_alertd_eval_timers.c. */
#include "alertd_eval_fixture.h"

static const struct eval_case cases[] = {
	/* ---- threshold: each comparison at its level, hysteresis ---- */
	{"above raises strictly above the level, clears at the clear level",
	 THR(RCF_ABOVE, 40, 37, 1, 0, 0),
	 {{1, 'm', 40, 0, RULE_NONE},
	  {2, 'm', 40.01, 0, RULE_RAISE},
	  {3, 'm', 45, 0, RULE_NONE},
	  {4, 'm', 39, 0, RULE_NONE}, /* between the levels: still raised */
	  {5, 'm', 37.01, 0, RULE_NONE},
	  {6, 'm', 37, 0, RULE_CLEAR},
	  {7, 'm', 39, 0, RULE_NONE}, /* between the levels: still clear */
	  {8, 'm', 40, 0, RULE_NONE},
	  {9, 'm', 41, 0, RULE_RAISE},
	  END}},
	{"at_least raises at the level",
	 THR(RCF_AT_LEAST, 20, 10, 1, 0, 0),
	 {{1, 'm', 19.99, 0, RULE_NONE},
	  {2, 'm', 20, 0, RULE_RAISE},
	  {3, 'm', 10.01, 0, RULE_NONE},
	  {4, 'm', 10, 0, RULE_CLEAR},
	  END}},
	{"below raises strictly below, clears at the higher clear level",
	 THR(RCF_BELOW, 20, 25, 1, 0, 0),
	 {{1, 'm', 20, 0, RULE_NONE},
	  {2, 'm', 19.9, 0, RULE_RAISE},
	  {3, 'm', 24.9, 0, RULE_NONE},
	  {4, 'm', 25, 0, RULE_CLEAR},
	  {5, 'm', 22, 0, RULE_NONE},
	  {6, 'm', 5, 0, RULE_RAISE},
	  END}},
	{"at_most raises at the level",
	 THR(RCF_AT_MOST, 0, 0, 0, 0, 0),
	 {{1, 'm', 1, 0, RULE_NONE},
	  {2, 'm', 0, 0, RULE_RAISE},
	  {3, 'm', 0, 0, RULE_NONE},
	  {4, 'm', 1, 0, RULE_CLEAR},
	  END}},
	{"without a clear level an above alarm clears when no longer above",
	 THR(RCF_ABOVE, 40, 40, 0, 0, 0),
	 {{1, 'm', 41, 0, RULE_RAISE},
	  {2, 'm', 40.5, 0, RULE_NONE},
	  {3, 'm', 40, 0, RULE_CLEAR},
	  END}},
	{"without a clear level an at_least alarm clears just under the level",
	 THR(RCF_AT_LEAST, 1, 1, 0, 0, 0),
	 {{1, 'm', 1, 0, RULE_RAISE}, {2, 'm', 0.99, 0, RULE_CLEAR}, END}},
	{"negative levels",
	 THR(RCF_BELOW, -10, -5, 1, 0, 0),
	 {{1, 'm', -10, 0, RULE_NONE},
	  {2, 'm', -10.5, 0, RULE_RAISE},
	  {3, 'm', -6, 0, RULE_NONE},
	  {4, 'm', -5, 0, RULE_CLEAR},
	  END}},

	/* ---- durations ---- */
	{"raise_for: the condition must hold for the whole duration",
	 THR(RCF_ABOVE, 40, 37, 1, 60 * S, 0),
	 {{0, 'm', 41, 0, RULE_NONE},
	  {30 * S, 'm', 42, 0, RULE_NONE},
	  {60 * S - 1, 'm', 42, 0, RULE_NONE},
	  {60 * S, 'm', 42, 0, RULE_RAISE},
	  END}},
	{"raise_for: a reading in the dead band interrupts the run, which starts again",
	 THR(RCF_ABOVE, 40, 37, 1, 60 * S, 0),
	 {{0, 'm', 41, 0, RULE_NONE},
	  {30 * S, 'm', 39, 0, RULE_NONE},
	  {40 * S, 'm', 41, 0, RULE_NONE},
	  {90 * S, 'm', 41, 0, RULE_NONE}, /* 50 s of the new run */
	  {99 * S, 't', 0, 0, RULE_NONE},
	  {100 * S, 'm', 41, 0, RULE_RAISE},
	  END}},
	{"raise_for completes on a tick without a new reading",
	 THR(RCF_ABOVE, 40, 37, 1, 60 * S, 0),
	 {{10 * S, 'm', 41, 0, RULE_NONE},
	  {70 * S - 1, 't', 0, 0, RULE_NONE},
	  {70 * S, 't', 0, 0, RULE_RAISE},
	  {80 * S, 't', 0, 0, RULE_NONE},
	  END}},
	{"clear_for: an interrupted clear run restarts; the tick completes it",
	 THR(RCF_ABOVE, 40, 37, 1, 0, 5 * M),
	 {{0, 'm', 41, 0, RULE_RAISE},
	  {1 * M, 'm', 36, 0, RULE_NONE},
	  {3 * M, 'm', 38, 0, RULE_NONE}, /* back in the dead band: the clear run stops */
	  {4 * M, 'm', 36, 0, RULE_NONE},
	  {9 * M - 1, 't', 0, 0, RULE_NONE},
	  {9 * M, 't', 0, 0, RULE_CLEAR},
	  END}},
	{"clear_for: a new excursion above the raise level also interrupts it",
	 THR(RCF_ABOVE, 40, 37, 1, 0, 60 * S),
	 {{0, 'm', 41, 0, RULE_RAISE},
	  {10 * S, 'm', 30, 0, RULE_NONE},
	  {20 * S, 'm', 45, 0, RULE_NONE},
	  {75 * S, 't', 0, 0, RULE_NONE},
	  {80 * S, 'm', 30, 0, RULE_NONE},
	  {140 * S, 'm', 30, 0, RULE_CLEAR},
	  END}},
	{"a tick with nothing pending does nothing",
	 THR(RCF_ABOVE, 40, 37, 1, 60 * S, 60 * S),
	 {{0, 't', 0, 0, RULE_NONE}, {10 * M, 't', 0, 0, RULE_NONE}, END}},

	/* ---- late readings ---- */
	{"a reading older than the last one is ignored",
	 THR(RCF_ABOVE, 40, 37, 1, 0, 0),
	 {{100, 'm', 41, 100, RULE_RAISE},
	  {101, 'm', 30, 50, RULE_NONE},
	  {102, 'm', 30, 102, RULE_CLEAR},
	  END}},

	/* ---- while: a guard metric ---- */
	{"while: nothing until the guard metric is known and non-zero; guard off clears",
	 {.kind = RCF_THRESHOLD,
	  .metric = "level",
	  .guard = "running",
	  .op = RCF_BELOW,
	  .raise = 0.5,
	  .clear = 1,
	  .has_clear = 1,
	  .enabled = 1},
	 {{1, 'm', 0.1, 0, RULE_NONE},
	  {2, 'g', 0, 0, RULE_NONE},
	  {3, 'g', 1, 0, RULE_RAISE}, /* the last reading (0.1) now counts */
	  {4, 'm', 0.8, 0, RULE_NONE},
	  {5, 'g', 0, 0, RULE_CLEAR}, /* the pump stopped: no current is normal */
	  {6, 'm', 0, 0, RULE_NONE},
	  {7, 'o', 1, 0, RULE_NONE},
	  END}},
};

static void
test_thresholds(void **state)
{
	(void)state;
	run_cases(cases, sizeof cases / sizeof cases[0]);
}

/* One telemetry message carries both the metric and its guard: the rule
 * looks at them together, whatever their order in the message. Taken one
 * by one, "stopped, no current" would pass through "running, no current"
 * (or, starting, "running, still no current") and raise with raise_for 0. */
static void
test_guard_and_metric_in_one_message(void **state)
{
	const struct rcf_rule r = {.kind = RCF_THRESHOLD,
				   .metric = "current",
				   .guard = "running",
				   .op = RCF_BELOW,
				   .raise = 0.5,
				   .clear = 1,
				   .has_clear = 1,
				   .enabled = 1};
	const struct rule_input run5[2] = {{RULE_IN_METRIC, "current", 5, 1, 0},
					   {RULE_IN_METRIC, "running", 1, 1, 0}};
	const struct rule_input stop[2][2] = {
		{{RULE_IN_METRIC, "current", 0, 2, 0}, {RULE_IN_METRIC, "running", 0, 2, 0}},
		{{RULE_IN_METRIC, "running", 0, 2, 0}, {RULE_IN_METRIC, "current", 0, 2, 0}}};
	const struct rule_input start[2][2] = {
		{{RULE_IN_METRIC, "current", 6, 3, 0}, {RULE_IN_METRIC, "running", 1, 3, 0}},
		{{RULE_IN_METRIC, "running", 1, 3, 0}, {RULE_IN_METRIC, "current", 6, 3, 0}}};
	const struct rule_input fault[2] = {{RULE_IN_METRIC, "running", 1, 4, 0},
					    {RULE_IN_METRIC, "current", 0.1, 4, 0}};
	struct rule_result out;

	(void)state;
	for (int order = 0; order < 2; order++) {
		struct rule_state st;

		memset(&st, 0, sizeof st);
		assert_int_equal(rule_eval_metrics(&r, &st, run5, 2, 1, &out), RULE_NONE);
		assert_int_equal(rule_eval_metrics(&r, &st, stop[order], 2, 2, &out), RULE_NONE);
		assert_int_equal(rule_eval_metrics(&r, &st, start[order], 2, 3, &out), RULE_NONE);
		/* the real fault still raises: running with no current */
		assert_int_equal(rule_eval_metrics(&r, &st, fault, 2, 4, &out), RULE_RAISE);
		assert_true(out.value < 0.5);
	}
	{
		/* the same stop taken one metric at a time (the old way) raises:
		 * the case above guards against it */
		struct rule_state st;

		memset(&st, 0, sizeof st);
		rule_eval_metrics(&r, &st, run5, 2, 1, &out);
		assert_int_equal(rule_eval(&r, &st, &stop[0][0], 2, &out), RULE_RAISE);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_guard_and_metric_in_one_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
