/* test_registry_load.c — common/registry's file side: the shipped config/
 * loads with the counts the demo community promises, time-zone names are
 * checked against the zoneinfo files, and dates and ids parse. Reads config/
 * (or $FM_CONFIG_DIR) relative to the working directory: the repository root. */
#include "registry.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *
config_dir(void)
{
	const char *d = getenv("FM_CONFIG_DIR");

	return d && *d ? d : "config";
}

static void
test_dates_and_ids(void **state)
{
	static const struct {
		const char *s;
		int rc;
		long days;
	} dates[] = {
		{"1970-01-01", 0, 0},
		{"2024-01-01", 0, 19723},
		{"2024-02-29", 0, 19782},
		{"2023-02-29", -1, 0},
		{"2000-02-29", 0, 11016},
		{"1900-02-29", -1, 0},
		{"2024-13-01", -1, 0},
		{"2024-04-31", -1, 0},
		{"2024-1-01", -1, 0},
		{"2024-01-01x", -1, 0},
		{"", -1, 0},
		{"2024/01/01", -1, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		long d = -1;

		if (reg_parse_date(dates[i].s, &d) != dates[i].rc ||
		    (dates[i].rc == 0 && d != dates[i].days))
			fail_msg("date '%s': got %ld", dates[i].s, d);
	}
	assert_true(reg_valid_id("pump-1_A"));
	assert_false(reg_valid_id(""));
	assert_false(reg_valid_id("a/b"));
	assert_false(reg_valid_id("a+"));
	assert_false(reg_valid_id("泵"));
	assert_int_equal(reg_name_index(reg_roles, "contractor"), 7);
	assert_int_equal(reg_name_index(reg_roles, "boss"), -1);
}

/* The shipped demo community passes and has what the issue promised. */
static void
test_shipped_config(void **state)
{
	const char *dir = config_dir();
	size_t elevators = 0, pumps = 0, tanks = 0, floods = 0;
	const struct reg_device *dr;
	struct cfg_errs errs;
	struct reg r;

	(void)state;
	cfg_errs_init(&errs);
	if (reg_load_dir(dir, &r, &errs) != 0) {
		cfg_errs_print(&errs, stderr);
		fail();
	}
	assert_int_equal(r.n_sites, 1);
	assert_string_equal(r.sites[0].timezone, "Asia/Shanghai");
	assert_int_equal(r.n_areas, 2);
	assert_int_equal(r.n_buildings, 4);
	assert_int_equal(r.n_devices, 39); /* 38 in the field and ingestd-demo */
	assert_int_equal(r.n_skills, 7);
	assert_int_equal(r.n_people, 17);
	assert_int_equal(r.n_shifts, 3);
	assert_int_equal(r.n_roster, 19);
	assert_int_equal(r.n_teams, 1);
	for (size_t i = 0; i < r.n_devices; i++) {
		const char *t = reg_asset_types[r.devices[i].type];

		elevators += !strcmp(t, "elevator");
		pumps += !strcmp(t, "water_pump");
		tanks += !strcmp(t, "water_tank");
		floods += !strcmp(t, "flood_sensor");
	}
	assert_int_equal(elevators, 6);
	assert_int_equal(pumps, 3);
	assert_int_equal(tanks, 2);
	assert_int_equal(floods, 4);
	dr = reg_device_find(&r, "dr-main");
	assert_non_null(dr);
	assert_true(cfg_strlist_find(&dr->feeds, "pump-1") >= 0);
	assert_true(cfg_strlist_find(&dr->feeds, "elev-3b") >= 0);
	assert_string_equal(reg_device_find(&r, "elev-1a")->area, "A");
	reg_free(&r);
	cfg_errs_free(&errs);
}

/* A zone name of the right form that this machine does not know. */
static void
test_unknown_timezone(void **state)
{
	char dir[] = "/tmp/test_registry_load.XXXXXX", cmd[512], want[256];
	struct cfg_errs errs;
	struct reg r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof cmd,
		 "cp %s/site.yaml %s/devices.yaml %s/people.yaml %s/ && "
		 "sed -i 's|timezone: Asia/Shanghai|timezone: Mars/Olympus|' %s/site.yaml",
		 config_dir(), config_dir(), config_dir(), dir, dir);
	assert_int_equal(system(cmd), 0);
	cfg_errs_init(&errs);
	assert_int_equal(reg_load_dir(dir, &r, &errs), -1);
	assert_int_equal(errs.n, 1);
	/* at the line of the timezone key, wherever config/ has it */
	snprintf(want, sizeof want, "%s/site.yaml:", dir);
	assert_true(strncmp(errs.msg[0], want, strlen(want)) == 0);
	assert_non_null(strstr(errs.msg[0], ": timezone: unknown time zone 'Mars/Olympus' "
					    "(no /usr/share/zoneinfo/Mars/Olympus)"));
	reg_free(&r);
	cfg_errs_free(&errs);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_missing_files(void **state)
{
	struct cfg_errs errs;
	struct reg r;

	(void)state;
	cfg_errs_init(&errs);
	assert_int_equal(reg_load_dir("/nonexistent", &r, &errs), -1);
	assert_int_equal(errs.n, 3);
	assert_string_equal(errs.msg[0],
			    "/nonexistent/site.yaml: cannot open: No such file or directory");
	assert_string_equal(errs.msg[2],
			    "/nonexistent/people.yaml: cannot open: No such file or directory");
	reg_free(&r);
	cfg_errs_free(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_config),
		cmocka_unit_test(test_unknown_timezone),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_dates_and_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
