/* test_alertd_shipped.c — the shipped config/rules.yaml against the shipped
 * registry: it checks clean, every asset type of the demo community has rules
 * and exactly one offline rule, the defaults of design/domain.md are what the
 * file says, and readings of the demo devices raise what domain.md promises
 * through the index, the overrides and the evaluator. Also the message
 * templates. Reads config/ (or $FM_CONFIG_DIR) from the repository root. */
#include "alertd/rule_index.h"
#include "alertd/rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define S 1000LL
#define M (60 * S)

struct shipped {
	struct reg reg;
	struct rcf_set set;
	struct rule_index ix;
};

static int
setup(void **state)
{
	const char *dir = getenv("FM_CONFIG_DIR");
	struct shipped *s = calloc(1, sizeof *s);
	struct cfg_errs errs;
	int rc;

	dir = dir && *dir ? dir : "config";
	cfg_errs_init(&errs);
	rc = reg_load_dir(dir, &s->reg, &errs);
	if (rc == 0)
		rc = rcf_load_dir(dir, &s->reg, &s->set, &errs);
	cfg_errs_print(&errs, stderr);
	cfg_errs_free(&errs);
	if (rc == 0)
		rule_index_build(&s->ix, &s->set);
	*state = s;
	return rc;
}

static int
teardown(void **state)
{
	struct shipped *s = *state;

	rule_index_free(&s->ix);
	rcf_free(&s->set);
	reg_free(&s->reg);
	free(s);
	return 0;
}

/* Every device of the demo community is watched, and its silence too. */
static void
test_every_device_covered(void **state)
{
	struct shipped *s = *state;

	for (size_t i = 0; i < s->reg.n_devices; i++) {
		const struct reg_device *d = &s->reg.devices[i];
		size_t n, offline = 0;
		const struct rcf_rule *const *r = rule_index_type(&s->ix, d->type, &n);

		if (n == 0)
			fail_msg("device %s (%s) has no rule", d->id, reg_asset_types[d->type]);
		for (size_t k = 0; k < n; k++)
			offline += r[k]->kind == RCF_OFFLINE;
		if (offline != 1)
			fail_msg("device %s (%s) has %zu offline rules", d->id,
				 reg_asset_types[d->type], offline);
	}
}

struct promise {
	const char *rule;
	int kind, severity, op;
	double raise;
	long long raise_for_ms;
	const char *what; /* metric or event */
};

/* design/domain.md, "Alarm rules (alertd) — shipped defaults". */
static const struct promise promises[] = {
	{"fire_alarm", RCF_EVENT, 1, 0, 0, 0, "fire_alarm"},
	{"elevator_entrapment", RCF_EVENT, 1, 0, 0, 0, "entrapment"},
	{"gas_high", RCF_THRESHOLD, 1, RCF_AT_LEAST, 20, 0, "gas_lel_pct"},
	{"gas_alarm", RCF_EVENT, 1, 0, 0, 0, "gas_alarm"},
	{"flood", RCF_EVENT, 2, 0, 0, 0, "flood"},
	{"sump_high_level", RCF_EVENT, 2, 0, 0, 0, "high_level"},
	{"mains_lost", RCF_THRESHOLD, 2, RCF_AT_MOST, 0, 60 * S, "mains_present"},
	{"supply_pressure_low", RCF_THRESHOLD, 2, RCF_BELOW, 150, 60 * S, "supply_pressure_kpa"},
	{"distribution_room_hot", RCF_THRESHOLD, 3, RCF_ABOVE, 40, 5 * M, "temperature_c"},
	{"transformer_hot", RCF_THRESHOLD, 2, RCF_ABOVE, 90, 0, "winding_temp_c"},
	{"tank_level_low", RCF_THRESHOLD, 3, RCF_BELOW, 20, 60 * S, "level_pct"},
	{"tank_level_critical", RCF_THRESHOLD, 2, RCF_BELOW, 10, 60 * S, "level_pct"},
	{"pump_no_current", RCF_THRESHOLD, 3, RCF_BELOW, 0.5, 30 * S, "motor_current_a"},
	{"device_offline", RCF_OFFLINE, 4, 0, 0, 0, NULL},
	{"security_device_offline", RCF_OFFLINE, 4, 0, 0, 0, NULL},
};

static void
test_domain_defaults(void **state)
{
	struct shipped *s = *state;
	const struct rcf_rule *r;

	for (size_t i = 0; i < sizeof promises / sizeof promises[0]; i++) {
		const struct promise *p = &promises[i];

		r = rcf_find(&s->set, p->rule);
		if (!r)
			fail_msg("no rule %s", p->rule);
		if (r->kind != p->kind || r->severity != p->severity)
			fail_msg("%s: kind %d severity %d", p->rule, r->kind, r->severity);
		if (p->kind == RCF_THRESHOLD &&
		    (r->op != p->op || r->raise != p->raise || r->raise_for_ms != p->raise_for_ms ||
		     strcmp(r->metric, p->what) != 0))
			fail_msg("%s: op %d raise %g for %lld metric %s", p->rule, r->op, r->raise,
				 r->raise_for_ms, r->metric);
		if (p->kind == RCF_EVENT && strcmp(r->event, p->what) != 0)
			fail_msg("%s: event %s", p->rule, r->event);
		if (p->kind == RCF_OFFLINE && r->after_ms != 5 * M)
			fail_msg("%s: after %lld", p->rule, r->after_ms);
	}
	r = rcf_find(&s->set, "elevator_entrapment");
	assert_true(r->wo.wanted);
	assert_string_equal(rcf_wo_categories[r->wo.category], "emergency");
	assert_string_equal(rcf_wo_urgencies[r->wo.urgency], "emergency");
	assert_int_not_equal(cfg_strlist_find(&r->notify, "ctr-elevator"), -1);
	r = rcf_find(&s->set, "fire_alarm");
	assert_int_not_equal(cfg_strlist_find(&r->notify, "project_manager"), -1);
	assert_non_null(strstr(r->message, "119"));
	r = rcf_find(&s->set, "security_device_offline");
	assert_true(r->wo.wanted);
	assert_string_equal(r->wo.assignee, RCF_ASSIGNEE_SUPPLIER);
	for (const char *const *t =
		     (const char *const[]){"cctv", "access_control", "intercom", NULL};
	     *t; t++)
		assert_true(rcf_applies_to(r, reg_name_index(reg_asset_types, *t)));
}

/* Feeds a reading to every rule the index gives for the device, each as the
 * device's effective rule, and returns the id of the first that raised. */
static const char *
feed(struct shipped *s, const char *device, const char *metric, double v, long long now,
     struct rule_state *st, size_t nst)
{
	const struct reg_device *d = reg_device_find(&s->reg, device);
	struct rule_input in = {RULE_IN_METRIC, metric, v, now, 0};
	const struct rcf_rule *const *r;
	const char *raised = NULL;
	size_t n;

	assert_non_null(d);
	r = rule_index_metric(&s->ix, d->type, metric, &n);
	assert_true(n <= nst);
	for (size_t k = 0; k < n; k++) {
		struct rule_result res;
		const struct rcf_rule *e = rcf_effective(&s->set, r[k], device);

		if (rule_eval(e, &st[k], &in, now, &res) == RULE_RAISE && !raised)
			raised = e->id;
	}
	return raised;
}

struct scenario {
	const char *device, *metric;
	double quiet, bad; /* a normal value, then one that raises */
	long long hold_ms; /* how long bad must last */
	const char *rule;
};

static const struct scenario scenarios[] = {
	{"tr-1", "winding_temp_c", 70, 95, 0, "transformer_hot"},
	{"dr-main", "temperature_c", 30, 41, 5 * M, "distribution_room_hot"},
	{"dr-main", "mains_present", 1, 0, 60 * S, "mains_lost"},
	{"gas-b1", "gas_lel_pct", 0, 20, 0, "gas_high"},
	{"pr-1", "supply_pressure_kpa", 300, 120, 60 * S, "supply_pressure_low"},
	{"tank-1", "level_pct", 22, 15, 60 * S, "tank_level_low"}, /* not falling fast: 7 */
	{"tank-2", "level_pct", 60, 40, 0, "tank_level_falling_fast"},
	{"flood-cp-2", "water_depth_cm", 0, 6, 30 * S, "flood_depth"},
	{"flood-cp-1", "water_depth_cm", 0, 10, 2 * M, "flood_depth"}, /* its override */
	{"sump-1", "level_pct", 20, 90, 30 * S, "sump_level_high"},
	{"gen-1", "fuel_pct", 80, 20, 0, "generator_fuel_low"},
};

static void
test_scenarios(void **state)
{
	struct shipped *s = *state;

	for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
		const struct scenario *c = &scenarios[i];
		struct rule_state st[8];
		const char *got = NULL;
		long long t;

		for (int k = 0; k < 8; k++)
			rule_state_init(&st[k], 0);
		assert_null(feed(s, c->device, c->metric, c->quiet, 1 * S, st, 8));
		/* a reading every 10 s: nothing before the hold time, the rule at it */
		for (t = 10 * S; t < 10 * S + c->hold_ms && !got; t += 10 * S)
			got = feed(s, c->device, c->metric, c->bad, t, st, 8);
		if (got)
			fail_msg("%s %s: %s raised before %llds", c->device, c->metric, got,
				 c->hold_ms / S);
		got = feed(s, c->device, c->metric, c->bad, 10 * S + c->hold_ms, st, 8);
		if (!got || strcmp(got, c->rule) != 0)
			fail_msg("%s %s = %g for %llds: raised %s, want %s", c->device, c->metric,
				 c->bad, c->hold_ms / S, got ? got : "nothing", c->rule);
	}
}

struct render_case {
	const char *tmpl;
	struct rcf_render_ctx ctx;
	size_t cap;
	const char *want;
	int rc;
};

static const struct render_case renders[] = {
	{"{name}: {value}% < {threshold}%",
	 {"tank-1", "1号水箱", "demo", "tank_level_low", 8.5, 20, 1, 1},
	 256,
	 "1号水箱: 8.5% < 20%",
	 0},
	{"{site}/{device} {rule}",
	 {"tank-1", NULL, "demo", "r", 0, 0, 0, 0},
	 256,
	 "demo/tank-1 r",
	 0},
	{"{value} {threshold}", {NULL, NULL, NULL, NULL, 0, 0, 0, 0}, 256, "n/a n/a", 0},
	{"{value}", {.value = 12.345, .has_value = 1}, 64, "12.35", 0},
	{"{value}", {.value = -0.001, .has_value = 1}, 64, "0", 0},
	{"{value}", {.value = 1e13, .has_value = 1}, 64, "1e+13", 0},
	{"{value}", {.value = -40, .has_value = 1}, 64, "-40", 0},
	{"{nope} {name", {.name = "x"}, 64, "{nope} {name", 0},
	{"{}{{name}}", {.name = "x"}, 64, "{}{x}", 0},
	{"{name} is long", {.name = "abcdef"}, 8, "abcdef ", -1},
	{"abcdefgh", {0}, 4, "abc", -1},
	{"水箱液位", {0}, 8, "水箱", -1}, /* cut between characters, not inside one */
	{"{name}", {.name = "水箱"}, 6, "水", -1},
	{"", {0}, 1, "", 0},
};

static void
test_render(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof renders / sizeof renders[0]; i++) {
		const struct render_case *c = &renders[i];
		char buf[512]; /* cap is at most 256: room to see a write past it */
		int rc;

		memset(buf, 'Z', sizeof buf);
		rc = rcf_render(c->tmpl, &c->ctx, buf, c->cap);
		if (rc != c->rc || strcmp(buf, c->want) != 0)
			fail_msg("render '%s': '%s' rc %d, want '%s' rc %d", c->tmpl, buf, rc,
				 c->want, c->rc);
		assert_int_equal(buf[c->cap], 'Z'); /* nothing written past cap */
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_device_covered),
		cmocka_unit_test(test_domain_defaults),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
