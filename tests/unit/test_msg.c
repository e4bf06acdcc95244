/* test_msg.c — the payload decoders: a table of rejections covering every
 * reason, valid payloads with their decoded fields, the limits (sizes, clock
 * skew, age), identity against the topic, and the order of checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

#define NOW_MS 1763891300000LL /* 2025-11-23T09:48:20Z */
#define SITE "riverside"
#define DEVICE "pump-01"

enum kind { TEL, EVT, STA };

struct reject_case {
	enum kind kind;
	const char *payload;
	size_t len;
	enum msg_reason want;
};

/* sizeof - 1 keeps embedded NUL bytes in the payload. */
#define C(k, lit, r) { k, lit, sizeof(lit) - 1, r }

static const struct reject_case rejects[] = {
	C(TEL, "", MSG_ERR_EMPTY),
	C(STA, "", MSG_ERR_EMPTY),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1}", MSG_ERR_BAD_JSON),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1}} x", MSG_ERR_BAD_JSON),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1}}\0", MSG_ERR_BAD_JSON),
	C(TEL, "{\"seq\":01,\"metrics\":{\"a\":1}}", MSG_ERR_BAD_JSON),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":tru}}", MSG_ERR_BAD_JSON),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":\0}}", MSG_ERR_BAD_JSON),
	C(TEL, "\xef\xbb\xbf{\"seq\":1,\"metrics\":{\"a\":1}}", MSG_ERR_BAD_JSON),
	C(TEL, "   ", MSG_ERR_BAD_JSON),
	C(TEL, "{'seq':1}", MSG_ERR_BAD_JSON),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1},\"site\":\"\xff\"}", MSG_ERR_BAD_UTF8),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1},\"site\":\"\xc0\xaf\"}", MSG_ERR_BAD_UTF8),
	C(TEL, "{\"seq\":1,\"metrics\":{\"\xed\xa0\x80\":1}}", MSG_ERR_BAD_UTF8),
	C(TEL, "{\"seq\":1,\"site\":\"a\\u0000b\",\"metrics\":{\"a\":1}}", MSG_ERR_STRING_NUL),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\\u0000\":1}}", MSG_ERR_STRING_NUL),
	C(TEL, "{\"seq\":1,\"seq\":2,\"metrics\":{\"a\":1}}", MSG_ERR_DUPLICATE_KEY),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1,\"a\":1}}", MSG_ERR_DUPLICATE_KEY),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":{\"k\":1,\"k\":2}}",
	  MSG_ERR_DUPLICATE_KEY),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1e999}}", MSG_ERR_NUMBER_OVERFLOW),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":-1e999}}", MSG_ERR_NUMBER_OVERFLOW),
	C(TEL, "{\"seq\":9223372036854775808,\"metrics\":{\"a\":1}}", MSG_ERR_NUMBER_OVERFLOW),
	C(TEL, "{\"seq\":1,\"ts\":-99999999999999999999,\"metrics\":{\"a\":1}}",
	  MSG_ERR_NUMBER_OVERFLOW),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":NaN}}", MSG_ERR_NUMBER_NONFINITE),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":Infinity}}", MSG_ERR_NUMBER_NONFINITE),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\": -Infinity}}", MSG_ERR_NUMBER_NONFINITE),
	C(TEL, "{\"seq\":1,\"metrics\":{\"b\":2,\"a\":nan}}", MSG_ERR_NUMBER_NONFINITE),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":-inf}}", MSG_ERR_NUMBER_NONFINITE),
	C(TEL, "{\"seq\":NaN,\"metrics\":{\"a\":1}}", MSG_ERR_NUMBER_NONFINITE),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":{\"v\":Infinity}}",
	  MSG_ERR_NUMBER_NONFINITE),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":NaNa}}", MSG_ERR_BAD_JSON),
	C(TEL, "NaN", MSG_ERR_BAD_JSON),
	C(TEL, "[]", MSG_ERR_NOT_OBJECT),
	C(TEL, "42", MSG_ERR_NOT_OBJECT),
	C(EVT, "\"entrapment\"", MSG_ERR_NOT_OBJECT),
	C(STA, "null", MSG_ERR_NOT_OBJECT),
	C(STA, "true", MSG_ERR_NOT_OBJECT),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1},\"x\":\"NaN\"}", MSG_ERR_UNKNOWN_FIELD),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1},\"event\":\"x\"}", MSG_ERR_UNKNOWN_FIELD),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"metrics\":{}}",
	  MSG_ERR_UNKNOWN_FIELD),
	C(STA, "{\"state\":\"online\",\"boot\":1}", MSG_ERR_UNKNOWN_FIELD),
	C(TEL, "{\"seq\":1,\"device\":42,\"metrics\":{\"a\":1}}", MSG_ERR_IDENTITY_TYPE),
	C(STA, "{\"state\":\"online\",\"site\":null}", MSG_ERR_IDENTITY_TYPE),
	C(TEL, "{\"seq\":1,\"device\":\"pump-02\",\"metrics\":{\"a\":1}}",
	  MSG_ERR_IDENTITY_MISMATCH),
	C(TEL, "{\"seq\":1,\"site\":\"Riverside\",\"metrics\":{\"a\":1}}",
	  MSG_ERR_IDENTITY_MISMATCH),
	C(EVT, "{\"seq\":1,\"device\":\"\",\"event\":\"x\",\"state\":\"active\"}",
	  MSG_ERR_IDENTITY_MISMATCH),
	C(TEL, "{\"metrics\":{\"a\":1}}", MSG_ERR_SEQ_MISSING),
	C(EVT, "{\"event\":\"x\",\"state\":\"active\"}", MSG_ERR_SEQ_MISSING),
	C(TEL, "{\"seq\":\"1\",\"metrics\":{\"a\":1}}", MSG_ERR_SEQ_TYPE),
	C(TEL, "{\"seq\":1.0,\"metrics\":{\"a\":1}}", MSG_ERR_SEQ_TYPE),
	C(TEL, "{\"seq\":1e3,\"metrics\":{\"a\":1}}", MSG_ERR_SEQ_TYPE),
	C(TEL, "{\"seq\":null,\"metrics\":{\"a\":1}}", MSG_ERR_SEQ_TYPE),
	C(TEL, "{\"seq\":-1,\"metrics\":{\"a\":1}}", MSG_ERR_SEQ_NEGATIVE),
	C(TEL, "{\"seq\":-9223372036854775808,\"metrics\":{\"a\":1}}", MSG_ERR_SEQ_NEGATIVE),
	C(TEL, "{\"seq\":1,\"ts\":\"2025-11-23T09:47:14Z\",\"metrics\":{\"a\":1}}",
	  MSG_ERR_TS_TYPE),
	C(TEL, "{\"seq\":1,\"ts\":1763891234123.0,\"metrics\":{\"a\":1}}", MSG_ERR_TS_TYPE),
	C(STA, "{\"state\":\"online\",\"ts\":null}", MSG_ERR_TS_TYPE),
	C(TEL, "{\"seq\":1,\"ts\":-1,\"metrics\":{\"a\":1}}", MSG_ERR_TS_NEGATIVE),
	C(TEL, "{\"seq\":1,\"ts\":1763891600001,\"metrics\":{\"a\":1}}", MSG_ERR_TS_FUTURE),
	C(EVT, "{\"seq\":1,\"ts\":9223372036854775807,\"event\":\"x\",\"state\":\"active\"}",
	  MSG_ERR_TS_FUTURE),
	C(STA, "{\"state\":\"online\",\"ts\":1763891600001}", MSG_ERR_TS_FUTURE),
	C(TEL, "{\"seq\":1,\"ts\":0,\"metrics\":{\"a\":1}}", MSG_ERR_TS_TOO_OLD),
	C(TEL, "{\"seq\":1,\"ts\":1756115299999,\"metrics\":{\"a\":1}}", MSG_ERR_TS_TOO_OLD),
	C(TEL, "{\"seq\":1,\"boot\":\"3\",\"metrics\":{\"a\":1}}", MSG_ERR_BOOT_TYPE),
	C(EVT, "{\"seq\":1,\"boot\":1.5,\"event\":\"x\",\"state\":\"active\"}", MSG_ERR_BOOT_TYPE),
	C(TEL, "{\"seq\":1,\"boot\":-1,\"metrics\":{\"a\":1}}", MSG_ERR_BOOT_NEGATIVE),
	C(TEL, "{\"seq\":1}", MSG_ERR_METRICS_MISSING),
	C(TEL, "{\"seq\":1,\"metrics\":[1]}", MSG_ERR_METRICS_TYPE),
	C(TEL, "{\"seq\":1,\"metrics\":null}", MSG_ERR_METRICS_TYPE),
	C(TEL, "{\"seq\":1,\"metrics\":\"a=1\"}", MSG_ERR_METRICS_TYPE),
	C(TEL, "{\"seq\":1,\"metrics\":{}}", MSG_ERR_METRICS_EMPTY),
	C(TEL, "{\"seq\":1,\"metrics\":{\"\":1}}", MSG_ERR_METRIC_NAME),
	C(TEL, "{\"seq\":1,\"metrics\":{\"Pressure\":1}}", MSG_ERR_METRIC_NAME),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a-b\":1}}", MSG_ERR_METRIC_NAME),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a b\":1}}", MSG_ERR_METRIC_NAME),
	C(TEL, "{\"seq\":1,\"metrics\":{\"\xe6\xb8\xa9\xe5\xba\xa6\":1}}", MSG_ERR_METRIC_NAME),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1,"
	       "\"a1234567890123456789012345678901234567890123456789012345678901234\":1}}",
	  MSG_ERR_METRIC_NAME),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":\"1\"}}", MSG_ERR_METRIC_STRING),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":null}}", MSG_ERR_METRIC_NULL),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":1,\"b\":[]}}", MSG_ERR_METRIC_ARRAY),
	C(TEL, "{\"seq\":1,\"metrics\":{\"a\":{\"v\":1}}}", MSG_ERR_METRIC_OBJECT),
	C(EVT, "{\"seq\":1,\"state\":\"active\"}", MSG_ERR_EVENT_MISSING),
	C(EVT, "{\"seq\":1,\"event\":null,\"state\":\"active\"}", MSG_ERR_EVENT_TYPE),
	C(EVT, "{\"seq\":1,\"event\":[\"fire\"],\"state\":\"active\"}", MSG_ERR_EVENT_TYPE),
	C(EVT, "{\"seq\":1,\"event\":\"\",\"state\":\"active\"}", MSG_ERR_EVENT_NAME),
	C(EVT, "{\"seq\":1,\"event\":\"Fire\",\"state\":\"active\"}", MSG_ERR_EVENT_NAME),
	C(EVT, "{\"seq\":1,\"event\":\"fire alarm\",\"state\":\"active\"}", MSG_ERR_EVENT_NAME),
	C(EVT, "{\"seq\":1,\"event\":\"x\"}", MSG_ERR_STATE_MISSING),
	C(STA, "{\"ts\":1763891234123}", MSG_ERR_STATE_MISSING),
	C(STA, "{}", MSG_ERR_STATE_MISSING),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":1}", MSG_ERR_STATE_TYPE),
	C(STA, "{\"state\":true}", MSG_ERR_STATE_TYPE),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"ACTIVE\"}", MSG_ERR_STATE_VALUE),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"online\"}", MSG_ERR_STATE_VALUE),
	C(STA, "{\"state\":\"active\"}", MSG_ERR_STATE_VALUE),
	C(STA, "{\"state\":\"\"}", MSG_ERR_STATE_VALUE),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":null}",
	  MSG_ERR_DETAIL_TYPE),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":[1]}",
	  MSG_ERR_DETAIL_TYPE),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":\"floor 5\"}",
	  MSG_ERR_DETAIL_TYPE),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":{\"Floor\":5}}",
	  MSG_ERR_DETAIL_KEY),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":{\"\":5}}",
	  MSG_ERR_DETAIL_KEY),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":{\"a\":null}}",
	  MSG_ERR_DETAIL_VALUE),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":{\"a\":[1]}}",
	  MSG_ERR_DETAIL_VALUE),
	C(EVT, "{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":{\"a\":{\"b\":1}}}",
	  MSG_ERR_DETAIL_VALUE),
	/* Checks run in documented order: the first failure is reported. */
	C(TEL, "{\"x\":1}", MSG_ERR_UNKNOWN_FIELD),
	C(TEL, "{\"device\":\"other\"}", MSG_ERR_IDENTITY_MISMATCH),
	C(TEL, "{\"seq\":-1,\"ts\":-1,\"metrics\":{}}", MSG_ERR_SEQ_NEGATIVE),
	C(TEL, "{\"seq\":1,\"ts\":-1,\"boot\":-1,\"metrics\":{}}", MSG_ERR_TS_NEGATIVE),
	C(TEL, "{\"metrics\":{},\"boot\":\"x\",\"seq\":1}", MSG_ERR_BOOT_TYPE),
	C(EVT, "{\"seq\":1,\"state\":\"bogus\",\"event\":\"Bad\"}", MSG_ERR_EVENT_NAME),
	C(STA, "{\"ts\":-1,\"state\":\"bogus\"}", MSG_ERR_STATE_VALUE),
};

static struct msg_telemetry tel;
static struct msg_event evt;
static struct msg_status sta;

static enum msg_reason
decode(enum kind k, const char *buf, size_t len, const struct msg_limits *lim)
{
	switch (k) {
	case TEL:
		return msg_decode_telemetry(buf, len, lim, SITE, DEVICE, &tel);
	case EVT:
		return msg_decode_event(buf, len, lim, SITE, DEVICE, &evt);
	case STA:
		return msg_decode_status(buf, len, lim, SITE, DEVICE, &sta);
	}
	return MSG_REASON_COUNT;
}

static struct msg_limits
limits(void)
{
	struct msg_limits lim;

	msg_limits_default(&lim, NOW_MS);
	return lim;
}

/* Payloads too big or too repetitive for a literal: head, n copies of item
 * (its %d, if any, is the index; comma-separated if comma), tail, then spaces
 * up to total bytes (0: none). Heap-allocated at the exact length so that
 * ASan catches any read past it. */
static char *
make_payload(const char *head, const char *item, int n, int comma,
	     const char *tail, size_t total, size_t *len)
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
check_generated(enum kind k, const char *head, const char *item, int n, int comma,
		const char *tail, size_t total, enum msg_reason want)
{
	struct msg_limits lim = limits();
	size_t len;
	char *p = make_payload(head, item, n, comma, tail, total, &len);
	char *exact = malloc(len);

	assert_non_null(exact);
	memcpy(exact, p, len);
	assert_string_equal(msg_reason_name(decode(k, exact, len, &lim)),
			    msg_reason_name(want));
	free(exact);
	free(p);
}

static void
test_rejections_table(void **state)
{
	struct msg_limits lim = limits();
	int covered[MSG_REASON_COUNT] = { 0 };
	(void)state;

	for (size_t i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		const struct reject_case *c = &rejects[i];
		char *exact = malloc(c->len ? c->len : 1);
		enum msg_reason got;

		assert_non_null(exact);
		memcpy(exact, c->payload, c->len);
		got = decode(c->kind, exact, c->len, &lim);
		free(exact);
		if (got != c->want)
			fail_msg("case %zu (%.60s): got %s, want %s", i, c->payload,
				 msg_reason_name(got), msg_reason_name(c->want));
		covered[got] = 1;
	}
	/* The generated cases of test_rejections_generated cover these. */
	covered[MSG_ERR_TOO_LARGE] = covered[MSG_ERR_TOO_DEEP] = 1;
	covered[MSG_ERR_TOO_MANY_METRICS] = covered[MSG_ERR_DETAIL_TOO_MANY_KEYS] = 1;
	covered[MSG_ERR_DETAIL_STRING_TOO_LONG] = covered[MSG_ERR_DETAIL_TOO_LARGE] = 1;
	/* Needs the allocator to fail; the mapping is a single switch case. */
	covered[MSG_ERR_NO_MEMORY] = 1;
	for (int r = 1; r < MSG_REASON_COUNT; r++)
		if (!covered[r])
			fail_msg("no rejection case for reason %s", msg_reason_name(r));
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
	check_generated(TEL, "{\"seq\":1,\"metrics\":{", "\"m%d\":1", 256, 1, "}}", 0,
			MSG_OK);
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
	check_generated(EVT, EVT_HEAD, "\"k%d\":\"" U8 U8 U8 U8 U8 U8 U8 U8 "\"", 12, 1,
			"}}", 0, MSG_ERR_DETAIL_TOO_LARGE);
}


static void
test_valid_telemetry(void **state)
{
	static const char p[] =
		"{\"seq\": 1042, \"ts\": 1763891234123, \"boot\": 3, \"site\": \"riverside\",\n"
		" \"metrics\": {\"outlet_pressure_kpa\": 312.4, \"running\": true,"
		" \"door_open\": false, \"starts\": 412, \"neg\": -0.5, \"big\": 9007199254740993}}";
	struct msg_limits lim = limits();
	(void)state;

	assert_int_equal(decode(TEL, p, sizeof(p) - 1, &lim), MSG_OK);
	assert_int_equal(tel.seq, 1042);
	assert_true(tel.has_ts);
	assert_int_equal(tel.ts_ms, 1763891234123LL);
	assert_true(tel.has_boot);
	assert_int_equal(tel.boot, 3);
	assert_int_equal(tel.n_metrics, 6);
	/* Payload order is kept. */
	assert_string_equal(tel.metrics[0].name, "outlet_pressure_kpa");
	assert_true(tel.metrics[0].value == 312.4 && !tel.metrics[0].is_bool);
	assert_string_equal(tel.metrics[1].name, "running");
	assert_true(tel.metrics[1].value == 1.0 && tel.metrics[1].is_bool);
	assert_true(tel.metrics[2].value == 0.0 && tel.metrics[2].is_bool);
	assert_true(tel.metrics[3].value == 412.0 && !tel.metrics[3].is_bool);
	assert_true(tel.metrics[4].value == -0.5);
	assert_true(tel.metrics[5].value == 9007199254740992.0);
}

static void
test_valid_minimal_and_names(void **state)
{
	static const char no_ts[] = "{\"metrics\":{\"a\":0},\"seq\":0}";
	static const char max_seq[] =
		"{\"seq\":9223372036854775807,\"metrics\":{"
		"\"a123456789012345678901234567890123456789012345678901234567890123\":1e308,"
		"\"_0\":-1e-320}}";
	(void)state;

	/* NULL limits: defaults without time checks. */
	assert_int_equal(decode(TEL, no_ts, sizeof(no_ts) - 1, NULL), MSG_OK);
	assert_int_equal(tel.seq, 0);
	assert_false(tel.has_ts);
	assert_false(tel.has_boot);
	assert_int_equal(tel.n_metrics, 1);
	assert_int_equal(decode(TEL, max_seq, sizeof(max_seq) - 1, NULL), MSG_OK);
	assert_int_equal(tel.seq, LLONG_MAX);
	assert_int_equal(strlen(tel.metrics[0].name), 64);
	assert_true(tel.metrics[0].value == 1e308);
}

static void
test_valid_event(void **state)
{
	static const char p[] =
		"{\"seq\":77,\"ts\":1763891234123,\"event\":\"entrapment\",\"state\":\"active\","
		"\"device\":\"pump-01\",\"detail\":{\"floor\":5,\"car\":\"A \\\"east\\\"\","
		"\"load_kg\":412.5,\"ratio\":0.1,\"door_open\":false,\"zone\":\"\\u5730\\u4e0b\"}}";
	static const char bare[] = "{\"seq\":78,\"event\":\"fire_alarm\",\"state\":\"cleared\"}";
	static const char empty_detail[] =
		"{\"seq\":1,\"event\":\"x\",\"state\":\"active\",\"detail\":{}}";
	struct msg_limits lim = limits();
	(void)state;

	assert_int_equal(decode(EVT, p, sizeof(p) - 1, &lim), MSG_OK);
	assert_int_equal(evt.seq, 77);
	assert_true(evt.has_ts);
	assert_string_equal(evt.event, "entrapment");
	assert_int_equal(evt.state, MSG_EVENT_ACTIVE);
	assert_true(evt.has_detail);
	/* Canonical: sorted keys, compact, shortest reals, UTF-8 kept. */
	assert_string_equal(evt.detail_json,
			    "{\"car\":\"A \\\"east\\\"\",\"door_open\":false,\"floor\":5,"
			    "\"load_kg\":412.5,\"ratio\":0.1,\"zone\":\"\xe5\x9c\xb0\xe4\xb8\x8b\"}");
	assert_int_equal(decode(EVT, bare, sizeof(bare) - 1, &lim), MSG_OK);
	assert_int_equal(evt.state, MSG_EVENT_CLEARED);
	assert_false(evt.has_detail);
	assert_string_equal(evt.detail_json, "");
	assert_int_equal(decode(EVT, empty_detail, sizeof(empty_detail) - 1, &lim), MSG_OK);
	assert_true(evt.has_detail);
	assert_string_equal(evt.detail_json, "{}");
}

static void
test_valid_status(void **state)
{
	static const char on[] = "{\"state\":\"online\",\"ts\":1763891234123}";
	static const char off[] = " {\"device\":\"pump-01\",\"state\":\"offline\"}\n";
	struct msg_limits lim = limits();
	(void)state;

	assert_int_equal(decode(STA, on, sizeof(on) - 1, &lim), MSG_OK);
	assert_int_equal(sta.state, MSG_STATUS_ONLINE);
	assert_true(sta.has_ts);
	assert_int_equal(sta.ts_ms, 1763891234123LL);
	assert_int_equal(decode(STA, off, sizeof(off) - 1, &lim), MSG_OK);
	assert_int_equal(sta.state, MSG_STATUS_OFFLINE);
	assert_false(sta.has_ts);
}

/* A rejected decode leaves nothing half-filled behind. */
static void
test_rejection_zeroes_output(void **state)
{
	static const char bad[] = "{\"seq\":5,\"ts\":1763891234123,\"metrics\":{\"a\":1,\"b\":\"x\"}}";
	(void)state;

	memset(&tel, 0x5a, sizeof(tel));
	assert_int_equal(decode(TEL, bad, sizeof(bad) - 1, NULL), MSG_ERR_METRIC_STRING);
	assert_int_equal(tel.seq, 0);
	assert_int_equal(tel.n_metrics, 0);
	assert_int_equal(tel.metrics[0].name[0], '\0');
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
		{ NOW_MS + 300000, 300000, 90 * 86400000LL, MSG_OK },
		{ NOW_MS + 300001, 300000, 90 * 86400000LL, MSG_ERR_TS_FUTURE },
		{ NOW_MS - 90 * 86400000LL, 300000, 90 * 86400000LL, MSG_OK },
		{ NOW_MS - 90 * 86400000LL - 1, 300000, 90 * 86400000LL, MSG_ERR_TS_TOO_OLD },
		{ NOW_MS + 1, 0, 0, MSG_ERR_TS_FUTURE },
		{ NOW_MS, 0, 0, MSG_OK },
		{ LLONG_MAX, MSG_LIMIT_OFF, 0, MSG_OK },
		{ 0, 0, MSG_LIMIT_OFF, MSG_OK },
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

	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, "riverside", "pump-01",
					      &tel), MSG_OK);
	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, NULL, NULL, &tel), MSG_OK);
	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, "riverside", "pump-02",
					      &tel), MSG_ERR_IDENTITY_MISMATCH);
	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, "hillside", NULL, &tel),
			 MSG_ERR_IDENTITY_MISMATCH);
	/* A prefix is not a match. */
	assert_int_equal(msg_decode_telemetry(p, sizeof(p) - 1, NULL, "riverside", "pump-0",
					      &tel), MSG_ERR_IDENTITY_MISMATCH);
}

static void
test_reason_names(void **state)
{
	(void)state;
	for (int r = 0; r < MSG_REASON_COUNT; r++) {
		const char *name = msg_reason_name(r);
		assert_string_not_equal(name, "unknown");
		for (const char *c = name; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_');
		for (int q = 0; q < r; q++)
			assert_string_not_equal(name, msg_reason_name(q));
	}
	assert_string_equal(msg_reason_name(MSG_OK), "ok");
	assert_string_equal(msg_reason_name(MSG_ERR_METRIC_NULL), "metric_null");
	assert_string_equal(msg_reason_name(MSG_REASON_COUNT), "unknown");
	assert_string_equal(msg_reason_name((enum msg_reason)-1), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejections_table),
		cmocka_unit_test(test_rejections_generated),
		cmocka_unit_test(test_valid_telemetry),
		cmocka_unit_test(test_valid_minimal_and_names),
		cmocka_unit_test(test_valid_event),
		cmocka_unit_test(test_valid_status),
		cmocka_unit_test(test_rejection_zeroes_output),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_reason_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
