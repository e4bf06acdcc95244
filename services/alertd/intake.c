/* intake.c — one MQTT message into alertd's engine: topic, payload, engine,
 * and a reply to the person for a command. */
#include "alertd/intake.h"

#include "registry.h"

#include <stdio.h>
#include <string.h>

const char *
intake_reject_name(enum intake_reject r)
{
	static const char *const names[] = {"bad_topic", "unexpected_topic", "unknown_device"};

	return (unsigned)r < INTAKE_REJECT_COUNT ? names[r] : "unknown";
}

static int
reject(struct intake *in, enum intake_reject r)
{
	in->c.other[r]++;
	return -1;
}

static int
bad_payload(struct intake *in, enum msg_reason r)
{
	in->c.payload[r]++;
	return -1;
}

static int
telemetry(struct intake *in, struct engine *e, const struct msg_limits *lim, const struct topic *t,
	  const void *p, size_t len, long long now_ms)
{
	struct engine_metric m[MSG_METRICS_MAX];
	enum msg_reason r = msg_decode_telemetry(p, len, lim, t->site, t->device, &in->u.t);

	if (r != MSG_OK)
		return bad_payload(in, r);
	for (int i = 0; i < in->u.t.n_metrics; i++) {
		m[i].name = in->u.t.metrics[i].name;
		m[i].value = in->u.t.metrics[i].value;
	}
	if (engine_telemetry(e, t->site, t->device, in->u.t.has_ts ? in->u.t.ts_ms : now_ms, m,
			     in->u.t.n_metrics, now_ms) < 0)
		return reject(in, INTAKE_UNKNOWN_DEVICE);
	return 0;
}

static int
event(struct intake *in, struct engine *e, const struct msg_limits *lim, const struct topic *t,
      const void *p, size_t len, long long now_ms)
{
	enum msg_reason r = msg_decode_event(p, len, lim, t->site, t->device, &in->u.ev);

	if (r != MSG_OK)
		return bad_payload(in, r);
	if (engine_event(e, t->site, t->device, in->u.ev.event, in->u.ev.state == MSG_EVENT_ACTIVE,
			 in->u.ev.has_ts ? in->u.ev.ts_ms : now_ms, now_ms) < 0)
		return reject(in, INTAKE_UNKNOWN_DEVICE);
	return 0;
}

static int
status(struct intake *in, struct engine *e, const struct msg_limits *lim, const struct topic *t,
       const void *p, size_t len, long long now_ms)
{
	enum msg_reason r;

	if (len == 0)
		return 0; /* a retained status being cleared: nothing to evaluate */
	r = msg_decode_status(p, len, lim, t->site, t->device, &in->u.st);
	if (r != MSG_OK)
		return bad_payload(in, r);
	if (engine_status(e, t->site, t->device, in->u.st.state == MSG_STATUS_ONLINE, now_ms) < 0)
		return reject(in, INTAKE_UNKNOWN_DEVICE);
	return 0;
}

static int
work_order(struct intake *in, struct engine *e, const struct msg_limits *lim, const struct topic *t,
	   const void *p, size_t len, long long now_ms)
{
	enum msg_reason r;

	if (len == 0) { /* emptied: the order is closed */
		engine_work_order(e, t->site, t->wo_id, NULL, NULL, now_ms);
		return 0;
	}
	r = msg_decode_wo_brief(p, len, lim, &in->u.wo);
	if (r == MSG_OK && strcmp(in->u.wo.wo_id, t->wo_id) != 0)
		r = MSG_ERR_IDENTITY_MISMATCH; /* the topic names the order */
	if (r != MSG_OK)
		return bad_payload(in, r);
	engine_work_order(e, t->site, t->wo_id, in->u.wo.device, in->u.wo.state, now_ms);
	return 0;
}

static int
command(struct intake *in, struct engine *e, const struct msg_limits *lim, const struct topic *t,
	const void *p, size_t len, long long now_ms, struct intake_reply *reply)
{
	const char *verb = topic_verb_name(t->verb);
	enum msg_reason r;
	enum engine_cmd_rc rc;

	reply->wanted = 1;
	snprintf(reply->site, sizeof reply->site, "%s", t->site);
	snprintf(reply->person, sizeof reply->person, "%s", t->person);
	snprintf(reply->verb, sizeof reply->verb, "%s", verb);
	if (t->verb != TOPIC_VERB_ACK && t->verb != TOPIC_VERB_SHELVE) {
		reply->wanted = 0; /* work-order verbs are dispatchd's */
		return 0;
	}
	r = msg_decode_command(p, len, lim, verb, &in->u.cmd);
	if (r != MSG_OK) {
		snprintf(reply->reason, sizeof reply->reason, "%s", msg_reason_name(r));
		return bad_payload(in, r);
	}
	snprintf(reply->alarm_id, sizeof reply->alarm_id, "%s", in->u.cmd.alarm_id);
	rc = engine_command(
		e, t->site, t->person, t->verb == TOPIC_VERB_SHELVE ? ENGINE_SHELVE : ENGINE_ACK,
		in->u.cmd.alarm_id, in->u.cmd.note, in->u.cmd.duration_s * 1000LL, now_ms);
	reply->ok = rc == ENGINE_CMD_OK;
	if (!reply->ok)
		snprintf(reply->reason, sizeof reply->reason, "%s", engine_cmd_rc_name(rc));
	return reply->ok ? 0 : -1; /* the engine counted a refusal */
}

/* An ingestd instance's retained stats: its back_pressure counter becomes
 * the event "spool_full" (active while on) of the device that stands for
 * the instance, ingestd-{instance}, so that the rules of its type alarm on
 * it like on any device's event. Without such a device the stats are
 * counted as unwatched and otherwise ignored. */
static int
sys_stats(struct intake *in, struct engine *e, const struct msg_limits *lim, const struct topic *t,
	  const void *p, size_t len, long long now_ms)
{
	char device[sizeof REG_INGESTD_DEVICE_PREFIX + TOPIC_ID_MAX];
	const char *site;
	enum msg_reason r;

	if (strcmp(t->daemon, "ingestd") != 0)
		return reject(in, INTAKE_UNEXPECTED);
	if (len == 0)
		return 0; /* a retained message being cleared */
	snprintf(device, sizeof device, "%s%s", REG_INGESTD_DEVICE_PREFIX, t->instance);
	site = strlen(device) <= TOPIC_ID_MAX ? engine_device_site(e, device) : NULL;
	if (!site) {
		in->c.sys_unwatched++;
		return 0;
	}
	r = msg_decode_stats_counter(p, len, lim, t->daemon, t->instance, "back_pressure",
				     &in->u.sys);
	if (r != MSG_OK)
		return bad_payload(in, r);
	if (!in->u.sys.has_value) {
		in->c.sys_unwatched++;
		return 0;
	}
	engine_event(e, site, device, "spool_full", in->u.sys.value != 0,
		     in->u.sys.has_ts ? in->u.sys.ts_ms : now_ms, now_ms);
	return 0;
}

int
intake_message(struct intake *in, struct engine *e, const struct msg_limits *lim, const char *topic,
	       const void *payload, size_t len, long long now_ms, struct intake_reply *reply)
{
	struct topic t;
	int rc;

	memset(reply, 0, sizeof *reply);
	in->c.received++;
	if (topic_parse(topic, strlen(topic), &t) != TOPIC_OK)
		return reject(in, INTAKE_BAD_TOPIC);
	switch (t.kind) {
	case TOPIC_TELEMETRY:
		rc = telemetry(in, e, lim, &t, payload, len, now_ms);
		break;
	case TOPIC_EVENT:
		rc = event(in, e, lim, &t, payload, len, now_ms);
		break;
	case TOPIC_STATUS:
		rc = status(in, e, lim, &t, payload, len, now_ms);
		break;
	case TOPIC_WO:
		rc = work_order(in, e, lim, &t, payload, len, now_ms);
		break;
	case TOPIC_OPS:
		rc = command(in, e, lim, &t, payload, len, now_ms, reply);
		break;
	case TOPIC_SYS:
		rc = sys_stats(in, e, lim, &t, payload, len, now_ms);
		break;
	default:
		return reject(in, INTAKE_UNEXPECTED);
	}
	in->c.accepted += rc == 0;
	return rc;
}
