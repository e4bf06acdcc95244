/* test_alertd_alarm_timeline.c — the alarm lifecycle over time: escalation
 * at the configured delays, acknowledgement stopping escalation and
 * reminders, a cleared but unacknowledged alarm still escalating, reminders,
 * shelving that suppresses notifications until it expires (and outlives the
 * alarm it was set on), flapping reported once per episode. */
#include "alertd_alarm_fixture.h"

static void
test_escalation_and_reminders(void **state)
{
	static const struct at tl[] = {
		{0, ALARM_EV_RAISE, {ALARM_T_RAISED, NT}},
		TICK(5 * M - 1),
		TICK1(5 * M, ALARM_T_ESCALATED), /* level 1 */
		TICK(6 * M),
		TICK(15 * M - 1),
		TICK1(15 * M, ALARM_T_ESCALATED), /* level 2; the reminder due then is folded in */
		TICK(25 * M - 1),
		TICK1(25 * M, ALARM_T_REMINDED), /* the chain is done: reminders go on */
		TICK1(35 * M, ALARM_T_REMINDED),
		{36 * M, ALARM_EV_ACK, {ALARM_T_ACKED, NT}},
		TICK(45 * M),
		TICK(10 * 60 * M),
	};
	struct alarm a = {0};

	(void)state;
	run_timeline("escalation", &a, &policy, tl, sizeof tl / sizeof tl[0]);
	assert_int_equal(a.escalation_level, 2);
}

static void
test_ack_stops_escalation(void **state)
{
	static const struct at tl[] = {
		{0, ALARM_EV_RAISE, {ALARM_T_RAISED, NT}},
		{4 * M, ALARM_EV_ACK, {ALARM_T_ACKED, NT}},
		TICK(5 * M),
		TICK(15 * M),
		TICK(60 * M),
		{61 * M, ALARM_EV_CLEAR, {ALARM_T_CLEARED, ALARM_T_CLOSED, NT}},
	};
	struct alarm a = {0};

	(void)state;
	run_timeline("ack stops escalation", &a, &policy, tl, sizeof tl / sizeof tl[0]);
	assert_int_equal(a.escalation_level, 0);
	assert_int_equal(alarm_next_due(&a, &policy), LLONG_MAX);
}

/* Cleared but not acknowledged: somebody must still see it. */
static void
test_cleared_unacked_still_escalates(void **state)
{
	static const struct at tl[] = {
		{0, ALARM_EV_RAISE, {ALARM_T_RAISED, NT}},
		{1 * M, ALARM_EV_CLEAR, {ALARM_T_CLEARED, NT}},
		TICK1(5 * M, ALARM_T_ESCALATED),
		{6 * M, ALARM_EV_ACK, {ALARM_T_ACKED, ALARM_T_CLOSED, NT}},
		TICK(15 * M),
	};
	struct alarm a = {0};

	(void)state;
	run_timeline("cleared unacked", &a, &policy, tl, sizeof tl / sizeof tl[0]);
}

static void
test_reminders_only(void **state)
{
	struct alarm_policy p = policy;
	static const struct at tl[] = {
		{0, ALARM_EV_RAISE, {ALARM_T_RAISED, NT}},
		TICK(10 * M - 1),
		TICK1(10 * M, ALARM_T_REMINDED),
		TICK(15 * M),
		TICK(20 * M - 1),
		TICK1(20 * M, ALARM_T_REMINDED),
		TICK1(31 * M, ALARM_T_REMINDED),
		TICK(41 * M - 1),
	};
	struct alarm a = {0};

	(void)state;
	p.n_escalation = 0;
	run_timeline("reminders", &a, &p, tl, sizeof tl / sizeof tl[0]);
	p.reminder_ms = 0;
	memset(&a, 0, sizeof a);
	static const struct at none[] = {
		{0, ALARM_EV_RAISE, {ALARM_T_RAISED, NT}}, TICK(10 * M), TICK(100 * M)};
	run_timeline("no reminders", &a, &p, none, sizeof none / sizeof none[0]);
}

/* Shelved: no notifications until it expires; then what is due comes out. */
static void
test_shelving_expiry(void **state)
{
	static const struct at tl[] = {
		{0, ALARM_EV_RAISE, {ALARM_T_RAISED, NT}},
		{1 * M, ALARM_EV_SHELVE, {ALARM_T_SHELVED, NT}}, /* 30 min: until 31 m */
		TICK(5 * M),
		TICK(15 * M),
		TICK(31 * M - 1),
		{31 * M, ALARM_EV_TICK, {ALARM_T_UNSHELVED, ALARM_T_ESCALATED, NT}},
		TICK(32 * M),
		TICK1(41 * M, ALARM_T_REMINDED),
	};
	struct alarm a = {0};
	struct alarm_out out;

	(void)state;
	run_timeline("shelving", &a, &policy, tl, 2);
	assert_true(alarm_shelved(&a, T0 + 31 * M - 1));
	assert_false(alarm_shelved(&a, T0 + 31 * M));
	assert_int_equal(alarm_next_due(&a, &policy), T0 + 31 * M);
	run_timeline("shelving", &a, &policy, tl + 2, sizeof tl / sizeof tl[0] - 2);
	assert_int_equal(a.escalation_level, 2); /* both steps were due: one escalation to 2 */
	assert_int_equal(a.shelved_until_ms, 0);

	/* taken off the shelf by a person */
	make(&a, ALARM_ACTIVE_UNACKED);
	apply(&a, ALARM_EV_SHELVE, T0 + M, &out);
	assert_int_equal(apply(&a, ALARM_EV_UNSHELVE, T0 + 2 * M, &out), ALARM_OK);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.t[0], ALARM_T_UNSHELVED);
	assert_int_equal(apply(&a, ALARM_EV_UNSHELVE, T0 + 3 * M, &out), ALARM_E_NOT_SHELVED);
}

/* Shelving belongs to the (device, rule): an alarm that closes and comes back
 * while shelved is raised without telling anyone. */
static void
test_shelving_outlives_the_alarm(void **state)
{
	struct alarm a;
	struct alarm_out out;

	(void)state;
	make(&a, ALARM_ACTIVE_ACKED);
	apply(&a, ALARM_EV_SHELVE, T0 + M, &out);
	apply(&a, ALARM_EV_CLEAR, T0 + 2 * M, &out);
	assert_int_equal(a.state, ALARM_CLOSED);
	assert_int_equal(apply(&a, ALARM_EV_RAISE, T0 + 3 * M, &out), ALARM_OK);
	assert_int_equal(out.t[0], ALARM_T_RAISED);
	assert_int_equal(out.notify[0], 0);
	assert_int_equal(apply(&a, ALARM_EV_TICK, T0 + 20 * M, &out), ALARM_NOOP);
	assert_int_equal(apply(&a, ALARM_EV_TICK, T0 + 31 * M, &out), ALARM_OK);
	assert_int_equal(out.t[0], ALARM_T_UNSHELVED);
	assert_int_equal(out.t[1], ALARM_T_ESCALATED); /* raised 28 min ago, never acked */
	assert_int_equal(out.notify[1], 1);
}

/* Chattering: four changes within ten minutes start an episode, reported
 * once; raises are then not re-notified; a quiet window ends the episode. */
static void
test_flapping_reported_once(void **state)
{
	struct alarm a = {0};
	struct alarm_out out;
	int flapping = 0, notified_raises = 0;
	long long t = 0;

	(void)state;
	for (int i = 0; i < 40; i++, t += 30 * S) {
		apply(&a, i % 2 ? ALARM_EV_CLEAR : ALARM_EV_RAISE, T0 + t, &out);
		if (i % 4 == 1) /* somebody acknowledges now and then: it closes and reopens */
			apply(&a, ALARM_EV_ACK, T0 + t, &out);
		flapping += count(&out, ALARM_T_FLAPPING);
		for (int k = 0; k < out.n; k++)
			notified_raises += out.t[k] == ALARM_T_RAISED && out.notify[k];
		if (i == 3)
			assert_int_equal(flapping, 1); /* the fourth change */
	}
	assert_int_equal(flapping, 1);
	assert_int_equal(notified_raises, 2); /* the first two raises, before it flapped */
	assert_true(a.flapping);

	/* quiet for a window: the episode ends; chattering again is a new one */
	t += 10 * M;
	for (int i = 0; i < 4; i++, t += 30 * S) {
		apply(&a, i % 2 ? ALARM_EV_CLEAR : ALARM_EV_RAISE, T0 + t, &out);
		if (i == 0)
			assert_int_equal(out.notify[0], 1); /* not flapping any more */
		flapping += count(&out, ALARM_T_FLAPPING);
	}
	assert_int_equal(flapping, 2);
}

/* Changes spread wider than the window are not flapping. */
static void
test_slow_changes_not_flapping(void **state)
{
	struct alarm a = {0};
	struct alarm_out out;

	(void)state;
	for (int i = 0; i < 40; i++) {
		apply(&a, i % 2 ? ALARM_EV_CLEAR : ALARM_EV_RAISE, T0 + i * 4 * M, &out);
		assert_int_equal(count(&out, ALARM_T_FLAPPING), 0);
	}
	assert_false(a.flapping);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escalation_and_reminders),
		cmocka_unit_test(test_ack_stops_escalation),
		cmocka_unit_test(test_cleared_unacked_still_escalates),
		cmocka_unit_test(test_reminders_only),
		cmocka_unit_test(test_shelving_expiry),
		cmocka_unit_test(test_shelving_outlives_the_alarm),
		cmocka_unit_test(test_flapping_reported_once),
		cmocka_unit_test(test_slow_changes_not_flapping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
