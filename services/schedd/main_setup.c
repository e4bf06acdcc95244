/* main_setup.c — schedd's start, reload, pm_state writes and stop. The
 * configuration comes from PostgreSQL (conf_db.c) with pm_state over it; on
 * SIGHUP a new one replaces the old only when it loads whole, and every
 * instance still configured keeps its running state. pm_state writes that
 * fail (the database is down) stay pending and are retried: requests and
 * notices go on meanwhile. */
#include "db.h"
#include "log.h"
#include "mqtt.h"
#include "schedd/main_int.h"
#include "schedd/state.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

int
schedd_load(struct schedd *g)
{
	char err[512];

	g->db = db_new(g->d.cfg.db.conninfo);
	db_set_application_name(g->db, "schedd");
	db_set_connect_timeout_ms(g->db, g->d.cfg.db.connect_timeout_ms);
	if (db_connect_retry(g->db, -1, g->d.cfg.db.reconnect_max_ms,
			     (volatile int *)&daemon_stop) != DB_OK)
		return -1;
	if (db_require_schema(g->db, SCHEDD_SCHEMA_VERSION) < 0 || state_prepare(g->db) < 0)
		return -1;
	g->conf = sconf_load(g->db, err, sizeof err);
	if (!g->conf) {
		log_error("config_failed", "reason=\"%s\"", err);
		return -1;
	}
	msg_limits_default(&g->lim, tu_now_ms());
	g->next_meter_flush_ms = tu_mono_ms() + SCHEDD_METER_FLUSH_MS;
	return 0;
}

/* The running state of old's instance moves to its namesake in c. */
static void
carry_over(struct sched_conf *c, struct sched_conf *old)
{
	for (size_t i = 0; i < c->n_insts; i++) {
		struct sched_inst *in = &c->insts[i];
		const struct sched_inst *o = sconf_find(old, c->plans[in->plan].id, in->device);
		struct sched_inst keep = *in;

		if (!o)
			continue;
		*in = *o;
		in->plan = keep.plan;
		in->zone = keep.zone;
		memcpy(in->site, keep.site, sizeof in->site);
	}
}

void
schedd_reload(struct schedd *g)
{
	char err[512];
	struct sched_conf *c, *old;

	schedd_flush(g, 1); /* what the old one knows is on record first */
	c = sconf_load(g->db, err, sizeof err);
	if (!c) {
		log_warn("reload_rejected",
			 "reason=\"%s; the new configuration did not load, the old one stays\"",
			 err);
		return;
	}
	pthread_mutex_lock(&g->lock);
	old = g->conf;
	carry_over(c, old);
	g->conf = c;
	pthread_mutex_unlock(&g->lock);
	schedd_meter_subs(g, old, c);
	sconf_free(old);
	log_info("reloaded", "plans=%zu instances=%zu", c->n_plans, c->n_insts);
}

static void
write_failed(struct schedd *g, int rc)
{
	static struct log_limit lim = LOG_LIMIT(10000);

	g->db_retry_ms = tu_mono_ms() + SCHEDD_DB_RETRY_MS;
	log_limited(&lim, LOG_WARN, "state_not_written", "rc=%d error=\"%s\" retry_ms=%d", rc,
		    db_error(g->db), SCHEDD_DB_RETRY_MS);
}

void
schedd_flush(struct schedd *g, int meters)
{
	struct sched_conf *c = g->conf; /* replaced only by this thread */

	if (tu_mono_ms() < g->db_retry_ms)
		return;
	if (!db_connected(g->db) && db_connect(g->db) != DB_OK) {
		write_failed(g, DB_RETRY);
		return;
	}
	for (size_t i = 0; i < c->n_insts; i++) {
		struct sched_inst *in = &c->insts[i], copy;
		int want, rc;

		pthread_mutex_lock(&g->lock);
		want = in->dirty || (meters && in->meter_dirty);
		copy = *in;
		if (want) {
			in->dirty = 0;
			if (meters)
				in->meter_dirty = 0;
		}
		pthread_mutex_unlock(&g->lock);
		if (!want)
			continue;
		rc = state_write(g->db, c, &copy);
		if (rc == DB_OK)
			continue;
		pthread_mutex_lock(&g->lock);
		in->dirty |= copy.dirty;
		if (meters)
			in->meter_dirty |= copy.meter_dirty;
		g->c.db_errors++;
		pthread_mutex_unlock(&g->lock);
		write_failed(g, rc);
		return;
	}
	if (meters)
		g->next_meter_flush_ms = tu_mono_ms() + SCHEDD_METER_FLUSH_MS;
}

void
schedd_shutdown(struct schedd *g)
{
	if (g->conf) {
		g->db_retry_ms = 0;
		schedd_flush(g, 1);
	}
	if (g->mq) {
		mq_disconnect(g->mq);
		mq_free(g->mq);
	}
	sconf_free(g->conf);
	db_free(g->db);
}
