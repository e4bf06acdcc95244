/* test_fmctl_msg.c — what fmctl sends and reads: the command encoders of
 * common/msg_ops (each decoded back with the daemons' decoders, bad input
 * refused), the flattening reader (nesting, arrays, null, bad envelopes),
 * fmctl's reply matching (services/fmctl/act) and the watch table
 * (services/fmctl/watchtab: set, update, gone, order, ages). */
#include "fmctl/act.h"
#include "fmctl/watchtab.h"
#include "msg_ops.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void
command_roundtrip(void **state)
{
	struct msg_command c = {.verb = MSG_VERB_SHELVE,
				.alarm_id = "A-1",
				.note = "sensor \"x\"",
				.has_note = 1,
				.duration_s = 3600,
				.ts_ms = 1763891250000,
				.has_ts = 1};
	struct msg_command back;
	char buf[512];
	int n = msg_encode_command(&c, buf, sizeof buf);

	(void)state;
	assert_true(n > 0);
	assert_string_equal(buf, "{\"alarm_id\":\"A-1\",\"note\":\"sensor \\\"x\\\"\","
				 "\"duration_s\":3600,\"ts\":1763891250000}");
	assert_int_equal(msg_decode_command(buf, (size_t)n, NULL, "shelve", &back), MSG_OK);
	assert_int_equal(back.duration_s, 3600);
	c.verb = MSG_VERB_ACK;
	c.has_note = 0;
	assert_true(msg_encode_command(&c, buf, sizeof buf) > 0);
	assert_string_equal(buf, "{\"alarm_id\":\"A-1\",\"ts\":1763891250000}");
	/* refused: a bad id, a shelve out of range, no room */
	strcpy(c.alarm_id, "A 1");
	assert_int_equal(msg_encode_command(&c, buf, sizeof buf), -1);
	assert_string_equal(buf, "");
	strcpy(c.alarm_id, "A-1");
	c.verb = MSG_VERB_SHELVE;
	c.duration_s = 0;
	assert_int_equal(msg_encode_command(&c, buf, sizeof buf), -1);
	c.duration_s = 10;
	assert_int_equal(msg_encode_command(&c, buf, 10), -1);
}

static void
wo_command_roundtrip(void **state)
{
	struct msg_wo_command c, *back = malloc(sizeof *back);
	char buf[1024];
	int n;

	(void)state;
	memset(&c, 0, sizeof c);
	strcpy(c.wo_id, "WO-1");
	c.action = MSG_WO_PAUSE;
	strcpy(c.reason, "waiting for a seal");
	n = msg_encode_wo_command(&c, buf, sizeof buf);
	assert_true(n > 0);
	assert_string_equal(
		buf, "{\"wo_id\":\"WO-1\",\"action\":\"pause\",\"reason\":\"waiting for a seal\"}");
	assert_int_equal(msg_decode_wo_command(buf, (size_t)n, NULL, back), MSG_OK);
	assert_int_equal(back->action, MSG_WO_PAUSE);
	c.action = MSG_WO_ACTION_COUNT;
	assert_int_equal(msg_encode_wo_command(&c, buf, sizeof buf), -1);
	free(back);
}

static void
request_and_followup(void **state)
{
	struct msg_repair_request q, *back = malloc(sizeof *back);
	struct msg_followup f, fb;
	char buf[4096];
	int n;

	(void)state;
	memset(&q, 0, sizeof q);
	q.category = MSG_WO_COMPLAINT;
	q.urgency = MSG_WO_PRIO_ORDINARY;
	q.grade = 1;
	strcpy(q.device, "lift-02");
	strcpy(q.description, "Lift 2 stopped twice");
	strcpy(q.contact, "Mr Zhao");
	n = msg_encode_repair_request(&q, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(msg_decode_repair_request(buf, (size_t)n, NULL, back), MSG_OK);
	assert_int_equal(back->grade, 1);
	assert_string_equal(back->device, "lift-02");
	assert_null(strstr(buf, "location"));
	q.device[0] = '\0'; /* neither device nor location: where_missing */
	assert_int_equal(msg_encode_repair_request(&q, buf, sizeof buf), -1);
	memset(&f, 0, sizeof f);
	strcpy(f.wo_id, "WO-1");
	f.score = 5;
	n = msg_encode_followup(&f, buf, sizeof buf);
	assert_string_equal(buf, "{\"wo_id\":\"WO-1\",\"score\":5}");
	assert_int_equal(msg_decode_followup(buf, (size_t)n, NULL, &fb), MSG_OK);
	f.score = 6;
	assert_int_equal(msg_encode_followup(&f, buf, sizeof buf), -1);
	free(back);
}

static void
flat_reader(void **state)
{
	static const char wo[] = "{\"wo_id\":\"W\",\"due\":{\"accept\":5,\"resolve\":null},"
				 "\"breached\":[\"accept\",\"on_site\"],\"x\":[{\"a\":1}],"
				 "\"ok\":true,\"v\":95.2,\"n\":null}";
	struct msg_flat *f = malloc(sizeof *f);

	(void)state;
	assert_int_equal(msg_flat_decode(wo, strlen(wo), NULL, f), MSG_OK);
	assert_string_equal(msg_flat_get(f, "wo_id"), "W");
	assert_string_equal(msg_flat_get(f, "due.accept"), "5");
	assert_null(msg_flat_get(f, "due.resolve"));
	assert_string_equal(msg_flat_get(f, "breached"), "accept,on_site");
	assert_string_equal(msg_flat_get(f, "x"), "[{\"a\":1}]");
	assert_string_equal(msg_flat_get(f, "ok"), "true");
	assert_string_equal(msg_flat_get(f, "v"), "95.2");
	assert_null(msg_flat_get(f, "n"));
	assert_null(msg_flat_get(f, "absent"));
	assert_int_equal(f->truncated, 0);
	assert_int_equal(msg_flat_decode("[1]", 3, NULL, f), MSG_ERR_NOT_OBJECT);
	assert_int_equal(f->n, 0);
	assert_int_equal(msg_flat_decode("{\"a\":1,\"a\":2}", 13, NULL, f), MSG_ERR_DUPLICATE_KEY);
	assert_int_equal(msg_flat_decode("{\"a\":", 5, NULL, f), MSG_ERR_BAD_JSON);
	assert_int_equal(msg_flat_decode("", 0, NULL, f), MSG_ERR_EMPTY);
	free(f);
}

static void
flat_bounds(void **state)
{
	struct msg_flat *f = malloc(sizeof *f);
	char *big = malloc(20000);
	size_t n = 0;

	(void)state;
	n += (size_t)sprintf(big, "{\"long\":\"");
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(big + n, "电"); /* 900 bytes: cut at a character */
	n += (size_t)sprintf(big + n, "\"");
	for (int i = 0; i < MSG_FLAT_MAX + 5; i++)
		n += (size_t)sprintf(big + n, ",\"k%d\":%d", i, i);
	n += (size_t)sprintf(big + n, "}");
	assert_int_equal(msg_flat_decode(big, n, NULL, f), MSG_OK);
	assert_int_equal(f->n, MSG_FLAT_MAX);
	assert_int_equal(f->truncated, 1);
	assert_int_equal(strlen(msg_flat_get(f, "long")), 510); /* 170 whole characters */
	free(big);
	free(f);
}

static enum act_result
match(const char *json, const char *verb, const char *id)
{
	struct msg_flat *f = malloc(sizeof *f);
	enum act_result r;

	assert_int_equal(msg_flat_decode(json, strlen(json), NULL, f), MSG_OK);
	r = act_match(f, verb, id);
	free(f);
	return r;
}

static void
reply_matching(void **state)
{
	(void)state;
	assert_int_equal(
		match("{\"kind\":\"accepted\",\"verb\":\"ack\",\"alarm_id\":\"A\"}", "ack", "A"),
		ACT_ACCEPTED);
	assert_int_equal(match("{\"kind\":\"rejected\",\"verb\":\"ack\",\"alarm_id\":\"A\","
			       "\"reason\":\"forbidden\"}",
			       "ack", "A"),
			 ACT_REJECTED);
	/* another alarm, another verb, not a reply */
	assert_int_equal(
		match("{\"kind\":\"accepted\",\"verb\":\"ack\",\"alarm_id\":\"B\"}", "ack", "A"),
		ACT_NONE);
	assert_int_equal(
		match("{\"kind\":\"accepted\",\"verb\":\"shelve\",\"alarm_id\":\"A\"}", "ack", "A"),
		ACT_NONE);
	assert_int_equal(match("{\"kind\":\"alarm\",\"verb\":null,\"alarm_id\":\"A\"}", "ack", "A"),
			 ACT_NONE);
	/* dispatchd names the order in its accepted message only */
	assert_int_equal(match("{\"kind\":\"accepted\",\"verb\":\"wo\","
			       "\"message\":\"work order W-1 is accepted\"}",
			       "wo", "W-1"),
			 ACT_ACCEPTED);
	assert_int_equal(match("{\"kind\":\"accepted\",\"verb\":\"wo\","
			       "\"message\":\"work order W-10 is accepted\"}",
			       "wo", "W-1"),
			 ACT_NONE);
	assert_int_equal(
		match("{\"kind\":\"rejected\",\"verb\":\"wo\",\"reason\":\"not_assignee\"}", "wo",
		      "W-1"),
		ACT_REJECTED);
	assert_int_equal(match("{\"kind\":\"accepted\",\"verb\":\"request\","
			       "\"message\":\"work order W-2 is dispatched\"}",
			       "request", NULL),
			 ACT_ACCEPTED);
}

static const char alarm1[] =
	"{\"alarm_id\":\"A1\",\"device\":\"elev-1a\",\"rule\":\"entrapment\","
	"\"severity\":1,\"state\":\"active\",\"acked\":false,\"acked_by\":null,"
	"\"raised_at\":1000000,\"message\":\"trapped\"}";
static const char alarm3[] = "{\"alarm_id\":\"A3\",\"device\":\"pump-1\",\"rule\":\"low\","
			     "\"severity\":3,\"state\":\"active\",\"acked\":true,"
			     "\"acked_by\":\"duty-wang\",\"raised_at\":900000}";
static const char wo1[] = "{\"wo_id\":\"W1\",\"kind\":\"emergency\",\"priority\":\"emergency\","
			  "\"state\":\"accepted\",\"assignee\":\"ctr\",\"created_at\":1000000,"
			  "\"due\":{\"accept\":1100000,\"on_site\":1060000},\"title\":\"rescue\"}";

static void
watch_table(void **state)
{
	struct wtab w = {0};
	struct table *t = table_new(wtab_cols, WTAB_NCOLS);
	int i;

	(void)state;
	assert_int_equal(wtab_update(&w, "fm/v1/demo/wo/W1", wo1, strlen(wo1), &i), WTAB_SET);
	assert_int_equal(wtab_update(&w, "fm/v1/demo/alarm/A3", alarm3, strlen(alarm3), &i),
			 WTAB_SET);
	assert_int_equal(wtab_update(&w, "fm/v1/demo/alarm/A1", alarm1, strlen(alarm1), &i),
			 WTAB_SET);
	assert_int_equal(wtab_update(&w, "fm/v1/demo/alarm/A1", alarm1, strlen(alarm1), &i),
			 WTAB_SET);
	assert_int_equal(w.n, 3);
	assert_int_equal(wtab_update(&w, "fm/v1/demo/alarm-log", alarm1, strlen(alarm1), &i),
			 WTAB_NONE);
	assert_int_equal(wtab_update(&w, "fm/v1/demo/alarm/A9", "{", 1, &i), WTAB_BAD);
	assert_int_equal(w.bad, 1);
	assert_int_equal(wtab_render(&w, 1120000, t), 0);
	/* severity 1, then 3, then the order; ages and time left */
	assert_int_equal(table_rows(t), 3);
	assert_string_equal(table_get(t, 0, 2), "A1");
	assert_string_equal(table_get(t, 0, 9), "2m");
	assert_string_equal(table_get(t, 1, 2), "A3");
	assert_string_equal(table_get(t, 1, 8), "duty-wang");
	assert_string_equal(table_get(t, 2, 2), "W1");
	assert_string_equal(table_get(t, 2, 5), "emergency");
	assert_string_equal(table_get(t, 2, 10), "-1m"); /* on site was due 60 s ago */
	assert_null(table_get(t, 0, 10));
	table_free(t);
	/* emptied or closed: gone */
	assert_int_equal(wtab_update(&w, "fm/v1/demo/alarm/A1", "", 0, &i), WTAB_GONE);
	assert_int_equal(wtab_update(&w, "fm/v1/demo/alarm/A1", "", 0, &i), WTAB_NONE);
	assert_int_equal(wtab_update(&w, "fm/v1/demo/wo/W1", "{\"state\":\"closed\"}", 18, &i),
			 WTAB_GONE);
	assert_int_equal(w.n, 1);
	wtab_free(&w);
}

static void
durations(void **state)
{
	char b[32];

	(void)state;
	wtab_fmt_dur(45000, b, sizeof b);
	assert_string_equal(b, "45s");
	wtab_fmt_dur(12 * 60000 + 5000, b, sizeof b);
	assert_string_equal(b, "12m");
	wtab_fmt_dur(3 * 3600000LL + 5 * 60000, b, sizeof b);
	assert_string_equal(b, "3h05m");
	wtab_fmt_dur(-(2 * 86400000LL + 4 * 3600000LL), b, sizeof b);
	assert_string_equal(b, "-2d04h");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(command_roundtrip),    cmocka_unit_test(wo_command_roundtrip),
		cmocka_unit_test(request_and_followup), cmocka_unit_test(flat_reader),
		cmocka_unit_test(flat_bounds),          cmocka_unit_test(reply_matching),
		cmocka_unit_test(watch_table),          cmocka_unit_test(durations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
