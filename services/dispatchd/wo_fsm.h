/* wo_fsm.h — the work-order lifecycle of dispatchd: (order, event, actor,
 * now) -> (next order, transitions) or a named refusal. registered ->
 * dispatched -> accepted -> on_site -> in_progress -> completed ->
 * followed_up -> closed, with declined (waits for re-dispatch), paused (stops
 * the resolve clock only), reopened (an unsatisfied follow-up) and cancelled.
 * Escalation is a level, not a state: an escalated order stays where it is
 * (schemas/sql/005_work_orders.sql says the same). The order is plain
 * numbers and ids, so it is stored and restored as is.
 * Pure: no I/O, no clock (now_ms comes in, UTC ms), no allocation. */
#ifndef FM_DISPATCHD_WO_FSM_H
#define FM_DISPATCHD_WO_FSM_H

#define WO_ID_SIZE 65      /* a person id: [A-Za-z0-9_-]{1,64} */
#define WO_REASON_SIZE 256 /* a pause reason, bytes */
#define WO_MAX_SKIP 16     /* people skipped on re-dispatch; the oldest drop out */
#define WO_MAX_OUT 2       /* most transitions one event produces */

/* The names of wo_state (the SQL domain), in wo_state_name. */
enum wo_state {
	WO_REGISTERED,
	WO_DISPATCHED,
	WO_ACCEPTED,
	WO_ON_SITE,
	WO_IN_PROGRESS,
	WO_PAUSED,
	WO_COMPLETED,
	WO_FOLLOWED_UP,
	WO_CLOSED,
	WO_DECLINED,
	WO_REOPENED,
	WO_CANCELLED,
	WO_N_STATES,
};

enum wo_event {
	WO_EV_DISPATCH, /* system, supervisor: to in->person (re-dispatch from dispatched) */
	WO_EV_ACCEPT,   /* assignee */
	WO_EV_DECLINE,  /* assignee, with a reason */
	WO_EV_ARRIVE,   /* assignee */
	WO_EV_START,    /* assignee: work begins on site */
	WO_EV_PAUSE,    /* assignee, with a reason */
	WO_EV_RESUME,   /* assignee */
	WO_EV_COMPLETE, /* assignee */
	WO_EV_FOLLOWUP, /* customer service, with a score 1..5 */
	WO_EV_CLOSE,    /* system, customer service */
	WO_EV_REOPEN,   /* system, supervisor, customer service */
	WO_EV_CANCEL,   /* system, supervisor, customer service, with a reason */
	WO_EV_ESCALATE, /* system: one level up, the state is kept */
	WO_N_EVENTS,
};

/* The names of wo_events.transition, in wo_transition_name. */
enum wo_transition {
	WO_T_DISPATCHED,
	WO_T_REASSIGNED, /* re-dispatch of an order nobody accepted in time */
	WO_T_ACCEPTED,
	WO_T_DECLINED,
	WO_T_ARRIVED,
	WO_T_STARTED,
	WO_T_PAUSED,
	WO_T_RESUMED,
	WO_T_COMPLETED,
	WO_T_FOLLOWED_UP,
	WO_T_CLOSED,
	WO_T_ESCALATED,
	WO_T_REOPENED,
	WO_T_CANCELLED,
};

enum wo_rc {
	WO_OK,              /* the transitions are in out */
	WO_E_STATE,         /* the event is not allowed in the order's state */
	WO_E_FINISHED,      /* the order is closed or cancelled */
	WO_E_NOT_ASSIGNEE,  /* an assignee's event from someone else */
	WO_E_NOT_PERMITTED, /* the actor's roles do not allow the event */
	WO_E_NEED_REASON,   /* decline, pause or cancel without a reason */
	WO_E_BAD_SCORE,     /* a follow-up score outside 1..5 */
	WO_E_NEED_PERSON,   /* dispatch to nobody, or to the current assignee */
};

/* What the caller knows of the actor (who_has_role, or that it is dispatchd
 * itself); the assignee is recognised by id. */
#define WO_ROLE_SYSTEM 1u
#define WO_ROLE_SUPERVISOR 2u
#define WO_ROLE_CUSTOMER_SERVICE 4u

/* One order. Times are UTC ms, 0 meaning not yet (or cleared by a reopen).
 * start_ms is where the SLA clocks count from: the alarm's raise time for an
 * order opened from an alarm, else the registration; a reopen restarts it. */
struct wo {
	enum wo_state state;
	int category, urgency; /* rcf_wo_categories, rcf_wo_urgencies */
	int grade;             /* complaints: enum sla_grade; -1 otherwise */
	char assignee[WO_ID_SIZE];
	long long start_ms, created_ms;
	long long acked_ms; /* the first dispatch since start_ms: the acknowledge clock */
	long long dispatched_ms, accepted_ms, arrived_ms, started_ms;
	long long completed_ms, followed_up_ms, closed_ms, cancelled_ms;
	long long paused_at_ms; /* the current pause; 0 when not paused */
	long long paused_ms;    /* total of finished pauses since start_ms */
	char pause_reason[WO_REASON_SIZE];
	int escalation_level; /* steps of the chain notified since start_ms */
	unsigned breached;    /* bit per sla.h clock already reported breached */
	int satisfaction;     /* the last follow-up score; 0: none */
	int reopen_count;
	/* who declined or let the order time out since start_ms: dispatch
	 * skips them */
	char skip[WO_MAX_SKIP][WO_ID_SIZE];
	int n_skip;
};

struct wo_input {
	enum wo_event ev;
	const char *actor;    /* person id; for the system, any name (NULL: "") */
	unsigned roles;       /* WO_ROLE_* of the actor */
	const char *person;   /* dispatch: the new assignee */
	const char *reason;   /* decline, pause, reopen, cancel */
	int score;            /* follow-up: 1..5 */
	int reopen_score_max; /* follow-up: a score at or under it reopens (sla.yaml) */
};

struct wo_out {
	int n;
	enum wo_transition t[WO_MAX_OUT];
	enum wo_state from[WO_MAX_OUT], to[WO_MAX_OUT];
};

/* A new order, registered at now_ms; start_ms is now_ms, or an alarm's raise
 * time when alarm_raised_ms > 0 (never later than now_ms). grade -1 when
 * the order is no complaint. */
void
wo_init(struct wo *o, int category, int urgency, int grade, long long now_ms,
	long long alarm_raised_ms);

/* Applies one event to o at now_ms. WO_OK with the transitions in out, or a
 * refusal with o unchanged and nothing in out. Who may do what:
 *   dispatch            system or supervisor; from registered, declined,
 *                       reopened, or dispatched (the assignee who let it time
 *                       out is skipped from then on: "reassigned")
 *   accept, decline     the assignee, from dispatched (decline: a reason; the
 *                       decliner is skipped from then on)
 *   arrive              the assignee, from accepted
 *   start               the assignee, from on_site
 *   pause               the assignee, from on_site or in_progress (a reason)
 *   resume              the assignee, from paused (back to in_progress)
 *   complete            the assignee, from on_site or in_progress
 *   followup            customer service, from completed; a score at or under
 *                       reopen_score_max gives followed_up then reopened
 *   close               system or customer service, from followed_up
 *   reopen              system, supervisor, customer service, from completed
 *                       or followed_up (clocks, escalation, skips restart)
 *   cancel              system, supervisor, customer service, before
 *                       completed (a reason)
 *   escalate            system, in any open state
 * The assignee's events are checked by id: nobody else, whatever their
 * roles, acts for the assignee. */
enum wo_rc
wo_apply(struct wo *o, const struct wo_input *in, long long now_ms, struct wo_out *out);

/* 1 when person is on o's skip list. */
int
wo_skipped(const struct wo *o, const char *person);

/* 1 in closed and cancelled. */
int
wo_finished(const struct wo *o);

/* "registered" ... "cancelled"; "dispatched" ... "cancelled" (the SQL
 * names); "ok", "illegal_transition", "finished", "not_assignee",
 * "not_permitted", "reason_required", "bad_score", "person_required";
 * "dispatch" ... "escalate" (the verbs). NULL-free: "?" when out of range. */
const char *
wo_state_name(enum wo_state s);
const char *
wo_transition_name(enum wo_transition t);
const char *
wo_rc_name(enum wo_rc rc);
const char *
wo_event_name(enum wo_event ev);

#endif
