/* apply.h — the writers behind `fmctl apply`: bring the registry tables and
 * the rules, maintenance-plan and service-level tables in line with a
 * checked configuration inside the caller's transaction, changing only rows
 * that differ, and count what they did per table. */
#ifndef FM_APPLY_H
#define FM_APPLY_H

#include "db.h"
#include "pm_conf.h"
#include "registry.h"
#include "rules_conf.h"
#include "sla_conf.h"

#include <stdio.h>

#define APPLY_MAX_TABLES 24

struct apply_tally {
	const char *table;
	long inserted, updated, removed;
};

struct apply_result {
	struct apply_tally t[APPLY_MAX_TABLES];
	size_t n;
	long pending; /* rows absent from the configuration, kept (no --prune) */
};

/* Upserts every registry row (sites ... team members), comparing first so an
 * unchanged row is never rewritten; rows of entities present in the
 * configuration follow it exactly (a person's skills, a device's feeds, the
 * roster). Entities absent from the configuration are reported on out, one
 * line each ("would remove" when dry_run: the caller will roll back), and
 * deleted only when prune is set. Runs inside the caller's transaction.
 * Returns DB_OK or the failing status (db_error has the cause). */
enum db_status
apply_registry(struct db *db, const struct reg *reg, int prune, int dry_run, FILE *out,
	       struct apply_result *res);

/* The same for the rules table (schemas/sql/007_rules.sql): one row per rule
 * and per override; appends its tally to res (after apply_registry). Rows
 * absent from the configuration are reported and deleted only with prune. */
enum db_status
apply_rules(struct db *db, const struct rcf_set *set, int prune, int dry_run, FILE *out,
	    struct apply_result *res);

/* The same for pm_plans (schemas/sql/004_maintenance.sql, 009_plans.sql):
 * one row per plan; appends its tally to res. pm_state is left alone. */
enum db_status
apply_plans(struct db *db, const struct pm_set *set, int prune, int dry_run, FILE *out,
	    struct apply_result *res);

/* The same for sla.yaml (schemas/sql/011_dispatch.sql): sla_clocks,
 * sla_settings and sla_escalation, one tally each appended to res. The
 * document is whole: escalation steps past its chain are deleted. */
enum db_status
apply_sla(struct db *db, const struct sla_conf *c, struct apply_result *res);

#endif
