/* main_stats.c — alertd's counters: inputs evaluated, rejections by reason,
 * alarms by state, notifications, escalations, commands, the journal and
 * its writer, evaluation latency. Published retained on
 * fm/v1/_sys/alertd/{instance} every stats interval; on SIGUSR1 also
 * printed, one line per counter. */
#include "alertd/main_int.h"
#include "alertd/store.h"
#include "log.h"
#include "mqtt.h"
#include "timeutil.h"
#include "topic.h"

#include <stdio.h>

#define MAX_COUNTERS (64 + MSG_REASON_COUNT)

struct counters {
	struct msg_counter c[MAX_COUNTERS];
	char names[MSG_REASON_COUNT + ENGINE_CMD_COUNT][64];
	int n, n_names;
};

static void
add(struct counters *k, const char *name, long long v)
{
	if (k->n < MAX_COUNTERS)
		k->c[k->n++] = (struct msg_counter){name, v};
}

/* A counter whose name is built ("rejected_bad_json"); zeros are left out. */
static void
add_named(struct counters *k, const char *prefix, const char *what, long long v)
{
	if (v == 0 || k->n_names >= (int)(sizeof k->names / sizeof k->names[0]))
		return;
	snprintf(k->names[k->n_names], sizeof k->names[0], "%s%s", prefix, what);
	add(k, k->names[k->n_names++], v);
}

static void
collect(struct alertd *g, struct counters *k)
{
	struct engine_stats es;
	struct alert_store_stats ss;
	struct mq_outbox_stats ob;
	const struct intake_counts *ic = &g->in.c;
	const struct out_counts *oc = &g->out.c;

	engine_stats(g->eng, &es);
	alert_store_stats(g->store, &ss);
	mq_outbox_stats(g->pub, &ob);
	add(k, "received", ic->received);
	add(k, "accepted", ic->accepted);
	for (int r = 1; r < MSG_REASON_COUNT; r++)
		add_named(k, "rejected_", msg_reason_name(r), ic->payload[r]);
	for (int r = 0; r < INTAKE_REJECT_COUNT; r++)
		add_named(k, "rejected_", intake_reject_name(r), ic->other[r]);
	add(k, "sys_unwatched", ic->sys_unwatched);
	add(k, "readings_evaluated", es.readings);
	add(k, "events_evaluated", es.events);
	add(k, "statuses_evaluated", es.statuses);
	add(k, "stale_events", es.stale_events);
	add(k, "transitions", es.transitions);
	add(k, "notifications", es.notifications);
	add(k, "escalations", es.escalations);
	add(k, "reminders", es.reminders);
	add(k, "wo_requests", es.wo_requests);
	add(k, "suppressed", es.suppressed);
	add(k, "expected", es.expected);
	add(k, "commands_ok", es.commands_ok);
	for (int r = 1; r < ENGINE_CMD_COUNT; r++)
		add_named(k, "commands_rejected_", engine_cmd_rc_name(r), es.commands_rejected[r]);
	add(k, "alarms_active_unacked", es.active_unacked);
	add(k, "alarms_active_acked", es.active_acked);
	add(k, "alarms_cleared_unacked", es.cleared_unacked);
	add(k, "alarms_shelved", es.shelved);
	add(k, "published", oc->published);
	add(k, "publish_errors", oc->publish_errors);
	add(k, "encode_errors", oc->encode_errors);
	add(k, "journal_errors", oc->journal_errors);
	add(k, "outbox_pending", ob.pending);
	add(k, "outbox_sent", ob.sent);
	add(k, "outbox_dropped", ob.dropped);
	add(k, "outbox_failed", ob.failed);
	add(k, "outbox_wait_max_ms", ob.wait_max_ms);
	add(k, "db_up", ss.db_up);
	add(k, "history_written", ss.records_written);
	add(k, "history_pending", ss.pending);
	add(k, "history_write_errors", ss.write_errors);
	add(k, "journal_bytes", ss.journal_bytes);
	add(k, "journal_append_max_us", ss.append_max_us);
	add(k, "eval_count", (long long)g->eval.n);
	add(k, "eval_p50_us", latency_quantile(&g->eval, 0.50));
	add(k, "eval_p99_us", latency_quantile(&g->eval, 0.99));
	add(k, "eval_max_us", g->eval.max_us);
}

void
alertd_stats(struct alertd *g, int print)
{
	static struct counters k;
	static char buf[8192];
	char topic[TOPIC_MAX_LEN + 1];
	int len;

	k.n = k.n_names = 0;
	pthread_mutex_lock(&g->lock);
	collect(g, &k);
	pthread_mutex_unlock(&g->lock);
	if (print)
		for (int i = 0; i < k.n; i++)
			fprintf(stderr, "alertd stats %s=%lld\n", k.c[i].name, k.c[i].value);
	len = msg_encode_stats("alertd", g->d.self->instance, tu_now_ms(), k.c, k.n, buf,
			       sizeof buf);
	topic_build_sys(topic, sizeof topic, "alertd", g->d.self->instance);
	if (len < 0 || mq_publish_async(g->pub, topic, buf, (size_t)len, 1, 1) < 0)
		log_warn("stats_not_published", "topic=%s", topic);
}
