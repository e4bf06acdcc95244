/* test_fmsim_latency.c — the latency histogram: exact below 64 µs, bucket
 * bounds within 1/32 above, quantiles of known distributions, merging, the
 * empty histogram, negatives and huge values. */
#include "latency.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

static struct latency *
fresh(void)
{
	struct latency *h = malloc(sizeof *h);

	assert_non_null(h);
	latency_init(h);
	return h;
}

static void
test_empty(void **state)
{
	struct latency *h = fresh();

	(void)state;
	assert_int_equal(latency_quantile(h, 0.5), -1);
	assert_int_equal(h->n, 0);
	free(h);
}

static void
test_small_values_are_exact(void **state)
{
	(void)state;
	for (long long v = 0; v < LATENCY_EXACT; v++) {
		struct latency *h = fresh();

		latency_add(h, v);
		assert_int_equal(latency_quantile(h, 0), v);
		assert_int_equal(latency_quantile(h, 1), v);
		free(h);
	}
}

/* A quantile is the top of the value's bucket, capped by the largest value
 * seen: never below the value, at most 1/32 above it. */
static void
test_bucket_resolution(void **state)
{
	static const long long values[] = {64,      65,       100,       127,        128,
					   1000,    4095,     4096,      123456,     999999,
					   1000000, 12345678, 987654321, 2000000000, 1LL << 40};

	(void)state;
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		struct latency *h = fresh();
		long long q;

		latency_add(h, values[i]);
		latency_add(h, values[i] * 4); /* so that the cap is not the answer */
		q = latency_quantile(h, 0.5);
		assert_true(q >= values[i]);
		assert_true(q <= values[i] + values[i] / 32 + 1);
		free(h);
	}
}

static void
test_uniform_quantiles(void **state)
{
	struct latency *h = fresh();

	(void)state;
	for (long long v = 1; v <= 10000; v++)
		latency_add(h, v);
	assert_int_equal(h->n, 10000);
	assert_in_range(latency_quantile(h, 0.5), 5000, 5000 + 5000 / 32 + 1);
	assert_in_range(latency_quantile(h, 0.99), 9900, 10000);
	assert_int_equal(latency_quantile(h, 1), 10000);
	assert_int_equal(latency_quantile(h, 0), 1);
	/* Out-of-range q is clamped. */
	assert_int_equal(latency_quantile(h, 7), 10000);
	assert_int_equal(latency_quantile(h, -1), 1);
	free(h);
}

static void
test_merge(void **state)
{
	struct latency *a = fresh(), *b = fresh();

	(void)state;
	for (int i = 0; i < 99; i++)
		latency_add(a, 10);
	latency_add(b, 5000000);
	latency_merge(a, b);
	assert_int_equal(a->n, 100);
	assert_int_equal(a->max_us, 5000000);
	assert_int_equal(latency_quantile(a, 0.5), 10);
	assert_int_equal(latency_quantile(a, 0.99), 10);
	assert_int_equal(latency_quantile(a, 1), 5000000);
	free(a);
	free(b);
}

static void
test_negative_and_huge(void **state)
{
	struct latency *h = fresh();

	(void)state;
	latency_add(h, -5);
	assert_int_equal(latency_quantile(h, 1), 0);
	latency_add(h, 1LL << 60);
	assert_int_equal(h->max_us, 1LL << 60);
	assert_true(latency_quantile(h, 1) > 0);
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_small_values_are_exact),
		cmocka_unit_test(test_bucket_resolution),
		cmocka_unit_test(test_uniform_quantiles),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_negative_and_huge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
