/* test_msg_ops_encode.c — the operations encoders: exact text of
 * notifications and work-order requests, refusal of what the schemas do not
 * allow, and requests' round trips through msg_decode_wo_request. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "msg.h"

static struct msg_wo_request req, back;

/* Fails unless the encoder call refuses the sample after one change. */
#define EXPECT_REFUSED(reset, change, call)                                                        \
	do {                                                                                       \
		reset;                                                                             \
		change;                                                                            \
		if ((call) != -1)                                                                  \
			fail_msg("encoded with %s", #change);                                      \
	} while (0)

static struct msg_notification
sample_notification(void)
{
	struct msg_notification n = {
		.ts_ms = 1763891000000LL,
		.site = "hillside",
		.person = "duty-wang",
		.kind = MSG_NOTIFY_ALARM,
		.alarm_id = "A-7",
		.device = "lift-02",
		.rule = "lift_entrapment",
		.severity = 1,
		.has_escalation_level = 1,
		.message = "\xe5\x9b\xb0\xe4\xba\xba",
	};
	return n;
}

static void
test_notification_exact(void **state)
{
	struct msg_notification n = sample_notification();
	char buf[1024];
	int len;
	(void)state;

	len = msg_encode_notification(&n, buf, sizeof(buf));
	assert_int_equal(len, (int)strlen(buf));
	assert_string_equal(buf, "{\"ts\":1763891000000,\"site\":\"hillside\",\"person\":"
				 "\"duty-wang\",\"kind\":\"alarm\",\"alarm_id\":\"A-7\","
				 "\"device\":\"lift-02\",\"rule\":\"lift_entrapment\","
				 "\"severity\":1,\"escalation_level\":0,\"message\":"
				 "\"\xe5\x9b\xb0\xe4\xba\xba\",\"verb\":null,\"reason\":null}");

	memset(&n, 0, sizeof(n));
	n.ts_ms = 5;
	n.site = "riverside";
	n.person = "wang-3";
	n.kind = MSG_NOTIFY_REJECTED;
	n.alarm_id = "A-9";
	n.verb = "shelve";
	n.reason = "duration_range";
	assert_true(msg_encode_notification(&n, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "{\"ts\":5,\"site\":\"riverside\",\"person\":\"wang-3\","
				 "\"kind\":\"rejected\",\"alarm_id\":\"A-9\",\"device\":null,"
				 "\"rule\":null,\"severity\":null,\"escalation_level\":null,"
				 "\"message\":null,\"verb\":\"shelve\",\"reason\":"
				 "\"duration_range\"}");
	n.kind = MSG_NOTIFY_ACCEPTED;
	n.reason = NULL;
	assert_true(msg_encode_notification(&n, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"kind\":\"accepted\","));
	assert_int_equal(msg_encode_notification(&n, buf, 10), -1);
	assert_string_equal(buf, "");
}

static void
test_notification_rejects(void **state)
{
	struct msg_notification n;
	char buf[1024];
	(void)state;

#define BAD(change)                                                                                \
	EXPECT_REFUSED(n = sample_notification(), change,                                          \
		       msg_encode_notification(&n, buf, sizeof(buf)))
	BAD(n.ts_ms = -1);
	BAD(n.site = NULL);
	BAD(n.site = "river side");
	BAD(n.person = NULL);
	BAD(n.person = "li/wei");
	BAD(n.kind = MSG_NOTIFY_COUNT);
	BAD(n.alarm_id = "");
	BAD(n.device = "pump 01");
	BAD(n.rule = "");
	BAD(n.severity = 5);
	BAD(n.severity = -1);
	BAD(n.escalation_level = -1);
	BAD(n.message = "\xff");
	BAD(n.verb = "a b");
	BAD(n.reason = "\xc0\xaf");
	BAD((n.kind = MSG_NOTIFY_REJECTED, n.verb = "ack"));
	BAD((n.kind = MSG_NOTIFY_REJECTED, n.reason = "alarm_unknown"));
	BAD(n.kind = MSG_NOTIFY_ACCEPTED);
#undef BAD
	n = sample_notification();
	n.severity = 0;
	n.has_escalation_level = 0;
	n.escalation_level = -1; /* not written, so not checked */
	assert_true(msg_encode_notification(&n, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"severity\":null,\"escalation_level\":null,"));
}

static void
sample_request(struct msg_wo_request *r)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->idempotency_key, "alarm:A-20251123-0001");
	r->ts_ms = 1763891234123LL;
	r->source = MSG_WO_SRC_ALERTD;
	strcpy(r->site, "riverside");
	strcpy(r->device, "pump-01");
	r->kind = MSG_WO_EQUIPMENT_FAULT;
	r->priority = MSG_WO_PRIO_EMERGENCY;
	strcpy(r->title, "\xe6\xb0\xb4\xe6\xb3\xb5\xe5\x87\xba\xe5\x8f\xa3\xe5\x8e\x8b\xe5\x8a\x9b"
			 "\xe4\xbd\x8e \"B1\"");
	strcpy(r->alarm_id, "A-20251123-0001");
	r->sla_start_ms = 1763891234123LL;
}

static void
test_wo_request_exact_and_round_trip(void **state)
{
	char buf[2048];
	int n;
	(void)state;

	sample_request(&req);
	n = msg_encode_wo_request(&req, buf, sizeof(buf));
	assert_int_equal(n, (int)strlen(buf));
	assert_string_equal(buf,
			    "{\"idempotency_key\":\"alarm:A-20251123-0001\",\"ts\":1763891234123,"
			    "\"source\":\"alertd\",\"site\":\"riverside\",\"device\":\"pump-01\","
			    "\"kind\":\"equipment_fault\",\"priority\":\"emergency\","
			    "\"skill\":null,\"assignee\":null,\"title\":\"\xe6\xb0\xb4\xe6\xb3"
			    "\xb5\xe5\x87\xba\xe5\x8f\xa3\xe5\x8e\x8b\xe5\x8a\x9b\xe4\xbd\x8e "
			    "\\\"B1\\\"\",\"alarm_id\":\"A-20251123-0001\",\"plan_id\":null,"
			    "\"due_at\":null,\"sla_start\":1763891234123}");
	assert_int_equal(msg_decode_wo_request(buf, (size_t)n, NULL, "riverside", &back), MSG_OK);
	assert_memory_equal(&req, &back, sizeof(req));

	/* Every enum value and every optional field, through and back. */
	for (int s = 0; s < MSG_WO_SRC_COUNT; s++)
		for (int k = 0; k < MSG_WO_KIND_COUNT; k++)
			for (int p = 0; p < MSG_WO_PRIO_COUNT; p++) {
				sample_request(&req);
				req.source = (enum msg_wo_source)s;
				req.kind = (enum msg_wo_kind)k;
				req.priority = (enum msg_wo_priority)p;
				/* zeroed, not just cut: the decoder zero-fills */
				memset(req.device, 0, sizeof(req.device));
				memset(req.alarm_id, 0, sizeof(req.alarm_id));
				strcpy(req.skill, "plumber");
				strcpy(req.assignee, "wang-3");
				strcpy(req.plan_id, "pm-pump-q");
				req.has_due_at = 1;
				req.due_at_ms = 1764000000000LL + k;
				req.has_missed = p;
				req.missed = p ? 3 + s : 0;
				n = msg_encode_wo_request(&req, buf, sizeof(buf));
				assert_int_equal(strstr(buf, "\"missed\":") != NULL, p);
				assert_true(n > 0);
				assert_int_equal(
					msg_decode_wo_request(buf, (size_t)n, NULL, NULL, &back),
					MSG_OK);
				assert_memory_equal(&req, &back, sizeof(req));
			}
}

static void
test_wo_request_rejects(void **state)
{
	char buf[2048];
	(void)state;

#define BAD(change)                                                                                \
	EXPECT_REFUSED(sample_request(&req), change, msg_encode_wo_request(&req, buf, sizeof(buf)))
	BAD(req.idempotency_key[0] = '\0');
	BAD(strcpy(req.idempotency_key, "plan/1"));
	BAD(memset(req.idempotency_key, 'k', sizeof(req.idempotency_key)));
	BAD(req.ts_ms = -1);
	BAD(req.source = MSG_WO_SRC_COUNT);
	BAD(req.site[0] = '\0');
	BAD(strcpy(req.site, "river side"));
	BAD(strcpy(req.device, "pump/01"));
	BAD(req.kind = MSG_WO_KIND_COUNT);
	BAD(req.priority = (enum msg_wo_priority) - 1);
	BAD(strcpy(req.skill, "a.b"));
	BAD(strcpy(req.assignee, "li wei"));
	BAD((req.has_missed = 1, req.missed = -1));
	BAD(req.title[0] = '\0');
	BAD(memset(req.title, 't', sizeof(req.title)));
	BAD(strcpy(req.title, "bad \xff"));
	BAD(strcpy(req.alarm_id, "A:1"));
	BAD(strcpy(req.plan_id, "p 1"));
	BAD((req.has_due_at = 1, req.due_at_ms = -1));
	BAD(req.sla_start_ms = -1);
#undef BAD
	assert_string_equal(buf, ""); /* what a refusal leaves */
	sample_request(&req);
	memset(req.title, 't', MSG_TITLE_MAX);
	req.title[MSG_TITLE_MAX] = '\0';
	assert_true(msg_encode_wo_request(&req, buf, sizeof(buf)) > 0);
	assert_int_equal(msg_encode_wo_request(&req, buf, 100), -1);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(msg_notify_kind_name(MSG_NOTIFY_ALARM), "alarm");
	assert_string_equal(msg_notify_kind_name(MSG_NOTIFY_INFO), "info");
	assert_string_equal(msg_notify_kind_name(MSG_NOTIFY_COUNT), "unknown");
	assert_string_equal(msg_wo_source_name(MSG_WO_SRC_SCHEDD), "schedd");
	assert_string_equal(msg_wo_source_name(MSG_WO_SRC_COUNT), "unknown");
	assert_string_equal(msg_wo_kind_name(MSG_WO_REPAIR_REQUEST), "repair_request");
	assert_string_equal(msg_wo_kind_name(MSG_WO_COMPLAINT), "complaint");
	assert_string_equal(msg_wo_kind_name((enum msg_wo_kind) - 1), "unknown");
	assert_string_equal(msg_wo_priority_name(MSG_WO_PRIO_ORDINARY), "ordinary");
	assert_string_equal(msg_wo_priority_name(MSG_WO_PRIO_COUNT), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notification_exact),
		cmocka_unit_test(test_notification_rejects),
		cmocka_unit_test(test_wo_request_exact_and_round_trip),
		cmocka_unit_test(test_wo_request_rejects),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
