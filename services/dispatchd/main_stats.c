/* main_stats.c — dispatchd's counters: requests, duplicates, orders opened,
 * dispatched and re-dispatched, escalations, breaches, people's commands
 * carried out and refused, follow-ups, reopened, closed, repeat repairs,
 * open orders, and errors. Published retained on fm/v1/_sys/dispatchd/
 * {instance} every stats interval; on SIGUSR1 also printed. */
#include "dispatchd/main_int.h"
#include "log.h"
#include "mqtt.h"
#include "timeutil.h"
#include "topic.h"

#include <stdio.h>

void
dispd_stats(struct dispd *g, int print)
{
	struct msg_counter k[24];
	char buf[2048], topic[TOPIC_MAX_LEN + 1];
	struct mq_outbox_stats ob;
	int n = 0, len;

	mq_outbox_stats(g->mq, &ob);
	pthread_mutex_lock(&g->lock);
	k[n++] = (struct msg_counter){"requests", g->c.requests};
	k[n++] = (struct msg_counter){"duplicates", g->c.duplicates};
	k[n++] = (struct msg_counter){"opened", g->c.opened};
	k[n++] = (struct msg_counter){"dispatched", g->c.dispatched};
	k[n++] = (struct msg_counter){"redispatched", g->c.redispatched};
	k[n++] = (struct msg_counter){"escalations", g->c.escalations};
	k[n++] = (struct msg_counter){"breaches", g->c.breaches};
	k[n++] = (struct msg_counter){"commands", g->c.commands};
	k[n++] = (struct msg_counter){"rejected", g->c.rejected};
	k[n++] = (struct msg_counter){"followups", g->c.followups};
	k[n++] = (struct msg_counter){"reopened", g->c.reopened};
	k[n++] = (struct msg_counter){"closed", g->c.closed};
	k[n++] = (struct msg_counter){"repeats", g->c.repeats};
	k[n++] = (struct msg_counter){"followup_overdue", g->c.followup_overdue};
	k[n++] = (struct msg_counter){"open_orders", (long long)g->n_orders};
	k[n++] = (struct msg_counter){"db_errors", g->c.db_errors};
	k[n++] = (struct msg_counter){"publish_errors", g->c.publish_errors};
	k[n++] = (struct msg_counter){"bad_messages", g->c.bad_messages};
	k[n++] = (struct msg_counter){"outbox_pending", ob.pending};
	k[n++] = (struct msg_counter){"outbox_dropped", ob.dropped};
	k[n++] = (struct msg_counter){"outbox_failed", ob.failed};
	pthread_mutex_unlock(&g->lock);
	if (print)
		for (int i = 0; i < n; i++)
			fprintf(stderr, "dispatchd stats %s=%lld\n", k[i].name, k[i].value);
	len = msg_encode_stats("dispatchd", g->d.self->instance, tu_now_ms(), k, n, buf,
			       sizeof buf);
	topic_build_sys(topic, sizeof topic, "dispatchd", g->d.self->instance);
	if (len < 0 || mq_publish_async(g->mq, topic, buf, (size_t)len, 1, 1) < 0)
		log_warn("stats_not_published", "topic=%s", topic);
}
