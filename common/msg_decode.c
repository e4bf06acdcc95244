/* msg_decode.c — strict decoding of device payloads (telemetry, event,
 * status) into the fixed-size structs of msg.h, with a named reason for every
 * rejection. Parsing and field readers are msg_parse.c's; JSON trees are
 * created and freed inside each call and never escape. Pure: no I/O, no
 * clock, no state between calls. */
#include "msg.h"
#include "msg_int.h"

#include <jansson.h>
#include <string.h>

static const char *const telemetry_fields[] = {"seq",    "ts",   "boot", "metrics",
					       "device", "site", NULL};
static const char *const event_fields[] = {"seq",    "ts",     "boot", "event", "state",
					   "detail", "device", "site", NULL};
static const char *const status_fields[] = {"state", "ts", "device", "site", NULL};

/* seq, ts and boot: the header every device message shares. */
struct head {
	long long seq, ts_ms, boot;
	int has_ts, has_boot;
};

static enum msg_reason
read_head(json_t *root, const struct msg_limits *lim, struct head *h)
{
	enum msg_reason r;
	int has_seq;

	r = msg_read_count(root, "seq", MSG_ERR_SEQ_MISSING, MSG_ERR_SEQ_TYPE, MSG_ERR_SEQ_NEGATIVE,
			   &h->seq, &has_seq);
	if (r == MSG_OK)
		r = msg_read_ts(root, lim, &h->ts_ms, &h->has_ts);
	if (r == MSG_OK)
		r = msg_read_count(root, "boot", MSG_OK, MSG_ERR_BOOT_TYPE, MSG_ERR_BOOT_NEGATIVE,
				   &h->boot, &h->has_boot);
	return r;
}

/* Parse, then the envelope checks every message type shares. */
static enum msg_reason
open_message(const char *buf, size_t len, const struct msg_limits *lim, const char *const *fields,
	     const char *site, const char *device, json_t **root)
{
	enum msg_reason r = msg_load_object(buf, len, lim, root);

	if (r == MSG_OK)
		r = msg_check_fields(*root, fields);
	if (r == MSG_OK)
		r = msg_check_identity(*root, "device", device);
	if (r == MSG_OK)
		r = msg_check_identity(*root, "site", site);
	return r;
}

static enum msg_reason
metric_value(json_t *v, struct msg_telemetry_metric *m)
{
	switch (json_typeof(v)) {
	case JSON_INTEGER:
	case JSON_REAL:
		/* The parser never yields NaN or Infinity: it rejects those
		 * tokens and out-of-range numbers before we get here. */
		m->value = json_number_value(v);
		return MSG_OK;
	case JSON_TRUE:
	case JSON_FALSE:
		m->value = json_is_true(v) ? 1.0 : 0.0;
		m->is_bool = 1;
		return MSG_OK;
	case JSON_STRING:
		return MSG_ERR_METRIC_STRING;
	case JSON_NULL:
		return MSG_ERR_METRIC_NULL;
	case JSON_ARRAY:
		return MSG_ERR_METRIC_ARRAY;
	case JSON_OBJECT:
		return MSG_ERR_METRIC_OBJECT;
	}
	return MSG_ERR_BAD_JSON;
}

static enum msg_reason
read_metrics(json_t *root, const struct msg_limits *lim, struct msg_telemetry *out)
{
	json_t *metrics = json_object_get(root, "metrics"), *v;
	int max = lim->max_metrics;
	const char *name;

	if (max < 1 || max > MSG_METRICS_MAX)
		max = MSG_METRICS_MAX;
	if (metrics == NULL)
		return MSG_ERR_METRICS_MISSING;
	if (!json_is_object(metrics))
		return MSG_ERR_METRICS_TYPE;
	if (json_object_size(metrics) == 0)
		return MSG_ERR_METRICS_EMPTY;
	if (json_object_size(metrics) > (size_t)max)
		return MSG_ERR_TOO_MANY_METRICS;
	json_object_foreach(metrics, name, v)
	{
		struct msg_telemetry_metric *m = &out->metrics[out->n_metrics];
		enum msg_reason r;

		if (!msg_name_valid(name))
			return MSG_ERR_METRIC_NAME;
		memcpy(m->name, name, strlen(name) + 1);
		r = metric_value(v, m);
		if (r != MSG_OK)
			return r;
		out->n_metrics++;
	}
	return MSG_OK;
}

enum msg_reason
msg_decode_telemetry(const char *buf, size_t len, const struct msg_limits *lim,
		     const char *expect_site, const char *expect_device, struct msg_telemetry *out)
{
	struct head h = {0};
	json_t *root = NULL;
	enum msg_reason r;

	memset(out, 0, sizeof(*out));
	lim = msg_limits_or_default(lim);
	r = open_message(buf, len, lim, telemetry_fields, expect_site, expect_device, &root);
	if (r == MSG_OK)
		r = read_head(root, lim, &h);
	if (r == MSG_OK)
		r = read_metrics(root, lim, out);
	json_decref(root);
	if (r != MSG_OK) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	out->seq = h.seq;
	out->ts_ms = h.ts_ms;
	out->has_ts = h.has_ts;
	out->boot = h.boot;
	out->has_boot = h.has_boot;
	return MSG_OK;
}

/* Validates the flat detail object and writes its canonical text. */
static enum msg_reason
read_detail(json_t *detail, struct msg_event *out)
{
	const char *key;
	json_t *v;
	int digits = 1;
	size_t n;

	if (!json_is_object(detail))
		return MSG_ERR_DETAIL_TYPE;
	if (json_object_size(detail) > MSG_DETAIL_KEYS_MAX)
		return MSG_ERR_DETAIL_TOO_MANY_KEYS;
	json_object_foreach(detail, key, v)
	{
		if (!msg_name_valid(key))
			return MSG_ERR_DETAIL_KEY;
		if (json_is_null(v) || json_is_array(v) || json_is_object(v))
			return MSG_ERR_DETAIL_VALUE;
		if (json_is_string(v) && json_string_length(v) > MSG_DETAIL_STRING_MAX)
			return MSG_ERR_DETAIL_STRING_TOO_LONG;
		if (json_is_real(v) && msg_real_digits(json_real_value(v)) > digits)
			digits = msg_real_digits(json_real_value(v));
	}
	n = json_dumpb(detail, out->detail_json, sizeof(out->detail_json) - 1,
		       JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(digits));
	if (n == 0 || n >= sizeof(out->detail_json))
		return MSG_ERR_DETAIL_TOO_LARGE;
	out->detail_json[n] = '\0';
	out->has_detail = 1;
	return MSG_OK;
}

static enum msg_reason
read_event_body(json_t *root, struct msg_event *out)
{
	const char *name = NULL, *state = NULL;
	json_t *detail;
	enum msg_reason r;

	r = msg_read_string(root, "event", MSG_ERR_EVENT_MISSING, MSG_ERR_EVENT_TYPE, &name);
	if (r != MSG_OK)
		return r;
	if (!msg_name_valid(name))
		return MSG_ERR_EVENT_NAME;
	memcpy(out->event, name, strlen(name) + 1);
	r = msg_read_string(root, "state", MSG_ERR_STATE_MISSING, MSG_ERR_STATE_TYPE, &state);
	if (r != MSG_OK)
		return r;
	if (strcmp(state, "active") == 0)
		out->state = MSG_EVENT_ACTIVE;
	else if (strcmp(state, "cleared") == 0)
		out->state = MSG_EVENT_CLEARED;
	else
		return MSG_ERR_STATE_VALUE;
	detail = json_object_get(root, "detail");
	return detail != NULL ? read_detail(detail, out) : MSG_OK;
}

enum msg_reason
msg_decode_event(const char *buf, size_t len, const struct msg_limits *lim, const char *expect_site,
		 const char *expect_device, struct msg_event *out)
{
	struct head h = {0};
	json_t *root = NULL;
	enum msg_reason r;

	memset(out, 0, sizeof(*out));
	lim = msg_limits_or_default(lim);
	r = open_message(buf, len, lim, event_fields, expect_site, expect_device, &root);
	if (r == MSG_OK)
		r = read_head(root, lim, &h);
	if (r == MSG_OK)
		r = read_event_body(root, out);
	json_decref(root);
	if (r != MSG_OK) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	out->seq = h.seq;
	out->ts_ms = h.ts_ms;
	out->has_ts = h.has_ts;
	out->boot = h.boot;
	out->has_boot = h.has_boot;
	return MSG_OK;
}

enum msg_reason
msg_decode_status(const char *buf, size_t len, const struct msg_limits *lim,
		  const char *expect_site, const char *expect_device, struct msg_status *out)
{
	const char *state = NULL;
	json_t *root = NULL;
	enum msg_reason r;

	memset(out, 0, sizeof(*out));
	lim = msg_limits_or_default(lim);
	r = open_message(buf, len, lim, status_fields, expect_site, expect_device, &root);
	if (r == MSG_OK)
		r = msg_read_string(root, "state", MSG_ERR_STATE_MISSING, MSG_ERR_STATE_TYPE,
				    &state);
	if (r == MSG_OK) {
		if (strcmp(state, "online") == 0)
			out->state = MSG_STATUS_ONLINE;
		else if (strcmp(state, "offline") == 0)
			out->state = MSG_STATUS_OFFLINE;
		else
			r = MSG_ERR_STATE_VALUE;
	}
	if (r == MSG_OK)
		r = msg_read_ts(root, lim, &out->ts_ms, &out->has_ts);
	json_decref(root);
	if (r != MSG_OK)
		memset(out, 0, sizeof(*out));
	return r;
}
