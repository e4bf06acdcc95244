/* test_fmsim_inflight.c — the publishes awaiting an outcome: put and take
 * by token, a reused token reporting the abandoned publish as lost, unknown
 * and stale tokens, taking the rest at the end, and the retry queue's order
 * across growth and wrap-around. */
#include "fmsim/inflight.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static struct inflight_msg
msg(long long dev, long long seq)
{
	struct inflight_msg m = {dev, seq, 1000 + seq, 5000 + seq, 1};

	return m;
}

static void
test_put_take(void **state)
{
	struct inflight f;
	struct inflight_msg m = msg(3, 7), out, lost;

	(void)state;
	inflight_init(&f);
	assert_int_equal(inflight_count(&f), 0);
	assert_int_equal(inflight_put(&f, 1, &m, &lost), 0);
	m = msg(4, 8);
	assert_int_equal(inflight_put(&f, 65535, &m, &lost), 0);
	assert_int_equal(inflight_count(&f), 2);
	assert_int_equal(inflight_take(&f, 2, &out), -1); /* never put */
	assert_int_equal(inflight_take(&f, 1, &out), 0);
	assert_int_equal(out.dev, 3);
	assert_int_equal(out.seq, 7);
	assert_int_equal(out.ts_ms, 1007);
	assert_int_equal(inflight_take(&f, 1, &out), -1); /* already taken */
	assert_int_equal(inflight_take(&f, 65535, &out), 0);
	assert_int_equal(out.seq, 8);
	assert_int_equal(inflight_count(&f), 0);
	inflight_free(&f);
	inflight_free(&f);
}

/* Paho reused packet id 5 while we still held a publish under it: that one
 * will never be acknowledged, and must come back as lost. */
static void
test_reused_token_reports_lost(void **state)
{
	struct inflight f;
	struct inflight_msg a = msg(1, 1), b = msg(2, 2), out, lost;

	(void)state;
	inflight_init(&f);
	assert_int_equal(inflight_put(&f, 5, &a, &lost), 0);
	assert_int_equal(inflight_put(&f, 5, &b, &lost), 1);
	assert_int_equal(lost.dev, 1);
	assert_int_equal(lost.seq, 1);
	assert_int_equal(inflight_count(&f), 1);
	assert_int_equal(inflight_take(&f, 5, &out), 0);
	assert_int_equal(out.dev, 2);
	/* Tokens that share a slot (65536 apart) are told apart. */
	assert_int_equal(inflight_put(&f, 7, &a, &lost), 0);
	assert_int_equal(inflight_take(&f, 7 + INFLIGHT_SLOTS, &out), -1);
	assert_int_equal(inflight_take(&f, 7, &out), 0);
	inflight_free(&f);
}

static void
test_take_any(void **state)
{
	struct inflight f;
	struct inflight_msg m, out, lost;
	long long seen = 0;

	(void)state;
	inflight_init(&f);
	for (int t = 1; t <= 1000; t++) {
		m = msg(0, t);
		assert_int_equal(inflight_put(&f, t * 37, &m, &lost), 0);
	}
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(inflight_take_any(&f, &out), 0);
		seen += out.seq;
	}
	assert_int_equal(seen, 1000 * 1001 / 2);
	assert_int_equal(inflight_take_any(&f, &out), -1);
	assert_int_equal(inflight_count(&f), 0);
	inflight_free(&f);
}

static void
test_retry_queue_order(void **state)
{
	struct retryq q = {0};
	struct inflight_msg m, out;
	long long next_in = 0, next_out = 0;

	(void)state;
	assert_int_equal(retryq_pop(&q, &out), 0);
	/* Interleave pushes and pops so the ring wraps while it grows. */
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 37; i++) {
			m = msg(1, next_in++);
			retryq_push(&q, &m);
		}
		for (int i = 0; i < 20; i++) {
			assert_int_equal(retryq_pop(&q, &out), 1);
			assert_int_equal(out.seq, next_out++);
		}
	}
	assert_int_equal(retryq_len(&q), (size_t)(next_in - next_out));
	while (retryq_pop(&q, &out))
		assert_int_equal(out.seq, next_out++);
	assert_int_equal(next_out, next_in);
	assert_int_equal(retryq_len(&q), 0);
	retryq_free(&q);
	retryq_free(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_take),
		cmocka_unit_test(test_reused_token_reports_lost),
		cmocka_unit_test(test_take_any),
		cmocka_unit_test(test_retry_queue_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
