/* alertd — evaluates alarm rules on the live MQTT stream, owns the alarm
 * lifecycle, notifies along the duty roster and escalates. main.c is wiring:
 * configuration from PostgreSQL, the engine behind one lock, the journal and
 * its writer (store), the MQTT handler (intake, out), restore and recovery at
 * start, and the periodic work (time, stats, reconnects, SIGHUP reload). */
#include "alertd/conf_db.h"
#include "alertd/engine.h"
#include "alertd/intake.h"
#include "alertd/main_int.h"
#include "alertd/out.h"
#include "alertd/store.h"
#include "who.h"
#include "daemon.h"
#include "db.h"
#include "latency.h"
#include "log.h"
#include "mqtt.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static enum mq_verdict
on_message(void *ctx, const struct mq_msg *m)
{
	struct alertd *g = ctx;
	long long t0 = tu_mono_us(), now = tu_now_ms();
	struct intake_reply reply;

	pthread_mutex_lock(&g->lock);
	g->lim.now_ms = now;
	intake_message(&g->in, g->eng, &g->lim, m->topic, m->payload, m->len, now, &reply);
	if (reply.wanted)
		out_reply(&g->out, &reply, now);
	latency_add(&g->eval, tu_mono_us() - t0);
	pthread_mutex_unlock(&g->lock);
	return MQ_OK;
}

static void
restore_one(void *ctx, const struct alarm_rec *rec)
{
	struct alertd *g = ctx;

	if (engine_restore(g->eng, rec) < 0)
		log_warn("restore_skipped",
			 "alarm_id=%s device=%s rule=%s reason=\"no longer configured\"",
			 rec->alarm_id, rec->device, rec->rule);
}

static void
recover_one(void *ctx, const char *device, const char *event, int active, long long ts_ms,
	    long long seq)
{
	struct alertd *g = ctx;
	const char *site = engine_device_site(g->eng, device);

	(void)seq;
	if (site) /* raised at the event's time: reminders and escalation catch up */
		engine_event(g->eng, site, device, event, active, ts_ms, ts_ms);
}

/* Discrete events that reached ingestd while alertd was down (the broker's
 * queue brings the rest; the engine drops the older of a pair). */
static void
recover_events(struct alertd *g)
{
	long long alive = alert_store_alive_at(g->store), now = tu_now_ms();
	long long since = alive - ALERTD_RECOVER_OVERLAP_MS;

	if (alive <= 0)
		return; /* first start: no history of ours to resume from */
	if (since < now - ALERTD_RECOVER_MAX_MS)
		since = now - ALERTD_RECOVER_MAX_MS;
	if (alert_store_missed_events(g->store, since, now, recover_one, g) < 0)
		log_warn("recovery_failed", "since_ms=%lld", since);
	else
		log_info("recovered", "since_ms=%lld", since);
}

static int
start_mqtt(struct alertd *g)
{
	static const char *const filters[] = {
		"fm/v1/+/dev/+/telemetry", "fm/v1/+/dev/+/event",
		"fm/v1/+/dev/+/status",    "fm/v1/+/wo/+",
		"fm/v1/+/ops/+/ack",       "fm/v1/+/ops/+/shelve",
		"fm/v1/_sys/ingestd/+",
	};
	/* Alarms leave on their own connection (daemon_mq_publisher says why),
	 * connected first so that nothing received waits for it. */
	g->pub = daemon_mq_publisher(&g->d, g->pub_client_id, sizeof g->pub_client_id);
	if (!g->pub || mq_connect_retry(g->pub, -1, (volatile int *)&daemon_stop) < 0)
		return -1;
	g->out.mq = g->pub;
	g->mq = daemon_mq_new(&g->d, g->client_id, sizeof g->client_id, on_message, g, filters,
			      sizeof filters / sizeof filters[0]);
	if (!g->mq)
		return -1;
	return mq_connect_retry(g->mq, -1, (volatile int *)&daemon_stop);
}

static int
run(struct alertd *g)
{
	long long next_stats = tu_mono_ms() + g->d.self->stats_interval_ms;
	int was_connected = 1;

	while (!daemon_stop) {
		struct timespec pause = {0, ALERTD_TICK_MS * 1000000L};
		int connected;

		nanosleep(&pause, NULL);
		pthread_mutex_lock(&g->lock);
		engine_tick(g->eng, tu_now_ms());
		connected = mq_connected(g->pub);
		if (connected && !was_connected) /* what was published meanwhile may be lost */
			engine_republish(g->eng, out_republish, &g->out);
		pthread_mutex_unlock(&g->lock);
		was_connected = connected;
		if (daemon_reload) {
			daemon_reload = 0;
			alertd_reload(g);
		}
		if (daemon_dump_stats) {
			daemon_dump_stats = 0;
			alertd_stats(g, 1);
		}
		if (tu_mono_ms() >= next_stats) {
			next_stats += g->d.self->stats_interval_ms;
			alertd_stats(g, 0);
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct alertd g;
	int rc = 1;

	switch (daemon_start(&g.d, "alertd",
			     "alertd — evaluates alarm rules on the live stream, owns the alarm "
			     "lifecycle and escalation",
			     argc, argv)) {
	case DAEMON_EXIT_OK:
		return 0;
	case DAEMON_EXIT_FAIL:
		return 1;
	case DAEMON_RUN:
		break;
	}
	pthread_mutex_init(&g.lock, NULL);
	latency_init(&g.eval);
	if (alertd_load(&g) < 0 || alertd_open_store(&g) < 0)
		goto out;
	if (alert_store_restore(g.store, restore_one, &g) < 0)
		goto out;
	recover_events(&g);
	if (alert_store_start(g.store) < 0 || start_mqtt(&g) < 0)
		goto out;
	pthread_mutex_lock(&g.lock);
	engine_republish(g.eng, out_republish, &g.out);
	pthread_mutex_unlock(&g.lock);
	log_info("started", "instance=%s devices=%zu rules=%zu", g.d.self->instance, g.conf->devs.n,
		 g.conf->rules.n_rules);
	rc = run(&g);
out:
	alertd_shutdown(&g);
	log_info("stopped", "rc=%d", rc);
	return rc;
}
