/* table.h — how fmctl prints a listing: aligned columns for people (with
 * severity colours on a terminal), a JSON array of objects or CSV with a
 * header row for scripts. Pure formatting: a table is built from text
 * values (as the database and the payload readers give them) and written to
 * a stream; nothing here knows where the rows came from. A command that
 * prints rows: table_new with its columns, table_add per row, table_write
 * with the --format the user chose (table_format_parse). */
#ifndef FM_FMCTL_TABLE_H
#define FM_FMCTL_TABLE_H

#include <stddef.h>
#include <stdio.h>

enum table_format { TABLE_TEXT, TABLE_JSON, TABLE_CSV };

/* How a column's values are written in JSON (text and CSV write the text):
 * TABLE_NUM as a number when the text is one in JSON's grammar, TABLE_BOOL
 * as true/false for "t"/"true"/"f"/"false"; anything else as a string.
 * TABLE_RAW is JSON text already (made by PostgreSQL's json functions, never
 * from outside input) and is written as is. In text, numbers are aligned
 * right. */
enum table_type { TABLE_STR, TABLE_NUM, TABLE_BOOL, TABLE_RAW };

/* Row styles: a severity 1..4 (colour on a terminal), or none. */
enum { TABLE_PLAIN = 0 };

struct table_col {
	const char *name; /* the header and the JSON key; borrowed */
	enum table_type type;
	int max_width; /* text only: longer values are cut to this many columns; 0 none */
};

struct table;

/* cols is borrowed (a static array) and must outlive the table. NULL when
 * out of memory. Owned: table_free (NULL ok). */
struct table *
table_new(const struct table_col *cols, int ncols);
void
table_free(struct table *t);

/* Appends a row of ncols values (copied; NULL is SQL/JSON null). Returns the
 * row's index, or -1 when out of memory. */
int
table_add(struct table *t, const char *const *vals);
/* Styles a row (a severity 1..4, or TABLE_PLAIN). */
void
table_style(struct table *t, int row, int style);
size_t
table_rows(const struct table *t);
/* The value of a cell (NULL for null or out of range). */
const char *
table_get(const struct table *t, size_t row, int col);

/* "table", "json" or "csv". Returns 0, or -1 for anything else. */
int
table_format_parse(const char *s, enum table_format *f);

/* Writes the table. TABLE_TEXT: a header, then one line per row, columns
 * two spaces apart, null as "-", control characters as '?', and with colour
 * non-zero each styled row in its severity's ANSI colour. TABLE_JSON: one
 * array of objects, each key a column, valid JSON whatever the bytes (bad
 * UTF-8 becomes U+FFFD) outside TABLE_RAW columns. TABLE_CSV: RFC 4180 quoting, a header row, lines
 * ending in "\n", null as an empty field. Returns 0, or -1 on a write
 * error. */
int
table_write(FILE *out, const struct table *t, enum table_format f, int colour);

/* Display columns of a UTF-8 string on a terminal (East Asian wide
 * characters count 2). */
size_t
table_text_width(const char *s);

#endif
