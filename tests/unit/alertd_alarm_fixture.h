/* alertd_alarm_fixture.h — what the alarm lifecycle tests share: a policy
 * (reminder 10 min, escalation at 5 and 15 min, flapping at 4 changes in 10
 * min, shelving up to 1 h), alarms put into each state, and timelines of
 * events with the transitions each must produce. */
#ifndef TEST_ALERTD_ALARM_FIXTURE_H
#define TEST_ALERTD_ALARM_FIXTURE_H

#include "alertd/alarm.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define S 1000LL
#define M (60 * S)
#define T0 (1700000000000LL) /* a UTC ms */

static const struct alarm_policy policy = {
	.reminder_ms = 10 * M,
	.escalation_ms = {5 * M, 15 * M},
	.n_escalation = 2,
	.flap_changes = 4,
	.flap_window_ms = 10 * M,
	.shelve_max_ms = 60 * M,
};

static inline enum alarm_rc
apply(struct alarm *a, enum alarm_event ev, long long now, struct alarm_out *out)
{
	struct alarm_input in = {ev, "duty-wang", 30 * M, 1, 42.5};

	return alarm_apply(a, &policy, &in, now, out);
}

/* An alarm put into state s at T0 by the events that lead there. */
static inline void
make(struct alarm *a, enum alarm_state s)
{
	struct alarm_out out;

	memset(a, 0, sizeof *a);
	if (s == ALARM_CLOSED)
		return;
	assert_int_equal(apply(a, ALARM_EV_RAISE, T0, &out), ALARM_OK);
	if (s == ALARM_ACTIVE_ACKED)
		assert_int_equal(apply(a, ALARM_EV_ACK, T0, &out), ALARM_OK);
	if (s == ALARM_CLEARED_UNACKED)
		assert_int_equal(apply(a, ALARM_EV_CLEAR, T0, &out), ALARM_OK);
	assert_int_equal(a->state, s);
}

#define NT -1 /* end of a transition list */

/* A timeline: the transitions each tick (or event) produces. */
struct at {
	long long t; /* after T0 */
	enum alarm_event ev;
	int want[3]; /* transitions, NT-terminated */
};

static inline void
run_timeline(const char *what, struct alarm *a, const struct alarm_policy *p, const struct at *tl,
	     size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct alarm_input in = {tl[i].ev, "duty-wang", 30 * M, 0, 0};
		struct alarm_out out;
		int k = 0;

		alarm_apply(a, p, &in, T0 + tl[i].t, &out);
		while (tl[i].want[k] != NT)
			k++;
		if (out.n != k)
			fail_msg("%s: step %zu (t=%llds): %d transitions (first %s), want %d", what,
				 i, tl[i].t / S, out.n,
				 out.n ? alarm_transition_name(out.t[0]) : "-", k);
		for (int j = 0; j < k; j++)
			if ((int)out.t[j] != tl[i].want[j])
				fail_msg("%s: step %zu: transition %d is %s, want %s", what, i, j,
					 alarm_transition_name(out.t[j]),
					 alarm_transition_name(tl[i].want[j]));
	}
}

#define TICK(t)                                                                                    \
	{                                                                                          \
		(t), ALARM_EV_TICK,                                                                \
		{                                                                                  \
			NT                                                                         \
		}                                                                                  \
	}
#define TICK1(t, x)                                                                                \
	{                                                                                          \
		(t), ALARM_EV_TICK,                                                                \
		{                                                                                  \
			(x), NT                                                                    \
		}                                                                                  \
	}

static inline int
count(const struct alarm_out *out, enum alarm_transition t)
{
	int n = 0;

	for (int i = 0; i < out->n; i++)
		n += out->t[i] == t;
	return n;
}

#endif
