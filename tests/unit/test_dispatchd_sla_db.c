/* test_dispatchd_sla_db.c — sla_db_split, the reader of the text[] columns
 * dispatchd takes from PostgreSQL (dispatch_roles, escalation notify lists,
 * an order's skip list): identifiers in PostgreSQL's output form are taken,
 * anything it would have quoted, NULL elements and nesting are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dispatchd/sla_db.h"

static void
test_split(void **state)
{
	struct cfg_strlist l = {0};

	(void)state;
	assert_int_equal(sla_db_split("{technician,duty_engineer}", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0], "technician");
	assert_string_equal(l.v[1], "duty_engineer");
	cfg_strlist_free(&l);
	assert_int_equal(sla_db_split("{}", &l), 0);
	assert_int_equal(l.n, 0);
	cfg_strlist_free(&l);
	assert_int_equal(sla_db_split("{assignee}", &l), 0);
	assert_int_equal(l.n, 1);
	cfg_strlist_free(&l);
}

static void
test_refused(void **state)
{
	static const char *const bad[] = {
		NULL, "", "{", "a,b", "{a,NULL}", "{\"a b\",c}", "{{a},{b}}", "{a\\,b}",
	};
	struct cfg_strlist l = {0};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(sla_db_split(bad[i], &l), -1);
		assert_int_equal(l.n, 0);
		assert_null(l.v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
