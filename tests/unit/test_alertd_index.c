/* test_alertd_index.c — alertd's rule index (services/alertd/rule_index.c):
 * each lookup by asset type and metric, event or presence returns exactly
 * the rules that input concerns — a while: guard included, rules of other
 * types and metrics and disabled rules left out — also among a thousand
 * unrelated rules. */
#include "alertd/rule_index.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char rules_yaml[] =
	"defaults: {notify: [duty_engineer]}\n"
	"rules:\n"
	"  - {id: r0, asset_types: [water_tank], kind: threshold, metric: level_pct, op: below,"
	" raise: 20, severity: 3, message: m}\n"
	"  - {id: r1, asset_types: [water_tank, sump], kind: rate, metric: level_pct, op: fall,"
	" raise: 15, window: 10m, severity: 3, message: m}\n"
	"  - {id: r2, asset_types: [water_pump, sump_pump], kind: threshold,"
	" metric: motor_current_a, op: below, raise: 0.5, while: running, severity: 3, message: "
	"m}\n"
	"  - {id: r3, asset_types: [water_tank], kind: no_data, metric: level_pct, timeout: 10m,"
	" severity: 4, message: m}\n"
	"  - {id: r4, asset_types: [flood_sensor], kind: event, event: flood, severity: 2,"
	" message: m}\n"
	"  - {id: r5, asset_types: [water_pump, elevator], kind: event, event: fault, severity: 3,"
	" message: m}\n"
	"  - {id: r6, asset_types: [water_tank, water_pump, elevator, sump], kind: offline,"
	" severity: 4, message: m}\n"
	"  - {id: r7, asset_types: [water_tank], kind: threshold, metric: level_pct, op: above,"
	" raise: 99, severity: 4, message: m, enabled: false}\n"
	"  - {id: r8, asset_types: [water_tank], kind: threshold, metric: chlorine_mg_l,"
	" op: below, raise: 0.05, severity: 4, message: m, enabled: false}\n"
	"overrides:\n"
	"  - {device: tank-1, rule: r8, enabled: true}\n";

struct lookup {
	char what; /* m metric, e event, p presence, t type */
	const char *type, *name;
	const char *want; /* rule ids, space-separated, in file order */
};

static const struct lookup lookups[] = {
	{'m', "water_tank", "level_pct", "r0 r1 r3"}, /* r7 is disabled */
	{'m', "sump", "level_pct", "r1"},
	{'m', "water_pump", "motor_current_a", "r2"},
	{'m', "water_pump", "running", "r2"}, /* the guard metric */
	{'m', "sump_pump", "running", "r2"},
	{'m', "elevator", "motor_current_a", ""},
	{'m', "water_tank", "motor_current_a", ""},
	{'m', "water_tank", "chlorine_mg_l", "r8"}, /* enabled by an override */
	{'m', "water_tank", "level", ""},
	{'m', "water_tank", "level_pct_x", ""},
	{'m', "cctv", "online", ""},
	{'e', "flood_sensor", "flood", "r4"},
	{'e', "water_pump", "fault", "r5"},
	{'e', "elevator", "fault", "r5"},
	{'e', "flood_sensor", "fault", ""},
	{'e', "water_pump", "flood", ""},
	{'e', "water_tank", "level_pct", ""}, /* a metric name is not an event */
	{'p', "water_tank", "", "r6"},
	{'p', "sump", "", "r6"},
	{'p', "cctv", "", ""},
	{'p', "flood_sensor", "", ""},
	{'t', "water_tank", "", "r0 r1 r3 r6 r8"},
	{'t', "water_pump", "", "r2 r5 r6"},
	{'t', "cctv", "", ""},
};

static void
ids(const struct rcf_rule *const *r, size_t n, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? " " : "", r[i]->id);
}

static const struct rcf_rule *const *
look(const struct rule_index *ix, const struct lookup *l, size_t *n)
{
	int t = reg_name_index(reg_asset_types, l->type);

	switch (l->what) {
	case 'm':
		return rule_index_metric(ix, t, l->name, n);
	case 'e':
		return rule_index_event(ix, t, l->name, n);
	case 'p':
		return rule_index_presence(ix, t, n);
	default:
		return rule_index_type(ix, t, n);
	}
}

/* by_type 0: skip the whole-type lookups (unrelated rules of the type are in them). */
static void
check_lookups(const struct rule_index *ix, int by_type)
{
	char got[256];

	for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
		const struct lookup *l = &lookups[i];
		size_t n;
		const struct rcf_rule *const *r;

		if (l->what == 't' && !by_type)
			continue;
		r = look(ix, l, &n);
		ids(r, n, got, sizeof got);
		if (strcmp(got, l->want) != 0)
			fail_msg("lookup %c %s %s: got [%s], want [%s]", l->what, l->type, l->name,
				 got, l->want);
	}
}

static void
build(const char *text, struct cfg_doc **doc, struct rcf_set *set, struct rule_index *ix)
{
	struct cfg_errs errs;

	cfg_errs_init(&errs);
	*doc = cfg_load_buf("rules.yaml", text, strlen(text), &errs);
	memset(set, 0, sizeof *set);
	if (rcf_build(set, *doc, NULL, &errs) != 0) {
		cfg_errs_print(&errs, stderr);
		fail_msg("rules do not build");
	}
	cfg_errs_free(&errs);
	assert_int_equal(rule_index_build(ix, set), 0);
}

static void
test_lookups(void **state)
{
	struct rule_index ix;
	struct rcf_set set;
	struct cfg_doc *doc;
	size_t n;

	(void)state;
	build(rules_yaml, &doc, &set, &ix);
	check_lookups(&ix, 1);
	/* out-of-range types find nothing */
	assert_non_null(rule_index_metric(&ix, -1, "level_pct", &n));
	assert_int_equal(n, 0);
	rule_index_type(&ix, ix.n_types, &n);
	assert_int_equal(n, 0);
	rule_index_metric(&ix, 0, NULL, &n);
	assert_int_equal(n, 0);
	rule_index_free(&ix);
	rule_index_free(&ix); /* freed twice: a no-op */
	rcf_free(&set);
	cfg_doc_free(doc);
}

/* The same answers when a thousand rules on other metrics and types share
 * the index: a reading is evaluated against its own rules only. */
static void
test_unrelated_rules(void **state)
{
	static const char *const types[] = {"water_tank", "water_pump", "env_sensor", "elevator"};
	size_t cap = sizeof rules_yaml + 1000 * 200, off;
	char *text = malloc(cap);
	struct rule_index ix;
	struct rcf_set set;
	struct cfg_doc *doc;

	(void)state;
	off = (size_t)snprintf(text, cap, "%.*s",
			       (int)(strstr(rules_yaml, "overrides:") - rules_yaml), rules_yaml);
	for (int i = 0; i < 990; i++)
		off += (size_t)snprintf(text + off, cap - off,
					"  - {id: u%d, asset_types: [%s], kind: %s, %s: other_%d,%s"
					" severity: 4, message: m}\n",
					i, types[i % 4], i % 3 ? "threshold" : "event",
					i % 3 ? "metric" : "event", i,
					i % 3 ? " op: above, raise: 1," : "");
	snprintf(text + off, cap - off, "%s", strstr(rules_yaml, "overrides:"));
	build(text, &doc, &set, &ix);
	assert_int_equal(set.n_rules, 999);
	check_lookups(&ix, 0);
	rule_index_free(&ix);
	rcf_free(&set);
	cfg_doc_free(doc);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_unrelated_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
