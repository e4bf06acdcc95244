/* db.c — PostgreSQL access behind db.h: connection, prepared statements,
 * results and transactions (COPY is in db_copy.c). It classifies every
 * failure as RETRY (the connection or server is gone) or FAIL (the statement
 * is wrong), re-prepares statements after a reconnect, and never lets a
 * PGresult escape. It builds no SQL from data: parameters travel apart. */
#include "db_int.h"

#include "log.h"

#include <errno.h> /* also program_invocation_short_name */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DB_BACKOFF_MIN_MS 100
#define DB_SLICE_MS 50

/* A struct db_res is a PGresult under another name: callers cannot reach
 * libpq through it, and no result costs an allocation of its own. */
static const PGresult *
pgres(const struct db_res *r)
{
	return (const PGresult *)r;
}

/* One limiter per kind of complaint: a dead server must not flood the log. */
static struct log_limit lim_connect = LOG_LIMIT(10000);
static struct log_limit lim_exec = LOG_LIMIT(10000);

int
db_sqlstate_retryable(const char *sqlstate)
{
	static const char *const states[] = {
		"57P01", /* admin_shutdown */
		"57P02", /* crash_shutdown */
		"57P03", /* cannot_connect_now (starting up) */
		"40001", /* serialization_failure */
		"40P01", /* deadlock_detected */
	};

	if (!sqlstate)
		return 0;
	if (strncmp(sqlstate, "08", 2) == 0) /* connection_exception */
		return 1;
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (strcmp(sqlstate, states[i]) == 0)
			return 1;
	return 0;
}

void
db_set_err(struct db *db, const char *msg)
{
	char *p = db->err;

	snprintf(db->err, sizeof db->err, "%s", msg && *msg ? msg : "unknown error");
	for (; *p; p++)
		if (strchr("\n\r\t\"", *p))
			*p = *p == '"' ? '\'' : ' ';
	while (p > db->err && p[-1] == ' ')
		*--p = '\0';
}

static void
on_notice(void *arg, const char *msg)
{
	char line[256];

	(void)arg;
	snprintf(line, sizeof line, "%s", msg);
	line[strcspn(line, "\n")] = '\0';
	log_debug("db_notice", "msg=\"%s\"", line);
}

void
db_disconnect(struct db *db)
{
	PQfinish(db->conn);
	db->conn = NULL;
	db->in_copy = 0;
}

enum db_status
db_failure(struct db *db, PGresult *r, const char *stmt)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	enum db_status s;

	db_set_err(db, r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r)
						     : PQerrorMessage(db->conn));
	s = PQstatus(db->conn) != CONNECTION_OK || db_sqlstate_retryable(st) ? DB_RETRY : DB_FAIL;
	log_limited(&lim_exec, LOG_WARN, s == DB_RETRY ? "db_retry" : "db_fail",
		    "stmt=%s sqlstate=%s err=\"%s\"", stmt, st ? st : "-", db->err);
	PQclear(r);
	if (s == DB_RETRY && PQstatus(db->conn) != CONNECTION_OK)
		db_disconnect(db);
	return s;
}

void
db_drain(struct db *db)
{
	PGresult *r;

	while ((r = PQgetResult(db->conn)) != NULL)
		PQclear(r);
}

enum db_status
db_finish(struct db *db, PGresult *r, const char *stmt, struct db_res **res)
{
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	/* A COPY started outside db_copy_begin would leave the connection
	 * unusable: drop it. */
	if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
		PQclear(r);
		db_disconnect(db);
		db_set_err(db, "COPY must go through db_copy_begin");
		return DB_FAIL;
	}
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return db_failure(db, r, stmt);
	if (res)
		*res = (struct db_res *)r;
	else
		PQclear(r);
	return DB_OK;
}

enum db_status
db_ready(struct db *db)
{
	if (!db_connected(db)) {
		db_set_err(db, "not connected");
		return DB_RETRY;
	}
	if (db->in_copy) {
		db_set_err(db, "a COPY is in progress");
		return DB_FAIL;
	}
	return DB_OK;
}

/* One parameterised statement: ad hoc (name NULL) or prepared. */
static enum db_status
run(struct db *db, const char *name, const char *sql, int nparams, const char *const *params,
    struct db_res **res)
{
	enum db_status s = db_ready(db);

	if (res)
		*res = NULL;
	if (s != DB_OK)
		return s;
	if (name)
		return db_finish(db, PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0),
				 name, res);
	return db_finish(db, PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0),
			 "sql", res);
}

struct db *
db_new(const char *conninfo)
{
	struct db *db = xcalloc(1, sizeof *db);
	const char *env = getenv("FM_DB_CONNINFO");

	if (conninfo && *conninfo)
		db->conninfo = xstrdup(conninfo);
	else if (env && *env)
		db->conninfo = xstrdup(env);
	db->app_name =
		xstrdup(*program_invocation_short_name ? program_invocation_short_name : "fm");
	db_set_err(db, "not connected");
	return db;
}

void
db_free(struct db *db)
{
	if (!db)
		return;
	db_disconnect(db);
	for (size_t i = 0; i < db->nstmts; i++) {
		free(db->stmts[i].name);
		free(db->stmts[i].sql);
	}
	free(db->stmts);
	free(db->conninfo);
	free(db->app_name);
	free(db->line);
	free(db);
}

void
db_set_application_name(struct db *db, const char *name)
{
	free(db->app_name);
	db->app_name = xstrdup(name && *name ? name : "fm");
}

void
db_set_connect_timeout_ms(struct db *db, long long timeout_ms)
{
	db->connect_timeout_ms = timeout_ms > 0 ? timeout_ms : 0;
}

static enum db_status
prepare_one(struct db *db, const char *name, const char *sql, int nparams)
{
	return db_finish(db, PQprepare(db->conn, name, sql, nparams, NULL), name, NULL);
}

enum db_status
db_connect(struct db *db)
{
	/* Our defaults come before "dbname", which libpq expands from the
	 * conninfo: what the operator wrote there wins. Keepalives notice a
	 * server that vanished without closing the connection. */
	const char *keys[8], *vals[8];
	char timeout_s[24];
	int n = 0;

	if (db_connected(db))
		return DB_OK;
	db_disconnect(db);
	keys[n] = "fallback_application_name", vals[n++] = db->app_name;
	keys[n] = "keepalives_idle", vals[n++] = "30";
	keys[n] = "keepalives_interval", vals[n++] = "10";
	keys[n] = "keepalives_count", vals[n++] = "3";
	if (db->connect_timeout_ms > 0) {
		long long s = (db->connect_timeout_ms + 999) / 1000;

		snprintf(timeout_s, sizeof timeout_s, "%lld", s < 2 ? 2 : s);
		keys[n] = "connect_timeout", vals[n++] = timeout_s;
	}
	if (db->conninfo)
		keys[n] = "dbname", vals[n++] = db->conninfo;
	keys[n] = NULL, vals[n] = NULL;

	db->conn = PQconnectdbParams(keys, vals, 1);
	if (!db->conn)
		fatal("out of memory");
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db_set_err(db, PQerrorMessage(db->conn));
		log_limited(&lim_connect, LOG_WARN, "db_connect_failed", "err=\"%s\"", db->err);
		db_disconnect(db);
		return DB_RETRY;
	}
	PQsetNoticeProcessor(db->conn, on_notice, NULL);
	for (size_t i = 0; i < db->nstmts; i++) {
		enum db_status s =
			prepare_one(db, db->stmts[i].name, db->stmts[i].sql, db->stmts[i].nparams);

		if (s != DB_OK) {
			db_disconnect(db);
			return s;
		}
	}
	log_info("db_connected", "server_version=%d statements=%zu", PQserverVersion(db->conn),
		 db->nstmts);
	return DB_OK;
}

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps in short slices so that a daemon asked to stop is never held up by
 * a server that is down. */
enum db_status
db_connect_retry(struct db *db, long long total_ms, long long max_backoff_ms, volatile int *stop)
{
	long long start = mono_ms(), backoff = DB_BACKOFF_MIN_MS, deadline;
	enum db_status s;

	if (max_backoff_ms < DB_BACKOFF_MIN_MS)
		max_backoff_ms = DB_BACKOFF_MIN_MS;
	while ((s = db_connect(db)) == DB_RETRY) {
		deadline = mono_ms() + backoff;
		if (total_ms >= 0 && deadline > start + total_ms)
			deadline = start + total_ms;
		for (long long now = mono_ms(); now < deadline; now = mono_ms()) {
			long long slice =
				deadline - now < DB_SLICE_MS ? deadline - now : DB_SLICE_MS;
			struct timespec ts = {0, slice * 1000000L};

			if (stop && *stop)
				return DB_RETRY;
			while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
				;
		}
		if ((stop && *stop) || (total_ms >= 0 && mono_ms() - start >= total_ms))
			return DB_RETRY;
		backoff = backoff * 2 > max_backoff_ms ? max_backoff_ms : backoff * 2;
	}
	return s;
}

int
db_connected(const struct db *db)
{
	return db->conn && PQstatus(db->conn) == CONNECTION_OK;
}

const char *
db_error(const struct db *db)
{
	return db->err;
}

enum db_status
db_prepare(struct db *db, const char *name, const char *sql, int nparams)
{
	struct db_stmt *s;
	enum db_status st = DB_OK;

	for (size_t i = 0; i < db->nstmts; i++) {
		if (strcmp(db->stmts[i].name, name) == 0) {
			db_set_err(db, "statement name already registered");
			log_error("db_prepare_duplicate", "stmt=%s", name);
			return DB_FAIL;
		}
	}
	if (nparams < 0) {
		db_set_err(db, "negative parameter count");
		return DB_FAIL;
	}
	if (db_connected(db) && !db->in_copy &&
	    (st = prepare_one(db, name, sql, nparams)) == DB_FAIL)
		return st;
	db->stmts = xgrow(db->stmts, &db->stmts_cap, db->nstmts, sizeof *db->stmts, 8);
	s = &db->stmts[db->nstmts++];
	s->name = xstrdup(name);
	s->sql = xstrdup(sql);
	s->nparams = nparams;
	return st;
}

enum db_status
db_exec(struct db *db, const char *sql, int nparams, const char *const *params, struct db_res **res)
{
	return run(db, NULL, sql, nparams, params, res);
}

enum db_status
db_exec_prepared(struct db *db, const char *name, int nparams, const char *const *params,
		 struct db_res **res)
{
	return run(db, name, NULL, nparams, params, res);
}

enum db_status
db_exec_script(struct db *db, const char *sql)
{
	enum db_status s = db_ready(db);

	if (s != DB_OK)
		return s;
	/* The one place for PQexec: only it accepts several statements. */
	return db_finish(db, PQexec(db->conn, sql), "script", NULL);
}

size_t
db_res_rows(const struct db_res *r)
{
	return (size_t)PQntuples(pgres(r));
}

int
db_res_cols(const struct db_res *r)
{
	return PQnfields(pgres(r));
}

const char *
db_res_get(const struct db_res *r, size_t row, int col)
{
	if (row >= (size_t)PQntuples(pgres(r)) || col < 0 || col >= PQnfields(pgres(r)) ||
	    PQgetisnull(pgres(r), (int)row, col))
		return NULL;
	return PQgetvalue(pgres(r), (int)row, col);
}

long long
db_res_affected(const struct db_res *r)
{
	return strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

void
db_res_free(struct db_res *r)
{
	PQclear((PGresult *)r); /* NULL is a no-op */
}

enum db_status
db_begin(struct db *db)
{
	return run(db, NULL, "BEGIN", 0, NULL, NULL);
}

enum db_status
db_commit(struct db *db)
{
	struct db_res *r;
	enum db_status s = run(db, NULL, "COMMIT", 0, NULL, &r);

	if (s != DB_OK)
		return s;
	/* COMMIT of a transaction that already failed succeeds as ROLLBACK:
	 * the caller must learn that nothing was stored. */
	if (strcmp(PQcmdStatus((PGresult *)r), "ROLLBACK") == 0) {
		db_set_err(db, "transaction was aborted earlier and has been rolled back");
		s = DB_FAIL;
	}
	db_res_free(r);
	return s;
}

enum db_status
db_rollback(struct db *db)
{
	if (db->in_copy)
		db_copy_abort(db, "rolled back");
	return run(db, NULL, "ROLLBACK", 0, NULL, NULL);
}
