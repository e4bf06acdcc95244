/* db_escape.c — the COPY text format: field escaping (db_copy_escape) and
 * whole rows (db_copy_line). Pure: no I/O, no allocation; kept apart from
 * db.c so it needs no libpq and is tested on its own. It must never split an
 * escape when truncating. */
#include "db.h"

#include <stdio.h>
#include <string.h>

/* Appends s (len bytes) unless it does not fit or an earlier piece was cut
 * off (then nothing more is written, so an escape is never split); counts
 * it either way. */
static void
put(char *dst, size_t cap, size_t *need, size_t *done, const char *s, size_t len)
{
	if (*done == *need && *need + len < cap) {
		memcpy(dst + *need, s, len);
		*done += len;
	}
	*need += len;
}

size_t
db_copy_escape(char *dst, size_t cap, const char *src)
{
	/* COPY's own one-letter escapes; every other control byte is octal. */
	static const char named[] = {
		['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\v'] = 'v', ['\f'] = 'f', ['\r'] = 'r'};
	size_t need = 0, done = 0;
	char esc[5];

	if (!src)
		put(dst, cap, &need, &done, "\\N", 2);
	for (const unsigned char *p = (const unsigned char *)src; p && *p; p++) {
		if (*p == '\\') {
			put(dst, cap, &need, &done, "\\\\", 2);
		} else if (*p < sizeof named && named[*p]) {
			esc[0] = '\\', esc[1] = named[*p];
			put(dst, cap, &need, &done, esc, 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof esc, "\\%03o", *p);
			put(dst, cap, &need, &done, esc, 4);
		} else {
			put(dst, cap, &need, &done, (const char *)p, 1);
		}
	}
	if (cap > 0)
		dst[done] = '\0';
	return need;
}

size_t
db_copy_line(char *dst, size_t cap, int nfields, const char *const *fields)
{
	size_t need = 0, done = 0, n;

	for (int i = 0; i < nfields; i++) {
		/* Room only while nothing was cut off: a row is whole pieces. */
		size_t room = done == need && cap > need ? cap - need : 0;

		n = db_copy_escape(room ? dst + need : NULL, room, fields[i]);
		if (n + 1 < room) { /* the field, its separator and the NUL fit */
			dst[need + n] = i + 1 < nfields ? '\t' : '\n';
			done = need + n + 1;
		}
		need += n + 1;
	}
	if (cap > 0)
		dst[done] = '\0';
	return need;
}
