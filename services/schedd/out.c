/* out.c — what schedd says on the broker: one work-order request per
 * occurrence on fm/v1/{site}/wo-request, and overdue notices and
 * escalations on fm/v1/{site}/notify/{person}. Each publish waits for the
 * broker's PUBACK, so the caller records an occurrence as requested only
 * once the broker has it; a crash in between republishes the same key. */
#include "log.h"
#include "mqtt.h"
#include "schedd/main_int.h"
#include "timeutil.h"
#include "topic.h"

#include <stdio.h>
#include <string.h>

int
out_request(struct schedd *g, const struct sched_plan *p, const struct sched_inst *in,
	    const struct sched_action *a)
{
	static struct msg_wo_request r;
	char buf[4096], topic[TOPIC_MAX_LEN + 1];
	int n;

	memset(&r, 0, sizeof r);
	snprintf(r.idempotency_key, sizeof r.idempotency_key, "%s", a->key);
	r.ts_ms = tu_now_ms();
	r.source = MSG_WO_SRC_SCHEDD;
	snprintf(r.site, sizeof r.site, "%s", in->site);
	snprintf(r.device, sizeof r.device, "%s", in->device);
	r.kind = MSG_WO_PREVENTIVE;
	r.priority = p->priority;
	snprintf(r.skill, sizeof r.skill, "%s", p->skill);
	snprintf(r.assignee, sizeof r.assignee, "%s", p->assignee);
	sched_title(p, a->sets, r.title, sizeof r.title);
	snprintf(r.plan_id, sizeof r.plan_id, "%s", p->id);
	r.has_due_at = 1;
	r.due_at_ms = a->due_ms;
	r.sla_start_ms = a->due_ms;
	r.has_missed = a->missed > 0;
	r.missed = a->missed;
	n = msg_encode_wo_request(&r, buf, sizeof buf);
	topic_build_wo_request(topic, sizeof topic, in->site);
	if (n < 0) {
		log_error("request_not_encoded", "key=%s", a->key);
		return -1;
	}
	if (mq_publish(g->mq, topic, buf, (size_t)n, 1, 0) < 0) {
		static struct log_limit lim = LOG_LIMIT(10000);

		log_limited(&lim, LOG_WARN, "request_not_published", "key=%s error=\"%s\"", a->key,
			    mq_error(g->mq));
		return -1;
	}
	log_info("requested", "key=%s why=%s missed=%lld due_ms=%lld", a->key,
		 meter_fire_name(a->why), a->missed, a->due_ms);
	return 0;
}

static int
notify_one(struct schedd *g, const struct sched_inst *in, const char *person, int escalation,
	   const char *text)
{
	struct msg_notification n;
	char buf[2048], topic[TOPIC_MAX_LEN + 1];
	int len;

	memset(&n, 0, sizeof n);
	n.ts_ms = tu_now_ms();
	n.site = in->site;
	n.person = person;
	n.kind = escalation ? MSG_NOTIFY_ESCALATION : MSG_NOTIFY_INFO;
	n.device = in->device[0] ? in->device : NULL;
	n.has_escalation_level = escalation;
	n.escalation_level = escalation;
	n.message = text;
	len = msg_encode_notification(&n, buf, sizeof buf);
	topic_build_notify(topic, sizeof topic, in->site, person);
	if (len < 0 || mq_publish(g->mq, topic, buf, (size_t)len, 1, 0) < 0)
		return -1;
	return 0;
}

int
out_notice(struct schedd *g, const struct sched_plan *p, const struct sched_inst *in,
	   const struct sched_action *a)
{
	const struct cfg_strlist *list = a->what == SCHED_ESCALATE ? &p->escalate : &p->notify;
	char people[32][REG_ID_SIZE], text[1024], due[TU_RFC3339_LEN + 1];
	int n, fallback = 0, rc = 0;

	n = who_resolve(&g->conf->who, in->site, list, tu_now_ms(), people, 32, &fallback);
	tu_format_rfc3339(a->due_ms, due, sizeof due);
	snprintf(text, sizeof text, "%s: %s%s%s was due %s and is not done (%lld missed before it)",
		 a->what == SCHED_ESCALATE ? "escalated, overdue" : "overdue", p->name,
		 in->device[0] ? " on " : "", in->device, due, a->missed);
	for (int i = 0; i < n; i++)
		if (notify_one(g, in, people[i], a->what == SCHED_ESCALATE, text) < 0)
			rc = -1;
	log_info(a->what == SCHED_ESCALATE ? "escalated" : "overdue",
		 "key=%s people=%d fallback=%d rc=%d", a->key, n < 0 ? 0 : n, fallback, rc);
	return rc;
}
