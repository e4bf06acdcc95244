/* test_fmsim_fault.c — the fault table and its effects on the demo
 * community, through the community's own injection (comm_fault_act, no
 * broker): each fault lands on its default device, changes what the table
 * promises, raises its alarm through alertd's evaluator with the shipped
 * rules and timings (and nothing on devices it does not concern), and once
 * cleared the device is back to normal. */
#include "fmsim_fixture.h"

#include <math.h>

#define S 1000LL

static void
fx_fault_event(struct fx *f, int fault, int i, int active, long long now_ms)
{
	struct sim_effect e;
	struct rule_input in = {RULE_IN_EVENT, NULL, 0, now_ms, active};

	assert_int_equal(sim_fault_effect(fault, f->c.devs[i].type, &e), 0);
	if (e.offline) {
		in.kind = RULE_IN_STATUS;
		fx_feed(f, i, &in, now_ms);
	}
	if (!e.event)
		return;
	in.name = e.event;
	fx_feed(f, i, &in, now_ms);
}

static void
fx_tick(struct fx *f, int i, long long now_ms)
{
	size_t n;
	const struct rcf_rule *const *r = rule_index_type(&f->ix, f->c.devs[i].reg->type, &n);
	struct rule_result res;

	for (size_t k = 0; k < n; k++) {
		const struct rcf_rule *e = rcf_effective(&f->set, r[k], f->c.devs[i].reg->id);

		fx_verdict(f, i, e, rule_tick(e, &f->st[i][k], now_ms, &res));
	}
}

static int
fx_raised(const struct fx *f, const char *device, const char *rule)
{
	char want[160];

	snprintf(want, sizeof want, "%s %s", device, rule);
	for (int k = 0; k < f->n_raised; k++)
		if (strcmp(f->raised[k], want) == 0)
			return 1;
	return 0;
}

struct range {
	const char *metric;
	double lo, hi;
};

struct fault_case {
	const char *fault, *device; /* device NULL: the default */
	const char *target;         /* the device it must land on */
	const char *rules[3];       /* must raise on target; others may raise only on deps */
	struct range during, after; /* a metric of target while active, and 60 s after */
	const char *dep;            /* a dependant that must raise pump_no_current */
};

static const struct fault_case cases[] = {
	{"entrapment",
	 NULL,
	 "elev-1a",
	 {"elevator_entrapment"},
	 {"fault_code", 31, 31},
	 {"fault_code", 0, 0},
	 NULL},
	{"pump_fail",
	 NULL,
	 "pump-1",
	 {"pump_fault"},
	 {"outlet_pressure_kpa", 0, 60},
	 {"motor_current_a", 5, 30},
	 NULL},
	{"pump_room_flood",
	 NULL,
	 "flood-pr-1",
	 {"flood", "flood_depth"},
	 {"water_depth_cm", 10, 13},
	 {"water_depth_cm", 0, 0.5},
	 NULL},
	{"pump_room_flood",
	 "sump-1",
	 "sump-1",
	 {"sump_high_level", "sump_level_high"},
	 {"level_pct", 85, 100},
	 {"level_pct", 20, 60},
	 NULL},
	{"mains_loss",
	 NULL,
	 "dr-main",
	 {"mains_lost"},
	 {"voltage_a_v", 0, 0},
	 {"voltage_a_v", 220, 240},
	 "pump-1"},
	{"tank_low",
	 NULL,
	 "tank-1",
	 {"tank_level_low", "tank_level_falling_fast"},
	 {"level_pct", 10.5, 19.5},
	 {"level_pct", 60, 80},
	 NULL},
	{"gas_leak",
	 NULL,
	 "gas-b1",
	 {"gas_alarm", "gas_high"},
	 {"gas_lel_pct", 20, 40},
	 {"gas_lel_pct", 0, 2},
	 NULL},
	{"fire_alarm",
	 NULL,
	 "fire-panel-1",
	 {"fire_alarm"},
	 {"online", 1, 1},
	 {"online", 1, 1},
	 NULL},
	{"device_offline",
	 "gas-b3",
	 "gas-b3",
	 {"device_offline"},
	 {NULL, 0, 0},
	 {"gas_lel_pct", 0, 2},
	 NULL},
	{"device_offline",
	 NULL,
	 "cctv-nvr-1",
	 {"security_device_offline"},
	 {NULL, 0, 0},
	 {"online", 1, 1},
	 NULL},
};

static int
is_dep(const struct fx *f, int root, const char *id)
{
	for (int k = 0; k < f->c.devs[root].n_deps; k++)
		if (strcmp(f->c.devs[f->c.devs[root].deps[k]].reg->id, id) == 0)
			return 1;
	return 0;
}

/* Every device steps once a real second; returns target's last reading. */
static void
run(struct fx *f, long long from, long long to, int target, struct sim_out *last)
{
	for (long long now = from; now <= to; now += S)
		for (int i = 0; i < f->c.n_devs; i++) {
			struct sim_out o;

			if (f->c.devs[i].offline) {
				fx_tick(f, i, now);
				continue;
			}
			fx_step(f, i, now, &o);
			if (i == target)
				*last = o;
		}
}

static void
check_range(const char *when, const struct fault_case *fc, const struct range *r,
	    const struct sim_out *o)
{
	double v;

	if (!r->metric)
		return;
	v = fx_metric(o, r->metric);
	if (v < r->lo || v > r->hi)
		fail_msg("%s %s %s: %s = %g, not in %g..%g", fc->fault, fc->target, when, r->metric,
			 v, r->lo, r->hi);
}

static void
play(const struct fault_case *fc)
{
	struct fx *f = fx_new(60, 1 * S, 10 * 3600, 3, 0);
	struct sim_action a = {0};
	struct sim_out o = {0};
	int t = fx_dev(f, fc->target);

	run(f, 1 * S, 10 * S, t, &o);
	assert_int_equal(f->n_raised, 0);
	a.fault = sim_fault_find(fc->fault);
	snprintf(a.device, sizeof a.device, "%s", fc->device ? fc->device : "");
	assert_int_equal(comm_fault_act(&f->c, &a, "test", 10 * S), 0);
	assert_int_equal(f->c.n_active, 1);
	assert_string_equal(f->c.devs[f->c.active[0].dev].reg->id, fc->target);
	fx_fault_event(f, a.fault, t, 1, 10 * S);
	run(f, 11 * S, 400 * S, t, &o); /* past the offline rules' 5 min */
	check_range("active", fc, &fc->during, &o);
	for (int k = 0; k < 3 && fc->rules[k]; k++)
		if (!fx_raised(f, fc->target, fc->rules[k]))
			fail_msg("%s on %s did not raise %s", fc->fault, fc->target, fc->rules[k]);
	if (fc->dep && !fx_raised(f, fc->dep, "pump_no_current"))
		fail_msg("%s: %s did not raise pump_no_current", fc->fault, fc->dep);
	for (int k = 0; k < f->n_raised; k++) {
		char dev[80];
		int ok = 0;

		sscanf(f->raised[k], "%79s", dev);
		for (int r = 0; r < 3 && fc->rules[r]; r++)
			ok |= strcmp(dev, fc->target) == 0 &&
			      strcmp(strchr(f->raised[k], ' ') + 1, fc->rules[r]) == 0;
		if (!ok && !is_dep(f, t, dev))
			fail_msg("%s on %s also raised %s", fc->fault, fc->target, f->raised[k]);
	}
	a.clear = 1;
	assert_int_equal(comm_fault_act(&f->c, &a, "test", 401 * S), 0);
	assert_int_equal(f->c.n_active, 0);
	assert_false(f->c.devs[t].offline);
	run(f, 402 * S, 460 * S, t, &o);
	check_range("cleared", fc, &fc->after, &o);
	/* clearing what is not active is refused, and counted */
	assert_int_equal(comm_fault_act(&f->c, &a, "test", 461 * S), -1);
	assert_int_equal(f->c.st.faults_rejected, 1);
	fx_free(f);
}

static void
test_faults_play(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		play(&cases[k]);
}

/* Under mains loss the pump room itself (not fed by dr-main) stays normal,
 * the cars stop, the pumps keep their run command with no current. */
static void
test_mains_loss_dependants(void **state)
{
	struct fx *f = fx_new(60, 1 * S, 8 * 3600, 3, 0);
	struct sim_action a = {.fault = SIM_F_MAINS_LOSS};
	struct sim_out o;

	(void)state;
	assert_int_equal(comm_fault_act(&f->c, &a, "test", 0), 0);
	for (long long now = 1 * S; now <= 30 * S; now += S) {
		fx_step(f, fx_dev(f, "pump-1"), now, &o);
		assert_true(fx_metric(&o, "running") == 1 && fx_metric(&o, "motor_current_a") == 0);
		fx_step(f, fx_dev(f, "elev-2a"), now, &o);
		assert_true(fx_metric(&o, "running") == 0 && fx_metric(&o, "door_open") == 0);
		fx_step(f, fx_dev(f, "pr-1"), now, &o);
		assert_true(fx_metric(&o, "supply_pressure_kpa") > 200);
		fx_step(f, fx_dev(f, "tr-1"), now, &o);
		assert_true(fx_metric(&o, "load_pct") == 0);
	}
	fx_free(f);
}

/* sensor_stuck: the first metric repeats exactly; cleared, it moves again. */
static void
test_sensor_stuck(void **state)
{
	struct fx *f = fx_new(60, 1 * S, 6 * 3600, 3, 0);
	struct sim_action a = {.fault = SIM_F_SENSOR_STUCK};
	int t = fx_dev(f, "tank-1"), changes = 0;
	struct sim_out o;
	double v0;

	(void)state;
	assert_int_equal(comm_fault_act(&f->c, &a, "test", 0), 0);
	assert_string_equal(f->c.devs[f->c.active[0].dev].reg->id, "tank-1");
	fx_step(f, t, 1 * S, &o);
	v0 = fx_metric(&o, "level_pct");
	for (long long now = 2 * S; now <= 120 * S; now += S) {
		fx_step(f, t, now, &o);
		assert_true(fx_metric(&o, "level_pct") == v0);
	}
	a.clear = 1;
	assert_int_equal(comm_fault_act(&f->c, &a, "test", 121 * S), 0);
	for (long long now = 122 * S; now <= 140 * S; now += S) {
		fx_step(f, t, now, &o);
		changes += fx_metric(&o, "level_pct") != v0;
	}
	assert_true(changes > 10);
	fx_free(f);
}

/* The table: names round-trip, defaults exist and fit, unknown is -1, a
 * fault does not fit a type it has no row for. */
static void
test_table(void **state)
{
	struct sim_effect e;
	char list[2048];

	(void)state;
	for (int k = 0; k < SIM_F_COUNT; k++) {
		assert_int_equal(sim_fault_find(sim_fault_name(k)), k);
		assert_true(reg_name_index(reg_asset_types, sim_fault_default_type(k)) >= 0);
		assert_int_equal(sim_fault_effect(k, sim_fault_default_type(k), &e), 0);
	}
	assert_int_equal(sim_fault_find("entrapments"), -1);
	assert_int_equal(sim_fault_find(""), -1);
	assert_int_equal(sim_fault_effect(SIM_F_ENTRAPMENT, "water_pump", &e), -1);
	assert_int_equal(sim_fault_effect(SIM_F_DEVICE_OFFLINE, "env_sensor", &e), 0);
	assert_true(e.offline);
	assert_int_equal(sim_fault_effect(SIM_F_MAINS_LOSS, "distribution_room", &e), 0);
	assert_true(e.dep_cond == SIM_C_NO_SUPPLY && e.cond == SIM_C_NO_MAINS && !e.event);
	assert_int_equal(sim_fault_list(list, sizeof list), 0);
	assert_non_null(strstr(list, "sensor_stuck"));
	assert_int_equal(sim_fault_list(list, 10), -1);
}

/* A named device that is unknown, or of a type the fault does not fit, is
 * refused and counted; nothing becomes active. */
static void
test_rejections(void **state)
{
	struct fx *f = fx_new(60, 1 * S, 0, 3, 0);
	struct sim_action a = {.fault = SIM_F_ENTRAPMENT};

	(void)state;
	snprintf(a.device, sizeof a.device, "no-such-car");
	assert_int_equal(comm_fault_act(&f->c, &a, "test", 0), -1);
	snprintf(a.device, sizeof a.device, "pump-1");
	assert_int_equal(comm_fault_act(&f->c, &a, "test", 0), -1);
	assert_int_equal(f->c.n_active, 0);
	assert_int_equal(f->c.st.faults_rejected, 2);
	comm_fault_control(&f->c, "fault entrapment elev-3b 5000", 0);
	comm_fault_control(&f->c, "fault bogus - 0", 0);
	comm_fault_control(&f->c, "rm -rf /", 0);
	assert_int_equal(f->c.n_active, 1);
	assert_int_equal(f->c.st.faults_rejected, 4);
	comm_fault_tick(&f->c, 4999);
	assert_int_equal(f->c.n_active, 1);
	comm_fault_tick(&f->c, 5000); /* its FOR is over */
	assert_int_equal(f->c.n_active, 0);
	assert_int_equal(f->c.st.faults_cleared, 1);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_faults_play),
		cmocka_unit_test(test_mains_loss_dependants),
		cmocka_unit_test(test_sensor_stuck),
		cmocka_unit_test(test_rejections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
