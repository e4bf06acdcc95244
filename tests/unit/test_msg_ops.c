/* test_msg_ops.c — the operations decoders (work-order request, ops command,
 * work-order brief): a table of rejections that covers every reason from
 * MSG_ERR_TS_MISSING on (test_msg.c covers the device decoders' reasons),
 * the order of checks, and valid payloads with their decoded fields. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

#define NOW_MS 1763891300000LL /* 2025-11-23T09:48:20Z */
#define SITE "riverside"

enum kind { WOR, ACK, SHELVE, WOB, STATS };

static struct msg_wo_request wor;
static struct msg_command cmd;
static struct msg_wo_brief wob;
static struct msg_stats_counter stats;

static enum msg_reason
decode(enum kind k, const char *buf, size_t len, const struct msg_limits *lim)
{
	switch (k) {
	case WOR:
		return msg_decode_wo_request(buf, len, lim, SITE, &wor);
	case ACK:
		return msg_decode_command(buf, len, lim, "ack", &cmd);
	case SHELVE:
		return msg_decode_command(buf, len, lim, "shelve", &cmd);
	case WOB:
		return msg_decode_wo_brief(buf, len, lim, &wob);
	case STATS:
		return msg_decode_stats_counter(buf, len, lim, "ingestd", "s1", "back_pressure",
						&stats);
	}
	return MSG_REASON_COUNT;
}

/* A valid request with one field replaced: the rest must stay valid so that
 * each case has exactly one thing wrong. */
#define REQ_HEAD "{\"idempotency_key\":\"alarm:A-1\",\"ts\":1763891234123,\"source\":\"alertd\","
#define REQ_SITE "\"site\":\"riverside\","
#define REQ_MID "\"kind\":\"equipment_fault\",\"priority\":\"emergency\","
#define REQ_TITLE "\"title\":\"pump outlet pressure low\","
#define REQ_TAIL "\"sla_start\":1763891234123}"
#define REQ(extra) REQ_HEAD REQ_SITE REQ_MID REQ_TITLE extra REQ_TAIL
#define LONG64 "a123456789012345678901234567890123456789012345678901234567890123"

struct reject_case {
	enum kind kind;
	const char *payload;
	enum msg_reason want;
};

static const struct reject_case rejects[] = {
	{WOR, "", MSG_ERR_EMPTY},
	{WOR, "[]", MSG_ERR_NOT_OBJECT},
	{WOR, REQ("\"x\":1,"), MSG_ERR_UNKNOWN_FIELD},
	{WOR, REQ("\"person\":\"li\","), MSG_ERR_UNKNOWN_FIELD},
	{WOR, "{\"site\":\"hillside\"}", MSG_ERR_IDENTITY_MISMATCH},
	{WOR, "{\"site\":1}", MSG_ERR_IDENTITY_TYPE},
	{WOR, "{\"ts\":1}", MSG_ERR_IDEMPOTENCY_KEY_MISSING},
	{WOR, "{\"idempotency_key\":7}", MSG_ERR_IDEMPOTENCY_KEY_TYPE},
	{WOR, "{\"idempotency_key\":\"\"}", MSG_ERR_IDEMPOTENCY_KEY_VALUE},
	{WOR, "{\"idempotency_key\":\"a b\"}", MSG_ERR_IDEMPOTENCY_KEY_VALUE},
	{WOR, "{\"idempotency_key\":\"plan/1\"}", MSG_ERR_IDEMPOTENCY_KEY_VALUE},
	{WOR, "{\"idempotency_key\":\"" LONG64 LONG64 "1\"}", MSG_ERR_IDEMPOTENCY_KEY_VALUE},
	{WOR, "{\"idempotency_key\":\"k\",\"source\":\"alertd\"}", MSG_ERR_TS_MISSING},
	{WOR, "{\"idempotency_key\":\"k\",\"ts\":\"now\"}", MSG_ERR_TS_TYPE},
	{WOR, "{\"idempotency_key\":\"k\",\"ts\":-1}", MSG_ERR_TS_NEGATIVE},
	{WOR, "{\"idempotency_key\":\"k\",\"ts\":1763891600001}", MSG_ERR_TS_FUTURE},
	{WOR, "{\"idempotency_key\":\"k\",\"ts\":0}", MSG_ERR_TS_TOO_OLD},
	{WOR, "{\"idempotency_key\":\"k\",\"ts\":1763891234123}", MSG_ERR_SOURCE_MISSING},
	{WOR, "{\"idempotency_key\":\"k\",\"ts\":1763891234123,\"source\":null}",
	 MSG_ERR_SOURCE_TYPE},
	{WOR, "{\"idempotency_key\":\"k\",\"ts\":1763891234123,\"source\":\"fmctl\"}",
	 MSG_ERR_SOURCE_VALUE},
	{WOR, REQ_HEAD REQ_MID REQ_TITLE REQ_TAIL, MSG_ERR_SITE_MISSING},
	{WOR, REQ("\"device\":3,"), MSG_ERR_DEVICE_TYPE},
	{WOR, REQ("\"device\":\"pump 01\","), MSG_ERR_DEVICE_VALUE},
	{WOR, REQ("\"device\":\"" LONG64 "4\","), MSG_ERR_DEVICE_VALUE},
	{WOR, REQ_HEAD REQ_SITE "\"priority\":\"emergency\"," REQ_TITLE REQ_TAIL,
	 MSG_ERR_KIND_MISSING},
	{WOR, REQ_HEAD REQ_SITE "\"kind\":[],\"priority\":\"emergency\"," REQ_TITLE REQ_TAIL,
	 MSG_ERR_KIND_TYPE},
	{WOR, REQ_HEAD REQ_SITE "\"kind\":\"fault\",\"priority\":\"emergency\"," REQ_TITLE REQ_TAIL,
	 MSG_ERR_KIND_VALUE},
	{WOR, REQ_HEAD REQ_SITE "\"kind\":\"inspection\"," REQ_TITLE REQ_TAIL,
	 MSG_ERR_PRIORITY_MISSING},
	{WOR, REQ_HEAD REQ_SITE "\"kind\":\"inspection\",\"priority\":1," REQ_TITLE REQ_TAIL,
	 MSG_ERR_PRIORITY_TYPE},
	{WOR,
	 REQ_HEAD REQ_SITE "\"kind\":\"inspection\",\"priority\":\"Emergency\"," REQ_TITLE REQ_TAIL,
	 MSG_ERR_PRIORITY_VALUE},
	{WOR, REQ("\"skill\":true,"), MSG_ERR_SKILL_TYPE},
	{WOR, REQ("\"skill\":\"\","), MSG_ERR_SKILL_VALUE},
	{WOR, REQ("\"assignee\":{},"), MSG_ERR_ASSIGNEE_TYPE},
	{WOR, REQ("\"assignee\":\"li/wei\","), MSG_ERR_ASSIGNEE_VALUE},
	{WOR, REQ_HEAD REQ_SITE REQ_MID REQ_TAIL, MSG_ERR_TITLE_MISSING},
	{WOR, REQ_HEAD REQ_SITE REQ_MID "\"title\":null," REQ_TAIL, MSG_ERR_TITLE_TYPE},
	{WOR, REQ_HEAD REQ_SITE REQ_MID "\"title\":\"\"," REQ_TAIL, MSG_ERR_TITLE_VALUE},
	{WOR, REQ("\"alarm_id\":5,"), MSG_ERR_ALARM_ID_TYPE},
	{WOR, REQ("\"alarm_id\":\"A 1\","), MSG_ERR_ALARM_ID_VALUE},
	{WOR, REQ("\"plan_id\":[\"p\"],"), MSG_ERR_PLAN_ID_TYPE},
	{WOR, REQ("\"plan_id\":\"p.1\","), MSG_ERR_PLAN_ID_VALUE},
	{WOR, REQ("\"due_at\":\"tomorrow\","), MSG_ERR_DUE_AT_TYPE},
	{WOR, REQ("\"due_at\":1.5,"), MSG_ERR_DUE_AT_TYPE},
	{WOR, REQ("\"due_at\":-1,"), MSG_ERR_DUE_AT_NEGATIVE},
	{WOR, REQ("\"missed\":\"2\","), MSG_ERR_MISSED_TYPE},
	{WOR, REQ("\"missed\":2.5,"), MSG_ERR_MISSED_TYPE},
	{WOR, REQ("\"missed\":-1,"), MSG_ERR_MISSED_NEGATIVE},
	{WOR, REQ_HEAD REQ_SITE REQ_MID "\"title\":\"t\"}", MSG_ERR_SLA_START_MISSING},
	{WOR, REQ_HEAD REQ_SITE REQ_MID "\"title\":\"t\",\"sla_start\":null}",
	 MSG_ERR_SLA_START_TYPE},
	{WOR, REQ_HEAD REQ_SITE REQ_MID "\"title\":\"t\",\"sla_start\":-5}",
	 MSG_ERR_SLA_START_NEGATIVE},
	/* commands: the person is the topic's, never a payload field */
	{ACK, "", MSG_ERR_EMPTY},
	{ACK, "{\"alarm_id\":\"A-1\"", MSG_ERR_BAD_JSON},
	{ACK, "{\"alarm_id\":\"A-1\",\"alarm_id\":\"A-2\"}", MSG_ERR_DUPLICATE_KEY},
	{ACK, "{\"alarm_id\":\"A-1\",\"person\":\"li\"}", MSG_ERR_UNKNOWN_FIELD},
	{ACK, "{\"alarm_id\":\"A-1\",\"actor\":\"li\"}", MSG_ERR_UNKNOWN_FIELD},
	{SHELVE, "{\"alarm_id\":\"A-1\",\"duration_s\":60,\"acked_by\":\"li\"}",
	 MSG_ERR_UNKNOWN_FIELD},
	{ACK, "{\"alarm_id\":\"A-1\",\"duration_s\":60}", MSG_ERR_UNKNOWN_FIELD},
	{ACK, "{\"note\":\"on my way\"}", MSG_ERR_ALARM_ID_MISSING},
	{SHELVE, "{\"duration_s\":60}", MSG_ERR_ALARM_ID_MISSING},
	{ACK, "{\"alarm_id\":12}", MSG_ERR_ALARM_ID_TYPE},
	{ACK, "{\"alarm_id\":\"\"}", MSG_ERR_ALARM_ID_VALUE},
	{ACK, "{\"alarm_id\":\"" LONG64 "4\"}", MSG_ERR_ALARM_ID_VALUE},
	{ACK, "{\"alarm_id\":\"A-1\",\"note\":null}", MSG_ERR_NOTE_TYPE},
	{ACK, "{\"alarm_id\":\"A-1\",\"note\":\"" LONG64 LONG64 LONG64 LONG64 "x\"}",
	 MSG_ERR_NOTE_TOO_LONG},
	{SHELVE, "{\"alarm_id\":\"A-1\"}", MSG_ERR_DURATION_MISSING},
	{SHELVE, "{\"alarm_id\":\"A-1\",\"duration_s\":\"1h\"}", MSG_ERR_DURATION_TYPE},
	{SHELVE, "{\"alarm_id\":\"A-1\",\"duration_s\":60.0}", MSG_ERR_DURATION_TYPE},
	{SHELVE, "{\"alarm_id\":\"A-1\",\"duration_s\":0}", MSG_ERR_DURATION_RANGE},
	{SHELVE, "{\"alarm_id\":\"A-1\",\"duration_s\":-60}", MSG_ERR_DURATION_RANGE},
	{SHELVE, "{\"alarm_id\":\"A-1\",\"duration_s\":604801}", MSG_ERR_DURATION_RANGE},
	{SHELVE, "{\"alarm_id\":\"A-1\",\"duration_s\":60,\"ts\":1.0}", MSG_ERR_TS_TYPE},
	{ACK, "{\"alarm_id\":\"A-1\",\"ts\":1763891600001}", MSG_ERR_TS_FUTURE},
	/* checks in documented order */
	{SHELVE, "{\"duration_s\":0,\"alarm_id\":\"\"}", MSG_ERR_ALARM_ID_VALUE},
	{SHELVE, "{\"note\":1,\"duration_s\":0,\"alarm_id\":\"A\"}", MSG_ERR_NOTE_TYPE},
	{WOR, "{\"sla_start\":-1,\"title\":\"\",\"x\":1}", MSG_ERR_UNKNOWN_FIELD},
	/* the work-order brief ignores unknown fields, not bad ones */
	{WOB, "", MSG_ERR_EMPTY},
	{WOB, "{\"wo_id\":\"WO-1\",\"state\":\"open\"} {}", MSG_ERR_BAD_JSON},
	{WOB, "{\"wo_id\":\"WO-1\",\"state\":\"open\",\"x\":{\"a\":1,\"a\":2}}",
	 MSG_ERR_DUPLICATE_KEY},
	{WOB, "\"closed\"", MSG_ERR_NOT_OBJECT},
	{WOB, "{\"state\":\"open\"}", MSG_ERR_WO_ID_MISSING},
	{WOB, "{\"wo_id\":77,\"state\":\"open\"}", MSG_ERR_WO_ID_TYPE},
	{WOB, "{\"wo_id\":\"WO 1\",\"state\":\"open\"}", MSG_ERR_WO_ID_VALUE},
	{WOB, "{\"wo_id\":\"WO-1\",\"device\":[],\"state\":\"open\"}", MSG_ERR_DEVICE_TYPE},
	{WOB, "{\"wo_id\":\"WO-1\",\"device\":\"\",\"state\":\"open\"}", MSG_ERR_DEVICE_VALUE},
	{WOB, "{\"wo_id\":\"WO-1\"}", MSG_ERR_STATE_MISSING},
	{WOB, "{\"wo_id\":\"WO-1\",\"state\":null}", MSG_ERR_STATE_TYPE},
	{WOB, "{\"wo_id\":\"WO-1\",\"state\":\"Open\"}", MSG_ERR_STATE_VALUE},
	{WOB, "{\"wo_id\":\"WO-1\",\"state\":\"on-site\"}", MSG_ERR_STATE_VALUE},
	{WOB, "{\"wo_id\":\"W\",\"state\":\"done\",\"plan_id\":\"a b\"}", MSG_ERR_PLAN_ID_VALUE},
	{WOB, "{\"wo_id\":\"W\",\"state\":\"done\",\"idempotency_key\":1}",
	 MSG_ERR_IDEMPOTENCY_KEY_TYPE},
	{WOB, "{\"wo_id\":\"W\",\"state\":\"done\",\"completed_at\":\"x\"}",
	 MSG_ERR_COMPLETED_AT_TYPE},
	{WOB, "{\"wo_id\":\"W\",\"state\":\"done\",\"completed_at\":-5}",
	 MSG_ERR_COMPLETED_AT_NEGATIVE},
	{WOB, "{\"wo_id\":\"WO-1\",\"state\":\"a23456789012345678901234567890123\"}",
	 MSG_ERR_STATE_VALUE},
	{STATS, "{\"daemon\":\"ingestd\",\"instance\":\"s1\"}", MSG_ERR_COUNTERS_MISSING},
	{STATS, "{\"counters\":[]}", MSG_ERR_COUNTERS_TYPE},
	{STATS, "{\"counters\":{\"back_pressure\":true}}", MSG_ERR_COUNTER_TYPE},
	{STATS, "{\"counters\":{\"back_pressure\":1.5}}", MSG_ERR_COUNTER_TYPE},
	{STATS, "{\"daemon\":\"alertd\",\"counters\":{}}", MSG_ERR_IDENTITY_MISMATCH},
	{STATS, "{\"instance\":2,\"counters\":{}}", MSG_ERR_IDENTITY_TYPE},
	{STATS, "{\"ts\":\"now\",\"counters\":{}}", MSG_ERR_TS_TYPE},
	{STATS, "{\"counters\":{},\"counters\":{}}", MSG_ERR_DUPLICATE_KEY},
};

static void
test_rejections_table(void **state)
{
	struct msg_limits lim;
	int covered[MSG_REASON_COUNT] = {0};
	(void)state;

	msg_limits_default(&lim, NOW_MS);
	for (size_t i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		const struct reject_case *c = &rejects[i];
		size_t len = strlen(c->payload);
		char *exact = malloc(len ? len : 1);
		enum msg_reason got;

		assert_non_null(exact);
		memcpy(exact, c->payload, len);
		got = decode(c->kind, exact, len, &lim);
		free(exact);
		if (got != c->want)
			fail_msg("case %zu (%.70s): got %s, want %s", i, c->payload,
				 msg_reason_name(got), msg_reason_name(c->want));
		covered[got] = 1;
	}
	/* Needs a topic site of NULL: test_unchecked_site. */
	covered[MSG_ERR_SITE_VALUE] = 1;
	/* Needs a verb not in the fixture's kinds: test_command_verbs. */
	covered[MSG_ERR_VERB_UNKNOWN] = 1;
	for (int r = MSG_ERR_TS_MISSING; r < MSG_REASON_COUNT; r++)
		if (!covered[r])
			fail_msg("no rejection case for reason %s", msg_reason_name(r));
}

/* ingestd's stats as msg_encode_stats writes them: the counter alertd
 * watches, or none from a version that does not report it. */
static void
test_stats_counter(void **state)
{
	struct msg_counter c[2] = {{"received", 7}, {"back_pressure", 1}};
	char buf[256];
	int n;
	(void)state;

	n = msg_encode_stats("ingestd", "s1", NOW_MS, c, 2, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(msg_decode_stats_counter(buf, (size_t)n, NULL, "ingestd", "s1",
						  "back_pressure", &stats),
			 MSG_OK);
	assert_true(stats.has_value && stats.value == 1);
	assert_true(stats.has_ts && stats.ts_ms == NOW_MS);
	n = msg_encode_stats("ingestd", "s1", NOW_MS, c, 1, buf, sizeof buf);
	assert_int_equal(msg_decode_stats_counter(buf, (size_t)n, NULL, "ingestd", "s1",
						  "back_pressure", &stats),
			 MSG_OK);
	assert_false(stats.has_value);
	assert_int_equal(msg_decode_stats_counter(buf, (size_t)n, NULL, "ingestd", "s2",
						  "back_pressure", &stats),
			 MSG_ERR_IDENTITY_MISMATCH);
}

static void
test_unchecked_site(void **state)
{
	static const char bad[] = REQ_HEAD "\"site\":\"river side\"," REQ_MID REQ_TITLE REQ_TAIL;
	static const char ok[] = REQ_HEAD "\"site\":\"hillside\"," REQ_MID REQ_TITLE REQ_TAIL;
	(void)state;

	assert_int_equal(msg_decode_wo_request(bad, sizeof(bad) - 1, NULL, NULL, &wor),
			 MSG_ERR_SITE_VALUE);
	assert_int_equal(msg_decode_wo_request(ok, sizeof(ok) - 1, NULL, NULL, &wor), MSG_OK);
	assert_string_equal(wor.site, "hillside");
	/* With the topic's site the same payload is a mismatch. */
	assert_int_equal(msg_decode_wo_request(ok, sizeof(ok) - 1, NULL, SITE, &wor),
			 MSG_ERR_IDENTITY_MISMATCH);
	assert_string_equal(wor.site, "");
}

static void
test_command_verbs(void **state)
{
	static const char p[] = "{\"alarm_id\":\"A-1\"}";
	static const char *const verbs[] = {"wo", "request", "followup", "ACK", "ack ", ""};
	(void)state;

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		assert_int_equal(msg_decode_command(p, sizeof(p) - 1, NULL, verbs[i], &cmd),
				 MSG_ERR_VERB_UNKNOWN);
	assert_int_equal(msg_decode_command(p, sizeof(p) - 1, NULL, NULL, &cmd),
			 MSG_ERR_VERB_UNKNOWN);
	/* The verb is checked before the bytes: it decides the fields. */
	assert_int_equal(msg_decode_command("", 0, NULL, "wo", &cmd), MSG_ERR_VERB_UNKNOWN);
	assert_int_equal(msg_decode_command(p, sizeof(p) - 1, NULL, "ack", &cmd), MSG_OK);
}

static void
test_valid_wo_request(void **state)
{
	static const char full[] = REQ_HEAD REQ_SITE
		"\"device\":\"pump-01\",\"kind\":\"preventive\",\"priority\":\"ordinary\","
		"\"skill\":\"plumber\",\"assignee\":\"wang-3\",\"title\":\"\\u6c34\\u6cf5 PM\","
		"\"alarm_id\":null,\"plan_id\":\"pm-pump-q\",\"due_at\":1764000000000,"
		"\"sla_start\":1763891234000,\"missed\":4}";
	static const char bare[] = REQ(
		"\"device\":null,\"skill\":null,\"assignee\":null,\"alarm_id\":\"A-1\",\"due_at\":"
		"null,");
	struct msg_limits lim;
	(void)state;

	msg_limits_default(&lim, NOW_MS);
	assert_int_equal(decode(WOR, full, sizeof(full) - 1, &lim), MSG_OK);
	assert_string_equal(wor.idempotency_key, "alarm:A-1");
	assert_int_equal(wor.ts_ms, 1763891234123LL);
	assert_int_equal(wor.source, MSG_WO_SRC_ALERTD);
	assert_string_equal(wor.site, "riverside");
	assert_string_equal(wor.device, "pump-01");
	assert_int_equal(wor.kind, MSG_WO_PREVENTIVE);
	assert_int_equal(wor.priority, MSG_WO_PRIO_ORDINARY);
	assert_string_equal(wor.skill, "plumber");
	assert_string_equal(wor.assignee, "wang-3");
	assert_string_equal(wor.title, "\xe6\xb0\xb4\xe6\xb3\xb5 PM");
	assert_string_equal(wor.alarm_id, "");
	assert_string_equal(wor.plan_id, "pm-pump-q");
	assert_true(wor.has_due_at);
	assert_int_equal(wor.due_at_ms, 1764000000000LL);
	assert_int_equal(wor.sla_start_ms, 1763891234000LL);
	assert_true(wor.has_missed);
	assert_int_equal(wor.missed, 4);

	assert_int_equal(decode(WOR, bare, sizeof(bare) - 1, &lim), MSG_OK);
	assert_int_equal(wor.kind, MSG_WO_EQUIPMENT_FAULT);
	assert_int_equal(wor.priority, MSG_WO_PRIO_EMERGENCY);
	assert_string_equal(wor.device, "");
	assert_string_equal(wor.alarm_id, "A-1");
	assert_false(wor.has_due_at);
	assert_false(wor.has_missed);
}

static void
test_valid_commands(void **state)
{
	static const char ack[] =
		"{\"alarm_id\":\"A-20251123-0001\",\"note\":\"\\u5728\\u8def\\u4e0a\","
		"\"ts\":1763891290000}";
	static const char shelve[] = "{\"duration_s\":604800,\"alarm_id\":\"A-1\"}";
	struct msg_limits lim;
	(void)state;

	msg_limits_default(&lim, NOW_MS);
	assert_int_equal(decode(ACK, ack, sizeof(ack) - 1, &lim), MSG_OK);
	assert_int_equal(cmd.verb, MSG_VERB_ACK);
	assert_string_equal(cmd.alarm_id, "A-20251123-0001");
	assert_true(cmd.has_note);
	assert_string_equal(cmd.note, "\xe5\x9c\xa8\xe8\xb7\xaf\xe4\xb8\x8a");
	assert_int_equal(cmd.duration_s, 0);
	assert_true(cmd.has_ts);
	assert_int_equal(cmd.ts_ms, 1763891290000LL);
	assert_int_equal(decode(SHELVE, shelve, sizeof(shelve) - 1, &lim), MSG_OK);
	assert_int_equal(cmd.verb, MSG_VERB_SHELVE);
	assert_int_equal(cmd.duration_s, 604800);
	assert_false(cmd.has_note);
	assert_false(cmd.has_ts);
}

/* A note of exactly MSG_NOTE_MAX bytes fits, counted in bytes not characters. */
static void
test_note_bytes(void **state)
{
	char p[512];
	int n;
	(void)state;

	n = snprintf(p, sizeof(p), "{\"alarm_id\":\"A\",\"note\":\"%s%s%s%s\"}", LONG64, LONG64,
		     LONG64, LONG64);
	assert_int_equal(decode(ACK, p, (size_t)n, NULL), MSG_OK);
	assert_int_equal(strlen(cmd.note), MSG_NOTE_MAX);
	/* 86 three-byte characters: 258 bytes, 86 characters. */
	strcpy(p, "{\"alarm_id\":\"A\",\"note\":\"");
	for (int i = 0; i < 86; i++)
		strcat(p, "\xe6\xb0\xb4");
	strcat(p, "\"}");
	assert_int_equal(decode(ACK, p, strlen(p), NULL), MSG_ERR_NOTE_TOO_LONG);
	assert_string_equal(cmd.alarm_id, "");
}

static void
test_valid_wo_brief(void **state)
{
	static const char full[] =
		"{\"wo_id\":\"WO-778\",\"site\":\"riverside\",\"device\":\"pump-01\",\"state\":"
		"\"in_progress\",\"assignee\":\"wang-3\",\"history\":[{\"state\":1}],\"sla\":"
		"{\"respond_by\":1}}";
	static const char done[] =
		"{\"wo_id\":\"WO-9\",\"state\":\"completed\",\"plan_id\":\"pump_service\","
		"\"idempotency_key\":\"pump_service:pump-1:2026-11-23\",\"completed_at\":"
		"1795420000000}";
	static const char no_device[] =
		"{\"state\":\"assigned\",\"wo_id\":\"WO-9\",\"device\":null}";
	(void)state;

	assert_int_equal(decode(WOB, full, sizeof(full) - 1, NULL), MSG_OK);
	assert_string_equal(wob.wo_id, "WO-778");
	assert_string_equal(wob.device, "pump-01");
	assert_string_equal(wob.state, "in_progress");
	assert_string_equal(wob.plan_id, "");
	assert_int_equal(wob.has_completed_at, 0);
	assert_int_equal(decode(WOB, done, sizeof(done) - 1, NULL), MSG_OK);
	assert_string_equal(wob.plan_id, "pump_service");
	assert_string_equal(wob.idempotency_key, "pump_service:pump-1:2026-11-23");
	assert_int_equal(wob.has_completed_at, 1);
	assert_true(wob.completed_at_ms == 1795420000000LL);
	assert_int_equal(decode(WOB, no_device, sizeof(no_device) - 1, NULL), MSG_OK);
	assert_string_equal(wob.device, "");
	assert_string_equal(wob.state, "assigned");
	memset(&wob, 0x5a, sizeof(wob));
	assert_int_equal(decode(WOB, "{\"wo_id\":\"W\"}", 13, NULL), MSG_ERR_STATE_MISSING);
	assert_string_equal(wob.wo_id, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejections_table), cmocka_unit_test(test_stats_counter),
		cmocka_unit_test(test_unchecked_site),   cmocka_unit_test(test_command_verbs),
		cmocka_unit_test(test_valid_wo_request), cmocka_unit_test(test_valid_commands),
		cmocka_unit_test(test_note_bytes),       cmocka_unit_test(test_valid_wo_brief),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
