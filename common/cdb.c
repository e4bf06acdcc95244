/* cdb.c — reading configuration tables from PostgreSQL (what fmctl apply
 * wrote): the decoding the table readers share — column tables, numbers and
 * text arrays from their text form — and reg_db_load, the registry in its
 * own read-only snapshot. No SQL here is built at run time, and a row this
 * build cannot take fails the load rather than being cut or guessed, so a
 * bad configuration never half-replaces a good one. */
#include "cdb.h"
#include "log.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cdb_fail(struct cdb *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errcap, fmt, ap);
	va_end(ap);
	/* libpq's messages end in (and may hold) newlines; the reason is one line. */
	for (char *p = c->err; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	for (size_t n = strlen(c->err); n > 0 && c->err[n - 1] == ' ';)
		c->err[--n] = '\0';
	return -1;
}

int
cdb_query(struct cdb *c, const char *what, const char *sql, struct db_res **res)
{
	if (db_exec(c->db, sql, 0, NULL, res) != DB_OK)
		return cdb_fail(c, "%s: %s", what, db_error(c->db));
	return 0;
}

/* ---- text arrays ---------------------------------------------------------- */

/* One element at *p (quoted or not) into buf; *p is left after it. */
static int
list_element(const char **p, char *buf)
{
	const char *s = *p;
	size_t n = 0;

	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			buf[n++] = *s;
		}
		if (*s != '"')
			return -1;
		s++;
	} else {
		for (; *s && *s != ',' && *s != '}' && *s != '{' && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			buf[n++] = *s;
		}
		buf[n] = '\0';
		/* An unquoted NULL is SQL NULL; an empty unquoted one is malformed. */
		if (n == 0 || strcmp(buf, "NULL") == 0)
			return -1;
	}
	buf[n] = '\0';
	*p = s;
	return 0;
}

int
cdb_parse_list(const char *text, size_t max, struct cfg_strlist *out)
{
	size_t cap = 1;
	const char *p = text;
	char *buf;

	memset(out, 0, sizeof *out);
	if (!text)
		return 0;
	if (*p++ != '{')
		return -1;
	if (strcmp(p, "}") == 0)
		return 0;
	for (const char *q = p; *q; q++)
		cap += *q == ',';
	buf = xmalloc(strlen(text) + 1);
	out->v = xcalloc(cap, sizeof *out->v);
	out->line = xcalloc(cap, sizeof *out->line);
	for (;;) {
		if (out->n == max || list_element(&p, buf) < 0)
			break;
		out->v[out->n++] = xstrdup(buf);
		if (*p == ',') {
			p++;
			continue;
		}
		if (strcmp(p, "}") == 0) {
			free(buf);
			return 0;
		}
		break;
	}
	free(buf);
	cfg_strlist_free(out);
	return -1;
}

/* ---- rows ------------------------------------------------------------------ */

static int
parse_ll(const char *s, long long lo, long long hi, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return end == s || *end || errno || *out < lo || *out > hi ? -1 : 0;
}

/* One field; s is not NULL. 0 or -1 (the caller says which column). */
static int
decode(const struct cdb_col *col, const char *s, char *field)
{
	long long ll;
	double d;
	char *end;
	int i;

	switch (col->type) {
	case CDB_STR:
		if (strlen(s) >= col->size)
			return -1;
		memcpy(field, s, strlen(s) + 1);
		return 0;
	case CDB_INT:
		if (parse_ll(s, INT_MIN, INT_MAX, &ll) < 0)
			return -1;
		i = (int)ll;
		memcpy(field, &i, sizeof i);
		return 0;
	case CDB_LLONG:
		if (parse_ll(s, LLONG_MIN, LLONG_MAX, &ll) < 0)
			return -1;
		memcpy(field, &ll, sizeof ll);
		return 0;
	case CDB_ULLONG: {
		unsigned long long u;

		errno = 0;
		u = strtoull(s, &end, 10);
		if (end == s || *end || errno || *s == '-')
			return -1;
		memcpy(field, &u, sizeof u);
		return 0;
	}
	case CDB_DOUBLE:
		d = strtod(s, &end);
		if (end == s || *end || !isfinite(d))
			return -1;
		memcpy(field, &d, sizeof d);
		return 0;
	case CDB_BOOL:
		if (strcmp(s, "t") != 0 && strcmp(s, "f") != 0)
			return -1;
		i = s[0] == 't';
		memcpy(field, &i, sizeof i);
		return 0;
	case CDB_ENUM:
		i = reg_name_index(col->names, s);
		if (i < 0)
			return -1;
		memcpy(field, &i, sizeof i);
		return 0;
	case CDB_LIST:
		return cdb_parse_list(s, col->size, (struct cfg_strlist *)(void *)field);
	}
	return -1;
}

int
cdb_row(struct cdb *c, const char *what, const struct db_res *r, size_t row, int first,
	const struct cdb_col *cols, int ncols, void *rec)
{
	for (int i = 0; i < ncols; i++) {
		const char *s = db_res_get(r, row, first + i);

		/* Absent values are zero, which the caller's zeroed record holds. */
		if (!s)
			continue;
		if (decode(&cols[i], s, (char *)rec + cols[i].off) < 0)
			return cdb_fail(c, "%s %.64s: column %s: cannot take '%.80s'", what,
					db_res_get(r, row, 0) ? db_res_get(r, row, 0) : "?",
					cols[i].name, s);
	}
	return 0;
}

/* ---- the registry alone ------------------------------------------------- */

int
reg_db_load(struct db *db, struct reg *reg, char *err, size_t errcap)
{
	struct cdb c = {db, err, errcap};
	int rc = -1;

	memset(reg, 0, sizeof *reg);
	err[0] = '\0';
	if (db_connect(db) != DB_OK)
		return cdb_fail(&c, "cannot connect: %s", db_error(db));
	if (db_begin(db) != DB_OK)
		return cdb_fail(&c, "begin: %s", db_error(db));
	if (cdb_query(&c, "snapshot", CDB_SNAPSHOT, NULL) == 0 && cdb_load_reg(&c, reg, 1) == 0)
		rc = db_commit(db) == DB_OK ? 0 : cdb_fail(&c, "commit: %s", db_error(db));
	if (rc == 0)
		return 0;
	db_rollback(db);
	reg_free(reg);
	return -1;
}
