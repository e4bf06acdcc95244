/* apply.c — `fmctl apply [DIR] [--dry-run] [--prune]`: validates the
 * configuration like `fmctl check` (and refuses on any problem), then writes
 * the registry, the rules, the maintenance plans and the service levels
 * into PostgreSQL in one transaction and reports
 * per table what was inserted, updated and removed. --dry-run does the same
 * work and rolls back. The writing itself is apply_tables.c's,
 * apply_rules.c's, apply_plans.c's and apply_sla.c's. */
#include "apply.h"
#include "confcheck.h"
#include "db.h"
#include "fmctl.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Serialises concurrent applies on one database. */
#define LOCK_SQL "SELECT pg_advisory_xact_lock(hashtext('fmctl apply'))"
/* The migration that made the rules table. */
#define RULES_SCHEMA_VERSION 7
/* The migration that gave pm_plans the columns of maintenance.yaml. */
#define PLANS_SCHEMA_VERSION 9
/* The migration that made the service-level tables. */
#define SLA_SCHEMA_VERSION 11

struct apply_opts {
	const char *dir;
	int dry_run, prune;
};

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: fmctl apply [DIR] [--dry-run] [--prune]\n"
		"  DIR        configuration directory (default: the directory of -c FILE)\n"
		"  --dry-run  report what would change, write nothing\n"
		"  --prune    delete sites, devices, people, rules, plans ... that the\n"
		"             configuration no longer has (without it they are listed and kept)\n"
		"The configuration is checked first; nothing is written when it has a\n"
		"problem. Everything is written in one transaction; unchanged rows are\n"
		"not rewritten. Connects with fm.yaml db.conninfo, FM_DB_CONNINFO or PG*.\n"
		"Exit: 0 applied (or no changes), 1 refused or failed, 2 usage,\n"
		"3 database unreachable.\n");
}

static int
parse_args(struct apply_opts *ao, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0) {
			ao->dry_run = 1;
		} else if (strcmp(argv[i], "--prune") == 0) {
			ao->prune = 1;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 1;
		} else if (argv[i][0] != '-' && !ao->dir) {
			ao->dir = argv[i];
		} else {
			usage(stderr);
			return -1;
		}
	}
	return 0;
}

/* Prints the tables that changed; returns the number of rows changed. */
static long
print_tally(const struct apply_result *r)
{
	long total = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct apply_tally *t = &r->t[i];

		if (!t->inserted && !t->updated && !t->removed)
			continue;
		printf("%s: %ld inserted, %ld updated, %ld removed\n", t->table, t->inserted,
		       t->updated, t->removed);
		total += t->inserted + t->updated + t->removed;
	}
	return total;
}

/* Writes inside one transaction; commits unless dry_run. What was removed
 * is held back until the commit succeeds, so a failed apply never claims to
 * have removed anything. */
static int
write_registry(struct db *db, const struct fmctl_conf *c, const struct apply_opts *ao,
	       struct apply_result *res)
{
	enum db_status s;
	char *lines = NULL;
	size_t len = 0;
	FILE *mem;

	mem = open_memstream(&lines, &len);
	if (!mem)
		fatal("out of memory");
	s = db_begin(db);
	if (s == DB_OK)
		s = db_exec(db, LOCK_SQL, 0, NULL, NULL);
	if (s == DB_OK)
		s = apply_registry(db, &c->reg, ao->prune, ao->dry_run, mem, res);
	if (s == DB_OK && c->has_rules)
		s = apply_rules(db, &c->rules, ao->prune, ao->dry_run, mem, res);
	if (s == DB_OK && c->has_plans)
		s = apply_plans(db, &c->plans, ao->prune, ao->dry_run, mem, res);
	if (s == DB_OK && c->has_sla)
		s = apply_sla(db, &c->sla, res);
	if (s == DB_OK && !ao->dry_run)
		s = db_commit(db);
	else
		db_rollback(db);
	fclose(mem);
	if (s == DB_OK)
		fputs(lines, stdout);
	free(lines);
	if (s == DB_OK)
		return FMCTL_OK;
	fprintf(stderr, "fmctl: apply failed, nothing written: %s\n", db_error(db));
	return s == DB_RETRY ? FMCTL_UNAVAILABLE : FMCTL_FINDING;
}

static int
run(const struct fmctl_conf *c, const struct apply_opts *ao)
{
	struct apply_result res;
	char summary[256];
	struct db *db;
	int version, rc;
	long changed;

	db = db_new(c->fm.db.conninfo);
	db_set_connect_timeout_ms(db, c->fm.db.connect_timeout_ms);
	if (db_connect(db) != DB_OK) {
		fprintf(stderr, "fmctl: cannot reach PostgreSQL: %s\n", db_error(db));
		rc = FMCTL_UNAVAILABLE;
		goto out;
	}
	version = db_schema_version(db);
	if (version < 1) {
		fprintf(stderr, "fmctl: %s\n",
			version < 0
				? db_error(db)
				: "the database has no registry tables; run fmctl migrate first");
		rc = version < 0 && !db_connected(db) ? FMCTL_UNAVAILABLE : FMCTL_FINDING;
		goto out;
	}
	if (c->has_rules && version < RULES_SCHEMA_VERSION) {
		fprintf(stderr,
			"fmctl: the database has no rules table (schema version %d); run "
			"fmctl migrate first\n",
			version);
		rc = FMCTL_FINDING;
		goto out;
	}
	if (c->has_plans && version < PLANS_SCHEMA_VERSION) {
		fprintf(stderr,
			"fmctl: the database has no maintenance-plan columns (schema version %d); "
			"run fmctl migrate first\n",
			version);
		rc = FMCTL_FINDING;
		goto out;
	}
	if (c->has_sla && version < SLA_SCHEMA_VERSION) {
		fprintf(stderr,
			"fmctl: the database has no service-level tables (schema version %d); "
			"run fmctl migrate first\n",
			version);
		rc = FMCTL_FINDING;
		goto out;
	}
	rc = write_registry(db, c, ao, &res);
	if (rc != FMCTL_OK)
		goto out;
	changed = print_tally(&res);
	confcheck_summary(c, summary, sizeof summary);
	if (changed == 0)
		printf("%s: no changes — %s\n", c->label, summary);
	else if (ao->dry_run)
		printf("%s: dry run, nothing written — %ld row%s would change\n", c->label, changed,
		       changed == 1 ? "" : "s");
	else
		printf("%s: applied — %s\n", c->label, summary);
	if (res.pending)
		printf("%ld entr%s in the database but not in the configuration kept; "
		       "--prune deletes them\n",
		       res.pending, res.pending == 1 ? "y" : "ies");
out:
	db_free(db);
	return rc;
}

int
cmd_apply(const struct fmctl_opts *o, int argc, char **argv)
{
	struct apply_opts ao = {0};
	struct fmctl_conf *c;
	struct cfg_errs errs;
	int rc;

	rc = parse_args(&ao, argc, argv);
	if (rc)
		return rc > 0 ? FMCTL_OK : FMCTL_USAGE;
	c = xcalloc(1, sizeof *c);
	cfg_errs_init(&errs);
	if (confcheck_load(o, ao.dir, c, &errs) < 0) {
		cfg_errs_print(&errs, stderr);
		fprintf(stderr, "fmctl: %s: %zu problem%s; nothing applied\n", c->label,
			errs.n + errs.dropped, errs.n + errs.dropped == 1 ? "" : "s");
		rc = FMCTL_FINDING;
	} else {
		rc = run(c, &ao);
	}
	cfg_errs_free(&errs);
	confcheck_free(c);
	free(c);
	return rc;
}
