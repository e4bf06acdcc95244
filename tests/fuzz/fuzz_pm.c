/* fuzz_pm.c — libFuzzer harness for the preventive-maintenance plans
 * (maintenance.yaml, schedd and `fmctl check`): any bytes are parsed and
 * built into plans against the shipped registry and without one. Every input
 * is classified: accepted (0, no error) or refused (-1) with every error as
 * "file:line: message" inside the input. The plans of an input are then used
 * as schedd uses them: which devices each covers, its periods' bounds and
 * text, its notify and escalate lists resolved along the shipped roster. Any
 * crash, leak, sanitizer report or abort() is a finding. Build and run:
 * tests/fuzz/run.sh. Seeds: tests/fuzz/corpus/pm/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_conf.h"
#include "pm_conf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
use_plan(const struct pm_set *set, const struct pm_plan *p, const struct reg *reg)
{
	char buf[32];

	if (pm_find(set, p->id) == NULL)
		abort();
	for (size_t d = 0; reg && d < reg->n_devices; d++)
		pm_plan_covers(p, &reg->devices[d]);
	if (p->has_calendar) {
		if (pm_period_min_days(&p->every) > pm_period_max_days(&p->every) ||
		    pm_period_min_ms(&p->every) > pm_period_max_ms(&p->every))
			abort();
		pm_period_str(&p->every, buf, sizeof buf);
	}
	for (int s = 0; s < p->n_sets; s++)
		pm_period_str(&p->sets[s].every, buf, sizeof buf);
	fuzz_resolve(&p->notify, p->site[0] ? p->site : "demo");
	fuzz_resolve(&p->escalate, p->site[0] ? p->site : "demo");
}

static void
build(const struct cfg_doc *doc, const struct reg *reg, struct cfg_errs *errs,
      const struct fuzz_file *f)
{
	size_t from = errs->n, dropped = errs->dropped;
	struct pm_set set;
	int rc;

	memset(&set, 0, sizeof set);
	rc = pm_build(&set, doc, reg, errs);
	fuzz_check_rc(rc, errs, from, dropped);
	fuzz_check_errs(errs, from, f, 1);
	if (rc == 0)
		for (size_t i = 0; i < set.n_plans; i++)
			use_plan(&set, &set.plans[i], reg);
	pm_free(&set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_conf_file(PM_FILE, data, size, build);
}
