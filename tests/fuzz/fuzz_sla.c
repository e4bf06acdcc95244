/* fuzz_sla.c — libFuzzer harness for the work-order service levels
 * (sla.yaml, dispatchd and `fmctl check`): any bytes are parsed and built
 * into the model against the shipped registry and without one. Every input
 * is classified: accepted (0, no error) or refused (-1) with every error as
 * "file:line: message" inside the input. An accepted model is then used as
 * dispatchd uses it: the clocks of every category x urgency (and out of
 * range), and each escalation step's notify list resolved along the shipped
 * roster. Any crash, leak, sanitizer report or abort() is a finding. Build
 * and run: tests/fuzz/run.sh. Seeds: tests/fuzz/corpus/sla/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_conf.h"
#include "sla_conf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
use_model(const struct sla_conf *c)
{
	for (int k = -1; k <= SLA_N_CATEGORIES; k++)
		for (int u = -1; u <= SLA_N_URGENCIES; u++) {
			const struct sla_clocks *cl = sla_clocks_for(c, k, u);
			int in = k >= 0 && k < SLA_N_CATEGORIES && u >= 0 && u < SLA_N_URGENCIES;

			if ((cl != NULL) != in)
				abort();
			for (int i = 0; cl && i < SLA_N_CLOCKS; i++)
				if (cl->ms[i] < 0)
					abort();
		}
	for (int i = 0; i < c->n_esc; i++) {
		if (i > 0 && c->esc[i].after_ms < c->esc[i - 1].after_ms)
			abort(); /* steps come in increasing after_ms */
		fuzz_resolve(&c->esc[i].notify, "demo");
	}
	fuzz_resolve(&c->dispatch_roles, "demo");
}

static void
build(const struct cfg_doc *doc, const struct reg *reg, struct cfg_errs *errs,
      const struct fuzz_file *f)
{
	size_t from = errs->n, dropped = errs->dropped;
	struct sla_conf c;
	int rc;

	memset(&c, 0, sizeof c);
	rc = sla_build(&c, doc, reg, errs);
	fuzz_check_rc(rc, errs, from, dropped);
	fuzz_check_errs(errs, from, f, 1);
	if (rc == 0)
		use_model(&c);
	sla_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_conf_file(SLA_FILE, data, size, build);
}
