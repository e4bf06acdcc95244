/* test_ingest_seen.c — when the writer rewrites a device's device_status
 * row: the first time, on every status message, and when last_seen moved by
 * the resolution; not for every batch in between. */
#include "ingestd/seen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static struct batch_dev
dev(const char *id, long long last_ms, int state)
{
	struct batch_dev d;

	memset(&d, 0, sizeof d);
	snprintf(d.device, sizeof d.device, "%s", id);
	snprintf(d.site, sizeof d.site, "demo");
	d.last_ms = last_ms;
	d.state = state;
	d.state_ms = state >= 0 ? last_ms : 0;
	return d;
}

static void
due_table(void **state)
{
	struct seen *s = seen_new(5000);
	struct batch_dev a0 = dev("a", 1000, -1);

	(void)state;
	assert_int_equal(seen_due(s, &a0), 1); /* never written */
	seen_note(s, &a0);
	static const struct {
		long long last_ms;
		int state, due;
	} cases[] = {
		{1000, -1, 0}, /* nothing new */
		{5999, -1, 0}, /* moved less than the resolution */
		{6000, -1, 1}, /* moved by the resolution */
		{2000, 1, 1},  /* a status message is always written */
		{2000, 0, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct batch_dev d = dev("a", cases[i].last_ms, cases[i].state);

		if (seen_due(s, &d) != cases[i].due)
			fail_msg("case %zu: due %d, want %d", i, seen_due(s, &d), cases[i].due);
	}
	seen_free(s);
}

static void
note_moves_the_mark(void **state)
{
	struct seen *s = seen_new(5000);
	struct batch_dev a = dev("a", 1000, -1), later = dev("a", 7000, -1),
			 soon = dev("a", 9000, -1);

	(void)state;
	seen_note(s, &a);
	assert_int_equal(seen_due(s, &later), 1);
	seen_note(s, &later);
	assert_int_equal(seen_due(s, &soon), 0); /* 2 s after the last write */
	seen_free(s);
}

static void
many_devices_grow_the_table(void **state)
{
	struct seen *s = seen_new(5000);
	char id[16];

	(void)state;
	for (int i = 0; i < 5000; i++) {
		struct batch_dev d;

		snprintf(id, sizeof id, "d%05d", i);
		d = dev(id, 1000, -1);
		seen_note(s, &d);
	}
	for (int i = 0; i < 5000; i++) {
		struct batch_dev d;

		snprintf(id, sizeof id, "d%05d", i);
		d = dev(id, 2000, -1);
		assert_int_equal(seen_due(s, &d), 0);
	}
	{
		struct batch_dev fresh = dev("new", 2000, -1);

		assert_int_equal(seen_due(s, &fresh), 1);
	}
	seen_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(due_table),
		cmocka_unit_test(note_moves_the_mark),
		cmocka_unit_test(many_devices_grow_the_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
