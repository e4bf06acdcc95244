/* intake.c — what reaches dispatchd over MQTT: work-order requests from
 * alertd and schedd (one order per idempotency key, however often retried),
 * and people's commands on ops/{person}/{verb}: customer service's repair
 * requests and follow-ups, technicians' progress. Who acts is the topic's
 * person; a refused command is answered on their notify topic with the
 * reason. Returns -1 only when PostgreSQL did not take a change: the
 * message is then left unacknowledged and comes again. */
#include "db.h"
#include "dispatchd/main_int.h"
#include "dispatchd/store.h"
#include "log.h"
#include "mqtt.h"
#include "msg_wo.h"
#include "rules_conf.h"
#include "timeutil.h"
#include "topic.h"

#include <stdio.h>
#include <string.h>

static void
reject(struct dispd *g, const struct topic *t, const char *reason, long long now_ms)
{
	static struct log_limit lim = LOG_LIMIT(2000);

	g->c.rejected++;
	log_limited(&lim, LOG_WARN, "rejected", "site=%s person=%s verb=%s reason=%s", t->site,
		    t->person, topic_verb_name(t->verb), reason);
	out_notify(g, t->site, t->person, MSG_NOTIFY_REJECTED, NULL, NULL, topic_verb_name(t->verb),
		   reason, now_ms);
}

static void
accepted(struct dispd *g, const struct topic *t, const struct dorder *o, long long now_ms)
{
	char msg[256];

	snprintf(msg, sizeof msg, "work order %s is %s", o->wo_id, wo_state_name(o->w.state));
	out_notify(g, t->site, t->person, MSG_NOTIFY_ACCEPTED, o->device, msg,
		   topic_verb_name(t->verb), NULL, now_ms);
}

/* A new order: repeat-repair link, row and 'created' event, memory, the
 * first dispatch. *dup when its key opened one already. */
static int
open_order(struct dispd *g, struct dorder *o, const struct store_new *n, const char *assignee,
	   long long now_ms, int *dup)
{
	char msg[512], detail[128];
	const struct reg_device *dev = o->device[0] ? reg_device_find(&g->reg, o->device) : NULL;
	struct dorder *k;
	int rc;

	*dup = 0;
	for (size_t i = 0; o->key[0] && i < g->n_orders; i++)
		if (strcmp(g->orders[i].key, o->key) == 0)
			return *dup = 1, 0;
	if (dev)
		snprintf(o->area, sizeof o->area, "%s", dev->area);
	snprintf(o->wo_id, sizeof o->wo_id, "WO-%lld-%u", now_ms, g->seq++ % 1000);
	if (!db_connected(g->db) && db_connect(g->db) != DB_OK)
		return -1;
	if (o->device[0] &&
	    store_repeat_of(g->db, o->device, rcf_wo_categories[o->w.category],
			    now_ms - g->sla.repeat_window_ms, o->wo_id, o->repeat_of) != DB_OK)
		return -1;
	rc = store_insert(g->db, o, n, dup);
	if (rc != DB_OK) {
		g->c.db_errors++;
		log_warn("order_not_written", "key=%s error=\"%s\"", o->key, db_error(g->db));
		return -1;
	}
	if (*dup)
		return 0;
	k = dispd_add(g, o);
	if (!k)
		return 0; /* on record: the next start takes it up */
	g->c.opened++;
	log_info("opened", "wo_id=%s site=%s device=%s kind=%s priority=%s key=%s", k->wo_id,
		 k->site, k->device[0] ? k->device : "-", rcf_wo_categories[k->w.category],
		 rcf_wo_urgencies[k->w.urgency], k->key[0] ? k->key : "-");
	out_order(g, k, now_ms);
	if (k->repeat_of[0]) {
		g->c.repeats++;
		snprintf(detail, sizeof detail, "{\"repeat_of\":\"%s\"}", k->repeat_of);
		dispd_note(g, k, now_ms, detail);
		snprintf(msg, sizeof msg, "repeat repair: work order %s on %s repeats %s", k->wo_id,
			 k->device, k->repeat_of);
		dispd_tell_role(g, k, "supervisor", MSG_NOTIFY_INFO, msg, now_ms);
	}
	if (assignee && assignee[0]) {
		struct wo_input in = {.ev = WO_EV_DISPATCH,
				      .actor = "dispatchd",
				      .roles = WO_ROLE_SYSTEM,
				      .person = assignee};
		if (dispd_change(g, k, &in, now_ms, NULL) == WO_OK)
			return 0;
	}
	dispd_dispatch(g, k, now_ms); /* a failure leaves it registered: the clocks retry */
	return 0;
}

int
intake_request(struct dispd *g, const struct topic *t, const struct mq_msg *m, long long now_ms)
{
	static struct msg_wo_request r;
	static struct dorder o;
	struct store_new n = {0};
	enum msg_reason why;
	int dup;

	g->c.requests++;
	why = msg_decode_wo_request(m->payload, m->len, &g->lim, t->site, &r);
	if (why != MSG_OK || !reg_site_find(&g->reg, t->site)) {
		g->c.bad_messages++;
		log_warn("bad_request", "site=%s reason=%s", t->site,
			 why != MSG_OK ? msg_reason_name(why) : "unknown_site");
		return 0;
	}
	memset(&o, 0, sizeof o);
	wo_init(&o.w, (int)r.kind, (int)r.priority, -1, now_ms, r.sla_start_ms);
	snprintf(o.site, sizeof o.site, "%s", t->site);
	snprintf(o.device, sizeof o.device, "%s", r.device);
	snprintf(o.skill, sizeof o.skill, "%s", r.skill);
	snprintf(o.title, sizeof o.title, "%s", r.title);
	snprintf(o.source, sizeof o.source, "%s", msg_wo_source_name(r.source));
	snprintf(o.key, sizeof o.key, "%s", r.idempotency_key);
	snprintf(o.alarm_id, sizeof o.alarm_id, "%s", r.alarm_id);
	snprintf(o.plan_id, sizeof o.plan_id, "%s", r.plan_id);
	n.due_at_ms = r.has_due_at ? r.due_at_ms : 0;
	n.missed = r.has_missed ? r.missed : 0;
	n.reporter = msg_wo_source_name(r.source);
	if (open_order(g, &o, &n, r.assignee, now_ms, &dup) < 0)
		return -1;
	if (dup) {
		g->c.duplicates++;
		log_info("duplicate", "key=%s", r.idempotency_key);
	}
	return 0;
}

static int
on_request(struct dispd *g, const struct topic *t, const struct mq_msg *m, long long now_ms)
{
	static struct msg_repair_request r;
	static struct dorder o;
	struct store_new n = {0};
	int why, dup;

	if (!who_has_role(&g->who, t->person, "customer_service"))
		return reject(g, t, "not_permitted", now_ms), 0;
	why = msg_decode_repair_request(m->payload, m->len, &g->lim, &r);
	if (why != MSG_OK)
		return reject(g, t, msg_wo_reason_name(why), now_ms), 0;
	memset(&o, 0, sizeof o);
	wo_init(&o.w, (int)r.category, (int)r.urgency, r.grade, now_ms, 0);
	snprintf(o.site, sizeof o.site, "%s", t->site);
	snprintf(o.device, sizeof o.device, "%s", r.device);
	snprintf(o.skill, sizeof o.skill, "%s", r.skill);
	snprintf(o.title, sizeof o.title, "%s", r.location[0] ? r.location : r.device);
	snprintf(o.source, sizeof o.source, "ops");
	snprintf(o.key, sizeof o.key, "%s", r.request_id);
	n.description = r.description;
	n.reporter = r.contact;
	if (open_order(g, &o, &n, NULL, now_ms, &dup) < 0)
		return -1;
	if (!dup) {
		struct dorder *k = dispd_find(g, o.wo_id);

		if (k)
			accepted(g, t, k, now_ms);
	}
	return 0;
}

static const enum wo_event action_event[MSG_WO_ACTION_COUNT] = {
	WO_EV_ACCEPT, WO_EV_DECLINE, WO_EV_ARRIVE,  WO_EV_START,
	WO_EV_PAUSE,  WO_EV_RESUME,  WO_EV_COMPLETE};

static unsigned
roles_of(struct dispd *g, const char *person)
{
	return (who_has_role(&g->who, person, "supervisor") ? WO_ROLE_SUPERVISOR : 0) |
	       (who_has_role(&g->who, person, "customer_service") ? WO_ROLE_CUSTOMER_SERVICE : 0);
}

/* A person's event on the open order wo_id of their site: the change, or
 * the refusal answered. Returns 1 when carried out (*out the order), 0 when
 * refused, -1 when the database did not take it. */
static int
act(struct dispd *g, const struct topic *t, const char *wo_id, struct wo_input *in,
    const char *detail_json, long long now_ms, struct dorder **out)
{
	struct dorder *o = dispd_find(g, wo_id);
	int rc;

	if (!o || strcmp(o->site, t->site) != 0)
		return reject(g, t, "unknown_wo", now_ms), 0;
	in->actor = t->person;
	in->roles = roles_of(g, t->person);
	rc = dispd_change(g, o, in, now_ms, detail_json);
	if (rc < 0)
		return -1;
	if (rc != WO_OK)
		return reject(g, t, wo_rc_name((enum wo_rc)rc), now_ms), 0;
	accepted(g, t, o, now_ms);
	*out = o;
	return 1;
}

static int
on_wo(struct dispd *g, const struct topic *t, const struct mq_msg *m, long long now_ms)
{
	static struct msg_wo_command c;
	struct wo_input in = {0};
	struct dorder *o = NULL;
	int rc, why = msg_decode_wo_command(m->payload, m->len, &g->lim, &c);

	if (why != MSG_OK)
		return reject(g, t, msg_wo_reason_name(why), now_ms), 0;
	in.ev = action_event[c.action];
	in.reason = c.reason[0] ? c.reason : NULL;
	rc = act(g, t, c.wo_id, &in, c.detail_json, now_ms, &o);
	if (rc <= 0)
		return rc;
	g->c.commands++;
	if (c.action == MSG_WO_DECLINE)
		dispd_dispatch(g, o, now_ms);
	return 0;
}

static int
on_followup(struct dispd *g, const struct topic *t, const struct mq_msg *m, long long now_ms)
{
	static struct msg_followup f;
	struct wo_input in = {.ev = WO_EV_FOLLOWUP};
	struct wo_input close = {.ev = WO_EV_CLOSE, .actor = "dispatchd", .roles = WO_ROLE_SYSTEM};
	char msg[512];
	struct dorder *o = NULL;
	int rc, why = msg_decode_followup(m->payload, m->len, &g->lim, &f);

	if (why != MSG_OK)
		return reject(g, t, msg_wo_reason_name(why), now_ms), 0;
	in.score = f.score;
	in.reopen_score_max = g->sla.reopen_score_max;
	rc = act(g, t, f.wo_id, &in, f.detail_json, now_ms, &o);
	if (rc <= 0)
		return rc;
	g->c.followups++;
	if (o->w.state == WO_REOPENED) {
		g->c.reopened++;
		snprintf(msg, sizeof msg,
			 "unsatisfied follow-up (score %d): work order %s reopened", f.score,
			 o->wo_id);
		dispd_tell_role(g, o, "supervisor", MSG_NOTIFY_ESCALATION, msg, now_ms);
		return 0;
	}
	/* A failed close is not the person's: the order stays followed up and
	 * the clocks close it (clocks.c). */
	if (dispd_change(g, o, &close, now_ms, NULL) == WO_OK) {
		g->c.closed++;
		dispd_drop(g, o);
	}
	return 0;
}

int
intake_ops(struct dispd *g, const struct topic *t, const struct mq_msg *m, long long now_ms)
{
	switch (t->verb) {
	case TOPIC_VERB_REQUEST:
		return on_request(g, t, m, now_ms);
	case TOPIC_VERB_WO:
		return on_wo(g, t, m, now_ms);
	case TOPIC_VERB_FOLLOWUP:
		if (!who_has_role(&g->who, t->person, "customer_service"))
			return reject(g, t, "not_permitted", now_ms), 0;
		return on_followup(g, t, m, now_ms);
	default:
		return 0; /* ack and shelve are alertd's */
	}
}
