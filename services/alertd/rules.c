/* rules.c — the rule evaluator: thresholds with hysteresis, rates of change
 * over a window, no-data timers, discrete events and device presence, each
 * with its state in a caller's struct rule_state. A condition must hold for
 * raise_for before it raises and its opposite for clear_for before it clears;
 * an interrupted run starts again. Pure: no I/O, clock or allocation. */
#include "rules.h"

#include <limits.h>
#include <string.h>

void
rule_state_init(struct rule_state *st, long long now_ms)
{
	memset(st, 0, sizeof *st);
	st->last_seen_ms = now_ms;
}

static int
high(const struct rcf_rule *r)
{
	return r->op == RCF_ABOVE || r->op == RCF_AT_LEAST || r->op == RCF_RISE ||
	       r->op == RCF_FALL;
}

/* v is a reading (threshold) or a change within the window (rate). */
static int
raise_cond(const struct rcf_rule *r, double v)
{
	switch (r->op) {
	case RCF_ABOVE:
		return v > r->raise;
	case RCF_BELOW:
		return v < r->raise;
	case RCF_AT_MOST:
		return v <= r->raise;
	default: /* at_least, and a rate's change */
		return v >= r->raise;
	}
}

static int
clear_cond(const struct rcf_rule *r, double v)
{
	if (!r->has_clear)
		return !raise_cond(r, v);
	return high(r) ? v <= r->clear : v >= r->clear;
}

static void
fill_value(const struct rcf_rule *r, const struct rule_state *st, struct rule_result *out)
{
	if (r->kind != RCF_THRESHOLD && r->kind != RCF_RATE)
		return;
	out->has_value = st->has_value;
	out->value = st->value;
	out->has_threshold = 1;
	out->threshold = r->raise;
}

static enum rule_verdict
verdict(const struct rcf_rule *r, struct rule_state *st, enum rule_verdict v, long long since_ms,
	struct rule_result *out)
{
	st->active = v == RULE_RAISE;
	st->pending = RULE_PENDING_NONE;
	out->verdict = v;
	out->since_ms = since_ms;
	fill_value(r, st, out);
	return v;
}

/* Fires the pending change once its duration has passed. */
static enum rule_verdict
due(const struct rcf_rule *r, struct rule_state *st, long long now_ms, struct rule_result *out)
{
	long long need = st->pending == RULE_PENDING_RAISE ? r->raise_for_ms : r->clear_for_ms;

	if (st->pending == RULE_PENDING_NONE || now_ms - st->pending_since_ms < need)
		return RULE_NONE;
	return verdict(r, st, st->pending == RULE_PENDING_RAISE ? RULE_RAISE : RULE_CLEAR,
		       st->pending_since_ms, out);
}

/* Moves the raise/clear timer with what the latest values say. */
static enum rule_verdict
settle(const struct rcf_rule *r, struct rule_state *st, long long now_ms, struct rule_result *out)
{
	int guard_ok = !r->guard[0] || (st->has_guard && st->guard != 0);
	int want;
	enum rule_pending p;

	if (!st->active) {
		want = guard_ok && st->has_value && raise_cond(r, st->value);
		p = RULE_PENDING_RAISE;
	} else {
		want = !guard_ok || (st->has_value && clear_cond(r, st->value));
		p = RULE_PENDING_CLEAR;
	}
	if (!want) {
		st->pending = RULE_PENDING_NONE;
		return RULE_NONE;
	}
	if (st->pending != p) {
		st->pending = p;
		st->pending_since_ms = now_ms;
	}
	return due(r, st, now_ms, out);
}

/* The largest change in the rule's direction from a sample within the
 * window to v at ts_ms. */
static double
rate_change(const struct rcf_rule *r, const struct rule_state *st, double v, long long ts_ms)
{
	double ext = v;

	for (int i = 0; i < st->ring_n; i++) {
		const struct rule_sample *s = &st->ring[(st->ring_head + i) % RULE_RING];

		if (s->ts_ms < ts_ms - r->window_ms)
			continue;
		if (r->op == RCF_RISE ? s->value < ext : s->value > ext)
			ext = s->value;
	}
	return r->op == RCF_RISE ? v - ext : ext - v;
}

static void
ring_push(const struct rcf_rule *r, struct rule_state *st, double v, long long ts_ms)
{
	long long spacing = r->window_ms / (RULE_RING - 1);
	int newest = (st->ring_head + st->ring_n - 1) % RULE_RING;

	if (st->ring_n > 0 && ts_ms - st->ring[newest].ts_ms < spacing)
		return;
	if (st->ring_n == RULE_RING) {
		st->ring[st->ring_head] = (struct rule_sample){ts_ms, v};
		st->ring_head = (st->ring_head + 1) % RULE_RING;
		return;
	}
	st->ring[(st->ring_head + st->ring_n) % RULE_RING] = (struct rule_sample){ts_ms, v};
	st->ring_n++;
}

/* Takes the rule's guard from in when it is one; 1 when it was. */
static int
take_guard(const struct rcf_rule *r, struct rule_state *st, const struct rule_input *in)
{
	if (!r->guard[0] || strcmp(in->name, r->guard) != 0)
		return 0;
	st->guard = in->value;
	st->has_guard = 1;
	return 1;
}

/* Takes the rule's metric from in: 0 when a late or repeated reading (the
 * state has moved past it), 1 when taken. */
static int
take_value(const struct rcf_rule *r, struct rule_state *st, const struct rule_input *in)
{
	if (st->has_value &&
	    (in->ts_ms < st->value_ts_ms || (r->kind == RCF_RATE && in->ts_ms == st->value_ts_ms)))
		return 0;
	st->value = r->kind == RCF_RATE ? rate_change(r, st, in->value, in->ts_ms) : in->value;
	st->value_ts_ms = in->ts_ms;
	st->has_value = 1;
	if (r->kind == RCF_RATE)
		ring_push(r, st, in->value, in->ts_ms);
	return 1;
}

/* The metrics of one message: the guard and the value are both taken
 * before the condition is looked at. */
static enum rule_verdict
on_metrics(const struct rcf_rule *r, struct rule_state *st, const struct rule_input *in, int n,
	   long long now_ms, struct rule_result *out)
{
	const struct rule_input *main_in = NULL;
	int touched = 0;

	for (int i = 0; i < n; i++) {
		if (take_guard(r, st, &in[i]))
			touched = 1;
		else if (strcmp(in[i].name, r->metric) == 0)
			main_in = &in[i];
	}
	if (main_in) {
		if (!take_value(r, st, main_in))
			return RULE_NONE;
		touched = 1;
	}
	return touched ? settle(r, st, now_ms, out) : RULE_NONE;
}

static enum rule_verdict
offline_due(const struct rcf_rule *r, struct rule_state *st, long long now_ms,
	    struct rule_result *out)
{
	if (st->active)
		return RULE_NONE;
	if (st->offline && now_ms - st->offline_since_ms >= r->after_ms)
		return verdict(r, st, RULE_RAISE, st->offline_since_ms, out);
	if (r->silence_ms > 0 && now_ms - st->last_seen_ms >= r->silence_ms)
		return verdict(r, st, RULE_RAISE, st->last_seen_ms, out);
	return RULE_NONE;
}

static enum rule_verdict
on_presence(const struct rcf_rule *r, struct rule_state *st, const struct rule_input *in,
	    long long now_ms, struct rule_result *out)
{
	if (in->kind == RULE_IN_STATUS && !in->on) {
		if (!st->offline) {
			st->offline = 1;
			st->offline_since_ms = now_ms;
		}
		return offline_due(r, st, now_ms, out);
	}
	st->offline = 0;
	st->last_seen_ms = now_ms;
	return st->active ? verdict(r, st, RULE_CLEAR, now_ms, out) : RULE_NONE;
}

enum rule_verdict
rule_eval(const struct rcf_rule *r, struct rule_state *st, const struct rule_input *in,
	  long long now_ms, struct rule_result *out)
{
	memset(out, 0, sizeof *out);
	if (!r->enabled)
		return st->active ? verdict(r, st, RULE_CLEAR, now_ms, out) : RULE_NONE;
	switch (r->kind) {
	case RCF_THRESHOLD:
	case RCF_RATE:
		return in->kind == RULE_IN_METRIC ? on_metrics(r, st, in, 1, now_ms, out)
						  : RULE_NONE;
	case RCF_NO_DATA:
		if (in->kind != RULE_IN_METRIC || strcmp(in->name, r->metric) != 0)
			return RULE_NONE;
		st->last_seen_ms = now_ms;
		return st->active ? verdict(r, st, RULE_CLEAR, now_ms, out) : RULE_NONE;
	case RCF_EVENT:
		if (in->kind != RULE_IN_EVENT || strcmp(in->name, r->event) != 0 ||
		    !in->on == !st->active)
			return RULE_NONE;
		return verdict(r, st, in->on ? RULE_RAISE : RULE_CLEAR, now_ms, out);
	case RCF_OFFLINE:
		return on_presence(r, st, in, now_ms, out);
	default:
		return RULE_NONE;
	}
}

enum rule_verdict
rule_eval_metrics(const struct rcf_rule *r, struct rule_state *st, const struct rule_input *in,
		  int n, long long now_ms, struct rule_result *out)
{
	if (r->enabled && (r->kind == RCF_THRESHOLD || r->kind == RCF_RATE)) {
		memset(out, 0, sizeof *out);
		return on_metrics(r, st, in, n, now_ms, out);
	}
	for (int i = 0; i < n; i++) {
		enum rule_verdict v = rule_eval(r, st, &in[i], now_ms, out);

		if (v != RULE_NONE)
			return v;
	}
	return RULE_NONE;
}

enum rule_verdict
rule_tick(const struct rcf_rule *r, struct rule_state *st, long long now_ms,
	  struct rule_result *out)
{
	memset(out, 0, sizeof *out);
	if (!r->enabled)
		return st->active ? verdict(r, st, RULE_CLEAR, now_ms, out) : RULE_NONE;
	switch (r->kind) {
	case RCF_THRESHOLD:
	case RCF_RATE:
		return due(r, st, now_ms, out);
	case RCF_NO_DATA:
		if (st->active || now_ms - st->last_seen_ms < r->timeout_ms)
			return RULE_NONE;
		return verdict(r, st, RULE_RAISE, st->last_seen_ms, out);
	case RCF_OFFLINE:
		return offline_due(r, st, now_ms, out);
	default:
		return RULE_NONE;
	}
}

static long long
min_ll(long long a, long long b)
{
	return a < b ? a : b;
}

long long
rule_next_deadline(const struct rcf_rule *r, const struct rule_state *st)
{
	long long t = LLONG_MAX;

	if (!r->enabled)
		return st->active ? LLONG_MIN : LLONG_MAX;
	switch (r->kind) {
	case RCF_THRESHOLD:
	case RCF_RATE:
		if (st->pending == RULE_PENDING_RAISE)
			t = st->pending_since_ms + r->raise_for_ms;
		else if (st->pending == RULE_PENDING_CLEAR)
			t = st->pending_since_ms + r->clear_for_ms;
		break;
	case RCF_NO_DATA:
		if (!st->active)
			t = st->last_seen_ms + r->timeout_ms;
		break;
	case RCF_OFFLINE:
		if (st->active)
			break;
		if (st->offline)
			t = st->offline_since_ms + r->after_ms;
		if (r->silence_ms > 0)
			t = min_ll(t, st->last_seen_ms + r->silence_ms);
		break;
	default:
		break;
	}
	return t;
}
