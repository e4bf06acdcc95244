/* instance.h — schedd's pure core: a plan as schedd schedules it (mapped from
 * pm_plans), one instance per (plan, device) with what it remembers, and the
 * decision at each tick: publish a work-order request (which occurrence,
 * its key, how many missed), send the overdue notice, escalate, or nothing.
 * Completions and meter readings update an instance. Pure: now_ms comes in,
 * no I/O, no clock, no allocation; main.c performs what it decides and
 * persists the instance. */
#ifndef FM_SCHEDD_INSTANCE_H
#define FM_SCHEDD_INSTANCE_H

#include "config.h"
#include "msg.h"
#include "pm_conf.h"
#include "registry.h"
#include "schedd/due.h"
#include "schedd/meter.h"

/* An item set's own cycle: a fixed grid from its anchor date (pm_conf.h:
 * struct pm_item_set), as a plan without window or lead. */
struct sched_set {
	char name[PM_NAME_SIZE];
	struct due_plan grid;
};

struct sched_plan {
	char id[PM_NAME_SIZE];
	char name[REG_NAME_SIZE];
	char site[REG_ID_SIZE]; /* "" when not given */
	int site_level;
	int has_calendar;
	struct due_plan due;
	int has_meter;
	char meter_metric[PM_NAME_SIZE];
	struct meter_conf meter;
	double meter_every;
	char skill[REG_ID_SIZE];
	char assignee[REG_ID_SIZE];
	enum msg_wo_priority priority;
	int statutory;
	long long overdue_after_ms, escalate_after_ms;
	struct cfg_strlist notify, escalate; /* owned: cfg_strlist_free */
	/* the configuration's last_done (a local date): used while the
	 * instance has no completion of its own */
	int has_last_done;
	struct due_date last_done;
	struct sched_set sets[PM_MAX_ITEM_SETS];
	int n_sets;
};

/* One (plan, device); device "" for a site-level plan. The fields below
 * the line are what pm_state keeps. */
struct sched_inst {
	int plan; /* index into the plans */
	char device[REG_ID_SIZE];
	char site[REG_ID_SIZE];
	const struct tu_zone *zone; /* the site's, borrowed */
	/* ---- persisted ---- */
	int has_last_done;
	long long last_done_ms;
	char last_key[MSG_KEY_MAX + 1]; /* "" before the first request */
	long long last_requested_ms;    /* when it was published */
	long long req_due_ms;           /* the due instant of that occurrence */
	long long req_missed;
	char overdue_key[MSG_KEY_MAX + 1];   /* last_key when its notice went out */
	char escalated_key[MSG_KEY_MAX + 1]; /* last_key when it escalated */
	struct meter_state meter;
	long long next_due_ms; /* for people: the next occurrence, 0 unknown */
	/* ---- not persisted ---- */
	int dirty;       /* request, completion or notice not yet in pm_state */
	int meter_dirty; /* meter moved since pm_state last had it */
};

enum sched_do {
	SCHED_NOTHING,
	SCHED_REQUEST,  /* publish the request in the action, then sched_requested */
	SCHED_OVERDUE,  /* notify the plan's notify list, then sched_noticed */
	SCHED_ESCALATE, /* notify its escalate list, then sched_noticed */
};

struct sched_action {
	enum sched_do what;
	char key[MSG_KEY_MAX + 1]; /* the request's, or the overdue one's */
	long long due_ms;
	long long missed;
	enum meter_fire why; /* for a request */
	unsigned sets;       /* a request: bit i, the plan's sets[i] is due with it */
	long long next_due_ms;
};

/* The instance's first state: nothing done or requested, an empty meter;
 * a configured last_done makes the meter count from its first reading. */
void
sched_inst_init(struct sched_inst *in, const struct sched_plan *p);

/* What to do now for in (one thing at a time: a request first, then the
 * notices). -1 when the plan or the state is invalid (nothing to do). */
int
sched_eval(const struct sched_plan *p, const struct sched_inst *in, long long now_ms,
	   struct sched_action *a);

/* The request of a was published at now_ms. */
void
sched_requested(struct sched_inst *in, const struct sched_action *a, long long now_ms);

/* The notice of a (SCHED_OVERDUE or SCHED_ESCALATE) went out. */
void
sched_noticed(struct sched_inst *in, const struct sched_action *a);

/* A work order of this instance was completed at completed_ms: it becomes
 * the last completion (and the meter restarts) unless an equal or later one
 * is known. Returns 1 when it changed the instance, else 0. */
int
sched_completed(const struct sched_plan *p, struct sched_inst *in, long long completed_ms);

/* A reading of the plan's meter metric. Returns the verdict (counted ones
 * mark the meter dirty). */
enum meter_verdict
sched_meter_reading(const struct sched_plan *p, struct sched_inst *in, double v, long long ts_ms);

/* "name (+ set, set)": the plan's name and the item sets of mask, into buf
 * (cut at cap). Returns buf. */
const char *
sched_title(const struct sched_plan *p, unsigned mask, char *buf, size_t cap);

/* 1 when the work-order state means the work was done (completed,
 * followed_up, closed). */
int
sched_state_done(const char *wo_state);

#endif
