/* test_fmsim_ackring.c — the ring of acknowledgements between the MQTT
 * receive thread and the publisher: FIFO order, full and empty, capacity
 * rounding, wrap-around, and a producer and a consumer thread passing a
 * million entries with none lost, repeated or reordered. */
#include "fmsim/ackring.h"

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static void
test_fifo_full_empty(void **state)
{
	struct ackring r;
	struct ackring_ent e, out;

	(void)state;
	ackring_init(&r, 5); /* rounds up to 8 */
	assert_int_equal(ackring_count(&r), 0);
	assert_int_equal(ackring_pop(&r, &out), 0);
	for (int i = 0; i < 8; i++) {
		e = (struct ackring_ent){i, i % 2 ? 0x87 : 0, 100 + i};
		assert_int_equal(ackring_push(&r, &e), 0);
	}
	assert_int_equal(ackring_push(&r, &e), -1);
	assert_int_equal(ackring_count(&r), 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(ackring_pop(&r, &out), 1);
		assert_int_equal(out.token, i);
		assert_int_equal(out.reason, i % 2 ? 0x87 : 0);
		assert_int_equal(out.at_us, 100 + i);
	}
	assert_int_equal(ackring_pop(&r, &out), 0);
	/* Wrap around many times. */
	for (int i = 0; i < 1000; i++) {
		e.token = i;
		assert_int_equal(ackring_push(&r, &e), 0);
		assert_int_equal(ackring_pop(&r, &out), 1);
		assert_int_equal(out.token, i);
	}
	ackring_free(&r);
	ackring_free(&r);
}

#define STRESS_N 1000000

struct stress {
	struct ackring r;
};

static void *
producer(void *arg)
{
	struct stress *s = arg;
	struct ackring_ent e = {0, 0, 0};

	for (int i = 0; i < STRESS_N; i++) {
		e.token = i;
		e.at_us = i * 3;
		while (ackring_push(&s->r, &e) < 0)
			sched_yield();
	}
	return NULL;
}

static void
test_two_threads(void **state)
{
	struct stress s;
	struct ackring_ent out;
	pthread_t t;
	int next = 0;

	(void)state;
	ackring_init(&s.r, 64);
	assert_int_equal(pthread_create(&t, NULL, producer, &s), 0);
	while (next < STRESS_N) {
		if (!ackring_pop(&s.r, &out)) {
			sched_yield();
			continue;
		}
		if (out.token != next || out.at_us != (long long)next * 3)
			fail_msg("entry %d: got token %d at %lld", next, out.token, out.at_us);
		next++;
	}
	pthread_join(t, NULL);
	assert_int_equal(ackring_count(&s.r), 0);
	ackring_free(&s.r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_full_empty),
		cmocka_unit_test(test_two_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
