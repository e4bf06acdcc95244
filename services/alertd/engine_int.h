/* engine_int.h — the structures behind struct engine, shared by its files:
 * engine.c (building, inputs, time), engine_alarm.c (what a verdict or a
 * command does to an alarm: records, notifications, suppression) and
 * engine_ops.c (commands, work orders, restore, stats). Nothing outside the
 * engine includes it. */
#ifndef FM_ALERTD_ENGINE_INT_H
#define FM_ALERTD_ENGINE_INT_H

#include "alertd/engine.h"
#include "alertd/rule_index.h"
#include "alertd/rules.h"

#include <stdlib.h>
#include <string.h>

/* The alarm side of a slot, allocated the first time its rule raises and kept
 * afterwards: flapping counts changes across alarms, and a shelving outlives
 * the alarm it was set on. */
struct slot_alarm {
	struct alarm a;
	char alarm_id[ALARM_ID_SIZE];
	char message[RCF_MESSAGE_SIZE];
	char suppressed_by[ALARM_ID_SIZE]; /* the upstream cause, or "" */
	int expected;                      /* work under way on the device explains it */
	int wo_requested;                  /* this alarm's work-order request went out */
	long long unsuppress_at_ms;        /* its cause is gone: news at this time if still on */
};

/* One rule on one device. Its evaluation state: RULE_STATE_CORE bytes in
 * place (core), and for a rate rule that has taken samples the whole
 * rule_state with its ring on the heap (rate) — a rate rule whose metric
 * never arrives costs no ring. See slot_state/slot_state_put. */
struct slot {
	const struct rcf_rule *base; /* the rule (as indexed) */
	const struct rcf_rule *r;    /* its effective version for the device */
	struct slot_alarm *o;        /* NULL until the rule first raises */
	struct rule_state *rate;     /* rate rules only */
	long long last_event_ts;     /* event rules: the newest event taken */
	union {
		unsigned char bytes[RULE_STATE_CORE];
		long long align;
	} core;
};

/* The slot's state to evaluate: the rate rule's own, or the core copied into
 * scratch; after a change, slot_state_put stores the core back. */
static inline struct rule_state *
slot_state(struct slot *s, struct rule_state *scratch)
{
	if (s->rate)
		return s->rate;
	memcpy(scratch, s->core.bytes, RULE_STATE_CORE);
	return scratch;
}

static inline void
slot_state_put(struct slot *s, const struct rule_state *st)
{
	if (s->rate)
		return;
	if (st->ring_n > 0 && (s->rate = malloc(sizeof *s->rate)) != NULL) {
		*s->rate = *st; /* the first sample: the ring moves to the heap */
		return;
	}
	memcpy(s->core.bytes, st, RULE_STATE_CORE);
}

struct dev {
	const struct devtab_dev *d;
	struct slot *slots; /* the rules of its asset type, in rule_index_type order */
	int n_slots;
	int *up, n_up;     /* devices that supply it, directly or not */
	int *down, n_down; /* devices it supplies, directly or not */
	int working;       /* work orders under way on it */
};

/* A work order seen on fm/v1/+/wo/#, so its end can be matched to its device. */
struct wo_seen {
	char wo_id[REG_ID_SIZE];
	int dev; /* index into devs, -1 when unknown */
	int working;
};

struct engine {
	const struct devtab *devtab;
	int *by_id;            /* device indexes sorted by id */
	const struct reg *reg; /* people and roles (commands) */
	const struct rcf_set *rules;
	const struct who *who;
	struct engine_sink sink;
	struct rule_index ix;
	struct dev *devs;
	size_t n_devs;
	struct slot *slots; /* every device's, in device order */
	size_t n_slots;
	struct wo_seen *wos;
	size_t n_wos, cap_wos;
	struct engine_stats st;
};

/* engine.c */
struct dev *
engine_dev(struct engine *e, const char *device);

/* engine_alarm.c: what a rule's verdict does to the slot's alarm. */
void
engine_verdict(struct engine *e, struct dev *d, struct slot *s, const struct rule_result *res,
	       long long now_ms);
/* Reminders, escalation and shelving expiry of the slot's alarm. */
void
engine_alarm_tick(struct engine *e, struct dev *d, struct slot *s, long long now_ms);
/* Applies an alarm event and publishes what it did (commands use it). */
enum alarm_rc
engine_alarm_apply(struct engine *e, struct dev *d, struct slot *s, const struct alarm_input *in,
		   const char *note, long long now_ms);
/* The current record of a slot's alarm with transition t. */
void
engine_rec(const struct engine *e, const struct dev *d, const struct slot *s,
	   enum alarm_transition t, long long now_ms, struct alarm_rec *rec);
/* Work under way on d started (on 1) or ended (on 0). */
void
engine_expected(struct engine *e, struct dev *d, int on, long long now_ms);

int
engine_alarm_open(const struct slot *s);
int
engine_alarm_active(const struct slot *s);

/* Records a transition and tells people (notify non-zero, and the alarm not
 * explained) and requests its work order where the rule wants one. */
void
engine_emit(struct engine *e, struct dev *d, struct slot *s, enum alarm_transition t, int notify,
	    const char *actor, const char *note, long long now_ms);

/* engine_suppress.c — alarms explained by the supply graph. A fresh alarm on
 * d is suppressed by an active supply alarm upstream, or held quiet
 * ("pending:<device>") while an upstream supply rule's condition holds but
 * its raise_for has not run out. */
void
engine_suppress_fresh(struct engine *e, const struct dev *d, struct slot *s);
/* cause (on d) became active or went away: its dependants follow. */
void
engine_suppress_downstream(struct engine *e, struct dev *d, const struct slot *cause, int active,
			   long long now_ms);
/* Each tick, for an explained alarm: a pending cause that never came, or a
 * cause gone for ENGINE_SUPPRESS_GRACE_MS while the alarm is still on, makes
 * it news (unsuppressed: notified, work order requested). */
void
engine_suppress_review(struct engine *e, struct dev *d, struct slot *s, long long now_ms);

#endif
