/* msg_ops_flat.c — reads any JSON object into dotted key/value text, for
 * tools that display what daemons publish (retained alarms and work orders,
 * notifications, stats) without a decoder per payload. Lenient about the
 * fields (the payloads grow), strict about the envelope (msg_parse.c: size,
 * syntax, duplicate keys, top-level object). Bounded: MSG_FLAT_MAX fields,
 * keys and values cut to their maximum, objects followed MSG_FLAT_DEPTH deep. */
#include "msg_int.h"
#include "msg_ops.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies up to max bytes of s into dst, cut at a UTF-8 boundary. 1 if cut. */
static int
copy_cut(char *dst, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max) {
		memcpy(dst, s, n + 1);
		return 0;
	}
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 1;
}

/* The text of a scalar into out (MSG_FLAT_VALUE_MAX + 1 bytes); 1 if cut. */
static int
scalar_text(json_t *v, char *out, enum msg_flat_type *type)
{
	char num[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		*type = MSG_FLAT_STRING;
		return copy_cut(out, json_string_value(v), MSG_FLAT_VALUE_MAX);
	case JSON_INTEGER:
		*type = MSG_FLAT_NUMBER;
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		return copy_cut(out, num, MSG_FLAT_VALUE_MAX);
	case JSON_REAL:
		*type = MSG_FLAT_NUMBER;
		snprintf(num, sizeof num, "%.*g", msg_real_digits(json_real_value(v)),
			 json_real_value(v));
		return copy_cut(out, num, MSG_FLAT_VALUE_MAX);
	case JSON_TRUE:
	case JSON_FALSE:
		*type = MSG_FLAT_BOOL;
		return copy_cut(out, json_is_true(v) ? "true" : "false", MSG_FLAT_VALUE_MAX);
	default:
		*type = MSG_FLAT_NULL;
		out[0] = '\0';
		return 0;
	}
}

/* An array of scalars as "a,b,c"; 0 when it holds something else. */
static int
join_scalars(json_t *a, char *out, int *cut)
{
	char item[MSG_FLAT_VALUE_MAX + 1];
	enum msg_flat_type t;
	size_t i, len = 0;
	json_t *e;

	out[0] = '\0';
	json_array_foreach(a, i, e)
	{
		if (json_is_object(e) || json_is_array(e) || json_is_null(e))
			return 0;
		*cut |= scalar_text(e, item, &t);
		if (len + (i > 0) + strlen(item) > MSG_FLAT_VALUE_MAX) {
			*cut = 1;
			break;
		}
		len += (size_t)snprintf(out + len, MSG_FLAT_VALUE_MAX + 1 - len, "%s%s",
					i > 0 ? "," : "", item);
	}
	return 1;
}

static void
add_value(struct msg_flat *f, const char *key, json_t *v, int depth);

static void
add_object(struct msg_flat *f, const char *prefix, json_t *obj, int depth)
{
	char key[MSG_FLAT_KEY_MAX + 1];
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v)
	{
		int n = snprintf(key, sizeof key, "%s%s%s", prefix, prefix[0] ? "." : "", k);

		if (n < 0 || (size_t)n >= sizeof key) {
			f->truncated = 1;
			continue;
		}
		add_value(f, key, v, depth + 1);
	}
}

static void
add_value(struct msg_flat *f, const char *key, json_t *v, int depth)
{
	struct msg_flat_field *d;
	char *text;
	int cut = 0;

	if (json_is_object(v) && depth < MSG_FLAT_DEPTH) {
		add_object(f, key, v, depth);
		return;
	}
	if (f->n >= MSG_FLAT_MAX) {
		f->truncated = 1;
		return;
	}
	d = &f->f[f->n++];
	memcpy(d->key, key, strlen(key) + 1);
	if (!json_is_object(v) && !json_is_array(v)) {
		cut = scalar_text(v, d->value, &d->type);
	} else if (json_is_array(v) && join_scalars(v, d->value, &cut)) {
		d->type = MSG_FLAT_STRING;
	} else {
		d->type = MSG_FLAT_STRING;
		text = json_dumps(v, JSON_COMPACT);
		cut = text ? copy_cut(d->value, text, MSG_FLAT_VALUE_MAX) : 1;
		free(text);
	}
	f->truncated |= cut;
}

enum msg_reason
msg_flat_decode(const char *buf, size_t len, const struct msg_limits *lim, struct msg_flat *out)
{
	json_t *root;
	enum msg_reason r;

	out->n = 0;
	out->truncated = 0;
	r = msg_load_object(buf, len, msg_limits_or_default(lim), &root);
	if (r != MSG_OK)
		return r;
	add_object(out, "", root, 0);
	json_decref(root);
	return MSG_OK;
}

const char *
msg_flat_get(const struct msg_flat *f, const char *key)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->f[i].key, key) == 0)
			return f->f[i].type == MSG_FLAT_NULL ? NULL : f->f[i].value;
	return NULL;
}
