/* test_dispatchd_sla.c — SLA clocks (services/dispatchd/sla): due instants
 * from the order's start (an alarm's raise time when there is one), breach
 * at and after the due instant, pauses that stop only the resolve clock,
 * escalation steps from the first breach, the acceptance window of a
 * dispatch, a complaint's reply clock, the follow-up deadline in working time
 * of the site's zone, the timer, and a restart from the stored numbers.
 * The policy is the shipped defaults of domain.md, written out here. */
#include "dispatchd/sla.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define MIN 60000LL
#define H (60 * MIN)
#define BIT(c) (1u << (c))

/* UTC ms of a wall-clock time in Shanghai (UTC+8, no DST). */
static long long
cst(int y, int mo, int d, int h, int mi)
{
	return ((long long)tu_days_from_civil(y, mo, d) * 1440 + h * 60 + mi - 8 * 60) * MIN;
}

/* 2024-01-03 is a Wednesday, 10:00 in Shanghai. */
#define T0 cst(2024, 1, 3, 10, 0)

static struct tu_zone zone;

static int
setup(void **state)
{
	(void)state;
	return tu_tz_posix("CST-8", &zone);
}

/* ordinary: acknowledge 5m, accept 15m, on site 2h, resolve 4h; emergency:
 * 5m, 5m, 30m, none; escalation at 0, 15m, 1h after the first breach;
 * follow-up within 1 working day of Mon-Fri 09:00-18:00. */
static void
policy(struct sla_policy *p, int emergency)
{
	static const long long ordinary[] = {5 * MIN, 15 * MIN, 2 * H, 4 * H};
	static const long long urgent[] = {5 * MIN, 5 * MIN, 30 * MIN, 0};

	memset(p, 0, sizeof *p);
	for (int i = 0; i < SLA_N_CLOCKS; i++)
		p->clock_ms[i] = emergency ? urgent[i] : ordinary[i];
	p->followup_days = 1;
	p->work.day_mask = 0x3e; /* Mon..Fri */
	p->work.start_min = 9 * 60;
	p->work.end_min = 18 * 60;
	p->esc_ms[0] = 0;
	p->esc_ms[1] = 15 * MIN;
	p->esc_ms[2] = H;
	p->n_esc = 3;
}

/* An ordinary order from T0 in state s, dispatched to t1 a minute later. */
static void
under_way(struct wo *o, enum wo_state s)
{
	wo_init(o, 0, 1, -1, T0, 0);
	o->state = s;
	snprintf(o->assignee, sizeof o->assignee, "t1");
	o->acked_ms = o->dispatched_ms = T0 + MIN;
}

static void
dues_count_from_the_start(void **state)
{
	struct sla_policy p;
	struct sla_status st;
	struct wo o;

	(void)state;
	policy(&p, 0);
	wo_init(&o, 0, 1, -1, T0, 0);
	sla_check(&o, &p, &zone, T0, &st);
	assert_true(st.due_ms[SLA_ACK] == T0 + 5 * MIN);
	assert_true(st.due_ms[SLA_ACCEPT] == T0 + 15 * MIN);
	assert_true(st.due_ms[SLA_ON_SITE] == T0 + 2 * H);
	assert_true(st.due_ms[SLA_RESOLVE] == T0 + 4 * H);
	assert_true(st.due_ms[SLA_REPLY] == SLA_NONE);
	assert_true(st.due_ms[SLA_FOLLOWUP] == SLA_NONE);
	assert_int_equal(st.breached, 0);
	assert_true(st.next_ms == T0 + 5 * MIN + 1);

	/* Opened from an alarm raised 7 minutes ago: the clock started then,
	 * so acknowledging is already late. */
	policy(&p, 1);
	wo_init(&o, 2, 0, -1, T0, T0 - 7 * MIN);
	sla_check(&o, &p, &zone, T0, &st);
	assert_true(st.due_ms[SLA_ACK] == T0 - 2 * MIN);
	assert_true(st.due_ms[SLA_ON_SITE] == T0 + 23 * MIN);
	assert_true(st.due_ms[SLA_RESOLVE] == SLA_NONE);
	assert_int_equal(st.breached, BIT(SLA_ACK) | BIT(SLA_ACCEPT));
	assert_true(st.first_breach_ms == T0 - 2 * MIN);
	assert_int_equal(st.escalation_due, 1);
}

/* One clock (accept, due T0 + 15m) met or not, looked at at various times. */
static void
breach_table(void **state)
{
	static const struct {
		long long met, now; /* offsets from T0; met 0: not yet */
		int breached;
	} cases[] = {
		{0, 15 * MIN, 0},
		{0, 15 * MIN + 1, 1},
		{14 * MIN, 3 * H, 0},
		{15 * MIN, 3 * H, 0},
		{15 * MIN + 1, 3 * H, 1},
		{16 * MIN, 16 * MIN, 1},
		{0, 0, 0},
	};
	struct sla_policy p;

	(void)state;
	policy(&p, 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sla_status st;
		struct wo o;

		wo_init(&o, 0, 1, -1, T0, 0);
		if (cases[i].met)
			o.accepted_ms = T0 + cases[i].met;
		sla_check(&o, &p, &zone, T0 + cases[i].now, &st);
		if (!!(st.breached & BIT(SLA_ACCEPT)) != cases[i].breached)
			fail_msg("case %zu: accept breached %d", i,
				 !!(st.breached & BIT(SLA_ACCEPT)));
	}
}

static void
newly_breached_is_reported_once(void **state)
{
	struct sla_policy p;
	struct sla_status st;
	struct wo o;

	(void)state;
	policy(&p, 0);
	wo_init(&o, 0, 1, -1, T0, 0);
	sla_check(&o, &p, &zone, T0 + 20 * MIN, &st);
	assert_int_equal(st.newly, BIT(SLA_ACK) | BIT(SLA_ACCEPT));
	o.breached |= st.newly;
	sla_check(&o, &p, &zone, T0 + 21 * MIN, &st);
	assert_int_equal(st.newly, 0);
	assert_int_equal(st.breached, BIT(SLA_ACK) | BIT(SLA_ACCEPT));
}

/* Pauses push the resolve clock back and stop it from breaching while they
 * last; the other clocks do not move. */
static void
pause_stops_only_resolve(void **state)
{
	struct sla_policy p;
	struct sla_status st;
	struct wo o;

	(void)state;
	policy(&p, 0);
	under_way(&o, WO_PAUSED);
	o.accepted_ms = T0 + 10 * MIN;
	o.arrived_ms = T0 + H;
	o.paused_ms = 30 * MIN;      /* a finished pause */
	o.paused_at_ms = T0 + 2 * H; /* and the current one */
	sla_check(&o, &p, &zone, T0 + 6 * H, &st);
	assert_true(st.due_ms[SLA_RESOLVE] == T0 + 4 * H + 30 * MIN + 4 * H);
	assert_true(st.due_ms[SLA_ON_SITE] == T0 + 2 * H);
	assert_true(st.due_ms[SLA_ACCEPT] == T0 + 15 * MIN);
	assert_int_equal(st.breached, 0);
	assert_int_equal(st.escalation_due, 0);
	/* Nothing can come due while paused: no timer. */
	assert_true(st.next_ms == SLA_NONE);

	/* Resumed at +6h: 4h30m paused in all, due at +8h30m. */
	o.state = WO_IN_PROGRESS;
	o.paused_ms += 4 * H;
	o.paused_at_ms = 0;
	sla_check(&o, &p, &zone, T0 + 8 * H + 30 * MIN, &st);
	assert_true(st.due_ms[SLA_RESOLVE] == T0 + 8 * H + 30 * MIN);
	assert_int_equal(st.breached, 0);
	assert_true(st.next_ms == T0 + 8 * H + 30 * MIN + 1);
	sla_check(&o, &p, &zone, T0 + 8 * H + 30 * MIN + 1, &st);
	assert_int_equal(st.breached, BIT(SLA_RESOLVE));

	/* A pause that starts after the breach does not hide it. */
	o.paused_ms = 0;
	o.paused_at_ms = T0 + 5 * H;
	o.state = WO_PAUSED;
	sla_check(&o, &p, &zone, T0 + 7 * H, &st);
	assert_int_equal(st.breached, BIT(SLA_RESOLVE));
}

static void
escalation_steps_from_the_first_breach(void **state)
{
	static const struct {
		/* offsets from T0: acknowledge breaches at 5m, accept at 15m, steps
		 * at 0, 10m, 15m and 1h after 5m */
		long long now;
		int level;
		long long next; /* offset of next_ms */
	} cases[] = {
		{5 * MIN, 0, 5 * MIN + 1},   {5 * MIN + 1, 1, 15 * MIN},
		{15 * MIN, 2, 15 * MIN + 1}, {20 * MIN - 1, 2, 20 * MIN},
		{20 * MIN, 3, 65 * MIN},     {65 * MIN, 4, 2 * H + 1},
	};
	struct sla_policy p;

	(void)state;
	policy(&p, 0);
	p.esc_ms[3] = H;
	p.esc_ms[2] = 15 * MIN;
	p.esc_ms[1] = 10 * MIN;
	p.n_esc = 4;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sla_status st;
		struct wo o;

		wo_init(&o, 0, 1, -1, T0, 0);
		sla_check(&o, &p, &zone, T0 + cases[i].now, &st);
		if (st.escalation_due != cases[i].level || st.next_ms != T0 + cases[i].next)
			fail_msg("case %zu: level %d next %+lld ms", i, st.escalation_due,
				 st.next_ms - T0);
	}
}

/* Completed: no more escalation, but the follow-up clock runs and is only
 * flagged when it breaches. */
static void
completed_orders_do_not_escalate(void **state)
{
	struct sla_policy p;
	struct sla_status st;
	struct wo o;

	(void)state;
	policy(&p, 0);
	under_way(&o, WO_COMPLETED);
	o.acked_ms = T0 + 10 * MIN; /* late */
	o.accepted_ms = T0 + 11 * MIN;
	o.arrived_ms = T0 + H;
	o.completed_ms = T0 + 2 * H;
	sla_check(&o, &p, &zone, T0 + 3 * 24 * H, &st);
	assert_int_equal(st.breached, BIT(SLA_ACK) | BIT(SLA_FOLLOWUP));
	assert_true(st.first_breach_ms == T0 + 5 * MIN);
	assert_int_equal(st.escalation_due, 0);
	assert_true(st.next_ms == SLA_NONE);
	o.state = WO_CANCELLED;
	sla_check(&o, &p, &zone, T0 + 3 * 24 * H, &st);
	assert_int_equal(st.breached, 0);
	assert_true(st.due_ms[SLA_ACK] == SLA_NONE);
}

static void
redispatch_window(void **state)
{
	struct sla_policy p;
	struct sla_status st;
	struct wo o;

	(void)state;
	policy(&p, 0);
	under_way(&o, WO_DISPATCHED);
	o.dispatched_ms = T0 + 3 * MIN;
	sla_check(&o, &p, &zone, T0 + 4 * MIN, &st);
	assert_true(st.redispatch_ms == T0 + 18 * MIN);
	/* The accept clock (from the start) comes first. */
	assert_true(st.next_ms == T0 + 15 * MIN + 1);
	o.accepted_ms = T0 + 5 * MIN;
	o.state = WO_ACCEPTED;
	sla_check(&o, &p, &zone, T0 + 6 * MIN, &st);
	assert_true(st.redispatch_ms == SLA_NONE);
	assert_true(st.next_ms == T0 + 2 * H + 1);
}

static void
complaint_reply_clock(void **state)
{
	struct sla_conf c;
	struct sla_policy p;
	struct sla_status st;
	struct wo o;

	(void)state;
	memset(&c, 0, sizeof c);
	c.clocks[6][1].ms[SLA_ACK] = 5 * MIN;
	c.reply_ms[SLA_MAJOR] = H;
	c.reply_ms[SLA_URGENT] = 2 * H;
	c.reply_ms[SLA_GENERAL] = 24 * H;
	c.followup_days = 1;
	sla_policy_for(&p, &c, 6, 1, SLA_URGENT);
	assert_true(p.clock_ms[SLA_REPLY] == 2 * H && p.clock_ms[SLA_ON_SITE] == 0);
	wo_init(&o, 6, 1, SLA_URGENT, T0, 0);
	o.completed_ms = T0 + 2 * H + 1;
	sla_check(&o, &p, &zone, T0 + 2 * H + 1, &st);
	assert_true(st.due_ms[SLA_REPLY] == T0 + 2 * H);
	assert_true(st.breached & BIT(SLA_REPLY));
	/* No grade, no reply clock; out-of-range indexes, no clocks at all. */
	sla_policy_for(&p, &c, 6, 1, -1);
	assert_true(p.clock_ms[SLA_REPLY] == 0 && p.clock_ms[SLA_ACK] == 5 * MIN);
	sla_policy_for(&p, &c, 7, 1, SLA_MAJOR);
	assert_true(p.clock_ms[SLA_ACK] == 0 && p.clock_ms[SLA_REPLY] == 0);
}

/* One working day = 9 hours of Mon-Fri 09:00-18:00, Shanghai time. */
static void
followup_in_working_days(void **state)
{
	static const struct {
		int d, h, mi; /* completed, January 2024 (the 5th is a Friday) */
		int days;
		int dd, dh, dmi; /* due */
	} cases[] = {
		{5, 17, 0, 1, 8, 17, 0},  /* Fri 17:00 -> Mon 17:00 */
		{6, 10, 0, 1, 8, 18, 0},  /* Sat -> the whole of Monday */
		{3, 8, 0, 1, 3, 18, 0},   /* Wed before opening -> Wed closing */
		{3, 12, 0, 1, 4, 12, 0},  /* Wed noon -> Thu noon */
		{3, 19, 30, 1, 4, 18, 0}, /* Wed evening -> Thu closing */
		{5, 17, 0, 2, 9, 17, 0},  /* two days: Tue 17:00 */
		{5, 18, 0, 1, 8, 18, 0},  /* at closing -> Mon closing */
	};
	struct sla_policy p;

	(void)state;
	policy(&p, 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sla_status st;
		struct wo o;
		long long done = cst(2024, 1, cases[i].d, cases[i].h, cases[i].mi);
		long long want = cst(2024, 1, cases[i].dd, cases[i].dh, cases[i].dmi);

		p.followup_days = cases[i].days;
		wo_init(&o, 0, 1, -1, done - H, 0);
		o.state = WO_COMPLETED;
		o.completed_ms = done;
		sla_check(&o, &p, &zone, done, &st);
		if (st.due_ms[SLA_FOLLOWUP] != want)
			fail_msg("case %zu: due %+lld min from want", i,
				 (st.due_ms[SLA_FOLLOWUP] - want) / MIN);
		sla_check(&o, &p, &zone, want + 1, &st);
		assert_true(st.breached & BIT(SLA_FOLLOWUP));
		o.followed_up_ms = want;
		sla_check(&o, &p, &zone, want + H, &st);
		assert_false(st.breached & BIT(SLA_FOLLOWUP));
	}
	assert_true(sla_add_working(&zone, &p.work, T0, 0) == T0);
	p.work.day_mask = 0;
	assert_true(sla_add_working(&zone, &p.work, T0, 60) == SLA_NONE);
}

/* What dispatchd stores (work_orders columns and the breach bits) is all
 * the clocks need: an order rebuilt from those numbers alone, as after a
 * kill -9, says exactly what the running one said. */
static void
restart_from_stored_numbers(void **state)
{
	struct sla_policy p;
	struct sla_status a, b;
	struct wo run, back;

	(void)state;
	policy(&p, 0);
	wo_init(&run, 0, 1, -1, T0, T0 - 2 * MIN);
	run.state = WO_PAUSED;
	snprintf(run.assignee, sizeof run.assignee, "t1");
	run.acked_ms = run.dispatched_ms = T0 + MIN;
	run.accepted_ms = T0 + 20 * MIN;
	run.arrived_ms = T0 + H;
	run.paused_ms = 10 * MIN;
	run.paused_at_ms = T0 + 3 * H;
	run.escalation_level = 1;
	run.breached = BIT(SLA_ACCEPT);
	sla_check(&run, &p, &zone, T0 + 5 * H, &a);

	memset(&back, 0xa5, sizeof back); /* nothing left over from before */
	wo_init(&back, run.category, run.urgency, run.grade, run.created_ms, run.start_ms);
	back.state = run.state;
	snprintf(back.assignee, sizeof back.assignee, "%s", run.assignee);
	back.acked_ms = run.acked_ms;
	back.dispatched_ms = run.dispatched_ms;
	back.accepted_ms = run.accepted_ms;
	back.arrived_ms = run.arrived_ms;
	back.paused_ms = run.paused_ms;
	back.paused_at_ms = run.paused_at_ms;
	back.escalation_level = run.escalation_level;
	back.breached = run.breached;
	sla_check(&back, &p, &zone, T0 + 5 * H, &b);
	assert_memory_equal(&a, &b, sizeof a);
	assert_true(a.first_breach_ms == T0 + 13 * MIN);
	assert_int_equal(a.newly, 0);
	assert_int_equal(a.escalation_due, 3);
	assert_string_equal(sla_name(SLA_FOLLOWUP), "followup");
	assert_string_equal(sla_name(SLA_N_ALL), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dues_count_from_the_start),
		cmocka_unit_test(breach_table),
		cmocka_unit_test(newly_breached_is_reported_once),
		cmocka_unit_test(pause_stops_only_resolve),
		cmocka_unit_test(escalation_steps_from_the_first_breach),
		cmocka_unit_test(completed_orders_do_not_escalate),
		cmocka_unit_test(redispatch_window),
		cmocka_unit_test(complaint_reply_clock),
		cmocka_unit_test(followup_in_working_days),
		cmocka_unit_test(restart_from_stored_numbers),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
