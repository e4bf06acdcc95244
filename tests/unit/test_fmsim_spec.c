/* test_fmsim_spec.c — fault requests as written on the command line, in a
 * scenario file and on the control FIFO: what each parses to, what is
 * refused (unknown faults, bad devices and durations), and that a control
 * line formatted by `fmsim fault` parses back to the same action. */
#include "fmsim/sim_fault.h"
#include "fmsim/sim_spec.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

struct spec_case {
	const char *text;
	int rc;
	int fault;
	const char *device;
	long long after_ms, for_ms;
};

static void
check(const struct spec_case *c, int rc, const struct sim_action *a, const char *err)
{
	if (rc != c->rc)
		fail_msg("'%s': rc %d, want %d (%s)", c->text, rc, c->rc, err);
	if (rc != 0)
		return;
	if (a->fault != c->fault || strcmp(a->device, c->device) != 0 ||
	    a->after_ms != c->after_ms || a->for_ms != c->for_ms)
		fail_msg("'%s': %d %s %lld %lld", c->text, a->fault, a->device, a->after_ms,
			 a->for_ms);
}

static void
test_option(void **state)
{
	static const struct spec_case cases[] = {
		{"entrapment", 0, SIM_F_ENTRAPMENT, "", 0, 0},
		{"entrapment:elev-2a", 0, SIM_F_ENTRAPMENT, "elev-2a", 0, 0},
		{"entrapment:elev-2a@30s", 0, SIM_F_ENTRAPMENT, "elev-2a", 30000, 0},
		{"entrapment:elev-2a@30s+2m", 0, SIM_F_ENTRAPMENT, "elev-2a", 30000, 120000},
		{"mains_loss@1m+90s", 0, SIM_F_MAINS_LOSS, "", 60000, 90000},
		{"gas_leak@0+5s", 0, SIM_F_GAS_LEAK, "", 0, 5000},
		{"entrapmen", -1, 0, "", 0, 0},
		{"", -1, 0, "", 0, 0},
		{"entrapment:", -1, 0, "", 0, 0},
		{"entrapment:bad/id", -1, 0, "", 0, 0},
		{"entrapment@soon", -1, 0, "", 0, 0},
		{"entrapment@5s+", -1, 0, "", 0, 0},
		{"entrapment@5s+-3s", -1, 0, "", 0, 0},
	};
	char err[256];

	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct sim_action a;

		err[0] = '\0';
		check(&cases[k], sim_spec_parse_opt(cases[k].text, &a, err, sizeof err), &a, err);
		if (cases[k].rc < 0 && !err[0])
			fail_msg("'%s' refused without a message", cases[k].text);
	}
	sim_spec_parse_opt("entrapmen", &(struct sim_action){0}, err, sizeof err);
	assert_non_null(strstr(err, "unknown fault 'entrapmen'"));
	assert_non_null(strstr(err, "sensor_stuck")); /* the names are listed */
}

static void
test_scenario(void **state)
{
	static const struct spec_case cases[] = {
		{"10s entrapment", 0, SIM_F_ENTRAPMENT, "", 10000, 0},
		{"10s entrapment elev-3a", 0, SIM_F_ENTRAPMENT, "elev-3a", 10000, 0},
		{"10s entrapment 2m", 0, SIM_F_ENTRAPMENT, "", 10000, 120000},
		{"10s entrapment elev-3a 2m\n", 0, SIM_F_ENTRAPMENT, "elev-3a", 10000, 120000},
		{"  1m\tmains_loss  dr-main   30s  ", 0, SIM_F_MAINS_LOSS, "dr-main", 60000, 30000},
		{"# a comment", 1, 0, "", 0, 0},
		{"   \n", 1, 0, "", 0, 0},
		{"entrapment", -1, 0, "", 0, 0},
		{"10s", -1, 0, "", 0, 0},
		{"later entrapment", -1, 0, "", 0, 0},
		{"10s flood", -1, 0, "", 0, 0},
		{"10s entrapment elev-3a 2m extra", -1, 0, "", 0, 0},
		{"10s entrapment elev-3a soon", -1, 0, "", 0, 0},
	};
	char err[256];

	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct sim_action a;

		check(&cases[k], sim_spec_parse_scenario(cases[k].text, &a, err, sizeof err), &a,
		      err);
	}
}

static void
test_control_round_trip(void **state)
{
	static const struct sim_action acts[] = {
		{SIM_F_ENTRAPMENT, "elev-1a", 0, 0, 0},
		{SIM_F_TANK_LOW, "", 0, 45000, 0},
		{SIM_F_DEVICE_OFFLINE, "cctv-gate-s", 0, 0, 1},
		{SIM_F_SENSOR_STUCK, "", 0, 0, 1},
	};
	static const char *const bad[] = {
		"",
		"fault",
		"fault entrapment",
		"fault entrapment - x",
		"fault entrapment - -5",
		"clear entrapment",
		"clear bogus -",
		"inject entrapment - 0",
		"fault entrapment a/b 0",
	};
	char line[SIM_CTL_LINE_MAX], err[256];
	struct sim_action back;

	(void)state;
	for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++) {
		int n = sim_spec_format_ctl(&acts[k], line, sizeof line);

		assert_true(n > 0 && line[n - 1] == '\n');
		assert_int_equal(sim_spec_parse_ctl(line, &back, err, sizeof err), 0);
		assert_int_equal(back.fault, acts[k].fault);
		assert_string_equal(back.device, acts[k].device);
		assert_int_equal(back.for_ms, acts[k].for_ms);
		assert_int_equal(back.clear, acts[k].clear);
	}
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		if (sim_spec_parse_ctl(bad[k], &back, err, sizeof err) != -1)
			fail_msg("control line '%s' accepted", bad[k]);
	assert_int_equal(sim_spec_format_ctl(&acts[0], line, 8), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_option),
		cmocka_unit_test(test_scenario),
		cmocka_unit_test(test_control_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
