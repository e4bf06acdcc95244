/* fuzz_rules.c — libFuzzer harness for the rules.yaml checker: any bytes
 * either build into a rule set or are refused with file:line messages, with
 * a small registry to resolve against and without one; every rule's message
 * template is rendered into a small buffer. Any crash, leak or abort() is a
 * finding. Build: see tests/fuzz/run.sh (with every file of common/).
 * Seeds: tests/fuzz/corpus/rules/ (the shipped rules and the unit tests'). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "registry.h"
#include "rules_conf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char site[] = "sites:\n  - id: s1\n    name: S\n    timezone: UTC\n";
static const char devices[] = "site: s1\ndevices:\n"
			      "  - {id: tank-1, type: water_tank, name: T}\n"
			      "  - {id: tank-2, type: water_tank, name: T2}\n"
			      "  - {id: pump-1, type: water_pump, name: P}\n";
static const char people[] = "skills: [{id: plumbing, name: Pl}]\n"
			     "people:\n  - {id: sup1, name: P, roles: [duty_engineer]}\n"
			     "shifts:\n  - {id: all, name: A, start: \"00:00\", end: \"00:00\"}\n"
			     "roster:\n  - {shift: all, days: [mon, tue, wed, thu, fri, sat, sun], "
			     "people: [sup1]}\n"
			     "teams: [{id: emergency, name: E, members: [sup1]}]\n";

static void
build(const struct cfg_doc *doc, const struct reg *reg, struct cfg_errs *errs)
{
	struct rcf_render_ctx ctx = {"tank-1", "水箱", "s1", "r", 12.5, 20, 1, 1};
	struct rcf_set set;
	char buf[24];

	memset(&set, 0, sizeof set);
	rcf_build(&set, doc, reg, errs);
	for (size_t i = 0; i < set.n_rules; i++) {
		rcf_render(set.rules[i].message, &ctx, buf, sizeof buf);
		rcf_effective(&set, &set.rules[i], "tank-2");
	}
	rcf_free(&set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_doc *doc, *d[3];
	struct cfg_errs errs;
	struct reg reg;

	cfg_errs_init(&errs);
	doc = cfg_load_buf("rules.yaml", (const char *)data, size, &errs);
	if (doc) {
		d[0] = cfg_load_buf("site.yaml", site, strlen(site), &errs);
		d[1] = cfg_load_buf("devices.yaml", devices, strlen(devices), &errs);
		d[2] = cfg_load_buf("people.yaml", people, strlen(people), &errs);
		memset(&reg, 0, sizeof reg);
		reg_build(&reg, d[0], d[1], d[2], &errs);
		build(doc, &reg, &errs);
		build(doc, NULL, &errs);
		reg_free(&reg);
		for (int j = 0; j < 3; j++)
			cfg_doc_free(d[j]);
		cfg_doc_free(doc);
	}
	cfg_errs_free(&errs);
	return 0;
}
