/* main_setup.c — dispatchd's start and stop, and the table of open orders.
 * At start it waits for PostgreSQL (its source of truth), refuses an older
 * schema, reads the service levels (sla_db.c) and the registry (common/cdb)
 * as `fmctl apply` stored them, and reloads every open order from
 * work_orders, so clocks and assignments carry on after a crash. */
#include "cdb.h"
#include "db.h"
#include "dispatchd/main_int.h"
#include "dispatchd/sla_db.h"
#include "dispatchd/store.h"
#include "log.h"
#include "mqtt.h"
#include "timeutil.h"

#include <stdlib.h>
#include <string.h>

struct dorder *
dispd_find(struct dispd *g, const char *wo_id)
{
	for (size_t i = 0; i < g->n_orders; i++)
		if (strcmp(g->orders[i].wo_id, wo_id) == 0)
			return &g->orders[i];
	return NULL;
}

struct dorder *
dispd_add(struct dispd *g, const struct dorder *o)
{
	if (g->n_orders == g->cap_orders) {
		size_t cap = g->cap_orders ? g->cap_orders * 2 : 64;
		struct dorder *v = realloc(g->orders, cap * sizeof *v);

		if (!v) {
			log_error("no_memory", "orders=%zu", g->n_orders);
			return NULL;
		}
		g->orders = v;
		g->cap_orders = cap;
	}
	g->orders[g->n_orders] = *o;
	return &g->orders[g->n_orders++];
}

void
dispd_drop(struct dispd *g, struct dorder *o)
{
	size_t i = (size_t)(o - g->orders);

	if (i >= g->n_orders)
		return;
	g->orders[i] = g->orders[--g->n_orders];
}

const struct tu_zone *
dispd_zone(const struct dispd *g, const char *site)
{
	const struct reg_site *s = reg_site_find(&g->reg, site);
	size_t i = s ? (size_t)(s - g->reg.sites) : 0;

	return i < g->who.n_zones ? &g->who.zones[i] : &g->who.zones[0];
}

static int
restore(void *ctx, const struct dorder *o)
{
	return dispd_add(ctx, o) ? 0 : -1;
}

/* The registry (people, skills, areas, roster, teams) as fmctl apply stored it. */
static int
load_conf(struct dispd *g)
{
	char err[512];

	if (reg_db_load(g->db, &g->reg, err, sizeof err) < 0) {
		log_error("config_failed", "reason=\"registry: %s\"", err);
		return -1;
	}
	if (who_build(&g->who, &g->reg, NULL) < 0)
		log_warn("roster_zone", "reason=\"a site's time zone is missing: UTC used\"");
	if (g->who.n_zones == 0) {
		log_error("config", "reason=\"no site in the registry: run fmctl apply\"");
		return -1;
	}
	return 0;
}

int
dispd_load(struct dispd *g)
{
	char err[512];
	int rc;

	g->db = db_new(g->d.cfg.db.conninfo);
	db_set_application_name(g->db, "dispatchd");
	db_set_connect_timeout_ms(g->db, g->d.cfg.db.connect_timeout_ms);
	if (db_connect_retry(g->db, -1, g->d.cfg.db.reconnect_max_ms,
			     (volatile int *)&daemon_stop) != DB_OK)
		return -1;
	if (db_require_schema(g->db, DISPD_SCHEMA_VERSION) < 0 || load_conf(g) < 0)
		return -1;
	if (sla_db_load(g->db, &g->sla, err, sizeof err) < 0) {
		log_error("config_failed", "reason=\"%s\"", err);
		return -1;
	}
	if (store_prepare(g->db) < 0)
		return -1;
	/* the database may go away between the two: wait for it again */
	while ((rc = store_load_open(g->db, restore, g)) == DB_RETRY && !daemon_stop) {
		g->n_orders = 0;
		db_connect_retry(g->db, -1, g->d.cfg.db.reconnect_max_ms,
				 (volatile int *)&daemon_stop);
	}
	if (rc != DB_OK) {
		log_error("orders_not_loaded", "error=\"%s\"", db_error(g->db));
		return -1;
	}
	msg_limits_default(&g->lim, tu_now_ms());
	return 0;
}

void
dispd_shutdown(struct dispd *g)
{
	if (g->mq) {
		mq_disconnect(g->mq);
		mq_free(g->mq);
	}
	db_free(g->db);
	free(g->orders);
	who_free(&g->who);
	sla_free(&g->sla);
	reg_free(&g->reg);
}
