/* test_alertd_rules_conf.c — the rules.yaml checker (common/rules_conf*.c):
 * the small valid rule file of alertd_rules_fixture.h against its registry,
 * then one edit per case, each caught at the right file:line with its
 * message (names, levels on the wrong side, durations out of bounds, keys of
 * another kind, notify targets, skills, escalation order, templates); what
 * a valid file binds and inherits from `defaults:`, and checking without a
 * registry. Overrides are test_alertd_overrides.c. */
#include "alertd_rules_fixture.h"

static const struct conf_case cases[] = {
	{"unknown asset type",
	 {{"asset_types: [elevator]", "asset_types: [lift]"}},
	 "rules.yaml:39: asset_types: unknown asset type 'lift' (expected one of: elevator, "},
	{"asset type twice",
	 {{"[water_tank, water_pump, elevator]", "[water_tank, water_pump, water_tank]"}},
	 "rules.yaml:59: asset_types: 'water_tank' is listed twice"},
	{"no asset type",
	 {{"asset_types: [elevator]", "asset_types: []"}},
	 "rules.yaml:39: asset_types: name at least one"},
	{"severity out of range",
	 {{"severity: 1", "severity: 5"}},
	 "rules.yaml:42: severity: out of range 1..4"},
	{"severity zero",
	 {{"severity: 1", "severity: 0"}},
	 "rules.yaml:42: severity: out of range 1..4"},
	{"clear on the wrong side (below)",
	 {{"clear: 25", "clear: 15"}},
	 "rules.yaml:15: clear: 15 must be above the raise level 20: an alarm raised below a level "
	 "clears at a higher one (hysteresis)"},
	{"clear equal to raise (below)",
	 {{"clear: 25", "clear: 20"}},
	 "rules.yaml:15: clear: 20 must be above the raise level 20"},
	{"clear on the wrong side (above)",
	 {{"op: below\n    raise: 20", "op: above\n    raise: 20"}},
	 "rules.yaml:15: clear: 25 must be below the raise level 20: an alarm raised above a "
	 "level"},
	{"clear on the wrong side (at_least)",
	 {{"op: below\n    raise: 20", "op: at_least\n    raise: 20"}},
	 "rules.yaml:15: clear: 25 must be below the raise level 20"},
	{"bad metric name",
	 {{"metric: motor_current_a", "metric: Motor-A"}},
	 "rules.yaml:31: metric: 'Motor-A' is not a metric name ([a-z0-9_], 1 to 64)"},
	{"bad guard name",
	 {{"while: running", "while: run ning"}},
	 "rules.yaml:34: while: 'run ning' is not a metric name"},
	{"guard is the metric",
	 {{"while: running", "while: motor_current_a"}},
	 "rules.yaml:34: while: must name a metric other than 'motor_current_a'"},
	{"bad event name",
	 {{"event: entrapment", "event: Entrapment!"}},
	 "rules.yaml:41: event: 'Entrapment!' is not a event name"},
	{"bad rule id",
	 {{"id: tank_fast", "id: Tank-Fast"}},
	 "rules.yaml:19: id: 'Tank-Fast' is not a rule id ([a-z0-9_], 1 to 64)"},
	{"duplicate rule id",
	 {{"id: tank_fast", "id: tank_low"}},
	 "rules.yaml:19: duplicate rule id 'tank_low' (first at rules.yaml:8)"},
	{"unknown notify target",
	 {{"emergency, sup1]", "emergency, boss]"}},
	 "rules.yaml:44: notify: unknown role, team or person 'boss'"},
	{"notify target twice",
	 {{"emergency, sup1]", "emergency, emergency]"}},
	 "rules.yaml:44: notify: 'emergency' is listed twice"},
	{"empty notify",
	 {{"notify: [duty_engineer, emergency, sup1]", "notify: []"}},
	 "rules.yaml:44: notify: name 1 to 16 roles, teams or people"},
	{"notify not a list",
	 {{"notify: [duty_engineer, emergency, sup1]", "notify: sup1"}},
	 "rules.yaml:44: notify: expected a list such as [duty_engineer, sup-sun]"},
	{"escalation out of order",
	 {{"      - after: 15m\n        notify: [project_manager]",
	   "      - after: 5m\n        notify: [project_manager]"}},
	 "rules.yaml:49: escalation: each step's after must be later than the step before it"},
	{"escalation step too soon",
	 {{"      - after: 5m\n", "      - after: 0s\n"}},
	 "rules.yaml:47: after: out of range 1s..7d"},
	{"escalation unknown target",
	 {{"notify: [project_manager]", "notify: [project_boss]"}},
	 "rules.yaml:50: notify: unknown role, team or person 'project_boss'"},
	{"escalation step without notify",
	 {{"        notify: [project_manager]\n", ""}},
	 "rules.yaml:49: missing required key 'notify'"},
	{"unknown skill",
	 {{"skill: plumbing", "skill: welding"}},
	 "rules.yaml:37: skill: unknown skill 'welding'"},
	{"unknown assignee",
	 {{"assignee: sup1", "assignee: sup9"}},
	 "rules.yaml:37: assignee: unknown person 'sup9' (or 'supplier' for the device's "
	 "supplier)"},
	{"unknown work-order category",
	 {{"category: equipment_fault", "category: fault"}},
	 "rules.yaml:37: category: unknown value 'fault' (expected one of: equipment_fault, "},
	{"key of another kind",
	 {{"    raise_for: 60s\n", "    raise_for: 60s\n    window: 5m\n"}},
	 "rules.yaml:17: window: not a key of threshold rules"},
	{"event key on an offline rule",
	 {{"    silence: 5m\n", "    silence: 5m\n    event: x\n"}},
	 "rules.yaml:62: event: not a key of offline rules"},
	{"rate without window",
	 {{"    window: 10m\n", ""}},
	 "rules.yaml:19: missing required key 'window' (rate rules need it)"},
	{"threshold without op",
	 {{"    op: below\n    raise: 0.5", "    raise: 0.5"}},
	 "rules.yaml:28: missing required key 'op' (threshold rules need it)"},
	{"no_data without timeout",
	 {{"    timeout: 10m\n", ""}},
	 "rules.yaml:51: missing required key 'timeout' (no_data rules need it)"},
	{"event without event",
	 {{"    event: entrapment\n", ""}},
	 "rules.yaml:38: missing required key 'event' (event rules need it)"},
	{"rate with a threshold op",
	 {{"op: fall", "op: above"}},
	 "rules.yaml:23: op: a rate rule is rise or fall"},
	{"threshold with a rate op",
	 {{"op: below\n    raise: 20", "op: rise\n    raise: 20"}},
	 "rules.yaml:13: op: a threshold rule is above, at_least, below or at_most"},
	{"rate raise not positive",
	 {{"raise: 15", "raise: 0"}},
	 "rules.yaml:24: raise: the change within the window must be more than 0"},
	{"rate clear not under raise",
	 {{"    window: 10m\n", "    window: 10m\n    clear: 15\n"}},
	 "rules.yaml:26: clear: 15 must be at least 0 and below the raising change 15"},
	{"unknown kind",
	 {{"kind: no_data", "kind: silence"}},
	 "rules.yaml:53: kind: unknown value 'silence' (expected one of: threshold, rate, no_data, "
	 "event, offline)"},
	{"raise_for too long",
	 {{"raise_for: 60s", "raise_for: 2d"}},
	 "rules.yaml:16: raise_for: out of range"},
	{"window too short",
	 {{"window: 10m", "window: 500ms"}},
	 "rules.yaml:25: window: out of range"},
	{"raise not a number",
	 {{"raise: 20", "raise: \"20\""}},
	 "rules.yaml:14: raise: expected a finite number, got '20'"},
	{"reminder under a minute",
	 {{"reminder: 5m", "reminder: 30s"}},
	 "rules.yaml:45: reminder: at least 1m, or 0 for no reminders"},
	{"flap_changes one",
	 {{"    reminder: 5m\n", "    reminder: 5m\n    flap_changes: 1\n"}},
	 "rules.yaml:46: flap_changes: one change is not flapping; 0 (off) or 2 to 16"},
	{"unknown placeholder",
	 {{"\"{name} silent\"", "\"{nmae} silent\""}},
	 "rules.yaml:57: message: unknown placeholder '{nmae}' (known: {device}, {name}, {site}, "},
	{"value in an event message",
	 {{"\"{name} entrapment\"", "\"{name} {value}\""}},
	 "rules.yaml:43: message: {value} is only for threshold and rate rules, not event"},
	{"missing message",
	 {{"    message: \"{name} falling\"\n", ""}},
	 "rules.yaml:19: missing required key 'message'"},
	{"unknown rule key",
	 {{"    name: Tank low\n", "    name: Tank low\n    colour: red\n"}},
	 "rules.yaml:10: unknown key 'colour' (known: id, name, asset_types, kind, "},
	{"unknown defaults key",
	 {{"  reminder: 15m\n", "  reminder: 15m\n  severity: 2\n"}},
	 "rules.yaml:4: unknown key 'severity' (known: notify, reminder, escalation, "},
	{"nobody told",
	 {{"  notify: [duty_engineer]\n", ""}, {"    notify: [sup1]\n", "    severity: 2\n"}},
	 "rules.yaml:7: notify: nobody is told (set notify here or in defaults)"},
	{"unknown top-level key",
	 {{"overrides:\n", "extras: 1\noverrides:\n"}},
	 "rules.yaml:64: unknown key 'extras' (known: rules, defaults, overrides)"},
	{"rules not a list",
	 {{"rules:\n  - id: tank_low\n", "rules: 5\nx:\n  - id: tank_low\n"}},
	 "rules.yaml:7: rules: expected a list of rules, each starting with '- id:'"},
};

static void
test_valid_and_each_error(void **state)
{
	struct fixture f;

	(void)state;
	if (load(&f, rules_yaml, 1) != 0) {
		cfg_errs_print(&f.errs, stderr);
		fail_msg("the base rule file has errors");
	}
	unload(&f);
	run_conf_cases(cases, sizeof cases / sizeof cases[0]);
}

/* What a valid file binds, and what rules take from `defaults:`. */
static void
test_values_and_defaults(void **state)
{
	const struct rcf_rule *r;
	struct fixture f;

	(void)state;
	assert_int_equal(load(&f, rules_yaml, 1), 0);
	assert_int_equal(f.set.n_rules, 6);
	r = rcf_find(&f.set, "tank_low");
	assert_non_null(r);
	assert_int_equal(r->kind, RCF_THRESHOLD);
	assert_int_equal(r->op, RCF_BELOW);
	assert_true(r->raise == 20 && r->clear == 25 && r->has_clear);
	assert_int_equal(r->raise_for_ms, 60000);
	assert_int_equal(r->clear_for_ms, 0);
	assert_true(rcf_applies_to(r, reg_name_index(reg_asset_types, "water_tank")));
	assert_false(rcf_applies_to(r, reg_name_index(reg_asset_types, "water_pump")));
	assert_int_equal(r->notify.n, 1); /* defaults */
	assert_string_equal(r->notify.v[0], "duty_engineer");
	assert_int_equal(r->reminder_ms, 15 * 60000);
	assert_int_equal(r->n_esc, 1);
	assert_int_equal(r->esc[0].after_ms, 15 * 60000);
	assert_string_equal(r->esc[0].notify.v[0], "supervisor");
	assert_int_equal(r->flap_changes, 6); /* built-in default */
	assert_int_equal(r->shelve_max_ms, 8 * 3600000LL);
	assert_int_equal(r->enabled, 1);
	assert_false(r->wo.wanted);

	r = rcf_find(&f.set, "pump_idle");
	assert_string_equal(r->guard, "running");
	assert_false(r->has_clear);
	assert_true(r->clear == r->raise);
	assert_true(r->wo.wanted);
	assert_string_equal(rcf_wo_categories[r->wo.category], "equipment_fault");
	assert_string_equal(rcf_wo_urgencies[r->wo.urgency], "ordinary");
	assert_string_equal(r->wo.skill, "plumbing");
	assert_string_equal(r->wo.assignee, "sup1");

	r = rcf_find(&f.set, "entrapment"); /* its own notify, reminder and escalation */
	assert_int_equal(r->severity, 1);
	assert_int_equal(r->notify.n, 3);
	assert_int_equal(r->reminder_ms, 5 * 60000);
	assert_int_equal(r->n_esc, 2);
	assert_string_equal(r->esc[1].notify.v[0], "project_manager");
	assert_int_equal(rcf_target_kind(&f.reg, "emergency"), RCF_TARGET_TEAM);
	assert_int_equal(rcf_target_kind(&f.reg, "sup1"), RCF_TARGET_PERSON);
	assert_int_equal(rcf_target_kind(&f.reg, "supervisor"), RCF_TARGET_ROLE);
	assert_int_equal(rcf_target_kind(&f.reg, "nobody"), RCF_TARGET_UNKNOWN);

	r = rcf_find(&f.set, "offline");
	assert_int_equal(r->after_ms, 5 * 60000); /* built-in */
	assert_int_equal(r->silence_ms, 5 * 60000);
	assert_null(rcf_find(&f.set, "nope"));
	unload(&f);
}

/* Without the registry (it could not be read) names are not resolved. */
static void
test_without_registry(void **state)
{
	static const struct edit e[] = {
		{"emergency, sup1]", "emergency, somebody]"},
		{"device: tank-2", "device: tank-99"},
	};
	char *text = edited(e, 2);
	struct fixture f;

	(void)state;
	assert_int_equal(load(&f, text, 0), 0);
	assert_int_equal(f.set.n_overrides, 1);
	unload(&f);
	assert_int_not_equal(load(&f, text, 1), 0);
	assert_int_equal(f.errs.n, 2);
	unload(&f);
	free(text);
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(rcf_valid_name("level_pct"));
	assert_true(rcf_valid_name("a"));
	assert_false(rcf_valid_name(""));
	assert_false(rcf_valid_name("Level"));
	assert_false(rcf_valid_name("a-b"));
	assert_false(rcf_valid_name(
		"x1234567890123456789012345678901234567890123456789012345678901234"));
	assert_string_equal(rcf_kind_names[RCF_OFFLINE], "offline");
	assert_string_equal(rcf_op_names[RCF_FALL], "fall");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_and_each_error),
		cmocka_unit_test(test_values_and_defaults),
		cmocka_unit_test(test_without_registry),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
