/* alertd_eval_fixture.h — what the evaluator tests share: scripted steps
 * (an input or a tick at a time, and the verdict wanted), rule literals for
 * thresholds and rates, and the loop that plays a table of scripts. */
#ifndef TEST_ALERTD_EVAL_FIXTURE_H
#define TEST_ALERTD_EVAL_FIXTURE_H

#include "alertd/rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define S 1000LL
#define M (60 * S)
#define END                                                                                        \
	{                                                                                          \
		-1, 0, 0, 0, RULE_NONE                                                             \
	}

/* One input at now: 'm' the rule's metric (ts = now unless ts is set), 'g' its
 * while: metric, 'o' another metric, 'e' the rule's event (v: 1 active, 0
 * cleared), 'x' another event, 's' status (v: 1 online, 0 offline), 't' a tick. */
struct step {
	long long now;
	char what;
	double v;
	long long ts;
	enum rule_verdict want;
};

struct eval_case {
	const char *what;
	struct rcf_rule rule;
	struct step steps[24];
};

#define THR(op_, raise_, clear_, has_clear_, rfor, cfor)                                           \
	{                                                                                          \
		.kind = RCF_THRESHOLD, .metric = "level", .op = (op_), .raise = (raise_),          \
		.clear = (clear_), .has_clear = (has_clear_), .raise_for_ms = (rfor),              \
		.clear_for_ms = (cfor), .enabled = 1                                               \
	}
#define RATE(op_, raise_, clear_, window)                                                          \
	{                                                                                          \
		.kind = RCF_RATE, .metric = "level", .op = (op_), .raise = (raise_),               \
		.clear = (clear_), .has_clear = 1, .window_ms = (window), .enabled = 1             \
	}

static inline enum rule_verdict
run_step(const struct rcf_rule *r, struct rule_state *st, const struct step *s,
	 struct rule_result *res)
{
	struct rule_input in = {0};

	in.ts_ms = s->ts ? s->ts : s->now;
	in.value = s->v;
	in.on = s->v != 0;
	switch (s->what) {
	case 't':
		return rule_tick(r, st, s->now, res);
	case 'm':
		in.kind = RULE_IN_METRIC;
		in.name = r->metric;
		break;
	case 'g':
		in.kind = RULE_IN_METRIC;
		in.name = r->guard;
		break;
	case 'o':
		in.kind = RULE_IN_METRIC;
		in.name = "other_metric";
		break;
	case 'e':
		in.kind = RULE_IN_EVENT;
		in.name = r->event;
		break;
	case 'x':
		in.kind = RULE_IN_EVENT;
		in.name = "other_event";
		break;
	default:
		in.kind = RULE_IN_STATUS;
		break;
	}
	return rule_eval(r, st, &in, s->now, res);
}

static inline void
run_cases(const struct eval_case *cases, size_t n)
{
	for (size_t c = 0; c < n; c++) {
		const struct eval_case *k = &cases[c];
		struct rule_state st;

		rule_state_init(&st, 0);
		for (const struct step *s = k->steps; s->now >= 0; s++) {
			struct rule_result res;
			enum rule_verdict v = run_step(&k->rule, &st, s, &res);

			if (v != s->want || res.verdict != v)
				fail_msg("%s: step %zu (now=%lld '%c' %g): verdict %d, want %d",
					 k->what, (size_t)(s - k->steps), s->now, s->what, s->v, v,
					 s->want);
		}
	}
}

#endif
