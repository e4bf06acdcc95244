/* check.c — `fmctl check [DIR]`: validates fm.yaml, the registry files and
 * rules.yaml and prints every problem as file:line: message, or a one-line
 * summary. Reads files only; never connects to a server. */
#include "confcheck.h"
#include "fmctl.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
usage(FILE *out)
{
	fprintf(out, "usage: fmctl check [DIR]\n"
		     "  DIR  configuration directory (default: the directory of -c FILE);\n"
		     "       its fm.yaml is checked when present, else -c FILE\n"
		     "Prints every problem as file:line: message.\n"
		     "Exit: 0 valid, 1 problems found, 2 usage.\n");
}

int
cmd_check(const struct fmctl_opts *o, int argc, char **argv)
{
	struct fmctl_conf *c;
	struct cfg_errs errs;
	const char *dir = NULL;
	char summary[256];
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return FMCTL_OK;
		}
		if (argv[i][0] == '-' || dir) {
			usage(stderr);
			return FMCTL_USAGE;
		}
		dir = argv[i];
	}
	c = xcalloc(1, sizeof *c);
	cfg_errs_init(&errs);
	if (confcheck_load(o, dir, c, &errs) < 0) {
		cfg_errs_print(&errs, stderr);
		fprintf(stderr, "fmctl: %s: %zu problem%s\n", c->label, errs.n + errs.dropped,
			errs.n + errs.dropped == 1 ? "" : "s");
		rc = FMCTL_FINDING;
	} else {
		confcheck_summary(c, summary, sizeof summary);
		printf("%s: ok — %s\n", c->label, summary);
		rc = FMCTL_OK;
	}
	cfg_errs_free(&errs);
	confcheck_free(c);
	free(c);
	return rc;
}
