/* db_int.h — what db.c and db_copy.c share: the handle and the helpers
 * that turn libpq results into a status. Not part of the db API. It names
 * libpq's types only by their struct tags, so that libpq-fe.h stays inside
 * the db*.c files. */
#ifndef FM_DB_INT_H
#define FM_DB_INT_H

#include "db.h"

#include <stddef.h>

struct pg_conn;
struct pg_result;

struct db_stmt {
	char *name;
	char *sql;
	int nparams;
};

struct db {
	struct pg_conn *conn;
	char *conninfo; /* NULL: libpq's PG* variables alone */
	char *app_name;
	long long connect_timeout_ms;
	struct db_stmt *stmts;
	size_t nstmts, stmts_cap;
	int in_copy;
	char *line; /* one escaped COPY row */
	size_t line_cap;
	char err[512];
};

/* Records msg as the last error, on one line (logs are one line). */
void
db_set_err(struct db *db, const char *msg);
/* Closes the connection (if any); a COPY in progress is gone with it. */
void
db_disconnect(struct db *db);
/* The gate of every statement: DB_RETRY when not connected, DB_FAIL while a
 * COPY is open, else DB_OK. */
enum db_status
db_ready(struct db *db);
/* Classifies a failed result, records and logs the error, and frees r.
 * r NULL: libpq could not send or receive (the connection's error applies).
 * A lost connection is closed. */
enum db_status
db_failure(struct db *db, struct pg_result *r, const char *stmt);
/* Turns the result of a statement into a status; on DB_OK hands the rows to
 * *res when res is non-NULL, else frees them. */
enum db_status
db_finish(struct db *db, struct pg_result *r, const char *stmt, struct db_res **res);
/* Discards what is left of a statement's results. */
void
db_drain(struct db *db);

#endif
