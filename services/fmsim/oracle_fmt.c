/* oracle_fmt.c — the oracle file's header and device lines (format in
 * oracle.h): formatting and strict parsing with a named reason for every
 * rejection. Pure: strings in, structs out; reading the file is the
 * caller's. */
#include "oracle.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const err_names[ORACLE_ERR_COUNT] = {
	[ORACLE_OK] = "ok",
	[ORACLE_ERR_MAGIC] = "not_an_oracle",
	[ORACLE_ERR_VERSION] = "unsupported_version",
	[ORACLE_ERR_HEADER_FIELD] = "bad_header_field",
	[ORACLE_ERR_DEVICE_ID] = "bad_device_id",
	[ORACLE_ERR_DEVICE_ORDER] = "device_out_of_order",
	[ORACLE_ERR_RANGE] = "bad_range",
	[ORACLE_ERR_RANGE_ORDER] = "range_out_of_order",
	[ORACLE_ERR_DEVICE_COUNT] = "device_count_mismatch",
	[ORACLE_ERR_ACKED_COUNT] = "acked_count_mismatch",
};

const char *
oracle_err_name(enum oracle_err e)
{
	return (unsigned)e < ORACLE_ERR_COUNT ? err_names[e] : "unknown";
}

static int
id_char(int c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Copies the identifier at s (up to a blank or the end) into out; returns
 * its length, or -1 when it is not [A-Za-z0-9_-]{1,64}. */
static int
take_id(const char *s, size_t len, char *out)
{
	if (len == 0 || len > ORACLE_ID_MAX)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (!id_char(s[i]))
			return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return (int)len;
}

/* A decimal integer of exactly len characters, 0 or more, no sign. */
static int
take_count(const char *s, size_t len, long long *out)
{
	char buf[24], *end;
	long long v;

	if (len == 0 || len >= sizeof buf || !isdigit((unsigned char)s[0]))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int
oracle_format_header(const struct oracle_header *h, char *buf, size_t cap)
{
	int n = snprintf(buf, cap,
			 "%s %d site=%s prefix=%s devices=%lld metrics=%d t0_ms=%lld t1_ms=%lld "
			 "acked=%lld\n",
			 ORACLE_MAGIC, ORACLE_VERSION, h->site, h->prefix, h->devices, h->metrics,
			 h->t0_ms, h->t1_ms, h->acked);

	return n < 0 || (size_t)n >= cap ? -1 : n;
}

enum hfield { HF_SITE, HF_PREFIX, HF_DEVICES, HF_METRICS, HF_T0, HF_T1, HF_ACKED, HF_COUNT };

static const char *const hfield_names[HF_COUNT] = {"site",  "prefix", "devices", "metrics",
						   "t0_ms", "t1_ms",  "acked"};

/* Parses one key=value word of the header into h; marks the key seen. */
static enum oracle_err
header_field(const char *w, size_t len, struct oracle_header *h, int *seen)
{
	const char *eq = memchr(w, '=', len);
	size_t klen, vlen;
	long long v;
	int f;

	if (!eq)
		return ORACLE_ERR_HEADER_FIELD;
	klen = (size_t)(eq - w);
	vlen = len - klen - 1;
	for (f = 0; f < HF_COUNT; f++)
		if (strlen(hfield_names[f]) == klen && memcmp(w, hfield_names[f], klen) == 0)
			break;
	if (f == HF_COUNT || (*seen & (1 << f)))
		return ORACLE_ERR_HEADER_FIELD;
	*seen |= 1 << f;
	if (f == HF_SITE)
		return take_id(eq + 1, vlen, h->site) < 0 ? ORACLE_ERR_HEADER_FIELD : ORACLE_OK;
	if (f == HF_PREFIX)
		return take_id(eq + 1, vlen, h->prefix) < 0 ? ORACLE_ERR_HEADER_FIELD : ORACLE_OK;
	if (take_count(eq + 1, vlen, &v) < 0)
		return ORACLE_ERR_HEADER_FIELD;
	switch (f) {
	case HF_DEVICES:
		h->devices = v;
		break;
	case HF_METRICS:
		if (v < 1 || v > 256)
			return ORACLE_ERR_HEADER_FIELD;
		h->metrics = (int)v;
		break;
	case HF_T0:
		h->t0_ms = v;
		break;
	case HF_T1:
		h->t1_ms = v;
		break;
	default:
		if (v > ORACLE_ACKED_MAX)
			return ORACLE_ERR_HEADER_FIELD;
		h->acked = v;
		break;
	}
	return ORACLE_OK;
}

enum oracle_err
oracle_parse_header(const char *line, struct oracle_header *h)
{
	size_t mlen = strlen(ORACLE_MAGIC);
	const char *p = line;
	long long version;
	int seen = 0;
	size_t len;

	memset(h, 0, sizeof *h);
	if (strncmp(p, ORACLE_MAGIC, mlen) != 0 || p[mlen] != ' ')
		return ORACLE_ERR_MAGIC;
	p += mlen + 1;
	len = strcspn(p, " \n");
	if (take_count(p, len, &version) < 0)
		return ORACLE_ERR_MAGIC;
	if (version != ORACLE_VERSION)
		return ORACLE_ERR_VERSION;
	p += len;
	while (*p == ' ') {
		enum oracle_err e;

		p++;
		len = strcspn(p, " \n");
		e = header_field(p, len, h, &seen);
		if (e != ORACLE_OK)
			return e;
		p += len;
	}
	if (!(*p == '\0' || (p[0] == '\n' && p[1] == '\0')))
		return ORACLE_ERR_HEADER_FIELD;
	if (seen != (1 << HF_COUNT) - 1 || h->t1_ms < h->t0_ms)
		return ORACLE_ERR_HEADER_FIELD;
	return ORACLE_OK;
}

/* Splits a device line: its id into id, *ranges at the rest. */
static enum oracle_err
parse_device(const char *line, char *id, const char **ranges)
{
	size_t len = strcspn(line, " \n");

	if (take_id(line, len, id) < 0)
		return ORACLE_ERR_DEVICE_ID;
	*ranges = line + len;
	return ORACLE_OK;
}

/* The next " lo-hi" or " seq" at *p, advancing *p; *more = 0 (nothing
 * parsed) at the end of the line. */
static enum oracle_err
parse_range(const char **p, long long *lo, long long *hi, int *more)
{
	const char *s = *p, *dash;
	size_t len;

	if (*s == '\0' || (s[0] == '\n' && s[1] == '\0')) {
		*more = 0;
		return ORACLE_OK;
	}
	*more = 1;
	if (*s != ' ')
		return ORACLE_ERR_RANGE;
	s++;
	len = strcspn(s, " \n");
	dash = memchr(s, '-', len);
	if (dash) {
		if (take_count(s, (size_t)(dash - s), lo) < 0 ||
		    take_count(dash + 1, len - (size_t)(dash - s) - 1, hi) < 0)
			return ORACLE_ERR_RANGE;
	} else {
		if (take_count(s, len, lo) < 0)
			return ORACLE_ERR_RANGE;
		*hi = *lo;
	}
	if (*lo > *hi || *hi == LLONG_MAX)
		return ORACLE_ERR_RANGE;
	*p = s + len;
	return ORACLE_OK;
}

enum oracle_err
oracle_read_line(struct oracle_reader *r, const char *line, oracle_device_fn dev_fn,
		 oracle_range_fn range_fn, void *ctx)
{
	char id[ORACLE_ID_MAX + 1];
	const char *p;
	long long lo, hi, prev_hi = -2;
	enum oracle_err e;
	int more;

	r->line++;
	if (r->line == 1)
		return oracle_parse_header(line, &r->h);
	e = parse_device(line, id, &p);
	if (e != ORACLE_OK)
		return e;
	if (r->devices > 0 && strcmp(r->prev, id) >= 0)
		return ORACLE_ERR_DEVICE_ORDER;
	if (r->devices == r->h.devices)
		return ORACLE_ERR_DEVICE_COUNT;
	memcpy(r->prev, id, sizeof id);
	r->devices++;
	if (dev_fn)
		dev_fn(ctx, id);
	for (;;) {
		e = parse_range(&p, &lo, &hi, &more);
		if (e != ORACLE_OK)
			return e;
		if (!more)
			return ORACLE_OK;
		/* Ranges are maximal: the next starts at least two past the last. */
		if (lo <= prev_hi + 1)
			return ORACLE_ERR_RANGE_ORDER;
		prev_hi = hi;
		if (hi - lo + 1 > r->h.acked - r->acked)
			return ORACLE_ERR_ACKED_COUNT;
		r->acked += hi - lo + 1;
		if (range_fn)
			range_fn(ctx, id, lo, hi);
	}
}

enum oracle_err
oracle_read_end(const struct oracle_reader *r)
{
	if (r->line == 0)
		return ORACLE_ERR_MAGIC;
	if (r->devices != r->h.devices)
		return ORACLE_ERR_DEVICE_COUNT;
	if (r->acked != r->h.acked)
		return ORACLE_ERR_ACKED_COUNT;
	return ORACLE_OK;
}
