/* msg_decode.c — strict decoding of device payloads (telemetry, event,
 * status) into the fixed-size structs of msg.h, with a named reason for every
 * rejection. One of the two files allowed to include jansson; JSON trees are
 * created and freed inside each call and never escape. Pure: no I/O, no
 * clock, no state between calls. */
#include "msg.h"
#include "msg_int.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

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

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* jansson reports NaN and Infinity as an invalid token, with the position
 * just past what it consumed. Devices do send them (Python's json.dumps does
 * by default), so name them: the bare word touching pos, in value position. */
static int
nonfinite_word_at(const char *buf, size_t len, size_t pos)
{
	static const char *const words[] = {"nan", "inf", "infinity"};
	size_t s = pos < len ? pos : len, e, i;

	while (s > 0 && is_alpha(buf[s - 1]))
		s--;
	for (e = s; e < len && is_alpha(buf[e]); e++)
		;
	i = s;
	if (i > 0 && buf[i - 1] == '-')
		i--;
	while (i > 0 && (buf[i - 1] == ' ' || buf[i - 1] == '\t' || buf[i - 1] == '\n' ||
			 buf[i - 1] == '\r'))
		i--;
	if (i == 0 || (buf[i - 1] != ':' && buf[i - 1] != '[' && buf[i - 1] != ','))
		return 0;
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		if (e - s == strlen(words[w]) && strncasecmp(buf + s, words[w], e - s) == 0)
			return 1;
	return 0;
}

static enum msg_reason
reason_from_error(const char *buf, size_t len, const json_error_t *err)
{
	switch (json_error_code(err)) {
	case json_error_out_of_memory:
		return MSG_ERR_NO_MEMORY;
	case json_error_stack_overflow:
		return MSG_ERR_TOO_DEEP;
	case json_error_invalid_utf8:
		return MSG_ERR_BAD_UTF8;
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return MSG_ERR_STRING_NUL;
	case json_error_duplicate_key:
		return MSG_ERR_DUPLICATE_KEY;
	case json_error_numeric_overflow:
		return MSG_ERR_NUMBER_OVERFLOW;
	case json_error_invalid_syntax:
		if (err->position >= 0 && nonfinite_word_at(buf, len, (size_t)err->position))
			return MSG_ERR_NUMBER_NONFINITE;
		return MSG_ERR_BAD_JSON;
	default:
		return MSG_ERR_BAD_JSON;
	}
}

/* Parses buf into an object; on MSG_OK the caller owns *root. */
static enum msg_reason
load_object(const char *buf, size_t len, const struct msg_limits *lim, json_t **root)
{
	json_error_t err;

	*root = NULL;
	if (len == 0)
		return MSG_ERR_EMPTY;
	if (len > lim->max_bytes)
		return MSG_ERR_TOO_LARGE;
	/* DECODE_ANY so that "42" is not_object rather than a syntax error;
	 * without DISABLE_EOF_CHECK trailing bytes are rejected. */
	*root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (*root == NULL)
		return reason_from_error(buf, len, &err);
	if (!json_is_object(*root)) {
		json_decref(*root);
		*root = NULL;
		return MSG_ERR_NOT_OBJECT;
	}
	return MSG_OK;
}

static enum msg_reason
check_fields(json_t *root, const char *const *allowed)
{
	const char *key;
	json_t *val;

	json_object_foreach(root, key, val)
	{
		size_t i = 0;
		while (allowed[i] != NULL && strcmp(allowed[i], key) != 0)
			i++;
		if (allowed[i] == NULL)
			return MSG_ERR_UNKNOWN_FIELD;
	}
	return MSG_OK;
}

static enum msg_reason
check_identity_field(json_t *root, const char *key, const char *expect)
{
	json_t *v = json_object_get(root, key);

	if (v == NULL)
		return MSG_OK;
	if (!json_is_string(v))
		return MSG_ERR_IDENTITY_TYPE;
	if (expect != NULL && strcmp(json_string_value(v), expect) != 0)
		return MSG_ERR_IDENTITY_MISMATCH;
	return MSG_OK;
}

/* A non-negative integer field. missing: the reason if absent (MSG_OK for
 * an optional field, leaving *present 0). */
static enum msg_reason
read_count(json_t *root, const char *key, enum msg_reason missing, enum msg_reason type,
	   enum msg_reason negative, long long *v, int *present)
{
	json_t *j = json_object_get(root, key);

	*present = j != NULL;
	if (j == NULL)
		return missing;
	if (!json_is_integer(j))
		return type;
	*v = json_integer_value(j);
	return *v < 0 ? negative : MSG_OK;
}

static enum msg_reason
check_ts(const struct msg_limits *lim, long long ts_ms)
{
	long long d;

	/* A subtraction that overflows means "very far away" in that
	 * direction: the future for ts - now, the future again for now - ts. */
	if (lim->future_skew_ms >= 0 &&
	    (__builtin_sub_overflow(ts_ms, lim->now_ms, &d) || d > lim->future_skew_ms))
		return MSG_ERR_TS_FUTURE;
	if (lim->max_age_ms >= 0 && !__builtin_sub_overflow(lim->now_ms, ts_ms, &d) &&
	    d > lim->max_age_ms)
		return MSG_ERR_TS_TOO_OLD;
	return MSG_OK;
}

static enum msg_reason
read_ts(json_t *root, const struct msg_limits *lim, long long *ts_ms, int *has_ts)
{
	enum msg_reason r =
		read_count(root, "ts", MSG_OK, MSG_ERR_TS_TYPE, MSG_ERR_TS_NEGATIVE, ts_ms, has_ts);
	if (r != MSG_OK || !*has_ts)
		return r;
	return check_ts(lim, *ts_ms);
}

static enum msg_reason
read_head(json_t *root, const struct msg_limits *lim, struct head *h)
{
	enum msg_reason r;
	int has_seq;

	r = read_count(root, "seq", MSG_ERR_SEQ_MISSING, MSG_ERR_SEQ_TYPE, MSG_ERR_SEQ_NEGATIVE,
		       &h->seq, &has_seq);
	if (r == MSG_OK)
		r = read_ts(root, lim, &h->ts_ms, &h->has_ts);
	if (r == MSG_OK)
		r = read_count(root, "boot", MSG_OK, MSG_ERR_BOOT_TYPE, MSG_ERR_BOOT_NEGATIVE,
			       &h->boot, &h->has_boot);
	return r;
}

/* Parse, then the envelope checks every message type shares. */
static enum msg_reason
open_message(const char *buf, size_t len, const struct msg_limits *lim, const char *const *fields,
	     const char *site, const char *device, json_t **root)
{
	enum msg_reason r = load_object(buf, len, lim, root);

	if (r == MSG_OK)
		r = check_fields(*root, fields);
	if (r == MSG_OK)
		r = check_identity_field(*root, "device", device);
	if (r == MSG_OK)
		r = check_identity_field(*root, "site", site);
	return r;
}

static const struct msg_limits *
limits_or_default(const struct msg_limits *lim)
{
	static const struct msg_limits untimed = {MSG_DEFAULT_MAX_BYTES, MSG_METRICS_MAX, 0,
						  MSG_LIMIT_OFF, MSG_LIMIT_OFF};
	return lim != NULL ? lim : &untimed;
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
	lim = limits_or_default(lim);
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

/* Reads a required string field: missing / not a string / fails check. */
static enum msg_reason
read_word(json_t *root, const char *key, enum msg_reason missing, enum msg_reason type,
	  const char **out)
{
	json_t *j = json_object_get(root, key);

	if (j == NULL)
		return missing;
	if (!json_is_string(j))
		return type;
	*out = json_string_value(j);
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

	r = read_word(root, "event", MSG_ERR_EVENT_MISSING, MSG_ERR_EVENT_TYPE, &name);
	if (r != MSG_OK)
		return r;
	if (!msg_name_valid(name))
		return MSG_ERR_EVENT_NAME;
	memcpy(out->event, name, strlen(name) + 1);
	r = read_word(root, "state", MSG_ERR_STATE_MISSING, MSG_ERR_STATE_TYPE, &state);
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
	lim = limits_or_default(lim);
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
	lim = limits_or_default(lim);
	r = open_message(buf, len, lim, status_fields, expect_site, expect_device, &root);
	if (r == MSG_OK)
		r = read_word(root, "state", MSG_ERR_STATE_MISSING, MSG_ERR_STATE_TYPE, &state);
	if (r == MSG_OK) {
		if (strcmp(state, "online") == 0)
			out->state = MSG_STATUS_ONLINE;
		else if (strcmp(state, "offline") == 0)
			out->state = MSG_STATUS_OFFLINE;
		else
			r = MSG_ERR_STATE_VALUE;
	}
	if (r == MSG_OK)
		r = read_ts(root, lim, &out->ts_ms, &out->has_ts);
	json_decref(root);
	if (r != MSG_OK)
		memset(out, 0, sizeof(*out));
	return r;
}
