/* db_copy.c — COPY ... FROM STDIN in text format behind db.h: rows are
 * escaped by db_copy_line and streamed with PQputCopyData; the server's
 * verdict comes at the end. While a COPY is open nothing else may run on the
 * connection, so every other entry point refuses until it is ended. */
#include "db_int.h"

#include "log.h" /* xmalloc */

#include <libpq-fe.h>
#include <limits.h>
#include <stdlib.h>

enum db_status
db_copy_begin(struct db *db, const char *copy_sql)
{
	enum db_status s = db_ready(db);
	PGresult *r;

	if (s != DB_OK)
		return s;
	r = PQexecParams(db->conn, copy_sql, 0, NULL, NULL, NULL, NULL, 0);
	if (r && PQresultStatus(r) == PGRES_COPY_IN) {
		PQclear(r);
		db->in_copy = 1;
		return DB_OK;
	}
	if (r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)) {
		PQclear(r);
		db_set_err(db, "not a COPY ... FROM STDIN statement");
		return DB_FAIL;
	}
	return db_finish(db, r, "copy", NULL);
}

/* The gate of db_copy_row and db_copy_end: connected and inside a COPY. */
static enum db_status
copy_ready(struct db *db)
{
	if (!db_connected(db)) {
		db_set_err(db, "not connected");
		return DB_RETRY;
	}
	if (!db->in_copy) {
		db_set_err(db, "no COPY in progress");
		return DB_FAIL;
	}
	return DB_OK;
}

enum db_status
db_copy_row(struct db *db, int nfields, const char *const *fields)
{
	enum db_status s = copy_ready(db);
	size_t len;

	if (s != DB_OK)
		return s;
	len = db_copy_line(NULL, 0, nfields, fields);
	if (nfields < 1 || len >= INT_MAX) {
		db_set_err(db, "a COPY row needs 1 field or more and less than 2 GiB");
		return DB_FAIL;
	}
	if (len >= db->line_cap) {
		free(db->line);
		db->line_cap = len + 1;
		db->line = xmalloc(db->line_cap);
	}
	db_copy_line(db->line, db->line_cap, nfields, fields);
	if (PQputCopyData(db->conn, db->line, (int)len) != 1)
		return db_failure(db, NULL, "copy");
	return DB_OK;
}

enum db_status
db_copy_data(struct db *db, const char *data, size_t len)
{
	enum db_status s = copy_ready(db);

	if (s != DB_OK)
		return s;
	while (len > 0) {
		/* libpq takes an int; send large buffers in 1 MiB pieces */
		int n = len > (1u << 20) ? (1 << 20) : (int)len;

		if (PQputCopyData(db->conn, data, n) != 1)
			return db_failure(db, NULL, "copy");
		data += n;
		len -= (size_t)n;
	}
	return DB_OK;
}

/* Ends the COPY with errmsg (NULL: success) and collects its result. */
static enum db_status
copy_finish(struct db *db, const char *errmsg)
{
	PGresult *r;
	enum db_status s = copy_ready(db);

	if (s != DB_OK)
		return s;
	db->in_copy = 0;
	if (PQputCopyEnd(db->conn, errmsg) != 1)
		return db_failure(db, NULL, "copy");
	r = PQgetResult(db->conn);
	if (errmsg) {
		/* The server answers an abandoned COPY with an error, as asked. */
		PQclear(r);
		db_drain(db);
		return db_connected(db) ? DB_OK : DB_RETRY;
	}
	s = db_finish(db, r, "copy", NULL);
	if (db->conn)
		db_drain(db);
	return s;
}

enum db_status
db_copy_end(struct db *db)
{
	return copy_finish(db, NULL);
}

enum db_status
db_copy_abort(struct db *db, const char *reason)
{
	return copy_finish(db, reason && *reason ? reason : "aborted by client");
}
