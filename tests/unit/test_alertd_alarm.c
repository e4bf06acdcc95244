/* test_alertd_alarm.c — alertd's pure alarm lifecycle (services/alertd/alarm.c):
 * every (state x event) pair including the refused ones, closing only when
 * cleared and acknowledged, what transitions record, the bounds of shelving,
 * next-due times, the names that go into payloads, and the policy a rule
 * gives. Timelines (escalation, reminders, shelving expiry, flapping) are in
 * test_alertd_alarm_timeline.c. */
#include "alertd_alarm_fixture.h"

struct pair_case {
	enum alarm_state from;
	enum alarm_event ev;
	enum alarm_rc rc;
	enum alarm_state to;
	int t[ALARM_MAX_OUT + 1]; /* transitions, NT-terminated */
};

/* Every state against every event, one minute after T0 (nothing is due). */
static const struct pair_case pairs[] = {
	{ALARM_CLOSED, ALARM_EV_RAISE, ALARM_OK, ALARM_ACTIVE_UNACKED, {ALARM_T_RAISED, NT}},
	{ALARM_CLOSED, ALARM_EV_CLEAR, ALARM_NOOP, ALARM_CLOSED, {NT}},
	{ALARM_CLOSED, ALARM_EV_ACK, ALARM_E_NO_ALARM, ALARM_CLOSED, {NT}},
	{ALARM_CLOSED, ALARM_EV_SHELVE, ALARM_E_NO_ALARM, ALARM_CLOSED, {NT}},
	{ALARM_CLOSED, ALARM_EV_UNSHELVE, ALARM_E_NOT_SHELVED, ALARM_CLOSED, {NT}},
	{ALARM_CLOSED, ALARM_EV_TICK, ALARM_NOOP, ALARM_CLOSED, {NT}},

	{ALARM_ACTIVE_UNACKED, ALARM_EV_RAISE, ALARM_NOOP, ALARM_ACTIVE_UNACKED, {NT}},
	{ALARM_ACTIVE_UNACKED,
	 ALARM_EV_CLEAR,
	 ALARM_OK,
	 ALARM_CLEARED_UNACKED,
	 {ALARM_T_CLEARED, NT}},
	{ALARM_ACTIVE_UNACKED, ALARM_EV_ACK, ALARM_OK, ALARM_ACTIVE_ACKED, {ALARM_T_ACKED, NT}},
	{ALARM_ACTIVE_UNACKED,
	 ALARM_EV_SHELVE,
	 ALARM_OK,
	 ALARM_ACTIVE_UNACKED,
	 {ALARM_T_SHELVED, NT}},
	{ALARM_ACTIVE_UNACKED, ALARM_EV_UNSHELVE, ALARM_E_NOT_SHELVED, ALARM_ACTIVE_UNACKED, {NT}},
	{ALARM_ACTIVE_UNACKED, ALARM_EV_TICK, ALARM_NOOP, ALARM_ACTIVE_UNACKED, {NT}},

	{ALARM_ACTIVE_ACKED, ALARM_EV_RAISE, ALARM_NOOP, ALARM_ACTIVE_ACKED, {NT}},
	{ALARM_ACTIVE_ACKED,
	 ALARM_EV_CLEAR,
	 ALARM_OK,
	 ALARM_CLOSED,
	 {ALARM_T_CLEARED, ALARM_T_CLOSED, NT}},
	{ALARM_ACTIVE_ACKED, ALARM_EV_ACK, ALARM_E_ACKED, ALARM_ACTIVE_ACKED, {NT}},
	{ALARM_ACTIVE_ACKED, ALARM_EV_SHELVE, ALARM_OK, ALARM_ACTIVE_ACKED, {ALARM_T_SHELVED, NT}},
	{ALARM_ACTIVE_ACKED, ALARM_EV_UNSHELVE, ALARM_E_NOT_SHELVED, ALARM_ACTIVE_ACKED, {NT}},
	{ALARM_ACTIVE_ACKED, ALARM_EV_TICK, ALARM_NOOP, ALARM_ACTIVE_ACKED, {NT}},

	{ALARM_CLEARED_UNACKED,
	 ALARM_EV_RAISE,
	 ALARM_OK,
	 ALARM_ACTIVE_UNACKED,
	 {ALARM_T_RAISED, NT}},
	{ALARM_CLEARED_UNACKED, ALARM_EV_CLEAR, ALARM_NOOP, ALARM_CLEARED_UNACKED, {NT}},
	{ALARM_CLEARED_UNACKED,
	 ALARM_EV_ACK,
	 ALARM_OK,
	 ALARM_CLOSED,
	 {ALARM_T_ACKED, ALARM_T_CLOSED, NT}},
	{ALARM_CLEARED_UNACKED,
	 ALARM_EV_SHELVE,
	 ALARM_OK,
	 ALARM_CLEARED_UNACKED,
	 {ALARM_T_SHELVED, NT}},
	{ALARM_CLEARED_UNACKED,
	 ALARM_EV_UNSHELVE,
	 ALARM_E_NOT_SHELVED,
	 ALARM_CLEARED_UNACKED,
	 {NT}},
	{ALARM_CLEARED_UNACKED, ALARM_EV_TICK, ALARM_NOOP, ALARM_CLEARED_UNACKED, {NT}},
};

static void
test_every_state_and_event(void **state)
{
	(void)state;
	assert_int_equal(sizeof pairs / sizeof pairs[0], 4 * 6);
	for (size_t c = 0; c < sizeof pairs / sizeof pairs[0]; c++) {
		const struct pair_case *k = &pairs[c];
		struct alarm a, before;
		struct alarm_out out;
		enum alarm_rc rc;
		int n = 0;

		make(&a, k->from);
		before = a;
		rc = apply(&a, k->ev, T0 + M, &out);
		while (k->t[n] != NT)
			n++;
		if (rc != k->rc || a.state != k->to || out.n != n)
			fail_msg("case %zu (%s + event %d): rc %s, state %d, %d transitions; want "
				 "%s, %d, %d",
				 c, alarm_state_name(k->from), k->ev, alarm_rc_name(rc), a.state,
				 out.n, alarm_rc_name(k->rc), k->to, n);
		for (int i = 0; i < n; i++)
			assert_int_equal(out.t[i], k->t[i]);
		if (rc != ALARM_OK) /* refused or nothing to do: nothing changed */
			assert_memory_equal(&a, &before, sizeof a);
	}
}

/* What the transitions record: times, actor, value; closing needs both. */
static void
test_records(void **state)
{
	struct alarm a;
	struct alarm_out out;

	(void)state;
	make(&a, ALARM_ACTIVE_UNACKED);
	assert_int_equal(a.raised_at_ms, T0);
	assert_true(a.has_value && a.value == 42.5);
	apply(&a, ALARM_EV_ACK, T0 + 2 * M, &out);
	assert_string_equal(a.acked_by, "duty-wang");
	assert_int_equal(a.acked_at_ms, T0 + 2 * M);
	assert_int_equal(a.closed_at_ms, 0);
	apply(&a, ALARM_EV_CLEAR, T0 + 3 * M, &out);
	assert_int_equal(a.state, ALARM_CLOSED);
	assert_int_equal(a.cleared_at_ms, T0 + 3 * M);
	assert_int_equal(a.closed_at_ms, T0 + 3 * M);

	/* a new alarm after closing starts afresh */
	apply(&a, ALARM_EV_RAISE, T0 + 20 * M, &out);
	assert_int_equal(a.raised_at_ms, T0 + 20 * M);
	assert_string_equal(a.acked_by, "");
	assert_int_equal(a.cleared_at_ms, 0);
	assert_int_equal(a.escalation_level, 0);

	/* raised again while cleared and unacknowledged: the same alarm */
	make(&a, ALARM_CLEARED_UNACKED);
	apply(&a, ALARM_EV_TICK, T0 + 5 * M, &out); /* escalates to level 1 */
	apply(&a, ALARM_EV_RAISE, T0 + 6 * M, &out);
	assert_int_equal(a.raised_at_ms, T0);
	assert_int_equal(a.cleared_at_ms, 0);
	assert_int_equal(a.escalation_level, 1);
}

static void
test_shelve_bounds(void **state)
{
	static const long long bad[] = {0, -1, 60 * M + 1, LLONG_MAX};
	struct alarm a, before;
	struct alarm_out out;

	(void)state;
	make(&a, ALARM_ACTIVE_UNACKED);
	before = a;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct alarm_input in = {ALARM_EV_SHELVE, "duty-li", bad[i], 0, 0};

		assert_int_equal(alarm_apply(&a, &policy, &in, T0 + M, &out), ALARM_E_SHELVE_RANGE);
		assert_memory_equal(&a, &before, sizeof a);
	}
	struct alarm_input max = {ALARM_EV_SHELVE, "duty-li", 60 * M, 0, 0};

	assert_int_equal(alarm_apply(&a, &policy, &max, T0 + M, &out), ALARM_OK);
	assert_int_equal(a.shelved_until_ms, T0 + 61 * M);
	assert_string_equal(a.shelved_by, "duty-li");
}

static void
test_next_due(void **state)
{
	struct alarm a;
	struct alarm_out out;

	(void)state;
	make(&a, ALARM_CLOSED);
	assert_int_equal(alarm_next_due(&a, &policy), LLONG_MAX);
	make(&a, ALARM_ACTIVE_UNACKED);
	assert_int_equal(alarm_next_due(&a, &policy), T0 + 5 * M);
	apply(&a, ALARM_EV_TICK, T0 + 5 * M, &out);
	assert_int_equal(alarm_next_due(&a, &policy), T0 + 15 * M);
	apply(&a, ALARM_EV_TICK, T0 + 15 * M, &out);
	assert_int_equal(alarm_next_due(&a, &policy), T0 + 25 * M); /* reminder */
	apply(&a, ALARM_EV_ACK, T0 + 16 * M, &out);
	assert_int_equal(alarm_next_due(&a, &policy), LLONG_MAX);
}

static void
test_names(void **state)
{
	static const char *const want[] = {"raised",   "acked",      "cleared",     "escalated",
					   "reminded", "shelved",    "unshelved",   "closed",
					   "flapping", "suppressed", "unsuppressed"};

	(void)state;
	for (int t = ALARM_T_RAISED; t <= ALARM_T_UNSUPPRESSED; t++)
		assert_string_equal(alarm_transition_name(t), want[t]);
	assert_string_equal(alarm_state_name(ALARM_ACTIVE_ACKED), "active");
	assert_string_equal(alarm_state_name(ALARM_CLEARED_UNACKED), "cleared");
	assert_string_equal(alarm_state_name(ALARM_CLOSED), "closed");
	assert_string_equal(alarm_rc_name(ALARM_E_SHELVE_RANGE), "shelve_range");
}

static void
test_policy_from_rule(void **state)
{
	struct rcf_rule r = {.reminder_ms = 5 * M,
			     .n_esc = 2,
			     .esc = {{.after_ms = 5 * M}, {.after_ms = 15 * M}},
			     .flap_changes = 6,
			     .flap_window_ms = 10 * M,
			     .shelve_max_ms = 8 * 60 * M};
	struct alarm_policy p;

	(void)state;
	alarm_policy_from_rule(&p, &r);
	assert_int_equal(p.reminder_ms, 5 * M);
	assert_int_equal(p.n_escalation, 2);
	assert_int_equal(p.escalation_ms[1], 15 * M);
	assert_int_equal(p.flap_changes, 6);
	assert_int_equal(p.shelve_max_ms, 8 * 60 * M);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_state_and_event),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_shelve_bounds),
		cmocka_unit_test(test_next_due),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_policy_from_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
