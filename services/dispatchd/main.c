/* dispatchd — owns work orders: intake of requests (alertd, schedd, customer
 * service) with one order per idempotency key, assignment by skill, shift,
 * area and load, SLA clocks and escalation, technicians' progress,
 * follow-up, repeat repairs. main.c is wiring: the MQTT handler and the
 * clock loop, which take turns under one lock. PostgreSQL is the source of
 * truth: while it is down a message is left unacknowledged (the broker
 * keeps it) and the clocks wait; nothing is lost and nothing crashes. */
#include "dispatchd/main_int.h"
#include "log.h"
#include "mqtt.h"
#include "timeutil.h"
#include "topic.h"

#include <string.h>
#include <time.h>

static enum mq_verdict
on_message(void *ctx, const struct mq_msg *m)
{
	struct dispd *g = ctx;
	struct topic t;
	long long now = tu_now_ms();
	int rc = 0;

	if (topic_parse(m->topic, strlen(m->topic), &t) != TOPIC_OK)
		return MQ_DROP;
	pthread_mutex_lock(&g->lock);
	g->lim.now_ms = now;
	if (t.kind == TOPIC_WO_REQUEST)
		rc = intake_request(g, &t, m, now);
	else if (t.kind == TOPIC_OPS)
		rc = intake_ops(g, &t, m, now);
	pthread_mutex_unlock(&g->lock);
	if (rc < 0) {
		/* give the database a moment before the message comes again */
		struct timespec pause = {0, 200 * 1000000L};

		nanosleep(&pause, NULL);
		return MQ_RETRY;
	}
	return MQ_OK;
}

static int
start_mqtt(struct dispd *g)
{
	static const char *const filters[] = {"fm/v1/+/wo-request", "fm/v1/+/ops/+/wo",
					      "fm/v1/+/ops/+/request", "fm/v1/+/ops/+/followup"};
	g->mq = daemon_mq_new(&g->d, g->client_id, sizeof g->client_id, on_message, g, filters,
			      sizeof filters / sizeof filters[0]);
	if (!g->mq)
		return -1;
	return mq_connect_retry(g->mq, -1, (volatile int *)&daemon_stop);
}

static void
republish(struct dispd *g)
{
	long long now = tu_now_ms();

	pthread_mutex_lock(&g->lock);
	for (size_t i = 0; i < g->n_orders; i++)
		out_order(g, &g->orders[i], now);
	pthread_mutex_unlock(&g->lock);
}

static int
run(struct dispd *g)
{
	long long next_stats = tu_mono_ms() + g->d.self->stats_interval_ms;

	while (!daemon_stop) {
		struct timespec pause = {0, DISPD_TICK_MS * 1000000L};

		pthread_mutex_lock(&g->lock);
		dispd_clocks(g, tu_now_ms());
		pthread_mutex_unlock(&g->lock);
		if (daemon_dump_stats) {
			daemon_dump_stats = 0;
			dispd_stats(g, 1);
		}
		if (tu_mono_ms() >= next_stats) {
			next_stats += g->d.self->stats_interval_ms;
			dispd_stats(g, 0);
		}
		nanosleep(&pause, NULL);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct dispd g;
	int rc = 1;

	switch (daemon_start(
		&g.d, "dispatchd",
		"dispatchd — owns work orders: SLA clocks, assignment, escalation, follow-up", argc,
		argv)) {
	case DAEMON_EXIT_OK:
		return 0;
	case DAEMON_EXIT_FAIL:
		return 1;
	case DAEMON_RUN:
		break;
	}
	pthread_mutex_init(&g.lock, NULL);
	if (dispd_load(&g) < 0 || start_mqtt(&g) < 0)
		goto out;
	republish(&g); /* the retained states match the database after a crash */
	log_info("started", "instance=%s open_orders=%zu", g.d.self->instance, g.n_orders);
	rc = run(&g);
out:
	dispd_shutdown(&g);
	log_info("stopped", "rc=%d", rc);
	return rc;
}
