/* test_msg_wo.c — dispatchd's payloads (msg_wo.h): a table with one case
 * per rejection reason of the technician's command, the repair request and
 * the follow-up (each payload valid but for one thing), valid payloads with
 * their decoded fields and audit detail, the reason names, and the work
 * order encoder read back by msg_decode_wo_brief (what alertd and schedd
 * use). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "msg_wo.h"

enum kind { CMD, REQ, FUP };

static struct msg_wo_command cmd;
static struct msg_repair_request req;
static struct msg_followup fup;

static int
decode(enum kind k, const char *s)
{
	switch (k) {
	case CMD:
		return msg_decode_wo_command(s, strlen(s), NULL, &cmd);
	case REQ:
		return msg_decode_repair_request(s, strlen(s), NULL, &req);
	case FUP:
		return msg_decode_followup(s, strlen(s), NULL, &fup);
	}
	return -1;
}

#define R_WHERE "{\"location\":\"3-2-801 kitchen\","
#define R_CAT "\"category\":\"repair_request\",\"urgency\":\"ordinary\","
#define R_TAIL "\"description\":\"tap leaks\",\"contact\":\"138 0000 0000\"}"

static const struct {
	enum kind k;
	const char *payload;
	int want;
} rejects[] = {
	{CMD, "", MSG_ERR_EMPTY},
	{CMD, "{\"wo_id\":\"W-1\",\"wo_id\":\"W-1\",\"action\":\"accept\"}", MSG_ERR_DUPLICATE_KEY},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"accept\",\"who\":\"x\"}", MSG_ERR_UNKNOWN_FIELD},
	{CMD, "{\"action\":\"accept\"}", MSG_ERR_WO_ID_MISSING},
	{CMD, "{\"wo_id\":1,\"action\":\"accept\"}", MSG_ERR_WO_ID_TYPE},
	{CMD, "{\"wo_id\":\"W 1\",\"action\":\"accept\"}", MSG_ERR_WO_ID_VALUE},
	{CMD, "{\"wo_id\":\"W-1\"}", MSG_WO_ERR_ACTION_MISSING},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":3}", MSG_WO_ERR_ACTION_TYPE},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"fly\"}", MSG_WO_ERR_ACTION_VALUE},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"pause\",\"reason\":7}", MSG_WO_ERR_REASON_TYPE},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"pause\",\"reason\":\"\"}", MSG_WO_ERR_REASON_VALUE},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"accept\",\"note\":[]}", MSG_ERR_NOTE_TYPE},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"complete\",\"checklist\":{}}",
	 MSG_WO_ERR_CHECKLIST_TYPE},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"complete\",\"checklist\":[{\"item\":\"x\"}]}",
	 MSG_WO_ERR_CHECKLIST_ITEM},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"complete\",\"readings\":[]}",
	 MSG_WO_ERR_READINGS_TYPE},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"complete\",\"readings\":{\"Bad\":1}}",
	 MSG_WO_ERR_READING_VALUE},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"complete\",\"readings\":{\"kpa\":\"1\"}}",
	 MSG_WO_ERR_READING_VALUE},
	{CMD, "{\"wo_id\":\"W-1\",\"action\":\"accept\",\"ts\":-1}", MSG_ERR_TS_NEGATIVE},
	{FUP, "{\"score\":3}", MSG_ERR_WO_ID_MISSING},
	{FUP, "{\"wo_id\":\"W-1\"}", MSG_WO_ERR_SCORE_MISSING},
	{FUP, "{\"wo_id\":\"W-1\",\"score\":4.5}", MSG_WO_ERR_SCORE_TYPE},
	{FUP, "{\"wo_id\":\"W-1\",\"score\":0}", MSG_WO_ERR_SCORE_RANGE},
	{FUP, "{\"wo_id\":\"W-1\",\"score\":6}", MSG_WO_ERR_SCORE_RANGE},
	{REQ, "{" R_CAT R_TAIL, MSG_WO_ERR_WHERE_MISSING},
	{REQ, "{\"location\":null,\"device\":null," R_CAT R_TAIL, MSG_WO_ERR_WHERE_MISSING},
	{REQ, "{\"location\":5," R_CAT R_TAIL, MSG_WO_ERR_LOCATION_TYPE},
	{REQ, "{\"location\":\"\"," R_CAT R_TAIL, MSG_WO_ERR_LOCATION_VALUE},
	{REQ, "{\"device\":\"a b\"," R_CAT R_TAIL, MSG_ERR_DEVICE_VALUE},
	{REQ, "{\"request_id\":\"a b\",\"location\":\"x\"," R_CAT R_TAIL,
	 MSG_WO_ERR_REQUEST_ID_VALUE},
	{REQ, R_WHERE "\"urgency\":\"ordinary\"," R_TAIL, MSG_WO_ERR_CATEGORY_MISSING},
	{REQ, R_WHERE "\"category\":1,\"urgency\":\"ordinary\"," R_TAIL, MSG_WO_ERR_CATEGORY_TYPE},
	{REQ, R_WHERE "\"category\":\"x\",\"urgency\":\"ordinary\"," R_TAIL,
	 MSG_WO_ERR_CATEGORY_VALUE},
	{REQ, R_WHERE "\"category\":\"complaint\"," R_TAIL, MSG_WO_ERR_URGENCY_MISSING},
	{REQ, R_WHERE "\"category\":\"complaint\",\"urgency\":true," R_TAIL,
	 MSG_WO_ERR_URGENCY_TYPE},
	{REQ, R_WHERE "\"category\":\"complaint\",\"urgency\":\"soon\"," R_TAIL,
	 MSG_WO_ERR_URGENCY_VALUE},
	{REQ, R_WHERE R_CAT "\"grade\":1," R_TAIL, MSG_WO_ERR_GRADE_TYPE},
	{REQ, R_WHERE R_CAT "\"grade\":\"major\"," R_TAIL, MSG_WO_ERR_GRADE_VALUE},
	{REQ, R_WHERE R_CAT "\"contact\":\"x\"}", MSG_WO_ERR_DESCRIPTION_MISSING},
	{REQ, R_WHERE R_CAT "\"description\":2,\"contact\":\"x\"}", MSG_WO_ERR_DESCRIPTION_TYPE},
	{REQ, R_WHERE R_CAT "\"description\":\"\",\"contact\":\"x\"}",
	 MSG_WO_ERR_DESCRIPTION_VALUE},
	{REQ, R_WHERE R_CAT "\"description\":\"x\"}", MSG_WO_ERR_CONTACT_MISSING},
	{REQ, R_WHERE R_CAT "\"description\":\"x\",\"contact\":[]}", MSG_WO_ERR_CONTACT_TYPE},
	{REQ, R_WHERE R_CAT "\"description\":\"x\",\"contact\":\"\"}", MSG_WO_ERR_CONTACT_VALUE},
};

static void
test_rejections(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rejects / sizeof rejects[0]; i++) {
		int got = decode(rejects[i].k, rejects[i].payload);

		if (got != rejects[i].want)
			fail_msg("case %zu (%s): want %s, got %s", i, rejects[i].payload,
				 msg_wo_reason_name(rejects[i].want), msg_wo_reason_name(got));
	}
	/* a rejection leaves nothing behind */
	assert_string_equal(cmd.wo_id, "");
	assert_string_equal(req.description, "");
}

static void
test_valid_command(void **state)
{
	const char *s = "{\"wo_id\":\"W-1\",\"action\":\"complete\",\"note\":\"done\","
			"\"checklist\":[{\"item\":\"no leak\",\"ok\":true}],"
			"\"readings\":{\"outlet_pressure_kpa\":310.5},\"ts\":5}";

	(void)state;
	assert_int_equal(decode(CMD, s), MSG_OK);
	assert_string_equal(cmd.wo_id, "W-1");
	assert_int_equal(cmd.action, MSG_WO_COMPLETE);
	assert_string_equal(cmd.note, "done");
	assert_int_equal(cmd.ts_ms, 5);
	assert_string_equal(cmd.detail_json,
			    "{\"checklist\":[{\"item\":\"no leak\",\"ok\":true}],\"note\":\"done\","
			    "\"readings\":{\"outlet_pressure_kpa\":310.5}}");
	assert_int_equal(
		decode(CMD, "{\"wo_id\":\"W-1\",\"action\":\"decline\",\"reason\":\"ill\"}"),
		MSG_OK);
	assert_int_equal(cmd.action, MSG_WO_DECLINE);
	assert_string_equal(cmd.reason, "ill");
	assert_string_equal(cmd.detail_json, "{\"reason\":\"ill\"}");
	assert_int_equal(decode(CMD, "{\"wo_id\":\"W-1\",\"action\":\"accept\"}"), MSG_OK);
	assert_string_equal(cmd.detail_json, "{}");
}

static void
test_valid_request_and_followup(void **state)
{
	(void)state;
	assert_int_equal(decode(REQ, "{\"device\":\"pump-1\",\"category\":\"complaint\","
				     "\"urgency\":\"ordinary\",\"grade\":\"urgent\",\"request_id\":"
				     "\"cs:42\"," R_TAIL),
			 MSG_OK);
	assert_string_equal(req.device, "pump-1");
	assert_string_equal(req.location, "");
	assert_int_equal(req.category, MSG_WO_COMPLAINT);
	assert_int_equal(req.grade, 1);
	assert_string_equal(req.request_id, "cs:42");
	assert_string_equal(req.contact, "138 0000 0000");
	assert_int_equal(decode(REQ, R_WHERE R_CAT R_TAIL), MSG_OK);
	assert_int_equal(req.grade, -1);
	assert_string_equal(req.location, "3-2-801 kitchen");
	assert_int_equal(decode(FUP, "{\"wo_id\":\"W-1\",\"score\":2,\"note\":\"slow\"}"), MSG_OK);
	assert_int_equal(fup.score, 2);
	assert_string_equal(fup.detail_json, "{\"note\":\"slow\",\"score\":2}");
}

static void
test_reason_names(void **state)
{
	(void)state;
	assert_string_equal(msg_wo_reason_name(MSG_OK), "ok");
	assert_string_equal(msg_wo_reason_name(MSG_ERR_BAD_JSON), "bad_json");
	assert_string_equal(msg_wo_reason_name(MSG_WO_ERR_ACTION_MISSING), "action_missing");
	assert_string_equal(msg_wo_reason_name(MSG_WO_ERR_REQUEST_ID_VALUE), "request_id_value");
	assert_string_equal(msg_wo_reason_name(MSG_WO_ERR_END), "unknown");
	for (int r = MSG_WO_ERR_FIRST; r < MSG_WO_ERR_END; r++)
		assert_string_not_equal(msg_wo_reason_name(r), "unknown");
	assert_string_equal(msg_wo_action_name(MSG_WO_RESUME), "resume");
}

static void
test_encode_work_order(void **state)
{
	char buf[4096];
	struct msg_wo_brief b;
	struct msg_work_order w = {
		.wo_id = "WO-1",
		.site = "riverside",
		.device = "pump-1",
		.kind = "preventive",
		.priority = "ordinary",
		.state = "completed",
		.assignee = "tech-yang",
		.title = "round",
		.source = "schedd",
		.plan_id = "round3",
		.idempotency_key = "round3:pump-1:2025-11-23",
		.created_at_ms = 10,
		.completed_at_ms = 20,
		.ts_ms = 30,
		.n_clocks = 2,
		.due_names = {"accept", "resolve"},
		.due_ms = {100, 0},
		.breached = 1,
	};
	int len = msg_encode_work_order(&w, buf, sizeof buf);

	(void)state;
	assert_true(len > 0);
	assert_non_null(strstr(buf, "\"due\":{\"accept\":100,\"resolve\":null}"));
	assert_non_null(strstr(buf, "\"breached\":[\"accept\"]"));
	assert_non_null(strstr(buf, "\"alarm_id\":null"));
	assert_int_equal(msg_decode_wo_brief(buf, (size_t)len, NULL, &b), MSG_OK);
	assert_string_equal(b.state, "completed");
	assert_string_equal(b.plan_id, "round3");
	assert_int_equal(b.completed_at_ms, 20);
	w.assignee = "not an id";
	assert_int_equal(msg_encode_work_order(&w, buf, sizeof buf), -1);
	w.assignee = NULL;
	w.title = "";
	assert_int_equal(msg_encode_work_order(&w, buf, sizeof buf), -1);
	w.title = "round";
	assert_int_equal(msg_encode_work_order(&w, buf, 16), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_valid_command),
		cmocka_unit_test(test_valid_request_and_followup),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_encode_work_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
