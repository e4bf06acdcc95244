/* test_registry.c — common/registry's pure builder: each cross-reference and
 * form error is caught at the right file:line (a small valid registry, one
 * edit per case), roster cycles and the duty-coverage check. Loading from
 * files is test_registry_load.c. */
#include "registry.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char site_yaml[] = "sites:\n" /* 1 */
				"  - id: s1\n"
				"    name: Site One\n"
				"    timezone: Asia/Shanghai\n"
				"    areas:\n" /* 5 */
				"      - id: A\n"
				"        name: Area A\n"
				"      - id: B\n"
				"        name: Area B\n"
				"    buildings:\n" /* 10 */
				"      - id: b1\n"
				"        name: Building 1\n"
				"        area: A\n";

static const char devices_yaml[] = "site: s1\n" /* 1 */
				   "devices:\n"
				   "  - id: dr\n"
				   "    type: distribution_room\n"
				   "    name: Power room\n" /* 5 */
				   "    building: b1\n"
				   "    feeds: [p1, e1]\n"
				   "  - id: p1\n"
				   "    type: water_pump\n"
				   "    name: Pump 1\n" /* 10 */
				   "    parent: dr\n"
				   "  - id: e1\n"
				   "    type: elevator\n"
				   "    name: Lift\n"
				   "    area: A\n"; /* 15 */

static const char people_yaml[] = "skills:\n" /* 1 */
				  "  - id: elevator\n"
				  "    name: Elevators\n"
				  "people:\n"
				  "  - id: duty1\n" /* 5 */
				  "    name: Duty One\n"
				  "    roles: [duty_engineer]\n"
				  "    skills: [elevator]\n"
				  "    areas: [A]\n"
				  "  - id: duty2\n" /* 10 */
				  "    name: Duty Two\n"
				  "    roles: [duty_engineer]\n"
				  "shifts:\n"
				  "  - id: day\n"
				  "    name: Day\n" /* 15 */
				  "    start: \"08:00\"\n"
				  "    end: \"20:00\"\n"
				  "  - id: night\n"
				  "    name: Night\n"
				  "    start: \"20:00\"\n" /* 20 */
				  "    end: \"08:00\"\n"
				  "roster:\n"
				  "  - shift: day\n"
				  "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
				  "    people: [duty1]\n" /* 25 */
				  "  - shift: night\n"
				  "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
				  "    people: [duty2]\n"
				  "teams:\n"
				  "  - id: emergency\n" /* 30 */
				  "    name: Emergency\n"
				  "    members: [duty1, duty2]\n";

enum { F_SITE, F_DEVICES, F_PEOPLE };

struct edit {
	int file;
	const char *from, *to; /* from must occur exactly once */
};

struct reg_case {
	const char *what;
	struct edit e[2];
	const char *expect; /* some message must start with this */
};

static const struct reg_case cases[] = {
	{"unknown asset type",
	 {{F_DEVICES, "type: water_pump", "type: pump"}},
	 "devices.yaml:9: type: unknown value 'pump' (expected one of: elevator, pump_room,"},
	{"duplicate device id",
	 {{F_DEVICES, "id: e1", "id: p1"}},
	 "devices.yaml:12: duplicate device id 'p1' (first at devices.yaml:8)"},
	{"parent missing",
	 {{F_DEVICES, "parent: dr", "parent: dx"}},
	 "devices.yaml:11: parent: unknown device 'dx'"},
	{"own parent",
	 {{F_DEVICES, "parent: dr", "parent: p1"}},
	 "devices.yaml:11: parent: a device cannot be its own parent"},
	{"parent cycle",
	 {{F_DEVICES, "    building: b1\n", "    parent: p1\n"}},
	 "devices.yaml:6: parent: the asset tree loops back to 'dr'"},
	{"feeds missing device",
	 {{F_DEVICES, "feeds: [p1, e1]", "feeds: [p1, e9]"}},
	 "devices.yaml:7: feeds: unknown device 'e9'"},
	{"feeds itself",
	 {{F_DEVICES, "feeds: [p1, e1]", "feeds: [dr]"}},
	 "devices.yaml:7: feeds: a device cannot feed itself"},
	{"feeds listed twice",
	 {{F_DEVICES, "feeds: [p1, e1]", "feeds: [p1, p1]"}},
	 "devices.yaml:7: feeds: 'p1' is listed twice"},
	{"feeds cycle",
	 {{F_DEVICES, "    area: A\n", "    area: A\n    feeds: [dr]\n"}},
	 "devices.yaml:16: feeds: supply cycle dr -> e1 -> dr"},
	{"device site unknown",
	 {{F_DEVICES, "site: s1", "site: s9"}},
	 "devices.yaml:1: site: unknown site 's9'"},
	{"device without site",
	 {{F_DEVICES, "site: s1\n", ""}},
	 "devices.yaml:2: missing required key 'site' (or a file-level 'site:')"},
	{"building unknown",
	 {{F_DEVICES, "building: b1", "building: b9"}},
	 "devices.yaml:6: building: unknown building 'b9' in site 's1'"},
	{"area unknown",
	 {{F_DEVICES, "area: A", "area: Z"}},
	 "devices.yaml:15: area: unknown area 'Z' in site 's1'"},
	{"area differs from building",
	 {{F_DEVICES, "    building: b1\n", "    building: b1\n    area: B\n"}},
	 "devices.yaml:7: area: 'B' differs from building b1's area 'A'"},
	{"bad device id",
	 {{F_DEVICES, "id: e1", "id: e/1"}},
	 "devices.yaml:12: id: 'e/1' is not a valid device id ([A-Za-z0-9_-], 1 to 64 characters)"},
	{"device id too long",
	 {{F_DEVICES, "id: e1",
	   "id: e1234567890123456789012345678901234567890123456789012345678901234"}},
	 "devices.yaml:12: id: too long (65 bytes, at most 64)"},
	{"bad date",
	 {{F_DEVICES, "    area: A\n", "    area: A\n    purchase_date: 2023-02-29\n"}},
	 "devices.yaml:16: purchase_date: '2023-02-29' is not a date (YYYY-MM-DD)"},
	{"warranty before purchase",
	 {{F_DEVICES, "    area: A\n",
	   "    area: A\n    purchase_date: 2020-01-01\n    warranty_end: 2019-01-01\n"}},
	 "devices.yaml:17: warranty_end: 2019-01-01 is before purchase_date 2020-01-01"},
	{"nested params",
	 {{F_DEVICES, "    area: A\n", "    area: A\n    params: {a: [1]}\n"}},
	 "devices.yaml:16: params: 'a' must be a single value"},
	{"unknown device key",
	 {{F_DEVICES, "    area: A\n", "    area: A\n    colour: red\n"}},
	 "devices.yaml:16: unknown key 'colour' (known: id, site, type, name, parent, building,"},
	{"device missing name",
	 {{F_DEVICES, "    name: Lift\n", ""}},
	 "devices.yaml:12: missing required key 'name'"},
	{"devices not a list",
	 {{F_DEVICES, "devices:\n", "devices: 5\nx:\n"}},
	 "devices.yaml:2: devices: expected a list of entries"},
	{"unknown skill",
	 {{F_PEOPLE, "skills: [elevator]", "skills: [welding]"}},
	 "people.yaml:8: skills: unknown skill 'welding'"},
	{"unknown role",
	 {{F_PEOPLE, "roles: [duty_engineer]\n    skills",
	   "roles: [duty_engineer, boss]\n    skills"}},
	 "people.yaml:7: roles: unknown role 'boss' (known: duty_engineer, technician,"},
	{"no role",
	 {{F_PEOPLE, "roles: [duty_engineer]\n    skills", "roles: []\n    skills"}},
	 "people.yaml:7: roles: at least one role is needed"},
	{"person unknown area",
	 {{F_PEOPLE, "areas: [A]", "areas: [A, C]"}},
	 "people.yaml:9: areas: unknown area 'C'"},
	{"duplicate person",
	 {{F_PEOPLE, "id: duty2", "id: duty1"}},
	 "people.yaml:10: duplicate person id 'duty1' (first at people.yaml:5)"},
	{"bad phone",
	 {{F_PEOPLE, "    areas: [A]\n", "    areas: [A]\n    phone: call me\n"}},
	 "people.yaml:10: phone: 'call me' may hold only digits, spaces and + - ( )"},
	{"capacity out of range",
	 {{F_PEOPLE, "    areas: [A]\n", "    areas: [A]\n    capacity: 500\n"}},
	 "people.yaml:10: capacity: out of range 0..100"},
	{"roster unknown person",
	 {{F_PEOPLE, "people: [duty2]", "people: [duty2, nobody]"}},
	 "people.yaml:28: people: unknown person 'nobody'"},
	{"roster unknown shift",
	 {{F_PEOPLE, "shift: night", "shift: late"}},
	 "people.yaml:26: shift: unknown shift 'late'"},
	{"roster unknown day",
	 {{F_PEOPLE, "  - shift: night\n    days: [mon,", "  - shift: night\n    days: [monday,"}},
	 "people.yaml:27: days: unknown day 'monday' (mon, tue, wed, thu, fri, sat, sun)"},
	{"roster day twice",
	 {{F_PEOPLE, "  - shift: night\n    days: [mon,", "  - shift: night\n    days: [sun,"}},
	 "people.yaml:27: days: 'sun' is listed twice"},
	{"roster entry kind missing",
	 {{F_PEOPLE, "  - shift: night\n", "  - start: 2024-01-01\n"}},
	 "people.yaml:26: an entry needs 'shift' and 'days' (weekly) or 'rotation' and 'start'"},
	{"weekly entry with a start",
	 {{F_PEOPLE, "  - shift: night\n", "  - shift: night\n    start: 2024-01-01\n"}},
	 "people.yaml:27: start: only a rotation has a start date; a weekly entry repeats every "
	 "week"},
	{"rotation unknown shift",
	 {{F_PEOPLE, "  - shift: night\n    days: [mon, tue, wed, thu, fri, sat, sun]\n",
	   "  - rotation: [night, late]\n    start: 2024-01-01\n"}},
	 "people.yaml:26: rotation: unknown shift 'late' (or 'off')"},
	{"rotation without start",
	 {{F_PEOPLE, "  - shift: night\n    days: [mon, tue, wed, thu, fri, sat, sun]\n",
	   "  - rotation: [night]\n"}},
	 "people.yaml:26: start: a rotation needs the date of its first day"},
	{"shift in two cycles",
	 {{F_PEOPLE, "people: [duty2]",
	   "people: [duty2]\n  - rotation: [night, off]\n    start: 2024-01-01\n    people: "
	   "[duty2]"}},
	 "people.yaml:31: people: 'duty2' already works shift 'night' by the entry at line 26"},
	{"bad shift time",
	 {{F_PEOPLE, "end: \"20:00\"", "end: \"25:00\""}},
	 "people.yaml:17: end: '25:00' is not a time of day (HH:MM)"},
	{"shift named off",
	 {{F_PEOPLE, "id: night", "id: off"}},
	 "people.yaml:18: id: 'off' is reserved for days off in a rotation"},
	{"team unknown member",
	 {{F_PEOPLE, "members: [duty1, duty2]", "members: [duty1, ghost]"}},
	 "people.yaml:32: members: unknown person 'ghost'"},
	{"coverage gap",
	 {{F_PEOPLE, "end: \"08:00\"", "end: \"07:00\""}},
	 "people.yaml:22: roster: no active duty_engineer on shift from 07:00 to 08:00 on "
	 "2024-01-01 (Mon); the duty post (值班岗) must be staffed around the clock"},
	{"coverage gap on one day",
	 {{F_PEOPLE, "people: [duty2]", "people: [duty2]\n"},
	  {F_PEOPLE, "  - shift: night\n    days: [mon, tue, wed, thu, fri, sat, sun]",
	   "  - shift: night\n    days: [mon, tue, thu, fri, sat, sun]"}},
	 "people.yaml:22: roster: no active duty_engineer on shift from 20:00 to 24:00 on "
	 "2024-01-03 (Wed)"},
	{"inactive duty engineer leaves a gap",
	 {{F_PEOPLE, "    name: Duty Two\n", "    name: Duty Two\n    active: false\n"}},
	 "people.yaml:23: roster: no active duty_engineer on shift from 00:00 to 08:00 on "
	 "2024-01-01"},
	{"no duty engineer",
	 {{F_PEOPLE, "roles: [duty_engineer]\n    skills", "roles: [technician]\n    skills"},
	  {F_PEOPLE, "roles: [duty_engineer]\nshifts", "roles: [technician]\nshifts"}},
	 "people.yaml:22: roster: nobody active has the role duty_engineer"},
	{"people file without roster",
	 {{F_PEOPLE, "roster:\n", "rooster:\n"}},
	 "people.yaml:1: missing required key 'roster'"},
	{"bad timezone name",
	 {{F_SITE, "Asia/Shanghai", "../../etc/passwd"}},
	 "site.yaml:4: timezone: '../../etc/passwd' is not a time-zone name such as Asia/Shanghai"},
	{"duplicate area",
	 {{F_SITE, "id: B", "id: A"}},
	 "site.yaml:8: duplicate area id 'A' (first at site.yaml:6)"},
	{"building in unknown area",
	 {{F_SITE, "area: A", "area: Q"}},
	 "site.yaml:13: area: unknown area 'Q'"},
	{"site missing timezone",
	 {{F_SITE, "    timezone: Asia/Shanghai\n", ""}},
	 "site.yaml:2: missing required key 'timezone'"},
	{"empty sites file",
	 {{F_SITE, site_yaml, "# nothing\n"}},
	 "site.yaml: the file is empty; expected 'sites:'"},
};

/* Applies the edits of a case to the three documents. */
static char *
edited(const char *text, const struct reg_case *c, int file)
{
	char *s = strdup(text);

	for (size_t i = 0; i < 2; i++) {
		const struct edit *e = &c->e[i];
		char *at, *out;

		if (!e->from || e->file != file)
			continue;
		at = strstr(s, e->from);
		if (!at || strstr(at + 1, e->from))
			fail_msg("case '%s': '%s' must occur exactly once", c->what, e->from);
		out = malloc(strlen(s) + strlen(e->to) + 1);
		sprintf(out, "%.*s%s%s", (int)(at - s), s, e->to, at + strlen(e->from));
		free(s);
		s = out;
	}
	return s;
}

/* Builds the registry from the three texts; returns reg_build's result. */
static int
build(const char *site, const char *devices, const char *people, struct reg *r,
      struct cfg_errs *errs)
{
	struct cfg_doc *d[3];
	int rc;

	memset(r, 0, sizeof *r);
	d[0] = cfg_load_buf("site.yaml", site, strlen(site), errs);
	d[1] = cfg_load_buf("devices.yaml", devices, strlen(devices), errs);
	d[2] = cfg_load_buf("people.yaml", people, strlen(people), errs);
	rc = reg_build(r, d[0], d[1], d[2], errs);
	memcpy(r->docs, d, sizeof d); /* reg_free frees them */
	return rc;
}

static void
test_base_is_valid(void **state)
{
	struct cfg_errs errs;
	struct reg r;

	(void)state;
	cfg_errs_init(&errs);
	if (build(site_yaml, devices_yaml, people_yaml, &r, &errs) != 0) {
		cfg_errs_print(&errs, stderr);
		fail();
	}
	assert_int_equal(r.n_devices, 3);
	assert_string_equal(reg_device_find(&r, "dr")->area, "A");  /* from b1 */
	assert_string_equal(reg_device_find(&r, "p1")->site, "s1"); /* file-level site */
	assert_string_equal(reg_device_find(&r, "p1")->area, "");
	assert_int_equal(reg_device_find(&r, "e1")->type,
			 reg_name_index(reg_asset_types, "elevator"));
	assert_null(reg_device_find(&r, "nope"));
	assert_int_equal(r.n_roster, 2);
	assert_int_equal(reg_shift_find(&r, "night")->end_min, 480);
	assert_non_null(reg_team_find(&r, "emergency"));
	reg_free(&r);
	reg_free(NULL);
	cfg_errs_free(&errs);
}

static void
test_errors(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct reg_case *c = &cases[i];
		char *s = edited(site_yaml, c, F_SITE), *d = edited(devices_yaml, c, F_DEVICES);
		char *p = edited(people_yaml, c, F_PEOPLE);
		struct cfg_errs errs;
		struct reg r;
		size_t k;
		int rc;

		cfg_errs_init(&errs);
		rc = build(s, d, p, &r, &errs);
		for (k = 0; k < errs.n; k++)
			if (strncmp(errs.msg[k], c->expect, strlen(c->expect)) == 0)
				break;
		if (rc != -1 || k == errs.n) {
			print_error("case '%s': want \"%s...\", got:\n", c->what, c->expect);
			cfg_errs_print(&errs, stderr);
			failed++;
		}
		reg_free(&r);
		cfg_errs_free(&errs);
		free(s);
		free(d);
		free(p);
	}
	assert_int_equal(failed, 0);
}

/* A file that does not parse does not hide the other files' errors. */
static void
test_syntax_error_keeps_checking(void **state)
{
	static const char broken_site[] = "sites: [\n";
	struct cfg_errs errs;
	struct reg r;
	char *d;
	struct reg_case c = {"x", {{F_DEVICES, "type: water_pump", "type: pump"}}, ""};

	(void)state;
	cfg_errs_init(&errs);
	d = edited(devices_yaml, &c, F_DEVICES);
	assert_int_equal(build(broken_site, d, people_yaml, &r, &errs), -1);
	assert_int_equal(errs.n, 2);
	assert_true(strncmp(errs.msg[0], "site.yaml:1: syntax error:", 26) == 0);
	assert_true(strncmp(errs.msg[1], "devices.yaml:9: type: unknown value 'pump'", 42) == 0);
	reg_free(&r);
	cfg_errs_free(&errs);
	free(d);
}

static void
test_rotation(void **state)
{
	static const char rota[] = "  - rotation: [day, night, off, off]\n"
				   "    start: 2024-01-01\n"
				   "    people: [duty1, duty2, duty3, duty4]\n";
	struct reg_case c = {
		"rota",
		{{F_PEOPLE,
		  "  - shift: day\n    days: [mon, tue, wed, thu, fri, sat, sun]\n"
		  "    people: [duty1]\n  - shift: night\n"
		  "    days: [mon, tue, wed, thu, fri, sat, sun]\n    people: [duty2]\n",
		  rota},
		 {F_PEOPLE, "shifts:\n",
		  "  - id: duty3\n    name: D3\n    roles: [duty_engineer]\n"
		  "  - id: duty4\n    name: D4\n    roles: [duty_engineer]\nshifts:\n"}},
		""};
	char *p = edited(people_yaml, &c, F_PEOPLE);
	const struct reg_roster *day1 = NULL, *night4 = NULL;
	struct cfg_errs errs;
	long jan1;
	struct reg r;

	(void)state;
	cfg_errs_init(&errs);
	if (build(site_yaml, devices_yaml, p, &r, &errs) != 0) {
		cfg_errs_print(&errs, stderr);
		fail();
	}
	assert_int_equal(r.n_roster, 8);
	for (size_t i = 0; i < r.n_roster; i++) {
		if (!strcmp(r.roster[i].person, "duty1") && !strcmp(r.roster[i].shift, "day"))
			day1 = &r.roster[i];
		if (!strcmp(r.roster[i].person, "duty4") && !strcmp(r.roster[i].shift, "night"))
			night4 = &r.roster[i];
	}
	assert_non_null(day1);
	assert_non_null(night4);
	assert_int_equal(day1->cycle_days, 4);
	assert_int_equal(day1->on_days, 1);   /* day 0 of the cycle */
	assert_int_equal(night4->on_days, 1); /* person 3: (1 + 3) mod 4 = 0 */
	assert_int_equal(reg_parse_date("2024-01-01", &jan1), 0);
	assert_true(reg_roster_works_on(day1, jan1));
	assert_false(reg_roster_works_on(day1, jan1 + 1));
	assert_true(reg_roster_works_on(day1, jan1 + 4));
	assert_true(reg_roster_works_on(day1, jan1 - 4)); /* before the start too */
	assert_false(reg_roster_works_on(day1, jan1 - 1));
	reg_free(&r);
	cfg_errs_free(&errs);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_is_valid),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_syntax_error_keeps_checking),
		cmocka_unit_test(test_rotation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
