/* db.h — PostgreSQL access: the only user of libpq. Services see struct db and
 * struct db_res, never a PGconn or PGresult. Every statement is parameterised
 * or a COPY with escaped fields; no SQL is built from message text.
 * Not thread-safe: one struct db per thread. */
#ifndef FM_DB_H
#define FM_DB_H

#include <stddef.h>

/* The schema version this build of the code expects (latest migration). */
#define DB_SCHEMA_VERSION_MIN 6

enum db_status {
	DB_OK = 0,
	DB_RETRY = -1, /* connection lost or server unavailable: reconnect and retry */
	DB_FAIL = -2,  /* the statement failed (constraint, syntax): do not retry as is */
};

struct db;
struct db_res;

/* Creates a handle; does not connect. conninfo NULL or "": FM_DB_CONNINFO,
 * then libpq's PG* variables. Owned by the caller: db_free (NULL is a no-op). */
struct db *
db_new(const char *conninfo);
void
db_free(struct db *db);

/* Sent as fallback_application_name (the conninfo or PGAPPNAME win); default:
 * the program's name, else "fm". The string is copied. Takes effect at the
 * next connect. */
void
db_set_application_name(struct db *db, const char *name);
/* Bounds each connection attempt (libpq's connect_timeout, whole seconds,
 * rounded up, at least 2); 0: libpq's default (wait for the OS). A
 * connect_timeout in the conninfo wins. Takes effect at the next connect. */
void
db_set_connect_timeout_ms(struct db *db, long long timeout_ms);

/* Connects (or reconnects after a loss) and re-prepares every statement
 * registered with db_prepare; does nothing when already connected. Returns
 * DB_OK, DB_RETRY (server unreachable; logged rate-limited), or DB_FAIL when
 * a registered statement no longer prepares (the schema does not match:
 * retrying will not help). */
enum db_status
db_connect(struct db *db);
/* Connects, retrying with back-off (100 ms doubling to max_backoff_ms) until
 * connected or *stop becomes non-zero (stop may be NULL) or total_ms elapses
 * (total_ms < 0: forever). DB_FAIL from db_connect ends the wait at once. */
enum db_status
db_connect_retry(struct db *db, long long total_ms, long long max_backoff_ms, volatile int *stop);
int
db_connected(const struct db *db);
/* The last error message (never NULL). */
const char *
db_error(const struct db *db);
/* Whether a statement that failed with this SQLSTATE may succeed when
 * retried as is (what makes a failure DB_RETRY besides a lost connection):
 * connection exceptions (class 08), the server shutting down or starting up
 * (57P01, 57P02, 57P03), serialization failures and deadlocks (40001,
 * 40P01). NULL: no. Pure. */
int
db_sqlstate_retryable(const char *sqlstate);

/* Registers and prepares a named statement; it is prepared again after every
 * reconnect. nparams: number of $n parameters (text format). When not
 * connected the statement is only registered (DB_OK) and prepared by the next
 * db_connect. A name registered twice, or SQL the server rejects, is DB_FAIL
 * and leaves nothing registered. */
enum db_status
db_prepare(struct db *db, const char *name, const char *sql, int nparams);

/* Runs one statement with text params (NULL entries are SQL NULL):
 * db_exec the sql given, db_exec_prepared a statement registered with
 * db_prepare. On DB_OK and a non-NULL res, *res receives the rows (owned by
 * the caller: db_res_free); otherwise *res is NULL. A failed statement
 * inside a transaction dooms it: roll back. */
enum db_status
db_exec(struct db *db, const char *sql, int nparams, const char *const *params,
	struct db_res **res);
enum db_status
db_exec_prepared(struct db *db, const char *name, int nparams, const char *const *params,
		 struct db_res **res);
/* Runs a script of several statements with no parameters (migrations). In a
 * transaction opened with db_begin it runs inside it; otherwise the server
 * runs the whole script as one implicit transaction. */
enum db_status
db_exec_script(struct db *db, const char *sql);

size_t
db_res_rows(const struct db_res *r);
int
db_res_cols(const struct db_res *r);
/* Text of a field, or NULL for SQL NULL. Valid until db_res_free. */
const char *
db_res_get(const struct db_res *r, size_t row, int col);
/* Rows affected by the command (INSERT/UPDATE/DELETE), 0 otherwise. */
long long
db_res_affected(const struct db_res *r);
void
db_res_free(struct db_res *r);

enum db_status
db_begin(struct db *db);
enum db_status
db_commit(struct db *db);
enum db_status
db_rollback(struct db *db);

/* COPY ... FROM STDIN in text format. db_copy_row escapes each field
 * (NULL entries are written as \N). db_copy_end finishes and reports the result.
 * While a COPY is open the connection runs nothing else (db_exec is DB_FAIL);
 * db_rollback aborts an open COPY first. Rows reach the server as they are
 * written, but a bad row is only reported by db_copy_end. */
enum db_status
db_copy_begin(struct db *db, const char *copy_sql);
enum db_status
db_copy_row(struct db *db, int nfields, const char *const *fields);
enum db_status
db_copy_end(struct db *db);
/* Sends rows that are already in COPY text format (every field escaped with
 * db_copy_escape, tab-separated, each row ending in a newline). For bulk
 * writers that prepare rows elsewhere (ingestd's spool records). */
enum db_status
db_copy_data(struct db *db, const char *data, size_t len);
/* Abandons an open COPY: the server discards the rows and fails the COPY
 * (and so the enclosing transaction, which the caller must roll back).
 * reason is shown in the server's log. DB_OK when the server acknowledged. */
enum db_status
db_copy_abort(struct db *db, const char *reason);

/* Escapes src for COPY text format into dst (cap bytes, always terminated
 * when cap > 0; dst may be NULL when cap is 0 to measure). Backslash, tab,
 * newline, carriage return and other control bytes (0x01-0x1f, 0x7f) become
 * escapes (\b \f \v or \ooo octal); bytes >= 0x80 pass unchanged, so UTF-8
 * is preserved. src NULL is written as \N (SQL NULL). Returns the length the
 * escaped text needs (excluding the NUL); if >= cap the output was truncated,
 * never in the middle of an escape. At most 4 * strlen(src) bytes. Pure. */
size_t
db_copy_escape(char *dst, size_t cap, const char *src);
/* Formats one COPY text-format row: the escaped fields separated by tabs and
 * ended by a newline, into dst like db_copy_escape (dst may be NULL when
 * cap is 0). Returns the length the row needs (excluding the NUL); if >= cap
 * the row was truncated after its last whole field and must not be sent.
 * Pure. */
size_t
db_copy_line(char *dst, size_t cap, int nfields, const char *const *fields);

/* Highest applied migration version from schema_migrations, 0 when none, or
 * -1 on error. */
int
db_schema_version(struct db *db);
/* Returns 0 when the schema is at least min_version; otherwise logs why and
 * returns -1. Daemons call this at start and refuse to run on an older schema. */
int
db_require_schema(struct db *db, int min_version);

#endif
