/* test_dispatchd_fsm.c — the work-order state machine
 * (services/dispatchd/wo_fsm): every event from every state against a table
 * of where it must go, who may send each event, the named refusals (and that
 * a refusal changes nothing), and the effects beyond the state: times, the
 * skip list, pause accounting, the low-score reopen, escalation levels. */
#include "dispatchd/wo_fsm.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define T0 1700000000000LL
#define MIN 60000LL
#define ALL (WO_ROLE_SYSTEM | WO_ROLE_SUPERVISOR | WO_ROLE_CUSTOMER_SERVICE)

/* An order in state s: assigned to "tech1" where the state has an assignee. */
static void
order_in(struct wo *o, enum wo_state s)
{
	wo_init(o, 0, 1, -1, T0, 0);
	o->state = s;
	if (s != WO_REGISTERED && s != WO_DECLINED && s != WO_REOPENED && s != WO_CANCELLED)
		snprintf(o->assignee, sizeof o->assignee, "tech1");
	if (s == WO_PAUSED) {
		o->paused_at_ms = T0;
		snprintf(o->pause_reason, sizeof o->pause_reason, "parts");
	}
}

/* The assignee holding every role, so only the state decides. */
static struct wo_input
input(enum wo_event ev)
{
	struct wo_input in = {ev, "tech1", ALL, "tech2", "why", 5, 2};

	return in;
}

#define X -1 /* WO_E_STATE */
#define F -2 /* WO_E_FINISHED */
enum { RG, DP, AC, OS, IP, PS, CO, FU, CL, DC, RO, CA };

/* expect[state][event]: the state it goes to, X or F. Events in enum order:
 * dispatch accept decline arrive start pause resume complete followup close
 * reopen cancel escalate. */
static const int expect[WO_N_STATES][WO_N_EVENTS] = {
	[RG] = {DP, X, X, X, X, X, X, X, X, X, X, CA, RG},
	[DP] = {DP, AC, DC, X, X, X, X, X, X, X, X, CA, DP},
	[AC] = {X, X, X, OS, X, X, X, X, X, X, X, CA, AC},
	[OS] = {X, X, X, X, IP, PS, X, CO, X, X, X, CA, OS},
	[IP] = {X, X, X, X, X, PS, X, CO, X, X, X, CA, IP},
	[PS] = {X, X, X, X, X, X, IP, X, X, X, X, CA, PS},
	[CO] = {X, X, X, X, X, X, X, X, FU, X, RO, X, CO},
	[FU] = {X, X, X, X, X, X, X, X, X, CL, RO, X, FU},
	[CL] = {F, F, F, F, F, F, F, F, F, F, F, F, F},
	[DC] = {DP, X, X, X, X, X, X, X, X, X, X, CA, DC},
	[RO] = {DP, X, X, X, X, X, X, X, X, X, X, CA, RO},
	[CA] = {F, F, F, F, F, F, F, F, F, F, F, F, F},
};

static void
every_event_from_every_state(void **state)
{
	(void)state;
	for (int s = 0; s < WO_N_STATES; s++) {
		for (int e = 0; e < WO_N_EVENTS; e++) {
			struct wo o, before;
			struct wo_out out;
			struct wo_input in = input((enum wo_event)e);
			enum wo_rc rc;

			order_in(&o, (enum wo_state)s);
			before = o;
			rc = wo_apply(&o, &in, T0 + MIN, &out);
			if (expect[s][e] < 0) {
				if (rc != (expect[s][e] == X ? WO_E_STATE : WO_E_FINISHED))
					fail_msg("%s from %s: %s", wo_event_name(e),
						 wo_state_name(s), wo_rc_name(rc));
				assert_int_equal(out.n, 0);
				assert_memory_equal(&o, &before, sizeof o);
				continue;
			}
			if (rc != WO_OK || (int)o.state != expect[s][e])
				fail_msg("%s from %s: %s, now %s, want %s", wo_event_name(e),
					 wo_state_name(s), wo_rc_name(rc), wo_state_name(o.state),
					 wo_state_name(expect[s][e]));
			assert_int_equal(out.n, 1);
			assert_int_equal(out.from[0], s);
			assert_int_equal(out.to[0], expect[s][e]);
		}
	}
}

/* The transition each legal event records in wo_events. */
static void
transition_names(void **state)
{
	static const struct {
		enum wo_state from;
		enum wo_event ev;
		const char *t;
	} cases[] = {
		{WO_REGISTERED, WO_EV_DISPATCH, "dispatched"},
		{WO_DISPATCHED, WO_EV_DISPATCH, "reassigned"},
		{WO_DISPATCHED, WO_EV_ACCEPT, "accepted"},
		{WO_DISPATCHED, WO_EV_DECLINE, "declined"},
		{WO_ACCEPTED, WO_EV_ARRIVE, "arrived"},
		{WO_ON_SITE, WO_EV_START, "started"},
		{WO_IN_PROGRESS, WO_EV_PAUSE, "paused"},
		{WO_PAUSED, WO_EV_RESUME, "resumed"},
		{WO_IN_PROGRESS, WO_EV_COMPLETE, "completed"},
		{WO_COMPLETED, WO_EV_FOLLOWUP, "followed_up"},
		{WO_FOLLOWED_UP, WO_EV_CLOSE, "closed"},
		{WO_FOLLOWED_UP, WO_EV_REOPEN, "reopened"},
		{WO_PAUSED, WO_EV_CANCEL, "cancelled"},
		{WO_ACCEPTED, WO_EV_ESCALATE, "escalated"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct wo o;
		struct wo_out out;
		struct wo_input in = input(cases[i].ev);

		order_in(&o, cases[i].from);
		assert_int_equal(wo_apply(&o, &in, T0 + MIN, &out), WO_OK);
		assert_string_equal(wo_transition_name(out.t[0]), cases[i].t);
	}
}

struct actor_case {
	enum wo_event ev;
	enum wo_state from;
	const char *actor;
	unsigned roles;
	enum wo_rc rc;
};

#define SYS WO_ROLE_SYSTEM
#define SUP WO_ROLE_SUPERVISOR
#define CS WO_ROLE_CUSTOMER_SERVICE
static const struct actor_case actors[] = {
	/* Only the assignee acts on accept .. complete, whatever others hold. */
	{WO_EV_ACCEPT, WO_DISPATCHED, "tech1", 0, WO_OK},
	{WO_EV_ACCEPT, WO_DISPATCHED, "tech2", ALL, WO_E_NOT_ASSIGNEE},
	{WO_EV_ACCEPT, WO_DISPATCHED, "dispatchd", SYS, WO_E_NOT_ASSIGNEE},
	{WO_EV_ACCEPT, WO_DISPATCHED, NULL, ALL, WO_E_NOT_ASSIGNEE},
	{WO_EV_DECLINE, WO_DISPATCHED, "tech2", ALL, WO_E_NOT_ASSIGNEE},
	{WO_EV_ARRIVE, WO_ACCEPTED, "sup1", SUP, WO_E_NOT_ASSIGNEE},
	{WO_EV_START, WO_ON_SITE, "tech2", 0, WO_E_NOT_ASSIGNEE},
	{WO_EV_PAUSE, WO_IN_PROGRESS, "tech2", 0, WO_E_NOT_ASSIGNEE},
	{WO_EV_RESUME, WO_PAUSED, "cs1", CS, WO_E_NOT_ASSIGNEE},
	{WO_EV_COMPLETE, WO_IN_PROGRESS, "tech2", ALL, WO_E_NOT_ASSIGNEE},
	{WO_EV_COMPLETE, WO_ON_SITE, "tech1", 0, WO_OK},
	/* Dispatch: dispatchd or a supervisor. */
	{WO_EV_DISPATCH, WO_REGISTERED, "dispatchd", SYS, WO_OK},
	{WO_EV_DISPATCH, WO_REGISTERED, "sup1", SUP, WO_OK},
	{WO_EV_DISPATCH, WO_REGISTERED, "cs1", CS, WO_E_NOT_PERMITTED},
	{WO_EV_DISPATCH, WO_DECLINED, "tech1", 0, WO_E_NOT_PERMITTED},
	/* Follow-up: customer service only. */
	{WO_EV_FOLLOWUP, WO_COMPLETED, "cs1", CS, WO_OK},
	{WO_EV_FOLLOWUP, WO_COMPLETED, "dispatchd", SYS, WO_E_NOT_PERMITTED},
	{WO_EV_FOLLOWUP, WO_COMPLETED, "sup1", SUP, WO_E_NOT_PERMITTED},
	{WO_EV_FOLLOWUP, WO_COMPLETED, "tech1", 0, WO_E_NOT_PERMITTED},
	/* Close: dispatchd or customer service. */
	{WO_EV_CLOSE, WO_FOLLOWED_UP, "dispatchd", SYS, WO_OK},
	{WO_EV_CLOSE, WO_FOLLOWED_UP, "cs1", CS, WO_OK},
	{WO_EV_CLOSE, WO_FOLLOWED_UP, "sup1", SUP, WO_E_NOT_PERMITTED},
	/* Reopen and cancel: dispatchd, supervisor, customer service. */
	{WO_EV_REOPEN, WO_COMPLETED, "sup1", SUP, WO_OK},
	{WO_EV_REOPEN, WO_COMPLETED, "cs1", CS, WO_OK},
	{WO_EV_REOPEN, WO_COMPLETED, "tech1", 0, WO_E_NOT_PERMITTED},
	{WO_EV_CANCEL, WO_ACCEPTED, "sup1", SUP, WO_OK},
	{WO_EV_CANCEL, WO_ACCEPTED, "tech1", 0, WO_E_NOT_PERMITTED},
	/* Escalation is dispatchd's alone. */
	{WO_EV_ESCALATE, WO_ACCEPTED, "dispatchd", SYS, WO_OK},
	{WO_EV_ESCALATE, WO_ACCEPTED, "sup1", SUP, WO_E_NOT_PERMITTED},
	/* The state is checked before the actor. */
	{WO_EV_ACCEPT, WO_ACCEPTED, "tech2", 0, WO_E_STATE},
	{WO_EV_CLOSE, WO_CLOSED, "cs1", CS, WO_E_FINISHED},
};

static void
who_may_do_what(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof actors / sizeof actors[0]; i++) {
		const struct actor_case *c = &actors[i];
		struct wo o, before;
		struct wo_out out;
		struct wo_input in = input(c->ev);
		enum wo_rc rc;

		in.actor = c->actor;
		in.roles = c->roles;
		order_in(&o, c->from);
		before = o;
		rc = wo_apply(&o, &in, T0 + MIN, &out);
		if (rc != c->rc)
			fail_msg("case %zu: %s by %s: %s, want %s", i, wo_event_name(c->ev),
				 c->actor ? c->actor : "(null)", wo_rc_name(rc), wo_rc_name(c->rc));
		if (rc != WO_OK)
			assert_memory_equal(&o, &before, sizeof o);
	}
}

static void
refusals_by_input(void **state)
{
	static const struct {
		enum wo_event ev;
		enum wo_state from;
		const char *reason, *person;
		int score;
		enum wo_rc rc;
	} cases[] = {
		{WO_EV_DECLINE, WO_DISPATCHED, "", "x", 5, WO_E_NEED_REASON},
		{WO_EV_DECLINE, WO_DISPATCHED, NULL, "x", 5, WO_E_NEED_REASON},
		{WO_EV_PAUSE, WO_IN_PROGRESS, "", "x", 5, WO_E_NEED_REASON},
		{WO_EV_CANCEL, WO_REGISTERED, NULL, "x", 5, WO_E_NEED_REASON},
		{WO_EV_REOPEN, WO_COMPLETED, "", "x", 5, WO_E_NEED_REASON},
		{WO_EV_FOLLOWUP, WO_COMPLETED, "r", "x", 0, WO_E_BAD_SCORE},
		{WO_EV_FOLLOWUP, WO_COMPLETED, "r", "x", 6, WO_E_BAD_SCORE},
		{WO_EV_FOLLOWUP, WO_COMPLETED, "r", "x", 1, WO_OK},
		{WO_EV_DISPATCH, WO_REGISTERED, "r", NULL, 5, WO_E_NEED_PERSON},
		{WO_EV_DISPATCH, WO_REGISTERED, "r", "", 5, WO_E_NEED_PERSON},
		{WO_EV_DISPATCH, WO_DISPATCHED, "r", "tech1", 5, WO_E_NEED_PERSON},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct wo o, before;
		struct wo_out out;
		struct wo_input in = input(cases[i].ev);

		in.reason = cases[i].reason;
		in.person = cases[i].person;
		in.score = cases[i].score;
		order_in(&o, cases[i].from);
		before = o;
		assert_int_equal(wo_apply(&o, &in, T0, &out), cases[i].rc);
		if (cases[i].rc != WO_OK)
			assert_memory_equal(&o, &before, sizeof o);
	}
	assert_string_equal(wo_rc_name(WO_E_NOT_ASSIGNEE), "not_assignee");
	assert_string_equal(wo_rc_name(WO_E_STATE), "illegal_transition");
}

/* Sends ev as actor (system, supervisor and customer service roles unless
 * the event is the assignee's: then as the assignee) and wants WO_OK. */
static void
must(struct wo *o, enum wo_event ev, long long at, const char *person, int score)
{
	struct wo_input in = input(ev);
	struct wo_out out;
	enum wo_rc rc;

	in.actor = o->assignee[0] ? o->assignee : "dispatchd";
	in.person = person;
	in.score = score;
	rc = wo_apply(o, &in, at, &out);
	if (rc != WO_OK)
		fail_msg("%s from %s: %s", wo_event_name(ev), wo_state_name(o->state),
			 wo_rc_name(rc));
}

static void
full_loop_records_times(void **state)
{
	struct wo o;

	(void)state;
	wo_init(&o, 0, 1, -1, T0, 0);
	must(&o, WO_EV_DISPATCH, T0 + 1 * MIN, "tech1", 0);
	must(&o, WO_EV_ACCEPT, T0 + 2 * MIN, NULL, 0);
	must(&o, WO_EV_ARRIVE, T0 + 30 * MIN, NULL, 0);
	must(&o, WO_EV_START, T0 + 31 * MIN, NULL, 0);
	must(&o, WO_EV_COMPLETE, T0 + 90 * MIN, NULL, 0);
	must(&o, WO_EV_FOLLOWUP, T0 + 600 * MIN, NULL, 4);
	must(&o, WO_EV_CLOSE, T0 + 601 * MIN, NULL, 0);
	assert_int_equal(o.state, WO_CLOSED);
	assert_true(wo_finished(&o));
	assert_true(o.acked_ms == T0 + MIN && o.dispatched_ms == T0 + MIN);
	assert_true(o.accepted_ms == T0 + 2 * MIN && o.arrived_ms == T0 + 30 * MIN);
	assert_true(o.started_ms == T0 + 31 * MIN && o.completed_ms == T0 + 90 * MIN);
	assert_true(o.followed_up_ms == T0 + 600 * MIN && o.closed_ms == T0 + 601 * MIN);
	assert_int_equal(o.satisfaction, 4);
	assert_string_equal(o.assignee, "tech1");
}

static void
decline_and_timeout_fill_the_skip_list(void **state)
{
	struct wo o;
	char id[WO_ID_SIZE];

	(void)state;
	wo_init(&o, 0, 1, -1, T0, 0);
	must(&o, WO_EV_DISPATCH, T0 + MIN, "tech1", 0);
	must(&o, WO_EV_DECLINE, T0 + 2 * MIN, NULL, 0);
	assert_int_equal(o.state, WO_DECLINED);
	assert_string_equal(o.assignee, "");
	assert_true(wo_skipped(&o, "tech1"));
	must(&o, WO_EV_DISPATCH, T0 + 3 * MIN, "tech2", 0);
	/* tech2 lets the acceptance window pass: re-dispatch skips them too;
	 * the acknowledge clock stopped at the first dispatch. */
	must(&o, WO_EV_DISPATCH, T0 + 20 * MIN, "tech3", 0);
	assert_true(wo_skipped(&o, "tech2") && !wo_skipped(&o, "tech3"));
	assert_true(o.acked_ms == T0 + MIN && o.dispatched_ms == T0 + 20 * MIN);
	assert_int_equal(o.n_skip, 2);
	/* Past WO_MAX_SKIP the oldest drop out: tech3 and p0..p14 make 16
	 * after tech1 and tech2; p15 holds the order. */
	for (int i = 0; i < WO_MAX_SKIP; i++) {
		snprintf(id, sizeof id, "p%d", i);
		must(&o, WO_EV_DISPATCH, T0 + (30 + i) * MIN, id, 0);
	}
	assert_int_equal(o.n_skip, WO_MAX_SKIP);
	assert_false(wo_skipped(&o, "tech1") || wo_skipped(&o, "tech2"));
	assert_true(wo_skipped(&o, "tech3") && wo_skipped(&o, "p0") && wo_skipped(&o, "p14"));
	assert_false(wo_skipped(&o, "p15"));
}

static void
pauses_add_up(void **state)
{
	struct wo o;
	struct wo_input in = input(WO_EV_PAUSE);
	struct wo_out out;

	(void)state;
	order_in(&o, WO_IN_PROGRESS);
	in.reason = "waiting for parts";
	assert_int_equal(wo_apply(&o, &in, T0 + 10 * MIN, &out), WO_OK);
	assert_string_equal(o.pause_reason, "waiting for parts");
	assert_true(o.paused_at_ms == T0 + 10 * MIN);
	must(&o, WO_EV_RESUME, T0 + 25 * MIN, NULL, 0);
	assert_true(o.paused_ms == 15 * MIN && o.paused_at_ms == 0);
	assert_string_equal(o.pause_reason, "");
	must(&o, WO_EV_PAUSE, T0 + 30 * MIN, NULL, 0);
	/* Cancelling a paused order ends the pause too. */
	must(&o, WO_EV_CANCEL, T0 + 40 * MIN, NULL, 0);
	assert_true(o.paused_ms == 25 * MIN && o.paused_at_ms == 0);
	assert_true(o.cancelled_ms == T0 + 40 * MIN);
}

static void
low_score_reopens(void **state)
{
	for (int score = 1; score <= 5; score++) {
		struct wo o;
		struct wo_input in = input(WO_EV_FOLLOWUP);
		struct wo_out out;

		(void)state;
		order_in(&o, WO_COMPLETED);
		o.completed_ms = T0;
		o.escalation_level = 2;
		o.breached = 3;
		snprintf(o.skip[o.n_skip++], WO_ID_SIZE, "x");
		in.score = score;
		in.roles = WO_ROLE_CUSTOMER_SERVICE;
		assert_int_equal(wo_apply(&o, &in, T0 + 60 * MIN, &out), WO_OK);
		assert_int_equal(o.satisfaction, score);
		if (score > 2) {
			assert_int_equal(out.n, 1);
			assert_int_equal(o.state, WO_FOLLOWED_UP);
			assert_true(o.followed_up_ms == T0 + 60 * MIN);
			continue;
		}
		assert_int_equal(out.n, 2);
		assert_int_equal(out.t[0], WO_T_FOLLOWED_UP);
		assert_int_equal(out.t[1], WO_T_REOPENED);
		assert_int_equal(out.from[1], WO_FOLLOWED_UP);
		assert_int_equal(o.state, WO_REOPENED);
		/* A fresh round: clocks from now, nobody assigned or skipped. */
		assert_true(o.start_ms == T0 + 60 * MIN && o.completed_ms == 0);
		assert_int_equal(o.reopen_count, 1);
		assert_int_equal(o.escalation_level, 0);
		assert_int_equal(o.breached, 0);
		assert_int_equal(o.n_skip, 0);
		assert_string_equal(o.assignee, "");
	}
}

static void
escalation_is_a_level(void **state)
{
	struct wo o;

	(void)state;
	order_in(&o, WO_ON_SITE);
	must(&o, WO_EV_ESCALATE, T0 + MIN, NULL, 0);
	must(&o, WO_EV_ESCALATE, T0 + 2 * MIN, NULL, 0);
	assert_int_equal(o.state, WO_ON_SITE);
	assert_int_equal(o.escalation_level, 2);
}

static void
start_is_the_alarm_raise(void **state)
{
	struct wo o;

	(void)state;
	wo_init(&o, 2, 0, -1, T0, T0 - 7 * MIN);
	assert_true(o.start_ms == T0 - 7 * MIN && o.created_ms == T0);
	wo_init(&o, 2, 0, -1, T0, 0);
	assert_true(o.start_ms == T0);
	/* A raise time from the future (a skewed clock) never buys time. */
	wo_init(&o, 2, 0, -1, T0, T0 + MIN);
	assert_true(o.start_ms == T0);
	assert_int_equal(o.state, WO_REGISTERED);
}

/* The names are the SQL domain's and wo_events.transition's. */
static void
names_match_the_schema(void **state)
{
	static const char *const states[] = {
		"registered", "dispatched",  "accepted", "on_site",  "in_progress", "paused",
		"completed",  "followed_up", "closed",   "declined", "reopened",    "cancelled"};
	static const char *const sql_transitions[] = {
		"created",  "dispatched", "accepted",   "declined",    "arrived", "started",
		"paused",   "resumed",    "completed",  "followed_up", "closed",  "escalated",
		"reopened", "cancelled",  "reassigned", "noted"};

	(void)state;
	for (int s = 0; s < WO_N_STATES; s++)
		assert_string_equal(wo_state_name(s), states[s]);
	for (int t = 0; t <= WO_T_CANCELLED; t++) {
		int found = 0;

		for (size_t k = 0; k < sizeof sql_transitions / sizeof sql_transitions[0]; k++)
			found |= strcmp(wo_transition_name(t), sql_transitions[k]) == 0;
		if (!found)
			fail_msg("transition %s is not in wo_events", wo_transition_name(t));
	}
	assert_string_equal(wo_state_name(WO_N_STATES), "?");
	assert_string_equal(wo_event_name(WO_EV_ESCALATE), "escalate");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_event_from_every_state),
		cmocka_unit_test(transition_names),
		cmocka_unit_test(who_may_do_what),
		cmocka_unit_test(refusals_by_input),
		cmocka_unit_test(full_loop_records_times),
		cmocka_unit_test(decline_and_timeout_fill_the_skip_list),
		cmocka_unit_test(pauses_add_up),
		cmocka_unit_test(low_score_reopens),
		cmocka_unit_test(escalation_is_a_level),
		cmocka_unit_test(start_is_the_alarm_raise),
		cmocka_unit_test(names_match_the_schema),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
