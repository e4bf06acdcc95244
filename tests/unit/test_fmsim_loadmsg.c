/* test_fmsim_loadmsg.c — what the load generator publishes: prefixes and
 * device ids, shares of devices and messages per connection, metric names,
 * and the hand-written telemetry encoder, whose every output must pass the
 * strict decoder ingestd uses (msg_decode_telemetry) with the same seq, ts
 * and values. */
#include "fmsim/loadmsg.h"
#include "msg.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void
test_prefixes(void **state)
{
	static const struct {
		const char *prefix;
		int valid;
	} cases[] = {
		{"ld", 1},
		{"load_dev-", 1},
		{"A", 1},
		{"0123456789012345678901234567890123456789012345678901234567", 1},  /* 58 */
		{"01234567890123456789012345678901234567890123456789012345678", 0}, /* 59 */
		{"", 0},
		{NULL, 0},
		{"l d", 0},
		{"ld/", 0},
		{"ld+", 0},
		{"ld#", 0},
		{"\xc3\xa9", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (loadmsg_prefix_valid(cases[i].prefix) != cases[i].valid)
			fail_msg("prefix '%s': want %d",
				 cases[i].prefix ? cases[i].prefix : "(null)", cases[i].valid);
}

static void
test_device_ids(void **state)
{
	static const struct {
		const char *prefix;
		long long index;
		size_t cap;
		const char *want; /* NULL: -1 */
	} cases[] = {
		{"ld", 0, 65, "ld000001"},
		{"ld", 41, 65, "ld000042"},
		{"ld", LOADMSG_DEVICES_MAX - 1, 65, "ld999999"},
		{"ld", LOADMSG_DEVICES_MAX, 65, NULL},
		{"ld", -1, 65, NULL},
		{"l d", 0, 65, NULL},
		{"ld", 0, 8, NULL}, /* no room for the NUL */
		{"ld", 0, 9, "ld000001"},
	};
	char buf[80];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = loadmsg_device_id(buf, cases[i].cap, cases[i].prefix, cases[i].index);

		if (!cases[i].want) {
			assert_int_equal(n, -1);
			continue;
		}
		assert_int_equal(n, (int)strlen(cases[i].want));
		assert_string_equal(buf, cases[i].want);
	}
}

/* Shares are contiguous, cover 0..n-1 exactly once and differ by at most 1. */
static void
test_shares(void **state)
{
	static const struct {
		long long n;
		int parts;
	} cases[] = {{50, 4}, {4, 4}, {3, 4}, {1, 1}, {0, 3}, {1000003, 7}, {999999, 256}};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long long next = 0, lo = -1, hi = -1, first, count;

		for (int k = 0; k < cases[i].parts; k++) {
			loadmsg_share(cases[i].n, cases[i].parts, k, &first, &count);
			assert_int_equal(first, next);
			next += count;
			if (lo < 0 || count < lo)
				lo = count;
			if (count > hi)
				hi = count;
		}
		assert_int_equal(next, cases[i].n);
		assert_true(hi - lo <= 1);
	}
}

static void
test_share_bad_arguments(void **state)
{
	static const struct {
		long long n;
		int parts, k;
	} cases[] = {{10, 0, 0}, {10, 3, 3}, {10, 3, -1}, {-5, 3, 0}};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long long first = 99, count = 99;

		loadmsg_share(cases[i].n, cases[i].parts, cases[i].k, &first, &count);
		assert_int_equal(first, 0);
		assert_int_equal(count, 0);
	}
}

static void
test_metric_names(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(loadmsg_metric_name(buf, sizeof buf, 0), 3);
	assert_string_equal(buf, "m00");
	assert_int_equal(loadmsg_metric_name(buf, sizeof buf, 7), 3);
	assert_string_equal(buf, "m07");
	assert_int_equal(loadmsg_metric_name(buf, sizeof buf, 99), 3);
	assert_string_equal(buf, "m99");
	assert_int_equal(loadmsg_metric_name(buf, sizeof buf, 255), 4);
	assert_string_equal(buf, "m255");
	assert_int_equal(loadmsg_metric_name(buf, sizeof buf, 256), -1);
	assert_int_equal(loadmsg_metric_name(buf, sizeof buf, -1), -1);
	assert_int_equal(loadmsg_metric_name(buf, 3, 0), -1);
}

/* Every payload decodes strictly, with the seq, ts, names and values the
 * generator meant: what ingestd stores is what the oracle expects. */
static void
test_encode_decodes(void **state)
{
	static const int metrics[] = {1, 2, 9, 10, 11, 20, 99, 100, 101, 255, 256};
	static const long long seqs[] = {0, 1, 2, 1000003, 9223372036854775807LL};
	static const long long tss[] = {0, 1763891234123LL, 9223372036854775807LL};
	static const long long devs[] = {0, 41, LOADMSG_DEVICES_MAX - 1};
	struct msg_telemetry *t = malloc(sizeof *t);
	char buf[LOADMSG_PAYLOAD_MAX], name[8];

	(void)state;
	assert_non_null(t);
	for (size_t mi = 0; mi < sizeof metrics / sizeof metrics[0]; mi++)
		for (size_t si = 0; si < sizeof seqs / sizeof seqs[0]; si++)
			for (size_t ti = 0; ti < sizeof tss / sizeof tss[0]; ti++)
				for (size_t di = 0; di < sizeof devs / sizeof devs[0]; di++) {
					int n = loadmsg_encode(buf, sizeof buf, devs[di], seqs[si],
							       tss[ti], metrics[mi]);
					enum msg_reason r;

					assert_true(n > 0);
					assert_int_equal((size_t)n, strlen(buf));
					r = msg_decode_telemetry(buf, (size_t)n, NULL, "load",
								 "ld000001", t);
					if (r != MSG_OK)
						fail_msg("%s: %s", buf, msg_reason_name(r));
					assert_int_equal(t->seq, seqs[si]);
					assert_true(t->has_ts);
					assert_int_equal(t->ts_ms, tss[ti]);
					assert_false(t->has_boot);
					assert_int_equal(t->n_metrics, metrics[mi]);
					for (int i = 0; i < metrics[mi]; i++) {
						long long v =
							loadmsg_value_tenths(devs[di], seqs[si], i);

						loadmsg_metric_name(name, sizeof name, i);
						assert_string_equal(t->metrics[i].name, name);
						assert_false(t->metrics[i].is_bool);
						assert_true(t->metrics[i].value == (double)v / 10);
						assert_in_range(v, 0, 99999);
					}
				}
	free(t);
}

static void
test_encode_exact_text(void **state)
{
	char buf[256];
	long long v0 = loadmsg_value_tenths(2, 5, 0), v1 = loadmsg_value_tenths(2, 5, 1);
	char want[256];

	(void)state;
	snprintf(want, sizeof want,
		 "{\"seq\":5,\"ts\":1763891234123,\"metrics\":{\"m00\":%lld.%lld,\"m01\":%lld.%lld}"
		 "}",
		 v0 / 10, v0 % 10, v1 / 10, v1 % 10);
	assert_int_equal(loadmsg_encode(buf, sizeof buf, 2, 5, 1763891234123LL, 2),
			 (int)strlen(want));
	assert_string_equal(buf, want);
}

static void
test_encode_rejects(void **state)
{
	char buf[LOADMSG_PAYLOAD_MAX];

	(void)state;
	assert_int_equal(loadmsg_encode(buf, sizeof buf, 0, -1, 0, 1), -1);
	assert_int_equal(loadmsg_encode(buf, sizeof buf, 0, 1, -1, 1), -1);
	assert_int_equal(loadmsg_encode(buf, sizeof buf, 0, 1, 0, 0), -1);
	assert_int_equal(loadmsg_encode(buf, sizeof buf, 0, 1, 0, 257), -1);
	/* Too small for the worst case of its metric count: "" and -1. */
	buf[0] = 'x';
	assert_int_equal(loadmsg_encode(buf, 40, 0, 1, 0, 1), -1);
	assert_string_equal(buf, "");
}

/* Values stay within what the payload shows (0.0 .. 9999.9) and change
 * from one message of a device to the next. */
static void
test_values_range(void **state)
{
	(void)state;
	for (long long d = 0; d < LOADMSG_DEVICES_MAX; d += 9973)
		for (long long s = 1; s < 300; s++)
			for (int i = 0; i < LOADMSG_METRICS_MAX; i += 17) {
				long long v = loadmsg_value_tenths(d, s, i);

				assert_in_range(v, 0, 99999);
				assert_true(v != loadmsg_value_tenths(d, s + 1, i));
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_device_ids),
		cmocka_unit_test(test_shares),
		cmocka_unit_test(test_share_bad_arguments),
		cmocka_unit_test(test_metric_names),
		cmocka_unit_test(test_encode_decodes),
		cmocka_unit_test(test_encode_exact_text),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_values_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
