/* engine_alarm.c — what happens to a slot's alarm: a rule's verdict raises or
 * clears it through the lifecycle (alarm.c), each transition becomes a
 * record for the sink, and people are told along the rule's notify list and
 * escalation chain. An alarm explained by an alarm upstream in the supply
 * graph (suppressed_by: engine_suppress.c) or by work under way on its
 * device (expected) is recorded but neither notified nor escalated. */
#include "alertd/engine_int.h"
#include "who.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TARGETS 64

int
engine_alarm_open(const struct slot *s)
{
	return s->o && s->o->a.state != ALARM_CLOSED;
}

int
engine_alarm_active(const struct slot *s)
{
	return s->o &&
	       (s->o->a.state == ALARM_ACTIVE_UNACKED || s->o->a.state == ALARM_ACTIVE_ACKED);
}

static int
quiet(const struct slot *s)
{
	return s->o->suppressed_by[0] || s->o->expected;
}

void
engine_rec(const struct engine *e, const struct dev *d, const struct slot *s,
	   enum alarm_transition t, long long now_ms, struct alarm_rec *rec)
{
	(void)e;
	memset(rec, 0, sizeof *rec);
	rec->version = ALARM_REC_VERSION;
	snprintf(rec->alarm_id, sizeof rec->alarm_id, "%s", s->o->alarm_id);
	snprintf(rec->site, sizeof rec->site, "%s", d->d->site);
	snprintf(rec->device, sizeof rec->device, "%s", d->d->id);
	snprintf(rec->rule, sizeof rec->rule, "%s", s->r->id);
	rec->severity = s->r->severity;
	rec->t = t;
	rec->ts_ms = now_ms;
	snprintf(rec->actor, sizeof rec->actor, "alertd");
	rec->a = s->o->a;
	rec->expected = s->o->expected;
	snprintf(rec->suppressed_by, sizeof rec->suppressed_by, "%s", s->o->suppressed_by);
	snprintf(rec->message, sizeof rec->message, "%s", s->o->message);
}

static void
tell(struct engine *e, const struct alarm_rec *rec, const struct cfg_strlist *targets,
     enum engine_notify_kind kind, long long now_ms)
{
	char who[MAX_TARGETS][REG_ID_SIZE];
	int fallback = 0;
	int n = who_resolve(e->who, rec->site, targets, now_ms, who, MAX_TARGETS, &fallback);

	for (int i = 0; i < n; i++) {
		e->sink.notify(e->sink.ctx, rec, who[i], kind);
		e->st.notifications++;
	}
}

/* Who hears of transition t: the rule's list; an escalation the step reached
 * (and a reminder everyone reached so far). */
static void
notify_for(struct engine *e, const struct slot *s, const struct alarm_rec *rec,
	   enum alarm_transition t, long long now_ms)
{
	const struct rcf_rule *r = s->r;
	int level = s->o->a.escalation_level;

	switch (t) {
	case ALARM_T_RAISED:
	case ALARM_T_UNSUPPRESSED:
		tell(e, rec, &r->notify, ENGINE_N_ALARM, now_ms);
		break;
	case ALARM_T_FLAPPING:
		tell(e, rec, &r->notify, ENGINE_N_FLAPPING, now_ms);
		break;
	case ALARM_T_ESCALATED:
		e->st.escalations++;
		if (level > 0 && level <= r->n_esc)
			tell(e, rec, &r->esc[level - 1].notify, ENGINE_N_ESCALATION, now_ms);
		break;
	case ALARM_T_REMINDED:
		e->st.reminders++;
		tell(e, rec, &r->notify, ENGINE_N_REMINDER, now_ms);
		for (int i = 0; i < level && i < r->n_esc; i++)
			tell(e, rec, &r->esc[i].notify, ENGINE_N_REMINDER, now_ms);
		break;
	default:
		break;
	}
}

void
engine_emit(struct engine *e, struct dev *d, struct slot *s, enum alarm_transition t, int notify,
	    const char *actor, const char *note, long long now_ms)
{
	struct alarm_rec rec;

	engine_rec(e, d, s, t, now_ms, &rec);
	if (actor)
		snprintf(rec.actor, sizeof rec.actor, "%s", actor);
	if (note)
		snprintf(rec.note, sizeof rec.note, "%s", note);
	e->sink.transition(e->sink.ctx, &rec);
	e->st.transitions++;
	if (notify && !quiet(s))
		notify_for(e, s, &rec, t, now_ms);
	if ((t == ALARM_T_RAISED || t == ALARM_T_UNSUPPRESSED) && engine_alarm_active(s) &&
	    s->r->wo.wanted && !s->o->wo_requested && !quiet(s)) {
		s->o->wo_requested = 1;
		e->sink.wo_request(e->sink.ctx, &rec, &s->r->wo);
		e->st.wo_requests++;
	}
}

/* "<raise time, ms in hex>-<FNV-1a of device and rule>": unique per (device,
 * rule) and raise, stable in the journal, a valid topic level. */
static void
new_alarm_id(const struct dev *d, struct slot *s, long long now_ms)
{
	unsigned h = 2166136261u;
	const char *parts[2] = {d->d->id, s->r->id};
	char prev[ALARM_ID_SIZE];

	for (int p = 0; p < 2; p++) {
		for (const unsigned char *c = (const unsigned char *)parts[p]; *c; c++)
			h = (h ^ *c) * 16777619u;
		h = (h ^ '/') * 16777619u;
	}
	snprintf(prev, sizeof prev, "%s", s->o->alarm_id);
	do
		snprintf(s->o->alarm_id, sizeof s->o->alarm_id, "%llx-%08x", now_ms++, h);
	while (strcmp(prev, s->o->alarm_id) == 0);
}

static void
render(const struct dev *d, struct slot *s, const struct rule_result *res)
{
	struct rcf_render_ctx c = {
		.device = d->d->id,
		.name = d->d->name,
		.site = d->d->site,
		.rule = s->r->name[0] ? s->r->name : s->r->id,
		.value = res->value,
		.threshold = res->threshold,
		.has_value = res->has_value,
		.has_threshold = res->has_threshold,
	};

	rcf_render(s->r->message, &c, s->o->message, sizeof s->o->message);
}

static void
publish_out(struct engine *e, struct dev *d, struct slot *s, const struct alarm_out *out,
	    const char *actor, const char *note, long long now_ms)
{
	for (int i = 0; i < out->n; i++)
		engine_emit(e, d, s, out->t[i], out->notify[i], actor, note, now_ms);
}

void
engine_verdict(struct engine *e, struct dev *d, struct slot *s, const struct rule_result *res,
	       long long now_ms)
{
	struct alarm_policy p;
	struct alarm_input in = {0};
	struct alarm_out out;
	int was_active = engine_alarm_active(s), fresh;

	if (res->verdict == RULE_CLEAR && !engine_alarm_open(s))
		return;
	if (!s->o) {
		s->o = calloc(1, sizeof *s->o);
		if (!s->o)
			return; /* counted nowhere better: the next verdict tries again */
	}
	alarm_policy_from_rule(&p, s->r);
	in.ev = res->verdict == RULE_RAISE ? ALARM_EV_RAISE : ALARM_EV_CLEAR;
	in.has_value = res->has_value;
	in.value = res->value;
	fresh = in.ev == ALARM_EV_RAISE && s->o->a.state == ALARM_CLOSED;
	if (fresh) {
		new_alarm_id(d, s, now_ms);
		s->o->wo_requested = 0;
		s->o->expected = d->working > 0;
		engine_suppress_fresh(e, d, s);
		e->st.expected += s->o->expected;
	}
	if (in.ev == ALARM_EV_RAISE)
		render(d, s, res);
	if (alarm_apply(&s->o->a, &p, &in, now_ms, &out) != ALARM_OK)
		return;
	publish_out(e, d, s, &out, NULL, NULL, now_ms);
	if (engine_alarm_active(s) != was_active && d->n_down > 0 && s->r->kind != RCF_OFFLINE &&
	    s->r->kind != RCF_NO_DATA)
		engine_suppress_downstream(e, d, s, engine_alarm_active(s), now_ms);
}

void
engine_alarm_tick(struct engine *e, struct dev *d, struct slot *s, long long now_ms)
{
	struct alarm_policy p;
	struct alarm_input in = {.ev = ALARM_EV_TICK};
	struct alarm_out out;

	engine_suppress_review(e, d, s, now_ms);
	if (!s->o->a.shelved_until_ms && (!engine_alarm_open(s) || quiet(s)))
		return;
	alarm_policy_from_rule(&p, s->r);
	if (now_ms < alarm_next_due(&s->o->a, &p))
		return;
	if (quiet(s) && !alarm_shelved(&s->o->a, now_ms) && s->o->a.shelved_until_ms) {
		/* the shelving ran out on an explained alarm: drop it quietly */
		s->o->a.shelved_until_ms = 0;
		s->o->a.shelved_by[0] = '\0';
		return;
	}
	if (alarm_apply(&s->o->a, &p, &in, now_ms, &out) == ALARM_OK)
		publish_out(e, d, s, &out, NULL, NULL, now_ms);
}

enum alarm_rc
engine_alarm_apply(struct engine *e, struct dev *d, struct slot *s, const struct alarm_input *in,
		   const char *note, long long now_ms)
{
	struct alarm_policy p;
	struct alarm_out out;
	enum alarm_rc rc;

	alarm_policy_from_rule(&p, s->r);
	rc = alarm_apply(&s->o->a, &p, in, now_ms, &out);
	if (rc == ALARM_OK)
		publish_out(e, d, s, &out, in->actor, note, now_ms);
	return rc;
}

void
engine_expected(struct engine *e, struct dev *d, int on, long long now_ms)
{
	for (int k = 0; k < d->n_slots; k++) {
		struct slot *s = &d->slots[k];

		if (!engine_alarm_open(s) || s->o->expected == on)
			continue;
		s->o->expected = on;
		e->st.expected += on;
		engine_emit(e, d, s, on ? ALARM_T_SUPPRESSED : ALARM_T_UNSUPPRESSED,
			    !on && s->o->a.state == ALARM_ACTIVE_UNACKED, NULL, NULL, now_ms);
	}
}
