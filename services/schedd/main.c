/* schedd — preventive maintenance: for every (plan, device) it publishes
 * one work-order request per occurrence, at due minus lead, by calendar and
 * by meter (whichever comes first); follows the work orders to learn
 * completions; reports overdue work and escalates statutory plans. main.c
 * is wiring: configuration and pm_state from PostgreSQL, the MQTT handler
 * (telemetry for meters, work orders for completions) and the loop that
 * asks the pure core (instance.c) what to do and does it. */
#include "db.h"
#include "log.h"
#include "mqtt.h"
#include "schedd/main_int.h"
#include "timeutil.h"
#include "topic.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void
on_telemetry(struct schedd *g, const struct topic *t, const struct mq_msg *m, long long now)
{
	static struct msg_telemetry tm;
	struct sched_conf *c = g->conf;
	size_t n = 0;
	struct sched_inst *in = sconf_device(c, t->device, &n);

	g->c.telemetry_received++;
	if (!in)
		return; /* no plan counts this device */
	if (msg_decode_telemetry(m->payload, m->len, &g->lim, t->site, t->device, &tm) != MSG_OK) {
		g->c.bad_messages++;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct sched_plan *p = &c->plans[in[i].plan];

		if (!p->has_meter)
			continue;
		for (int k = 0; k < tm.n_metrics; k++)
			if (strcmp(tm.metrics[k].name, p->meter_metric) == 0 &&
			    sched_meter_reading(p, &in[i], tm.metrics[k].value,
						tm.has_ts ? tm.ts_ms : now) == METER_COUNTED)
				g->c.meter_readings++;
	}
}

static void
on_work_order(struct schedd *g, const struct topic *t, const struct mq_msg *m)
{
	struct msg_wo_brief b;
	struct sched_inst *in;

	if (m->len == 0)
		return; /* closed and followed up: the tombstone */
	if (msg_decode_wo_brief(m->payload, m->len, NULL, &b) != MSG_OK) {
		g->c.bad_messages++;
		return;
	}
	if (!b.plan_id[0] || !b.has_completed_at || !sched_state_done(b.state))
		return;
	in = sconf_find(g->conf, b.plan_id, b.device);
	if (!in || strcmp(in->site, t->site) != 0)
		return; /* another schedd's plan, or one no longer configured */
	if (sched_completed(&g->conf->plans[in->plan], in, b.completed_at_ms)) {
		g->c.completions++;
		log_info("completed", "plan=%s device=%s wo_id=%s completed_ms=%lld", b.plan_id,
			 b.device, b.wo_id, b.completed_at_ms);
	}
}

static enum mq_verdict
on_message(void *ctx, const struct mq_msg *m)
{
	struct schedd *g = ctx;
	struct topic t;
	long long now = tu_now_ms();

	if (topic_parse(m->topic, strlen(m->topic), &t) != TOPIC_OK)
		return MQ_DROP;
	pthread_mutex_lock(&g->lock);
	g->lim.now_ms = now;
	if (t.kind == TOPIC_TELEMETRY)
		on_telemetry(g, &t, m, now);
	else if (t.kind == TOPIC_WO)
		on_work_order(g, &t, m);
	pthread_mutex_unlock(&g->lock);
	return MQ_OK;
}

/* One decision for instance i, carried out outside the lock (a publish
 * waits for the broker). */
static void
step(struct schedd *g, size_t i)
{
	struct sched_conf *c = g->conf; /* only this thread replaces it */
	struct sched_action a;
	struct sched_inst copy;
	const struct sched_plan *p;
	int rc;

	pthread_mutex_lock(&g->lock);
	copy = c->insts[i];
	p = &c->plans[copy.plan];
	rc = sched_eval(p, &copy, tu_now_ms(), &a);
	if (rc == 0 && a.next_due_ms && a.next_due_ms != c->insts[i].next_due_ms) {
		c->insts[i].next_due_ms = a.next_due_ms; /* for people: fmctl, SQL */
		c->insts[i].dirty = 1;
	}
	pthread_mutex_unlock(&g->lock);
	if (rc < 0 || a.what == SCHED_NOTHING || !mq_connected(g->mq))
		return; /* the broker is away: decided again on a later tick */
	if (a.what == SCHED_REQUEST)
		rc = out_request(g, p, &copy, &a);
	else
		rc = out_notice(g, p, &copy, &a);
	pthread_mutex_lock(&g->lock);
	if (rc < 0) {
		g->c.publish_errors++;
	} else if (a.what == SCHED_REQUEST) {
		sched_requested(&c->insts[i], &a, tu_now_ms());
		g->c.requests++;
	} else {
		sched_noticed(&c->insts[i], &a);
		if (a.what == SCHED_OVERDUE)
			g->c.overdue_notices++;
		else
			g->c.escalations++;
	}
	pthread_mutex_unlock(&g->lock);
	if (rc == 0)
		schedd_flush(g, 0); /* the request is on record before the next one */
}

static int
start_mqtt(struct schedd *g)
{
	static const char *const filters[] = {"fm/v1/+/wo/+"};
	g->mq = daemon_mq_new(&g->d, g->client_id, sizeof g->client_id, on_message, g, filters,
			      sizeof filters / sizeof filters[0]);
	if (!g->mq)
		return -1;
	schedd_meter_subs_file(g);
	schedd_meter_subs(g, NULL, g->conf);
	if (mq_connect_retry(g->mq, -1, (volatile int *)&daemon_stop) < 0)
		return -1;
	/* Versions before per-device meters subscribed to all telemetry, and a
	 * persistent session keeps that subscription. */
	mq_unsubscribe(g->mq, "fm/v1/+/dev/+/telemetry");
	/* Not under g->lock: unsubscribing waits for the broker's answer, which
	 * the thread running on_message reads (g->conf is the main thread's). */
	schedd_meter_subs_prune(g);
	return 0;
}

static int
run(struct schedd *g)
{
	long long next_stats = tu_mono_ms() + g->d.self->stats_interval_ms;

	while (!daemon_stop) {
		struct timespec pause = {0, SCHEDD_TICK_MS * 1000000L};

		for (size_t i = 0; i < g->conf->n_insts && !daemon_stop; i++)
			step(g, i);
		schedd_flush(g, tu_mono_ms() >= g->next_meter_flush_ms);
		if (daemon_reload) {
			daemon_reload = 0;
			schedd_reload(g);
		}
		if (daemon_dump_stats) {
			daemon_dump_stats = 0;
			schedd_stats(g, 1);
		}
		if (tu_mono_ms() >= next_stats) {
			next_stats += g->d.self->stats_interval_ms;
			schedd_stats(g, 0);
		}
		nanosleep(&pause, NULL);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct schedd g;
	int rc = 1;

	switch (daemon_start(&g.d, "schedd",
			     "schedd — generates preventive-maintenance work-order requests by "
			     "calendar and by meter",
			     argc, argv)) {
	case DAEMON_EXIT_OK:
		return 0;
	case DAEMON_EXIT_FAIL:
		return 1;
	case DAEMON_RUN:
		break;
	}
	pthread_mutex_init(&g.lock, NULL);
	if (schedd_load(&g) < 0 || start_mqtt(&g) < 0)
		goto out;
	log_info("started", "instance=%s plans=%zu instances=%zu", g.d.self->instance,
		 g.conf->n_plans, g.conf->n_insts);
	rc = run(&g);
out:
	schedd_shutdown(&g);
	log_info("stopped", "rc=%d", rc);
	return rc;
}
