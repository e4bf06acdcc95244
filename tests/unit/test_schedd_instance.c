/* test_schedd_instance.c — schedd's decision per (plan, device) (instance.c): one
 * request per occurrence with its key, nothing again once recorded; the
 * overdue notice once per request and the escalation of statutory plans
 * once after it; completions that close a request and restart a meter (a
 * replayed retained work order changes nothing); meter requests keyed by the
 * completion they count from; whichever comes first; site-level keys; the
 * item sets an occurrence carries, in its title. */
#include "schedd/instance.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#define T0 1767225600000LL /* 2026-01-01T08:00:00+08:00 */
#define S 1000LL
#define H 3600000LL

static struct tu_zone zone;

static void
plan_init(struct sched_plan *p, const char *id, enum due_unit unit, int every,
	  enum due_anchor anchor)
{
	memset(p, 0, sizeof *p);
	strcpy(p->id, id);
	strcpy(p->name, "test plan");
	p->has_calendar = 1;
	p->due.unit = unit;
	p->due.every = every;
	p->due.anchor = anchor;
	p->due.anchor_date = (struct due_date){2026, 1, 1};
	p->overdue_after_ms = 10 * S;
	p->escalate_after_ms = 5 * S;
}

static void
inst_init(struct sched_inst *in, const struct sched_plan *p, const char *device)
{
	memset(in, 0, sizeof *in);
	strcpy(in->device, device);
	strcpy(in->site, "demo");
	in->zone = &zone;
	sched_inst_init(in, p);
}

static enum sched_do
eval(const struct sched_plan *p, const struct sched_inst *in, long long now, struct sched_action *a)
{
	assert_int_equal(sched_eval(p, in, now, a), 0);
	return a->what;
}

static void
test_one_request_per_occurrence(void **state)
{
	struct sched_plan p;
	struct sched_inst in;
	struct sched_action a;
	(void)state;

	plan_init(&p, "round", DUE_SECOND, 3, DUE_FIXED);
	inst_init(&in, &p, "pump-1");
	assert_int_equal(eval(&p, &in, T0 + 1 * S, &a), SCHED_REQUEST);
	assert_string_equal(a.key, "round:pump-1:2026-01-01T08:00:00");
	assert_int_equal(a.due_ms, T0);
	assert_int_equal(a.why, METER_FIRE_CALENDAR);
	sched_requested(&in, &a, T0 + 1 * S);
	assert_true(in.dirty);
	assert_int_equal(eval(&p, &in, T0 + 2 * S, &a), SCHED_NOTHING);
	assert_int_equal(a.next_due_ms, T0 + 3 * S);
	assert_int_equal(eval(&p, &in, T0 + 3 * S, &a), SCHED_REQUEST);
	assert_string_equal(a.key, "round:pump-1:2026-01-01T08:00:03");
	assert_int_equal(a.missed, 0);
	sched_requested(&in, &a, T0 + 3 * S);
	/* down from 3 s to 14 s: one request for 12 s standing for 6 and 9 */
	assert_int_equal(eval(&p, &in, T0 + 14 * S, &a), SCHED_REQUEST);
	assert_string_equal(a.key, "round:pump-1:2026-01-01T08:00:12");
	assert_int_equal(a.missed, 2);
}

static void
test_overdue_and_escalation_once(void **state)
{
	struct sched_plan p;
	struct sched_inst in;
	struct sched_action a;
	(void)state;

	plan_init(&p, "lift", DUE_HOUR, 1, DUE_FLOATING);
	inst_init(&in, &p, "elev-1");
	assert_int_equal(eval(&p, &in, T0, &a), SCHED_REQUEST);
	sched_requested(&in, &a, T0);
	assert_int_equal(eval(&p, &in, T0 + 10 * S - 1, &a), SCHED_NOTHING);
	assert_int_equal(eval(&p, &in, T0 + 10 * S, &a), SCHED_OVERDUE);
	assert_string_equal(a.key, in.last_key);
	sched_noticed(&in, &a);
	/* not statutory: nothing more, ever */
	assert_int_equal(eval(&p, &in, T0 + H - 1, &a), SCHED_NOTHING);
	p.statutory = 1;
	assert_int_equal(eval(&p, &in, T0 + 15 * S, &a), SCHED_NOTHING); /* nobody to tell */
	p.escalate.n = 1;
	assert_int_equal(eval(&p, &in, T0 + 15 * S - 1, &a), SCHED_NOTHING);
	assert_int_equal(eval(&p, &in, T0 + 15 * S, &a), SCHED_ESCALATE);
	sched_noticed(&in, &a);
	assert_string_equal(in.escalated_key, in.last_key);
	assert_int_equal(eval(&p, &in, T0 + 30 * S, &a), SCHED_NOTHING);
	p.escalate.n = 0;
}

static void
test_completion_closes_and_moves(void **state)
{
	struct sched_plan p;
	struct sched_inst in;
	struct sched_action a;
	(void)state;

	plan_init(&p, "clean", DUE_SECOND, 8, DUE_FLOATING);
	inst_init(&in, &p, "elev-2");
	assert_int_equal(eval(&p, &in, T0, &a), SCHED_REQUEST);
	sched_requested(&in, &a, T0);
	assert_int_equal(eval(&p, &in, T0 + 5 * S, &a), SCHED_NOTHING);
	in.dirty = 0;
	assert_int_equal(sched_completed(&p, &in, T0 + 6 * S), 1);
	assert_true(in.dirty);
	assert_int_equal(sched_completed(&p, &in, T0 + 6 * S), 0); /* the retained one again */
	assert_int_equal(sched_completed(&p, &in, T0 + 2 * S), 0); /* an older one */
	/* done: no overdue notice for the request it closed */
	assert_int_equal(eval(&p, &in, T0 + 13 * S, &a), SCHED_NOTHING);
	assert_int_equal(a.next_due_ms, T0 + 14 * S);
	assert_int_equal(eval(&p, &in, T0 + 14 * S, &a), SCHED_REQUEST);
	assert_string_equal(a.key, "clean:elev-2:2026-01-01T08:00:14");
}

static void
test_meter_requests(void **state)
{
	struct sched_plan p;
	struct sched_inst in;
	struct sched_action a;
	char first[MSG_KEY_MAX + 1];
	(void)state;

	plan_init(&p, "pump_hours", DUE_DAY, 1, DUE_FLOATING);
	p.has_calendar = 0;
	p.has_meter = 1;
	p.meter.kind = METER_COUNTER;
	p.meter_every = 10;
	p.has_last_done = 1;
	p.last_done = (struct due_date){2025, 12, 1};
	inst_init(&in, &p, "pump-3");
	assert_int_equal(eval(&p, &in, T0, &a), SCHED_NOTHING); /* no reading yet */
	assert_int_equal(sched_meter_reading(&p, &in, 100, T0), METER_REBASED);
	assert_true(in.meter_dirty);
	assert_int_equal(sched_meter_reading(&p, &in, 109.5, T0 + S), METER_COUNTED);
	assert_int_equal(eval(&p, &in, T0 + S, &a), SCHED_NOTHING);
	assert_int_equal(sched_meter_reading(&p, &in, 110, T0 + 2 * S), METER_COUNTED);
	assert_int_equal(eval(&p, &in, T0 + 2 * S, &a), SCHED_REQUEST);
	assert_int_equal(a.why, METER_FIRE_METER);
	assert_string_equal(a.key, "pump_hours:pump-3:meter-1764518400000");
	strcpy(first, a.key);
	sched_requested(&in, &a, T0 + 2 * S);
	assert_int_equal(sched_meter_reading(&p, &in, 125, T0 + 3 * S), METER_COUNTED);
	assert_int_equal(eval(&p, &in, T0 + 3 * S, &a), SCHED_NOTHING); /* still open */
	assert_int_equal(sched_completed(&p, &in, T0 + 4 * S), 1);
	assert_int_equal(eval(&p, &in, T0 + 4 * S, &a), SCHED_NOTHING); /* restarts at 125 */
	sched_meter_reading(&p, &in, 135, T0 + 5 * S);
	assert_int_equal(eval(&p, &in, T0 + 5 * S, &a), SCHED_REQUEST);
	assert_string_not_equal(a.key, first);
}

static void
test_whichever_first_and_site_level(void **state)
{
	struct sched_plan p;
	struct sched_inst in;
	struct sched_action a;
	(void)state;

	/* never done, no reading: the calendar's key, both rules agreeing */
	plan_init(&p, "pump_service", DUE_MONTH, 6, DUE_FLOATING);
	p.has_meter = 1;
	p.meter.kind = METER_COUNTER;
	p.meter_every = 2000;
	inst_init(&in, &p, "pump-1");
	assert_int_equal(eval(&p, &in, T0, &a), SCHED_REQUEST);
	assert_int_equal(a.why, METER_FIRE_BOTH);
	assert_string_equal(a.key, "pump_service:pump-1:2026-01-01");
	/* a site-level plan is keyed by its site */
	plan_init(&p, "drill", DUE_YEAR, 1, DUE_FIXED);
	inst_init(&in, &p, "");
	assert_int_equal(eval(&p, &in, T0, &a), SCHED_REQUEST);
	assert_string_equal(a.key, "drill:demo:2026-01-01");
	assert_true(sched_state_done("completed") && sched_state_done("followed_up") &&
		    sched_state_done("closed") && !sched_state_done("in_progress"));
}

static void
test_item_sets_in_title(void **state)
{
	static const struct {
		const char *now, *key, *title;
	} want[] = {
		{"2026-01-01T09:00:00+08:00", "lift:elev-1:2026-01-01",
		 "test plan (+ quarterly, yearly)"},
		{"2026-01-16T09:00:00+08:00", "lift:elev-1:2026-01-16", "test plan"},
		{"2026-03-17T09:00:00+08:00", "lift:elev-1:2026-03-17", "test plan"},
		{"2026-04-01T09:00:00+08:00", "lift:elev-1:2026-04-01", "test plan (+ quarterly)"},
	};
	struct sched_plan p;
	struct sched_inst in;
	struct sched_action a;
	char title[MSG_TITLE_MAX + 1];
	long long now;
	(void)state;

	plan_init(&p, "lift", DUE_DAY, 15, DUE_FIXED);
	p.n_sets = 2;
	strcpy(p.sets[0].name, "quarterly");
	p.sets[0].grid = (struct due_plan){DUE_MONTH, 3, DUE_FIXED, {2026, 1, 1}, 0, 0, 0, 0};
	strcpy(p.sets[1].name, "yearly");
	p.sets[1].grid = (struct due_plan){DUE_YEAR, 1, DUE_FIXED, {2026, 1, 1}, 0, 0, 0, 0};
	inst_init(&in, &p, "elev-1");
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(tu_parse_rfc3339(want[i].now, &now), 0);
		if (i == 2) { /* Jan 31 .. Mar 2 requested meanwhile */
			assert_int_equal(eval(&p, &in, now - 15 * 24 * H, &a), SCHED_REQUEST);
			sched_requested(&in, &a, now - 15 * 24 * H);
		}
		assert_int_equal(eval(&p, &in, now, &a), SCHED_REQUEST);
		assert_string_equal(a.key, want[i].key);
		assert_string_equal(sched_title(&p, a.sets, title, sizeof title), want[i].title);
		sched_requested(&in, &a, now);
	}
}

static int
setup(void **state)
{
	(void)state;
	return tu_tz_load("Asia/Shanghai", &zone);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_request_per_occurrence),
		cmocka_unit_test(test_overdue_and_escalation_once),
		cmocka_unit_test(test_completion_closes_and_moves),
		cmocka_unit_test(test_meter_requests),
		cmocka_unit_test(test_whichever_first_and_site_level),
		cmocka_unit_test(test_item_sets_in_title),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
