/* it_alertd_devtab — the compact device table alertd's engine keeps, read
 * from PostgreSQL after `fmctl apply config/`, equals the one built from the
 * YAML registry: every device's id, site, asset type and name, and the
 * supply graph (feeds), in the same order. */
#include "alertd/conf_db.h"
#include "alertd/devtab.h"
#include "db.h"
#include "log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "it_servers.h"

static void
test_devtab_matches_yaml(void **state)
{
	struct cfg_errs errs;
	struct reg yreg, dreg;
	struct rcf_set rules;
	struct devtab y, d;
	struct db *db = db_new(NULL);
	char err[256];

	(void)state;
	it_fmctl("migrate");
	it_fmctl("apply config/");
	cfg_errs_init(&errs);
	assert_int_equal(reg_load_dir("config", &yreg, &errs), 0);
	cfg_errs_free(&errs);
	assert_int_equal(devtab_from_reg(&y, &yreg), 0);
	if (conf_db_load(db, &dreg, &d, &rules, err, sizeof err) < 0)
		fail_msg("conf_db_load: %s", err);
	assert_int_equal(dreg.n_devices, 0); /* the devices are in the table only */
	assert_true(dreg.n_people > 0);
	assert_int_equal(d.n, y.n);
	for (size_t i = 0; i < y.n; i++) {
		/* the YAML registry is in file order, the database's in id order */
		const struct devtab_dev *a = NULL, *b = &y.v[i];

		for (size_t k = 0; k < d.n && !a; k++)
			if (strcmp(d.v[k].id, b->id) == 0)
				a = &d.v[k];
		if (!a)
			fail_msg("device %s not read from the database", b->id);
		assert_string_equal(a->site, b->site);
		assert_int_equal(a->type, b->type);
		assert_string_equal(a->name, b->name);
		assert_int_equal(a->n_feeds, b->n_feeds);
		for (int f = 0; f < b->n_feeds; f++) {
			int found = 0;

			for (int g = 0; g < a->n_feeds; g++)
				found |= strcmp(a->feeds[g], b->feeds[f]) == 0;
			if (!found)
				fail_msg("%s feeds %s: not read", b->id, b->feeds[f]);
		}
	}
	for (size_t k = 1; k < d.n; k++) /* sorted by id, as the engine's lookup expects */
		assert_true(strcmp(d.v[k - 1].id, d.v[k].id) < 0);
	devtab_free(&y);
	devtab_free(&d);
	reg_free(&yreg);
	reg_free(&dreg);
	rcf_free(&rules);
	db_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_devtab_matches_yaml)};

	log_set_prog("it_alertd_devtab");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
