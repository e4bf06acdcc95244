/* timeutil_tzif.c — decodes TZif files (RFC 8536, version 2 and later) and
 * POSIX TZ strings into a fixed-size struct tu_zone. Pure: the bytes come from
 * the caller (tu_tz_load reads them); every count, index and offset is
 * bounds-checked because a damaged file must give -1, never a crash. */
#include "timeutil.h"

#include <stdint.h>
#include <string.h>

#define HEADER_LEN 44
/* Local-time offsets beyond +-26 h do not exist; RFC 8536 says they SHOULD
 * lie in -89999..93599 seconds. */
#define MAX_UTOFF_S 93599
/* Rule times may run from -167 h to +167 h (RFC 8536 section 3.3.1). */
#define MAX_RULE_HOURS 167

struct counts {
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t
be64(const unsigned char *p)
{
	uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
	return (int64_t)v;
}

/* Reads the header at data; 0 if it is a TZif header of version >= min_ver. */
static int
read_header(const unsigned char *data, size_t len, char min_ver, struct counts *c)
{
	if (len < HEADER_LEN || memcmp(data, "TZif", 4) != 0 || data[4] < min_ver)
		return -1;
	c->isutcnt = be32(data + 20);
	c->isstdcnt = be32(data + 24);
	c->leapcnt = be32(data + 28);
	c->timecnt = be32(data + 32);
	c->typecnt = be32(data + 36);
	c->charcnt = be32(data + 40);
	return 0;
}

/* Size of a data block whose times are tsize bytes wide (4 in v1, 8 after). */
static uint64_t
block_len(const struct counts *c, unsigned tsize)
{
	return (uint64_t)c->timecnt * tsize + c->timecnt + (uint64_t)c->typecnt * 6 + c->charcnt +
	       (uint64_t)c->leapcnt * (tsize + 4) + c->isstdcnt + c->isutcnt;
}

static int
is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* A zone abbreviation: 3+ letters, or <...> of letters, digits, '+', '-'. */
static int
parse_abbr(const char **pp, const char *end, char out[TU_ABBR_MAX + 1])
{
	const char *p = *pp, *start;
	size_t n;

	if (p < end && *p == '<') {
		start = ++p;
		while (p < end && (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-'))
			p++;
		if (p == end || *p != '>')
			return -1;
		n = (size_t)(p - start);
		p++;
	} else {
		start = p;
		while (p < end && is_alpha(*p))
			p++;
		n = (size_t)(p - start);
	}
	if (n < 3 || n > TU_ABBR_MAX)
		return -1;
	memcpy(out, start, n);
	out[n] = '\0';
	*pp = p;
	return 0;
}

/* Up to max_digits decimal digits, value <= max. */
static int
parse_num(const char **pp, const char *end, int max_digits, int max, int *out)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (p < end && is_digit(*p) && n < max_digits) {
		v = v * 10 + (*p - '0');
		p++;
		n++;
	}
	if (n == 0 || v > max || (p < end && is_digit(*p)))
		return -1;
	*out = v;
	*pp = p;
	return 0;
}

/* [+-]h[h[h]][:mm[:ss]] in seconds, |hours| <= max_hours. */
static int
parse_hms(const char **pp, const char *end, int max_hours, int *secs)
{
	const char *p = *pp;
	int sign = 1, h, m = 0, s = 0;

	if (p < end && (*p == '+' || *p == '-')) {
		sign = *p == '-' ? -1 : 1;
		p++;
	}
	if (parse_num(&p, end, 3, max_hours, &h) != 0)
		return -1;
	if (p < end && *p == ':') {
		p++;
		if (parse_num(&p, end, 2, 59, &m) != 0)
			return -1;
		if (p < end && *p == ':') {
			p++;
			if (parse_num(&p, end, 2, 59, &s) != 0)
				return -1;
		}
	}
	*secs = sign * (h * 3600 + m * 60 + s);
	*pp = p;
	return 0;
}

/* Jn | n | Mm.w.d, then an optional /time (default 02:00:00). */
static int
parse_date(const char **pp, const char *end, struct tu_tzdate *d)
{
	const char *p = *pp;

	memset(d, 0, sizeof(*d));
	if (p < end && *p == 'J') {
		p++;
		d->kind = 'J';
		if (parse_num(&p, end, 3, 365, &d->day) != 0 || d->day < 1)
			return -1;
	} else if (p < end && *p == 'M') {
		p++;
		d->kind = 'M';
		if (parse_num(&p, end, 2, 12, &d->month) != 0 || d->month < 1 || p == end ||
		    *p++ != '.' || parse_num(&p, end, 1, 5, &d->week) != 0 || d->week < 1 ||
		    p == end || *p++ != '.' || parse_num(&p, end, 1, 6, &d->wday) != 0)
			return -1;
	} else {
		d->kind = 'D';
		if (parse_num(&p, end, 3, 365, &d->day) != 0)
			return -1;
	}
	d->time_s = 2 * 3600;
	if (p < end && *p == '/') {
		p++;
		if (parse_hms(&p, end, MAX_RULE_HOURS, &d->time_s) != 0)
			return -1;
	}
	*pp = p;
	return 0;
}

/* std offset [dst [offset] ,start[/time],end[/time]] over [p, end). */
static int
parse_rule(const char *p, const char *end, struct tu_tzrule *r)
{
	int secs;

	memset(r, 0, sizeof(*r));
	if (parse_abbr(&p, end, r->std.abbr) != 0 || parse_hms(&p, end, 24, &secs) != 0)
		return -1;
	r->std.utoff_s = -secs; /* POSIX counts west of Greenwich as positive */
	if (p == end)
		return 0;
	r->has_dst = 1;
	r->dst.is_dst = 1;
	if (parse_abbr(&p, end, r->dst.abbr) != 0)
		return -1;
	r->dst.utoff_s = r->std.utoff_s + 3600;
	if (p < end && *p != ',') {
		if (parse_hms(&p, end, 24, &secs) != 0)
			return -1;
		r->dst.utoff_s = -secs;
	}
	if (p == end || *p++ != ',' || parse_date(&p, end, &r->start) != 0 || p == end ||
	    *p++ != ',' || parse_date(&p, end, &r->end) != 0 || p != end)
		return -1;
	return 0;
}

static void
set_name(struct tu_zone *z, const char *name)
{
	size_t n = name != NULL ? strnlen(name, TU_ZONE_NAME_MAX) : 0;

	memcpy(z->name, name != NULL ? name : "", n);
	z->name[n] = '\0';
}

int
tu_tz_posix(const char *tz, struct tu_zone *z)
{
	memset(z, 0, sizeof(*z));
	if (tz == NULL || parse_rule(tz, tz + strlen(tz), &z->rule) != 0)
		goto fail;
	z->has_rule = 1;
	z->n_types = 1;
	z->types[0] = z->rule.std;
	set_name(z, tz);
	return 0;
fail:
	memset(z, 0, sizeof(*z));
	return -1;
}

void
tu_tz_utc(struct tu_zone *z)
{
	memset(z, 0, sizeof(*z));
	set_name(z, "UTC");
	z->n_types = 1;
	memcpy(z->types[0].abbr, "UTC", 4);
}

/* The version 2+ data block at p (len bytes available), then the footer. */
static int
parse_v2_block(const unsigned char *p, size_t len, const struct counts *c, struct tu_zone *z)
{
	const unsigned char *times = p, *idx = p + 8 * (size_t)c->timecnt;
	const unsigned char *types = idx + c->timecnt;
	const char *chars = (const char *)(types + 6 * (size_t)c->typecnt);
	size_t blen = (size_t)block_len(c, 8);

	for (uint32_t i = 0; i < c->timecnt; i++) {
		z->trans_s[i] = be64(times + 8 * (size_t)i);
		z->trans_type[i] = idx[i];
		if (idx[i] >= c->typecnt || (i > 0 && z->trans_s[i] <= z->trans_s[i - 1]))
			return -1;
	}
	z->n_trans = (int)c->timecnt;
	for (uint32_t i = 0; i < c->typecnt; i++) {
		const unsigned char *t = types + 6 * (size_t)i;
		int32_t off = (int32_t)be32(t);
		unsigned ai = t[5];
		size_t n;

		if (off < -MAX_UTOFF_S || off > MAX_UTOFF_S || t[4] > 1 || ai >= c->charcnt)
			return -1;
		n = strnlen(chars + ai, c->charcnt - ai);
		if (ai + n == c->charcnt || n > TU_ABBR_MAX)
			return -1; /* unterminated or too long */
		z->types[i].utoff_s = off;
		z->types[i].is_dst = t[4];
		memcpy(z->types[i].abbr, chars + ai, n);
		z->types[i].abbr[n] = '\0';
	}
	z->n_types = (int)c->typecnt;

	/* Footer: "\n" TZ-string "\n"; an empty string means no rule. */
	const char *f = (const char *)p + blen, *end = (const char *)p + len, *nl;
	if (f == end || *f != '\n')
		return -1;
	f++;
	nl = memchr(f, '\n', (size_t)(end - f));
	if (nl == NULL)
		return -1;
	if (nl > f) {
		if (parse_rule(f, nl, &z->rule) != 0)
			return -1;
		z->has_rule = 1;
	}
	return 0;
}

int
tu_tz_parse(const unsigned char *data, size_t len, const char *name, struct tu_zone *z)
{
	struct counts c1, c2;
	uint64_t off;

	memset(z, 0, sizeof(*z));
	if (read_header(data, len, '2', &c1) != 0)
		goto fail;
	off = HEADER_LEN + block_len(&c1, 4);
	if (off > len || read_header(data + off, len - off, '2', &c2) != 0)
		goto fail;
	off += HEADER_LEN;
	/* Leap-second ("right/") zones count TAI-like seconds: not supported. */
	if (c2.leapcnt != 0 || c2.timecnt > TU_ZONE_MAX_TRANS || c2.typecnt == 0 ||
	    c2.typecnt > TU_ZONE_MAX_TYPES || c2.charcnt == 0 ||
	    (c2.isstdcnt != 0 && c2.isstdcnt != c2.typecnt) ||
	    (c2.isutcnt != 0 && c2.isutcnt != c2.typecnt))
		goto fail;
	if (block_len(&c2, 8) >= len - off)
		goto fail; /* the footer needs at least its first newline */
	if (parse_v2_block(data + off, len - off, &c2, z) != 0)
		goto fail;
	set_name(z, name);
	return 0;
fail:
	memset(z, 0, sizeof(*z));
	return -1;
}
