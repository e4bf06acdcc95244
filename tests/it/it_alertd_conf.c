/* it_alertd_conf.c — alertd's configuration read back from PostgreSQL
 * (services/alertd/conf_db.c) against the real server of tests/it/run.sh:
 * after `fmctl apply config/`, conf_db_load must give what reg_load_dir and
 * rcf_load_dir give from the same files — every record and every field
 * alertd uses, the override grouping and the rule index — also as a member
 * of fm_alertd; text arrays survive quoting; a row the code cannot take and
 * a server that is down fail the load with a reason and nothing to free. */
#include "alertd/conf_db.h"
#include "alertd/rule_index.h"
#include "db.h"
#include "log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "it_servers.h"

static struct db *db;
static struct reg yreg, dreg; /* from the YAML files, from the database */
static struct rcf_set yrules, drules;

#define SAME_STR(what, id, a, b)                                                                   \
	do {                                                                                       \
		if (strcmp((a), (b)) != 0)                                                         \
			fail_msg("%s %s: %s: '%s' != '%s'", what, id, #a, (a), (b));               \
	} while (0)
#define SAME_NUM(what, id, a, b)                                                                   \
	do {                                                                                       \
		if ((a) != (b))                                                                    \
			fail_msg("%s %s: %s: %.17g != %.17g", what, id, #a, (double)(a),           \
				 (double)(b));                                                     \
	} while (0)

/* Runs fmctl with args; its report is not what is tested. */
static void
exec_sql(const char *sql)
{
	if (db_exec(db, sql, 0, NULL, NULL) != DB_OK)
		fail_msg("%s: %s", sql, db_error(db));
}

/* Same strings, in the same order when ordered (link tables have none). */
static void
same_strs(const char *what, const char *id, const struct cfg_strlist *a,
	  const struct cfg_strlist *b, int ordered)
{
	if (a->n != b->n)
		fail_msg("%s %s: %zu items != %zu", what, id, a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		if (ordered ? strcmp(a->v[i], b->v[i]) != 0 : cfg_strlist_find(b, a->v[i]) < 0)
			fail_msg("%s %s: '%s' missing or out of place", what, id, a->v[i]);
}

static int
setup(void **state)
{
	struct cfg_errs errs;
	char err[256];

	(void)state;
	log_set_prog("it_alertd_conf");
	if (!getenv("FM_DB_CONNINFO")) {
		fprintf(stderr,
			"it_alertd_conf: FM_DB_CONNINFO not set: run under tests/it/run.sh\n");
		return -1;
	}
	it_fmctl("migrate");
	it_fmctl("apply config/");
	cfg_errs_init(&errs);
	if (reg_load_dir("config", &yreg, &errs) < 0 ||
	    rcf_load_dir("config", &yreg, &yrules, &errs) < 0) {
		cfg_errs_print(&errs, stderr);
		cfg_errs_free(&errs);
		return -1;
	}
	cfg_errs_free(&errs);
	db = db_new(NULL);
	db_set_connect_timeout_ms(db, 5000);
	if (conf_db_load(db, &dreg, NULL, &drules, err, sizeof err) < 0) {
		fprintf(stderr, "conf_db_load: %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	reg_free(&dreg);
	rcf_free(&drules);
	rcf_free(&yrules);
	reg_free(&yreg);
	db_free(db);
	return 0;
}

/* Pairs: from the database, from the files. */
static void
test_same_counts(void **state)
{
	const size_t n[] = {dreg.n_sites,       yreg.n_sites,      dreg.n_areas,   yreg.n_areas,
			    dreg.n_buildings,   yreg.n_buildings,  dreg.n_skills,  yreg.n_skills,
			    dreg.n_devices,     yreg.n_devices,    dreg.n_people,  yreg.n_people,
			    dreg.n_shifts,      yreg.n_shifts,     dreg.n_roster,  yreg.n_roster,
			    dreg.n_teams,       yreg.n_teams,      drules.n_rules, yrules.n_rules,
			    drules.n_overrides, yrules.n_overrides};

	(void)state;
	assert_true(yreg.n_devices > 10 && yrules.n_rules > 10 && yrules.n_overrides > 0);
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i += 2)
		if (n[i] != n[i + 1])
			fail_msg("count %zu: %zu != %zu", i / 2, n[i], n[i + 1]);
}

static void
test_places_and_devices(void **state)
{
	static const size_t dev_text[] = {
		offsetof(struct reg_device, site),     offsetof(struct reg_device, name),
		offsetof(struct reg_device, parent),   offsetof(struct reg_device, area),
		offsetof(struct reg_device, building), offsetof(struct reg_device, location),
		offsetof(struct reg_device, supplier), offsetof(struct reg_device, warranty_end),
	};

	(void)state;
	for (size_t i = 0; i < yreg.n_sites; i++) {
		const struct reg_site *y = &yreg.sites[i], *d = reg_site_find(&dreg, y->id);

		assert_non_null(d);
		SAME_STR("site", y->id, y->name, d->name);
		SAME_STR("site", y->id, y->timezone, d->timezone);
	}
	for (size_t i = 0; i < yreg.n_areas; i++)
		SAME_STR("area", yreg.areas[i].id, yreg.areas[i].site,
			 reg_area_find(&dreg, yreg.areas[i].id)->site);
	for (size_t i = 0; i < yreg.n_buildings; i++)
		SAME_STR("building", yreg.buildings[i].id, yreg.buildings[i].area,
			 reg_building_find(&dreg, yreg.buildings[i].id)->area);
	for (size_t i = 0; i < yreg.n_skills; i++)
		assert_non_null(reg_skill_find(&dreg, yreg.skills[i].id));
	for (size_t i = 0; i < yreg.n_devices; i++) {
		const struct reg_device *y = &yreg.devices[i], *d = reg_device_find(&dreg, y->id);

		if (!d)
			fail_msg("device %s not loaded", y->id);
		for (size_t k = 0; k < sizeof dev_text / sizeof dev_text[0]; k++)
			SAME_STR("device", y->id, (const char *)y + dev_text[k],
				 (const char *)d + dev_text[k]);
		SAME_NUM("device", y->id, y->type, d->type);
		same_strs("feeds of device", y->id, &y->feeds, &d->feeds, 0);
		same_strs("tags of device", y->id, &y->tags, &d->tags, 1);
	}
	assert_null(reg_device_find(&dreg, "no-such-device"));
}

static void
test_people_shifts_roster_teams(void **state)
{
	(void)state;
	for (size_t i = 0; i < yreg.n_people; i++) {
		const struct reg_person *y = &yreg.people[i], *d = reg_person_find(&dreg, y->id);

		if (!d)
			fail_msg("person %s not loaded", y->id);
		SAME_STR("person", y->id, y->name, d->name);
		SAME_STR("person", y->id, y->phone, d->phone);
		SAME_STR("person", y->id, y->company, d->company);
		SAME_NUM("person", y->id, y->active, d->active);
		SAME_NUM("person", y->id, y->capacity, d->capacity);
		same_strs("roles of", y->id, &y->roles, &d->roles, 0);
		same_strs("skills of", y->id, &y->skills, &d->skills, 0);
		same_strs("areas of", y->id, &y->areas, &d->areas, 0);
	}
	for (size_t i = 0; i < yreg.n_shifts; i++) {
		const struct reg_shift *y = &yreg.shifts[i], *d = reg_shift_find(&dreg, y->id);

		assert_non_null(d);
		SAME_STR("shift", y->id, y->start, d->start);
		SAME_STR("shift", y->id, y->end, d->end);
		SAME_NUM("shift", y->id, y->start_min, d->start_min);
		SAME_NUM("shift", y->id, y->end_min, d->end_min);
	}
	for (size_t i = 0; i < yreg.n_roster; i++) {
		const struct reg_roster *y = &yreg.roster[i], *d = NULL;

		for (size_t k = 0; k < dreg.n_roster; k++)
			if (strcmp(dreg.roster[k].person, y->person) == 0 &&
			    strcmp(dreg.roster[k].shift, y->shift) == 0)
				d = &dreg.roster[k];
		if (!d)
			fail_msg("roster %s/%s not loaded", y->person, y->shift);
		SAME_STR("roster of", y->person, y->cycle_start, d->cycle_start);
		SAME_NUM("roster of", y->person, y->cycle_days, d->cycle_days);
		SAME_NUM("roster of", y->person, y->on_days, d->on_days);
	}
	for (size_t i = 0; i < yreg.n_teams; i++) {
		const struct reg_team *y = &yreg.teams[i], *d = reg_team_find(&dreg, y->id);

		assert_non_null(d);
		same_strs("members of", y->id, &y->members, &d->members, 0);
	}
}

/* What alertd takes from a rule; window, timeout, after and silence only
 * where the kind has them (the YAML fills defaults, the table NULL). */
static void
same_rule(const char *what, const struct rcf_rule *y, const struct rcf_rule *d)
{
	SAME_STR(what, y->id, y->device, d->device);
	SAME_STR(what, y->id, y->name, d->name);
	same_strs(what, y->id, &y->asset_types, &d->asset_types, 1);
	SAME_NUM(what, y->id, y->type_mask, d->type_mask);
	SAME_NUM(what, y->id, y->kind, d->kind);
	SAME_STR(what, y->id, y->metric, d->metric);
	SAME_STR(what, y->id, y->guard, d->guard);
	SAME_STR(what, y->id, y->event, d->event);
	SAME_NUM(what, y->id, y->op, d->op);
	SAME_NUM(what, y->id, y->raise, d->raise);
	SAME_NUM(what, y->id, y->clear, d->clear);
	SAME_NUM(what, y->id, y->has_clear, d->has_clear);
	SAME_NUM(what, y->id, y->raise_for_ms, d->raise_for_ms);
	SAME_NUM(what, y->id, y->clear_for_ms, d->clear_for_ms);
	if (y->kind == RCF_RATE)
		SAME_NUM(what, y->id, y->window_ms, d->window_ms);
	if (y->kind == RCF_NO_DATA)
		SAME_NUM(what, y->id, y->timeout_ms, d->timeout_ms);
	if (y->kind == RCF_OFFLINE) {
		SAME_NUM(what, y->id, y->after_ms, d->after_ms);
		SAME_NUM(what, y->id, y->silence_ms, d->silence_ms);
	}
	SAME_NUM(what, y->id, y->severity, d->severity);
	SAME_STR(what, y->id, y->message, d->message);
	same_strs(what, y->id, &y->notify, &d->notify, 1);
	SAME_NUM(what, y->id, y->wo.wanted, d->wo.wanted);
	if (y->wo.wanted) {
		SAME_NUM(what, y->id, y->wo.category, d->wo.category);
		SAME_NUM(what, y->id, y->wo.urgency, d->wo.urgency);
		SAME_STR(what, y->id, y->wo.skill, d->wo.skill);
		SAME_STR(what, y->id, y->wo.assignee, d->wo.assignee);
	}
	SAME_NUM(what, y->id, y->reminder_ms, d->reminder_ms);
	SAME_NUM(what, y->id, y->n_esc, d->n_esc);
	for (int i = 0; i < y->n_esc; i++) {
		SAME_NUM(what, y->id, y->esc[i].after_ms, d->esc[i].after_ms);
		same_strs(what, y->id, &y->esc[i].notify, &d->esc[i].notify, 1);
	}
	SAME_NUM(what, y->id, y->flap_changes, d->flap_changes);
	SAME_NUM(what, y->id, y->flap_window_ms, d->flap_window_ms);
	SAME_NUM(what, y->id, y->shelve_max_ms, d->shelve_max_ms);
	SAME_NUM(what, y->id, y->enabled, d->enabled);
}

static void
test_rules_and_overrides(void **state)
{
	int steps = 0, wos = 0;

	(void)state;
	for (size_t i = 0; i < yrules.n_rules; i++) {
		const struct rcf_rule *y = &yrules.rules[i], *d = rcf_find(&drules, y->id);

		if (!d)
			fail_msg("rule %s not loaded", y->id);
		same_rule("rule", y, d);
		SAME_NUM("rule", y->id, y->ov_n, d->ov_n);
		steps += y->n_esc;
		wos += y->wo.wanted;
	}
	/* The demo configuration exercises what is compared. */
	assert_true(steps > 0 && wos > 0);
	for (size_t i = 0; i < yrules.n_overrides; i++) {
		const struct rcf_rule *y = &yrules.overrides[i];
		const struct rcf_rule *base = rcf_find(&drules, y->id);
		const struct rcf_rule *d = rcf_effective(&drules, base, y->device);

		if (d == base)
			fail_msg("override of %s for %s not found", y->id, y->device);
		same_rule("override", y, d);
		assert_ptr_equal(&drules.rules[d->ov_first], base);
	}
	/* Grouped by rule, sorted by device, as rcf_effective's search needs. */
	for (size_t i = 0; i < drules.n_rules; i++) {
		const struct rcf_rule *r = &drules.rules[i];

		for (size_t k = r->ov_first; k < r->ov_first + r->ov_n; k++) {
			assert_string_equal(drules.overrides[k].id, r->id);
			assert_int_equal(drules.overrides[k].ov_first, i);
			if (k > r->ov_first)
				assert_true(strcmp(drules.overrides[k - 1].device,
						   drules.overrides[k].device) < 0);
		}
		assert_ptr_equal(rcf_effective(&drules, r, "no-such-device"), r);
	}
}

/* Both lookups give the same rules (by id: the sets are different memory). */
static void
same_run(const char *what, int type, const struct rcf_rule *const *yv, size_t yn,
	 const struct rcf_rule *const *dv, size_t dn)
{
	if (yn != dn)
		fail_msg("%s, type %d: %zu rules != %zu", what, type, yn, dn);
	for (size_t j = 0; j < yn; j++) {
		size_t k = 0;

		while (k < dn && strcmp(dv[k]->id, yv[j]->id) != 0)
			k++;
		if (k == dn)
			fail_msg("%s, type %d: rule %s missing", what, type, yv[j]->id);
	}
}

/* The index over the loaded rules lists the same rules for every device's
 * type, and for every metric and event the rules name. */
static void
test_rule_index_agrees(void **state)
{
	const struct rcf_rule *const *yv, *const *dv;
	struct rule_index yi, di;
	size_t yn, dn;

	(void)state;
	assert_int_equal(rule_index_build(&yi, &yrules), 0);
	assert_int_equal(rule_index_build(&di, &drules), 0);
	for (size_t i = 0; i < yreg.n_devices; i++) {
		int t = yreg.devices[i].type;

		yv = rule_index_type(&yi, t, &yn);
		dv = rule_index_type(&di, t, &dn);
		same_run("all", t, yv, yn, dv, dn);
		yv = rule_index_presence(&yi, t, &yn);
		dv = rule_index_presence(&di, t, &dn);
		same_run("presence", t, yv, yn, dv, dn);
		for (size_t k = 0; k < yrules.n_rules; k++) {
			const struct rcf_rule *r = &yrules.rules[k];

			int ev = r->kind == RCF_EVENT;

			yv = ev ? rule_index_event(&yi, t, r->event, &yn)
				: rule_index_metric(&yi, t, r->metric, &yn);
			dv = ev ? rule_index_event(&di, t, r->event, &dn)
				: rule_index_metric(&di, t, r->metric, &dn);
			same_run(r->id, t, yv, yn, dv, dn);
		}
	}
	rule_index_free(&yi);
	rule_index_free(&di);
}

/* The role alertd runs as (a LOGIN member of fm_alertd) may read it all. */
static void
test_reads_as_fm_alertd(void **state)
{
	char conninfo[512], err[256];
	struct reg reg;
	struct rcf_set set;
	struct db *ro;

	(void)state;
	exec_sql("DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
		 "'it_alertd_conf') THEN CREATE ROLE it_alertd_conf LOGIN IN ROLE fm_alertd; "
		 "END IF; END$$");
	snprintf(conninfo, sizeof conninfo, "%s user=it_alertd_conf", getenv("FM_DB_CONNINFO"));
	ro = db_new(conninfo);
	if (conf_db_load(ro, &reg, NULL, &set, err, sizeof err) < 0)
		fail_msg("as fm_alertd: %s", err);
	assert_int_equal(reg.n_devices, yreg.n_devices);
	assert_int_equal(set.n_overrides, yrules.n_overrides);
	reg_free(&reg);
	rcf_free(&set);
	db_free(ro);
}

/* Tags are free text: PostgreSQL quotes and escapes them in its output. */
static void
test_text_arrays_round_trip(void **state)
{
	static const char *const tags[] = {"a,b",    "q\"uote", "back\\slash", "NULL",
					   "sp ace", "{brace}", "电梯"};
	char err[256];
	struct reg reg;
	struct rcf_set set;
	const struct reg_device *d;

	(void)state;
	exec_sql("UPDATE devices SET tags = ARRAY['a,b', 'q\"uote', E'back\\\\slash', 'NULL',"
		 " 'sp ace', '{brace}', '电梯'] WHERE device_id = 'pump-3'");
	if (conf_db_load(db, &reg, NULL, &set, err, sizeof err) < 0)
		fail_msg("%s", err);
	d = reg_device_find(&reg, "pump-3");
	assert_non_null(d);
	assert_int_equal(d->tags.n, sizeof tags / sizeof tags[0]);
	for (size_t i = 0; i < d->tags.n; i++)
		assert_string_equal(d->tags.v[i], tags[i]);
	reg_free(&reg);
	rcf_free(&set);
	it_fmctl("apply config/");
}

/* Each change makes a row the code cannot take; the load fails naming it,
 * leaves nothing behind (ASan: no leak), and succeeds again once the
 * configuration is re-applied. */
static void
test_bad_rows_refused(void **state)
{
	static const struct {
		const char *sql, *reason;
	} bad[] = {
		{"UPDATE rules SET asset_types = '{water_pump,rocket}' WHERE rule_id = "
		 "'pump_no_current' AND device_id IS NULL",
		 "unknown asset type 'rocket'"},
		{"UPDATE rules SET escalation = '[{\"after_ms\": 60000}]' WHERE device_id IS NULL",
		 "lacks after_ms or notify"},
		{"UPDATE rules SET escalation = (SELECT jsonb_agg(jsonb_build_object('after_ms', "
		 "g * 1000, 'notify', jsonb_build_array('supervisor'))) FROM generate_series(1, 9) "
		 "g)",
		 "more than 8 escalation steps"},
		{"UPDATE devices SET name = repeat('x', 300) WHERE device_id = 'pump-3'",
		 "pump-3: column name"},
		{"UPDATE shifts SET name = repeat('y', 200)", "column name"},
	};
	char err[256];
	struct reg reg;
	struct rcf_set set;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		exec_sql(bad[i].sql);
		memset(err, 'z', sizeof err);
		assert_int_equal(conf_db_load(db, &reg, NULL, &set, err, sizeof err), -1);
		if (!strstr(err, bad[i].reason))
			fail_msg("%s: reason '%s', expected '%s'", bad[i].sql, err, bad[i].reason);
		assert_null(strchr(err, '\n'));
		assert_true(reg.n_devices == 0 && reg.devices == NULL && set.n_rules == 0 &&
			    set.rules == NULL && set.overrides == NULL);
		it_fmctl("apply config/");
		if (conf_db_load(db, &reg, NULL, &set, err, sizeof err) < 0)
			fail_msg("after re-apply: %s", err);
		assert_int_equal(set.n_rules, yrules.n_rules);
		reg_free(&reg);
		rcf_free(&set);
	}
}

static void
test_server_down(void **state)
{
	struct db *down = db_new("host=127.0.0.1 port=1 dbname=fm connect_timeout=2");
	char err[256];
	struct reg reg;
	struct rcf_set set;

	(void)state;
	assert_int_equal(conf_db_load(down, &reg, NULL, &set, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot connect"));
	assert_null(strchr(err, '\n'));
	assert_true(reg.n_sites == 0 && reg.sites == NULL && set.rules == NULL);
	reg_free(&reg);
	rcf_free(&set);
	db_free(down);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_counts),
		cmocka_unit_test(test_places_and_devices),
		cmocka_unit_test(test_people_shifts_roster_teams),
		cmocka_unit_test(test_rules_and_overrides),
		cmocka_unit_test(test_rule_index_agrees),
		cmocka_unit_test(test_reads_as_fm_alertd),
		cmocka_unit_test(test_text_arrays_round_trip),
		cmocka_unit_test(test_bad_rows_refused),
		cmocka_unit_test(test_server_down),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
