/* confcheck.c — runs the file checkers over a configuration directory. Each
 * checker loads its file(s), may use what earlier checkers loaded (the
 * registry, for cross-references), and adds file:line errors; none stops the
 * others, so one run reports every problem. It must not touch the database. */
#include "confcheck.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct checker {
	const char *what;
	int (*run)(struct fmctl_conf *c, struct cfg_errs *errs);
};

static int
check_fm(struct fmctl_conf *c, struct cfg_errs *errs)
{
	return fmconf_load(c->fm_path, &c->fm, errs);
}

static int
check_registry(struct fmctl_conf *c, struct cfg_errs *errs)
{
	return reg_load_dir(c->dir, &c->reg, errs);
}

/* A directory without rules.yaml (a registry of its own, such as fmsim's)
 * is checked and applied without rules. Cross-references into a registry
 * file that could not be read would only repeat that error, so the rules are
 * then checked on their own. */
static int
check_rules(struct fmctl_conf *c, struct cfg_errs *errs)
{
	const struct reg *reg = c->reg.docs[1] && c->reg.docs[2] ? &c->reg : NULL;
	char path[PATH_MAX + 16];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", c->dir, RCF_FILE);
	if (stat(path, &st) < 0 && errno == ENOENT)
		return 0;
	c->has_rules = 1;
	return rcf_load_dir(c->dir, reg, &c->rules, errs);
}

/* Like rules.yaml: a directory without maintenance.yaml has no plans. */
static int
check_plans(struct fmctl_conf *c, struct cfg_errs *errs)
{
	const struct reg *reg = c->reg.docs[0] && c->reg.docs[1] && c->reg.docs[2] ? &c->reg : NULL;
	char path[PATH_MAX + 24];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", c->dir, PM_FILE);
	if (stat(path, &st) < 0 && errno == ENOENT)
		return 0;
	c->has_plans = 1;
	return pm_load_dir(c->dir, reg, &c->plans, errs);
}

/* Like rules.yaml: a directory without sla.yaml has no service levels. */
static int
check_sla(struct fmctl_conf *c, struct cfg_errs *errs)
{
	const struct reg *reg = c->reg.docs[0] && c->reg.docs[1] && c->reg.docs[2] ? &c->reg : NULL;
	char path[PATH_MAX + 16];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", c->dir, SLA_FILE);
	if (stat(path, &st) < 0 && errno == ENOENT)
		return 0;
	c->has_sla = 1;
	return sla_load_dir(c->dir, reg, &c->sla, errs);
}

/* In dependency order; rules.yaml, maintenance.yaml and sla.yaml come after
 * the registry they refer to. */
static const struct checker checkers[] = {
	{"fm.yaml", check_fm},
	{"registry (" REG_FILE_SITES ", " REG_FILE_DEVICES ", " REG_FILE_PEOPLE ")",
	 check_registry},
	{RCF_FILE, check_rules},
	{PM_FILE, check_plans},
	{SLA_FILE, check_sla},
	{NULL, NULL},
};

static void
dir_of(const char *path, char *dir, size_t cap)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, cap, ".");
	else if (slash == path)
		snprintf(dir, cap, "/");
	else
		snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

int
confcheck_load(const struct fmctl_opts *o, const char *dir_arg, struct fmctl_conf *c,
	       struct cfg_errs *errs)
{
	struct stat st;
	int rc = 0, r;
	size_t n;

	memset(c, 0, sizeof *c);
	if (dir_arg) {
		snprintf(c->dir, sizeof c->dir, "%s", dir_arg);
		/* "config/" and "config" name the same files in messages */
		for (n = strlen(c->dir); n > 1 && c->dir[n - 1] == '/'; n--)
			c->dir[n - 1] = '\0';
		snprintf(c->fm_path, sizeof c->fm_path, "%s/fm.yaml", c->dir);
		if (stat(c->fm_path, &st) < 0)
			snprintf(c->fm_path, sizeof c->fm_path, "%s", o->config_path);
	} else {
		snprintf(c->fm_path, sizeof c->fm_path, "%s", o->config_path);
		dir_of(o->config_path, c->dir, sizeof c->dir);
	}
	snprintf(c->label, sizeof c->label, "%s%s", c->dir, strcmp(c->dir, "/") ? "/" : "");
	if (stat(c->dir, &st) < 0) {
		cfg_error_at(errs, c->dir, 0, "cannot read the configuration directory: %s",
			     strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		cfg_error_at(errs, c->dir, 0, "not a directory");
		return -1;
	}
	for (const struct checker *k = checkers; k->what; k++) {
		r = k->run(c, errs);
		if (r < 0)
			rc = -1;
		if (o->verbose)
			fprintf(stderr, "fmctl: checked %s: %s\n", k->what, r ? "errors" : "ok");
	}
	return rc;
}

void
confcheck_free(struct fmctl_conf *c)
{
	rcf_free(&c->rules);
	pm_free(&c->plans);
	sla_free(&c->sla);
	reg_free(&c->reg);
	explicit_bzero(&c->fm, sizeof c->fm);
}

void
confcheck_summary(const struct fmctl_conf *c, char *buf, size_t cap)
{
	const struct reg *r = &c->reg;

	int n = snprintf(buf, cap, "%zu site%s, %zu device%s, %zu %s, %zu shift%s", r->n_sites,
			 r->n_sites == 1 ? "" : "s", r->n_devices, r->n_devices == 1 ? "" : "s",
			 r->n_people, r->n_people == 1 ? "person" : "people", r->n_shifts,
			 r->n_shifts == 1 ? "" : "s");

	/* the rules stay last: tests and scripts read the summary's tail */
	if (c->has_plans && n >= 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, ", %zu plan%s", c->plans.n_plans,
			      c->plans.n_plans == 1 ? "" : "s");
	if (c->has_rules && n >= 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, ", %zu rule%s", c->rules.n_rules,
			 c->rules.n_rules == 1 ? "" : "s");
}
