/* test_sla_conf.c — the sla.yaml checker (common/sla_conf*.c): a small valid
 * file against a small registry (line numbers in comments), then one edit
 * per case, each caught at its file:line with its message; what a valid
 * file binds (overrides, defaults); and the shipped config/sla.yaml (or
 * $FM_CONFIG_DIR) checks clean against the shipped registry and holds the
 * defaults of domain.md. */
#include "sla_conf.h"
#include "conf_edit_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define MIN 60000LL
#define H (60 * MIN)

static const char site_yaml[] = "sites:\n"
				"  - {id: s1, name: Site One, timezone: Asia/Shanghai}\n";

static const char devices_yaml[] = "site: s1\n"
				   "devices:\n"
				   "  - {id: pump-1, type: water_pump, name: Pump 1}\n";

static const char people_yaml[] = "skills:\n"
				  "  - {id: plumbing, name: Plumbing}\n"
				  "people:\n"
				  "  - {id: duty1, name: Duty One, roles: [duty_engineer]}\n"
				  "  - {id: sup1, name: Sup One, roles: [supervisor]}\n"
				  "shifts:\n"
				  "  - {id: all, name: All day, start: \"00:00\", end: \"24:00\"}\n"
				  "roster:\n"
				  "  - shift: all\n"
				  "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
				  "    people: [duty1]\n"
				  "teams:\n"
				  "  - {id: crew, name: Crew, members: [duty1, sup1]}\n";

static const char sla_yaml[] =
	"clocks:\n" /* 1 */
	"  emergency: {acknowledge: 5m, accept: 5m, on_site: 30m, resolve: 0}\n"
	"  ordinary: {acknowledge: 5m, accept: 15m, on_site: 2h, resolve: 4h}\n"
	"overrides:\n"
	"  - {category: complaint, on_site: 0, resolve: 0}\n" /* 5 */
	"  - {category: preventive, urgency: ordinary, resolve: 8h}\n"
	"complaint_reply: {major: 1h, urgent: 2h, general: 24h}\n"
	"followup: {within_working_days: 2}\n"
	"working_time:\n"
	"  days: [mon, tue, wed, thu, fri]\n" /* 10 */
	"  start: \"09:00\"\n"
	"  end: \"18:00\"\n"
	"emergency_team: crew\n"
	"dispatch_roles: [technician, duty_engineer]\n"
	"escalation:\n" /* 15 */
	"  - {after: 0, notify: [assignee]}\n"
	"  - {after: 15m, notify: [supervisor, sup1]}\n"
	"  - {after: 1h, notify: [project_manager, crew]}\n";

struct fixture {
	struct cfg_doc *docs[4];
	struct reg reg;
	struct sla_conf conf;
	struct cfg_errs errs;
};

static int
load(struct fixture *f, const char *text, int with_reg)
{
	memset(f, 0, sizeof *f);
	cfg_errs_init(&f->errs);
	conf_reg_load(f->docs, &f->reg, &f->errs, site_yaml, devices_yaml, people_yaml);
	f->docs[3] = cfg_load_buf(SLA_FILE, text, strlen(text), &f->errs);
	return sla_build(&f->conf, f->docs[3], with_reg ? &f->reg : NULL, &f->errs);
}

static void
unload(struct fixture *f)
{
	sla_free(&f->conf);
	reg_free(&f->reg);
	for (int i = 0; i < 4; i++)
		cfg_doc_free(f->docs[i]);
	cfg_errs_free(&f->errs);
}

struct conf_case {
	const char *what;
	struct conf_edit e[2];
	const char *expect; /* some message starts with this */
};

#define S "sla.yaml:"
static const struct conf_case cases[] = {
	{"clocks not a mapping",
	 {{"clocks:\n  emergency: {acknowledge: 5m, accept: 5m, on_site: 30m, resolve: 0}\n",
	   "clocks: 5m\nx:\n"}},
	 S "1: clocks: expected {emergency: {...}, ordinary: {...}}"},
	{"urgency not a mapping",
	 {{"ordinary: {acknowledge: 5m, accept: 15m, on_site: 2h, resolve: 4h}", "ordinary: 4h"}},
	 S "3: ordinary: expected a mapping of clock: duration"},
	{"override not a mapping",
	 {{"  - {category: complaint, on_site: 0, resolve: 0}", "  - complaint"}},
	 S "5: overrides: each override must be a mapping of key: value"},
	{"reply not a mapping",
	 {{"complaint_reply: {major: 1h, urgent: 2h, general: 24h}", "complaint_reply: 1h"}},
	 S "7: complaint_reply: expected a mapping of key: value"},
	{"followup not a mapping",
	 {{"followup: {within_working_days: 2}", "followup: 2"}},
	 S "8: followup: expected a mapping of key: value"},
	{"working time not a mapping",
	 {{"working_time:\n  days: [mon, tue, wed, thu, fri]\n", "working_time: weekdays\nx:\n"}},
	 S "9: working_time: expected {days: [mon, ...], start: \"09:00\", end: \"18:00\"}"},
	{"step not a mapping",
	 {{"  - {after: 0, notify: [assignee]}", "  - assignee"}},
	 S "16: escalation: each step must be a mapping of key: value"},
	{"too many steps",
	 {{"  - {after: 0, notify: [assignee]}\n",
	   "  [{after: 1m, notify: [a]}, {after: 2m, notify: [a]}, {after: 3m, notify: [a]}, "
	   "{after: 4m, notify: [a]}, {after: 5m, notify: [a]}, {after: 6m, notify: [a]}, "
	   "{after: 7m, notify: [a]}, {after: 8m, notify: [a]}, {after: 9m, notify: [a]}]\n"},
	  {"  - {after: 15m, notify: [supervisor, sup1]}\n  - {after: 1h, notify: "
	   "[project_manager, crew]}\n",
	   ""}},
	 S "16: escalation: too many steps (9, at most 8)"},
	{"unknown top-level key", {{"followup:", "follow_up:"}}, S "8: unknown key 'follow_up'"},
	{"no clocks", {{"clocks:\n", "clock:\n"}}, S "1: unknown key 'clock'"},
	{"an urgency missing",
	 {{"  emergency: {acknowledge: 5m, accept: 5m, on_site: 30m, resolve: 0}\n", ""}},
	 S "2: missing required key 'emergency'"},
	{"unknown urgency", {{"  ordinary: {", "  normal: {"}}, S "3: unknown key 'normal'"},
	{"a clock missing",
	 {{"accept: 15m, on_site", "on_site"}},
	 S "3: missing required key 'accept'"},
	{"unknown clock", {{"resolve: 4h", "repair: 4h"}}, S "3: unknown key 'repair'"},
	{"bad duration",
	 {{"on_site: 2h", "on_site: soon"}},
	 S "3: on_site: expected a duration such as 250ms, 30s, 5m, 2h or 7d, got 'soon'"},
	{"clock out of range",
	 {{"resolve: 4h", "resolve: 31d"}},
	 S "3: resolve: out of range 0ms..30d"},
	{"accept after on site",
	 {{"accept: 15m, on_site: 2h", "accept: 3h, on_site: 2h"}},
	 S "3: ordinary: on_site 2h is shorter than accept 3h (the clocks run in the order "
	   "acknowledge, accept, on_site, resolve)"},
	{"acknowledge after resolve",
	 {{"acknowledge: 5m, accept: 15m", "acknowledge: 5h, accept: 0"}},
	 S "3: ordinary: on_site 2h is shorter than acknowledge 5h (the clocks run in the order "
	   "acknowledge, accept, on_site, resolve)"},
	{"override breaks the order",
	 {{"resolve: 8h}", "resolve: 1h}"}},
	 S "6: preventive/ordinary: resolve 1h is shorter than on_site 2h (the clocks run in the "
	   "order acknowledge, accept, on_site, resolve)"},
	{"unknown category",
	 {{"category: preventive", "category: cleaning"}},
	 S "6: category: unknown value 'cleaning' (expected one of: equipment_fault, "
	   "facility_repair, emergency, preventive, inspection, repair_request, complaint)"},
	{"override without category",
	 {{"category: preventive, ", ""}},
	 S "6: missing required key 'category'"},
	{"overridden twice",
	 {{"category: preventive", "category: complaint"}},
	 S "6: overrides: complaint/ordinary is overridden twice (first at sla.yaml:5)"},
	{"overrides not a list",
	 {{"overrides:\n  - {category: complaint, on_site: 0, resolve: 0}\n  - ",
	   "overrides:\n  "}},
	 S "5: overrides: expected a list of {category, urgency, ...}"},
	{"reply grade missing", {{"urgent: 2h, ", ""}}, S "7: missing required key 'urgent'"},
	{"reply out of order",
	 {{"urgent: 2h", "urgent: 30m"}},
	 S "7: urgent: 30m is shorter than major (1h); a more serious complaint is answered "
	   "first"},
	{"follow-up days out of range",
	 {{"within_working_days: 2", "within_working_days: 0"}},
	 S "8: within_working_days: out of range 1..30"},
	{"reopen score out of range",
	 {{"within_working_days: 2", "reopen_score_at_most: 5"}},
	 S "8: reopen_score_at_most: out of range 1..4"},
	{"not a weekday",
	 {{"thu, fri]", "thu, fri, fun]"}},
	 S "10: days: 'fun' is not a weekday "
	   "(mon, tue, ... sun)"},
	{"weekday twice", {{"thu, fri]", "thu, fri, mon]"}}, S "10: days: 'mon' is listed twice"},
	{"bad start",
	 {{"start: \"09:00\"", "start: \"9am\""}},
	 S "11: start: '9am' is not a time of day (HH:MM)"},
	{"bad end",
	 {{"end: \"18:00\"", "end: \"18:60\""}},
	 S "12: end: '18:60' is not a time of day (HH:MM)"},
	{"overnight working day",
	 {{"end: \"18:00\"", "end: \"08:00\""}},
	 S "12: end: a working day ends after it starts (09:00-08:00; no overnight working day)"},
	{"unknown team",
	 {{"emergency_team: crew", "emergency_team: ghosts"}},
	 S "13: emergency_team: unknown team 'ghosts'"},
	{"no team", {{"emergency_team: crew\n", ""}}, S "1: missing required key 'emergency_team'"},
	{"unknown role",
	 {{"[technician, duty_engineer]", "[technician, plumber]"}},
	 S "14: dispatch_roles: unknown role 'plumber'"},
	{"role twice",
	 {{"[technician, duty_engineer]", "[technician, technician]"}},
	 S "14: dispatch_roles: 'technician' is listed twice"},
	{"no roles",
	 {{"dispatch_roles: [technician, duty_engineer]\n", ""}},
	 S "1: dispatch_roles: name the roles that take work orders (e.g. [technician])"},
	{"unknown target",
	 {{"[supervisor, sup1]", "[supervisor, sup2]"}},
	 S "17: notify: 'sup2' is not 'assignee', a role, a team or a person"},
	{"target twice",
	 {{"[supervisor, sup1]", "[supervisor, supervisor]"}},
	 S "17: notify: 'supervisor' is listed twice"},
	{"steps out of order",
	 {{"after: 1h", "after: 15m"}},
	 S "18: after: steps must come later one after another (step 3 is not after step 2)"},
	{"step without notify",
	 {{"{after: 15m, notify: [supervisor, sup1]}", "{after: 15m}"}},
	 S "17: missing required key 'notify'"},
	{"empty escalation",
	 {{"escalation:\n  - {after: 0, notify: [assignee]}\n  - {after: 15m, notify: "
	   "[supervisor, sup1]}\n  - {after: 1h, notify: [project_manager, crew]}\n",
	   "escalation: []\n"}},
	 S "15: escalation: expected a list of steps {after: 30m, notify: [supervisor]}"},
	{"repeat window out of range",
	 {{"emergency_team: crew\n", "emergency_team: crew\nrepeat_window: 12h\n"}},
	 S "14: repeat_window: out of range 1d..90d"},
	{"load weight out of range",
	 {{"emergency_team: crew\n", "emergency_team: crew\nload_weight: {emergency: 0}\n"}},
	 S "14: emergency: out of range 1..100"},
};

static void
each_error_at_its_line(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fixture f;
		char *text = conf_edited(sla_yaml, cases[i].e, 2);

		if (load(&f, text, 1) == 0)
			fail_msg("%s: accepted", cases[i].what);
		if (!conf_has_message(&f.errs, cases[i].expect)) {
			cfg_errs_print(&f.errs, stderr);
			print_error("%s: no message '%s'\n", cases[i].what, cases[i].expect);
			failed++;
		}
		unload(&f);
		free(text);
	}
	assert_int_equal(failed, 0);
}

static void
valid_file_binds(void **state)
{
	const struct sla_clocks *k;
	struct fixture f;

	(void)state;
	if (load(&f, sla_yaml, 1) != 0) {
		cfg_errs_print(&f.errs, stderr);
		fail();
	}
	/* equipment_fault (0) x ordinary (1): the urgency's clocks. */
	k = sla_clocks_for(&f.conf, 0, 1);
	assert_true(k->ms[SLA_ACK] == 5 * MIN && k->ms[SLA_ACCEPT] == 15 * MIN);
	assert_true(k->ms[SLA_ON_SITE] == 2 * H && k->ms[SLA_RESOLVE] == 4 * H);
	assert_true(sla_clocks_for(&f.conf, 0, 0)->ms[SLA_RESOLVE] == 0);
	/* An override without urgency covers both; with one, only that one. */
	for (int u = 0; u < SLA_N_URGENCIES; u++) {
		k = sla_clocks_for(&f.conf, 6, u);
		assert_true(k->ms[SLA_ON_SITE] == 0 && k->ms[SLA_RESOLVE] == 0);
		assert_true(k->ms[SLA_ACK] == 5 * MIN);
	}
	assert_true(sla_clocks_for(&f.conf, 3, 1)->ms[SLA_RESOLVE] == 8 * H);
	assert_true(sla_clocks_for(&f.conf, 3, 0)->ms[SLA_ON_SITE] == 30 * MIN);
	assert_null(sla_clocks_for(&f.conf, SLA_N_CATEGORIES, 0));
	assert_null(sla_clocks_for(&f.conf, 0, -1));
	assert_true(f.conf.reply_ms[SLA_URGENT] == 2 * H);
	assert_int_equal(f.conf.followup_days, 2);
	assert_int_equal(f.conf.reopen_score_max, 2); /* default */
	assert_int_equal(f.conf.work.day_mask, 0x3e);
	assert_int_equal(f.conf.work.start_min, 540);
	assert_int_equal(f.conf.work.end_min, 1080);
	assert_true(f.conf.repeat_window_ms == 7 * 24 * H); /* default */
	assert_int_equal(f.conf.load_weight[0], 2);         /* defaults */
	assert_int_equal(f.conf.load_weight[1], 1);
	assert_string_equal(f.conf.emergency_team, "crew");
	assert_int_equal(f.conf.n_esc, 3);
	assert_true(f.conf.esc[1].after_ms == 15 * MIN);
	assert_string_equal(f.conf.esc[2].notify.v[1], "crew");
	unload(&f);
	/* Without a registry, names are not checked. */
	assert_int_equal(load(&f,
			      "clocks: {emergency: {acknowledge: 5m, accept: 5m, on_site: "
			      "30m, resolve: 0}, ordinary: {acknowledge: 5m, accept: 15m, "
			      "on_site: 2h, resolve: 4h}}\ncomplaint_reply: {major: 1h, urgent: "
			      "2h, general: 24h}\nworking_time: {days: [mon], start: \"09:00\", "
			      "end: \"24:00\"}\nemergency_team: anyone\ndispatch_roles: "
			      "[technician]\nescalation: [{after: 0, notify: [nobody]}]\n",
			      0),
			 0);
	assert_int_equal(f.conf.work.end_min, 1440);
	unload(&f);
}

static void
empty_and_unreadable(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(load(&f, "", 1), -1);
	assert_string_equal(f.errs.msg[f.errs.n - 1], "sla.yaml: the file is empty; expected "
						      "'clocks:'");
	unload(&f);
	assert_int_equal(load(&f, "- a\n", 1), -1);
	assert_string_equal(f.errs.msg[f.errs.n - 1], "sla.yaml:1: expected a mapping with "
						      "clocks:, complaint_reply:, ...");
	unload(&f);
	memset(&f.conf, 0, sizeof f.conf);
	cfg_errs_init(&f.errs);
	assert_int_equal(sla_build(&f.conf, NULL, NULL, &f.errs), -1);
	assert_int_equal(f.errs.n, 0);
	assert_int_equal(sla_load_dir("/nonexistent", NULL, &f.conf, &f.errs), -1);
	assert_int_equal(f.errs.n, 1);
	sla_free(&f.conf);
	sla_free(NULL);
	cfg_errs_free(&f.errs);
}

/* The shipped file: clean against the shipped registry, and the seeds'
 * numbers (domain.md, "Work orders"). */
static void
shipped_file(void **state)
{
	const char *dir = getenv("FM_CONFIG_DIR");
	struct cfg_errs errs;
	struct sla_conf c;
	struct reg reg;

	(void)state;
	dir = dir && *dir ? dir : "config";
	cfg_errs_init(&errs);
	memset(&reg, 0, sizeof reg);
	if (reg_load_dir(dir, &reg, &errs) < 0 || sla_load_dir(dir, &reg, &c, &errs) < 0) {
		cfg_errs_print(&errs, stderr);
		fail_msg("%s does not check clean", dir);
	}
	for (int cat = 0; cat < SLA_N_CATEGORIES; cat++) {
		const struct sla_clocks *e = sla_clocks_for(&c, cat, 0),
					*o = sla_clocks_for(&c, cat, 1);

		assert_true(e->ms[SLA_ACK] == 5 * MIN && o->ms[SLA_ACK] == 5 * MIN);
		assert_true(e->ms[SLA_ACCEPT] == 5 * MIN && o->ms[SLA_ACCEPT] == 15 * MIN);
		assert_true(e->ms[SLA_RESOLVE] == 0);
		if (cat == 6)
			continue; /* complaints: the reply clock instead */
		assert_true(e->ms[SLA_ON_SITE] == 30 * MIN && o->ms[SLA_ON_SITE] == 2 * H);
		assert_true(o->ms[SLA_RESOLVE] == 4 * H);
	}
	assert_true(c.reply_ms[SLA_MAJOR] == H && c.reply_ms[SLA_URGENT] == 2 * H &&
		    c.reply_ms[SLA_GENERAL] == 24 * H);
	assert_int_equal(c.followup_days, 1);
	assert_int_equal(c.reopen_score_max, 2);
	assert_true(c.repeat_window_ms == 7 * 24 * H);
	assert_true(reg_team_find(&reg, c.emergency_team) != NULL);
	assert_int_equal(c.n_esc, 3);
	assert_string_equal(c.esc[0].notify.v[0], SLA_TARGET_ASSIGNEE);
	assert_string_equal(c.esc[1].notify.v[0], "supervisor");
	assert_string_equal(c.esc[2].notify.v[0], "project_manager");
	sla_free(&c);
	reg_free(&reg);
	cfg_errs_free(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_error_at_its_line),
		cmocka_unit_test(valid_file_binds),
		cmocka_unit_test(empty_and_unreadable),
		cmocka_unit_test(shipped_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
