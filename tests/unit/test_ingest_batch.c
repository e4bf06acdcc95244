/* test_ingest_batch.c — the writer's batch: one device row per device
 * however many records it sent, and a reset that forgets every device (the
 * batch walks only the slots it used, so a stale one would be a wrong
 * device_status row or a lost device). */
#include "ingestd/ingest.h"
#include "ingestd/store_batch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void
add(struct batch *b, const char *device, long long ts_ms, long long seq)
{
	char rec[256];
	int n = snprintf(rec, sizeof rec, "%s\tsite1\t%lld\t%lld\nrow\n", device, ts_ms, seq);

	assert_int_equal(batch_add(b, INGEST_REC_READINGS, rec, (size_t)n), 0);
}

struct seen_list {
	char names[64][65];
	long long last_seq[64];
	int n;
};

static void
collect(void *ctx, const struct batch_dev *d)
{
	struct seen_list *l = ctx;

	snprintf(l->names[l->n], sizeof l->names[0], "%s", d->device);
	l->last_seq[l->n++] = d->last_seq;
}

static void
one_row_per_device_and_reset_forgets(void **state)
{
	struct batch b;
	struct seen_list l = {0};
	struct sbuf rows = {0};

	(void)state;
	batch_init(&b, 8);
	add(&b, "a", 1000, 1);
	add(&b, "b", 1000, 7);
	add(&b, "a", 2000, 2);
	assert_int_equal(b.ndevs, 2);
	batch_each_dev(&b, collect, &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.names[0], "a"); /* arrival order */
	assert_int_equal(l.last_seq[0], 2);
	assert_string_equal(l.names[1], "b");
	batch_reset(&b);
	assert_int_equal(b.ndevs, 0);
	add(&b, "c", 3000, 9);
	memset(&l, 0, sizeof l);
	batch_each_dev(&b, collect, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.names[0], "c");
	batch_status_rows(&b, NULL, NULL, &rows);
	assert_non_null(strstr(rows.p, "c\tsite1\t"));
	assert_null(strstr(rows.p, "a\t"));
	assert_int_equal(rows.p[rows.len - 1], '\n');
	free(rows.p);
	batch_free(&b);
}

static void
full_batch_reuses_its_slots(void **state)
{
	struct batch b;
	char name[16];
	int rounds = 0;

	(void)state;
	batch_init(&b, 8);
	for (int r = 0; r < 3; r++) {
		int i = 0;

		while (!batch_devices_full(&b)) {
			snprintf(name, sizeof name, "d%d-%d", r, i++);
			add(&b, name, 1000, i);
		}
		assert_true(b.ndevs >= 8);
		batch_reset(&b);
		rounds++;
	}
	assert_int_equal(rounds, 3);
	add(&b, "d0-0", 1000, 1); /* a name of the first round is new again */
	assert_int_equal(b.ndevs, 1);
	batch_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_row_per_device_and_reset_forgets),
		cmocka_unit_test(full_batch_reuses_its_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
