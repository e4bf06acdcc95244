/* clocks.c — what time does to open orders: dispatch of those waiting for
 * someone (new, declined, reopened), the next candidate when the acceptance
 * window passes, breaches recorded once each, escalation steps along
 * sla.yaml's chain, and the follow-up deadline flagged. The decisions are
 * the pure core's (assign.h, sla.h, wo_fsm.h); this file carries them out. */
#include "dispatchd/assign.h"
#include "dispatchd/main_int.h"
#include "dispatchd/store.h"
#include "log.h"
#include "rules_conf.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

int
dispd_tell(struct dispd *g, const struct dorder *o, const struct cfg_strlist *targets,
	   enum msg_notify_kind kind, const char *message, long long now_ms)
{
	char who[SLA_MAX_NOTIFY][REG_ID_SIZE];
	char *names[SLA_MAX_NOTIFY];
	struct cfg_strlist rest = {names, NULL, 0};
	int told = 0, n;

	for (size_t i = 0; i < targets->n && rest.n < SLA_MAX_NOTIFY; i++) {
		if (strcmp(targets->v[i], SLA_TARGET_ASSIGNEE) != 0)
			names[rest.n++] = targets->v[i];
		else if (o->w.assignee[0]) {
			out_notify(g, o->site, o->w.assignee, kind, o->device, message, NULL, NULL,
				   now_ms);
			told++;
		}
	}
	n = rest.n ? who_resolve(&g->who, o->site, &rest, now_ms, who, SLA_MAX_NOTIFY, NULL) : 0;
	for (int i = 0; i < n; i++)
		out_notify(g, o->site, who[i], kind, o->device, message, NULL, NULL, now_ms);
	return told + (n > 0 ? n : 0);
}

int
dispd_tell_role(struct dispd *g, const struct dorder *o, const char *role,
		enum msg_notify_kind kind, const char *message, long long now_ms)
{
	char *v[1] = {(char *)role};
	struct cfg_strlist l = {v, NULL, 1};

	return dispd_tell(g, o, &l, kind, message, now_ms);
}

/* One level up the chain: the level is stored, then the step's people are
 * told (the next step's when nobody of this one can be reached). */
static int
escalate(struct dispd *g, struct dorder *o, const char *why, long long now_ms)
{
	struct wo_input in = {.ev = WO_EV_ESCALATE, .actor = "dispatchd", .roles = WO_ROLE_SYSTEM};
	char msg[768], detail[128];
	int rc, told = 0;

	snprintf(detail, sizeof detail, "{\"why\":\"%s\"}", why);
	rc = dispd_change(g, o, &in, now_ms, detail);
	if (rc != WO_OK)
		return rc < 0 ? -1 : 0;
	g->c.escalations++;
	snprintf(msg, sizeof msg, "escalation %d: work order %s (%s) %s: %s", o->w.escalation_level,
		 o->wo_id, wo_state_name(o->w.state), o->title, why);
	for (int s = o->w.escalation_level - 1; s < g->sla.n_esc && !told; s++)
		told = dispd_tell(g, o, &g->sla.esc[s < 0 ? 0 : s].notify, MSG_NOTIFY_ESCALATION,
				  msg, now_ms);
	log_warn("escalated", "wo_id=%s level=%d why=%s told=%d", o->wo_id, o->w.escalation_level,
		 why, told);
	return 0;
}

/* Loads of every person from the open orders (sla.yaml weights). */
static size_t
loads(struct dispd *g, struct assign_load *l, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n_orders; i++) {
		const struct dorder *o = &g->orders[i];
		size_t k;

		if (!o->w.assignee[0] || wo_finished(&o->w))
			continue;
		for (k = 0; k < n && strcmp(l[k].person, o->w.assignee) != 0; k++)
			;
		if (k == n) {
			if (n == cap)
				continue;
			l[n++] = (struct assign_load){o->w.assignee, 0, 0};
		}
		l[k].open++;
		l[k].weighted += g->sla.load_weight[o->w.urgency];
	}
	return n;
}

int
dispd_dispatch(struct dispd *g, struct dorder *o, long long now_ms)
{
	static struct assign_load l[1024];
	struct assign_ctx ctx = {&g->who, g->sla.emergency_team, &g->sla.dispatch_roles, l, 0};
	struct assign_request req = {o->site, o->skill, o->area, o->w.urgency == 0, &o->w};
	struct wo_input in = {.ev = WO_EV_DISPATCH, .actor = "dispatchd", .roles = WO_ROLE_SYSTEM};
	struct assign_result res;
	enum wo_state before = o->w.state;
	char msg[640];
	unsigned rot = 0;
	int rc;

	ctx.n_loads = loads(g, l, sizeof l / sizeof l[0]);
	if (store_rotation(g->db, o->site, &rot) != 0)
		return -1;
	if (assign_pick(&ctx, &req, now_ms, &rot, &res) != ASSIGN_OK) {
		o->retry_mono_ms = tu_mono_ms() + DISPD_NOBODY_RETRY_MS;
		log_warn("nobody", "wo_id=%s why=%s", o->wo_id, assign_why_name(res.why));
		/* once per wait (a dispatch, or the order's start) */
		if (o->nobody_mark == o->w.dispatched_ms + o->w.start_ms)
			return 0;
		o->nobody_mark = o->w.dispatched_ms + o->w.start_ms;
		return escalate(g, o, "nobody available", now_ms);
	}
	in.person = res.person;
	g->rot_site = o->site;
	g->rot_value = rot;
	rc = dispd_change(g, o, &in, now_ms, NULL);
	g->rot_site = NULL;
	if (rc != WO_OK)
		return rc < 0 ? -1 : 0;
	if (before == WO_DISPATCHED)
		g->c.redispatched++;
	g->c.dispatched++;
	snprintf(msg, sizeof msg, "assignment: work order %s (%s, %s) %s", o->wo_id,
		 rcf_wo_categories[o->w.category], o->w.urgency == 0 ? "emergency" : "ordinary",
		 o->title);
	out_notify(g, o->site, o->w.assignee, MSG_NOTIFY_INFO, o->device, msg, NULL, NULL, now_ms);
	return 0;
}

/* Records newly breached clocks (and the follow-up flag) once each. */
static int
breach(struct dispd *g, struct dorder *o, unsigned newly, long long now_ms)
{
	struct dorder keep = *o;
	char detail[256];
	size_t len = 0;

	len += (size_t)snprintf(detail, sizeof detail, "{\"breached\":[");
	for (int i = 0; i < SLA_N_ALL; i++)
		if (newly & (1u << i))
			len += (size_t)snprintf(detail + len, sizeof detail - len, "%s\"%s\"",
						len > 14 ? "," : "", sla_name(i));
	snprintf(detail + len, sizeof detail - len, "]}");
	o->w.breached |= newly;
	if (newly & (1u << SLA_FOLLOWUP))
		o->followup_overdue = 1;
	if (dispd_note(g, o, now_ms, detail) < 0) {
		*o = keep;
		return -1;
	}
	g->c.breaches++;
	if (newly & (1u << SLA_FOLLOWUP))
		g->c.followup_overdue++;
	log_warn("breached", "wo_id=%s clocks=%s", o->wo_id, detail);
	return 0;
}

static void
order_clocks(struct dispd *g, struct dorder *o, long long now_ms)
{
	struct sla_policy p;
	struct sla_status st;
	enum wo_state s = o->w.state;

	if (s == WO_FOLLOWED_UP) {
		struct wo_input close = {
			.ev = WO_EV_CLOSE, .actor = "dispatchd", .roles = WO_ROLE_SYSTEM};

		if (dispd_change(g, o, &close, now_ms, NULL) == WO_OK) {
			g->c.closed++;
			dispd_drop(g, o);
		}
		return;
	}
	if ((s == WO_REGISTERED || s == WO_DECLINED || s == WO_REOPENED) &&
	    tu_mono_ms() >= o->retry_mono_ms && dispd_dispatch(g, o, now_ms) < 0)
		return;
	sla_policy_for(&p, &g->sla, o->w.category, o->w.urgency, o->w.grade);
	sla_check(&o->w, &p, dispd_zone(g, o->site), now_ms, &st);
	if (st.newly && breach(g, o, st.newly, now_ms) < 0)
		return;
	if (st.escalation_due > o->w.escalation_level &&
	    escalate(g, o, "service level breached", now_ms) < 0)
		return;
	if (o->w.state == WO_DISPATCHED && st.redispatch_ms != SLA_NONE &&
	    now_ms >= st.redispatch_ms && tu_mono_ms() >= o->retry_mono_ms)
		dispd_dispatch(g, o, now_ms);
}

void
dispd_clocks(struct dispd *g, long long now_ms)
{
	if (tu_mono_ms() < g->db_retry_mono_ms)
		return; /* the database is away: nothing can be recorded */
	/* backwards: a closed order is dropped by moving the last one in */
	for (size_t i = g->n_orders; i-- > 0;)
		order_clocks(g, &g->orders[i], now_ms);
}
