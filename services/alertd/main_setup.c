/* main_setup.c — alertd's start, reload and stop: the configuration read
 * from PostgreSQL (registry and rules as fmctl apply left them), the roster,
 * the engine, and the journal; on SIGHUP a new configuration replaces the
 * old only when it loads whole, and open alarms move over to it. */
#include "alertd/conf_db.h"
#include "alertd/main_int.h"
#include "alertd/store.h"
#include "db.h"
#include "log.h"
#include "mqtt.h"
#include "timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo"

static void
conf_free(struct alertd_conf *c)
{
	if (!c)
		return;
	who_free(&c->who);
	reg_free(&c->reg);
	devtab_free(&c->devs);
	rcf_free(&c->rules);
	free(c);
}

/* Reads the registry and rules and builds the roster; NULL when they did
 * not load (logged). */
static struct alertd_conf *
load_config(struct alertd *g)
{
	char err[256];
	struct alertd_conf *c;

	if (db_connect_retry(g->db, -1, g->d.cfg.db.reconnect_max_ms,
			     (volatile int *)&daemon_stop) != DB_OK)
		return NULL;
	if (db_require_schema(g->db, ALERTD_SCHEMA_VERSION) < 0)
		return NULL;
	c = xcalloc(1, sizeof *c);
	if (conf_db_load(g->db, &c->reg, &c->devs, &c->rules, err, sizeof err) < 0) {
		log_error("config_failed", "reason=\"%s\"", err);
		free(c);
		return NULL;
	}
	if (who_build(&c->who, &c->reg, ZONEINFO_DIR) < 0)
		log_warn("roster_zone", "reason=\"a site's time zone is missing: UTC used\"");
	return c;
}

static struct engine *
new_engine(struct alertd *g, struct alertd_conf *c)
{
	struct engine_sink sink;

	out_sink(&g->out, &sink);
	return engine_new(&c->devs, &c->reg, &c->rules, &c->who, &sink, tu_now_ms());
}

int
alertd_load(struct alertd *g)
{
	g->db = db_new(g->d.cfg.db.conninfo);
	db_set_application_name(g->db, "alertd");
	db_set_connect_timeout_ms(g->db, g->d.cfg.db.connect_timeout_ms);
	g->conf = load_config(g);
	if (!g->conf)
		return -1;
	msg_limits_default(&g->lim, tu_now_ms());
	g->eng = new_engine(g, g->conf);
	return g->eng ? 0 : -1;
}

int
alertd_open_store(struct alertd *g)
{
	const struct fm_spool_conf *sc = &g->d.cfg.spool;
	struct alert_store_opts o = {0};

	if (mkdir(sc->dir, 0700) < 0 && errno != EEXIST) {
		log_error("journal_dir_failed", "dir=%s error=\"%s\"", sc->dir, strerror(errno));
		return -1;
	}
	snprintf(g->journal_dir, sizeof g->journal_dir, "%s/alertd-%s", sc->dir,
		 g->d.self->instance);
	o.journal_dir = g->journal_dir;
	o.instance = g->d.self->instance;
	o.fsync = (enum spool_fsync)sc->fsync;
	o.max_bytes = sc->max_bytes;
	g->store = alert_store_open(&o, g->d.cfg.db.conninfo);
	g->out.store = g->store;
	return g->store ? 0 : -1;
}

static void
move_alarm(void *ctx, const struct alarm_rec *rec)
{
	if (engine_restore(ctx, rec) < 0)
		log_warn("reload_dropped",
			 "alarm_id=%s device=%s rule=%s reason=\"no longer "
			 "configured\"",
			 rec->alarm_id, rec->device, rec->rule);
}

void
alertd_reload(struct alertd *g)
{
	struct alertd_conf *c = load_config(g), *old_c;
	struct engine *e, *old;

	if (!c) {
		log_warn("reload_rejected",
			 "reason=\"the new configuration did not load; the old one stays\"");
		return;
	}
	e = new_engine(g, c);
	if (!e) {
		conf_free(c);
		return;
	}
	pthread_mutex_lock(&g->lock);
	engine_republish(g->eng, move_alarm, e);
	old = g->eng, old_c = g->conf;
	g->eng = e, g->conf = c;
	pthread_mutex_unlock(&g->lock);
	engine_free(old);
	conf_free(old_c);
	log_info("reloaded", "devices=%zu rules=%zu", c->devs.n, c->rules.n_rules);
}

void
alertd_shutdown(struct alertd *g)
{
	if (g->mq) { /* stops what comes in first, then sends what is queued */
		mq_disconnect(g->mq);
		mq_free(g->mq);
	}
	if (g->pub) {
		mq_disconnect(g->pub);
		mq_free(g->pub);
	}
	alert_store_close(g->store);
	engine_free(g->eng);
	conf_free(g->conf);
	db_free(g->db);
}
