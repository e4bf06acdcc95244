/* out.c — what dispatchd publishes: the retained state of an order on
 * fm/v1/{site}/wo/{wo_id} (an empty retained message once it is closed or
 * cancelled, which clears the topic) and notifications on notify/{person}.
 * Publishes are queued, never awaited: they run under the lock, and the
 * order is already on record in PostgreSQL when they go out. */
#include "dispatchd/main_int.h"
#include "log.h"
#include "mqtt.h"
#include "msg_wo.h"
#include "rules_conf.h"
#include "timeutil.h"
#include "topic.h"

static void
publish(struct dispd *g, const char *topic, const char *buf, int len, int retain)
{
	if (len < 0 || mq_publish_async(g->mq, topic, buf, (size_t)len, 1, retain) < 0) {
		g->c.publish_errors++;
		log_warn("not_published", "topic=%s len=%d", topic, len);
	}
}

void
out_order(struct dispd *g, const struct dorder *o, long long now_ms)
{
	static char buf[8192];
	char topic[TOPIC_MAX_LEN + 1];
	struct msg_work_order m = {0};
	struct sla_status st;
	struct sla_policy p;
	int len;

	if (topic_build_wo(topic, sizeof topic, o->site, o->wo_id) < 0)
		return;
	if (wo_finished(&o->w)) {
		publish(g, topic, "", 0, 1);
		return;
	}
	sla_policy_for(&p, &g->sla, o->w.category, o->w.urgency, o->w.grade);
	sla_check(&o->w, &p, dispd_zone(g, o->site), now_ms, &st);
	m.wo_id = o->wo_id;
	m.site = o->site;
	m.device = o->device;
	m.kind = rcf_wo_categories[o->w.category];
	m.priority = rcf_wo_urgencies[o->w.urgency];
	m.state = wo_state_name(o->w.state);
	m.assignee = o->w.assignee;
	m.skill = o->skill;
	m.title = o->title;
	m.source = o->source;
	m.idempotency_key = o->key;
	m.alarm_id = o->alarm_id;
	m.plan_id = o->plan_id;
	m.repeat_of = o->repeat_of;
	m.created_at_ms = o->w.created_ms;
	m.completed_at_ms = o->w.completed_ms;
	m.ts_ms = now_ms;
	m.escalation_level = o->w.escalation_level;
	m.breached = o->w.breached;
	m.satisfaction = o->w.satisfaction;
	for (int i = 0; i < SLA_N_ALL && i < MSG_WO_MAX_CLOCKS; i++) {
		m.due_names[i] = sla_name(i);
		m.due_ms[i] = st.due_ms[i] == SLA_NONE ? 0 : st.due_ms[i];
		m.n_clocks = i + 1;
	}
	len = msg_encode_work_order(&m, buf, sizeof buf);
	publish(g, topic, buf, len, 1);
}

void
out_notify(struct dispd *g, const char *site, const char *person, enum msg_notify_kind kind,
	   const char *device, const char *message, const char *verb, const char *reason,
	   long long now_ms)
{
	char buf[4096], topic[TOPIC_MAX_LEN + 1];
	struct msg_notification n = {
		.ts_ms = now_ms,
		.site = site,
		.person = person,
		.kind = kind,
		.device = device && device[0] ? device : NULL,
		.message = message,
		.verb = verb,
		.reason = reason,
	};

	if (topic_build_notify(topic, sizeof topic, site, person) < 0)
		return;
	publish(g, topic, buf, msg_encode_notification(&n, buf, sizeof buf), 0);
}
