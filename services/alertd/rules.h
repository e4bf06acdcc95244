/* rules.h — the rule evaluator of alertd: (rule, state, input, now) -> (next
 * state, verdict). One struct rule_state per (device, rule), kept by the
 * caller; readings, events and device status go in through rule_eval, the
 * passing of time through rule_tick. The rule model is common/rules_conf.h.
 * Pure: no I/O, no clock (now_ms comes in), no allocation, no globals. */
#ifndef FM_ALERTD_RULES_H
#define FM_ALERTD_RULES_H

#include "rules_conf.h"

#include <stddef.h>

/* Samples a rate rule keeps. They are spaced at least window/(RULE_RING - 1)
 * apart, so a full ring always reaches back a whole window. */
#define RULE_RING 16

enum rule_input_kind {
	RULE_IN_METRIC, /* one metric of a telemetry message */
	RULE_IN_EVENT,  /* a device event, active or cleared */
	RULE_IN_STATUS, /* the device's status: birth (online) or last will (offline) */
};

struct rule_input {
	enum rule_input_kind kind;
	const char *name; /* metric or event name; unused for a status */
	double value;     /* metric: its value (a boolean is 1 or 0) */
	long long ts_ms;  /* metric: the reading's time (the device's clock, else receipt) */
	int on;           /* event: 1 active, 0 cleared; status: 1 online, 0 offline */
};

enum rule_pending { RULE_PENDING_NONE, RULE_PENDING_RAISE, RULE_PENDING_CLEAR };

struct rule_sample {
	long long ts_ms;
	double value;
};

/* Evaluation state of one rule on one device: fixed size, no pointers, so the
 * caller may copy, store and restore it as bytes. Start it with
 * rule_state_init; after a restart without the saved state, set active = 1
 * for a (device, rule) whose alarm is still open and active, so that its
 * clear is seen. Durations (raise_for, clear_for, timeouts) run on now_ms,
 * alertd's clock, which is also the clock of rule_tick; a rate is measured on
 * the readings' own timestamps, the timeline of the quantity itself. */
struct rule_state {
	int active; /* raised and not cleared since */
	enum rule_pending pending;
	long long pending_since_ms; /* when the pending condition began to hold */
	int has_value, has_guard;
	double value;           /* threshold: the last reading; rate: the last change */
	double guard;           /* the last reading of the rule's while: metric */
	long long value_ts_ms;  /* the last accepted reading's ts_ms */
	long long last_seen_ms; /* no_data: last reading of the metric; offline: last heard */
	int offline;            /* offline: the status said offline (last will) */
	long long offline_since_ms;
	int ring_n, ring_head;
	struct rule_sample ring[RULE_RING]; /* rate: oldest at ring_head; last, see below */
};

/* The bytes of a rule_state that a rule other than a rate rule uses: the
 * ring comes last and only rate rules touch it, so a caller keeping many
 * states may store just this prefix for the others and evaluate them
 * through a whole scratch state (alertd's engine does, for memory). */
#define RULE_STATE_CORE offsetof(struct rule_state, ring)

enum rule_verdict { RULE_NONE, RULE_RAISE, RULE_CLEAR };

struct rule_result {
	enum rule_verdict verdict;
	int has_value, has_threshold;
	double value;       /* threshold: the reading; rate: the change within the window */
	double threshold;   /* the raise level (threshold) or change (rate) */
	long long since_ms; /* when the condition that fired began to hold */
};

/* A fresh state. now_ms starts the no-data and silence clocks: a device that
 * is never heard from after alertd starts is reported after the timeout. */
void
rule_state_init(struct rule_state *st, long long now_ms);

/* Feeds one input to one rule: r is the effective rule for the device
 * (rcf_effective), st its state. Inputs the rule does not watch leave st
 * unchanged. Returns the verdict (also in out->verdict): RULE_RAISE when the
 * rule's condition has held for its duration, RULE_CLEAR when it has gone
 * for its duration, RULE_NONE otherwise. A disabled rule clears what it
 * raised and raises nothing. A reading older than the last one taken is
 * ignored. */
enum rule_verdict
rule_eval(const struct rcf_rule *r, struct rule_state *st, const struct rule_input *in,
	  long long now_ms, struct rule_result *out);

/* The n metrics of one telemetry message (RULE_IN_METRIC, same ts_ms) taken
 * together: a threshold or rate rule takes its metric and its guard before
 * looking at its condition, so that "stopped, no current" in one message is
 * never seen as "running, no current" half-way through. Other kinds take
 * the inputs one by one (their first verdict is returned). */
enum rule_verdict
rule_eval_metrics(const struct rcf_rule *r, struct rule_state *st, const struct rule_input *in,
		  int n, long long now_ms, struct rule_result *out);

/* The passing of time: raises or clears what a duration or a timeout has
 * completed by now_ms (raise_for, clear_for, no_data, offline). */
enum rule_verdict
rule_tick(const struct rcf_rule *r, struct rule_state *st, long long now_ms,
	  struct rule_result *out);

/* The earliest now_ms at which rule_tick could return a verdict: LLONG_MAX
 * when only an input can change anything, LLONG_MIN when a tick is due now
 * (a rule disabled while raised). */
long long
rule_next_deadline(const struct rcf_rule *r, const struct rule_state *st);

#endif
