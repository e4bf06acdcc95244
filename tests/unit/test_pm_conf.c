/* test_pm_conf.c — the maintenance.yaml checker (common/pm_conf*.c): a small
 * valid plan file against a small registry (line numbers in comments), then
 * one edit per case, each caught at its file:line with its message; what a
 * valid file binds and inherits from `defaults:`; which devices a plan
 * covers. Periods and the shipped file are test_pm_conf_shipped.c. */
#include "pm_conf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char site_yaml[] = "sites:\n"
				"  - {id: s1, name: Site One, timezone: Asia/Shanghai}\n"
				"  - {id: s2, name: Site Two, timezone: Asia/Shanghai}\n";

static const char devices_yaml[] = "site: s1\n"
				   "devices:\n"
				   "  - {id: lift-1, type: elevator, name: Lift 1, tags: [fire]}\n"
				   "  - {id: lift-2, type: elevator, name: Lift 2}\n"
				   "  - {id: pump-1, type: water_pump, name: Pump 1}\n"
				   "  - {id: pump-9, type: water_pump, name: Pump 9, site: s2}\n";

static const char people_yaml[] = "skills:\n"
				  "  - {id: elevator, name: Elevators}\n"
				  "  - {id: plumbing, name: Plumbing}\n"
				  "people:\n"
				  "  - {id: duty1, name: Duty One, roles: [duty_engineer]}\n"
				  "  - {id: sup1, name: Sup One, roles: [supervisor]}\n"
				  "  - {id: pm1, name: PM One, roles: [project_manager]}\n"
				  "shifts:\n"
				  "  - {id: all, name: All day, start: \"00:00\", end: \"24:00\"}\n"
				  "roster:\n"
				  "  - shift: all\n"
				  "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
				  "    people: [duty1]\n";

static const char plans_yaml[] =
	"defaults:\n" /* 1 */
	"  lead_time: 1h\n"
	"  overdue:\n"
	"    after: 1d\n"
	"    notify: [supervisor]\n" /* 5 */
	"    escalate: [sup1, project_manager]\n"
	"plans:\n"
	"  - id: lift_routine\n"
	"    name: Lift routine\n"
	"    targets: {asset_types: [elevator]}\n" /* 10 */
	"    calendar: {every: 15 days}\n"
	"    window: {start: \"00:00\", end: \"06:00\"}\n"
	"    lead_time: 2d\n"
	"    duration: 2h\n"
	"    checklist: [clean, lubricate]\n" /* 15 */
	"    item_sets:\n"
	"      - name: quarterly\n"
	"        every: 3 months\n"
	"        anchor_date: 2024-01-01\n"
	"        items: [governor]\n" /* 20 */
	"    skill: elevator\n"
	"    statutory: true\n"
	"  - id: lift_fire\n"
	"    name: Fire lift test\n"
	"    targets: {asset_types: [elevator], tags: [fire], site: s1}\n" /* 25 */
	"    calendar: {every: 1 year, anchor: fixed, anchor_date: 2024-06-01}\n"
	"    duration: 4h\n"
	"    checklist: [test]\n"
	"    last_done: 2025-06-03\n"
	"  - id: pump_service\n" /* 30 */
	"    name: Pump service\n"
	"    targets: {devices: [pump-1]}\n"
	"    calendar: {every: 6 months}\n"
	"    meter: {metric: run_hours, every: 2000}\n"
	"    duration: 3h\n" /* 35 */
	"    checklist: [bearings]\n"
	"    overdue: {after: 2d, notify: [duty1]}\n"
	"  - id: night_check\n"
	"    name: Night check\n"
	"    targets: {site: s1}\n" /* 40 */
	"    calendar: {every: 1 week}\n"
	"    window: {start: \"22:00\", end: \"02:00\"}\n"
	"    duration: 2h\n"
	"    checklist: [walk]\n"
	"    assignee: sup1\n" /* 45 */
	"  - id: starts_service\n"
	"    name: Starts service\n"
	"    targets: {asset_types: [water_pump], site: s2}\n"
	"    meter: {metric: running, kind: starts, every: 500}\n"
	"    duration: 1h\n" /* 50 */
	"    checklist: [contactor]\n";

struct fixture {
	struct cfg_doc *docs[4];
	struct reg reg;
	struct pm_set set;
	struct cfg_errs errs;
};

struct edit {
	const char *from, *to;
};

/* The plans text with up to two edits (each `from` must occur). */
static char *
edited(const struct edit *e, size_t n)
{
	char *s = strdup(plans_yaml);

	for (size_t i = 0; i < n && e[i].from; i++) {
		char *at = strstr(s, e[i].from), *t;

		if (!at)
			fail_msg("edit: '%s' not in the plans text", e[i].from);
		t = malloc(strlen(s) - strlen(e[i].from) + strlen(e[i].to) + 1);
		sprintf(t, "%.*s%s%s", (int)(at - s), s, e[i].to, at + strlen(e[i].from));
		free(s);
		s = t;
	}
	return s;
}

static int
load(struct fixture *f, const char *plans, int with_reg)
{
	memset(f, 0, sizeof *f);
	cfg_errs_init(&f->errs);
	f->docs[0] = cfg_load_buf("site.yaml", site_yaml, strlen(site_yaml), &f->errs);
	f->docs[1] = cfg_load_buf("devices.yaml", devices_yaml, strlen(devices_yaml), &f->errs);
	f->docs[2] = cfg_load_buf("people.yaml", people_yaml, strlen(people_yaml), &f->errs);
	assert_int_equal(reg_build(&f->reg, f->docs[0], f->docs[1], f->docs[2], &f->errs), 0);
	f->docs[3] = cfg_load_buf("maintenance.yaml", plans, strlen(plans), &f->errs);
	return pm_build(&f->set, f->docs[3], with_reg ? &f->reg : NULL, &f->errs);
}

static void
unload(struct fixture *f)
{
	pm_free(&f->set);
	reg_free(&f->reg);
	for (int i = 0; i < 4; i++)
		cfg_doc_free(f->docs[i]);
	cfg_errs_free(&f->errs);
}

struct conf_case {
	const char *what;
	struct edit e[2];
	const char *expect; /* some message is exactly this */
};

#define M "maintenance.yaml:"
static const struct conf_case cases[] = {
	{"bad plan id",
	 {{"id: lift_fire", "id: Lift-Fire"}},
	 M "23: id: 'Lift-Fire' is not a plan id ([a-z0-9_], 1 to 64)"},
	{"duplicate plan id",
	 {{"id: lift_fire", "id: lift_routine"}},
	 M "23: duplicate plan id 'lift_routine' (first at maintenance.yaml:8)"},
	{"unknown key",
	 {{"    skill: elevator\n", "    skil: elevator\n"}},
	 M "21: unknown key 'skil'"},
	{"no targets", {{"    targets: {site: s1}\n", ""}}, M "38: missing required key 'targets'"},
	{"empty targets",
	 {{"targets: {site: s1}", "targets: {}"}},
	 M "40: targets: name devices, asset_types, or a site alone for site-level work"},
	{"targets not a mapping",
	 {{"targets: {site: s1}", "targets: s1"}},
	 M "40: targets: expected a mapping such as {asset_types: [elevator]}, {devices: "
	   "[pump-1]} or {site: demo}"},
	{"unknown device",
	 {{"devices: [pump-1]", "devices: [pump-2]"}},
	 M "32: devices: unknown device 'pump-2'"},
	{"device twice",
	 {{"devices: [pump-1]", "devices: [pump-1, pump-1]"}},
	 M "32: devices: 'pump-1' is listed twice"},
	{"device on another site",
	 {{"devices: [pump-1]", "devices: [pump-9], site: s1"}},
	 M "32: devices: 'pump-9' is on site 's2', not 's1'"},
	{"unknown asset type",
	 {{"asset_types: [elevator]}", "asset_types: [lift]}"}},
	 M "10: asset_types: unknown asset type 'lift'"},
	{"unknown site",
	 {{"targets: {site: s1}", "targets: {site: s3}"}},
	 M "40: site: unknown site 's3'"},
	{"tags without asset types",
	 {{"devices: [pump-1]", "devices: [pump-1], tags: [x]"}},
	 M "32: tags: only with asset_types (tags narrow the asset types)"},
	{"no device matches",
	 {{"tags: [fire]", "tags: [fire, vip]"}},
	 M "25: targets: no device matches these asset_types, tags and site"},
	{"no device of the type on the site",
	 {{"asset_types: [water_pump], site: s2", "asset_types: [elevator], site: s2"}},
	 M "48: targets: no device matches these asset_types and site"},
	{"neither calendar nor meter",
	 {{"    calendar: {every: 1 week}\n", ""}},
	 M "38: a plan needs calendar:, meter: or both (whichever comes first)"},
	{"bad period",
	 {{"every: 15 days", "every: 15 fortnights"}},
	 M "11: every: '15 fortnights' is not a period (N days, weeks, months or years; N from "
	   "1 to 999)"},
	{"zero period",
	 {{"every: 15 days", "every: 0 days"}},
	 M "11: every: '0 days' is not a period (N days, weeks, months or years; N from 1 to "
	   "999)"},
	{"fixed without a date",
	 {{"anchor: fixed, anchor_date: 2024-06-01", "anchor: fixed"}},
	 M "26: anchor_date: a fixed plan needs the date of one occurrence (YYYY-MM-DD)"},
	{"floating with a date",
	 {{"{every: 15 days}", "{every: 15 days, anchor_date: 2024-01-01}"}},
	 M "11: anchor_date: only fixed plans have one (a floating plan counts from its last "
	   "completion)"},
	{"bad anchor date",
	 {{"anchor_date: 2024-06-01", "anchor_date: 2023-02-29"}},
	 M "26: anchor_date: '2023-02-29' is not a date (YYYY-MM-DD)"},
	{"unknown anchor",
	 {{"anchor: fixed", "anchor: pinned"}},
	 M "26: anchor: unknown value 'pinned' (expected one of: floating, fixed)"},
	{"bad last_done",
	 {{"last_done: 2025-06-03", "last_done: 2025-13-01"}},
	 M "29: last_done: '2025-13-01' is not a date (YYYY-MM-DD)"},
	{"bad window start",
	 {{"start: \"00:00\"", "start: \"24:00\""}},
	 M "12: start: '24:00' is not a time of day (HH:MM)"},
	{"bad window end",
	 {{"end: \"02:00\"", "end: \"2:00\""}},
	 M "42: end: '2:00' is not a time of day (HH:MM)"},
	{"empty window",
	 {{"end: \"02:00\"", "end: \"22:00\""}},
	 M "42: window: start and end are the same; leave window out for any time of day"},
	{"work longer than its window",
	 {{"    duration: 2h\n    checklist: [walk]", "    duration: 5h\n    checklist: [walk]"}},
	 M "43: duration: longer than the window 22:00-02:00 (240 min)"},
	{"lead time as long as the period",
	 {{"lead_time: 2d", "lead_time: 15d"}},
	 M "13: lead_time: must be shorter than the period (every 15 days): the next occurrence "
	   "would be requested before this one is due"},
	{"lead time past a month",
	 {{"{every: 6 months}", "{every: 1 month}"},
	  {"    duration: 3h\n", "    duration: 3h\n    lead_time: 28d\n"}},
	 M "36: lead_time: must be shorter than the period (every 1 month): the next occurrence "
	   "would be requested before this one is due"},
	{"duration out of range",
	 {{"duration: 4h", "duration: 30s"}},
	 M "27: duration: out of range 1m..7d"},
	{"meter on a site-level plan",
	 {{"    calendar: {every: 1 week}\n", "    meter: {metric: run_hours, every: 9}\n"}},
	 M "41: meter: a site-level plan has no device to count from"},
	{"bad meter metric",
	 {{"metric: run_hours", "metric: Run-Hours"}},
	 M "34: metric: 'Run-Hours' is not a metric name ([a-z0-9_], 1 to 64)"},
	{"meter every zero", {{"every: 2000", "every: 0"}}, M "34: every: must be more than 0"},
	{"unknown meter kind",
	 {{"kind: starts", "kind: cycles"}},
	 M "49: kind: unknown value 'cycles' (expected one of: counter, starts, hours)"},
	{"meter without metric",
	 {{"metric: run_hours, every", "every"}},
	 M "34: missing required key 'metric'"},
	{"empty checklist",
	 {{"checklist: [bearings]", "checklist: []"}},
	 M "36: checklist: list at least one item"},
	{"no checklist",
	 {{"    checklist: [bearings]\n", ""}},
	 M "30: missing required key 'checklist'"},
	{"unknown skill",
	 {{"skill: elevator", "skill: welding"}},
	 M "21: skill: unknown skill 'welding'"},
	{"unknown assignee",
	 {{"assignee: sup1", "assignee: sup9"}},
	 M "45: assignee: unknown person 'sup9'"},
	{"unknown priority",
	 {{"    checklist: [walk]\n", "    checklist: [walk]\n    priority: high\n"}},
	 M "45: priority: unknown value 'high' (expected one of: ordinary, emergency)"},
	{"unknown notify target",
	 {{"notify: [duty1]", "notify: [duty9]"}},
	 M "37: notify: unknown role, team or person 'duty9'"},
	{"notify target twice",
	 {{"notify: [duty1]", "notify: [duty1, duty1]"}},
	 M "37: notify: 'duty1' is listed twice"},
	{"unknown default escalation",
	 {{"escalate: [sup1, project_manager]", "escalate: [boss]"}},
	 M "6: escalate: unknown role, team or person 'boss'"},
	{"nobody told",
	 {{"    notify: [supervisor]\n", ""}},
	 M "7: overdue: nobody is told when the plan is overdue (set notify here or in defaults)"},
	{"escalation on a plan that is not statutory",
	 {{"notify: [duty1]}", "notify: [duty1], escalate: [sup1]}"}},
	 M "37: escalate: only statutory plans escalate (statutory: true)"},
	{"statutory plan escalating to nobody",
	 {{"    escalate: [sup1, project_manager]\n", ""}},
	 M "21: statutory: a statutory plan escalates when overdue; set overdue escalate (e.g. "
	   "[supervisor, project_manager]) here or in defaults"},
	{"overdue not a mapping",
	 {{"overdue: {after: 2d, notify: [duty1]}", "overdue: 2d"}},
	 M "37: overdue: expected a mapping such as {after: 1d, notify: [supervisor]}"},
	{"item set as often as its plan",
	 {{"every: 3 months", "every: 2 weeks"}},
	 M "18: every: an item set must come less often than its plan (every 15 days); put these "
	   "items in checklist"},
	{"item set without an anchor date",
	 {{"        anchor_date: 2024-01-01\n", ""}},
	 M "17: anchor_date: an item set of a plan without a fixed anchor needs the date its "
	   "cycle counts from (YYYY-MM-DD)"},
	{"item set with a bad name",
	 {{"name: quarterly", "name: Quarterly"}},
	 M "17: name: 'Quarterly' is not an item-set name ([a-z0-9_], 1 to 64)"},
	{"item set without items",
	 {{"items: [governor]", "items: []"}},
	 M "20: items: list at least one item"},
	{"item sets not a list",
	 {{"    item_sets:\n      - name", "    item_sets:\n        name"}},
	 M "17: item_sets: expected a list of sets, each starting with '- name:'"},
	{"plans not a list",
	 {{"plans:\n", "plans: 3\nsome_plans:\n"}},
	 M "7: plans: expected a list of plans, each starting with '- id:'"},
};

static void
test_cases(void **state)
{
	struct fixture f;

	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const struct conf_case *k = &cases[c];
		char *text = edited(k->e, 2);
		int found = 0;

		if (load(&f, text, 1) == 0)
			fail_msg("%s: no error", k->what);
		for (size_t i = 0; i < f.errs.n && !found; i++)
			found = strcmp(f.errs.msg[i], k->expect) == 0 ||
				(strncmp(f.errs.msg[i], k->expect, strlen(k->expect)) == 0 &&
				 strstr(k->expect, "unknown key"));
		if (!found) {
			cfg_errs_print(&f.errs, stderr);
			fail_msg("%s: no message: %s", k->what, k->expect);
		}
		unload(&f);
		free(text);
	}
}

static void
test_valid(void **state)
{
	const struct pm_plan *p;
	struct fixture f;

	(void)state;
	if (load(&f, plans_yaml, 1) != 0) {
		cfg_errs_print(&f.errs, stderr);
		fail_msg("the valid file has errors");
	}
	assert_int_equal(f.set.n_plans, 5);
	p = pm_find(&f.set, "lift_routine");
	assert_non_null(p);
	assert_int_equal(p->every.count, 15);
	assert_int_equal(p->every.unit, PM_DAY);
	assert_int_equal(p->anchor, PM_FLOATING);
	assert_int_equal(p->has_window, 1);
	assert_int_equal(p->window_start_min, 0);
	assert_int_equal(p->window_end_min, 360);
	assert_int_equal(p->lead_ms, 2 * 86400000LL);
	assert_int_equal(p->duration_ms, 2 * 3600000LL);
	assert_int_equal(p->n_sets, 1);
	assert_string_equal(p->sets[0].name, "quarterly");
	assert_int_equal(p->sets[0].every.count, 3);
	assert_int_equal(p->sets[0].every.unit, PM_MONTH);
	assert_int_equal(p->sets[0].anchor_day, 19723); /* 2024-01-01 */
	assert_int_equal(p->statutory, 1);
	/* inherited from defaults */
	assert_int_equal(p->overdue_after_ms, 86400000LL);
	assert_int_equal(p->notify.n, 1);
	assert_string_equal(p->notify.v[0], "supervisor");
	assert_int_equal(p->escalate.n, 2);
	assert_string_equal(p->escalate.v[1], "project_manager");
	assert_int_equal(p->has_meter, 0);
	assert_int_equal(p->has_last_done, 0);

	p = pm_find(&f.set, "lift_fire");
	assert_int_equal(p->anchor, PM_FIXED);
	assert_int_equal(p->anchor_day, 19875);  /* 2024-06-01 */
	assert_int_equal(p->lead_ms, 3600000LL); /* defaults */
	assert_int_equal(p->has_last_done, 1);
	assert_int_equal(p->last_done_day, 20242); /* 2025-06-03 */
	assert_int_equal(p->escalate.n, 0);        /* not statutory: nothing inherited */
	assert_true(pm_plan_covers(p, reg_device_find(&f.reg, "lift-1")));
	assert_false(pm_plan_covers(p, reg_device_find(&f.reg, "lift-2")));

	p = pm_find(&f.set, "pump_service");
	assert_int_equal(p->has_calendar, 1);
	assert_int_equal(p->has_meter, 1);
	assert_string_equal(p->meter_metric, "run_hours");
	assert_int_equal(p->meter_kind, PM_METER_COUNTER);
	assert_true(p->meter_every == 2000);
	assert_int_equal(p->overdue_after_ms, 2 * 86400000LL);
	assert_string_equal(p->notify.v[0], "duty1");
	assert_true(pm_plan_covers(p, reg_device_find(&f.reg, "pump-1")));
	assert_false(pm_plan_covers(p, reg_device_find(&f.reg, "pump-9")));

	p = pm_find(&f.set, "night_check");
	assert_int_equal(p->site_level, 1);
	assert_int_equal(p->window_start_min, 22 * 60);
	assert_int_equal(p->window_end_min, 2 * 60);
	assert_string_equal(p->assignee, "sup1");
	for (size_t i = 0; i < f.reg.n_devices; i++)
		assert_false(pm_plan_covers(p, &f.reg.devices[i]));

	p = pm_find(&f.set, "starts_service");
	assert_int_equal(p->has_calendar, 0);
	assert_int_equal(p->meter_kind, PM_METER_STARTS);
	assert_true(pm_plan_covers(p, reg_device_find(&f.reg, "pump-9")));
	assert_false(pm_plan_covers(p, reg_device_find(&f.reg, "pump-1")));
	assert_null(pm_find(&f.set, "nope"));
	unload(&f);
}

/* Without the registry, references are not checked but the rest is. */
static void
test_without_registry(void **state)
{
	struct edit e[2] = {{"skill: elevator", "skill: welding"}, {"every: 15 days", "every: x"}};
	char *text = edited(e, 2);
	struct fixture f;

	(void)state;
	assert_int_equal(load(&f, text, 0), -1);
	assert_int_equal(f.errs.n, 1);
	assert_string_equal(f.errs.msg[0], M "11: every: 'x' is not a period (N days, weeks, "
					     "months or years; N from 1 to 999)");
	unload(&f);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_without_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
