/* test_alertd_overrides.c — per-device overrides in rules.yaml: each
 * mistake caught at its file:line (unknown device or rule, a device of
 * another asset type, keys that would change what a rule watches, values on
 * the wrong side, the same override twice), and precedence: the override
 * applies to its device only and changes only what it says. */
#include "alertd_rules_fixture.h"

static const struct conf_case cases[] = {
	{"override of an unknown device",
	 {{"device: tank-2", "device: tank-9"}},
	 "rules.yaml:65: device: unknown device 'tank-9'"},
	{"override of a device of another type",
	 {{"device: tank-2", "device: pump-1"}},
	 "rules.yaml:65: device: 'pump-1' is a water_pump; rule 'tank_low' does not apply to that "
	 "asset type"},
	{"override of an unknown rule",
	 {{"rule: tank_low", "rule: tank_lo"}},
	 "rules.yaml:66: rule: unknown rule 'tank_lo'"},
	{"override of what a rule watches",
	 {{"    raise: 30\n", "    metric: level_m\n"}},
	 "rules.yaml:67: unknown key 'metric' (known: device, rule, enabled, severity, raise, "},
	{"override without a value",
	 {{"    raise: 30\n", "    raise:\n"}},
	 "rules.yaml:67: raise: an override must give a value"},
	{"override clear on the wrong side",
	 {{"clear: 35", "clear: 28"}},
	 "rules.yaml:68: clear: 28 must be above the raise level 30"},
	{"override raise past the rule's clear",
	 {{"    clear: 35\n", ""}},
	 "rules.yaml:65: clear: 25 must be above the raise level 30"},
	{"override key of another kind",
	 {{"    clear: 35\n", "    clear: 35\n    timeout: 1m\n"}},
	 "rules.yaml:69: timeout: not a key of threshold rules"},
	{"override severity out of range",
	 {{"    clear: 35\n", "    clear: 35\n    severity: 9\n"}},
	 "rules.yaml:69: severity: out of range 1..4"},
	{"override unknown notify target",
	 {{"notify: [sup1]", "notify: [sup2]"}},
	 "rules.yaml:69: notify: unknown role, team or person 'sup2'"},
	{"override twice",
	 {{"    notify: [sup1]\n", "    notify: [sup1]\n  - device: tank-2\n    rule: tank_low\n"
				   "    severity: 2\n"}},
	 "rules.yaml:70: duplicate override of rule 'tank_low' for device 'tank-2' (first at "
	 "rules.yaml:65)"},
};

static void
test_each_error(void **state)
{
	(void)state;
	run_conf_cases(cases, sizeof cases / sizeof cases[0]);
}

/* The device's override wins for that device only, and changes only what it
 * says. */
static void
test_override_precedence(void **state)
{
	const struct rcf_rule *base, *t1, *t2;
	struct fixture f;

	(void)state;
	assert_int_equal(load(&f, rules_yaml, 1), 0);
	base = rcf_find(&f.set, "tank_low");
	assert_int_equal(base->ov_n, 1);
	t1 = rcf_effective(&f.set, base, "tank-1");
	t2 = rcf_effective(&f.set, base, "tank-2");
	assert_ptr_equal(t1, base);
	assert_ptr_not_equal(t2, base);
	assert_string_equal(t2->device, "tank-2");
	assert_string_equal(t2->id, "tank_low");
	assert_true(t2->raise == 30 && t2->clear == 35);
	assert_int_equal(t2->raise_for_ms, 60000); /* kept from the rule */
	assert_int_equal(t2->severity, 3);
	assert_string_equal(t2->message, base->message);
	assert_int_equal(t2->notify.n, 1);
	assert_string_equal(t2->notify.v[0], "sup1");
	assert_int_equal(t2->n_esc, 1); /* the list was copied, not shared */
	assert_ptr_not_equal(t2->esc[0].notify.v, base->esc[0].notify.v);
	assert_int_equal(cfg_line(t2->node), 65);
	/* rules without overrides */
	base = rcf_find(&f.set, "offline");
	assert_ptr_equal(rcf_effective(&f.set, base, "tank-2"), base);
	unload(&f);

	/* a raise without a clear in an override of a rule without a clear level */
	static const struct edit e[] = {
		{"    raise: 0.5\n    while: running\n", "    raise: 0.5\n    while: running\n"},
		{"  - device: tank-2\n    rule: tank_low\n    raise: 30\n    clear: 35\n"
		 "    notify: [sup1]\n",
		 "  - device: pump-1\n    rule: pump_idle\n    raise: 0.8\n    enabled: false\n"},
	};
	char *text = edited(e, 2);

	assert_int_equal(load(&f, text, 1), 0);
	base = rcf_find(&f.set, "pump_idle");
	t1 = rcf_effective(&f.set, base, "pump-1");
	assert_true(t1->raise == 0.8 && t1->clear == 0.8 && !t1->has_clear);
	assert_int_equal(t1->enabled, 0);
	assert_int_equal(base->enabled, 1);
	unload(&f);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_error),
		cmocka_unit_test(test_override_precedence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
