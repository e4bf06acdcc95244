/* test_fmsim_model.c — the simulated community without faults, against the
 * shipped config/: whole simulated days at several speeds and intervals raise
 * no alarm through alertd's evaluator (even with every raise_for set to 0,
 * and with rate rules measured on real time as alertd does); meters never go
 * back; the morning and evening peaks show; speed scales the meters; a seed
 * gives the same run twice. */
#include "fmsim_fixture.h"

#include <math.h>

#define S 1000LL

static const char *const meters[] = {"run_hours", "starts",    "trips", "door_cycles",
				     "total_m3",  "total_kwh", NULL};

struct run {
	double speed;
	long long interval_ms;
	double days;
};

static void
quiet(const struct run *r)
{
	struct fx *f = fx_new(r->speed, r->interval_ms, 0, 7, 1);
	long long end = (long long)(r->days * 86400 / r->speed * 1000);
	double(*last)[8] = calloc((size_t)f->c.n_devs, sizeof *last);

	for (int i = 0; i < f->c.n_devs; i++)
		for (int k = 0; k < 8; k++)
			last[i][k] = -1;
	for (long long now = r->interval_ms; now <= end; now += r->interval_ms)
		for (int i = 0; i < f->c.n_devs; i++) {
			struct sim_out out;

			fx_step(f, i, now, &out);
			for (int k = 0; meters[k]; k++) {
				double v;

				if (sim_out_find(&out, meters[k], &v) < 0)
					continue;
				if (v < last[i][k])
					fail_msg("speed %g: %s %s went back %g -> %g", r->speed,
						 f->c.devs[i].reg->id, meters[k], last[i][k], v);
				last[i][k] = v;
			}
		}
	for (int k = 0; k < f->n_raised; k++)
		fprintf(stderr, "speed %g interval %lld ms: raised %s\n", r->speed, r->interval_ms,
			f->raised[k]);
	assert_int_equal(f->n_raised, 0);
	free(last);
	fx_free(f);
}

static void
test_quiet_days(void **state)
{
	static const struct run runs[] = {
		{1, 30 * S, 1},   /* real time, a slow interval */
		{60, 1 * S, 1},   /* the integration test's and the demo's pace */
		{60, 10 * S, 3},  /* the default interval */
		{600, 1 * S, 3},  /* the rate windows (10 min, 1 h real) span days */
		{3600, 1 * S, 7}, /* the fastest allowed */
	};

	(void)state;
	for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++)
		quiet(&runs[k]);
}

struct day {
	double night_kpa, morning_kpa, evening_kpa; /* pump room: max 2-4 h, min at peaks */
	double tr_night_c, tr_evening_c;            /* transformer at 05:00, 20:30 */
	double tank_night, tank_morning;            /* tank-1 at 04:00, 08:30 */
	double trips_at[4];                         /* elev-1a at 02:00, 04:00, 07:00, 09:00 */
	double lag_starts0, lag_starts1, standby_starts0, standby_starts1;
	double lead_hours0, lead_hours1;
	int light_night, light_noon, standby_ran;
};

static void
sample(struct fx *f, long long now, struct day *d)
{
	struct sim_out o;
	double h = sim_hour(comm_sim_time(&f->c, now)), v;

	fx_step(f, fx_dev(f, "pr-1"), now, &o);
	v = fx_metric(&o, "supply_pressure_kpa");
	if (h >= 2 && h < 4 && v > d->night_kpa)
		d->night_kpa = v;
	if (h >= 7 && h < 9 && v < d->morning_kpa)
		d->morning_kpa = v;
	if (h >= 18 && h < 21 && v < d->evening_kpa)
		d->evening_kpa = v;
	fx_step(f, fx_dev(f, "tr-1"), now, &o);
	if (fabs(h - 5) < 0.01)
		d->tr_night_c = fx_metric(&o, "winding_temp_c");
	if (fabs(h - 20.5) < 0.01)
		d->tr_evening_c = fx_metric(&o, "winding_temp_c");
	fx_step(f, fx_dev(f, "tank-1"), now, &o);
	if (fabs(h - 4) < 0.01)
		d->tank_night = fx_metric(&o, "level_pct");
	if (fabs(h - 8.5) < 0.01)
		d->tank_morning = fx_metric(&o, "level_pct");
	fx_step(f, fx_dev(f, "elev-1a"), now, &o);
	for (int k = 0; k < 4; k++)
		if (fabs(h - (double[]){2, 4, 7, 9}[k]) < 0.01)
			d->trips_at[k] = fx_metric(&o, "trips");
	fx_step(f, fx_dev(f, "pump-2"), now, &o);
	d->lag_starts1 = fx_metric(&o, "starts");
	fx_step(f, fx_dev(f, "pump-3"), now, &o);
	d->standby_starts1 = fx_metric(&o, "starts");
	d->standby_ran |= fx_metric(&o, "running") != 0;
	fx_step(f, fx_dev(f, "pump-1"), now, &o);
	d->lead_hours1 = fx_metric(&o, "run_hours");
	fx_step(f, fx_dev(f, "light-road-1"), now, &o);
	if (fabs(h - 22) < 0.01)
		d->light_night = fx_metric(&o, "circuit_on") != 0;
	if (fabs(h - 12) < 0.01)
		d->light_noon = fx_metric(&o, "circuit_on") != 0;
}

/* One simulated day at speed 60, one reading a simulated minute. */
static void
test_day_shape(void **state)
{
	struct fx *f = fx_new(60, 1 * S, 0, 7, 0);
	struct day d = {.morning_kpa = 1e9, .evening_kpa = 1e9};
	struct sim_out o;

	(void)state;
	fx_step(f, fx_dev(f, "pump-2"), 0, &o);
	d.lag_starts0 = fx_metric(&o, "starts");
	fx_step(f, fx_dev(f, "pump-3"), 0, &o);
	d.standby_starts0 = fx_metric(&o, "starts");
	fx_step(f, fx_dev(f, "pump-1"), 0, &o);
	d.lead_hours0 = fx_metric(&o, "run_hours");
	for (long long now = 1 * S; now <= 1440 * S; now += 1 * S)
		sample(f, now, &d);
	assert_true(d.morning_kpa < d.night_kpa - 40);
	assert_true(d.evening_kpa < d.night_kpa - 40);
	assert_true(d.morning_kpa > 200); /* supply_pressure_low raises below 150 */
	assert_true(d.tr_evening_c > d.tr_night_c + 10);
	assert_true(d.tank_morning < d.tank_night - 3);
	assert_true(d.trips_at[3] - d.trips_at[2] > 2 * (d.trips_at[1] - d.trips_at[0]));
	assert_true(d.lag_starts1 - d.lag_starts0 >= 2); /* joins at both peaks */
	assert_true(d.standby_starts1 == d.standby_starts0);
	assert_false(d.standby_ran);
	assert_true(fabs(d.lead_hours1 - d.lead_hours0 - 24) < 0.1);
	assert_true(d.light_night);
	assert_false(d.light_noon);
	fx_free(f);
}

/* A real minute at speed 60 is a simulated hour of running. */
static void
test_speed_scales_meters(void **state)
{
	static const double speeds[] = {1, 60, 600};

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct fx *f = fx_new(speeds[k], 1 * S, 3 * 3600, 7, 0);
		int p = fx_dev(f, "pump-1");
		struct sim_out o;
		double h0;

		fx_step(f, p, 0, &o);
		h0 = fx_metric(&o, "run_hours");
		for (long long now = 1 * S; now <= 60 * S; now += 1 * S)
			fx_step(f, p, now, &o);
		assert_true(fabs(fx_metric(&o, "run_hours") - h0 - speeds[k] / 60) < 0.01);
		fx_free(f);
	}
}

static void
run_outputs(struct fx *f, double *sum)
{
	for (long long now = 1 * S; now <= 200 * S; now += 1 * S)
		for (int i = 0; i < f->c.n_devs; i++) {
			struct sim_out o;

			fx_step(f, i, now, &o);
			for (int m = 0; m < o.n; m++)
				sum[i] += o.m[m].value * (m + 1);
		}
}

static void
test_seed_repeats(void **state)
{
	struct fx *a = fx_new(60, 1 * S, 6 * 3600, 11, 0), *b = fx_new(60, 1 * S, 6 * 3600, 11, 0),
		  *c = fx_new(60, 1 * S, 6 * 3600, 12, 0);
	double sa[64] = {0}, sb[64] = {0}, sc[64] = {0};
	int differ = 0;

	(void)state;
	assert_true(a->c.n_devs <= 64);
	run_outputs(a, sa);
	run_outputs(b, sb);
	run_outputs(c, sc);
	for (int i = 0; i < a->c.n_devs; i++) {
		assert_true(sa[i] == sb[i]);
		differ += sa[i] != sc[i];
	}
	assert_true(differ > a->c.n_devs / 2);
	fx_free(a);
	fx_free(b);
	fx_free(c);
}

/* The demo community's devices all have a model, and the booster set has a
 * lead, a lag and a standby pump; cars serve their buildings' stops. */
static void
test_wiring(void **state)
{
	struct fx *f = fx_new(1, 10 * S, 0, 1, 0);

	(void)state;
	assert_int_equal(f->c.n_devs, 38);
	for (int i = 0; i < f->c.n_devs; i++)
		assert_true(sim_model_kind(f->c.devs[i].type) >= 0);
	assert_int_equal(f->c.devs[fx_dev(f, "pump-1")].model.info.rank, 0);
	assert_int_equal(f->c.devs[fx_dev(f, "pump-2")].model.info.rank, 1);
	assert_int_equal(f->c.devs[fx_dev(f, "pump-3")].model.info.rank, 2);
	assert_int_equal(f->c.devs[fx_dev(f, "elev-1a")].model.info.stops, 19);
	assert_int_equal(f->c.devs[fx_dev(f, "elev-3b")].model.info.stops, 12);
	assert_true(f->c.devs[fx_dev(f, "sump-1")].model.info.cycle_key ==
		    f->c.devs[fx_dev(f, "sump-pump-1")].model.info.cycle_key);
	/* dr-main supplies the pumps, the cars, the sump pump (feeds) and the
	 * transformer and meters under it (its children); not the pump room. */
	{
		const struct comm_dev *dr = &f->c.devs[fx_dev(f, "dr-main")];
		int has_pump = 0, has_tr = 0, has_pr = 0;

		for (int k = 0; k < dr->n_deps; k++) {
			const char *id = f->c.devs[dr->deps[k]].reg->id;

			has_pump |= strcmp(id, "pump-1") == 0;
			has_tr |= strcmp(id, "tr-1") == 0;
			has_pr |= strcmp(id, "pr-1") == 0;
		}
		assert_true(has_pump && has_tr && !has_pr);
		assert_int_equal(dr->n_deps, 11 + 3);
	}
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wiring),       cmocka_unit_test(test_quiet_days),
		cmocka_unit_test(test_day_shape),    cmocka_unit_test(test_speed_scales_meters),
		cmocka_unit_test(test_seed_repeats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
