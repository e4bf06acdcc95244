/* test_msg_encode.c — the payload encoders: exact text for alarms, status
 * and stats, refusal of invalid input and of buffers that are too small, and
 * round trips of telemetry, events and status through the decoders. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"

static struct msg_telemetry tel, tel2;
static struct msg_event evt, evt2;

static struct msg_alarm
sample_alarm(void)
{
	struct msg_alarm a = {
		.alarm_id = "A-20251123-0001",
		.site = "riverside",
		.device = "pump-01",
		.rule = "pump_outlet_pressure_low",
		.severity = 2,
		.state = MSG_ALARM_ACTIVE,
		.raised_at_ms = 1763891234123LL,
		.value = 95.2,
		.has_value = 1,
		.message = "\xe5\x87\xba\xe5\x8f\xa3\xe5\x8e\x8b\xe5\x8a\x9b\xe4\xbd\x8e 95.2 kPa "
			   "\"B1\"",
		.transition = MSG_TR_RAISED,
		.ts_ms = 1763891234123LL,
	};
	return a;
}

static void
test_alarm_exact(void **state)
{
	struct msg_alarm a = sample_alarm();
	char buf[1024];
	int n;
	(void)state;

	n = msg_encode_alarm(&a, buf, sizeof(buf));
	assert_int_equal(n, (int)strlen(buf));
	assert_string_equal(
		buf,
		"{\"alarm_id\":\"A-20251123-0001\",\"site\":\"riverside\",\"device\":\"pump-01\","
		"\"rule\":\"pump_outlet_pressure_low\",\"severity\":2,\"state\":\"active\","
		"\"acked\":false,\"acked_by\":null,\"raised_at\":1763891234123,"
		"\"cleared_at\":null,\"value\":95.2,\"message\":\"\xe5\x87\xba\xe5\x8f\xa3"
		"\xe5\x8e\x8b\xe5\x8a\x9b\xe4\xbd\x8e 95.2 kPa \\\"B1\\\"\","
		"\"transition\":\"raised\",\"escalation_level\":0,\"wo_id\":null,"
		"\"acked_at\":null,\"shelved_until\":null,\"suppressed_by\":null,"
		"\"expected\":false,\"actor\":null,\"note\":null,\"ts\":1763891234123}");

	a.state = MSG_ALARM_CLEARED;
	a.acked = 1;
	a.acked_by = "duty-li";
	a.has_cleared_at = 1;
	a.cleared_at_ms = 1763891299000LL;
	a.value = 100;
	a.message = NULL;
	a.transition = MSG_TR_CLOSED;
	a.escalation_level = 2;
	a.wo_id = "WO-778";
	a.has_acked_at = 1;
	a.acked_at_ms = 1763891250000LL;
	a.has_shelved_until = 1;
	a.shelved_until_ms = 0;
	a.suppressed_by = "A-20251123-0000";
	a.expected = 1;
	a.actor = "duty-li";
	a.note = "\xe5\x9c\xa8\xe8\xb7\xaf\xe4\xb8\x8a";
	a.ts_ms = 1763891299001LL;
	assert_true(msg_encode_alarm(&a, buf, sizeof(buf)) > 0);
	assert_string_equal(
		buf,
		"{\"alarm_id\":\"A-20251123-0001\",\"site\":\"riverside\",\"device\":\"pump-01\","
		"\"rule\":\"pump_outlet_pressure_low\",\"severity\":2,\"state\":\"cleared\","
		"\"acked\":true,\"acked_by\":\"duty-li\",\"raised_at\":1763891234123,"
		"\"cleared_at\":1763891299000,\"value\":100.0,\"message\":null,"
		"\"transition\":\"closed\",\"escalation_level\":2,\"wo_id\":\"WO-778\","
		"\"acked_at\":1763891250000,\"shelved_until\":0,"
		"\"suppressed_by\":\"A-20251123-0000\",\"expected\":true,\"actor\":\"duty-li\","
		"\"note\":\"\xe5\x9c\xa8\xe8\xb7\xaf\xe4\xb8\x8a\",\"ts\":1763891299001}");

	a.state = MSG_ALARM_CLOSED;
	a.transition = MSG_TR_UNSUPPRESSED;
	assert_true(msg_encode_alarm(&a, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"state\":\"closed\","));
	assert_non_null(strstr(buf, "\"transition\":\"unsuppressed\","));

	a.has_value = 0;
	assert_true(msg_encode_alarm(&a, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"value\":null,"));
}

static void
test_alarm_rejects(void **state)
{
	char buf[1024];
	struct msg_alarm a;
	(void)state;

	a = sample_alarm();
	a.severity = 0;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
	a = sample_alarm();
	a.severity = 5;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.alarm_id = NULL;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.rule = NULL;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.value = NAN;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.value = INFINITY;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.transition = MSG_TR_COUNT;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.escalation_level = -1;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.site = "river side";
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.wo_id = "WO/1";
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.acked_by = "";
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.rule = "";
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.message = "bad \xff utf-8";
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
}

/* The fields alertd's lifecycle added: identifiers, signs, the note's size. */
static void
test_alarm_rejects_lifecycle(void **state)
{
	char buf[1024], note[MSG_NOTE_MAX + 2];
	struct msg_alarm a;
	(void)state;

	a = sample_alarm();
	a.state = (enum msg_alarm_state)(MSG_ALARM_CLOSED + 1);
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.suppressed_by = "A 1";
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.actor = "";
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.ts_ms = -1;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.raised_at_ms = -1;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.has_cleared_at = 1;
	a.cleared_at_ms = -1;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.has_acked_at = 1;
	a.acked_at_ms = -1;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.has_shelved_until = 1;
	a.shelved_until_ms = -1;
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	a = sample_alarm();
	a.note = "bad \xc0\xaf utf-8";
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
	memset(note, 'n', sizeof(note) - 1);
	note[MSG_NOTE_MAX] = '\0';
	a = sample_alarm();
	a.note = note;
	assert_true(msg_encode_alarm(&a, buf, sizeof(buf)) > 0);
	note[MSG_NOTE_MAX] = 'n';
	note[MSG_NOTE_MAX + 1] = '\0';
	assert_int_equal(msg_encode_alarm(&a, buf, sizeof(buf)), -1);
}

static void
test_buffer_too_small(void **state)
{
	struct msg_alarm a = sample_alarm();
	char buf[1024];
	int n;
	(void)state;

	n = msg_encode_alarm(&a, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(msg_encode_alarm(&a, buf, (size_t)n + 1), n);
	assert_int_equal(msg_encode_alarm(&a, buf, (size_t)n), -1);
	assert_string_equal(buf, "");
	assert_int_equal(msg_encode_alarm(&a, NULL, 0), -1);
}

static void
set_metric(struct msg_telemetry *t, const char *name, double v, int is_bool)
{
	struct msg_telemetry_metric *m = &t->metrics[t->n_metrics++];

	strcpy(m->name, name);
	m->value = v;
	m->is_bool = is_bool;
}

static void
test_telemetry_exact_and_shortest(void **state)
{
	char buf[4096];
	(void)state;

	memset(&tel, 0, sizeof(tel));
	tel.seq = 1042;
	tel.has_ts = 1;
	tel.ts_ms = 1763891234123LL;
	set_metric(&tel, "outlet_pressure_kpa", 312.4, 0);
	set_metric(&tel, "running", 1.0, 1);
	set_metric(&tel, "motor_current_a", 11.2, 0);
	assert_true(msg_encode_telemetry(&tel, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "{\"seq\":1042,\"ts\":1763891234123,\"metrics\":"
				 "{\"outlet_pressure_kpa\":312.4,\"running\":true,"
				 "\"motor_current_a\":11.2}}");
	tel.has_boot = 1;
	tel.boot = 7;
	tel.metrics[1].value = 0.0;
	assert_true(msg_encode_telemetry(&tel, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "{\"seq\":1042,\"ts\":1763891234123,\"boot\":7,\"metrics\":"
				 "{\"outlet_pressure_kpa\":312.4,\"running\":false,"
				 "\"motor_current_a\":11.2}}");
}

/* Every double must come back bit for bit, whatever digits the others need. */
static void
test_telemetry_round_trip(void **state)
{
	static const double values[] = {
		312.4,
		0.1,
		1.0 / 3.0,
		1e-300,
		5e-324,
		1.7976931348623157e308,
		-0.0,
		123456789.123456789,
		9007199254740993.0,
		-2.5,
		0.0,
		1e21,
		1e-7,
		100.0,
	};
	char buf[8192], name[16];
	int n;
	(void)state;

	memset(&tel, 0, sizeof(tel));
	tel.seq = 9223372036854775807LL;
	tel.has_boot = 1;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(name, sizeof(name), "v%zu", i);
		set_metric(&tel, name, values[i], 0);
	}
	set_metric(&tel, "on", 1.0, 1);
	n = msg_encode_telemetry(&tel, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(msg_decode_telemetry(buf, (size_t)n, NULL, NULL, NULL, &tel2), MSG_OK);
	assert_int_equal(tel2.seq, tel.seq);
	assert_int_equal(tel2.has_ts, 0);
	assert_int_equal(tel2.has_boot, 1);
	assert_int_equal(tel2.n_metrics, tel.n_metrics);
	for (int i = 0; i < tel.n_metrics; i++) {
		assert_string_equal(tel2.metrics[i].name, tel.metrics[i].name);
		assert_memory_equal(&tel2.metrics[i].value, &tel.metrics[i].value, sizeof(double));
		assert_int_equal(tel2.metrics[i].is_bool, tel.metrics[i].is_bool);
	}
}

static void
test_telemetry_rejects(void **state)
{
	char buf[4096];
	(void)state;

	memset(&tel, 0, sizeof(tel));
	assert_int_equal(msg_encode_telemetry(&tel, buf, sizeof(buf)), -1); /* no metrics */
	set_metric(&tel, "a", 1, 0);
	tel.seq = -1;
	assert_int_equal(msg_encode_telemetry(&tel, buf, sizeof(buf)), -1);
	tel.seq = 0;
	tel.has_ts = 1;
	tel.ts_ms = -5;
	assert_int_equal(msg_encode_telemetry(&tel, buf, sizeof(buf)), -1);
	tel.has_ts = 0;
	assert_true(msg_encode_telemetry(&tel, buf, sizeof(buf)) > 0);
	set_metric(&tel, "Bad-Name", 1, 0);
	assert_int_equal(msg_encode_telemetry(&tel, buf, sizeof(buf)), -1);
	tel.n_metrics = 1;
	set_metric(&tel, "a", 2, 0); /* duplicate name */
	assert_int_equal(msg_encode_telemetry(&tel, buf, sizeof(buf)), -1);
	tel.n_metrics = 1;
	set_metric(&tel, "b", NAN, 0);
	assert_int_equal(msg_encode_telemetry(&tel, buf, sizeof(buf)), -1);
	tel.n_metrics = MSG_METRICS_MAX + 1;
	assert_int_equal(msg_encode_telemetry(&tel, buf, sizeof(buf)), -1);
}

static void
test_event_round_trip(void **state)
{
	static const char in[] =
		"{\"seq\":77,\"ts\":1763891234123,\"boot\":2,\"event\":\"entrapment\","
		"\"state\":\"active\",\"detail\":{\"floor\":5,\"car\":\"A\",\"w\":0.1,"
		"\"third\":0.3333333333333333}}";
	char buf[8192];
	int n;
	(void)state;

	assert_int_equal(msg_decode_event(in, sizeof(in) - 1, NULL, NULL, NULL, &evt), MSG_OK);
	n = msg_encode_event(&evt, buf, sizeof(buf));
	assert_true(n > 0);
	assert_string_equal(buf, "{\"seq\":77,\"ts\":1763891234123,\"boot\":2,"
				 "\"event\":\"entrapment\",\"state\":\"active\",\"detail\":"
				 "{\"car\":\"A\",\"floor\":5,\"third\":0.3333333333333333,"
				 "\"w\":0.1}}");
	assert_int_equal(msg_decode_event(buf, (size_t)n, NULL, NULL, NULL, &evt2), MSG_OK);
	assert_memory_equal(&evt, &evt2, sizeof(evt));

	memset(&evt, 0, sizeof(evt));
	evt.seq = 1;
	strcpy(evt.event, "flood");
	evt.state = MSG_EVENT_CLEARED;
	assert_true(msg_encode_event(&evt, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "{\"seq\":1,\"event\":\"flood\",\"state\":\"cleared\"}");
}

static void
test_event_rejects(void **state)
{
	static const char *const bad_detail[] = {
		"{\"a\":{\"b\":1}}", "[1]",       "not json",
		"{\"a\":null}",      "{\"A\":1}", "{\"a\":1,\"a\":2}",
	};
	char buf[8192];
	(void)state;

	memset(&evt, 0, sizeof(evt));
	evt.seq = 1;
	strcpy(evt.event, "Bad Name");
	assert_int_equal(msg_encode_event(&evt, buf, sizeof(buf)), -1);
	strcpy(evt.event, "fault");
	evt.state = (enum msg_event_state)7;
	assert_int_equal(msg_encode_event(&evt, buf, sizeof(buf)), -1);
	evt.state = MSG_EVENT_ACTIVE;
	evt.has_detail = 1;
	for (size_t i = 0; i < sizeof(bad_detail) / sizeof(bad_detail[0]); i++) {
		strcpy(evt.detail_json, bad_detail[i]);
		if (msg_encode_event(&evt, buf, sizeof(buf)) != -1)
			fail_msg("detail %s was encoded", bad_detail[i]);
	}
	strcpy(evt.detail_json, "{\"code\":\"E12\"}");
	assert_true(msg_encode_event(&evt, buf, sizeof(buf)) > 0);
}

static void
test_status(void **state)
{
	struct msg_status s = {MSG_STATUS_ONLINE, 1763891234123LL, 1}, back;
	char buf[128];
	int n;
	(void)state;

	n = msg_encode_status(&s, buf, sizeof(buf));
	assert_string_equal(buf, "{\"state\":\"online\",\"ts\":1763891234123}");
	assert_int_equal(msg_decode_status(buf, (size_t)n, NULL, NULL, NULL, &back), MSG_OK);
	assert_int_equal(back.state, s.state);
	assert_int_equal(back.has_ts, 1);
	assert_int_equal(back.ts_ms, s.ts_ms);
	s.state = MSG_STATUS_OFFLINE;
	s.has_ts = 0;
	assert_true(msg_encode_status(&s, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "{\"state\":\"offline\"}");
	s.state = (enum msg_status_state)2;
	assert_int_equal(msg_encode_status(&s, buf, sizeof(buf)), -1);
	s.state = MSG_STATUS_ONLINE;
	s.has_ts = 1;
	s.ts_ms = -1;
	assert_int_equal(msg_encode_status(&s, buf, sizeof(buf)), -1);
}

static void
test_stats(void **state)
{
	const struct msg_counter c[] = {
		{"accepted", 1200},
		{"rejected_too_large", 0},
		{"spool_bytes", 1LL << 40},
	};
	const struct msg_counter dup[] = {{"a", 1}, {"a", 2}};
	const struct msg_counter noname[] = {{"", 1}};
	char buf[512];
	(void)state;

	assert_true(msg_encode_stats("ingestd", "i-1", 1763891234123LL, c, 3, buf, sizeof(buf)) >
		    0);
	assert_string_equal(buf,
			    "{\"daemon\":\"ingestd\",\"instance\":\"i-1\",\"ts\":1763891234123,"
			    "\"counters\":{\"accepted\":1200,\"rejected_too_large\":0,"
			    "\"spool_bytes\":1099511627776}}");
	assert_true(msg_encode_stats("alertd", "a", 5, NULL, 0, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
			    "{\"daemon\":\"alertd\",\"instance\":\"a\",\"ts\":5,\"counters\":{}}");
	assert_int_equal(msg_encode_stats("x", "y", 0, dup, 2, buf, sizeof(buf)), -1);
	assert_int_equal(msg_encode_stats("x", "y", 0, noname, 1, buf, sizeof(buf)), -1);
	assert_int_equal(msg_encode_stats(NULL, "y", 0, c, 3, buf, sizeof(buf)), -1);
	assert_int_equal(msg_encode_stats("x", "y", 0, c, -1, buf, sizeof(buf)), -1);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(msg_transition_name(MSG_TR_RAISED), "raised");
	assert_string_equal(msg_transition_name(MSG_TR_REMINDED), "reminded");
	assert_string_equal(msg_transition_name(MSG_TR_CLOSED), "closed");
	assert_string_equal(msg_transition_name(MSG_TR_UNSHELVED), "unshelved");
	assert_string_equal(msg_transition_name(MSG_TR_FLAPPING), "flapping");
	assert_string_equal(msg_transition_name(MSG_TR_SUPPRESSED), "suppressed");
	assert_string_equal(msg_transition_name(MSG_TR_UNSUPPRESSED), "unsuppressed");
	for (int t = 0; t < MSG_TR_COUNT; t++)
		assert_string_not_equal(msg_transition_name((enum msg_alarm_transition)t),
					"unknown");
	assert_string_equal(msg_transition_name(MSG_TR_COUNT), "unknown");
	assert_string_equal(msg_alarm_state_name(MSG_ALARM_CLEARED), "cleared");
	assert_string_equal(msg_alarm_state_name(MSG_ALARM_CLOSED), "closed");
	assert_string_equal(msg_alarm_state_name((enum msg_alarm_state)3), "unknown");
	assert_string_equal(msg_event_state_name(MSG_EVENT_ACTIVE), "active");
	assert_string_equal(msg_status_state_name(MSG_STATUS_OFFLINE), "offline");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alarm_exact),
		cmocka_unit_test(test_alarm_rejects),
		cmocka_unit_test(test_alarm_rejects_lifecycle),
		cmocka_unit_test(test_buffer_too_small),
		cmocka_unit_test(test_telemetry_exact_and_shortest),
		cmocka_unit_test(test_telemetry_round_trip),
		cmocka_unit_test(test_telemetry_rejects),
		cmocka_unit_test(test_event_round_trip),
		cmocka_unit_test(test_event_rejects),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
