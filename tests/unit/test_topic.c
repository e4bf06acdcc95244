/* test_topic.c — the topic tree: a table of valid topics with their parsed
 * fields, a table of invalid ones with their reasons, builder round trips,
 * subscription filters, and lengths that Paho hands over without a NUL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "topic.h"

#define ID64 "a123456789012345678901234567890123456789012345678901234567890123"

struct valid_case {
	const char *topic;
	enum topic_kind kind;
	const char *site;
	const char *id;    /* device, alarm_id, person, wo_id or daemon */
	const char *extra; /* instance for sys */
	enum topic_verb verb;
};

static const struct valid_case valids[] = {
	{"fm/v1/riverside/dev/pump-01/telemetry", TOPIC_TELEMETRY, "riverside", "pump-01", "", 0},
	{"fm/v1/riverside/dev/pump-01/event", TOPIC_EVENT, "riverside", "pump-01", "", 0},
	{"fm/v1/riverside/dev/pump-01/status", TOPIC_STATUS, "riverside", "pump-01", "", 0},
	{"fm/v1/s/alarm/A-20251123-0001", TOPIC_ALARM, "s", "A-20251123-0001", "", 0},
	{"fm/v1/s/alarm-log", TOPIC_ALARM_LOG, "s", "", "", 0},
	{"fm/v1/s/notify/duty_li", TOPIC_NOTIFY, "s", "duty_li", "", 0},
	{"fm/v1/s/wo/WO-778", TOPIC_WO, "s", "WO-778", "", 0},
	{"fm/v1/s/wo-request", TOPIC_WO_REQUEST, "s", "", "", 0},
	{"fm/v1/s/ops/wang/ack", TOPIC_OPS, "s", "wang", "", TOPIC_VERB_ACK},
	{"fm/v1/s/ops/wang/shelve", TOPIC_OPS, "s", "wang", "", TOPIC_VERB_SHELVE},
	{"fm/v1/s/ops/wang/wo", TOPIC_OPS, "s", "wang", "", TOPIC_VERB_WO},
	{"fm/v1/s/ops/wang/request", TOPIC_OPS, "s", "wang", "", TOPIC_VERB_REQUEST},
	{"fm/v1/s/ops/wang/followup", TOPIC_OPS, "s", "wang", "", TOPIC_VERB_FOLLOWUP},
	{"fm/v1/_sys/ingestd/i-1", TOPIC_SYS, "", "ingestd", "i-1", 0},
	{"fm/v1/" ID64 "/dev/" ID64 "/telemetry", TOPIC_TELEMETRY, ID64, ID64, "", 0},
	/* Identifiers may look like kinds, or start with '_' or '-'. */
	{"fm/v1/dev/dev/dev/event", TOPIC_EVENT, "dev", "dev", "", 0},
	{"fm/v1/_sys_/alarm/-", TOPIC_ALARM, "_sys_", "-", "", 0},
	{"fm/v1/_sys/_sys/_sys", TOPIC_SYS, "", "_sys", "_sys", 0},
};

struct invalid_case {
	const char *topic;
	enum topic_err want;
};

static const struct invalid_case invalids[] = {
	{"", TOPIC_ERR_EMPTY},
	{"fm/v1/s/dev/d/telemetry+", TOPIC_ERR_WILDCARD},
	{"fm/v1/+/dev/d/telemetry", TOPIC_ERR_WILDCARD},
	{"fm/v1/s/dev/#", TOPIC_ERR_WILDCARD},
	{"/fm/v1/s/alarm-log", TOPIC_ERR_EMPTY_LEVEL},
	{"fm/v1/s/alarm-log/", TOPIC_ERR_EMPTY_LEVEL},
	{"fm/v1//alarm-log", TOPIC_ERR_EMPTY_LEVEL},
	{"fm//v1/s/alarm-log", TOPIC_ERR_EMPTY_LEVEL},
	{"/", TOPIC_ERR_EMPTY_LEVEL},
	{"fm/v2/s/alarm-log", TOPIC_ERR_PREFIX},
	{"FM/v1/s/alarm-log", TOPIC_ERR_PREFIX},
	{"fm", TOPIC_ERR_PREFIX},
	{"$SYS/broker/uptime", TOPIC_ERR_PREFIX},
	{"xfm/v1/s/alarm-log", TOPIC_ERR_PREFIX},
	{"fm/v1", TOPIC_ERR_LEVELS},
	{"fm/v1/s", TOPIC_ERR_LEVELS},
	{"fm/v1/s/dev", TOPIC_ERR_LEVELS},
	{"fm/v1/s/dev/d", TOPIC_ERR_LEVELS},
	{"fm/v1/s/dev/d/telemetry/x", TOPIC_ERR_LEVELS},
	{"fm/v1/s/alarm", TOPIC_ERR_LEVELS},
	{"fm/v1/s/alarm/a/b", TOPIC_ERR_LEVELS},
	{"fm/v1/s/alarm-log/x", TOPIC_ERR_LEVELS},
	{"fm/v1/s/wo-request/x", TOPIC_ERR_LEVELS},
	{"fm/v1/s/ops/p", TOPIC_ERR_LEVELS},
	{"fm/v1/s/ops/p/ack/now", TOPIC_ERR_LEVELS},
	{"fm/v1/_sys/ingestd", TOPIC_ERR_LEVELS},
	{"fm/v1/_sys/ingestd/i/x", TOPIC_ERR_LEVELS},
	{"fm/v1/s/dev/d/event/a/b/c/d/e/f/g", TOPIC_ERR_LEVELS},
	{"fm/v2/s/dev/d/event/a/b/c/d/e/f/g", TOPIC_ERR_PREFIX},
	{"fm/v1/s/a/b/c/d/e/f/g/h", TOPIC_ERR_KIND},
	{"fm/v1/s/devices/d/telemetry", TOPIC_ERR_KIND},
	{"fm/v1/s/dev/d/Telemetry", TOPIC_ERR_KIND},
	{"fm/v1/s/dev/d/metrics", TOPIC_ERR_KIND},
	{"fm/v1/s/alarms/a", TOPIC_ERR_KIND},
	{"fm/v1/s/alarm_log", TOPIC_ERR_KIND},
	{"fm/v1/s p/alarm-log", TOPIC_ERR_IDENTIFIER},
	{"fm/v1/s.p/alarm-log", TOPIC_ERR_IDENTIFIER},
	{"fm/v1/s/dev/d\xc3\xa9/event", TOPIC_ERR_IDENTIFIER},
	{"fm/v1/s/dev/" ID64 "x/event", TOPIC_ERR_IDENTIFIER},
	{"fm/v1/s/notify/a:b", TOPIC_ERR_IDENTIFIER},
	{"fm/v1/_sys/ingestd/i.1", TOPIC_ERR_IDENTIFIER},
	{"fm/v1/s/ops/p/ACK", TOPIC_ERR_VERB},
	{"fm/v1/s/ops/p/delete", TOPIC_ERR_VERB},
	{"fm/v1/s/ops/p/none", TOPIC_ERR_VERB},
};

static void
test_valid_topics(void **state)
{
	struct topic t;
	char buf[TOPIC_MAX_LEN + 1];
	(void)state;

	for (size_t i = 0; i < sizeof(valids) / sizeof(valids[0]); i++) {
		const struct valid_case *c = &valids[i];
		const char *id;

		memset(&t, 0x5a, sizeof(t));
		if (topic_parse(c->topic, strlen(c->topic), &t) != TOPIC_OK)
			fail_msg("%s: rejected", c->topic);
		assert_int_equal(t.kind, c->kind);
		assert_int_equal(t.verb, c->verb);
		assert_string_equal(t.site, c->site);
		switch (c->kind) {
		case TOPIC_ALARM:
			id = t.alarm_id;
			break;
		case TOPIC_NOTIFY:
		case TOPIC_OPS:
			id = t.person;
			break;
		case TOPIC_WO:
			id = t.wo_id;
			break;
		case TOPIC_SYS:
			id = t.daemon;
			break;
		default:
			id = t.device;
			break;
		}
		assert_string_equal(id, c->id);
		assert_string_equal(t.instance, c->extra);
		/* Round trip: formatting the parse gives back the same bytes. */
		assert_int_equal(topic_format(&t, buf, sizeof(buf)), (int)strlen(c->topic));
		assert_string_equal(buf, c->topic);
	}
}

static void
test_invalid_topics(void **state)
{
	struct topic t;
	(void)state;

	for (size_t i = 0; i < sizeof(invalids) / sizeof(invalids[0]); i++) {
		const struct invalid_case *c = &invalids[i];
		size_t len = strlen(c->topic);
		char *exact = malloc(len ? len : 1); /* exact size: no NUL to lean on */
		enum topic_err got;

		assert_non_null(exact);
		memcpy(exact, c->topic, len);
		memset(&t, 0x5a, sizeof(t));
		got = topic_parse(exact, len, &t);
		free(exact);
		if (got != c->want)
			fail_msg("%s: got %s, want %s", c->topic, topic_err_name(got),
				 topic_err_name(c->want));
		assert_int_equal(t.site[0], '\0'); /* zeroed on error */
	}
}

static void
test_lengths(void **state)
{
	static const char two[] = "fm/v1/s/alarm-logfm/v1/s/wo-request";
	char longest[TOPIC_MAX_LEN + 2];
	struct topic t;
	(void)state;

	/* Only len bytes count: the first topic of two packed together. */
	assert_int_equal(topic_parse(two, 17, &t), TOPIC_OK);
	assert_int_equal(t.kind, TOPIC_ALARM_LOG);
	assert_int_equal(topic_parse("fm/v1/s/alarm-log\0x", 19, &t), TOPIC_ERR_NUL_BYTE);
	memset(longest, 'a', sizeof(longest));
	assert_int_equal(topic_parse(longest, TOPIC_MAX_LEN + 1, &t), TOPIC_ERR_TOO_LONG);
	assert_int_equal(topic_parse(longest, TOPIC_MAX_LEN, &t), TOPIC_ERR_PREFIX);
	/* The longest real topic fits TOPIC_MAX_LEN with room to spare. */
	assert_true(strlen("fm/v1/" ID64 "/ops/" ID64 "/followup") <= TOPIC_MAX_LEN);
}

static void
test_builders(void **state)
{
	char buf[TOPIC_MAX_LEN + 1], small[16];
	(void)state;

	assert_int_equal(topic_build_dev(buf, sizeof(buf), "s1", "d1", TOPIC_STATUS), 22);
	assert_string_equal(buf, "fm/v1/s1/dev/d1/status");
	assert_true(topic_build_alarm(buf, sizeof(buf), "s1", "A1") > 0);
	assert_string_equal(buf, "fm/v1/s1/alarm/A1");
	assert_true(topic_build_alarm_log(buf, sizeof(buf), "s1") > 0);
	assert_string_equal(buf, "fm/v1/s1/alarm-log");
	assert_true(topic_build_notify(buf, sizeof(buf), "s1", "li") > 0);
	assert_string_equal(buf, "fm/v1/s1/notify/li");
	assert_true(topic_build_wo(buf, sizeof(buf), "s1", "WO-1") > 0);
	assert_string_equal(buf, "fm/v1/s1/wo/WO-1");
	assert_true(topic_build_wo_request(buf, sizeof(buf), "s1") > 0);
	assert_string_equal(buf, "fm/v1/s1/wo-request");
	assert_true(topic_build_ops(buf, sizeof(buf), "s1", "li", TOPIC_VERB_FOLLOWUP) > 0);
	assert_string_equal(buf, "fm/v1/s1/ops/li/followup");
	assert_true(topic_build_sys(buf, sizeof(buf), "alertd", "a") > 0);
	assert_string_equal(buf, "fm/v1/_sys/alertd/a");

	/* Invalid identifiers, kinds and verbs, and buffers too small. */
	assert_int_equal(topic_build_dev(buf, sizeof(buf), "_sys", "d1", TOPIC_EVENT), -1);
	assert_string_equal(buf, "");
	assert_int_equal(topic_build_dev(buf, sizeof(buf), "s1", "d/1", TOPIC_EVENT), -1);
	assert_int_equal(topic_build_dev(buf, sizeof(buf), "s1", "d1", TOPIC_ALARM), -1);
	assert_int_equal(topic_build_dev(buf, sizeof(buf), "s1", NULL, TOPIC_EVENT), -1);
	assert_int_equal(topic_build_alarm(buf, sizeof(buf), "s1", ""), -1);
	assert_int_equal(topic_build_notify(buf, sizeof(buf), "s1", ID64 "x"), -1);
	assert_int_equal(topic_build_ops(buf, sizeof(buf), "s1", "li", TOPIC_VERB_NONE), -1);
	assert_int_equal(topic_build_ops(buf, sizeof(buf), "s1", "li", TOPIC_VERB_COUNT), -1);
	assert_int_equal(topic_build_sys(buf, sizeof(buf), "alertd", "+"), -1);
	assert_int_equal(topic_build_alarm_log(small, sizeof(small), "s1"), -1);
	assert_string_equal(small, "");
	/* "fm/v1/s1/wo/W" is 13 bytes: fits in 14, not in 13. */
	assert_int_equal(topic_build_wo(small, 14, "s1", "W"), 13);
	assert_int_equal(topic_build_wo(small, 13, "s1", "W"), -1);
	assert_int_equal(topic_build_wo(NULL, 0, "s1", "W"), -1);
}

static void
test_filters(void **state)
{
	static const struct {
		const char *site;
		enum topic_kind kind;
		const char *want;
	} f[] = {
		{NULL, TOPIC_TELEMETRY, "fm/v1/+/dev/+/telemetry"},
		{"s1", TOPIC_EVENT, "fm/v1/s1/dev/+/event"},
		{"s1", TOPIC_STATUS, "fm/v1/s1/dev/+/status"},
		{NULL, TOPIC_ALARM, "fm/v1/+/alarm/+"},
		{"s1", TOPIC_ALARM_LOG, "fm/v1/s1/alarm-log"},
		{"s1", TOPIC_NOTIFY, "fm/v1/s1/notify/+"},
		{"s1", TOPIC_WO, "fm/v1/s1/wo/+"},
		{NULL, TOPIC_WO_REQUEST, "fm/v1/+/wo-request"},
		{"s1", TOPIC_OPS, "fm/v1/s1/ops/+/+"},
		{"s1", TOPIC_SYS, "fm/v1/_sys/+/+"},
	};
	char buf[TOPIC_MAX_LEN + 1];
	(void)state;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		assert_int_equal(topic_build_filter(buf, sizeof(buf), f[i].site, f[i].kind),
				 (int)strlen(f[i].want));
		assert_string_equal(buf, f[i].want);
	}
	assert_int_equal(topic_build_filter(buf, sizeof(buf), "a/b", TOPIC_WO), -1);
	assert_int_equal(topic_build_filter(buf, sizeof(buf), "_sys", TOPIC_WO), -1);
	assert_int_equal(topic_build_filter(buf, sizeof(buf), NULL, TOPIC_KIND_COUNT), -1);
}

static void
test_identifiers_and_names(void **state)
{
	(void)state;
	assert_true(topic_id_valid("A-z_0"));
	assert_true(topic_id_valid(ID64));
	assert_false(topic_id_valid(ID64 "0"));
	assert_false(topic_id_valid(""));
	assert_false(topic_id_valid(NULL));
	assert_false(topic_id_valid("a b"));
	assert_false(topic_id_valid("a/b"));
	assert_true(topic_id_valid("_sys"));
	assert_false(topic_site_valid("_sys"));
	assert_true(topic_site_valid("_sys2"));
	assert_string_equal(topic_kind_name(TOPIC_ALARM_LOG), "alarm-log");
	assert_string_equal(topic_kind_name(TOPIC_KIND_COUNT), "unknown");
	assert_string_equal(topic_verb_name(TOPIC_VERB_FOLLOWUP), "followup");
	assert_string_equal(topic_err_name(TOPIC_ERR_WILDCARD), "wildcard");
	assert_string_equal(topic_err_name(TOPIC_ERR_COUNT), "unknown");
	for (int e = 0; e < TOPIC_ERR_COUNT; e++)
		assert_string_not_equal(topic_err_name(e), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_topics), cmocka_unit_test(test_invalid_topics),
		cmocka_unit_test(test_lengths),      cmocka_unit_test(test_builders),
		cmocka_unit_test(test_filters),      cmocka_unit_test(test_identifiers_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
