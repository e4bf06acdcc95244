/* conf_db.h — schedd's configuration as `fmctl apply` stored it in
 * PostgreSQL: the enabled plans of pm_plans (009/010 columns), the sites'
 * time zones, and the instances — each (plan, device) a plan covers,
 * expanded by the database from devices (ids, asset types, tags, site), or
 * (plan, "") for a site-level plan — read in one snapshot at start and on
 * SIGHUP, with the registry (people, roster, teams: who resolves notify
 * lists) in the same snapshot. */
#ifndef FM_SCHEDD_CONF_DB_H
#define FM_SCHEDD_CONF_DB_H

#include "registry.h"
#include "schedd/instance.h"
#include "timeutil.h"
#include "who.h"

#include <stddef.h>

struct db;

struct sched_conf {
	struct sched_plan *plans; /* by plan_id */
	size_t n_plans;
	struct sched_inst *insts; /* by device_id, then plan_id (strcmp order) */
	size_t n_insts;
	char (*sites)[REG_ID_SIZE]; /* by site_id */
	struct tu_zone *zones;      /* zones[i]: sites[i]'s */
	size_t n_sites;
	struct reg reg; /* people, teams, roster: who resolves notify lists */
	struct who who;
};

/* Reads everything into a new configuration with every instance in its
 * first state (sched_inst_init), then pm_state over it (state.h). NULL on
 * failure, with a one-line reason in err: the server is down, a query
 * failed, or a row this build cannot take (unknown unit, zone, bad bounds).
 * Free with sconf_free. */
struct sched_conf *
sconf_load(struct db *db, char *err, size_t errcap);

/* NULL is a no-op. */
void
sconf_free(struct sched_conf *c);

/* The instance of (plan_id, device) ("" for site-level), or NULL. */
struct sched_inst *
sconf_find(struct sched_conf *c, const char *plan_id, const char *device);

/* The first instance of device (others follow it) and how many, or NULL. */
struct sched_inst *
sconf_device(struct sched_conf *c, const char *device, size_t *n);

#endif
