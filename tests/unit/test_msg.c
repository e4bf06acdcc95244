/* test_msg.c — the device payload decoders: a table of rejections that,
 * with test_msg_limits.c, covers every reason they give; the order of checks; valid payloads
 * with their decoded fields. Limits and identity: test_msg_limits.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "msg_fixture.h"

struct reject_case {
	enum kind kind;
	const char *payload;
	size_t len;
	enum msg_reason want;
};

/* sizeof - 1 keeps embedded NUL bytes in the payload. */
#define C(k, lit, r)                                                                               \
	{                                                                                          \
		k, lit, sizeof(lit) - 1, r                                                         \
	}

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
	C(TEL,
	  "{\"seq\":1,\"metrics\":{\"a\":1,"
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

static void
test_rejections_table(void **state)
{
	struct msg_limits lim = limits();
	int covered[MSG_REASON_COUNT] = {0};
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
	/* test_msg_limits.c covers these with generated payloads. */
	covered[MSG_ERR_TOO_LARGE] = covered[MSG_ERR_TOO_DEEP] = 1;
	covered[MSG_ERR_TOO_MANY_METRICS] = covered[MSG_ERR_DETAIL_TOO_MANY_KEYS] = 1;
	covered[MSG_ERR_DETAIL_STRING_TOO_LONG] = covered[MSG_ERR_DETAIL_TOO_LARGE] = 1;
	/* Needs the allocator to fail; the mapping is a single switch case. */
	covered[MSG_ERR_NO_MEMORY] = 1;
	/* The operations decoders' reasons, from MSG_ERR_TS_MISSING on, are
	 * test_msg_ops.c's. */
	for (int r = 1; r < MSG_ERR_TS_MISSING; r++)
		if (!covered[r])
			fail_msg("no rejection case for reason %s", msg_reason_name(r));
}

static void
test_valid_telemetry(void **state)
{
	static const char p[] =
		"{\"seq\": 1042, \"ts\": 1763891234123, \"boot\": 3, \"site\": \"riverside\",\n"
		" \"metrics\": {\"outlet_pressure_kpa\": 312.4, \"running\": true,"
		" \"door_open\": false, \"starts\": 412, \"neg\": -0.5, \"big\": "
		"9007199254740993}}";
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
	assert_string_equal(
		evt.detail_json,
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
	static const char bad[] =
		"{\"seq\":5,\"ts\":1763891234123,\"metrics\":{\"a\":1,\"b\":\"x\"}}";
	(void)state;

	memset(&tel, 0x5a, sizeof(tel));
	assert_int_equal(decode(TEL, bad, sizeof(bad) - 1, NULL), MSG_ERR_METRIC_STRING);
	assert_int_equal(tel.seq, 0);
	assert_int_equal(tel.n_metrics, 0);
	assert_int_equal(tel.metrics[0].name[0], '\0');
}

static void
test_reason_names(void **state)
{
	(void)state;
	for (int r = 0; r < MSG_REASON_COUNT; r++) {
		const char *name = msg_reason_name(r);
		assert_string_not_equal(name, "unknown");
		for (const char *c = name; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
				    *c == '_');
		for (int q = 0; q < r; q++)
			assert_string_not_equal(name, msg_reason_name(q));
	}
	assert_string_equal(msg_reason_name(MSG_OK), "ok");
	assert_string_equal(msg_reason_name(MSG_ERR_METRIC_NULL), "metric_null");
	assert_string_equal(msg_reason_name(MSG_REASON_COUNT), "unknown");
	assert_string_equal(msg_reason_name((enum msg_reason) - 1), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejections_table),
		cmocka_unit_test(test_valid_telemetry),
		cmocka_unit_test(test_valid_minimal_and_names),
		cmocka_unit_test(test_valid_event),
		cmocka_unit_test(test_valid_status),
		cmocka_unit_test(test_rejection_zeroes_output),
		cmocka_unit_test(test_reason_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
