/* it_db.c — common/db against the real PostgreSQL that tests/it/run.sh
 * started (FM_DB_CONNINFO names a fresh database): prepared statements,
 * failure classification, a COPY round trip with hostile text, transactions,
 * the schema version, and reconnecting with re-prepared statements after
 * the server restarts (tests/it/servers.sh). */
#include "db.h"
#include "log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "it_servers.h"

static struct db *db;

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs sql and returns the first field of the first row (static buffer). */
static const char *
scalar(const char *sql, int nparams, const char *const *params)
{
	static char buf[256];
	struct db_res *r = NULL;
	const char *v;

	if (db_exec(db, sql, nparams, params, &r) != DB_OK)
		fail_msg("%s: %s", sql, db_error(db));
	v = db_res_get(r, 0, 0);
	snprintf(buf, sizeof buf, "%s", v ? v : "(null)");
	db_res_free(r);
	return buf;
}

static int
setup(void **state)
{
	(void)state;
	log_set_prog("it_db");
	if (!getenv("FM_DB_CONNINFO") && !getenv("PGHOST")) {
		fprintf(stderr, "it_db: FM_DB_CONNINFO not set: run under tests/it/run.sh\n");
		return -1;
	}
	db = db_new(NULL);
	db_set_connect_timeout_ms(db, 5000);
	return db_connect_retry(db, 10000, 1000, NULL) == DB_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	db_free(db);
	return 0;
}

static void
test_connect_sets_application_name(void **state)
{
	(void)state;
	assert_true(db_connected(db));
	assert_string_equal(scalar("SELECT current_setting('application_name')", 0, NULL), "it_db");
}

static void
test_prepared_statements(void **state)
{
	const char *two[2] = {"2", "3"}, *with_null[2] = {"2", NULL};
	struct db_res *r;

	(void)state;
	assert_int_equal(db_prepare(db, "add", "SELECT $1::int + $2::int", 2), DB_OK);
	assert_int_equal(db_exec_prepared(db, "add", 2, two, &r), DB_OK);
	assert_int_equal(db_res_rows(r), 1);
	assert_int_equal(db_res_cols(r), 1);
	assert_string_equal(db_res_get(r, 0, 0), "5");
	assert_null(db_res_get(r, 1, 0)); /* out of range */
	assert_null(db_res_get(r, 0, 1));
	db_res_free(r);
	assert_int_equal(db_exec_prepared(db, "add", 2, with_null, &r), DB_OK);
	assert_null(db_res_get(r, 0, 0)); /* SQL NULL */
	db_res_free(r);

	/* A name registered twice, or SQL the server rejects, registers nothing. */
	assert_int_equal(db_prepare(db, "add", "SELECT 1", 0), DB_FAIL);
	assert_int_equal(db_prepare(db, "broken", "SELEC 1", 0), DB_FAIL);
	assert_int_equal(db_prepare(db, "broken", "SELECT 'fixed'", 0), DB_OK);
	assert_int_equal(db_exec_prepared(db, "broken", 0, NULL, &r), DB_OK);
	assert_string_equal(db_res_get(r, 0, 0), "fixed");
	db_res_free(r);
}

static void
test_failures_are_fail_not_retry(void **state)
{
	const char *p[1] = {"x"};

	(void)state;
	assert_int_equal(db_exec(db, "SELEC 1", 0, NULL, NULL), DB_FAIL);
	assert_non_null(strstr(db_error(db), "syntax error"));
	assert_int_equal(db_exec(db, "SELECT $1::int", 1, p, NULL), DB_FAIL);
	assert_int_equal(db_exec(db, "CREATE TABLE uniq (k text PRIMARY KEY)", 0, NULL, NULL),
			 DB_OK);
	assert_int_equal(db_exec(db, "INSERT INTO uniq VALUES ($1)", 1, p, NULL), DB_OK);
	assert_int_equal(db_exec(db, "INSERT INTO uniq VALUES ($1)", 1, p, NULL), DB_FAIL);
	/* Deadlock and serialization failures are worth retrying. */
	assert_int_equal(db_exec(db,
				 "DO $$BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40P01'; END$$", 0,
				 NULL, NULL),
			 DB_RETRY);
	assert_int_equal(db_exec(db,
				 "DO $$BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40001'; END$$", 0,
				 NULL, NULL),
			 DB_RETRY);
	/* None of that hurt the connection. */
	assert_true(db_connected(db));
	assert_string_equal(scalar("SELECT count(*) FROM uniq", 0, NULL), "1");
}

/* Every kind of byte COPY treats specially, plus quotes, SQL and UTF-8. */
static const char *const hostile[] = {
	"plain",
	"tab\there",
	"new\nline",
	"carriage\r\nreturn",
	"back\\slash \\N \\. \\t",
	"'single' \"double\" `back`; DROP TABLE copy_t; --",
	"\x01\x02\x1b[31m\x7f control",
	"\b\f\v",
	"泵房水浸 二次供水 °C 🚒",
	"\\",
	"",
	"\\.",
	NULL,
};

static void
test_copy_round_trip(void **state)
{
	static const char piece[] = "a\t\\\n\x01"
				    "é"; /* 7 bytes, valid UTF-8 */
	size_t n = sizeof hostile / sizeof hostile[0];
	struct db_res *r;
	char id[16], big[10000 * (sizeof piece - 1) + 1];

	(void)state;
	assert_int_equal(db_exec(db, "CREATE TABLE copy_t (id int PRIMARY KEY, a text, b text)", 0,
				 NULL, NULL),
			 DB_OK);
	/* A long field full of escapes: more than libpq sends in one piece. */
	for (size_t i = 0; i < 10000; i++)
		memcpy(big + i * (sizeof piece - 1), piece, sizeof piece - 1);
	big[sizeof big - 1] = '\0';

	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_copy_begin(db, "COPY copy_t (id, a, b) FROM STDIN"), DB_OK);
	/* Nothing else may run while the COPY is open. */
	assert_int_equal(db_exec(db, "SELECT 1", 0, NULL, NULL), DB_FAIL);
	for (size_t i = 0; i < n; i++) {
		const char *row[3] = {id, hostile[i], hostile[n - 1 - i]};

		snprintf(id, sizeof id, "%zu", i);
		assert_int_equal(db_copy_row(db, 3, row), DB_OK);
	}
	{
		const char *row[3] = {"1000", big, NULL};

		assert_int_equal(db_copy_row(db, 3, row), DB_OK);
	}
	assert_int_equal(db_copy_end(db), DB_OK);
	assert_int_equal(db_commit(db), DB_OK);

	assert_int_equal(db_exec(db, "SELECT a, b FROM copy_t ORDER BY id", 0, NULL, &r), DB_OK);
	assert_int_equal(db_res_rows(r), n + 1);
	for (size_t i = 0; i < n; i++) {
		const char *a = db_res_get(r, i, 0), *b = db_res_get(r, i, 1);

		if (hostile[i] ? !a || strcmp(a, hostile[i]) : a != NULL)
			fail_msg("row %zu column a: got \"%s\"", i, a ? a : "(null)");
		if (hostile[n - 1 - i] ? !b || strcmp(b, hostile[n - 1 - i]) : b != NULL)
			fail_msg("row %zu column b: got \"%s\"", i, b ? b : "(null)");
	}
	assert_string_equal(db_res_get(r, n, 0), big);
	assert_null(db_res_get(r, n, 1));
	db_res_free(r);
}

static void
test_copy_failures(void **state)
{
	const char *bad[2] = {"not a number", "x"}, *good[2] = {"7", "x"};

	(void)state;
	assert_int_equal(db_exec(db, "CREATE TABLE copy_f (n int, s text)", 0, NULL, NULL), DB_OK);
	/* A bad row is reported when the COPY ends; nothing is stored. */
	assert_int_equal(db_copy_begin(db, "COPY copy_f FROM STDIN"), DB_OK);
	assert_int_equal(db_copy_row(db, 2, good), DB_OK);
	assert_int_equal(db_copy_row(db, 2, bad), DB_OK);
	assert_int_equal(db_copy_end(db), DB_FAIL);
	assert_non_null(strstr(db_error(db), "invalid input syntax"));
	assert_string_equal(scalar("SELECT count(*) FROM copy_f", 0, NULL), "0");

	/* An abandoned COPY stores nothing and leaves the connection usable. */
	assert_int_equal(db_copy_begin(db, "COPY copy_f FROM STDIN"), DB_OK);
	assert_int_equal(db_copy_row(db, 2, good), DB_OK);
	assert_int_equal(db_copy_abort(db, "test abandons it"), DB_OK);
	assert_string_equal(scalar("SELECT count(*) FROM copy_f", 0, NULL), "0");

	/* Rolling back a transaction with an open COPY aborts the COPY first. */
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_copy_begin(db, "COPY copy_f FROM STDIN"), DB_OK);
	assert_int_equal(db_copy_row(db, 2, good), DB_OK);
	assert_int_equal(db_rollback(db), DB_OK);
	assert_string_equal(scalar("SELECT count(*) FROM copy_f", 0, NULL), "0");

	/* Misuse is refused by name. */
	assert_int_equal(db_copy_row(db, 2, good), DB_FAIL);
	assert_int_equal(db_copy_end(db), DB_FAIL);
	assert_int_equal(db_copy_begin(db, "SELECT 1"), DB_FAIL);
	assert_int_equal(db_copy_begin(db, "COPY nosuch FROM STDIN"), DB_FAIL);
	/* A COPY started through db_exec cannot be driven: the connection is
	 * dropped and the next db_connect brings it back. */
	assert_int_equal(db_exec(db, "COPY copy_f FROM STDIN", 0, NULL, NULL), DB_FAIL);
	assert_int_equal(db_connect(db), DB_OK);
	assert_string_equal(scalar("SELECT 'back'", 0, NULL), "back");
}

static void
test_transactions(void **state)
{
	const char *p[1] = {"t1"};

	(void)state;
	assert_int_equal(db_exec(db, "CREATE TABLE tx_t (k text PRIMARY KEY)", 0, NULL, NULL),
			 DB_OK);

	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_exec(db, "INSERT INTO tx_t VALUES ($1)", 1, p, NULL), DB_OK);
	assert_int_equal(db_rollback(db), DB_OK);
	assert_string_equal(scalar("SELECT count(*) FROM tx_t", 0, NULL), "0");

	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_exec(db, "INSERT INTO tx_t VALUES ($1)", 1, p, NULL), DB_OK);
	assert_int_equal(db_commit(db), DB_OK);
	assert_string_equal(scalar("SELECT count(*) FROM tx_t", 0, NULL), "1");

	/* A failed statement dooms the transaction: COMMIT must say so. */
	p[0] = "t2";
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_exec(db, "INSERT INTO tx_t VALUES ($1)", 1, p, NULL), DB_OK);
	assert_int_equal(db_exec(db, "SELECT 1/0", 0, NULL, NULL), DB_FAIL);
	assert_int_equal(db_commit(db), DB_FAIL);
	assert_string_equal(scalar("SELECT count(*) FROM tx_t", 0, NULL), "1");

	/* A script runs inside the caller's transaction. */
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_exec_script(db, "INSERT INTO tx_t VALUES ('s1');"
					    "INSERT INTO tx_t VALUES ('s2');"),
			 DB_OK);
	assert_int_equal(db_rollback(db), DB_OK);
	assert_string_equal(scalar("SELECT count(*) FROM tx_t", 0, NULL), "1");
	/* ... and as one implicit transaction outside one. */
	assert_int_equal(db_exec_script(db, "INSERT INTO tx_t VALUES ('s3'); SELECT 1/0;"),
			 DB_FAIL);
	assert_string_equal(scalar("SELECT count(*) FROM tx_t", 0, NULL), "1");
}

static void
test_schema_version(void **state)
{
	struct db_res *r;

	(void)state;
	assert_int_equal(db_schema_version(db), 0);
	assert_int_equal(db_require_schema(db, 1), -1);
	assert_int_equal(db_exec_script(db,
					"CREATE TABLE schema_migrations (version int PRIMARY KEY,"
					" name text, applied_at timestamptz DEFAULT now());"
					"INSERT INTO schema_migrations (version, name) VALUES"
					" (1, 'a'), (2, 'b'), (3, 'c');"),
			 DB_OK);
	assert_int_equal(db_schema_version(db), 3);
	assert_int_equal(db_require_schema(db, 3), 0);
	assert_int_equal(db_require_schema(db, 4), -1);
	/* Asking inside a transaction leaves it usable. */
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_schema_version(db), 3);
	assert_int_equal(db_exec(db, "SELECT 1", 0, NULL, &r), DB_OK);
	db_res_free(r);
	assert_int_equal(db_commit(db), DB_OK);
}

/* The server restarts under an idle connection: the next statement says
 * RETRY, db_connect_retry comes back, and prepared statements work again. */
static void
test_reconnect_after_restart(void **state)
{
	const char *p[1] = {"41"};
	struct db_res *r;
	long long t0;
	volatile int stop = 1;

	(void)state;
	if (!getenv("FM_IT_DIR"))
		skip();
	assert_int_equal(db_prepare(db, "inc", "SELECT $1::int + 1", 1), DB_OK);
	it_servers("restart-pg");
	assert_int_equal(db_exec_prepared(db, "inc", 1, p, NULL), DB_RETRY);
	assert_false(db_connected(db));
	assert_int_equal(db_exec_prepared(db, "inc", 1, p, NULL), DB_RETRY);
	assert_int_equal(db_connect_retry(db, 30000, 1000, NULL), DB_OK);
	assert_int_equal(db_exec_prepared(db, "inc", 1, p, &r), DB_OK);
	assert_string_equal(db_res_get(r, 0, 0), "42");
	db_res_free(r);
	/* Statements prepared before the first restart came back too. */
	assert_string_equal(scalar("SELECT count(*) FROM pg_prepared_statements", 0, NULL), "3");

	/* With the server down, waiting is bounded by total_ms and by stop. */
	it_servers("stop-pg");
	assert_int_equal(db_exec_prepared(db, "inc", 1, p, NULL), DB_RETRY);
	t0 = mono_ms();
	assert_int_equal(db_connect_retry(db, 700, 200, NULL), DB_RETRY);
	assert_in_range(mono_ms() - t0, 600, 5000);
	t0 = mono_ms();
	assert_int_equal(db_connect_retry(db, -1, 200, &stop), DB_RETRY);
	assert_in_range(mono_ms() - t0, 0, 2000);
	it_servers("start-pg");
	assert_int_equal(db_connect_retry(db, 30000, 1000, NULL), DB_OK);
	assert_int_equal(db_exec_prepared(db, "inc", 1, p, &r), DB_OK);
	assert_string_equal(db_res_get(r, 0, 0), "42");
	db_res_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect_sets_application_name),
		cmocka_unit_test(test_prepared_statements),
		cmocka_unit_test(test_failures_are_fail_not_retry),
		cmocka_unit_test(test_copy_round_trip),
		cmocka_unit_test(test_copy_failures),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_schema_version),
		cmocka_unit_test(test_reconnect_after_restart),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
