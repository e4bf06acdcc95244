/* alertd_rules_fixture.h — what the rules.yaml checker tests share: a small
 * registry and a small valid rule file (line numbers in comments), text
 * edits, loading both, and the loop that expects one message per edit. */
#ifndef TEST_ALERTD_RULES_FIXTURE_H
#define TEST_ALERTD_RULES_FIXTURE_H

#include "rules_conf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char site_yaml[] = "sites:\n"
				"  - id: s1\n"
				"    name: Site One\n"
				"    timezone: Asia/Shanghai\n";

static const char devices_yaml[] = "site: s1\n"
				   "devices:\n"
				   "  - {id: tank-1, type: water_tank, name: Tank 1}\n"
				   "  - {id: tank-2, type: water_tank, name: Tank 2}\n"
				   "  - {id: pump-1, type: water_pump, name: Pump 1}\n"
				   "  - {id: lift-1, type: elevator, name: Lift 1}\n";

static const char people_yaml[] = "skills:\n"
				  "  - {id: plumbing, name: Plumbing}\n"
				  "people:\n"
				  "  - {id: duty1, name: Duty One, roles: [duty_engineer]}\n"
				  "  - {id: duty2, name: Duty Two, roles: [duty_engineer]}\n"
				  "  - {id: sup1, name: Sup One, roles: [supervisor]}\n"
				  "shifts:\n"
				  "  - {id: day, name: Day, start: \"08:00\", end: \"20:00\"}\n"
				  "  - {id: night, name: Night, start: \"20:00\", end: \"08:00\"}\n"
				  "roster:\n"
				  "  - shift: day\n"
				  "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
				  "    people: [duty1]\n"
				  "  - shift: night\n"
				  "    days: [mon, tue, wed, thu, fri, sat, sun]\n"
				  "    people: [duty2]\n"
				  "teams:\n"
				  "  - {id: emergency, name: Emergency, members: [duty1, duty2]}\n";

static const char rules_yaml[] = "defaults:\n" /* 1 */
				 "  notify: [duty_engineer]\n"
				 "  reminder: 15m\n"
				 "  escalation:\n"
				 "    - after: 15m\n" /* 5 */
				 "      notify: [supervisor]\n"
				 "rules:\n"
				 "  - id: tank_low\n"
				 "    name: Tank low\n"
				 "    asset_types: [water_tank]\n" /* 10 */
				 "    kind: threshold\n"
				 "    metric: level_pct\n"
				 "    op: below\n"
				 "    raise: 20\n"
				 "    clear: 25\n" /* 15 */
				 "    raise_for: 60s\n"
				 "    severity: 3\n"
				 "    message: \"{name}: {value}% < {threshold}%\"\n"
				 "  - id: tank_fast\n"
				 "    asset_types: [water_tank]\n" /* 20 */
				 "    kind: rate\n"
				 "    metric: level_pct\n"
				 "    op: fall\n"
				 "    raise: 15\n"
				 "    window: 10m\n" /* 25 */
				 "    severity: 3\n"
				 "    message: \"{name} falling\"\n"
				 "  - id: pump_idle\n"
				 "    asset_types: [water_pump]\n"
				 "    kind: threshold\n" /* 30 */
				 "    metric: motor_current_a\n"
				 "    op: below\n"
				 "    raise: 0.5\n"
				 "    while: running\n"
				 "    severity: 3\n" /* 35 */
				 "    message: \"{device}\"\n"
				 "    work_order: {category: equipment_fault, skill: plumbing, "
				 "assignee: sup1}\n"
				 "  - id: entrapment\n"
				 "    asset_types: [elevator]\n"
				 "    kind: event\n" /* 40 */
				 "    event: entrapment\n"
				 "    severity: 1\n"
				 "    message: \"{name} entrapment\"\n"
				 "    notify: [duty_engineer, emergency, sup1]\n"
				 "    reminder: 5m\n" /* 45 */
				 "    escalation:\n"
				 "      - after: 5m\n"
				 "        notify: [supervisor]\n"
				 "      - after: 15m\n"
				 "        notify: [project_manager]\n" /* 50 */
				 "  - id: level_silent\n"
				 "    asset_types: [water_tank]\n"
				 "    kind: no_data\n"
				 "    metric: level_pct\n"
				 "    timeout: 10m\n" /* 55 */
				 "    severity: 4\n"
				 "    message: \"{name} silent\"\n"
				 "  - id: offline\n"
				 "    asset_types: [water_tank, water_pump, elevator]\n"
				 "    kind: offline\n" /* 60 */
				 "    silence: 5m\n"
				 "    severity: 4\n"
				 "    message: \"{device} offline\"\n"
				 "overrides:\n"
				 "  - device: tank-2\n" /* 65 */
				 "    rule: tank_low\n"
				 "    raise: 30\n"
				 "    clear: 35\n"
				 "    notify: [sup1]\n";

struct fixture {
	struct cfg_doc *docs[4];
	struct reg reg;
	struct rcf_set set;
	struct cfg_errs errs;
};

/* Applies up to two edits (each `from` must occur) to the rules text. */
struct edit {
	const char *from, *to;
};

static inline char *
edited(const struct edit *e, size_t n)
{
	char *s = strdup(rules_yaml);

	for (size_t i = 0; i < n && e[i].from; i++) {
		char *at = strstr(s, e[i].from), *t;

		if (!at)
			fail_msg("edit: '%s' not in the rules text", e[i].from);
		t = malloc(strlen(s) - strlen(e[i].from) + strlen(e[i].to) + 1);
		sprintf(t, "%.*s%s%s", (int)(at - s), s, e[i].to, at + strlen(e[i].from));
		free(s);
		s = t;
	}
	return s;
}

/* Loads the registry and the (edited) rules; with_reg 0 checks without it. */
static inline int
load(struct fixture *f, const char *rules, int with_reg)
{
	memset(f, 0, sizeof *f);
	cfg_errs_init(&f->errs);
	f->docs[0] = cfg_load_buf("site.yaml", site_yaml, strlen(site_yaml), &f->errs);
	f->docs[1] = cfg_load_buf("devices.yaml", devices_yaml, strlen(devices_yaml), &f->errs);
	f->docs[2] = cfg_load_buf("people.yaml", people_yaml, strlen(people_yaml), &f->errs);
	assert_int_equal(reg_build(&f->reg, f->docs[0], f->docs[1], f->docs[2], &f->errs), 0);
	f->docs[3] = cfg_load_buf("rules.yaml", rules, strlen(rules), &f->errs);
	return rcf_build(&f->set, f->docs[3], with_reg ? &f->reg : NULL, &f->errs);
}

static inline void
unload(struct fixture *f)
{
	rcf_free(&f->set);
	reg_free(&f->reg);
	for (int i = 0; i < 4; i++)
		cfg_doc_free(f->docs[i]);
	cfg_errs_free(&f->errs);
}

struct conf_case {
	const char *what;
	struct edit e[2];
	const char *expect; /* some message starts with it */
};

/* Each case's edited text must fail with a message that starts with expect. */
static inline void
run_conf_cases(const struct conf_case *cases, size_t n)
{
	struct fixture f;

	for (size_t c = 0; c < n; c++) {
		const struct conf_case *k = &cases[c];
		char *text = edited(k->e, 2);
		int found = 0;

		if (load(&f, text, 1) == 0)
			fail_msg("%s: no error", k->what);
		for (size_t i = 0; i < f.errs.n && !found; i++)
			found = strncmp(f.errs.msg[i], k->expect, strlen(k->expect)) == 0;
		if (!found) {
			cfg_errs_print(&f.errs, stderr);
			fail_msg("%s: no message starting with: %s", k->what, k->expect);
		}
		unload(&f);
		free(text);
	}
}

#endif
