/* alarm.c — the alarm lifecycle: one open alarm per (device, rule), its
 * acknowledgement and closing, shelving with an expiry, reminders and
 * escalation while unacknowledged, and flapping detected over a sliding
 * window and reported once per episode. Pure: the caller publishes and
 * persists what the returned transitions say. */
#include "alarm.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

void
alarm_policy_from_rule(struct alarm_policy *p, const struct rcf_rule *r)
{
	memset(p, 0, sizeof *p);
	p->reminder_ms = r->reminder_ms;
	p->n_escalation = r->n_esc;
	for (int i = 0; i < r->n_esc; i++)
		p->escalation_ms[i] = r->esc[i].after_ms;
	p->flap_changes = r->flap_changes;
	p->flap_window_ms = r->flap_window_ms;
	p->shelve_max_ms = r->shelve_max_ms;
}

int
alarm_shelved(const struct alarm *a, long long now_ms)
{
	return a->shelved_until_ms > now_ms;
}

static void
emit(struct alarm_out *out, enum alarm_transition t, int notify)
{
	if (out->n < ALARM_MAX_OUT) {
		out->t[out->n] = t;
		out->notify[out->n++] = notify;
	}
}

static int
unacked(const struct alarm *a)
{
	return a->state == ALARM_ACTIVE_UNACKED || a->state == ALARM_CLEARED_UNACKED;
}

static long long
last_flip(const struct alarm *a)
{
	return a->n_flips ? a->flips[(a->n_flips - 1) % RCF_MAX_FLAP] : LLONG_MIN;
}

/* Records a raise or clear; 1 when it starts a flapping episode. */
static int
flip(struct alarm *a, const struct alarm_policy *p, long long now_ms)
{
	unsigned kept;
	int in_window = 0;

	if (p->flap_changes <= 0)
		return 0;
	a->flips[a->n_flips % RCF_MAX_FLAP] = now_ms;
	a->n_flips++;
	kept = a->n_flips < RCF_MAX_FLAP ? a->n_flips : RCF_MAX_FLAP;
	for (unsigned i = 0; i < kept; i++)
		if (now_ms - a->flips[i] < p->flap_window_ms)
			in_window++;
	if (a->flapping || in_window < p->flap_changes)
		return 0;
	a->flapping = 1;
	return 1;
}

/* Escalation and reminders of an unacknowledged alarm that is not shelved:
 * one notification at most, the escalation when both are due. */
static void
notifications_due(struct alarm *a, const struct alarm_policy *p, long long now_ms,
		  struct alarm_out *out)
{
	int level = 0;

	if (!unacked(a) || alarm_shelved(a, now_ms))
		return;
	while (level < p->n_escalation && now_ms - a->raised_at_ms >= p->escalation_ms[level])
		level++;
	if (level > a->escalation_level) {
		a->escalation_level = level;
		a->last_notified_ms = now_ms;
		emit(out, ALARM_T_ESCALATED, 1);
	} else if (p->reminder_ms > 0 && now_ms - a->last_notified_ms >= p->reminder_ms) {
		a->last_notified_ms = now_ms;
		emit(out, ALARM_T_REMINDED, 1);
	}
}

static enum alarm_rc
on_raise(struct alarm *a, const struct alarm_policy *p, const struct alarm_input *in,
	 long long now_ms, struct alarm_out *out)
{
	int starts_flapping, notify;

	if (a->state == ALARM_ACTIVE_UNACKED || a->state == ALARM_ACTIVE_ACKED)
		return ALARM_NOOP;
	if (a->state == ALARM_CLOSED) {
		a->raised_at_ms = now_ms;
		a->acked_at_ms = a->closed_at_ms = 0;
		a->acked_by[0] = '\0';
		a->escalation_level = 0;
	}
	a->state = ALARM_ACTIVE_UNACKED;
	a->cleared_at_ms = 0;
	a->has_value = in->has_value;
	a->value = in->has_value ? in->value : 0;
	starts_flapping = flip(a, p, now_ms);
	notify = !alarm_shelved(a, now_ms) && !a->flapping;
	if (notify)
		a->last_notified_ms = now_ms;
	else if (a->last_notified_ms < a->raised_at_ms)
		a->last_notified_ms = now_ms; /* reminders count from the raise */
	emit(out, ALARM_T_RAISED, notify);
	if (starts_flapping)
		emit(out, ALARM_T_FLAPPING, !alarm_shelved(a, now_ms));
	return ALARM_OK;
}

static enum alarm_rc
on_clear(struct alarm *a, const struct alarm_policy *p, long long now_ms, struct alarm_out *out)
{
	int starts_flapping;

	if (a->state != ALARM_ACTIVE_UNACKED && a->state != ALARM_ACTIVE_ACKED)
		return ALARM_NOOP;
	a->cleared_at_ms = now_ms;
	starts_flapping = flip(a, p, now_ms);
	emit(out, ALARM_T_CLEARED, 0);
	if (a->state == ALARM_ACTIVE_ACKED) {
		a->state = ALARM_CLOSED;
		a->closed_at_ms = now_ms;
		emit(out, ALARM_T_CLOSED, 0);
	} else {
		a->state = ALARM_CLEARED_UNACKED;
	}
	if (starts_flapping)
		emit(out, ALARM_T_FLAPPING, !alarm_shelved(a, now_ms));
	return ALARM_OK;
}

static enum alarm_rc
on_ack(struct alarm *a, const struct alarm_input *in, long long now_ms, struct alarm_out *out)
{
	if (a->state == ALARM_CLOSED)
		return ALARM_E_NO_ALARM;
	if (a->state == ALARM_ACTIVE_ACKED)
		return ALARM_E_ACKED;
	a->acked_at_ms = now_ms;
	snprintf(a->acked_by, sizeof a->acked_by, "%s", in->actor ? in->actor : "");
	emit(out, ALARM_T_ACKED, 0);
	if (a->state == ALARM_CLEARED_UNACKED) {
		a->state = ALARM_CLOSED;
		a->closed_at_ms = now_ms;
		emit(out, ALARM_T_CLOSED, 0);
	} else {
		a->state = ALARM_ACTIVE_ACKED;
	}
	return ALARM_OK;
}

static enum alarm_rc
on_shelve(struct alarm *a, const struct alarm_policy *p, const struct alarm_input *in,
	  long long now_ms, struct alarm_out *out)
{
	if (a->state == ALARM_CLOSED)
		return ALARM_E_NO_ALARM;
	if (in->shelve_ms <= 0 || in->shelve_ms > p->shelve_max_ms)
		return ALARM_E_SHELVE_RANGE;
	a->shelved_until_ms = now_ms + in->shelve_ms;
	snprintf(a->shelved_by, sizeof a->shelved_by, "%s", in->actor ? in->actor : "");
	emit(out, ALARM_T_SHELVED, 0);
	return ALARM_OK;
}

static void
unshelve(struct alarm *a, const struct alarm_policy *p, long long now_ms, struct alarm_out *out)
{
	a->shelved_until_ms = 0;
	a->shelved_by[0] = '\0';
	emit(out, ALARM_T_UNSHELVED, 0);
	notifications_due(a, p, now_ms, out);
}

enum alarm_rc
alarm_apply(struct alarm *a, const struct alarm_policy *p, const struct alarm_input *in,
	    long long now_ms, struct alarm_out *out)
{
	memset(out, 0, sizeof *out);
	/* A flapping episode ends after a window without a change. */
	if (a->flapping && now_ms - last_flip(a) >= p->flap_window_ms)
		a->flapping = 0;
	switch (in->ev) {
	case ALARM_EV_RAISE:
		return on_raise(a, p, in, now_ms, out);
	case ALARM_EV_CLEAR:
		return on_clear(a, p, now_ms, out);
	case ALARM_EV_ACK:
		return on_ack(a, in, now_ms, out);
	case ALARM_EV_SHELVE:
		return on_shelve(a, p, in, now_ms, out);
	case ALARM_EV_UNSHELVE:
		if (!alarm_shelved(a, now_ms))
			return ALARM_E_NOT_SHELVED;
		unshelve(a, p, now_ms, out);
		return ALARM_OK;
	case ALARM_EV_TICK:
		if (a->shelved_until_ms && !alarm_shelved(a, now_ms))
			unshelve(a, p, now_ms, out);
		else
			notifications_due(a, p, now_ms, out);
		return out->n ? ALARM_OK : ALARM_NOOP;
	}
	return ALARM_NOOP;
}

long long
alarm_next_due(const struct alarm *a, const struct alarm_policy *p)
{
	long long t = LLONG_MAX;

	if (a->shelved_until_ms)
		return a->shelved_until_ms;
	if (!unacked(a))
		return t;
	if (a->escalation_level < p->n_escalation)
		t = a->raised_at_ms + p->escalation_ms[a->escalation_level];
	if (p->reminder_ms > 0 && a->last_notified_ms + p->reminder_ms < t)
		t = a->last_notified_ms + p->reminder_ms;
	return t;
}

const char *
alarm_transition_name(enum alarm_transition t)
{
	static const char *const names[] = {"raised",   "acked",      "cleared",     "escalated",
					    "reminded", "shelved",    "unshelved",   "closed",
					    "flapping", "suppressed", "unsuppressed"};

	return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "unknown";
}

const char *
alarm_state_name(enum alarm_state s)
{
	switch (s) {
	case ALARM_ACTIVE_UNACKED:
	case ALARM_ACTIVE_ACKED:
		return "active";
	case ALARM_CLEARED_UNACKED:
		return "cleared";
	default:
		return "closed";
	}
}

const char *
alarm_rc_name(enum alarm_rc rc)
{
	static const char *const names[] = {
		"ok", "noop", "no_alarm", "already_acked", "shelve_range", "not_shelved"};

	return (unsigned)rc < sizeof names / sizeof names[0] ? names[rc] : "unknown";
}
