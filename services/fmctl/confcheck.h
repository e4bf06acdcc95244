/* confcheck.h — loads and validates a configuration directory for `fmctl
 * check` and `fmctl apply`: fm.yaml, the registry files, the alarm rules,
 * the maintenance plans and the work-order service levels (sla.yaml),
 * through a table of file checkers that later files join. */
#ifndef FM_CONFCHECK_H
#define FM_CONFCHECK_H

#include "fmconf.h"
#include "fmctl.h"
#include "pm_conf.h"
#include "registry.h"
#include "rules_conf.h"
#include "sla_conf.h"

#include <limits.h>
#include <stddef.h>

struct fmctl_conf {
	char dir[PATH_MAX];          /* the configuration directory, no trailing / */
	char label[PATH_MAX + 1];    /* dir with one trailing /, for messages */
	char fm_path[PATH_MAX + 16]; /* the fm.yaml that was checked */
	struct fm_config fm;
	struct reg reg;
	struct rcf_set rules;
	int has_rules; /* rules.yaml exists (and rules holds what it checked) */
	struct pm_set plans;
	int has_plans; /* maintenance.yaml exists (and plans holds what it checked) */
	struct sla_conf sla;
	int has_sla; /* sla.yaml exists (and sla holds what it checked) */
};

/* Resolves the files (dir_arg NULL: the directory of -c FILE and that file;
 * otherwise dir_arg and dir_arg/fm.yaml when it exists, else -c FILE), then
 * runs every checker. Returns 0, or -1 with every problem in errs. c must be
 * freed with confcheck_free either way. */
int
confcheck_load(const struct fmctl_opts *o, const char *dir_arg, struct fmctl_conf *c,
	       struct cfg_errs *errs);
void
confcheck_free(struct fmctl_conf *c);

/* "1 site, 42 devices, 15 people, 3 shifts, 17 plans, 33 rules" into buf. */
void
confcheck_summary(const struct fmctl_conf *c, char *buf, size_t cap);

#endif
