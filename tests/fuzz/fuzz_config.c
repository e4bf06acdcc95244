/* fuzz_config.c — libFuzzer harness for the configuration reader: any bytes
 * either parse into a tree or are refused with file:line messages; a tree is
 * then bound with a table of every field type and built as each registry
 * file against the shipped-style others. Any crash, leak or abort() is a
 * finding. Build:
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Icommon tests/fuzz/fuzz_config.c common/config.c common/config_bind.c \
 *     common/config_errs.c common/registry*.c common/log.c -lyaml
 * Seeds: tests/fuzz/corpus/config/ (the shipped configuration). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "registry.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct every {
	char s[16];
	int i, b, e;
	long long ll, dur;
	double d;
	struct {
		int a;
	} sub;
	struct cfg_strlist list;
	const struct cfg_node *node;
};

static const char *const names[] = {"x", "y", NULL};
static const struct cfg_field sub_fields[] = {
	{"a", CFG_T_INT, 0, 0, "1", 0, 9, NULL, NULL},
	CFG_END,
};
static const struct cfg_field fields[] = {
	CFG_STR("s", struct every, s, ""),
	CFG_INT("i", struct every, i, "0", -5, 5),
	CFG_BOOL("b", struct every, b, "false"),
	CFG_ENUM("e", struct every, e, "x", names),
	CFG_LLONG("ll", struct every, ll, "1k", 0, 1LL << 40),
	CFG_DURATION("dur", struct every, dur, "1s", 0, 86400000),
	CFG_DOUBLE("d", struct every, d, "0", -1, 1),
	CFG_SECTION("sub", struct every, sub, sub_fields),
	CFG_STRLIST("list", struct every, list, "", 4, 8),
	CFG_NODE("node", struct every, node),
	CFG_END,
};

static const char site[] =
	"sites:\n  - id: s1\n    name: S\n    timezone: UTC\n"
	"    areas: [{id: A, name: A}]\n    buildings: [{id: b1, name: B, area: A}]\n";
static const char devices[] = "site: s1\ndevices:\n  - {id: d1, type: elevator, name: L}\n";
static const char people[] = "skills: []\npeople:\n  - {id: p, name: P, roles: [duty_engineer]}\n"
			     "shifts:\n  - {id: all, name: A, start: \"00:00\", end: \"00:00\"}\n"
			     "roster:\n  - {shift: all, days: [mon, tue, wed, thu, fri, sat, sun], "
			     "people: [p]}\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *fixed[3] = {site, devices, people};
	struct cfg_errs errs;
	struct cfg_doc *doc, *d[3];
	struct every e;

	cfg_errs_init(&errs);
	doc = cfg_load_buf("fuzz.yaml", (const char *)data, size, &errs);
	if (doc) {
		memset(&e, 0, sizeof e);
		cfg_bind(cfg_doc_root(doc), fields, &e, &errs);
		cfg_strlist_free(&e.list);
		/* the input as each registry file in turn */
		for (int k = 0; k < 3; k++) {
			struct reg r;

			for (int j = 0; j < 3; j++)
				d[j] = j == k ? NULL
					      : cfg_load_buf("f.yaml", fixed[j], strlen(fixed[j]),
							     &errs);
			d[k] = doc;
			memset(&r, 0, sizeof r);
			reg_build(&r, d[0], d[1], d[2], &errs);
			reg_free(&r);
			for (int j = 0; j < 3; j++)
				if (j != k)
					cfg_doc_free(d[j]);
		}
		cfg_doc_free(doc);
	}
	cfg_errs_free(&errs);
	return 0;
}
