/* table.c — the listing formatter of table.h: text, JSON and CSV. Pure:
 * it writes only to the stream it is given and never reads a clock or the
 * environment (whether to colour is the caller's decision). Values come
 * from outside (database rows, payloads people and devices sent), so the
 * text form neutralises control characters (no terminal escapes from a
 * message field) and the JSON form is valid whatever the bytes. */
#include "table.h"
#include "pgtext.h"

#include <stdlib.h>
#include <string.h>

#define TABLE_GAP "  "

struct table {
	const struct table_col *cols;
	int ncols;
	size_t nrows, cap;
	char **cells; /* nrows * ncols, NULL for null */
	int *styles;
};

static const char *const style_colours[] = {
	"", "\033[1;31m", "\033[31m", "\033[33m", "\033[36m",
};

struct table *
table_new(const struct table_col *cols, int ncols)
{
	struct table *t = calloc(1, sizeof *t);

	if (t) {
		t->cols = cols;
		t->ncols = ncols;
	}
	return t;
}

void
table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->styles);
	free(t);
}

static int
grow(struct table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 16;
	char **cells = realloc(t->cells, cap * (size_t)t->ncols * sizeof *cells);
	int *styles;

	if (!cells)
		return -1;
	t->cells = cells;
	styles = realloc(t->styles, cap * sizeof *styles);
	if (!styles)
		return -1;
	t->styles = styles;
	t->cap = cap;
	return 0;
}

int
table_add(struct table *t, const char *const *vals)
{
	char **row;

	if (t->nrows == t->cap && grow(t) < 0)
		return -1;
	row = t->cells + t->nrows * (size_t)t->ncols;
	for (int c = 0; c < t->ncols; c++) {
		row[c] = vals[c] ? strdup(vals[c]) : NULL;
		if (vals[c] && !row[c]) {
			while (c-- > 0)
				free(row[c]);
			return -1;
		}
	}
	t->styles[t->nrows] = TABLE_PLAIN;
	return (int)t->nrows++;
}

void
table_style(struct table *t, int row, int style)
{
	if (row >= 0 && (size_t)row < t->nrows)
		t->styles[row] = style >= 1 && style <= 4 ? style : TABLE_PLAIN;
}

size_t
table_rows(const struct table *t)
{
	return t->nrows;
}

const char *
table_get(const struct table *t, size_t row, int col)
{
	if (row >= t->nrows || col < 0 || col >= t->ncols)
		return NULL;
	return t->cells[row * (size_t)t->ncols + (size_t)col];
}

int
table_format_parse(const char *s, enum table_format *f)
{
	static const char *const names[] = {"table", "json", "csv"};

	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum table_format)i;
			return 0;
		}
	return -1;
}

/* Decodes one UTF-8 sequence at s: its length, *cp the code point; a byte
 * that starts no valid sequence is length 1 with *cp -1. */
static size_t
utf8_next(const unsigned char *s, long *cp)
{
	size_t n = s[0] < 0x80                    ? 1
		   : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
		   : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
		   : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
						  : 0;
	long v = n == 1 ? s[0] : n == 2 ? s[0] & 0x1F : n == 3 ? s[0] & 0x0F : s[0] & 0x07;

	if (n == 0) {
		*cp = -1;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF are not UTF-8 */
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return n;
}

static int
wide(long cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t
table_text_width(const char *s)
{
	size_t w = 0;
	long cp;

	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		p += utf8_next(p, &cp);
		w += wide(cp) ? 2 : 1;
	}
	return w;
}

/* Writes s for a terminal, at most max columns (0: all), control
 * characters and bad bytes as '?'. Returns the columns written; out NULL
 * only measures. */
static size_t
put_text(FILE *out, const char *s, size_t max)
{
	size_t w = 0, n, cw;
	long cp;

	for (const unsigned char *p = (const unsigned char *)s; *p; p += n) {
		n = utf8_next(p, &cp);
		cw = wide(cp) ? 2 : 1;
		if (max && w + cw > max)
			break;
		if (out && (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)))
			fputc('?', out);
		else if (out)
			fwrite(p, 1, n, out);
		w += cw;
	}
	return w;
}

static size_t
cell_width(const struct table *t, const char *v, int c)
{
	return put_text(NULL, v ? v : "-", (size_t)t->cols[c].max_width);
}

static void
write_text(FILE *out, const struct table *t, int colour)
{
	size_t *w = calloc((size_t)t->ncols, sizeof *w);

	if (!w)
		return;
	for (int c = 0; c < t->ncols; c++) {
		w[c] = table_text_width(t->cols[c].name);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t cw = cell_width(t, table_get(t, r, c), c);

			w[c] = cw > w[c] ? cw : w[c];
		}
	}
	for (long r = -1; r < (long)t->nrows; r++) {
		int style = r >= 0 ? t->styles[r] : TABLE_PLAIN;

		if (colour && style != TABLE_PLAIN)
			fputs(style_colours[style], out);
		for (int c = 0; c < t->ncols; c++) {
			const char *v = r < 0 ? t->cols[c].name : table_get(t, (size_t)r, c);
			size_t vw = cell_width(t, v, c);
			int right = t->cols[c].type == TABLE_NUM;
			int last = c == t->ncols - 1;

			if (c > 0)
				fputs(TABLE_GAP, out);
			if (right)
				fprintf(out, "%*s", (int)(w[c] - vw), "");
			put_text(out, v ? v : "-", (size_t)t->cols[c].max_width);
			if (!right && !last)
				fprintf(out, "%*s", (int)(w[c] - vw), "");
		}
		if (colour && style != TABLE_PLAIN)
			fputs("\033[0m", out);
		fputc('\n', out);
	}
	free(w);
}

/* A JSON string: quotes, escapes, and U+FFFD for bytes that are not UTF-8. */
static void
put_json_string(FILE *out, const char *s)
{
	size_t n;
	long cp;

	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p += n) {
		n = utf8_next(p, &cp);
		if (cp < 0)
			fputs("\\ufffd", out);
		else if (cp == '"' || cp == '\\')
			fprintf(out, "\\%c", (int)cp);
		else if (cp < 0x20 || cp == 0x7F)
			fprintf(out, "\\u%04x", (unsigned)cp);
		else
			fwrite(p, 1, n, out);
	}
	fputc('"', out);
}

static void
put_json_value(FILE *out, const char *v, enum table_type type)
{
	if (!v)
		fputs("null", out);
	else if (type == TABLE_RAW)
		fputs(v, out);
	else if (type == TABLE_NUM && pgtext_is_json_number(v))
		fputs(v, out);
	else if (type == TABLE_BOOL && (strcmp(v, "t") == 0 || strcmp(v, "true") == 0))
		fputs("true", out);
	else if (type == TABLE_BOOL && (strcmp(v, "f") == 0 || strcmp(v, "false") == 0))
		fputs("false", out);
	else
		put_json_string(out, v);
}

static void
write_json(FILE *out, const struct table *t)
{
	fputc('[', out);
	for (size_t r = 0; r < t->nrows; r++) {
		fputs(r ? ",\n{" : "\n{", out);
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', out);
			put_json_string(out, t->cols[c].name);
			fputc(':', out);
			put_json_value(out, table_get(t, r, c), t->cols[c].type);
		}
		fputc('}', out);
	}
	fputs(t->nrows ? "\n]\n" : "]\n", out);
}

static void
put_csv(FILE *out, const char *v)
{
	size_t n = v ? strlen(v) : 0;

	if (!v)
		return;
	if (strpbrk(v, ",\"\r\n") == NULL && (n == 0 || (v[0] != ' ' && v[n - 1] != ' '))) {
		fputs(v, out);
		return;
	}
	fputc('"', out);
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

static void
write_csv(FILE *out, const struct table *t)
{
	for (long r = -1; r < (long)t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', out);
			put_csv(out, r < 0 ? t->cols[c].name : table_get(t, (size_t)r, c));
		}
		fputc('\n', out);
	}
}

int
table_write(FILE *out, const struct table *t, enum table_format f, int colour)
{
	if (f == TABLE_JSON)
		write_json(out, t);
	else if (f == TABLE_CSV)
		write_csv(out, t);
	else
		write_text(out, t, colour);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
