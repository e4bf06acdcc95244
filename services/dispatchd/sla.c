/* sla.c — SLA clocks from the stored numbers of an order: due instants, pause
 * accounting for the resolve clock, breaches, escalation steps, the
 * acceptance window of a dispatch, and the follow-up deadline in working
 * time of the site's zone. Pure: the caller records breaches (o->breached),
 * escalates through wo_apply and sets its timer to next_ms. */
#include "dispatchd/sla.h"

#include <string.h>

#define MIN_MS 60000LL
/* A working day comes at least once a week; past this many days with none
 * the calendar has no working time. */
#define MAX_SCAN_DAYS 4000

void
sla_policy_for(struct sla_policy *p, const struct sla_conf *c, int category, int urgency, int grade)
{
	const struct sla_clocks *k = sla_clocks_for(c, category, urgency);

	memset(p, 0, sizeof *p);
	if (!k)
		return;
	for (int i = 0; i < SLA_N_CLOCKS; i++)
		p->clock_ms[i] = k->ms[i];
	if (grade >= 0 && grade < SLA_N_GRADES)
		p->clock_ms[SLA_REPLY] = c->reply_ms[grade];
	p->followup_days = c->followup_days;
	p->work = c->work;
	p->n_esc = c->n_esc;
	for (int i = 0; i < c->n_esc; i++)
		p->esc_ms[i] = c->esc[i].after_ms;
}

const char *
sla_name(int clock)
{
	static const char *const n[SLA_N_ALL] = {"acknowledge", "accept", "on_site",
						 "resolve",     "reply",  "followup"};

	return clock >= 0 && clock < SLA_N_ALL ? n[clock] : "?";
}

/* The UTC instant of local minute `min` (0..1440) of local day `day`. */
static int
local_instant(const struct tu_zone *z, long long day, int min, long long *out)
{
	struct tu_civil c;

	memset(&c, 0, sizeof c);
	if (min >= 1440) {
		day++;
		min -= 1440;
	}
	if (tu_civil_from_days(day, &c.year, &c.month, &c.day) < 0)
		return -1;
	c.hour = min / 60;
	c.min = min % 60;
	return tu_local_to_utc(z, &c, out) == TU_LOCAL_INVALID ? -1 : 0;
}

long long
sla_add_working(const struct tu_zone *z, const struct sla_worktime *w, long long from_ms,
		long long minutes)
{
	long long left = minutes * MIN_MS, day;
	struct tu_civil c;

	if (minutes <= 0)
		return from_ms;
	if (!(w->day_mask & 0x7f) || w->end_min <= w->start_min ||
	    tu_utc_to_local(z, from_ms, &c) < 0)
		return SLA_NONE;
	day = tu_days_from_civil(c.year, c.month, c.day);
	for (int i = 0; i < MAX_SCAN_DAYS; i++, day++) {
		long long open, close;

		if (!((w->day_mask >> tu_weekday(day)) & 1))
			continue;
		if (local_instant(z, day, w->start_min, &open) < 0 ||
		    local_instant(z, day, w->end_min, &close) < 0)
			return SLA_NONE;
		if (open < from_ms)
			open = from_ms;
		if (open >= close)
			continue;
		if (left <= close - open)
			return open + left;
		left -= close - open;
	}
	return SLA_NONE;
}

/* When the clock stopped, or 0 while it runs. */
static long long
met_ms(const struct wo *o, int clock)
{
	switch (clock) {
	case SLA_ACK:
		return o->acked_ms;
	case SLA_ACCEPT:
		return o->accepted_ms;
	case SLA_ON_SITE:
		return o->arrived_ms;
	case SLA_RESOLVE:
	case SLA_REPLY:
		return o->completed_ms;
	case SLA_FOLLOWUP:
		return o->followed_up_ms;
	default:
		return 0;
	}
}

/* Time the resolve clock stood still by now_ms. */
static long long
paused_by(const struct wo *o, long long now_ms)
{
	long long p = o->paused_ms;

	if (o->paused_at_ms && now_ms > o->paused_at_ms)
		p += now_ms - o->paused_at_ms;
	return p;
}

static long long
due(const struct wo *o, const struct sla_policy *p, const struct tu_zone *z, int clock,
    long long now_ms)
{
	if (clock == SLA_FOLLOWUP) {
		if (!o->completed_ms || p->followup_days <= 0)
			return SLA_NONE;
		return sla_add_working(z, &p->work, o->completed_ms,
				       (long long)p->followup_days *
					       (p->work.end_min - p->work.start_min));
	}
	if (!p->clock_ms[clock])
		return SLA_NONE;
	if (clock == SLA_RESOLVE)
		return o->start_ms + p->clock_ms[clock] + paused_by(o, now_ms);
	return o->start_ms + p->clock_ms[clock];
}

static void
earliest(long long *acc, long long t, long long now_ms)
{
	if (t != SLA_NONE && t > now_ms && t < *acc)
		*acc = t;
}

/* Open and not yet completed: escalation still helps. */
static int
in_work(const struct wo *o)
{
	return o->state != WO_COMPLETED && o->state != WO_FOLLOWED_UP && o->state != WO_CLOSED &&
	       o->state != WO_CANCELLED;
}

void
sla_check(const struct wo *o, const struct sla_policy *p, const struct tu_zone *z, long long now_ms,
	  struct sla_status *st)
{
	memset(st, 0, sizeof *st);
	st->redispatch_ms = st->next_ms = SLA_NONE;
	for (int c = 0; c < SLA_N_ALL; c++)
		st->due_ms[c] = SLA_NONE;
	if (o->state == WO_CANCELLED)
		return;
	for (int c = 0; c < SLA_N_ALL; c++) {
		long long d = due(o, p, z, c, now_ms), met = met_ms(o, c);

		st->due_ms[c] = d;
		if (d == SLA_NONE)
			continue;
		if (met ? met > d : now_ms > d) {
			st->breached |= 1u << c;
			if (c != SLA_FOLLOWUP && (!st->first_breach_ms || d < st->first_breach_ms))
				st->first_breach_ms = d;
		} else if (!met && !(c == SLA_RESOLVE && o->paused_at_ms)) {
			/* A breach is "past due": the first instant after it. */
			earliest(&st->next_ms, d + 1, now_ms);
		}
	}
	st->newly = st->breached & ~o->breached;
	if (in_work(o) && st->first_breach_ms) {
		while (st->escalation_due < p->n_esc &&
		       st->first_breach_ms + p->esc_ms[st->escalation_due] <= now_ms)
			st->escalation_due++;
		if (st->escalation_due < p->n_esc)
			earliest(&st->next_ms, st->first_breach_ms + p->esc_ms[st->escalation_due],
				 now_ms);
	}
	if (o->state == WO_DISPATCHED && p->clock_ms[SLA_ACCEPT]) {
		st->redispatch_ms = o->dispatched_ms + p->clock_ms[SLA_ACCEPT];
		earliest(&st->next_ms, st->redispatch_ms, now_ms);
	}
}
