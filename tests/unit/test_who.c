/* test_alertd_who.c — alertd's notify-list resolution (services/alertd/who):
 * a small two-site registry built here (a 4-day day/night/off/off duty
 * rotation in Asia/Shanghai, a day-only duty post in Europe/London that leaves
 * a gap at night, areas, a team, inactive people), then the shipped config/
 * (or $FM_CONFIG_DIR). Instants are computed here as UTC ms from local wall
 * time and the zone's known offset, independently of timeutil's zones. */
#include "who.h"
#include "rules_conf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define SHANGHAI (8 * 60) /* UTC+8 all year since 1991 */
#define LONDON_WINTER 0
#define LONDON_SUMMER 60
#define MAX_OUT 16

static const char site_yaml[] = "sites:\n"
				"  - id: s1\n"
				"    name: Site One\n"
				"    timezone: Asia/Shanghai\n"
				"    areas: [{id: A1, name: Area A1}]\n"
				"  - id: s2\n"
				"    name: Site Two\n"
				"    timezone: Europe/London\n"
				"    areas: [{id: B1, name: Area B1}]\n";

static const char devices_yaml[] = "site: s1\n"
				   "devices:\n"
				   "  - {id: lift-1, type: elevator, name: Lift 1}\n";

/* Rotation person k works rotation[(cycle day - k) mod 4], so on 2024-01-01
 * (cycle day 0) d1 works day and d4 night; d3's night from 2023-12-31 runs
 * to 08:00. e1 covers s2 by day only; e2 is on no roster. */
static const char people_yaml[] =
	"skills: [{id: general, name: General}]\n"
	"people:\n"
	"  - {id: d1, name: D1, roles: [duty_engineer], areas: [A1]}\n"
	"  - {id: d2, name: D2, roles: [duty_engineer], areas: [A1]}\n"
	"  - {id: d3, name: D3, roles: [duty_engineer], areas: [A1]}\n"
	"  - {id: d4, name: D4, roles: [duty_engineer], areas: [A1]}\n"
	"  - {id: dx, name: DX, roles: [duty_engineer], areas: [A1], active: false}\n"
	"  - {id: e1, name: E1, roles: [duty_engineer], areas: [B1]}\n"
	"  - {id: e2, name: E2, roles: [duty_engineer], areas: [B1]}\n"
	"  - {id: sup, name: Sup, roles: [supervisor, technician]}\n"
	"  - {id: techA, name: TA, roles: [technician], areas: [A1]}\n"
	"  - {id: techB, name: TB, roles: [technician], areas: [B1]}\n"
	"  - {id: old, name: Old, roles: [technician], areas: [A1], active: false}\n"
	"  - {id: ctr, name: Ctr, roles: [contractor]}\n"
	"shifts:\n"
	"  - {id: day, name: Day, start: \"08:00\", end: \"20:00\"}\n"
	"  - {id: night, name: Night, start: \"20:00\", end: \"08:00\"}\n"
	"roster:\n"
	"  - {rotation: [day, night, off, off], start: 2024-01-01, people: [d1, d2, d3, d4]}\n"
	"  - {shift: day, days: [mon, tue, wed, thu, fri, sat, sun], people: [dx, e1, techA]}\n"
	"teams:\n"
	"  - {id: crew, name: Crew, members: [techA, techB, old, d1, sup]}\n";

struct fx {
	struct reg reg;
	struct who w;
};

/* UTC ms of a wall-clock time at a fixed offset (minutes east of UTC). */
static long long
at(int offset_min, int y, int mo, int d, int h, int mi)
{
	return ((long long)tu_days_from_civil(y, mo, d) * 1440 + h * 60 + mi - offset_min) *
	       60000LL;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct cfg_errs errs;
	struct cfg_doc *d[3];
	int rc;

	cfg_errs_init(&errs);
	d[0] = cfg_load_buf("site.yaml", site_yaml, strlen(site_yaml), &errs);
	d[1] = cfg_load_buf("devices.yaml", devices_yaml, strlen(devices_yaml), &errs);
	d[2] = cfg_load_buf("people.yaml", people_yaml, strlen(people_yaml), &errs);
	rc = reg_build(&f->reg, d[0], d[1], d[2], &errs);
	memcpy(f->reg.docs, d, sizeof d); /* reg_free frees them */
	cfg_errs_print(&errs, stderr);
	cfg_errs_free(&errs);
	if (rc == 0)
		rc = who_build(&f->w, &f->reg, NULL);
	*state = f;
	return rc;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	who_free(&f->w);
	reg_free(&f->reg);
	free(f);
	return 0;
}

/* Resolves a comma-separated target list; the ids come back comma-joined. */
static int
resolve(const struct who *w, const char *site, const char *targets, long long now_ms, int max,
	int *fallback, char *joined, size_t cap)
{
	char buf[256], *v[RCF_MAX_NOTIFY], *save = NULL;
	char out[MAX_OUT][REG_ID_SIZE];
	struct cfg_strlist l = {v, NULL, 0};
	int n;

	snprintf(buf, sizeof buf, "%s", targets);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		v[l.n++] = t;
	assert_true(max <= MAX_OUT);
	n = who_resolve(w, site, &l, now_ms, out, max, fallback);
	joined[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(joined + strlen(joined), cap - strlen(joined), "%s%s", i ? "," : "",
			 out[i]);
	return n;
}

/* The number of ids in a comma-joined list. */
static int
count_ids(const char *joined)
{
	int n = joined[0] != '\0';

	for (const char *p = joined; *p; p++)
		n += *p == ',';
	return n;
}

struct duty_case {
	int y, mo, d, h, mi;
	const char *expect;
};

static const struct duty_case shanghai_cases[] = {
	{2024, 1, 1, 7, 59, "d3"},   /* night of 2023-12-31, from that date's bit */
	{2024, 1, 1, 8, 0, "d1"},    /* day starts */
	{2024, 1, 1, 19, 59, "d1"},  /* last minute of the day */
	{2024, 1, 1, 20, 0, "d4"},   /* night starts */
	{2024, 1, 2, 0, 0, "d4"},    /* past midnight: still 2024-01-01's night */
	{2024, 1, 2, 7, 59, "d4"},   /* last minute of that night */
	{2024, 1, 2, 8, 0, "d2"},    /* cycle day 1's day */
	{2023, 12, 31, 12, 0, "d4"}, /* before the cycle start: day 3 of the cycle */
	{2024, 1, 1, 12, 0, "d1"},   /* cycle days 0..4 by day */
	{2024, 1, 2, 12, 0, "d2"},   {2024, 1, 3, 12, 0, "d3"}, {2024, 1, 4, 12, 0, "d4"},
	{2024, 1, 5, 12, 0, "d1"},   {2024, 1, 1, 23, 0, "d4"}, /* cycle days 0..4 by night */
	{2024, 1, 2, 23, 0, "d1"},   {2024, 1, 3, 23, 0, "d2"}, {2024, 1, 4, 23, 0, "d3"},
	{2024, 1, 5, 23, 0, "d4"},
};

static void
test_duty_rotation_boundaries(void **state)
{
	struct fx *f = *state;
	char got[512];

	for (size_t i = 0; i < sizeof shanghai_cases / sizeof *shanghai_cases; i++) {
		const struct duty_case *c = &shanghai_cases[i];
		long long now = at(SHANGHAI, c->y, c->mo, c->d, c->h, c->mi);
		int fb = -1;

		resolve(&f->w, "s1", "duty_engineer", now, MAX_OUT, &fb, got, sizeof got);
		if (strcmp(got, c->expect) != 0 || fb != 0)
			fail_msg("%04d-%02d-%02d %02d:%02d: got '%s' fallback %d, want '%s'", c->y,
				 c->mo, c->d, c->h, c->mi, got, fb, c->expect);
		assert_int_equal(who_on_shift(&f->w, "s1", c->expect, now), 1);
	}
}

static void
test_on_shift(void **state)
{
	struct fx *f = *state;
	long long night = at(SHANGHAI, 2024, 1, 2, 0, 30), noon = at(SHANGHAI, 2024, 1, 1, 12, 0);

	assert_int_equal(who_on_shift(&f->w, "s1", "d4", night), 1);
	assert_int_equal(who_on_shift(&f->w, "s1", "d1", night), 0);
	assert_int_equal(who_on_shift(&f->w, "s1", "techA", noon), 1);
	assert_int_equal(who_on_shift(&f->w, "s1", "techA", night), 0);
	assert_int_equal(who_on_shift(&f->w, "s1", "dx", noon), 0); /* inactive */
	assert_int_equal(who_on_shift(&f->w, "s2", "d1", noon), 0); /* not of s2 */
	assert_int_equal(who_on_shift(&f->w, "s1", "e1", noon), 0); /* not of s1 */
	assert_int_equal(who_on_shift(&f->w, "s1", "nobody", noon), 0);
	assert_int_equal(who_on_shift(&f->w, "s9", "d1", noon), 0);
}

/* s2 is staffed 08:00-20:00 London time only: outside it everybody of the
 * duty post is told, with fallback set; inside it only e1. The same UTC
 * instant (07:30Z) is a gap in winter and on shift in summer (BST). */
static void
test_gap_falls_back(void **state)
{
	struct fx *f = *state;
	char got[512];
	int fb = -1;

	resolve(&f->w, "s2", "duty_engineer", at(LONDON_WINTER, 2024, 1, 10, 12, 0), MAX_OUT, &fb,
		got, sizeof got);
	assert_string_equal(got, "e1");
	assert_int_equal(fb, 0);
	resolve(&f->w, "s2", "duty_engineer", at(LONDON_WINTER, 2024, 1, 10, 21, 0), MAX_OUT, &fb,
		got, sizeof got);
	assert_string_equal(got, "e1,e2");
	assert_int_equal(fb, 1);
	resolve(&f->w, "s2", "duty_engineer", at(0, 2024, 1, 10, 7, 30), MAX_OUT, &fb, got,
		sizeof got);
	assert_int_equal(fb, 1);
	resolve(&f->w, "s2", "duty_engineer", at(0, 2024, 7, 10, 7, 30), MAX_OUT, &fb, got,
		sizeof got);
	assert_string_equal(got, "e1");
	assert_int_equal(fb, 0);
	assert_int_equal(who_on_shift(&f->w, "s2", "e1", at(LONDON_SUMMER, 2024, 7, 10, 19, 59)),
			 1);
	assert_int_equal(who_on_shift(&f->w, "s2", "e1", at(LONDON_SUMMER, 2024, 7, 10, 20, 0)), 0);
	/* a NULL fallback is allowed */
	resolve(&f->w, "s2", "duty_engineer", at(0, 2024, 1, 10, 23, 0), MAX_OUT, NULL, got,
		sizeof got);
	assert_string_equal(got, "e1,e2");
}

struct list_case {
	const char *site, *targets, *expect;
};

/* At 2024-01-01 12:00 Shanghai (d1 on duty at s1) and 04:00 London (a gap
 * at s2 only matters for duty_engineer, which these avoid but one). */
static const struct list_case list_cases[] = {
	{"s1", "technician", "sup,techA"}, /* old inactive, techB of s2 */
	{"s2", "technician", "sup,techB"},
	{"s1", "supervisor", "sup"}, /* no areas: every site */
	{"s2", "supervisor", "sup"},
	{"s1", "crew", "techA,d1,sup"}, /* team: active members of the site */
	{"s2", "crew", "techB,sup"},
	{"s1", "ctr", "ctr"}, /* person ids */
	{"s2", "ctr", "ctr"},
	{"s1", "old", ""},   /* inactive */
	{"s1", "dx", ""},    /* inactive, though rostered on days */
	{"s1", "techB", ""}, /* areas of s2 only */
	{"s1", "project_manager", ""},
	{"s1", "nobody,ctr", "ctr"},                      /* unknown skipped */
	{"s1", "sup,duty_engineer,crew", "sup,d1,techA"}, /* named and in a role/team */
	{"s1", "crew,crew,technician", "techA,d1,sup"},
	{"s1", "duty_engineer,d4", "d1,d4"}, /* a person id is not roster-bound */
	{"s2", "ctr,duty_engineer", "ctr,e1,e2"},
};

static void
test_lists(void **state)
{
	struct fx *f = *state;
	long long now = at(SHANGHAI, 2024, 1, 1, 12, 0);
	char got[512];

	for (size_t i = 0; i < sizeof list_cases / sizeof *list_cases; i++) {
		const struct list_case *c = &list_cases[i];
		int n = resolve(&f->w, c->site, c->targets, now, MAX_OUT, NULL, got, sizeof got);

		if (strcmp(got, c->expect) != 0)
			fail_msg("%s [%s]: got '%s', want '%s'", c->site, c->targets, got,
				 c->expect);
		assert_int_equal(n, count_ids(got));
	}
}

static void
test_max_and_unknown_site(void **state)
{
	struct fx *f = *state;
	long long now = at(SHANGHAI, 2024, 1, 1, 12, 0);
	char got[512];
	int fb = -1;

	assert_int_equal(
		resolve(&f->w, "s1", "sup,duty_engineer,crew", now, 2, NULL, got, sizeof got), 2);
	assert_string_equal(got, "sup,d1");
	assert_int_equal(
		resolve(&f->w, "s1", "sup,duty_engineer,crew", now, 1, NULL, got, sizeof got), 1);
	assert_string_equal(got, "sup");
	assert_int_equal(resolve(&f->w, "s1", "sup", now, 0, NULL, got, sizeof got), 0);
	assert_int_equal(resolve(&f->w, "s9", "sup", now, MAX_OUT, &fb, got, sizeof got), -1);
	assert_int_equal(fb, 0);
}

static void
test_has_role(void **state)
{
	struct fx *f = *state;

	assert_int_equal(who_has_role(&f->w, "d1", "duty_engineer"), 1);
	assert_int_equal(who_has_role(&f->w, "sup", "technician"), 1);
	assert_int_equal(who_has_role(&f->w, "d1", "technician"), 0);
	assert_int_equal(who_has_role(&f->w, "dx", "duty_engineer"), 0); /* inactive */
	assert_int_equal(who_has_role(&f->w, "nobody", "duty_engineer"), 0);
}

/* Without the zone files every site reads its roster in UTC: d1's day shift
 * then starts at 08:00Z, not 08:00 Shanghai. */
static void
test_missing_zone_falls_back_to_utc(void **state)
{
	struct fx *f = *state;
	struct who w;
	char got[512];

	assert_int_equal(who_build(&w, &f->reg, "/nonexistent-zoneinfo"), -1);
	resolve(&w, "s1", "duty_engineer", at(0, 2024, 1, 1, 8, 0), MAX_OUT, NULL, got, sizeof got);
	assert_string_equal(got, "d1");
	resolve(&w, "s1", "duty_engineer", at(0, 2024, 1, 1, 7, 59), MAX_OUT, NULL, got,
		sizeof got);
	assert_string_equal(got, "d3");
	who_free(&w);
	who_free(&w);
	who_free(NULL);
}

/* The shipped registry: the four duty engineers rotate day/night/off/off
 * from 2024-01-01, so exactly one is on duty at every quarter hour (no
 * fallback), and the entrapment rule's list reaches the contractor and the
 * emergency team once each. */
static int
load_shipped(struct reg *reg, struct rcf_set *set, struct who *w)
{
	const char *dir = getenv("FM_CONFIG_DIR");
	struct cfg_errs errs;
	int rc;

	dir = dir && *dir ? dir : "config";
	cfg_errs_init(&errs);
	rc = reg_load_dir(dir, reg, &errs);
	if (rc == 0)
		rc = rcf_load_dir(dir, reg, set, &errs);
	cfg_errs_print(&errs, stderr);
	cfg_errs_free(&errs);
	if (rc == 0)
		rc = who_build(w, reg, NULL);
	return rc;
}

static void
test_shipped(void **state)
{
	static const char *const duty[] = {"duty-wang", "duty-li", "duty-zhang", "duty-liu"};
	struct rcf_set set = {0};
	struct reg reg = {0};
	struct who w = {0};
	const struct rcf_rule *r;
	char out[MAX_OUT][REG_ID_SIZE], got[512];
	int fb, n;

	(void)state;
	assert_int_equal(load_shipped(&reg, &set, &w), 0);
	for (int q = 0; q < 8 * 24 * 4; q++) {
		long long now = at(SHANGHAI, 2024, 3, 1, 0, 15 * q);

		n = resolve(&w, "demo", "duty_engineer", now, MAX_OUT, &fb, got, sizeof got);
		assert_int_equal(n, 1);
		assert_int_equal(fb, 0);
		assert_int_equal(who_on_shift(&w, "demo", got, now), 1);
	}
	resolve(&w, "demo", "duty_engineer", at(SHANGHAI, 2024, 1, 1, 12, 0), MAX_OUT, &fb, got,
		sizeof got);
	assert_string_equal(got, duty[0]);
	resolve(&w, "demo", "duty_engineer", at(SHANGHAI, 2024, 1, 1, 7, 59), MAX_OUT, &fb, got,
		sizeof got);
	assert_string_equal(got, duty[2]); /* the night of 2023-12-31 */
	resolve(&w, "demo", "duty_engineer", at(SHANGHAI, 2024, 1, 1, 20, 0), MAX_OUT, &fb, got,
		sizeof got);
	assert_string_equal(got, duty[3]);
	r = rcf_find(&set, "elevator_entrapment");
	assert_non_null(r);
	n = who_resolve(&w, "demo", &r->notify, at(SHANGHAI, 2024, 1, 1, 12, 0), out, MAX_OUT, &fb);
	assert_int_equal(n, 9);
	assert_string_equal(out[0], "duty-wang");
	assert_string_equal(out[1], "ctr-elevator");
	assert_string_equal(out[2], "rescue-line");
	assert_string_equal(out[3], "duty-li");
	assert_string_equal(out[8], "tech-zhao");
	assert_int_equal(who_has_role(&w, "sup-sun", "supervisor"), 1);
	who_free(&w);
	rcf_free(&set);
	reg_free(&reg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duty_rotation_boundaries),
		cmocka_unit_test(test_on_shift),
		cmocka_unit_test(test_gap_falls_back),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_max_and_unknown_site),
		cmocka_unit_test(test_has_role),
		cmocka_unit_test(test_missing_zone_falls_back_to_utc),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
