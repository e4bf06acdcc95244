/* test_alertd_engine.c — alertd's engine on the shipped configuration
 * (config/): an entrapment raises one severity-1 alarm, notifies along the
 * notify list and asks for one work order however often it re-fires;
 * escalation without an acknowledgement and none after it; commands refused
 * by role, person and alarm id; the mains-lost alarm suppresses the pump
 * alarm it causes (either order) and lifts it when it clears; work under way
 * makes alarms expected; restore and stale recovered events. */
#include "alertd/engine.h"
#include "who.h"
#include "timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define S 1000LL
#define M (60 * S)

struct call {
	char what[16]; /* "transition", "notify", "wo" */
	char t[16];    /* transition name, or notify kind */
	char person[REG_ID_SIZE];
	struct alarm_rec rec;
};

struct fx {
	struct reg reg;
	struct devtab devs;
	struct rcf_set rules;
	struct who who;
	struct engine *e;
	struct call calls[256];
	int n;
	long long t0;
	const char *only; /* count calls about this rule only (NULL: all) */
};

static void
on_transition(void *ctx, const struct alarm_rec *rec)
{
	struct fx *f = ctx;

	if (f->n < 256) {
		struct call *c = &f->calls[f->n++];

		snprintf(c->what, sizeof c->what, "transition");
		snprintf(c->t, sizeof c->t, "%s", alarm_transition_name(rec->t));
		c->rec = *rec;
	}
}

static void
on_notify(void *ctx, const struct alarm_rec *rec, const char *person, enum engine_notify_kind k)
{
	static const char *const kinds[] = {"alarm", "reminder", "escalation", "flapping"};
	struct fx *f = ctx;

	if (f->n < 256) {
		struct call *c = &f->calls[f->n++];

		snprintf(c->what, sizeof c->what, "notify");
		snprintf(c->t, sizeof c->t, "%s", kinds[k]);
		snprintf(c->person, sizeof c->person, "%s", person);
		c->rec = *rec;
	}
}

static void
on_wo(void *ctx, const struct alarm_rec *rec, const struct rcf_work_order *wo)
{
	struct fx *f = ctx;

	(void)wo;
	if (f->n < 256) {
		snprintf(f->calls[f->n].what, sizeof f->calls[0].what, "wo");
		f->calls[f->n++].rec = *rec;
	}
}

/* Calls of a kind (and transition/notify kind, "" for any) since index from. */
static int
count(const struct fx *f, int from, const char *what, const char *t)
{
	int n = 0;

	for (int i = from; i < f->n; i++)
		n += strcmp(f->calls[i].what, what) == 0 &&
		     (!t[0] || strcmp(f->calls[i].t, t) == 0) &&
		     (!f->only || strcmp(f->calls[i].rec.rule, f->only) == 0);
	return n;
}

static const struct call *
last(const struct fx *f, const char *what)
{
	for (int i = f->n - 1; i >= 0; i--)
		if (strcmp(f->calls[i].what, what) == 0 &&
		    (!f->only || strcmp(f->calls[i].rec.rule, f->only) == 0))
			return &f->calls[i];
	return NULL;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct cfg_errs errs;
	struct engine_sink sink = {f, on_transition, on_notify, on_wo};

	cfg_errs_init(&errs);
	if (reg_load_dir("config", &f->reg, &errs) < 0 ||
	    rcf_load_dir("config", &f->reg, &f->rules, &errs) < 0) {
		cfg_errs_print(&errs, stderr);
		return -1;
	}
	cfg_errs_free(&errs);
	who_build(&f->who, &f->reg, NULL);
	if (devtab_from_reg(&f->devs, &f->reg) < 0)
		return -1;
	/* 2026-11-23 10:00 in Shanghai: a weekday, the day shift */
	f->t0 = (tu_days_from_civil(2026, 11, 23) * 1440 + 2 * 60) * M;
	f->e = engine_new(&f->devs, &f->reg, &f->rules, &f->who, &sink, f->t0);
	*state = f;
	return f->e ? 0 : -1;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	engine_free(f->e);
	who_free(&f->who);
	devtab_free(&f->devs);
	rcf_free(&f->rules);
	reg_free(&f->reg);
	free(f);
	return 0;
}

static void
metric(struct fx *f, const char *device, const char *name, double v, long long now)
{
	struct engine_metric m = {name, v};

	assert_int_equal(engine_telemetry(f->e, "demo", device, now, &m, 1, now), 0);
}

static void
test_entrapment(void **state)
{
	struct fx *f = *state;
	const struct call *tr;
	int mark;

	assert_int_equal(engine_event(f->e, "demo", "elev-1a", "entrapment", 1, f->t0, f->t0), 0);
	assert_int_equal(count(f, 0, "transition", "raised"), 1);
	tr = last(f, "transition");
	assert_int_equal(tr->rec.severity, 1);
	assert_string_equal(tr->rec.rule, "elevator_entrapment");
	assert_int_equal(tr->rec.a.state, ALARM_ACTIVE_UNACKED);
	assert_int_equal(count(f, 0, "wo", ""), 1);
	/* the on-shift duty engineer, the contractor, the rescue line, the
	 * emergency team: 9 people, once each */
	assert_int_equal(count(f, 0, "notify", "alarm"), 9);
	/* re-fired while open: nothing new */
	mark = f->n;
	engine_event(f->e, "demo", "elev-1a", "entrapment", 0, f->t0 + S, f->t0 + S);
	engine_event(f->e, "demo", "elev-1a", "entrapment", 1, f->t0 + 2 * S, f->t0 + 2 * S);
	assert_int_equal(count(f, mark, "transition", "cleared"), 1);
	assert_int_equal(count(f, mark, "transition", "raised"), 1); /* the same alarm again */
	assert_string_equal(last(f, "transition")->rec.alarm_id, tr->rec.alarm_id);
	assert_int_equal(count(f, mark, "wo", ""), 0);
}

static void
test_escalation_and_ack(void **state)
{
	struct fx *f = *state;
	char id[ALARM_ID_SIZE];
	int mark;

	f->only = "elevator_entrapment"; /* devices go offline meanwhile */
	engine_event(f->e, "demo", "elev-2a", "entrapment", 1, f->t0, f->t0);
	snprintf(id, sizeof id, "%s", last(f, "transition")->rec.alarm_id);
	mark = f->n;
	engine_tick(f->e, f->t0 + 5 * M); /* the reminder */
	assert_int_equal(count(f, mark, "transition", "reminded"), 1);
	mark = f->n;
	engine_tick(f->e, f->t0 + 10 * M); /* the supervisor */
	assert_int_equal(count(f, mark, "transition", "escalated"), 1);
	assert_int_equal(count(f, mark, "notify", "escalation"), 1);
	assert_string_equal(last(f, "notify")->person, "sup-sun");
	/* refused: a technician, a stranger, a wrong id */
	assert_int_equal(
		engine_command(f->e, "demo", "tech-chen", ENGINE_ACK, id, "", 0, f->t0 + 11 * M),
		ENGINE_CMD_FORBIDDEN);
	assert_int_equal(
		engine_command(f->e, "demo", "nobody", ENGINE_ACK, id, "", 0, f->t0 + 11 * M),
		ENGINE_CMD_UNKNOWN_PERSON);
	assert_int_equal(engine_command(f->e, "demo", "duty-wang", ENGINE_ACK, "nope", "", 0,
					f->t0 + 11 * M),
			 ENGINE_CMD_UNKNOWN_ALARM);
	assert_int_equal(engine_command(f->e, "other-site", "duty-wang", ENGINE_ACK, id, "", 0,
					f->t0 + 11 * M),
			 ENGINE_CMD_UNKNOWN_ALARM);
	assert_int_equal(
		engine_command(f->e, "demo", "sup-sun", ENGINE_ACK, id, "on it", 0, f->t0 + 12 * M),
		ENGINE_CMD_OK);
	assert_string_equal(last(f, "transition")->t, "acked");
	assert_string_equal(last(f, "transition")->rec.actor, "sup-sun");
	assert_string_equal(last(f, "transition")->rec.note, "on it");
	assert_int_equal(
		engine_command(f->e, "demo", "duty-wang", ENGINE_ACK, id, "", 0, f->t0 + 13 * M),
		ENGINE_CMD_ALREADY_ACKED);
	mark = f->n;
	engine_tick(f->e, f->t0 + 60 * M); /* acknowledged: no more escalation */
	assert_int_equal(count(f, mark, "transition", ""), 0);
	/* cleared after the ack: closed */
	engine_event(f->e, "demo", "elev-2a", "entrapment", 0, f->t0 + 61 * M, f->t0 + 61 * M);
	assert_string_equal(last(f, "transition")->t, "closed");
	assert_int_equal(
		engine_command(f->e, "demo", "sup-sun", ENGINE_ACK, id, "", 0, f->t0 + 62 * M),
		ENGINE_CMD_UNKNOWN_ALARM);
}

/* The pump runs without current for 30 s. */
static void
pump_no_current(struct fx *f, long long at)
{
	struct engine_metric m[2] = {{"running", 1}, {"motor_current_a", 0}};

	engine_telemetry(f->e, "demo", "pump-1", at, m, 2, at);
	engine_telemetry(f->e, "demo", "pump-1", at + 31 * S, m, 2, at + 31 * S);
}

static void
mains_lost(struct fx *f, long long at)
{
	metric(f, "dr-main", "mains_present", 0, at);
	metric(f, "dr-main", "mains_present", 0, at + 61 * S);
}

static void
test_mains_suppresses_pump(void **state)
{
	struct fx *f = *state;
	const struct call *pump;
	char mains_id[ALARM_ID_SIZE];
	int mark;

	mains_lost(f, f->t0);
	assert_string_equal(last(f, "transition")->rec.rule, "mains_lost");
	snprintf(mains_id, sizeof mains_id, "%s", last(f, "transition")->rec.alarm_id);
	mark = f->n;
	f->only = "pump_no_current";
	pump_no_current(f, f->t0 + 70 * S);
	pump = last(f, "transition");
	assert_string_equal(pump->rec.rule, "pump_no_current");
	assert_string_equal(pump->t, "raised");
	assert_string_equal(pump->rec.suppressed_by, mains_id);
	assert_int_equal(count(f, mark, "notify", ""), 0); /* recorded, not told */
	assert_int_equal(count(f, mark, "wo", ""), 0);
	mark = f->n;
	engine_tick(f->e, f->t0 + 4 * M); /* not reminded, not escalated */
	engine_tick(f->e, f->t0 + 3 * 3600 * S);
	for (int i = mark; i < f->n; i++)
		assert_string_not_equal(f->calls[i].rec.rule, "pump_no_current");
	/* the mains return; the pump gets the grace to restart */
	mark = f->n;
	metric(f, "dr-main", "mains_present", 1, f->t0 + 3 * 3600 * S + S);
	engine_tick(f->e, f->t0 + 3 * 3600 * S + S + ENGINE_SUPPRESS_GRACE_MS - S);
	assert_int_equal(count(f, mark, "transition", "unsuppressed"), 0);
	assert_int_equal(count(f, mark, "notify", ""), 0);
	/* still no current after the grace: now it is news */
	engine_tick(f->e, f->t0 + 3 * 3600 * S + S + ENGINE_SUPPRESS_GRACE_MS);
	assert_int_equal(count(f, mark, "transition", "unsuppressed"), 1);
	assert_int_equal(count(f, mark, "wo", ""), 1);
	assert_true(count(f, mark, "notify", "alarm") >= 1);
}

/* The cause is slower than its effect (mains_lost raise_for 60 s,
 * pump_no_current 30 s): the pump alarm raised while the mains condition
 * holds is held quiet, takes the mains alarm's id when it is raised, and
 * when the mains return and the pump draws current within the grace,
 * nobody is ever paged and no work order opens. */
static void
test_cause_slower_than_effect(void **state)
{
	struct fx *f = *state;
	struct engine_metric on[2] = {{"running", 1}, {"motor_current_a", 12}};
	char mains_id[ALARM_ID_SIZE] = "";
	int mark = f->n;

	metric(f, "dr-main", "mains_present", 0, f->t0);
	pump_no_current(f, f->t0 + S); /* raised at t0 + 32 s */
	assert_string_equal(last(f, "transition")->rec.rule, "pump_no_current");
	assert_string_equal(last(f, "transition")->t, "raised");
	assert_string_equal(last(f, "transition")->rec.suppressed_by, "pending:dr-main");
	metric(f, "dr-main", "mains_present", 0, f->t0 + 61 * S);
	for (int i = mark; i < f->n; i++)
		if (strcmp(f->calls[i].rec.rule, "mains_lost") == 0)
			snprintf(mains_id, sizeof mains_id, "%s", f->calls[i].rec.alarm_id);
	/* the held alarm takes the cause's id */
	assert_string_equal(last(f, "transition")->t, "suppressed");
	assert_string_equal(last(f, "transition")->rec.rule, "pump_no_current");
	assert_string_equal(last(f, "transition")->rec.suppressed_by, mains_id);
	engine_tick(f->e, f->t0 + 62 * S);
	metric(f, "dr-main", "mains_present", 1, f->t0 + 5 * M);
	engine_telemetry(f->e, "demo", "pump-1", f->t0 + 5 * M + 3 * S, on, 2,
			 f->t0 + 5 * M + 3 * S);
	engine_tick(f->e, f->t0 + 5 * M + 3 * S + ENGINE_SUPPRESS_GRACE_MS);
	engine_tick(f->e, f->t0 + 5 * M + 6 * ENGINE_SUPPRESS_GRACE_MS);
	f->only = "pump_no_current";
	assert_int_equal(count(f, mark, "transition", "unsuppressed"), 0);
	assert_int_equal(count(f, mark, "wo", ""), 0);
	f->only = NULL;
	for (int i = mark; i < f->n; i++)
		if (strcmp(f->calls[i].what, "notify") == 0)
			assert_string_not_equal(f->calls[i].rec.rule, "pump_no_current");
}

/* A mains dip shorter than mains_lost's raise_for: the pump alarm held
 * quiet for it is news as soon as the mains condition is gone. */
static void
test_pending_cause_never_comes(void **state)
{
	struct fx *f = *state;
	int mark = f->n;

	metric(f, "dr-main", "mains_present", 0, f->t0);
	pump_no_current(f, f->t0 + S);
	assert_string_equal(last(f, "transition")->rec.suppressed_by, "pending:dr-main");
	metric(f, "dr-main", "mains_present", 1, f->t0 + 40 * S);
	engine_tick(f->e, f->t0 + 41 * S);
	assert_int_equal(count(f, mark, "transition", "unsuppressed"), 1);
	assert_int_equal(count(f, mark, "wo", ""), 1);
	assert_true(count(f, mark, "notify", "alarm") >= 1);
}

static void
test_pump_first_then_mains(void **state)
{
	struct fx *f = *state;
	int mark;

	pump_no_current(f, f->t0);
	assert_string_equal(last(f, "transition")->t, "raised");
	assert_string_equal(last(f, "transition")->rec.suppressed_by, "");
	mark = f->n;
	mains_lost(f, f->t0 + 40 * S);
	assert_int_equal(count(f, mark, "transition", "suppressed"), 1);
}

static void
test_work_under_way(void **state)
{
	struct fx *f = *state;
	int mark;

	engine_work_order(f->e, "demo", "wo-1", "pump-2", "in_progress", f->t0);
	mark = f->n;
	{
		struct engine_metric m[2] = {{"running", 1}, {"motor_current_a", 0}};

		engine_telemetry(f->e, "demo", "pump-2", f->t0, m, 2, f->t0);
		engine_telemetry(f->e, "demo", "pump-2", f->t0 + 31 * S, m, 2, f->t0 + 31 * S);
	}
	assert_int_equal(count(f, mark, "transition", "raised"), 1);
	assert_int_equal(last(f, "transition")->rec.expected, 1);
	assert_int_equal(count(f, mark, "notify", ""), 0);
	mark = f->n;
	engine_work_order(f->e, "demo", "wo-1", NULL, NULL, f->t0 + M); /* emptied: closed */
	assert_int_equal(count(f, mark, "transition", "unsuppressed"), 1);
	assert_int_equal(last(f, "transition")->rec.expected, 0);
	assert_true(count(f, mark, "notify", "alarm") >= 1);
}

static void
test_restore_and_stale(void **state)
{
	struct fx *f = *state;
	struct alarm_rec rec;
	struct engine_stats st;
	int mark;

	engine_event(f->e, "demo", "elev-3a", "entrapment", 1, f->t0, f->t0);
	rec = last(f, "transition")->rec;
	teardown(state);
	assert_int_equal(setup(state), 0);
	f = *state;
	assert_int_equal(engine_restore(f->e, &rec), 0);
	mark = f->n;
	/* the same event recovered from history, and an older one: nothing */
	engine_event(f->e, "demo", "elev-3a", "entrapment", 1, f->t0, f->t0 + S);
	engine_event(f->e, "demo", "elev-3a", "entrapment", 0, f->t0 - S, f->t0 + S);
	assert_int_equal(count(f, mark, "transition", ""), 0);
	engine_stats(f->e, &st);
	assert_int_equal(st.active_unacked, 1);
	assert_int_equal(st.stale_events, 1);
	/* still escalates on its original clock */
	engine_tick(f->e, f->t0 + 10 * M);
	assert_int_equal(count(f, mark, "transition", "escalated"), 1);
	/* unknown devices and sites are counted, not evaluated */
	assert_int_equal(engine_event(f->e, "demo", "ghost", "entrapment", 1, f->t0, f->t0), -1);
	assert_int_equal(engine_event(f->e, "elsewhere", "elev-3a", "entrapment", 1, f->t0, f->t0),
			 -1);
	engine_stats(f->e, &st);
	assert_int_equal(st.unknown_device, 1);
	assert_int_equal(st.site_mismatch, 1);
}

/* A rate rule's ring lives on the heap only once its metric arrives; the
 * samples taken before and after that move are all counted. */
static void
test_rate_rule(void **state)
{
	struct fx *f = *state;

	f->only = "tank_level_falling_fast";
	metric(f, "tank-1", "level_pct", 80, f->t0);
	metric(f, "tank-1", "level_pct", 75, f->t0 + 2 * M);
	assert_int_equal(count(f, 0, "transition", "raised"), 0); /* -5 % in 2 min */
	metric(f, "tank-1", "level_pct", 62, f->t0 + 6 * M);
	assert_int_equal(count(f, 0, "transition", "raised"), 1); /* -18 % within 10 min */
	assert_true(last(f, "transition")->rec.a.value >= 15);
	metric(f, "tank-1", "level_pct", 61, f->t0 + 30 * M); /* the window moved on */
	assert_int_equal(count(f, 0, "transition", "cleared"), 1);
	/* the other tank never reported: its rule is untouched and quiet */
	engine_tick(f->e, f->t0 + 31 * M);
	assert_int_equal(count(f, 0, "transition", "raised"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entrapment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalation_and_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mains_suppresses_pump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cause_slower_than_effect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_cause_never_comes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pump_first_then_mains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_work_under_way, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_and_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_rule, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
