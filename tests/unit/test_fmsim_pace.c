/* test_fmsim_pace.c — the load generator's token bucket: unlimited rate,
 * the first token, waits that add up to the rate, the burst cap after an
 * idle spell, fractional carry-over, and a clock that steps backwards. */
#include "fmsim/pace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static void
test_unlimited(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 0, 10, 1000);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(pace_take(&p, 1000), 0);
	pace_init(&p, -5, 10, 1000);
	assert_int_equal(pace_take(&p, 1000), 0);
}

/* At rate R, a caller that waits exactly what pace_take says sends R per
 * second, whatever R is. */
struct rate_case {
	double rate_per_s;
	double burst;
	long long seconds;
};

static const struct rate_case rates[] = {
	{1, 1, 10},      {10, 1, 10},  {333, 3.33, 3}, {1000, 10, 2},
	{50000, 500, 1}, {0.5, 1, 20}, {7, 0.1, 10},
};

static void
test_rate_is_kept(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
		const struct rate_case *rc = &rates[i];
		long long now = 5000000, end = now + rc->seconds * 1000000, sent = 0, w;
		struct pace p;

		pace_init(&p, rc->rate_per_s, rc->burst, now);
		while (now < end) {
			w = pace_take(&p, now);
			if (w == 0) {
				sent++;
				continue;
			}
			assert_true(w >= 1);
			now += w;
		}
		/* The first token is there at once: at most one more than R * s. */
		long long want = (long long)(rc->rate_per_s * (double)rc->seconds);
		assert_in_range(sent, want, want + 1);
	}
}

static void
test_burst_cap_after_idle(void **state)
{
	struct pace p;
	int n = 0;

	(void)state;
	pace_init(&p, 100, 5, 0);
	assert_int_equal(pace_take(&p, 0), 0);
	/* An hour idle gives no more than the burst. */
	while (pace_take(&p, 3600LL * 1000000) == 0)
		n++;
	assert_int_equal(n, 5);
	/* Then the next one is 10 ms away (100 per second). */
	assert_in_range(pace_take(&p, 3600LL * 1000000), 9999, 10001);
}

static void
test_fractions_carry_over(void **state)
{
	struct pace p;
	long long now = 0;
	int sent = 0;

	(void)state;
	/* 3 per second checked every 100 ms: tokens accumulate in tenths and
	 * none is lost while the bucket stays under its burst. */
	pace_init(&p, 3, 2, 0);
	for (int i = 0; i <= 100; i++, now += 100000)
		if (pace_take(&p, now) == 0)
			sent++;
	assert_in_range(sent, 30, 31);
}

static void
test_clock_backwards(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 10, 1, 1000000);
	assert_int_equal(pace_take(&p, 1000000), 0);
	/* Earlier than the last reading: no tokens appear, a positive wait. */
	assert_true(pace_take(&p, 0) > 0);
	assert_true(pace_take(&p, 500000) > 0);
	assert_int_equal(pace_take(&p, 1100000), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unlimited),
		cmocka_unit_test(test_rate_is_kept),
		cmocka_unit_test(test_burst_cap_after_idle),
		cmocka_unit_test(test_fractions_carry_over),
		cmocka_unit_test(test_clock_backwards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
