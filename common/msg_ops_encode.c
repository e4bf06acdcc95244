/* msg_ops_encode.c — the commands a person publishes, built from the same
 * structs the daemons decode them into. Optional fields are left out rather
 * than written as null, as in the schemas' examples. Every result is decoded
 * again with the daemons' own decoder and refused unless it passes, so the
 * encoders cannot drift from what alertd and dispatchd accept. */
#include "msg_int.h"
#include "msg_ops.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const grade_names[] = {"major", "urgent", "general"};

/* Sets key to s when s is not "": 0, or 1 when the value could not be made. */
static int
put_opt(json_t *o, const char *key, const char *s)
{
	return s[0] ? msg_put(o, key, json_string(s)) : 0;
}

static int
put_ts(json_t *o, int has_ts, long long ts_ms)
{
	return has_ts ? msg_put(o, "ts", json_integer(ts_ms)) : 0;
}

/* Dumps o into buf, then keeps it only if check() decodes it. */
static int
finish_checked(json_t *o, int failed, char *buf, size_t cap, int (*check)(const char *, size_t))
{
	int n = msg_finish(o, failed, 17, buf, cap);

	if (n < 0 || check(buf, (size_t)n) != MSG_OK)
		return msg_reject(buf, cap);
	return n;
}

static int
check_ack(const char *buf, size_t len)
{
	struct msg_command c;

	return msg_decode_command(buf, len, NULL, "ack", &c);
}

static int
check_shelve(const char *buf, size_t len)
{
	struct msg_command c;

	return msg_decode_command(buf, len, NULL, "shelve", &c);
}

int
msg_encode_command(const struct msg_command *c, char *buf, size_t cap)
{
	json_t *o = json_object();
	int failed = msg_put(o, "alarm_id", json_string(c->alarm_id));

	if (c->has_note)
		failed |= msg_put(o, "note", json_string(c->note));
	if (c->verb == MSG_VERB_SHELVE)
		failed |= msg_put(o, "duration_s", json_integer(c->duration_s));
	failed |= put_ts(o, c->has_ts, c->ts_ms);
	return finish_checked(o, failed, buf, cap,
			      c->verb == MSG_VERB_SHELVE ? check_shelve : check_ack);
}

static int
check_wo_command(const char *buf, size_t len)
{
	struct msg_wo_command *c = malloc(sizeof *c);
	int r = c ? msg_decode_wo_command(buf, len, NULL, c) : MSG_ERR_NO_MEMORY;

	free(c);
	return r;
}

int
msg_encode_wo_command(const struct msg_wo_command *c, char *buf, size_t cap)
{
	json_t *o = json_object();
	int failed = msg_put(o, "wo_id", json_string(c->wo_id));

	if ((unsigned)c->action >= MSG_WO_ACTION_COUNT)
		failed = 1;
	else
		failed |= msg_put(o, "action", json_string(msg_wo_action_name(c->action)));
	failed |= put_opt(o, "reason", c->reason);
	failed |= put_opt(o, "note", c->note);
	failed |= put_ts(o, c->has_ts, c->ts_ms);
	return finish_checked(o, failed, buf, cap, check_wo_command);
}

static int
check_repair_request(const char *buf, size_t len)
{
	struct msg_repair_request *r = malloc(sizeof *r);
	int rc = r ? msg_decode_repair_request(buf, len, NULL, r) : MSG_ERR_NO_MEMORY;

	free(r);
	return rc;
}

int
msg_encode_repair_request(const struct msg_repair_request *r, char *buf, size_t cap)
{
	json_t *o = json_object();
	int failed = put_opt(o, "request_id", r->request_id);

	failed |= put_opt(o, "device", r->device);
	failed |= put_opt(o, "location", r->location);
	if ((unsigned)r->category >= MSG_WO_KIND_COUNT ||
	    (unsigned)r->urgency >= MSG_WO_PRIO_COUNT || r->grade > 2)
		failed = 1;
	else {
		failed |= msg_put(o, "category", json_string(msg_wo_kind_name(r->category)));
		failed |= msg_put(o, "urgency", json_string(msg_wo_priority_name(r->urgency)));
		if (r->grade >= 0)
			failed |= msg_put(o, "grade", json_string(grade_names[r->grade]));
	}
	failed |= put_opt(o, "skill", r->skill);
	failed |= msg_put(o, "description", json_string(r->description));
	failed |= msg_put(o, "contact", json_string(r->contact));
	failed |= put_ts(o, r->has_ts, r->ts_ms);
	return finish_checked(o, failed, buf, cap, check_repair_request);
}

static int
check_followup(const char *buf, size_t len)
{
	struct msg_followup f;

	return msg_decode_followup(buf, len, NULL, &f);
}

int
msg_encode_followup(const struct msg_followup *f, char *buf, size_t cap)
{
	json_t *o = json_object();
	int failed = msg_put(o, "wo_id", json_string(f->wo_id));

	failed |= msg_put(o, "score", json_integer(f->score));
	failed |= put_opt(o, "note", f->note);
	failed |= put_ts(o, f->has_ts, f->ts_ms);
	return finish_checked(o, failed, buf, cap, check_followup);
}
