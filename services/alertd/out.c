/* out.c — alertd's outputs. Every transition is journalled before anything
 * is published, so what people saw is never lost by a crash; then the
 * retained fm/v1/{site}/alarm/{id} (emptied once closed) and the
 * fm/v1/{site}/alarm-log entry; then the notifications and the work-order
 * request the engine asked for. */
#include "alertd/out.h"
#include "alertd/store.h"

#include "log.h"
#include "mqtt.h"
#include "topic.h"

#include <stdio.h>
#include <string.h>

static void
publish(struct out *o, const char *topic, const char *payload, int len, int retain)
{
	static struct log_limit lim = LOG_LIMIT(10000);

	if (len < 0) {
		o->c.encode_errors++;
		log_error("encode_failed", "topic=%s", topic);
		return;
	}
	if (mq_publish_async(o->mq, topic, payload, (size_t)len, 1, retain) == 0) {
		o->c.published++;
		return;
	}
	o->c.publish_errors++;
	log_limited(&lim, LOG_WARN, "publish_failed", "topic=%s reason=\"%s\"", topic,
		    mq_error(o->mq));
}

static enum msg_alarm_transition
msg_transition(enum alarm_transition t)
{
	for (int i = 0; i < MSG_TR_COUNT; i++)
		if (strcmp(msg_transition_name(i), alarm_transition_name(t)) == 0)
			return i;
	return MSG_TR_RAISED;
}

static int
encode_alarm(struct out *o, const struct alarm_rec *rec)
{
	const struct alarm *a = &rec->a;
	struct msg_alarm m = {
		.alarm_id = rec->alarm_id,
		.site = rec->site,
		.device = rec->device,
		.rule = rec->rule,
		.severity = rec->severity,
		.state = a->state == ALARM_CLOSED            ? MSG_ALARM_CLOSED
			 : a->state == ALARM_CLEARED_UNACKED ? MSG_ALARM_CLEARED
							     : MSG_ALARM_ACTIVE,
		.acked = a->acked_at_ms > 0 && a->acked_by[0],
		.acked_by = a->acked_at_ms > 0 && a->acked_by[0] ? a->acked_by : NULL,
		.raised_at_ms = a->raised_at_ms,
		.cleared_at_ms = a->cleared_at_ms,
		.has_cleared_at = a->cleared_at_ms > 0,
		.value = a->value,
		.has_value = a->has_value,
		.message = rec->message[0] ? rec->message : NULL,
		.transition = msg_transition(rec->t),
		.escalation_level = a->escalation_level,
		.wo_id = rec->wo_id[0] ? rec->wo_id : NULL,
		.acked_at_ms = a->acked_at_ms,
		.has_acked_at = a->acked_at_ms > 0,
		.shelved_until_ms = a->shelved_until_ms,
		.has_shelved_until = a->shelved_until_ms > 0,
		.suppressed_by = rec->suppressed_by[0] ? rec->suppressed_by : NULL,
		.expected = rec->expected,
		.actor = rec->actor[0] ? rec->actor : NULL,
		.note = rec->note[0] ? rec->note : NULL,
		.ts_ms = rec->ts_ms,
	};

	return msg_encode_alarm(&m, o->buf, sizeof o->buf);
}

static void
publish_state(struct out *o, const struct alarm_rec *rec)
{
	char topic[TOPIC_MAX_LEN + 1];

	topic_build_alarm(topic, sizeof topic, rec->site, rec->alarm_id);
	if (rec->a.state == ALARM_CLOSED)
		publish(o, topic, "", 0, 1); /* closed: nobody needs to see it at connect */
	else
		publish(o, topic, o->buf, encode_alarm(o, rec), 1);
}

static void
on_transition(void *ctx, const struct alarm_rec *rec)
{
	struct out *o = ctx;
	char topic[TOPIC_MAX_LEN + 1];

	if (alert_store_append(o->store, rec) < 0)
		o->c.journal_errors++; /* logged by the store; publish anyway: people first */
	publish_state(o, rec);
	topic_build_alarm_log(topic, sizeof topic, rec->site);
	publish(o, topic, o->buf, encode_alarm(o, rec), 0);
}

void
out_republish(void *ctx, const struct alarm_rec *rec)
{
	publish_state(ctx, rec);
}

static void
on_notify(void *ctx, const struct alarm_rec *rec, const char *person, enum engine_notify_kind kind)
{
	struct out *o = ctx;
	char topic[TOPIC_MAX_LEN + 1];
	static const enum msg_notify_kind kinds[] = {
		[ENGINE_N_ALARM] = MSG_NOTIFY_ALARM,
		[ENGINE_N_REMINDER] = MSG_NOTIFY_REMINDER,
		[ENGINE_N_ESCALATION] = MSG_NOTIFY_ESCALATION,
		[ENGINE_N_FLAPPING] = MSG_NOTIFY_INFO,
	};
	struct msg_notification n = {
		.ts_ms = rec->ts_ms,
		.site = rec->site,
		.person = person,
		.kind = kinds[kind],
		.alarm_id = rec->alarm_id,
		.device = rec->device,
		.rule = rec->rule,
		.severity = rec->severity,
		.escalation_level = rec->a.escalation_level,
		.has_escalation_level = 1,
		.message = rec->message[0] ? rec->message : NULL,
	};

	topic_build_notify(topic, sizeof topic, rec->site, person);
	publish(o, topic, o->buf, msg_encode_notification(&n, o->buf, sizeof o->buf), 0);
}

static void
on_wo_request(void *ctx, const struct alarm_rec *rec, const struct rcf_work_order *wo)
{
	struct out *o = ctx;
	char topic[TOPIC_MAX_LEN + 1];
	struct msg_wo_request r;

	memset(&r, 0, sizeof r);
	snprintf(r.idempotency_key, sizeof r.idempotency_key, "%s", rec->alarm_id);
	r.ts_ms = rec->ts_ms;
	r.source = MSG_WO_SRC_ALERTD;
	snprintf(r.site, sizeof r.site, "%s", rec->site);
	snprintf(r.device, sizeof r.device, "%s", rec->device);
	r.kind = (enum msg_wo_kind)wo->category;
	r.priority = (enum msg_wo_priority)wo->urgency;
	snprintf(r.skill, sizeof r.skill, "%s", wo->skill);
	snprintf(r.assignee, sizeof r.assignee, "%s", wo->assignee);
	snprintf(r.title, sizeof r.title, "%s", rec->message[0] ? rec->message : rec->rule);
	snprintf(r.alarm_id, sizeof r.alarm_id, "%s", rec->alarm_id);
	r.sla_start_ms = rec->a.raised_at_ms; /* the incident began when the alarm rose */
	topic_build_wo_request(topic, sizeof topic, rec->site);
	publish(o, topic, o->buf, msg_encode_wo_request(&r, o->buf, sizeof o->buf), 0);
}

void
out_sink(struct out *o, struct engine_sink *sink)
{
	sink->ctx = o;
	sink->transition = on_transition;
	sink->notify = on_notify;
	sink->wo_request = on_wo_request;
}

void
out_reply(struct out *o, const struct intake_reply *r, long long now_ms)
{
	char topic[TOPIC_MAX_LEN + 1];
	struct msg_notification n = {
		.ts_ms = now_ms,
		.site = r->site,
		.person = r->person,
		.kind = r->ok ? MSG_NOTIFY_ACCEPTED : MSG_NOTIFY_REJECTED,
		.alarm_id = r->alarm_id[0] ? r->alarm_id : NULL,
		.verb = r->verb,
		.reason = r->ok ? NULL : r->reason,
	};

	if (topic_build_notify(topic, sizeof topic, r->site, r->person) < 0)
		return;
	publish(o, topic, o->buf, msg_encode_notification(&n, o->buf, sizeof o->buf), 0);
}
