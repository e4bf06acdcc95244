/* pgtext.h — building parameter text for PostgreSQL: array literals for
 * text[] parameters (so a whole column travels as one $n and is unnested in
 * SQL) and JSON objects for jsonb. Pure; the text is always a parameter,
 * never spliced into SQL. */
#ifndef FM_PGTEXT_H
#define FM_PGTEXT_H

#include <stddef.h>

/* A growing string; zero-initialised is empty. Owned: pgtext_free. */
struct pgtext {
	char *buf;
	size_t len, cap;
	size_t n; /* elements added to the array being built */
};

void
pgtext_free(struct pgtext *t);
/* The text so far ("" when nothing was added). Valid until the next change. */
const char *
pgtext_str(const struct pgtext *t);
void
pgtext_reset(struct pgtext *t);
void
pgtext_append(struct pgtext *t, const char *s);

/* Array literal: begin, add each element (NULL adds SQL NULL; every other
 * element is double-quoted with " and \ escaped), end. */
void
pgtext_array_begin(struct pgtext *t);
void
pgtext_array_add(struct pgtext *t, const char *elem);
void
pgtext_array_end(struct pgtext *t);

/* Appends s as a JSON string (quotes, escapes of ", \ and control bytes). */
void
pgtext_json_string(struct pgtext *t, const char *s);
/* 1 when s is a number in JSON's grammar (-?int frac? exp?). */
int
pgtext_is_json_number(const char *s);

#endif
