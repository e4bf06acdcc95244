/* main_stats.c — schedd's counters: requests published, overdue notices,
 * escalations, completions seen, meter readings counted, instances, and
 * errors (publishes, pm_state writes, bad messages). Published retained on
 * fm/v1/_sys/schedd/{instance} every stats interval; on SIGUSR1 also
 * printed, one line per counter. */
#include "log.h"
#include "mqtt.h"
#include "schedd/main_int.h"
#include "timeutil.h"
#include "topic.h"

#include <stdio.h>

void
schedd_stats(struct schedd *g, int print)
{
	struct msg_counter k[16];
	char buf[2048], topic[TOPIC_MAX_LEN + 1];
	size_t pending = 0;
	int n = 0, len;

	pthread_mutex_lock(&g->lock);
	for (size_t i = 0; i < g->conf->n_insts; i++)
		pending += g->conf->insts[i].dirty != 0;
	k[n++] = (struct msg_counter){"requests", g->c.requests};
	k[n++] = (struct msg_counter){"overdue_notices", g->c.overdue_notices};
	k[n++] = (struct msg_counter){"escalations", g->c.escalations};
	k[n++] = (struct msg_counter){"completions", g->c.completions};
	k[n++] = (struct msg_counter){"meter_readings", g->c.meter_readings};
	k[n++] = (struct msg_counter){"telemetry_received", g->c.telemetry_received};
	k[n++] = (struct msg_counter){"plans", (long long)g->conf->n_plans};
	k[n++] = (struct msg_counter){"instances", (long long)g->conf->n_insts};
	k[n++] = (struct msg_counter){"state_pending", (long long)pending};
	k[n++] = (struct msg_counter){"publish_errors", g->c.publish_errors};
	k[n++] = (struct msg_counter){"db_errors", g->c.db_errors};
	k[n++] = (struct msg_counter){"bad_messages", g->c.bad_messages};
	pthread_mutex_unlock(&g->lock);
	if (print)
		for (int i = 0; i < n; i++)
			fprintf(stderr, "schedd stats %s=%lld\n", k[i].name, k[i].value);
	len = msg_encode_stats("schedd", g->d.self->instance, tu_now_ms(), k, n, buf, sizeof buf);
	topic_build_sys(topic, sizeof topic, "schedd", g->d.self->instance);
	if (len < 0 || mq_publish_async(g->mq, topic, buf, (size_t)len, 1, 1) < 0)
		log_warn("stats_not_published", "topic=%s", topic);
}
