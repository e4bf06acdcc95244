/* instance.c — the decision of one (plan, device) at one instant: which
 * occurrence to request (the calendar through due.c, the meter through
 * meter.c, whichever comes first), its idempotency key, and the overdue
 * notice and escalation of the last request, each once per key. Pure: the
 * caller publishes, then records what it did with sched_requested and
 * sched_noticed, so a failed publish is simply decided again next tick. */
#include "schedd/instance.h"

#include <stdio.h>
#include <string.h>

static const char *
key_part(const struct sched_inst *in)
{
	return in->device[0] ? in->device : in->site; /* site-level: the site */
}

/* The last completion schedd may count from: its own, else the
 * configuration's last_done (that date's local midnight). */
static int
last_done(const struct sched_plan *p, const struct sched_inst *in, long long *ms)
{
	struct tu_civil c;

	if (in->has_last_done) {
		*ms = in->last_done_ms;
		return 1;
	}
	if (!p->has_last_done)
		return 0;
	memset(&c, 0, sizeof c);
	c.year = p->last_done.year;
	c.month = p->last_done.month;
	c.day = p->last_done.day;
	return tu_local_to_utc(in->zone, &c, ms) != TU_LOCAL_INVALID;
}

/* The calendar's view of the history: the last request, when its key is an
 * occurrence of the calendar (a meter-fired request is not). */
static void
history(const struct sched_plan *p, const struct sched_inst *in, struct due_history *h)
{
	memset(h, 0, sizeof *h);
	h->has_last_done = last_done(p, in, &h->last_done_ms);
	if (!in->last_key[0])
		return;
	if (due_unit_sub_day(p->due.unit))
		h->has_last_requested =
			due_key_instant(in->last_key, in->zone, &h->last_requested_ms) == 0;
	else
		h->has_last_requested = due_key_date(in->last_key, &h->last_requested) == 0;
}

static int
calendar_key(const struct sched_plan *p, const struct sched_inst *in, const struct due_result *r,
	     char *key, size_t cap)
{
	if (due_unit_sub_day(p->due.unit))
		return due_key_time(key, cap, p->id, key_part(in), in->zone, r->due_ms);
	return due_key(key, cap, p->id, key_part(in), &r->date);
}

/* A meter-fired occurrence is known by the completion it counts from, so a
 * request republished after a crash carries the same key. */
static int
meter_key(const struct sched_plan *p, const struct sched_inst *in, int has_done, long long done_ms,
	  char *key, size_t cap)
{
	int n = snprintf(key, cap, "%s:%s:meter-%lld", p->id, key_part(in), has_done ? done_ms : 0);

	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* The item sets an occurrence due at due_ms carries: those with a cycle
 * date in (the previous occurrence or completion, due_ms]; every set on
 * the first occurrence of a plan with no known history. */
static unsigned
due_sets(const struct sched_plan *p, const struct sched_inst *in, long long due_ms)
{
	struct due_history h;
	struct due_result r;
	long long done_ms = 0;
	unsigned mask = 0;

	memset(&h, 0, sizeof h);
	h.has_last_done = last_done(p, in, &done_ms) || in->last_key[0];
	h.last_done_ms = in->last_key[0] && in->req_due_ms > done_ms ? in->req_due_ms : done_ms;
	for (int i = 0; i < p->n_sets; i++)
		if (!h.has_last_done ||
		    (due_next(&p->sets[i].grid, in->zone, &h, due_ms, &r) == 0 &&
		     r.state == DUE_READY))
			mask |= 1u << i;
	return mask;
}

void
sched_inst_init(struct sched_inst *in, const struct sched_plan *p)
{
	in->has_last_done = 0;
	in->last_done_ms = 0;
	in->last_key[0] = in->overdue_key[0] = in->escalated_key[0] = '\0';
	in->last_requested_ms = in->req_due_ms = in->req_missed = in->next_due_ms = 0;
	meter_state_init(&in->meter);
	if (p->has_meter && p->has_last_done)
		in->meter.done_at_next = 1; /* the first reading is the meter at that completion */
	in->dirty = in->meter_dirty = 0;
}

static int
notices(const struct sched_plan *p, const struct sched_inst *in, int outstanding, long long now_ms,
	struct sched_action *a)
{
	long long overdue_at = in->req_due_ms + p->overdue_after_ms;

	if (!outstanding || now_ms < overdue_at)
		return 0;
	memcpy(a->key, in->last_key, sizeof a->key);
	a->due_ms = in->req_due_ms;
	a->missed = in->req_missed;
	if (strcmp(in->overdue_key, in->last_key) != 0) {
		a->what = SCHED_OVERDUE;
		return 0;
	}
	if (p->statutory && p->escalate.n > 0 && now_ms >= overdue_at + p->escalate_after_ms &&
	    strcmp(in->escalated_key, in->last_key) != 0)
		a->what = SCHED_ESCALATE;
	return 0;
}

int
sched_eval(const struct sched_plan *p, const struct sched_inst *in, long long now_ms,
	   struct sched_action *a)
{
	struct due_history h;
	struct due_result r;
	long long done_ms = 0;
	int has_done = last_done(p, in, &done_ms), cal_ready = 0, outstanding;
	enum meter_fire fire;

	memset(a, 0, sizeof *a);
	memset(&r, 0, sizeof r);
	if (p->has_calendar) {
		history(p, in, &h);
		if (due_next(&p->due, in->zone, &h, now_ms, &r) != 0)
			return -1;
		cal_ready = r.state == DUE_READY;
		if (r.state != DUE_REQUESTED)
			a->next_due_ms = r.due_ms;
	}
	outstanding = in->last_key[0] && (!has_done || done_ms < in->last_requested_ms);
	if (p->has_meter)
		fire = meter_first(cal_ready, &in->meter, p->meter_every, outstanding);
	else
		fire = cal_ready ? METER_FIRE_CALENDAR : METER_FIRE_NONE;
	if (fire == METER_FIRE_METER) {
		if (meter_key(p, in, has_done, done_ms, a->key, sizeof a->key) != 0)
			return -1;
		a->due_ms = now_ms;
	} else if (fire != METER_FIRE_NONE) {
		if (calendar_key(p, in, &r, a->key, sizeof a->key) < 0)
			return -1;
		a->due_ms = r.due_ms;
		a->missed = r.missed;
	}
	if (fire != METER_FIRE_NONE && strcmp(a->key, in->last_key) != 0) {
		a->what = SCHED_REQUEST;
		a->why = fire;
		a->sets = due_sets(p, in, a->due_ms);
		return 0;
	}
	a->key[0] = '\0';
	a->missed = 0;
	return notices(p, in, outstanding, now_ms, a);
}

void
sched_requested(struct sched_inst *in, const struct sched_action *a, long long now_ms)
{
	memcpy(in->last_key, a->key, sizeof in->last_key);
	in->last_requested_ms = now_ms;
	in->req_due_ms = a->due_ms;
	in->req_missed = a->missed;
	in->dirty = 1;
}

void
sched_noticed(struct sched_inst *in, const struct sched_action *a)
{
	if (a->what == SCHED_OVERDUE)
		memcpy(in->overdue_key, a->key, sizeof in->overdue_key);
	else if (a->what == SCHED_ESCALATE)
		memcpy(in->escalated_key, a->key, sizeof in->escalated_key);
	in->dirty = 1;
}

int
sched_completed(const struct sched_plan *p, struct sched_inst *in, long long completed_ms)
{
	if (in->has_last_done && completed_ms <= in->last_done_ms)
		return 0; /* a retained work order seen again, or an older one */
	in->has_last_done = 1;
	in->last_done_ms = completed_ms;
	if (p->has_meter) {
		meter_mark_done(&in->meter);
		in->meter_dirty = 1;
	}
	in->dirty = 1;
	return 1;
}

enum meter_verdict
sched_meter_reading(const struct sched_plan *p, struct sched_inst *in, double v, long long ts_ms)
{
	enum meter_verdict r = meter_feed(&p->meter, &in->meter, v, ts_ms);

	if (r == METER_COUNTED || r == METER_REBASED)
		in->meter_dirty = 1;
	return r;
}

int
sched_state_done(const char *wo_state)
{
	return strcmp(wo_state, "completed") == 0 || strcmp(wo_state, "followed_up") == 0 ||
	       strcmp(wo_state, "closed") == 0;
}

const char *
sched_title(const struct sched_plan *p, unsigned mask, char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, "%s", p->name);

	for (int i = 0; i < p->n_sets && n < cap; i++)
		if (mask & (1u << i))
			n += (size_t)snprintf(buf + n, cap - n, "%s%s",
					      n > strlen(p->name) ? ", " : " (+ ", p->sets[i].name);
	if (n > strlen(p->name) && n < cap)
		snprintf(buf + n, cap - n, ")");
	return buf;
}
