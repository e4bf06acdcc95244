/* meter.c — meter accounting for preventive maintenance: counters that reset
 * or roll over, starts and run-hours derived from `running`, and the
 * "whichever comes first" choice. Pure: readings come in with their time;
 * persisting the state and publishing requests are main.c's business. */
#include "schedd/meter.h"

#include <math.h>
#include <string.h>

#define HOUR_MS 3600000.0

void
meter_state_init(struct meter_state *st)
{
	memset(st, 0, sizeof(*st));
}

int
meter_conf_valid(const struct meter_conf *c)
{
	switch (c->kind) {
	case METER_COUNTER:
		return isfinite(c->max_rate_per_h) && c->max_rate_per_h >= 0;
	case METER_STARTS:
		return 1;
	case METER_RUN_HOURS:
		return c->max_gap_ms > 0;
	}
	return 0;
}

/* What a counter step adds: -1 when it starts a new baseline instead. */
static double
counter_step(const struct meter_conf *c, const struct meter_state *st, double reading,
	     long long ts_ms)
{
	double step = reading - st->base;
	double hours = (double)(ts_ms - st->base_ts_ms) / HOUR_MS;

	if (step < 0)
		return -1; /* reset, rollover or a restarted device: counting goes on from here */
	if (c->max_rate_per_h > 0 && step > c->max_rate_per_h * (hours > 1 ? hours : 1))
		return -1; /* faster than the thing can run: a new counter, not work done */
	return step;
}

/* What a derived meter adds for the time since the last reading: the state
 * `running` had then held until now. */
static double
derived_step(const struct meter_conf *c, const struct meter_state *st, double running,
	     long long ts_ms)
{
	long long gap_ms = ts_ms - st->base_ts_ms;

	if (c->kind == METER_STARTS)
		return st->base == 0 && running != 0 ? 1 : 0;
	if (st->base == 0)
		return 0;
	if (gap_ms > c->max_gap_ms)
		gap_ms = c->max_gap_ms;
	return (double)gap_ms / HOUR_MS;
}

enum meter_verdict
meter_feed(const struct meter_conf *c, struct meter_state *st, double reading, long long ts_ms)
{
	enum meter_verdict v = METER_REBASED;
	double step;

	if (!meter_conf_valid(c) || !isfinite(reading))
		return METER_INVALID;
	if (st->has_base && ts_ms <= st->base_ts_ms)
		return METER_STALE;
	if (c->kind != METER_COUNTER)
		reading = reading != 0 ? 1 : 0;
	if (!st->has_value) {
		st->value = c->kind == METER_COUNTER ? reading : 0;
		st->has_value = 1;
	} else if (st->has_base) {
		step = c->kind == METER_COUNTER ? counter_step(c, st, reading, ts_ms)
						: derived_step(c, st, reading, ts_ms);
		if (step >= 0) {
			st->value += step;
			v = METER_COUNTED;
		}
	}
	if (st->done_at_next) {
		st->value_at_done = st->value;
		st->has_done = 1;
		st->done_at_next = 0;
	}
	st->has_base = 1;
	st->base = reading;
	st->base_ts_ms = ts_ms;
	return v;
}

void
meter_mark_done(struct meter_state *st)
{
	if (!st->has_value) {
		st->done_at_next = 1;
		return;
	}
	st->has_done = 1;
	st->done_at_next = 0;
	st->value_at_done = st->value;
}

double
meter_progress(const struct meter_state *st)
{
	if (!st->has_value)
		return 0;
	return st->has_done ? st->value - st->value_at_done : st->value;
}

int
meter_due(const struct meter_state *st, double interval)
{
	if (!st->has_done && !st->done_at_next)
		return 1;
	return st->has_value && st->has_done && meter_progress(st) >= interval;
}

enum meter_fire
meter_first(int calendar_ready, const struct meter_state *st, double interval, int outstanding)
{
	int meter_ready = st != NULL && meter_due(st, interval);

	if (outstanding)
		return METER_FIRE_NONE;
	if (calendar_ready && meter_ready)
		return METER_FIRE_BOTH;
	if (calendar_ready)
		return METER_FIRE_CALENDAR;
	return meter_ready ? METER_FIRE_METER : METER_FIRE_NONE;
}

const char *
meter_fire_name(enum meter_fire f)
{
	switch (f) {
	case METER_FIRE_NONE:
		return "none";
	case METER_FIRE_CALENDAR:
		return "calendar";
	case METER_FIRE_METER:
		return "meter";
	case METER_FIRE_BOTH:
		return "calendar+meter";
	}
	return "none";
}
