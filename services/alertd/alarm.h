/* alarm.h — the alarm lifecycle of alertd: (alarm, event, now) -> (next
 * alarm, transitions). One struct alarm per (device, rule) holds the open
 * alarm, if any: active or cleared, unacknowledged or acknowledged, closed
 * once cleared and acknowledged; shelving for a bounded time; reminders and
 * an escalation chain while nobody acknowledges; flapping reported once.
 * Pure: no I/O, no clock (now_ms comes in, UTC ms), no allocation. */
#ifndef FM_ALERTD_ALARM_H
#define FM_ALERTD_ALARM_H

#include "rules_conf.h"

#define ALARM_ACTOR_SIZE 65 /* a person id: [A-Za-z0-9_-]{1,64} */
#define ALARM_MAX_OUT 4     /* most transitions one event produces */

/* The payload's active/cleared x acked, with cleared+acked = closed. */
enum alarm_state {
	ALARM_CLOSED, /* no open alarm: never raised, or cleared and acknowledged */
	ALARM_ACTIVE_UNACKED,
	ALARM_ACTIVE_ACKED,
	ALARM_CLEARED_UNACKED,
};

enum alarm_event {
	ALARM_EV_RAISE,    /* the rule raised (rule_eval said RULE_RAISE) */
	ALARM_EV_CLEAR,    /* the rule cleared */
	ALARM_EV_ACK,      /* a person acknowledged */
	ALARM_EV_SHELVE,   /* a person shelved it for shelve_ms */
	ALARM_EV_UNSHELVE, /* a person took it off the shelf */
	ALARM_EV_TICK,     /* time passed: reminders, escalation, shelving expiry */
};

/* The names of the alarm payload's "transition" and of
 * alarm_events.transition (alarm_transition_name). */
enum alarm_transition {
	ALARM_T_RAISED,
	ALARM_T_ACKED,
	ALARM_T_CLEARED,
	ALARM_T_ESCALATED,
	ALARM_T_REMINDED,
	ALARM_T_SHELVED,
	ALARM_T_UNSHELVED,
	ALARM_T_CLOSED,
	ALARM_T_FLAPPING,
	/* Set by alertd's engine, never by alarm_apply: an upstream cause or
	 * work under way now explains the alarm, or no longer does. */
	ALARM_T_SUPPRESSED,
	ALARM_T_UNSUPPRESSED,
};

enum alarm_rc {
	ALARM_OK,             /* the transitions are in out */
	ALARM_NOOP,           /* nothing changed: a raise of an active alarm, a quiet tick */
	ALARM_E_NO_ALARM,     /* ack or shelve with no open alarm */
	ALARM_E_ACKED,        /* ack of an alarm already acknowledged */
	ALARM_E_SHELVE_RANGE, /* shelve for 0, less, or more than the rule's shelve_max */
	ALARM_E_NOT_SHELVED,  /* unshelve of an alarm that is not shelved */
};

/* What the lifecycle takes from a rule. Escalation delays count from when the
 * alarm was raised and increase. */
struct alarm_policy {
	long long reminder_ms; /* 0: no reminders */
	long long escalation_ms[RCF_MAX_ESCALATION];
	int n_escalation;
	int flap_changes; /* raise/clear changes within flap_window_ms; 0: off */
	long long flap_window_ms;
	long long shelve_max_ms;
};

void
alarm_policy_from_rule(struct alarm_policy *p, const struct rcf_rule *r);

/* Zeroed, it is a closed slot. Times are UTC ms; 0 means not yet. */
struct alarm {
	enum alarm_state state;
	long long raised_at_ms, cleared_at_ms, acked_at_ms, closed_at_ms;
	char acked_by[ALARM_ACTOR_SIZE];
	int has_value;
	double value;               /* the value that raised it */
	int escalation_level;       /* steps of the chain notified so far */
	long long last_notified_ms; /* raise, escalation or reminder */
	long long shelved_until_ms; /* 0: not shelved; outlives the alarm it was set on */
	char shelved_by[ALARM_ACTOR_SIZE];
	int flapping;                  /* reported, and not yet quiet for a window */
	long long flips[RCF_MAX_FLAP]; /* times of the last raise/clear changes */
	unsigned n_flips;
};

struct alarm_input {
	enum alarm_event ev;
	const char *actor;   /* ack, shelve, unshelve: the person (NULL: "") */
	long long shelve_ms; /* shelve: for how long */
	int has_value;       /* raise: the value, if the rule has one */
	double value;
};

/* The transitions of one event in the order they happened; notify[i] says
 * whether people are to be told (a raise, an escalation, a reminder, the
 * start of flapping — none while shelved, no raise while flapping). */
struct alarm_out {
	int n;
	enum alarm_transition t[ALARM_MAX_OUT];
	int notify[ALARM_MAX_OUT];
};

/* Applies one event to a at now_ms under policy p. Returns ALARM_OK with the
 * transitions in out, ALARM_NOOP with none, or a refusal (a unchanged,
 * nothing in out). A raise of a closed slot opens a new alarm (the caller
 * gives it a new alarm_id); a raise of a cleared, unacknowledged alarm makes
 * the same alarm active again. */
enum alarm_rc
alarm_apply(struct alarm *a, const struct alarm_policy *p, const struct alarm_input *in,
	    long long now_ms, struct alarm_out *out);

/* The earliest now_ms at which an ALARM_EV_TICK would do something
 * (escalate, remind, end the shelving), or LLONG_MAX. */
long long
alarm_next_due(const struct alarm *a, const struct alarm_policy *p);

/* 1 when a is shelved at now_ms. */
int
alarm_shelved(const struct alarm *a, long long now_ms);

/* The payload's names: "raised", "acked" ... "closed", and "unshelved",
 * "flapping", "suppressed", "unsuppressed"; the state as "active", "cleared" or "closed"; the refusals as
 * "no_alarm", "already_acked", "shelve_range", "not_shelved" ("ok", "noop"). */
const char *
alarm_transition_name(enum alarm_transition t);
const char *
alarm_state_name(enum alarm_state s);
const char *
alarm_rc_name(enum alarm_rc rc);

#endif
