/* msg_decode_ops.c — decoding of what people and daemons send each other:
 * work-order requests (strict, for dispatchd), ops commands (strict: the
 * person is the topic's, never the payload's) and the brief of a retained
 * work order (lenient: only the fields alertd needs). A named reason for
 * every rejection; on any rejection *out is zeroed. Pure. */
#include "msg.h"
#include "msg_int.h"

#include <jansson.h>
#include <string.h>

static const char *const wo_request_fields[] = {
	"idempotency_key", "ts",        "source",   "site",  "device",   "kind",
	"priority",        "skill",     "assignee", "title", "alarm_id", "plan_id",
	"due_at",          "sla_start", "missed",   NULL};
static const char *const ack_fields[] = {"alarm_id", "note", "ts", NULL};
static const char *const shelve_fields[] = {"alarm_id", "note", "duration_s", "ts", NULL};

/* The reasons for a required string field, in the order they are checked. */
struct why {
	enum msg_reason missing, type, value;
};

static const struct why why_key = {MSG_ERR_IDEMPOTENCY_KEY_MISSING, MSG_ERR_IDEMPOTENCY_KEY_TYPE,
				   MSG_ERR_IDEMPOTENCY_KEY_VALUE};
static const struct why why_source = {MSG_ERR_SOURCE_MISSING, MSG_ERR_SOURCE_TYPE,
				      MSG_ERR_SOURCE_VALUE};
/* No site_type: the identity check has reported a site that is no string. */
static const struct why why_site = {MSG_ERR_SITE_MISSING, MSG_ERR_IDENTITY_TYPE,
				    MSG_ERR_SITE_VALUE};
static const struct why why_kind = {MSG_ERR_KIND_MISSING, MSG_ERR_KIND_TYPE, MSG_ERR_KIND_VALUE};
static const struct why why_priority = {MSG_ERR_PRIORITY_MISSING, MSG_ERR_PRIORITY_TYPE,
					MSG_ERR_PRIORITY_VALUE};
static const struct why why_title = {MSG_ERR_TITLE_MISSING, MSG_ERR_TITLE_TYPE,
				     MSG_ERR_TITLE_VALUE};
static const struct why why_alarm_id = {MSG_ERR_ALARM_ID_MISSING, MSG_ERR_ALARM_ID_TYPE,
					MSG_ERR_ALARM_ID_VALUE};
static const struct why why_wo_id = {MSG_ERR_WO_ID_MISSING, MSG_ERR_WO_ID_TYPE,
				     MSG_ERR_WO_ID_VALUE};
static const struct why why_state = {MSG_ERR_STATE_MISSING, MSG_ERR_STATE_TYPE,
				     MSG_ERR_STATE_VALUE};

/* A required string naming one of names[0..n-1]; *out is its index. */
static enum msg_reason
read_enum(json_t *root, const char *key, const char *const *names, int n, const struct why *why,
	  int *out)
{
	const char *s = NULL;
	enum msg_reason r = msg_read_string(root, key, why->missing, why->type, &s);

	if (r != MSG_OK)
		return r;
	*out = msg_name_index(names, n, s);
	return *out < 0 ? why->value : MSG_OK;
}

/* A required string that must pass valid() and fit in cap bytes. */
static enum msg_reason
read_word(json_t *root, const char *key, int (*valid)(const char *), const struct why *why,
	  char *out, size_t cap)
{
	const char *s = NULL;
	enum msg_reason r = msg_read_string(root, key, why->missing, why->type, &s);

	if (r != MSG_OK)
		return r;
	if (strlen(s) >= cap || !valid(s))
		return why->value;
	memcpy(out, s, strlen(s) + 1);
	return MSG_OK;
}

static int
title_valid(const char *s)
{
	return s[0] != '\0' && strlen(s) <= MSG_TITLE_MAX;
}

/* The header: key, time, source, site (the identity check already ran). */
static enum msg_reason
read_request_head(json_t *root, const struct msg_limits *lim, struct msg_wo_request *out)
{
	enum msg_reason r;
	int has_ts = 0, source = 0;

	r = read_word(root, "idempotency_key", msg_key_valid, &why_key, out->idempotency_key,
		      sizeof(out->idempotency_key));
	if (r == MSG_OK)
		r = msg_read_ts(root, lim, &out->ts_ms, &has_ts);
	if (r == MSG_OK && !has_ts)
		r = MSG_ERR_TS_MISSING;
	if (r == MSG_OK)
		r = read_enum(root, "source", msg_wo_source_names, MSG_WO_SRC_COUNT, &why_source,
			      &source);
	out->source = (enum msg_wo_source)source;
	if (r == MSG_OK)
		r = read_word(root, "site", msg_id_valid, &why_site, out->site, sizeof(out->site));
	return r;
}

static enum msg_reason
read_request_body(json_t *root, struct msg_wo_request *out)
{
	enum msg_reason r;
	int kind = 0, prio = 0, has = 0;

	r = msg_read_opt_word(root, "device", msg_id_valid, MSG_ERR_DEVICE_TYPE,
			      MSG_ERR_DEVICE_VALUE, out->device, sizeof(out->device));
	if (r == MSG_OK)
		r = read_enum(root, "kind", msg_wo_kind_names, MSG_WO_KIND_COUNT, &why_kind, &kind);
	if (r == MSG_OK)
		r = read_enum(root, "priority", msg_wo_priority_names, MSG_WO_PRIO_COUNT,
			      &why_priority, &prio);
	out->kind = (enum msg_wo_kind)kind;
	out->priority = (enum msg_wo_priority)prio;
	if (r == MSG_OK)
		r = msg_read_opt_word(root, "skill", msg_id_valid, MSG_ERR_SKILL_TYPE,
				      MSG_ERR_SKILL_VALUE, out->skill, sizeof(out->skill));
	if (r == MSG_OK)
		r = msg_read_opt_word(root, "assignee", msg_id_valid, MSG_ERR_ASSIGNEE_TYPE,
				      MSG_ERR_ASSIGNEE_VALUE, out->assignee, sizeof(out->assignee));
	if (r == MSG_OK)
		r = read_word(root, "title", title_valid, &why_title, out->title,
			      sizeof(out->title));
	if (r == MSG_OK)
		r = msg_read_opt_word(root, "alarm_id", msg_id_valid, MSG_ERR_ALARM_ID_TYPE,
				      MSG_ERR_ALARM_ID_VALUE, out->alarm_id, sizeof(out->alarm_id));
	if (r == MSG_OK)
		r = msg_read_opt_word(root, "plan_id", msg_id_valid, MSG_ERR_PLAN_ID_TYPE,
				      MSG_ERR_PLAN_ID_VALUE, out->plan_id, sizeof(out->plan_id));
	if (r == MSG_OK && !json_is_null(json_object_get(root, "due_at")))
		r = msg_read_count(root, "due_at", MSG_OK, MSG_ERR_DUE_AT_TYPE,
				   MSG_ERR_DUE_AT_NEGATIVE, &out->due_at_ms, &out->has_due_at);
	if (r == MSG_OK)
		r = msg_read_count(root, "sla_start", MSG_ERR_SLA_START_MISSING,
				   MSG_ERR_SLA_START_TYPE, MSG_ERR_SLA_START_NEGATIVE,
				   &out->sla_start_ms, &has);
	if (r == MSG_OK && !json_is_null(json_object_get(root, "missed")))
		r = msg_read_count(root, "missed", MSG_OK, MSG_ERR_MISSED_TYPE,
				   MSG_ERR_MISSED_NEGATIVE, &out->missed, &out->has_missed);
	return r;
}

enum msg_reason
msg_decode_wo_request(const char *buf, size_t len, const struct msg_limits *lim,
		      const char *expect_site, struct msg_wo_request *out)
{
	json_t *root = NULL;
	enum msg_reason r;

	memset(out, 0, sizeof(*out));
	lim = msg_limits_or_default(lim);
	r = msg_load_object(buf, len, lim, &root);
	if (r == MSG_OK)
		r = msg_check_fields(root, wo_request_fields);
	if (r == MSG_OK)
		r = msg_check_identity(root, "site", expect_site);
	if (r == MSG_OK)
		r = read_request_head(root, lim, out);
	if (r == MSG_OK)
		r = read_request_body(root, out);
	json_decref(root);
	if (r != MSG_OK)
		memset(out, 0, sizeof(*out));
	return r;
}

static enum msg_reason
read_command(json_t *root, const struct msg_limits *lim, struct msg_command *out)
{
	json_t *note = json_object_get(root, "note");
	enum msg_reason r;
	long long d = 0;
	int has = 0;

	r = read_word(root, "alarm_id", msg_id_valid, &why_alarm_id, out->alarm_id,
		      sizeof(out->alarm_id));
	if (r == MSG_OK && note != NULL) {
		if (!json_is_string(note))
			return MSG_ERR_NOTE_TYPE;
		if (json_string_length(note) > MSG_NOTE_MAX)
			return MSG_ERR_NOTE_TOO_LONG;
		memcpy(out->note, json_string_value(note), json_string_length(note) + 1);
		out->has_note = 1;
	}
	/* For ack, duration_s was already refused as an unknown field. */
	if (r == MSG_OK && out->verb == MSG_VERB_SHELVE) {
		r = msg_read_count(root, "duration_s", MSG_ERR_DURATION_MISSING,
				   MSG_ERR_DURATION_TYPE, MSG_ERR_DURATION_RANGE, &d, &has);
		if (r == MSG_OK && (d < 1 || d > MSG_SHELVE_MAX_S))
			r = MSG_ERR_DURATION_RANGE;
		out->duration_s = (int)d;
	}
	if (r == MSG_OK)
		r = msg_read_ts(root, lim, &out->ts_ms, &out->has_ts);
	return r;
}

enum msg_reason
msg_decode_command(const char *buf, size_t len, const struct msg_limits *lim, const char *verb,
		   struct msg_command *out)
{
	json_t *root = NULL;
	enum msg_reason r;

	memset(out, 0, sizeof(*out));
	if (verb != NULL && strcmp(verb, "ack") == 0)
		out->verb = MSG_VERB_ACK;
	else if (verb != NULL && strcmp(verb, "shelve") == 0)
		out->verb = MSG_VERB_SHELVE;
	else
		return MSG_ERR_VERB_UNKNOWN;
	lim = msg_limits_or_default(lim);
	r = msg_load_object(buf, len, lim, &root);
	if (r == MSG_OK)
		r = msg_check_fields(root, out->verb == MSG_VERB_ACK ? ack_fields : shelve_fields);
	if (r == MSG_OK)
		r = read_command(root, lim, out);
	json_decref(root);
	if (r != MSG_OK)
		memset(out, 0, sizeof(*out));
	return r;
}

enum msg_reason
msg_decode_wo_brief(const char *buf, size_t len, const struct msg_limits *lim,
		    struct msg_wo_brief *out)
{
	json_t *root = NULL;
	enum msg_reason r;

	memset(out, 0, sizeof(*out));
	r = msg_load_object(buf, len, msg_limits_or_default(lim), &root);
	if (r == MSG_OK)
		r = read_word(root, "wo_id", msg_id_valid, &why_wo_id, out->wo_id,
			      sizeof(out->wo_id));
	if (r == MSG_OK)
		r = msg_read_opt_word(root, "device", msg_id_valid, MSG_ERR_DEVICE_TYPE,
				      MSG_ERR_DEVICE_VALUE, out->device, sizeof(out->device));
	if (r == MSG_OK)
		r = read_word(root, "state", msg_wo_state_valid, &why_state, out->state,
			      sizeof(out->state));
	if (r == MSG_OK)
		r = msg_read_opt_word(root, "plan_id", msg_id_valid, MSG_ERR_PLAN_ID_TYPE,
				      MSG_ERR_PLAN_ID_VALUE, out->plan_id, sizeof(out->plan_id));
	if (r == MSG_OK)
		r = msg_read_opt_word(root, "idempotency_key", msg_key_valid,
				      MSG_ERR_IDEMPOTENCY_KEY_TYPE, MSG_ERR_IDEMPOTENCY_KEY_VALUE,
				      out->idempotency_key, sizeof(out->idempotency_key));
	if (r == MSG_OK && !json_is_null(json_object_get(root, "completed_at")))
		r = msg_read_count(root, "completed_at", MSG_OK, MSG_ERR_COMPLETED_AT_TYPE,
				   MSG_ERR_COMPLETED_AT_NEGATIVE, &out->completed_at_ms,
				   &out->has_completed_at);
	json_decref(root);
	if (r != MSG_OK)
		memset(out, 0, sizeof(*out));
	return r;
}
