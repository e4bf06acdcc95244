/* msg_parse.c — what every msg decoder shares: parsing the bytes into a
 * JSON object with a named reason for each way they can be wrong, and
 * reading typed fields from it. JSON trees are created here and freed by the
 * calling decoder in the same call; none escapes the msg module. Pure. */
#include "msg.h"
#include "msg_int.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

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

const struct msg_limits *
msg_limits_or_default(const struct msg_limits *lim)
{
	static const struct msg_limits untimed = {MSG_DEFAULT_MAX_BYTES, MSG_METRICS_MAX, 0,
						  MSG_LIMIT_OFF, MSG_LIMIT_OFF};
	return lim != NULL ? lim : &untimed;
}

enum msg_reason
msg_load_object(const char *buf, size_t len, const struct msg_limits *lim, json_t **root)
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

enum msg_reason
msg_check_fields(json_t *root, const char *const *allowed)
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

enum msg_reason
msg_check_identity(json_t *root, const char *key, const char *expect)
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

enum msg_reason
msg_read_count(json_t *root, const char *key, enum msg_reason missing, enum msg_reason type,
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

enum msg_reason
msg_check_ts(const struct msg_limits *lim, long long ts_ms)
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

enum msg_reason
msg_read_ts(json_t *root, const struct msg_limits *lim, long long *ts_ms, int *has_ts)
{
	enum msg_reason r = msg_read_count(root, "ts", MSG_OK, MSG_ERR_TS_TYPE, MSG_ERR_TS_NEGATIVE,
					   ts_ms, has_ts);
	if (r != MSG_OK || !*has_ts)
		return r;
	return msg_check_ts(lim, *ts_ms);
}

enum msg_reason
msg_read_string(json_t *root, const char *key, enum msg_reason missing, enum msg_reason type,
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

enum msg_reason
msg_read_opt_word(json_t *root, const char *key, int (*valid)(const char *), enum msg_reason type,
		  enum msg_reason value, char *out, size_t cap)
{
	json_t *j = json_object_get(root, key);
	size_t n;

	out[0] = '\0';
	if (j == NULL || json_is_null(j))
		return MSG_OK;
	if (!json_is_string(j))
		return type;
	n = json_string_length(j);
	if (n >= cap || !valid(json_string_value(j)))
		return value;
	memcpy(out, json_string_value(j), n + 1);
	return MSG_OK;
}
