/* fuzz_config.c — libFuzzer harness for the configuration reader and the
 * registry (site.yaml, devices.yaml, people.yaml: every daemon and `fmctl
 * check`). Any bytes either parse into a tree or are refused; a tree is bound
 * with a table of every field type, then built as each registry file in turn
 * against small fixed others. Every input is classified: accepted (0, no
 * error) or refused (-1) with every error as "file:line: message" inside the
 * file it names. An accepted registry is then used as the daemons use it:
 * time zones checked and loaded, the duty roster and roles resolved. Any
 * crash, leak, sanitizer report or abort() is a finding. Build and run:
 * tests/fuzz/run.sh. Seeds: tests/fuzz/corpus/config/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_conf.h"
#include "registry.h"
#include "who.h"

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

/* The registry files the input stands in for, in reg_build's order, and a
 * small valid version of each to build it against. */
static const char *const file_names[3] = {REG_FILE_SITES, "devices.yaml", "people.yaml"};
static const char *const fixed[3] = {
	"sites:\n  - id: s1\n    name: S\n    timezone: UTC\n"
	"    areas: [{id: A, name: A}]\n    buildings: [{id: b1, name: B, area: A}]\n",
	"site: s1\ndevices:\n  - {id: d1, type: elevator, name: L, building: b1}\n",
	"skills: [{id: lift, name: L}]\n"
	"people:\n  - {id: p, name: P, roles: [duty_engineer], skills: [lift]}\n"
	"shifts:\n  - {id: all, name: A, start: \"00:00\", end: \"00:00\"}\n"
	"roster:\n  - {shift: all, days: [mon, tue, wed, thu, fri, sat, sun], "
	"people: [p]}\n"
	"teams: [{id: t, name: T, members: [p]}]\n",
};
static struct cfg_doc *fixed_doc[3];

static void
load_fixed(void)
{
	struct cfg_errs errs;

	if (fixed_doc[0])
		return;
	cfg_errs_init(&errs);
	for (int k = 0; k < 3; k++)
		fixed_doc[k] = cfg_load_buf(file_names[k], fixed[k], strlen(fixed[k]), &errs);
	if (errs.n)
		abort();
	cfg_errs_free(&errs);
}

static void
use_registry(const struct reg *r)
{
	static const char *const roles[] = {WHO_DUTY_ROLE, "supervisor", "p", "t"};
	struct cfg_strlist targets = {(char **)roles, NULL, 4};
	char out[8][REG_ID_SIZE];
	struct who w;
	int fb;

	memset(&w, 0, sizeof w);
	who_build(&w, r, NULL);
	for (size_t s = 0; s < r->n_sites; s++) {
		who_resolve(&w, r->sites[s].id, &targets, 1763891300000LL, out, 8, &fb);
		for (size_t p = 0; p < r->n_people; p++)
			who_on_shift(&w, r->sites[s].id, r->people[p].id, 1763891300000LL);
	}
	for (size_t p = 0; p < r->n_people; p++)
		who_has_role(&w, r->people[p].id, WHO_DUTY_ROLE);
	who_free(&w);
}

/* The input as registry file k, the fixed versions of the other two. */
static void
as_registry_file(struct cfg_doc *doc, int k, const uint8_t *data, size_t size,
		 struct cfg_errs *errs)
{
	struct fuzz_file files[4];
	const struct cfg_doc *d[3];
	size_t from = errs->n, dropped = errs->dropped;
	struct reg r;
	int rc;

	for (int j = 0; j < 3; j++) {
		d[j] = j == k ? doc : fixed_doc[j];
		files[j] = (struct fuzz_file){file_names[j], fixed[j], strlen(fixed[j])};
	}
	files[k] = (struct fuzz_file){"fuzz.yaml", (const char *)data, size};
	memset(&r, 0, sizeof r);
	rc = reg_build(&r, d[0], d[1], d[2], errs);
	fuzz_check_rc(rc, errs, from, dropped);
	fuzz_check_errs(errs, from, files, 3);
	if (rc == 0) {
		from = errs->n;
		reg_check_timezones(&r, "/usr/share/zoneinfo", errs);
		fuzz_check_errs(errs, from, files, 3);
		use_registry(&r);
	}
	reg_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_file f = {"fuzz.yaml", (const char *)data, size};
	struct cfg_errs errs;
	struct cfg_doc *doc;
	struct every e;

	load_fixed();
	cfg_errs_init(&errs);
	doc = cfg_load_buf("fuzz.yaml", (const char *)data, size, &errs);
	fuzz_check_errs(&errs, 0, &f, 1);
	if (doc) {
		memset(&e, 0, sizeof e);
		fuzz_check_rc(cfg_bind(cfg_doc_root(doc), fields, &e, &errs), &errs, 0, 0);
		fuzz_check_errs(&errs, 0, &f, 1);
		cfg_strlist_free(&e.list);
		for (int k = 0; k < 3; k++)
			as_registry_file(doc, k, data, size, &errs);
		cfg_doc_free(doc);
	} else if (errs.n == 0) {
		abort(); /* refused without saying why */
	}
	cfg_errs_free(&errs);
	return 0;
}
