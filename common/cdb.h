/* cdb.h — reading configuration back from PostgreSQL, where fmctl apply
 * stored it (daemons never read config/ themselves): the context of one load
 * (its connection and its error), declarative column tables that decode a
 * result row into a record the way config.h's field tables bind a YAML
 * mapping, the registry reader, and reg_db_load for a daemon that needs only
 * the registry. Table readers of one daemon (alertd's rules) build on it. */
#ifndef FM_CDB_H
#define FM_CDB_H

#include "config.h"
#include "db.h"
#include "registry.h"

/* One consistent snapshot for a load: fmctl apply writes a configuration in
 * one transaction, and one read-only transaction reads it. */
#define CDB_SNAPSHOT "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"

#include <stddef.h>

struct cdb {
	struct db *db;
	char *err; /* the first failure, one line */
	size_t errcap;
};

/* Writes the reason into c->err (the first one wins) and returns -1. */
int
cdb_fail(struct cdb *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs a constant query (no parameters: nothing in it comes from outside).
 * Returns 0 with *res owned by the caller, or -1 (reason: what, and the
 * server's message). */
int
cdb_query(struct cdb *c, const char *what, const char *sql, struct db_res **res);

/* How a column's text becomes a field. SQL NULL is "" for strings, 0 for
 * numbers, an empty list, and index 0 for an enumeration. */
enum cdb_type {
	CDB_STR,    /* char[size]; longer text is a bad row, never cut */
	CDB_INT,    /* int */
	CDB_LLONG,  /* long long */
	CDB_ULLONG, /* unsigned long long (a bitmask) */
	CDB_DOUBLE, /* double, finite */
	CDB_BOOL,   /* int 0/1 from t/f */
	CDB_ENUM,   /* int index into names[] (NULL-terminated); unknown: bad row */
	CDB_LIST,   /* struct cfg_strlist from a text[]; at most size items */
};

struct cdb_col {
	const char *name; /* for messages */
	enum cdb_type type;
	size_t off, size;
	const char *const *names;
};

#define CDB_STR_COL(T, f)                                                                          \
	{                                                                                          \
#f, CDB_STR, offsetof(T, f), sizeof(((T *)0)->f), NULL                             \
	}
#define CDB_NUM_COL(T, f, type)                                                                    \
	{                                                                                          \
#f, type, offsetof(T, f), 0, NULL                                                  \
	}
#define CDB_ENUM_COL(T, f, names)                                                                  \
	{                                                                                          \
#f, CDB_ENUM, offsetof(T, f), 0, names                                             \
	}
#define CDB_LIST_COL(T, f, max)                                                                    \
	{                                                                                          \
#f, CDB_LIST, offsetof(T, f), max, NULL                                            \
	}

/* Decodes columns first .. first + ncols - 1 of row into rec with cols[0 ..
 * ncols - 1]. On -1 (reason: table, row, column) the lists already decoded
 * into rec are still rec's to free. */
int
cdb_row(struct cdb *c, const char *what, const struct db_res *r, size_t row, int first,
	const struct cdb_col *cols, int ncols, void *rec);

/* A text[] in PostgreSQL's output form ({a,"b c"}) into out (replacing
 * nothing: out must be empty). NULL elements, nested arrays and more than
 * max items are refused. Returns 0, or -1 with out empty. */
int
cdb_parse_list(const char *text, size_t max, struct cfg_strlist *out);

/* The registry's tables into reg (zeroed by the caller); devices and their
 * feeds only when with_devices (alertd keeps them in a devtab instead). 0
 * or -1; reg is reg_free'able either way. */
int
cdb_load_reg(struct cdb *c, struct reg *reg, int with_devices);
/* The registry in its own read-only snapshot (connecting db if needed), for
 * a daemon that needs nothing else with it. Returns 0 with reg filled
 * (reg_free), or -1 with a one-line reason in err and reg empty. */
int
reg_db_load(struct db *db, struct reg *reg, char *err, size_t errcap);

#endif
