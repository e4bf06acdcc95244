/* test_pm_conf_shipped.c — the shipped config/maintenance.yaml (or
 * $FM_CONFIG_DIR) against the shipped registry: it checks clean and says
 * what design/domain.md promises; and the calendar periods of pm_conf.h
 * ("15 days", "6 months") with their shortest and longest lengths. The
 * checker's errors are test_pm_conf.c. */
#include "pm_conf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void
test_periods(void **state)
{
	static const struct {
		const char *text;
		int rc, count, unit;
		long min_days, max_days;
	} t[] = {
		{"1 day", 0, 1, PM_DAY, 1, 1},       {"15 days", 0, 15, PM_DAY, 15, 15},
		{"1 week", 0, 1, PM_WEEK, 7, 7},     {"2 weeks", 0, 2, PM_WEEK, 14, 14},
		{"1 month", 0, 1, PM_MONTH, 28, 31}, {"6 months", 0, 6, PM_MONTH, 168, 186},
		{"1 year", 0, 1, PM_YEAR, 365, 366}, {"999 days", 0, 999, PM_DAY, 999, 999},
		{"1000 days", -1, 0, 0, 0, 0},       {"0 days", -1, 0, 0, 0, 0},
		{"-1 days", -1, 0, 0, 0, 0},         {"15", -1, 0, 0, 0, 0},
		{"15 days ago", -1, 0, 0, 0, 0},     {"15days", -1, 0, 0, 0, 0},
		{"1 Month", -1, 0, 0, 0, 0},         {"", -1, 0, 0, 0, 0},
		{" 1 day", -1, 0, 0, 0, 0},          {"1 dayss", -1, 0, 0, 0, 0},
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pm_period p = {0, 0};
		int rc = pm_period_parse(t[i].text, &p);

		if (rc != t[i].rc)
			fail_msg("'%s': rc %d, want %d", t[i].text, rc, t[i].rc);
		if (rc)
			continue;
		assert_int_equal(p.count, t[i].count);
		assert_int_equal(p.unit, t[i].unit);
		assert_int_equal(pm_period_min_days(&p), t[i].min_days);
		assert_int_equal(pm_period_max_days(&p), t[i].max_days);
		assert_string_equal(pm_period_str(&p, buf, sizeof buf), t[i].text);
	}
}

/* The shipped plans against the shipped registry. */
static void
test_shipped(void **state)
{
	const char *dir = getenv("FM_CONFIG_DIR");
	const struct pm_plan *p;
	struct cfg_errs errs;
	struct pm_set set;
	struct reg reg;
	int rc;

	(void)state;
	dir = dir && *dir ? dir : "config";
	cfg_errs_init(&errs);
	rc = reg_load_dir(dir, &reg, &errs);
	if (rc == 0)
		rc = pm_load_dir(dir, &reg, &set, &errs);
	cfg_errs_print(&errs, stderr);
	assert_int_equal(rc, 0);
	assert_int_equal(errs.n, 0);
	assert_true(set.n_plans >= 15);
	p = pm_find(&set, "elevator_routine");
	assert_non_null(p);
	assert_int_equal(p->every.count, 15);
	assert_int_equal(p->every.unit, PM_DAY);
	assert_int_equal(p->window_start_min, 0);
	assert_int_equal(p->n_sets, 3);
	p = pm_find(&set, "elevator_inspection");
	assert_true(p && p->statutory && p->every.unit == PM_YEAR && p->escalate.n == 2);
	p = pm_find(&set, "fire_full_test");
	assert_true(p && p->statutory && p->every.unit == PM_YEAR);
	p = pm_find(&set, "pump_service");
	assert_true(p && p->has_calendar && p->has_meter && p->meter_every == 2000);
	assert_true(p->every.count == 6 && p->every.unit == PM_MONTH);
	p = pm_find(&set, "vacant_flat_check");
	assert_true(p && p->site_level && p->every.unit == PM_WEEK);
	p = pm_find(&set, "supervisor_night_check");
	assert_true(p && p->window_end_min < p->window_start_min);
	pm_free(&set);
	reg_free(&reg);
	cfg_errs_free(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
