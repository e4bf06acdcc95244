/* ingestd — validates device telemetry, events and status from MQTT and
 * stores them in PostgreSQL without loss. main.c is wiring: configuration,
 * the device registry, the spool, the writer thread, the MQTT handler and
 * the periodic work (registry reload, partitions, stats). The handler makes
 * every message durable in the spool before it returns. On tcp:// the
 * receiver is mqrx, which acknowledges only after that: when the spool is
 * full the handler asks for a retry and nothing more is read. On ssl:// it
 * is Paho, which has acknowledged already: the handler waits instead. */
#include "daemon.h"
#include "db.h"
#include "ingestd/counters.h"
#include "ingestd/devices.h"
#include "ingestd/ingest.h"
#include "spool.h"
#include "ingestd/store.h"
#include "log.h"
#include "mqrx.h"
#include "mqtt.h"
#include "timeutil.h"
#include "topic.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct ingestd {
	struct daemon d;
	const struct fm_ingestd_conf *ic;
	char client_id[160];
	char spool_dir[512];
	char cache_path[600];
	struct spool *spool;
	struct store *store;
	struct mqrx *rx; /* the receiver on tcp:// (NULL: mq receives) */
	struct mq *mq;   /* Paho: publishes stats; receives too on ssl:// */
	struct db *db;   /* the main thread's: registry and partitions */
	pthread_rwlock_t reg_lock;
	struct devmap *devs;
	struct counters c;
	char *rec; /* the receive thread's record buffer */
};

static const char *
site_of(void *ctx, const char *device)
{
	return devmap_site(ctx, device);
}

static enum mq_verdict
on_message(void *ctx, const struct mq_msg *m)
{
	static struct log_limit full_lim = LOG_LIMIT(10000), err_lim = LOG_LIMIT(10000),
				rej_lim = LOG_LIMIT(5000);
	struct ingestd *g = ctx;
	struct ingest_in in = {m->topic, m->payload, m->len, tu_now_ms(), g->d.self->instance};
	struct ingest_out out;
	struct msg_limits lim;
	enum spool_rc rc;

	msg_limits_default(&lim, in.received_ms);
	lim.max_bytes = (size_t)g->ic->max_payload_bytes;
	lim.future_skew_ms = g->ic->future_skew_ms;
	lim.max_age_ms = (long long)g->ic->retention_days * 86400000LL;
	pthread_rwlock_rdlock(&g->reg_lock);
	if (ingest_message(&in, &lim, site_of, g->devs, g->rec, INGEST_RECORD_MAX, &out) < 0) {
		pthread_rwlock_unlock(&g->reg_lock);
		counters_add(&g->c.received, 1);
		counters_add(&g->c.spool_errors, 1);
		return MQ_DROP; /* cannot happen with INGEST_RECORD_MAX; counted if it does */
	}
	pthread_rwlock_unlock(&g->reg_lock);
	/* When the spool is full or failing: with mqrx, nothing is
	 * acknowledged yet, so ask for this message again (mqrx handles no
	 * message after it meanwhile; the broker holds the rest). Paho has
	 * acknowledged it already (README, Known limits): wait here, so Paho
	 * stops reading. */
	while ((rc = spool_append(g->spool, out.type, g->rec, out.len)) == SPOOL_FULL ||
	       rc == SPOOL_ERR) {
		struct timespec pause = {0, 50 * 1000000};

		counters_add(rc == SPOOL_FULL ? &g->c.spool_full : &g->c.spool_errors, 1);
		counters_set(&g->c.back_pressure, 1);
		log_limited(rc == SPOOL_FULL ? &full_lim : &err_lim, LOG_WARN,
			    rc == SPOOL_FULL ? "spool_full" : "spool_write_failed",
			    "bytes=%lld action=back_pressure", spool_bytes(g->spool));
		if (g->rx || daemon_stop)
			return MQ_RETRY; /* Paho stopping with the spool full: this
					  * one message may be lost (Known limits) */
		nanosleep(&pause, NULL);
	}
	if (counters_get(&g->c.back_pressure))
		counters_set(&g->c.back_pressure, 0);
	counters_add(&g->c.received, 1);
	if (rc == SPOOL_INVAL) {
		/* larger than a spool record may be: cannot happen for what
		 * ingest_message writes, but never count it as accepted */
		counters_add(&g->c.spool_errors, 1);
		log_limited(&err_lim, LOG_ERROR, "spool_record_invalid", "len=%zu", out.len);
		return MQ_DROP;
	}
	if (out.reason == INGEST_OK) {
		counters_add(&g->c.accepted, 1);
	} else {
		counters_add(&g->c.rejected, 1);
		counters_add(&g->c.by_reason[out.reason], 1);
		log_limited(&rej_lim, LOG_WARN, "rejected", "reason=%s topic=%.128s len=%zu",
			    ingest_reason_name(out.reason), m->topic, m->len);
	}
	return MQ_OK;
}

/* Swaps in a fresh registry from PostgreSQL; keeps the old one on failure. */
static int
reload_registry(struct ingestd *g)
{
	struct devmap *fresh, *old;

	if (!db_connected(g->db) && db_connect(g->db) != DB_OK)
		return -1;
	fresh = devices_load_db(g->db);
	if (!fresh)
		return -1;
	pthread_rwlock_wrlock(&g->reg_lock);
	old = g->devs;
	g->devs = fresh;
	pthread_rwlock_unlock(&g->reg_lock);
	if (!old || devmap_count(old) != devmap_count(fresh))
		log_info("registry_loaded", "devices=%zu", devmap_count(fresh));
	devmap_free(old);
	devices_save_cache(fresh, g->cache_path);
	return 0;
}

static void
maintain_partitions(struct ingestd *g)
{
	char ahead[16], keep[16];
	const char *params[2] = {ahead, keep};
	struct db_res *r = NULL;

	snprintf(ahead, sizeof ahead, "%d", g->ic->partitions_ahead_days);
	snprintf(keep, sizeof keep, "%d", g->ic->retention_days);
	if (!db_connected(g->db) && db_connect(g->db) != DB_OK)
		return;
	if (db_exec(g->db,
		    "SELECT action, partition_name FROM fm_partitions_maintain('readings', "
		    "$1::int, $2::int, 1)",
		    2, params, &r) != DB_OK) {
		log_warn("partitions_failed", "error=\"%s\"", db_error(g->db));
		return;
	}
	for (size_t i = 0; i < db_res_rows(r); i++)
		log_info("partition", "action=%s name=%s", db_res_get(r, i, 0),
			 db_res_get(r, i, 1));
	db_res_free(r);
}

static void
publish_stats(struct ingestd *g, int to_log)
{
	struct spool_stats sp;
	struct store_stats st;
	char topic[TOPIC_MAX_LEN + 1], buf[8192];
	int n;

	spool_stats(g->spool, &sp);
	store_get_stats(g->store, &st);
	if (g->rx) {
		struct mqrx_stats rs;

		mqrx_get_stats(g->rx, &rs);
		counters_set(&g->c.mqtt_connects, rs.connects);
		counters_set(&g->c.mqtt_redelivered, rs.redelivered);
	}
	if (to_log)
		counters_log(&g->c, &sp, spool_bytes(g->spool), &st);
	if (g->mq && mq_connected(g->mq) &&
	    topic_build_sys(topic, sizeof topic, "ingestd", g->d.self->instance) > 0 &&
	    (n = counters_json(&g->c, &sp, spool_bytes(g->spool), &st, g->d.self->instance,
			       tu_now_ms(), buf, sizeof buf)) > 0)
		/* Queued, not waited for: under back-pressure the receive
		 * thread that would read the PUBACK is held in on_message. */
		mq_publish_async(g->mq, topic, buf, (size_t)n, 1, 1);
}

#define N_FILTERS 3

/* The telemetry, event and status filters, shared ($share/group/...) when
 * configured. */
static int
build_filters(struct ingestd *g, char f[N_FILTERS][TOPIC_MAX_LEN + 80])
{
	static const enum topic_kind kinds[N_FILTERS] = {TOPIC_TELEMETRY, TOPIC_EVENT,
							 TOPIC_STATUS};
	char filter[TOPIC_MAX_LEN + 1];

	for (size_t i = 0; i < N_FILTERS; i++) {
		if (topic_build_filter(filter, sizeof filter, NULL, kinds[i]) < 0)
			return -1;
		if (g->ic->shared)
			snprintf(f[i], sizeof f[i], "$share/%s/%s", g->ic->share_group, filter);
		else
			snprintf(f[i], sizeof f[i], "%s", filter);
	}
	return 0;
}

static int
started(struct ingestd *g)
{
	log_info("started", "instance=%s spool=%s shared=%d receiver=%s", g->d.self->instance,
		 g->spool_dir, g->ic->shared, g->rx ? "own" : "paho");
	return 0;
}

/* tcp://: mqrx receives as ingestd-<instance> and acknowledges after the
 * spool; Paho publishes the stats as ingestd-<instance>-out. */
static int
start_mqrx(struct ingestd *g)
{
	const struct fm_mqtt_conf *mc = &g->d.cfg.mqtt;
	char f[N_FILTERS][TOPIC_MAX_LEN + 80], pub_id[160];
	const char *fp[N_FILTERS];
	struct mqrx_opts o = {0};

	if (build_filters(g, f) < 0)
		return -1;
	for (size_t i = 0; i < N_FILTERS; i++)
		fp[i] = f[i];
	daemon_client_id(&g->d, g->client_id, sizeof g->client_id);
	o.url = mc->url;
	o.client_id = g->client_id;
	o.username = mc->username[0] ? mc->username : NULL;
	o.password = mc->password[0] ? mc->password : NULL;
	o.keepalive_s = mc->keepalive_s;
	o.session_expiry_s = mc->session_expiry_s;
	o.receive_max = mc->max_inflight;
	o.connect_timeout_ms = mc->connect_timeout_ms;
	o.filters = fp;
	o.n_filters = N_FILTERS;
	g->rx = mqrx_new(&o, on_message, g);
	g->mq = daemon_mq_publisher(&g->d, pub_id, sizeof pub_id);
	if (!g->rx || !g->mq)
		return -1;
	if (mq_connect_retry(g->mq, -1, (volatile int *)&daemon_stop) < 0 ||
	    mqrx_start(g->rx, (volatile int *)&daemon_stop) < 0)
		return -1;
	return started(g);
}

static int
open_spool(struct ingestd *g)
{
	const struct fm_spool_conf *sc = &g->d.cfg.spool;
	struct spool_opts so = {0};

	if (mkdir(sc->dir, 0700) < 0 && errno != EEXIST) {
		log_error("spool_dir_failed", "dir=%s error=\"%s\"", sc->dir, strerror(errno));
		return -1;
	}
	snprintf(g->spool_dir, sizeof g->spool_dir, "%s/ingestd-%s", sc->dir, g->d.self->instance);
	snprintf(g->cache_path, sizeof g->cache_path, "%s/devices.cache", g->spool_dir);
	so.dir = g->spool_dir;
	so.segment_bytes = sc->segment_bytes;
	so.max_bytes = sc->max_bytes;
	so.fsync = sc->fsync == FM_FSYNC_ALWAYS  ? SPOOL_FSYNC_ALWAYS
		   : sc->fsync == FM_FSYNC_NEVER ? SPOOL_FSYNC_NEVER
						 : SPOOL_FSYNC_INTERVAL;
	so.fsync_interval_ms = sc->fsync_interval_ms;
	g->spool = spool_open(&so);
	return g->spool ? 0 : -1;
}

/* The registry before anything is accepted: from PostgreSQL, else from the
 * cache of the last run, else wait for PostgreSQL. */
static int
first_registry(struct ingestd *g)
{
	db_connect_retry(g->db, 3000, 1000, (volatile int *)&daemon_stop);
	if (reload_registry(g) == 0)
		return 0;
	g->devs = devices_load_cache(g->cache_path);
	if (g->devs) {
		log_warn("registry_from_cache", "devices=%zu path=%s", devmap_count(g->devs),
			 g->cache_path);
		return 0;
	}
	log_warn("registry_waiting", "reason=\"no database and no cache yet\"");
	while (!daemon_stop) {
		if (db_connect_retry(g->db, 10000, g->d.cfg.db.reconnect_max_ms,
				     (volatile int *)&daemon_stop) == DB_OK &&
		    reload_registry(g) == 0)
			return 0;
	}
	return -1;
}

static int
start(struct ingestd *g)
{
	struct store_opts so = {0};
	struct mq_opts mo = {0};
	const struct fm_mqtt_conf *mc = &g->d.cfg.mqtt;
	char f[N_FILTERS][TOPIC_MAX_LEN + 80];

	if (open_spool(g) < 0)
		return -1;
	g->db = db_new(g->d.cfg.db.conninfo);
	db_set_application_name(g->db, "ingestd");
	db_set_connect_timeout_ms(g->db, g->d.cfg.db.connect_timeout_ms);
	if (first_registry(g) < 0)
		return -1;
	maintain_partitions(g);
	so.conninfo = g->d.cfg.db.conninfo;
	so.instance = g->d.self->instance;
	so.batch_rows = g->ic->batch_rows;
	so.batch_ms = g->ic->batch_ms;
	so.reconnect_max_ms = g->d.cfg.db.reconnect_max_ms;
	g->store = store_start(&so, g->spool);
	if (!g->store)
		return -1;
	if (mqrx_supports(mc->url))
		return start_mqrx(g);
	daemon_client_id(&g->d, g->client_id, sizeof g->client_id);
	mo.url = mc->url;
	mo.client_id = g->client_id;
	mo.username = mc->username;
	mo.password = mc->password;
	mo.ca_file = mc->ca_file;
	mo.keepalive_s = mc->keepalive_s;
	mo.session_expiry_s = mc->session_expiry_s;
	mo.max_inflight = mc->max_inflight;
	mo.connect_timeout_ms = mc->connect_timeout_ms;
	mo.publish_timeout_ms = mc->publish_timeout_ms;
	/* No Paho persistence: for received QoS 1 messages it keeps nothing
	 * (MQTT 5, Paho 1.3.11) and only cost a file system call per message. */
	mo.persist_dir = NULL;
	g->mq = mq_new(&mo, on_message, g);
	if (!g->mq || build_filters(g, f) < 0)
		return -1;
	for (size_t i = 0; i < N_FILTERS; i++)
		if (mq_subscribe(g->mq, f[i], 1) < 0)
			return -1;
	if (mq_connect_retry(g->mq, -1, (volatile int *)&daemon_stop) < 0)
		return -1;
	return started(g);
}

static void
run(struct ingestd *g)
{
	long long now, next_reload, next_parts, next_stats, bp = 0;

	now = tu_mono_ms();
	next_reload = now + g->ic->registry_reload_ms;
	next_parts = now + 3600 * 1000;
	next_stats = now;
	while (!daemon_stop) {
		struct timespec ts = {0, 100 * 1000000};

		nanosleep(&ts, NULL);
		now = tu_mono_ms();
		if (daemon_reload || now >= next_reload) {
			daemon_reload = 0;
			reload_registry(g);
			next_reload = now + g->ic->registry_reload_ms;
		}
		if (now >= next_parts) {
			maintain_partitions(g);
			next_parts = now + 3600 * 1000;
		}
		if (daemon_dump_stats) {
			daemon_dump_stats = 0;
			publish_stats(g, 1);
		}
		/* A change of back-pressure is published at once: alertd
		 * raises (and clears) an alarm on it. */
		if (counters_get(&g->c.back_pressure) != bp) {
			bp = counters_get(&g->c.back_pressure);
			log_info("back_pressure", "state=%s spool_bytes=%lld", bp ? "on" : "off",
				 spool_bytes(g->spool));
			next_stats = now;
		}
		if (now >= next_stats) {
			publish_stats(g, 0);
			next_stats = now + g->d.self->stats_interval_ms;
		}
	}
}

int
main(int argc, char **argv)
{
	static struct ingestd g;
	int rc = 1;

	switch (daemon_start(&g.d, "ingestd",
			     "ingestd — validates device telemetry, events and status and stores "
			     "them in PostgreSQL",
			     argc, argv)) {
	case DAEMON_EXIT_OK:
		return 0;
	case DAEMON_EXIT_FAIL:
		return 1;
	case DAEMON_RUN:
		break;
	}
	g.ic = &g.d.cfg.ingest;
	g.rec = xmalloc(INGEST_RECORD_MAX);
	pthread_rwlock_init(&g.reg_lock, NULL);
	if (start(&g) == 0) {
		run(&g);
		rc = 0;
	}
	log_info("stopping", "drain_ms=%lld", g.ic->drain_ms);
	/* no more appends from here on */
	if (g.rx)
		mqrx_stop(g.rx);
	else if (g.mq)
		mq_disconnect(g.mq);
	store_stop(g.store, g.ic->drain_ms);
	if (g.spool && g.store) /* not when stopped before the writer started */
		publish_stats(&g, 1);
	if (g.rx && g.mq)
		mq_disconnect(g.mq); /* the publisher, after the last stats */
	mqrx_free(g.rx);
	mq_free(g.mq);
	spool_close(g.spool);
	db_free(g.db);
	devmap_free(g.devs);
	free(g.rec);
	return daemon_stop ? 0 : rc;
}
