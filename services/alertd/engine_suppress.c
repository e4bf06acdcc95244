/* engine_suppress.c — alarms the supply graph explains. While the
 * distribution room's mains are lost, the pumps it feeds run without
 * current: those alarms are recorded (suppressed_by = the cause's alarm id)
 * but nobody is paged and no work order opens. Two races make this more
 * than a lookup:
 *  - the cause is slower than its effects: mains_lost has a 60 s raise_for,
 *    pump_no_current 30 s. A dependent alarm raised while an upstream supply
 *    rule's condition already holds is held quiet as "pending:<device>"; it
 *    takes the cause's id when the cause is raised, and becomes news at the
 *    next tick if the upstream condition goes away without raising.
 *  - the effects outlast the cause: when the mains return, pumps need a few
 *    seconds to draw current again. A dependent alarm stays explained for
 *    ENGINE_SUPPRESS_GRACE_MS after its cause clears, and is news only if it
 *    is still on then.
 * Discrete safety events (kind event: entrapment, fire, gas, flood) are
 * never suppressed; offline and no-data alarms explain nothing downstream. */
#include "alertd/engine_int.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define PENDING "pending:"

static int
suppressible(const struct slot *s)
{
	return s->r->kind != RCF_EVENT;
}

/* Whether an alarm can explain alarms downstream: a condition of the supply
 * itself (mains lost, a fault), not a device that merely stopped reporting. */
static int
can_cause(const struct slot *s)
{
	return engine_alarm_active(s) && s->r->kind != RCF_OFFLINE && s->r->kind != RCF_NO_DATA;
}

/* The active alarm upstream of d that explains an alarm on it, if any. */
static const char *
upstream_cause(const struct engine *e, const struct dev *d)
{
	for (int i = 0; i < d->n_up; i++) {
		const struct dev *u = &e->devs[d->up[i]];

		for (int k = 0; k < u->n_slots; k++)
			if (can_cause(&u->slots[k]))
				return u->slots[k].o->alarm_id;
	}
	return NULL;
}

/* The upstream device whose supply rule is about to raise: its condition
 * holds and its raise_for is running. NULL when none. */
static const char *
upstream_pending(const struct engine *e, const struct dev *d)
{
	for (int i = 0; i < d->n_up; i++) {
		const struct dev *u = &e->devs[d->up[i]];

		for (int k = 0; k < u->n_slots; k++) {
			struct slot *s = &u->slots[k];
			struct rule_state scratch;
			const struct rule_state *st;

			if (s->r->kind != RCF_THRESHOLD && s->r->kind != RCF_RATE)
				continue;
			st = slot_state(s, &scratch);
			if (!st->active && st->pending == RULE_PENDING_RAISE)
				return u->d->id;
		}
	}
	return NULL;
}

/* Whether the alarm id is an active cause upstream of d. */
static int
cause_active(const struct engine *e, const struct dev *d, const char *id)
{
	for (int i = 0; i < d->n_up; i++) {
		const struct dev *u = &e->devs[d->up[i]];

		for (int k = 0; k < u->n_slots; k++)
			if (can_cause(&u->slots[k]) && strcmp(u->slots[k].o->alarm_id, id) == 0)
				return 1;
	}
	return 0;
}

static void
explain(struct slot *s, const char *by)
{
	snprintf(s->o->suppressed_by, sizeof s->o->suppressed_by, "%s", by);
	s->o->unsuppress_at_ms = 0;
}

void
engine_suppress_fresh(struct engine *e, const struct dev *d, struct slot *s)
{
	const char *cause = suppressible(s) ? upstream_cause(e, d) : NULL;
	const char *pending = suppressible(s) && !cause ? upstream_pending(e, d) : NULL;
	char held[ALARM_ID_SIZE];

	s->o->suppressed_by[0] = '\0';
	s->o->unsuppress_at_ms = 0;
	if (pending) {
		snprintf(held, sizeof held, PENDING "%s", pending);
		cause = held;
	}
	if (cause) {
		explain(s, cause);
		e->st.suppressed++;
	}
}

/* The alarm is news now (if it is still on): told and its work order
 * requested by engine_emit. */
static void
unsuppress(struct engine *e, struct dev *d, struct slot *s, long long now_ms)
{
	if (!engine_alarm_active(s)) {
		/* it recovered while explained: it stays so, never news */
		s->o->unsuppress_at_ms = LLONG_MAX;
		return;
	}
	explain(s, "");
	if (s->o->expected)
		return; /* work under way still explains it */
	engine_emit(e, d, s, ALARM_T_UNSUPPRESSED, s->o->a.state == ALARM_ACTIVE_UNACKED, NULL,
		    NULL, now_ms);
}

void
engine_suppress_downstream(struct engine *e, struct dev *d, const struct slot *cause, int active,
			   long long now_ms)
{
	for (int i = 0; i < d->n_down; i++) {
		struct dev *t = &e->devs[d->down[i]];

		for (int k = 0; k < t->n_slots; k++) {
			struct slot *s = &t->slots[k];
			const char *by;

			if (!engine_alarm_open(s) || !suppressible(s))
				continue;
			by = s->o->suppressed_by;
			if (active && engine_alarm_active(s) &&
			    (!by[0] || strncmp(by, PENDING, strlen(PENDING)) == 0 ||
			     s->o->unsuppress_at_ms)) {
				/* newly explained, or the cause it was waiting for */
				if (!by[0])
					e->st.suppressed++;
				explain(s, cause->o->alarm_id);
				engine_emit(e, t, s, ALARM_T_SUPPRESSED, 0, NULL, NULL, now_ms);
			} else if (!active && strcmp(by, cause->o->alarm_id) == 0) {
				const char *other = upstream_cause(e, t);

				if (other)
					explain(s, other);
				else
					s->o->unsuppress_at_ms = now_ms + ENGINE_SUPPRESS_GRACE_MS;
			}
		}
	}
}

void
engine_suppress_review(struct engine *e, struct dev *d, struct slot *s, long long now_ms)
{
	const char *by, *other;

	if (!engine_alarm_open(s) || !s->o->suppressed_by[0])
		return;
	by = s->o->suppressed_by;
	if (strncmp(by, PENDING, strlen(PENDING)) == 0) {
		if ((other = upstream_cause(e, d)) != NULL) {
			explain(s, other);
			engine_emit(e, d, s, ALARM_T_SUPPRESSED, 0, NULL, NULL, now_ms);
		} else if (!upstream_pending(e, d)) {
			unsuppress(e, d, s, now_ms); /* the cause never came */
		}
		return;
	}
	if (s->o->unsuppress_at_ms == 0) {
		/* restored after a restart, or its cause closed unseen: grace from now */
		if (!cause_active(e, d, by))
			s->o->unsuppress_at_ms = now_ms + ENGINE_SUPPRESS_GRACE_MS;
		return;
	}
	if (now_ms < s->o->unsuppress_at_ms)
		return;
	if ((other = upstream_cause(e, d)) != NULL)
		explain(s, other);
	else
		unsuppress(e, d, s, now_ms);
}
