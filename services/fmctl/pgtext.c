/* pgtext.c — array literals and JSON text for query parameters. Pure: no
 * I/O; memory comes from xmalloc (fatal on exhaustion). */
#include "pgtext.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
reserve(struct pgtext *t, size_t more)
{
	if (t->len + more + 1 <= t->cap)
		return;
	while (t->len + more + 1 > t->cap)
		t->cap = t->cap ? 2 * t->cap : 256;
	t->buf = realloc(t->buf, t->cap);
	if (!t->buf)
		fatal("out of memory");
}

static void
append_n(struct pgtext *t, const char *s, size_t n)
{
	reserve(t, n);
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void
pgtext_append(struct pgtext *t, const char *s)
{
	append_n(t, s, strlen(s));
}

void
pgtext_free(struct pgtext *t)
{
	free(t->buf);
	memset(t, 0, sizeof *t);
}

const char *
pgtext_str(const struct pgtext *t)
{
	return t->buf ? t->buf : "";
}

void
pgtext_reset(struct pgtext *t)
{
	t->len = 0;
	t->n = 0;
	if (t->buf)
		t->buf[0] = '\0';
}

void
pgtext_array_begin(struct pgtext *t)
{
	pgtext_reset(t);
	pgtext_append(t, "{");
}

void
pgtext_array_add(struct pgtext *t, const char *elem)
{
	if (t->n++)
		pgtext_append(t, ",");
	if (!elem) {
		pgtext_append(t, "NULL");
		return;
	}
	pgtext_append(t, "\"");
	for (const char *p = elem; *p; p++) {
		if (*p == '"' || *p == '\\')
			append_n(t, "\\", 1);
		append_n(t, p, 1);
	}
	pgtext_append(t, "\"");
}

void
pgtext_array_end(struct pgtext *t)
{
	pgtext_append(t, "}");
}

void
pgtext_json_string(struct pgtext *t, const char *s)
{
	char esc[8];

	pgtext_append(t, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			append_n(t, esc, 2);
		} else if (*p < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			pgtext_append(t, esc);
		} else {
			append_n(t, (const char *)p, 1);
		}
	}
	pgtext_append(t, "\"");
}

static const char *
digits(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

int
pgtext_is_json_number(const char *s)
{
	const char *p = s, *q;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p = digits(p);
	else
		return 0;
	if (*p == '.') {
		q = digits(p + 1);
		if (q == p + 1)
			return 0;
		p = q;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		q = digits(p);
		if (q == p)
			return 0;
		p = q;
	}
	return *p == '\0';
}
