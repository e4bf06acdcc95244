/* fuzz_rules.c — libFuzzer harness for the alarm rules (rules.yaml, alertd
 * and `fmctl check`): any bytes are parsed and built into a rule set against
 * the shipped registry and without one. Every input is classified: accepted
 * (0, no error) or refused (-1) with every error as "file:line: message"
 * inside the input. The rules are then used as alertd uses them: each
 * message template rendered into a small buffer (truncation at a UTF-8
 * boundary), the per-device overrides applied to every device, the asset
 * types matched, the notify lists resolved along the shipped roster. Any
 * crash, leak, sanitizer report or abort() is a finding. Build and run:
 * tests/fuzz/run.sh. Seeds: tests/fuzz/corpus/rules/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_check.h"
#include "fuzz_conf.h"
#include "registry.h"
#include "rules_conf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
use_rule(const struct rcf_set *set, const struct rcf_rule *r, const struct reg *reg)
{
	struct rcf_render_ctx ctx = {"tank-1", "水箱", "demo", "r", 12.5, 20, 1, 1};
	char small[24], big[512];

	rcf_render(r->message, &ctx, small, sizeof small);
	fuzz_check_str(small, sizeof small);
	rcf_render(r->message, &ctx, big, sizeof big);
	for (size_t d = 0; reg && d < reg->n_devices; d++) {
		rcf_effective(set, r, reg->devices[d].id);
		rcf_applies_to(r, reg->devices[d].type);
	}
	rcf_effective(set, r, "no-such-device");
	fuzz_resolve(&r->notify, "demo");
}

static void
build(const struct cfg_doc *doc, const struct reg *reg, struct cfg_errs *errs,
      const struct fuzz_file *f)
{
	size_t from = errs->n, dropped = errs->dropped;
	struct rcf_set set;
	int rc;

	memset(&set, 0, sizeof set);
	rc = rcf_build(&set, doc, reg, errs);
	fuzz_check_rc(rc, errs, from, dropped);
	fuzz_check_errs(errs, from, f, 1);
	for (size_t i = 0; i < set.n_rules; i++)
		use_rule(&set, &set.rules[i], reg);
	rcf_free(&set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_conf_file("rules.yaml", data, size, build);
}
