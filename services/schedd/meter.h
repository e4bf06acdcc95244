/* meter.h — the meter side of preventive maintenance: run-hours, starts or
 * any cumulative counter accounted from live telemetry, one struct
 * meter_state per (plan, device), and the "whichever comes first" choice
 * between a plan's calendar and its meter.
 * Pure: no I/O, no clock (readings carry their time), no allocation, no
 * globals. The state is plain numbers so that pm_state can persist it. */
#ifndef FM_SCHEDD_METER_H
#define FM_SCHEDD_METER_H

enum meter_kind {
	METER_COUNTER,   /* a cumulative counter metric the device keeps (run_hours, total_kwh) */
	METER_STARTS,    /* derived from `running`: false -> true transitions */
	METER_RUN_HOURS, /* derived from `running`: hours it was true */
};

struct meter_conf {
	enum meter_kind kind;
	/* counter: the fastest it can grow, units per hour (run_hours: 1), or
	 * 0 for no limit. A step above that (allowing at least one hour's
	 * worth, so a counter's resolution never trips it) is a replaced or
	 * garbled counter: it starts a new baseline and is not counted. */
	double max_rate_per_h;
	/* run-hours: the longest gap between two readings that counts as
	 * running; a device that went silent while running counts only this
	 * much. Must be > 0 for METER_RUN_HOURS. */
	long long max_gap_ms;
};

/* One meter: fixed size, no pointers. value only grows: a counter that
 * goes down (reset, rollover, device restart) starts a new baseline and
 * keeps what was counted. After a restart, a state restored without its
 * baseline (has_base = 0) takes the next reading as the new baseline. */
struct meter_state {
	int has_base;
	long long base_ts_ms; /* the last accepted reading's time */
	double base;          /* counter: its last raw value; derived: running 1 or 0 */
	int has_value;
	double value; /* counter: starts at its first raw value; derived: at 0 */
	int has_done;
	double value_at_done; /* value when the work was last done */
	/* Completion recorded before any reading: the first value is the value
	 * at completion. */
	int done_at_next;
};

enum meter_verdict {
	METER_COUNTED, /* accepted; value grew by what the reading adds (maybe 0) */
	METER_REBASED, /* accepted as a new baseline, nothing counted: the first
			* reading, a counter that went down or jumped */
	METER_STALE,   /* same or older ts than the last accepted reading: ignored */
	METER_INVALID, /* not a finite number, or conf invalid: ignored */
};

/* Why a plan fires now: one work order, whichever rule got there first. */
enum meter_fire {
	METER_FIRE_NONE,
	METER_FIRE_CALENDAR,
	METER_FIRE_METER,
	METER_FIRE_BOTH, /* both were due when looked at */
};

/* An empty meter: no reading, never done. */
void
meter_state_init(struct meter_state *st);

/* 1 when c is usable for its kind, else 0. */
int
meter_conf_valid(const struct meter_conf *c);

/* Feeds one reading taken at ts_ms (the device's clock, else receipt):
 * the counter's value, or `running` as 1/0 (any non-zero is running). */
enum meter_verdict
meter_feed(const struct meter_conf *c, struct meter_state *st, double reading, long long ts_ms);

/* The work was done: the meter restarts from its current value. */
void
meter_mark_done(struct meter_state *st);

/* What the meter has counted since the work was last done (all it has
 * counted when never done; 0 before the first reading). */
double
meter_progress(const struct meter_state *st);

/* 1 when progress >= interval, or when never done (a plan never done is due
 * at once), else 0. */
int
meter_due(const struct meter_state *st, double interval);

/* Whichever comes first: calendar_ready says the calendar rule's request is
 * due now (0 when the plan has none), st is the meter (NULL when the plan
 * has none). While a request since the last completion is still open
 * (outstanding), nothing fires: completion resets both rules. */
enum meter_fire
meter_first(int calendar_ready, const struct meter_state *st, double interval, int outstanding);

/* "none", "calendar", "meter", "calendar+meter": the why of a request. */
const char *
meter_fire_name(enum meter_fire f);

#endif
