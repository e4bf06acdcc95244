/* fmsim_fixture.h — what the community tests share: the shipped registry and
 * rules (config/, or $FM_CONFIG_DIR) with alertd's rule index, a community
 * built from them without a broker, and a step that advances one device on a
 * virtual clock and feeds its telemetry through alertd's evaluator as alertd
 * would (every rule of its type, then a tick), returning what raised. */
#ifndef TEST_FMSIM_FIXTURE_H
#define TEST_FMSIM_FIXTURE_H

#include "alertd/rule_index.h"
#include "alertd/rules.h"
#include "fmsim/community.h"
#include "fmsim/sim_fault.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define FX_RULES_MAX 16 /* rules of one asset type */

struct fx {
	struct community c;
	struct rcf_set set;
	struct rule_index ix;
	struct rule_state (*st)[FX_RULES_MAX]; /* per device */
	const char *raised[64];                /* "device rule", what raised, in order */
	char raised_buf[64][160];
	int n_raised;
};

/* Loads config/, builds the community of site demo at speed, with interval,
 * starting at simulated second start_s of the day; the virtual clock starts
 * at 0. Threshold rules with zero_delay raise at once (no raise_for), the
 * strictest reading of "never crosses a threshold". */
static struct fx *
fx_new(double speed, long long interval_ms, int start_s, long long seed, int zero_delay)
{
	const char *dir = getenv("FM_CONFIG_DIR");
	struct fx *f = calloc(1, sizeof *f);
	struct cfg_errs errs;
	int rc;

	dir = dir && *dir ? dir : "config";
	assert_non_null(f);
	cfg_errs_init(&errs);
	rc = reg_load_dir(dir, &f->c.reg, &errs);
	if (rc == 0)
		rc = rcf_load_dir(dir, &f->c.reg, &f->set, &errs);
	cfg_errs_print(&errs, stderr);
	cfg_errs_free(&errs);
	assert_int_equal(rc, 0);
	for (size_t k = 0; zero_delay && k < f->set.n_rules; k++)
		f->set.rules[k].raise_for_ms = 0;
	for (size_t k = 0; zero_delay && k < f->set.n_overrides; k++)
		f->set.overrides[k].raise_for_ms = 0;
	rule_index_build(&f->ix, &f->set);
	f->c.site = reg_site_find(&f->c.reg, "demo");
	assert_non_null(f->c.site);
	f->c.o.speed = speed;
	f->c.o.interval_ms = interval_ms;
	f->c.o.seed = seed;
	f->c.t0_ms = 0;
	f->c.sim_t0_s = start_s;
	assert_int_equal(comm_devs_build(&f->c), 0);
	f->st = calloc((size_t)f->c.n_devs, sizeof *f->st);
	assert_non_null(f->st);
	for (int i = 0; i < f->c.n_devs; i++)
		for (int k = 0; k < FX_RULES_MAX; k++)
			rule_state_init(&f->st[i][k], 0);
	return f;
}

static void
fx_free(struct fx *f)
{
	comm_devs_free(&f->c);
	rule_index_free(&f->ix);
	rcf_free(&f->set);
	reg_free(&f->c.reg);
	free(f->st);
	free(f);
}

static int
fx_dev(const struct fx *f, const char *id)
{
	int i = comm_dev_find(&f->c, id);

	if (i < 0)
		fail_msg("no device %s in the demo community", id);
	return i;
}

static void
fx_verdict(struct fx *f, int i, const struct rcf_rule *r, enum rule_verdict v)
{
	if (v != RULE_RAISE || f->n_raised == 64)
		return;
	snprintf(f->raised_buf[f->n_raised], sizeof f->raised_buf[0], "%s %s", f->c.devs[i].reg->id,
		 r->id);
	f->raised[f->n_raised] = f->raised_buf[f->n_raised];
	f->n_raised++;
}

/* Feeds one input (metric, event) of device i at now_ms to all its rules. */
static void
fx_feed(struct fx *f, int i, const struct rule_input *in, long long now_ms)
{
	size_t n;
	const struct rcf_rule *const *r = rule_index_type(&f->ix, f->c.devs[i].reg->type, &n);
	struct rule_result res;

	assert_true(n <= FX_RULES_MAX);
	for (size_t k = 0; k < n; k++) {
		const struct rcf_rule *e = rcf_effective(&f->set, r[k], f->c.devs[i].reg->id);

		fx_verdict(f, i, e, rule_eval(e, &f->st[i][k], in, now_ms, &res));
		fx_verdict(f, i, e, rule_tick(e, &f->st[i][k], now_ms, &res));
	}
}

/* Steps device i to now_ms (the virtual monotonic and wall clock at once)
 * and evaluates its telemetry; out gets the metrics. */
static void
fx_step(struct fx *f, int i, long long now_ms, struct sim_out *out)
{
	comm_dev_step(&f->c, i, now_ms, out);
	for (int m = 0; m < out->n; m++) {
		struct rule_input in = {RULE_IN_METRIC, out->m[m].name, out->m[m].value, now_ms, 0};

		fx_feed(f, i, &in, now_ms);
	}
}

static double
fx_metric(const struct sim_out *out, const char *name)
{
	double v;

	if (sim_out_find(out, name, &v) < 0)
		fail_msg("no metric %s", name);
	return v;
}

#endif
