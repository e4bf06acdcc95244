/* test_ingest.c — ingestd's pure core: every verdict (accepted rows for
 * telemetry, events and status; each kind of rejection with its quarantine
 * record) checked against the exact COPY text it must produce. */
#include "ingestd/ingest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define NOW 1763891234123LL /* 2025-11-23T09:47:14.123Z */

static const char *
site_of(void *ctx, const char *device)
{
	(void)ctx;
	if (strcmp(device, "pump1") == 0 || strcmp(device, "lift1") == 0)
		return "demo";
	if (strcmp(device, "far1") == 0)
		return "other";
	return NULL;
}

static char buf[INGEST_RECORD_MAX];

static struct ingest_out
run(const char *topic, const char *payload)
{
	struct ingest_in in = {topic, payload, strlen(payload), NOW, "i1"};
	struct msg_limits lim;
	struct ingest_out out;

	msg_limits_default(&lim, NOW);
	assert_int_equal(ingest_message(&in, &lim, site_of, NULL, buf, sizeof buf, &out), 0);
	assert_true(out.len < sizeof buf);
	buf[out.len] = '\0';
	return out;
}

static void
telemetry_becomes_one_row_per_metric(void **state)
{
	struct ingest_out o;

	(void)state;
	o = run("fm/v1/demo/dev/pump1/telemetry",
		"{\"seq\":7,\"ts\":1763891230000,\"metrics\":{\"outlet_pressure_kpa\":312.5,"
		"\"running\":true}}");
	assert_int_equal(o.reason, INGEST_OK);
	assert_int_equal(o.type, INGEST_REC_READINGS);
	assert_int_equal(o.n_rows, 2);
	assert_true(o.ts_ms == 1763891230000LL);
	assert_string_equal(buf, "pump1\tdemo\t1763891230000\t7\n"
				 "2025-11-23T09:47:10.000Z\tpump1\toutlet_pressure_kpa\t312.5\t7\n"
				 "2025-11-23T09:47:10.000Z\tpump1\trunning\t1\t7\n");
}

static void
telemetry_without_ts_uses_receipt_time(void **state)
{
	struct ingest_out o;

	(void)state;
	o = run("fm/v1/demo/dev/pump1/telemetry", "{\"seq\":8,\"metrics\":{\"a\":0.1}}");
	assert_int_equal(o.reason, INGEST_OK);
	assert_true(o.ts_ms == NOW);
	assert_string_equal(buf, "pump1\tdemo\t1763891234123\t8\n"
				 "2025-11-23T09:47:14.123Z\tpump1\ta\t0.10000000000000001\t8\n");
}

static void
event_row_escapes_detail(void **state)
{
	struct ingest_out o;

	(void)state;
	o = run("fm/v1/demo/dev/lift1/event",
		"{\"seq\":3,\"ts\":1763891230000,\"event\":\"entrapment\",\"state\":\"active\","
		"\"detail\":{\"note\":\"a\\\\b\\tc\",\"floor\":5}}");
	assert_int_equal(o.reason, INGEST_OK);
	assert_int_equal(o.type, INGEST_REC_EVENT);
	/* detail is canonical JSON (sorted keys); its backslashes are doubled and
	 * its tab escaped for COPY */
	assert_string_equal(buf, "lift1\tdemo\t1763891230000\t3\n"
				 "2025-11-23T09:47:10.000Z\tdemo\tlift1\tentrapment\tactive\t3\t"
				 "{\"floor\":5,\"note\":\"a\\\\\\\\b\\\\tc\"}\n");
}

static void
status_record(void **state)
{
	struct ingest_out o;

	(void)state;
	o = run("fm/v1/demo/dev/lift1/status", "{\"state\":\"offline\"}");
	assert_int_equal(o.reason, INGEST_OK);
	assert_int_equal(o.type, INGEST_REC_STATUS);
	assert_string_equal(buf, "lift1\tdemo\t1763891234123\t0\noffline\n");
}

/* Every rejection: the reason, and a quarantine row that keeps the raw bytes. */
static void
rejections_are_quarantined(void **state)
{
	static const struct {
		const char *topic, *payload, *reason;
	} cases[] = {
		{"fm/v1/demo/alarm/a1", "{}", "bad_topic"},
		{"fm/v1/demo/dev/pump1/telemetry/extra", "{}", "bad_topic"},
		{"fm/v1/demo/dev/ghost/telemetry", "{\"seq\":1,\"metrics\":{\"a\":1}}",
		 "unknown_device"},
		{"fm/v1/demo/dev/far1/telemetry", "{\"seq\":1,\"metrics\":{\"a\":1}}",
		 "site_mismatch"},
		{"fm/v1/demo/dev/pump1/telemetry", "{\"seq\":1,", "bad_json"},
		{"fm/v1/demo/dev/pump1/telemetry", "{\"seq\":1,\"metrics\":{\"a\":\"12\"}}",
		 "metric_string"},
		{"fm/v1/demo/dev/pump1/telemetry", "{\"seq\":1,\"metrics\":{\"a\":NaN}}",
		 "number_nonfinite"},
		{"fm/v1/demo/dev/pump1/telemetry",
		 "{\"seq\":1,\"device\":\"lift1\",\"metrics\":{\"a\":1}}", "identity_mismatch"},
		{"fm/v1/demo/dev/pump1/telemetry",
		 "{\"seq\":1,\"ts\":9763891234123,\"metrics\":{\"a\":1}}", "ts_future"},
		{"fm/v1/demo/dev/lift1/event", "{\"seq\":1,\"event\":\"x\",\"state\":\"on\"}",
		 "state_value"},
		{"fm/v1/demo/dev/lift1/status", "{\"state\":\"asleep\"}", "state_value"},
	};
	char want[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ingest_out o = run(cases[i].topic, cases[i].payload);

		if (strcmp(ingest_reason_name(o.reason), cases[i].reason) != 0)
			fail_msg("case %zu: got %s, want %s", i, ingest_reason_name(o.reason),
				 cases[i].reason);
		assert_int_equal(o.type, INGEST_REC_QUARANTINE);
		snprintf(want, sizeof want,
			 "-\t-\t%lld\t0\n2025-11-23T09:47:14.123Z\ti1\t%s\t%s\t\\\\x", NOW,
			 cases[i].topic, cases[i].reason);
		assert_memory_equal(buf, want, strlen(want));
		/* raw as hex: the first payload byte is '{' = 7b */
		assert_memory_equal(buf + strlen(want), "7b", 2);
	}
}

static void
quarantine_bounds_raw_and_cleans_topic(void **state)
{
	static char big[INGEST_QUARANTINE_RAW_MAX * 2];
	struct ingest_in in = {"fm/v1/de\tmo/dev/x\x01/telemetry", big, sizeof big, NOW, "i1"};
	struct ingest_out o;
	char tail[64];

	(void)state;
	memset(big, 'A', sizeof big);
	assert_int_equal(ingest_message(&in, NULL, site_of, NULL, buf, sizeof buf, &o), 0);
	buf[o.len] = '\0';
	assert_string_equal(ingest_reason_name(o.reason), "bad_topic");
	assert_non_null(strstr(buf, "\tfm/v1/de?mo/dev/x?/telemetry\t"));
	/* 16 KiB kept as 32 KiB of hex, and the size that arrived */
	snprintf(tail, sizeof tail, "41\t%zu\t\\N\n", sizeof big);
	assert_string_equal(buf + o.len - strlen(tail), tail);
	assert_non_null(strstr(buf, "\\\\x4141"));
	assert_int_equal(strspn(strstr(buf, "\\\\x") + 3, "41"), INGEST_QUARANTINE_RAW_MAX * 2);
}

static void
small_buffer_fails_cleanly(void **state)
{
	struct ingest_in in = {"fm/v1/demo/dev/pump1/telemetry", "{}", 2, NOW, "i1"};
	struct ingest_out o;
	char tiny[16];

	(void)state;
	assert_int_equal(ingest_message(&in, NULL, site_of, NULL, tiny, sizeof tiny, &o), -1);
}

static void
header_round_trip(void **state)
{
	char dev[65], site[65];
	long long ts, seq;
	const char *rows;

	(void)state;
	run("fm/v1/demo/dev/pump1/telemetry",
	    "{\"seq\":42,\"ts\":1763891230000,\"metrics\":{\"a\":1}}");
	rows = ingest_record_header(buf, strlen(buf), dev, site, &ts, &seq);
	assert_non_null(rows);
	assert_string_equal(dev, "pump1");
	assert_string_equal(site, "demo");
	assert_true(ts == 1763891230000LL && seq == 42);
	assert_memory_equal(rows, "2025-11-23T09:47:10.000Z\tpump1\ta\t1\t42\n", 38);
	assert_null(ingest_record_header("no newline", 10, dev, site, &ts, &seq));
	assert_null(ingest_record_header("a\tb\n", 4, dev, site, &ts, &seq));
}

static void
reason_names_are_distinct(void **state)
{
	(void)state;
	/* every rejection (all but INGEST_OK and the msg module's MSG_OK) */
	for (int i = 1; i < INGEST_REASON_COUNT; i++)
		for (int j = i + 1; j < INGEST_REASON_COUNT; j++)
			if (i != INGEST_MSG_BASE && j != INGEST_MSG_BASE)
				assert_string_not_equal(ingest_reason_name(i),
							ingest_reason_name(j));
	assert_string_equal(ingest_reason_name(INGEST_REASON_COUNT), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(telemetry_becomes_one_row_per_metric),
		cmocka_unit_test(telemetry_without_ts_uses_receipt_time),
		cmocka_unit_test(event_row_escapes_detail),
		cmocka_unit_test(status_record),
		cmocka_unit_test(rejections_are_quarantined),
		cmocka_unit_test(quarantine_bounds_raw_and_cleans_topic),
		cmocka_unit_test(small_buffer_fails_cleanly),
		cmocka_unit_test(header_round_trip),
		cmocka_unit_test(reason_names_are_distinct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
