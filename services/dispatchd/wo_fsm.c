/* wo_fsm.c — the work-order state machine: one table row per event says from
 * which states it may come, who may send it and where it goes; the few
 * effects beyond the state (pause accounting, the skip list, a reopen's fresh
 * start) follow. Pure: the caller stores the order and writes wo_events. */
#include "wo_fsm.h"

#include <stdio.h>
#include <string.h>

#define B(s) (1u << (s))
#define ASSIGNEE 0x100u /* the event is the assignee's, whatever the roles */
#define SYS WO_ROLE_SYSTEM
#define SUP WO_ROLE_SUPERVISOR
#define CS WO_ROLE_CUSTOMER_SERVICE
#define OPEN_BEFORE_DONE                                                                           \
	(B(WO_REGISTERED) | B(WO_DISPATCHED) | B(WO_ACCEPTED) | B(WO_ON_SITE) |                    \
	 B(WO_IN_PROGRESS) | B(WO_PAUSED) | B(WO_DECLINED) | B(WO_REOPENED))
#define OPEN (OPEN_BEFORE_DONE | B(WO_COMPLETED) | B(WO_FOLLOWED_UP))

struct rule {
	unsigned from; /* B(state) of the states it may come from */
	unsigned who;  /* ASSIGNEE, or WO_ROLE_* any of which may send it */
	enum wo_state to;
	enum wo_transition t;
	int need_reason;
};

static const struct rule rules[WO_N_EVENTS] = {
	[WO_EV_DISPATCH] = {B(WO_REGISTERED) | B(WO_DISPATCHED) | B(WO_DECLINED) | B(WO_REOPENED),
			    SYS | SUP, WO_DISPATCHED, WO_T_DISPATCHED, 0},
	[WO_EV_ACCEPT] = {B(WO_DISPATCHED), ASSIGNEE, WO_ACCEPTED, WO_T_ACCEPTED, 0},
	[WO_EV_DECLINE] = {B(WO_DISPATCHED), ASSIGNEE, WO_DECLINED, WO_T_DECLINED, 1},
	[WO_EV_ARRIVE] = {B(WO_ACCEPTED), ASSIGNEE, WO_ON_SITE, WO_T_ARRIVED, 0},
	[WO_EV_START] = {B(WO_ON_SITE), ASSIGNEE, WO_IN_PROGRESS, WO_T_STARTED, 0},
	[WO_EV_PAUSE] = {B(WO_ON_SITE) | B(WO_IN_PROGRESS), ASSIGNEE, WO_PAUSED, WO_T_PAUSED, 1},
	[WO_EV_RESUME] = {B(WO_PAUSED), ASSIGNEE, WO_IN_PROGRESS, WO_T_RESUMED, 0},
	[WO_EV_COMPLETE] = {B(WO_ON_SITE) | B(WO_IN_PROGRESS), ASSIGNEE, WO_COMPLETED,
			    WO_T_COMPLETED, 0},
	[WO_EV_FOLLOWUP] = {B(WO_COMPLETED), CS, WO_FOLLOWED_UP, WO_T_FOLLOWED_UP, 0},
	[WO_EV_CLOSE] = {B(WO_FOLLOWED_UP), SYS | CS, WO_CLOSED, WO_T_CLOSED, 0},
	[WO_EV_REOPEN] = {B(WO_COMPLETED) | B(WO_FOLLOWED_UP), SYS | SUP | CS, WO_REOPENED,
			  WO_T_REOPENED, 1},
	[WO_EV_CANCEL] = {OPEN_BEFORE_DONE, SYS | SUP | CS, WO_CANCELLED, WO_T_CANCELLED, 1},
	[WO_EV_ESCALATE] = {OPEN, SYS, WO_N_STATES, WO_T_ESCALATED, 0},
};

void
wo_init(struct wo *o, int category, int urgency, int grade, long long now_ms,
	long long alarm_raised_ms)
{
	memset(o, 0, sizeof *o);
	o->state = WO_REGISTERED;
	o->category = category;
	o->urgency = urgency;
	o->grade = grade;
	o->created_ms = now_ms;
	/* The clock runs from the fault, not from when dispatchd heard of it;
	 * a raise time from the future would only give the order more time. */
	o->start_ms = alarm_raised_ms > 0 && alarm_raised_ms < now_ms ? alarm_raised_ms : now_ms;
}

int
wo_finished(const struct wo *o)
{
	return o->state == WO_CLOSED || o->state == WO_CANCELLED;
}

int
wo_skipped(const struct wo *o, const char *person)
{
	for (int i = 0; i < o->n_skip; i++)
		if (strcmp(o->skip[i], person) == 0)
			return 1;
	return 0;
}

/* Past WO_MAX_SKIP the oldest is forgotten: by then the first decliner may
 * well be the only one left, and asking again beats asking nobody. */
static void
skip_add(struct wo *o, const char *person)
{
	if (!person[0] || wo_skipped(o, person))
		return;
	if (o->n_skip == WO_MAX_SKIP) {
		memmove(o->skip[0], o->skip[1], sizeof o->skip[0] * (WO_MAX_SKIP - 1));
		o->n_skip--;
	}
	snprintf(o->skip[o->n_skip++], WO_ID_SIZE, "%s", person);
}

static void
emit(struct wo_out *out, enum wo_transition t, enum wo_state from, enum wo_state to)
{
	if (out->n < WO_MAX_OUT) {
		out->t[out->n] = t;
		out->from[out->n] = from;
		out->to[out->n++] = to;
	}
}

static void
end_pause(struct wo *o, long long now_ms)
{
	if (o->paused_at_ms && now_ms > o->paused_at_ms)
		o->paused_ms += now_ms - o->paused_at_ms;
	o->paused_at_ms = 0;
	o->pause_reason[0] = '\0';
}

/* A reopened order is a new round of work: its clocks, escalation and
 * dispatch history start again; the audit keeps the old round. */
static void
reopen(struct wo *o, long long now_ms)
{
	o->state = WO_REOPENED;
	o->reopen_count++;
	o->start_ms = now_ms;
	o->assignee[0] = '\0';
	o->acked_ms = o->dispatched_ms = o->accepted_ms = o->arrived_ms = o->started_ms = 0;
	o->completed_ms = o->followed_up_ms = 0;
	o->paused_ms = 0;
	o->escalation_level = 0;
	o->breached = 0;
	o->n_skip = 0;
}

static enum wo_rc
check(const struct wo *o, const struct rule *r, const struct wo_input *in)
{
	const char *actor = in->actor ? in->actor : "";

	if (wo_finished(o))
		return WO_E_FINISHED;
	if (!(r->from & B(o->state)))
		return WO_E_STATE;
	if (r->who == ASSIGNEE && (!o->assignee[0] || strcmp(actor, o->assignee) != 0))
		return WO_E_NOT_ASSIGNEE;
	if (r->who != ASSIGNEE && !(r->who & in->roles))
		return WO_E_NOT_PERMITTED;
	if (r->need_reason && (!in->reason || !in->reason[0]))
		return WO_E_NEED_REASON;
	if (in->ev == WO_EV_FOLLOWUP && (in->score < 1 || in->score > 5))
		return WO_E_BAD_SCORE;
	if (in->ev == WO_EV_DISPATCH &&
	    (!in->person || !in->person[0] || strcmp(in->person, o->assignee) == 0))
		return WO_E_NEED_PERSON;
	return WO_OK;
}

/* What an event changes besides the state. */
static void
effects(struct wo *o, const struct wo_input *in, long long now_ms)
{
	switch (in->ev) {
	case WO_EV_DISPATCH:
		/* Re-dispatching an order still waiting for acceptance means
		 * its assignee let the acceptance clock run out. */
		if (o->state == WO_DISPATCHED)
			skip_add(o, o->assignee);
		snprintf(o->assignee, sizeof o->assignee, "%s", in->person);
		o->dispatched_ms = now_ms;
		if (!o->acked_ms)
			o->acked_ms = now_ms;
		break;
	case WO_EV_ACCEPT:
		o->accepted_ms = now_ms;
		break;
	case WO_EV_DECLINE:
		skip_add(o, o->assignee);
		o->assignee[0] = '\0';
		break;
	case WO_EV_ARRIVE:
		o->arrived_ms = now_ms;
		break;
	case WO_EV_START:
		o->started_ms = now_ms;
		break;
	case WO_EV_PAUSE:
		o->paused_at_ms = now_ms;
		snprintf(o->pause_reason, sizeof o->pause_reason, "%s", in->reason);
		break;
	case WO_EV_RESUME:
		end_pause(o, now_ms);
		break;
	case WO_EV_COMPLETE:
		o->completed_ms = now_ms;
		break;
	case WO_EV_FOLLOWUP:
		o->followed_up_ms = now_ms;
		o->satisfaction = in->score;
		break;
	case WO_EV_CLOSE:
		o->closed_ms = now_ms;
		break;
	case WO_EV_CANCEL:
		end_pause(o, now_ms);
		o->cancelled_ms = now_ms;
		break;
	case WO_EV_ESCALATE:
		o->escalation_level++;
		break;
	case WO_EV_REOPEN:
	case WO_N_EVENTS:
		break;
	}
}

enum wo_rc
wo_apply(struct wo *o, const struct wo_input *in, long long now_ms, struct wo_out *out)
{
	const struct rule *r;
	enum wo_state from = o->state;
	enum wo_rc rc;

	memset(out, 0, sizeof *out);
	if ((unsigned)in->ev >= WO_N_EVENTS)
		return WO_E_STATE;
	r = &rules[in->ev];
	rc = check(o, r, in);
	if (rc != WO_OK)
		return rc;
	if (in->ev == WO_EV_REOPEN) {
		reopen(o, now_ms);
		emit(out, WO_T_REOPENED, from, WO_REOPENED);
		return WO_OK;
	}
	effects(o, in, now_ms);
	if (in->ev == WO_EV_DISPATCH && from == WO_DISPATCHED) {
		emit(out, WO_T_REASSIGNED, from, WO_DISPATCHED);
		return WO_OK;
	}
	if (r->to != WO_N_STATES)
		o->state = r->to;
	emit(out, r->t, from, o->state);
	/* T 000: an unsatisfied result reopens the order (and the caller sends
	 * the supervisor). */
	if (in->ev == WO_EV_FOLLOWUP && in->score <= in->reopen_score_max) {
		reopen(o, now_ms);
		emit(out, WO_T_REOPENED, WO_FOLLOWED_UP, WO_REOPENED);
	}
	return WO_OK;
}

const char *
wo_state_name(enum wo_state s)
{
	static const char *const n[] = {"registered",  "dispatched", "accepted",  "on_site",
					"in_progress", "paused",     "completed", "followed_up",
					"closed",      "declined",   "reopened",  "cancelled"};

	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "?";
}

const char *
wo_transition_name(enum wo_transition t)
{
	static const char *const n[] = {"dispatched", "reassigned",  "accepted", "declined",
					"arrived",    "started",     "paused",   "resumed",
					"completed",  "followed_up", "closed",   "escalated",
					"reopened",   "cancelled"};

	return (unsigned)t < sizeof n / sizeof n[0] ? n[t] : "?";
}

const char *
wo_rc_name(enum wo_rc rc)
{
	static const char *const n[] = {"ok",           "illegal_transition", "finished",
					"not_assignee", "not_permitted",      "reason_required",
					"bad_score",    "person_required"};

	return (unsigned)rc < sizeof n / sizeof n[0] ? n[rc] : "?";
}

const char *
wo_event_name(enum wo_event ev)
{
	static const char *const n[] = {"dispatch", "accept", "decline",  "arrive",   "start",
					"pause",    "resume", "complete", "followup", "close",
					"reopen",   "cancel", "escalate"};

	return (unsigned)ev < sizeof n / sizeof n[0] ? n[ev] : "?";
}
