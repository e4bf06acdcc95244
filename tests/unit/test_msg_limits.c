/* test_msg_limits.c — the decoders' limits: payload size, metric count,
 * detail keys, string and canonical-text sizes (with generated payloads at and
 * just past each bound), clock skew and age around now_ms, and identity
 * against the topic's site and device. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg_fixture.h"

/* Payloads too big or too repetitive for a literal: head, n copies of item
 * (its %d, if any, is the index; comma-separated if comma), tail, then spaces
 * up to total bytes (0: none). Heap-allocated at the exact length so that
 * ASan catches any read past it. */
static char *
make_payload(const char *head, const char *item, int n, int comma, const char *tail, size_t total,
	     size_t *len)
{
	size_t cap = strlen(head) + strlen(tail) + total + (size_t)n * 600 + 16, used;
	char *buf = malloc(cap);

	assert_non_null(buf);
	used = (size_t)snprintf(buf, cap, "%s", head);
	for (int i = 0; i < n; i++) {
		if (comma && i > 0)
			buf[used++] = ',';
		used += (size_t)snprintf(buf + used, cap - used, item, i);
	}
	used += (size_t)snprintf(buf + used, cap - used, "%s", tail);
	if (total > used) {
		memset(buf + used, ' ', total - used);
		used = total;
	}
	*len = used;
	return buf;
}

static void
check_generated(enum kind k, const char *head, const char *item, int n, int comma, const char *tail,
		size_t total, enum msg_reason want)
{
	struct msg_limits lim = limits();
	size_t len;
	char *p = make_payload(head, item, n, comma, tail, total, &len);
	char *exact = malloc(len);

	assert_non_null(exact);
	memcpy(exact, p, len);
	assert_string_equal(msg_reason_name(decode(k, exact, len, &lim)), msg_reason_name(want));
	free(exact);
	free(p);
}

#define EVT_HEAD "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":{"
#define X32 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define X256 X32 X32 X32 X32 X32 X32 X32 X32
#define U8 "\\u0001\\u0001\\u0001\\u0001\\u0001\\u0001\\u0001\\u0001"

static void
test_rejections_generated(void **state)
{
	const char *tel_ok = "{\"seq\":1,\"metrics\":{\"a\":1}}";
	(void)state;

	/* 65536 bytes is the default limit: one more is too large. */
	check_generated(TEL, tel_ok, "", 0, 0, "", 65536, MSG_OK);
	check_generated(TEL, tel_ok, "", 0, 0, "", 65537, MSG_ERR_TOO_LARGE);
	check_generated(TEL, "{\"seq\":1,\"metrics\":{\"a\":", "[", 3000, 0, "", 0,
			MSG_ERR_TOO_DEEP);
	check_generated(TEL, "{\"seq\":1,\"metrics\":{", "\"m%d\":1", 256, 1, "}}", 0, MSG_OK);
	check_generated(TEL, "{\"seq\":1,\"metrics\":{", "\"m%d\":1", 257, 1, "}}", 0,
			MSG_ERR_TOO_MANY_METRICS);
	check_generated(EVT, EVT_HEAD, "\"k%d\":true", 16, 1, "}}", 0, MSG_OK);
	check_generated(EVT, EVT_HEAD, "\"k%d\":true", 17, 1, "}}", 0,
			MSG_ERR_DETAIL_TOO_MANY_KEYS);
	/* 256 bytes of string is the limit, counted in bytes: 86 x 3-byte
	 * characters (258 bytes) are too long though only 86 characters. */
	check_generated(EVT, EVT_HEAD "\"s\":\"", "xxxxxxxx", 32, 0, "\"}}", 0, MSG_OK);
	check_generated(EVT, EVT_HEAD "\"s\":\"x", "xxxxxxxx", 32, 0, "\"}}", 0,
			MSG_ERR_DETAIL_STRING_TOO_LONG);
	check_generated(EVT, EVT_HEAD "\"s\":\"", "\xe6\xb8\xa9", 86, 0, "\"}}", 0,
			MSG_ERR_DETAIL_STRING_TOO_LONG);
	/* 16 keys of 256-byte strings: each valid, together over 4095 bytes. */
	check_generated(EVT, EVT_HEAD, "\"k%02d\":\"" X256 "\"", 15, 1, "}}", 0, MSG_OK);
	check_generated(EVT, EVT_HEAD, "\"k%02d\":\"" X256 "\"", 16, 1, "}}", 0,
			MSG_ERR_DETAIL_TOO_LARGE);
	/* Control characters come out as \uXXXX, 6 bytes each: 4 keys of 256
	 * of them are small on input, but too large as canonical text. */
	check_generated(EVT, EVT_HEAD "\"s\":\"", U8, 32, 0, "\"}}", 0, MSG_OK);
	check_generated(EVT, EVT_HEAD, "\"k%d\":\"" U8 U8 U8 U8 U8 U8 U8 U8 "\"", 12, 1, "}}", 0,
			MSG_ERR_DETAIL_TOO_LARGE);
}

static void
test_limits(void **state)
{
	static const char p3[] = "{\"seq\":1,\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}";
	struct msg_limits lim = limits();
	char buf[128];
	int n;
	(void)state;

	lim.max_metrics = 2;
	assert_int_equal(decode(TEL, p3, sizeof(p3) - 1, &lim), MSG_ERR_TOO_MANY_METRICS);
	lim.max_metrics = 3;
	assert_int_equal(decode(TEL, p3, sizeof(p3) - 1, &lim), MSG_OK);
	lim.max_metrics = 0; /* out of range: the hard cap applies */
	assert_int_equal(decode(TEL, p3, sizeof(p3) - 1, &lim), MSG_OK);
	lim.max_bytes = sizeof(p3) - 2;
	assert_int_equal(decode(TEL, p3, sizeof(p3) - 1, &lim), MSG_ERR_TOO_LARGE);
	lim.max_bytes = sizeof(p3) - 1;
	assert_int_equal(decode(TEL, p3, sizeof(p3) - 1, &lim), MSG_OK);

	/* Boundaries: now + skew and now - age are still accepted. */
	const struct {
		long long ts, skew, age;
		enum msg_reason want;
	} t[] = {
		{NOW_MS + 300000, 300000, 90 * 86400000LL, MSG_OK},
		{NOW_MS + 300001, 300000, 90 * 86400000LL, MSG_ERR_TS_FUTURE},
		{NOW_MS - 90 * 86400000LL, 300000, 90 * 86400000LL, MSG_OK},
		{NOW_MS - 90 * 86400000LL - 1, 300000, 90 * 86400000LL, MSG_ERR_TS_TOO_OLD},
		{NOW_MS + 1, 0, 0, MSG_ERR_TS_FUTURE},
		{NOW_MS, 0, 0, MSG_OK},
		{LLONG_MAX, MSG_LIMIT_OFF, 0, MSG_OK},
		{0, 0, MSG_LIMIT_OFF, MSG_OK},
	};
	lim = limits();
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		lim.future_skew_ms = t[i].skew;
		lim.max_age_ms = t[i].age;
		n = snprintf(buf, sizeof(buf), "{\"seq\":1,\"ts\":%lld,\"metrics\":{\"a\":1}}",
			     t[i].ts);
		assert_string_equal(msg_reason_name(decode(TEL, buf, (size_t)n, &lim)),
				    msg_reason_name(t[i].want));
	}
	/* A clock reading far in the past: ts - now overflows, still "future". */
	lim = limits();
	lim.now_ms = LLONG_MIN;
	n = snprintf(buf, sizeof(buf), "{\"seq\":1,\"ts\":%lld,\"metrics\":{\"a\":1}}", LLONG_MAX);
	assert_int_equal(decode(TEL, buf, (size_t)n, &lim), MSG_ERR_TS_FUTURE);
}

static void
test_identity(void **state)
{
	static const char p[] = "{\"seq\":1,\"device\":\"pump-01\",\"site\":\"riverside\","
				"\"metrics\":{\"a\":1}}";
	(void)state;

	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, "riverside", "pump-01", &tel),
			 MSG_OK);
	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, NULL, NULL, &tel), MSG_OK);
	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, "riverside", "pump-02", &tel),
			 MSG_ERR_IDENTITY_MISMATCH);
	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, "hillside", NULL, &tel),
			 MSG_ERR_IDENTITY_MISMATCH);
	/* A prefix is not a match. */
	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, "riverside", "pump-0", &tel),
			 MSG_ERR_IDENTITY_MISMATCH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejections_generated),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_identity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
