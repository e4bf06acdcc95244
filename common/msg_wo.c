/* msg_wo.c — strict decoders of what people send dispatchd: a technician's
 * command on ops/{person}/wo, customer service's repair request or complaint
 * on ops/{person}/request and follow-up on ops/{person}/followup. The
 * envelope is msg_parse.c's (size, syntax, duplicate keys, unknown fields);
 * each field then has its own named reason. On any rejection *out is zeroed.
 * Pure. */
#include "msg_int.h"
#include "msg_wo.h"

#include <jansson.h>
#include <string.h>

static const char *const command_fields[] = {"wo_id",     "action",   "reason", "note",
					     "checklist", "readings", "ts",     NULL};
static const char *const request_fields[] = {"request_id", "device", "location", "category",
					     "urgency",    "grade",  "skill",    "description",
					     "contact",    "ts",     NULL};
static const char *const followup_fields[] = {"wo_id", "score", "note", "ts", NULL};
static const char *const action_names[] = {"accept", "decline", "arrive",  "start",
					   "pause",  "resume",  "complete"};
static const char *const grade_names[] = {"major", "urgent", "general"};

/* The reasons of one field, in the order they are checked. */
struct why {
	int missing, type, value;
};

/* A string field. Absent: missing (0 when the field is optional), or a JSON
 * null for an optional one. Present: a string of 1..max bytes that passes
 * valid (NULL: any text), copied into out. */
static int
read_text(json_t *root, const char *key, const struct why *w, size_t max,
	  int (*valid)(const char *), char *out)
{
	json_t *v = json_object_get(root, key);
	size_t n;

	if (!v || (json_is_null(v) && !w->missing))
		return v || !w->missing ? MSG_OK : w->missing;
	if (!json_is_string(v))
		return w->type;
	n = json_string_length(v);
	if (n == 0 || n > max || (valid && !valid(json_string_value(v))))
		return w->value;
	memcpy(out, json_string_value(v), n + 1);
	return MSG_OK;
}

/* A required string naming one of names[0..n-1]; *out is its index. */
static int
read_name(json_t *root, const char *key, const char *const *names, int n, const struct why *w,
	  int *out)
{
	json_t *v = json_object_get(root, key);

	if (!v)
		return w->missing;
	if (!json_is_string(v))
		return w->type;
	*out = msg_name_index(names, n, json_string_value(v));
	return *out < 0 ? w->value : MSG_OK;
}

/* The checklist: an array of up to MSG_WO_CHECK_MAX {"item": 1..128 bytes,
 * "ok": bool}. */
static int
check_checklist(json_t *v)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return MSG_WO_ERR_CHECKLIST_TYPE;
	if (json_array_size(v) > MSG_WO_CHECK_MAX)
		return MSG_WO_ERR_CHECKLIST_ITEM;
	json_array_foreach(v, i, e)
	{
		json_t *item = json_object_get(e, "item");

		if (!json_is_object(e) || json_object_size(e) != 2 || !json_is_string(item) ||
		    json_string_length(item) == 0 || json_string_length(item) > 128 ||
		    !json_is_boolean(json_object_get(e, "ok")))
			return MSG_WO_ERR_CHECKLIST_ITEM;
	}
	return MSG_OK;
}

/* The readings: a flat object of up to MSG_WO_READINGS_MAX metric names
 * (as telemetry's) with numbers. */
static int
check_readings(json_t *v)
{
	const char *k;
	json_t *e;

	if (!json_is_object(v))
		return MSG_WO_ERR_READINGS_TYPE;
	if (json_object_size(v) > MSG_WO_READINGS_MAX)
		return MSG_WO_ERR_READING_VALUE;
	json_object_foreach(v, k, e)
	{
		if (!msg_name_valid(k) || !json_is_number(e))
			return MSG_WO_ERR_READING_VALUE;
	}
	return MSG_OK;
}

/* detail_json: the checklist and readings given, compact and key-sorted. */
static int
command_detail(json_t *root, struct msg_wo_command *out)
{
	json_t *cl = json_object_get(root, "checklist"), *rd = json_object_get(root, "readings");
	json_t *d;
	int r = MSG_OK;

	if (cl && !json_is_null(cl))
		r = check_checklist(cl);
	if (r == MSG_OK && rd && !json_is_null(rd))
		r = check_readings(rd);
	if (r != MSG_OK)
		return r;
	d = json_object();
	if (!d)
		return MSG_ERR_NO_MEMORY;
	if (out->note[0])
		json_object_set_new(d, "note", json_string(out->note));
	if (out->reason[0])
		json_object_set_new(d, "reason", json_string(out->reason));
	if (cl && !json_is_null(cl))
		json_object_set(d, "checklist", cl);
	if (rd && !json_is_null(rd))
		json_object_set(d, "readings", rd);
	if (json_dumpb(d, NULL, 0, JSON_COMPACT | JSON_SORT_KEYS) >= sizeof(out->detail_json))
		r = MSG_WO_ERR_CHECKLIST_ITEM; /* only a long checklist gets this far */
	else
		out->detail_json[json_dumpb(d, out->detail_json, sizeof(out->detail_json) - 1,
					    JSON_COMPACT | JSON_SORT_KEYS)] = '\0';
	json_decref(d);
	return r;
}

static const struct why why_wo_id = {MSG_ERR_WO_ID_MISSING, MSG_ERR_WO_ID_TYPE,
				     MSG_ERR_WO_ID_VALUE};
static const struct why why_note = {0, MSG_ERR_NOTE_TYPE, MSG_ERR_NOTE_TOO_LONG};

static int
read_command(json_t *root, const struct msg_limits *lim, struct msg_wo_command *out)
{
	static const struct why why_action = {MSG_WO_ERR_ACTION_MISSING, MSG_WO_ERR_ACTION_TYPE,
					      MSG_WO_ERR_ACTION_VALUE};
	static const struct why why_reason = {0, MSG_WO_ERR_REASON_TYPE, MSG_WO_ERR_REASON_VALUE};
	int r, action = 0;

	r = read_text(root, "wo_id", &why_wo_id, MSG_ID_MAX, msg_id_valid, out->wo_id);
	if (r == MSG_OK)
		r = read_name(root, "action", action_names, MSG_WO_ACTION_COUNT, &why_action,
			      &action);
	out->action = (enum msg_wo_action)action;
	if (r == MSG_OK)
		r = read_text(root, "reason", &why_reason, MSG_NOTE_MAX, NULL, out->reason);
	if (r == MSG_OK)
		r = read_text(root, "note", &why_note, MSG_NOTE_MAX, NULL, out->note);
	if (r == MSG_OK)
		r = command_detail(root, out);
	if (r == MSG_OK)
		r = msg_read_ts(root, lim, &out->ts_ms, &out->has_ts);
	return r;
}

/* The steps every decoder shares: envelope, then fields, then zero on
 * failure. */
typedef int (*body_fn)(json_t *root, const struct msg_limits *lim, void *out);

static int
decode(const char *buf, size_t len, const struct msg_limits *lim, const char *const *fields,
       body_fn body, void *out, size_t size)
{
	json_t *root = NULL;
	int r;

	memset(out, 0, size);
	lim = msg_limits_or_default(lim);
	r = msg_load_object(buf, len, lim, &root);
	if (r == MSG_OK)
		r = msg_check_fields(root, fields);
	if (r == MSG_OK)
		r = body(root, lim, out);
	json_decref(root);
	if (r != MSG_OK)
		memset(out, 0, size);
	return r;
}

static int
command_body(json_t *root, const struct msg_limits *lim, void *out)
{
	return read_command(root, lim, out);
}

int
msg_decode_wo_command(const char *buf, size_t len, const struct msg_limits *lim,
		      struct msg_wo_command *out)
{
	return decode(buf, len, lim, command_fields, command_body, out, sizeof(*out));
}

static int
request_where(json_t *root, struct msg_repair_request *out)
{
	static const struct why why_device = {0, MSG_ERR_DEVICE_TYPE, MSG_ERR_DEVICE_VALUE};
	static const struct why why_location = {0, MSG_WO_ERR_LOCATION_TYPE,
						MSG_WO_ERR_LOCATION_VALUE};
	static const struct why why_id = {0, MSG_WO_ERR_REQUEST_ID_TYPE,
					  MSG_WO_ERR_REQUEST_ID_VALUE};
	int r;

	r = read_text(root, "request_id", &why_id, MSG_KEY_MAX, msg_key_valid, out->request_id);
	if (r == MSG_OK)
		r = read_text(root, "device", &why_device, MSG_ID_MAX, msg_id_valid, out->device);
	if (r == MSG_OK)
		r = read_text(root, "location", &why_location, MSG_TITLE_MAX, NULL, out->location);
	if (r == MSG_OK && !out->device[0] && !out->location[0])
		r = MSG_WO_ERR_WHERE_MISSING;
	return r;
}

static int
request_body(json_t *root, const struct msg_limits *lim, void *p)
{
	static const struct why why_cat = {MSG_WO_ERR_CATEGORY_MISSING, MSG_WO_ERR_CATEGORY_TYPE,
					   MSG_WO_ERR_CATEGORY_VALUE};
	static const struct why why_urg = {MSG_WO_ERR_URGENCY_MISSING, MSG_WO_ERR_URGENCY_TYPE,
					   MSG_WO_ERR_URGENCY_VALUE};
	static const struct why why_grade = {0, MSG_WO_ERR_GRADE_TYPE, MSG_WO_ERR_GRADE_VALUE};
	static const struct why why_skill = {0, MSG_ERR_SKILL_TYPE, MSG_ERR_SKILL_VALUE};
	static const struct why why_desc = {MSG_WO_ERR_DESCRIPTION_MISSING,
					    MSG_WO_ERR_DESCRIPTION_TYPE,
					    MSG_WO_ERR_DESCRIPTION_VALUE};
	static const struct why why_contact = {MSG_WO_ERR_CONTACT_MISSING, MSG_WO_ERR_CONTACT_TYPE,
					       MSG_WO_ERR_CONTACT_VALUE};
	struct msg_repair_request *out = p;
	json_t *g = json_object_get(root, "grade");
	int r, cat = 0, urg = 0;

	r = request_where(root, out);
	if (r == MSG_OK)
		r = read_name(root, "category", msg_wo_kind_names, MSG_WO_KIND_COUNT, &why_cat,
			      &cat);
	if (r == MSG_OK)
		r = read_name(root, "urgency", msg_wo_priority_names, MSG_WO_PRIO_COUNT, &why_urg,
			      &urg);
	out->category = (enum msg_wo_kind)cat;
	out->urgency = (enum msg_wo_priority)urg;
	out->grade = -1;
	if (r == MSG_OK && g && !json_is_null(g)) {
		r = read_name(root, "grade", grade_names, 3, &why_grade, &out->grade);
		if (r == MSG_OK && out->category != MSG_WO_COMPLAINT)
			r = MSG_WO_ERR_GRADE_VALUE; /* only complaints have a reply clock */
	}
	if (r == MSG_OK)
		r = read_text(root, "skill", &why_skill, MSG_ID_MAX, msg_id_valid, out->skill);
	if (r == MSG_OK)
		r = read_text(root, "description", &why_desc, MSG_WO_TEXT_MAX, NULL,
			      out->description);
	if (r == MSG_OK)
		r = read_text(root, "contact", &why_contact, MSG_WO_CONTACT_MAX, NULL,
			      out->contact);
	if (r == MSG_OK)
		r = msg_read_ts(root, lim, &out->ts_ms, &out->has_ts);
	return r;
}

int
msg_decode_repair_request(const char *buf, size_t len, const struct msg_limits *lim,
			  struct msg_repair_request *out)
{
	return decode(buf, len, lim, request_fields, request_body, out, sizeof(*out));
}

/* detail_json: {"note":...,"score":n}, for the audit. */
static int
followup_detail(struct msg_followup *out)
{
	json_t *d = json_pack("{s:i}", "score", out->score);
	size_t n;

	if (!d)
		return MSG_ERR_NO_MEMORY;
	if (out->note[0])
		json_object_set_new(d, "note", json_string(out->note));
	n = json_dumpb(d, out->detail_json, sizeof(out->detail_json) - 1,
		       JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	if (n == 0 || n >= sizeof(out->detail_json))
		return MSG_ERR_NO_MEMORY;
	out->detail_json[n] = '\0';
	return MSG_OK;
}

static int
followup_body(json_t *root, const struct msg_limits *lim, void *p)
{
	struct msg_followup *out = p;
	json_t *s;
	int r;

	r = read_text(root, "wo_id", &why_wo_id, MSG_ID_MAX, msg_id_valid, out->wo_id);
	if (r != MSG_OK)
		return r;
	s = json_object_get(root, "score");
	if (!s)
		return MSG_WO_ERR_SCORE_MISSING;
	if (!json_is_integer(s))
		return MSG_WO_ERR_SCORE_TYPE;
	if (json_integer_value(s) < 1 || json_integer_value(s) > 5)
		return MSG_WO_ERR_SCORE_RANGE;
	out->score = (int)json_integer_value(s);
	r = read_text(root, "note", &why_note, MSG_NOTE_MAX, NULL, out->note);
	if (r == MSG_OK)
		r = msg_read_ts(root, lim, &out->ts_ms, &out->has_ts);
	if (r == MSG_OK)
		r = followup_detail(out);
	return r;
}

int
msg_decode_followup(const char *buf, size_t len, const struct msg_limits *lim,
		    struct msg_followup *out)
{
	return decode(buf, len, lim, followup_fields, followup_body, out, sizeof(*out));
}

const char *
msg_wo_action_name(enum msg_wo_action a)
{
	return (unsigned)a < MSG_WO_ACTION_COUNT ? action_names[a] : "unknown";
}

const char *
msg_wo_reason_name(int r)
{
	static const char *const names[] = {
		"action_missing",   "action_type",       "action_value",    "reason_type",
		"reason_value",     "checklist_type",    "checklist_item",  "readings_type",
		"reading_value",    "score_missing",     "score_type",      "score_range",
		"category_missing", "category_type",     "category_value",  "urgency_missing",
		"urgency_type",     "urgency_value",     "grade_type",      "grade_value",
		"location_type",    "location_value",    "where_missing",   "description_missing",
		"description_type", "description_value", "contact_missing", "contact_type",
		"contact_value",    "request_id_type",   "request_id_value"};

	if (r >= 0 && r < MSG_REASON_COUNT)
		return msg_reason_name((enum msg_reason)r);
	if (r >= MSG_WO_ERR_FIRST && r < MSG_WO_ERR_END)
		return names[r - MSG_WO_ERR_FIRST];
	return "unknown";
}
