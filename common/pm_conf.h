/* pm_conf.h — preventive-maintenance plans (config/maintenance.yaml): the
 * plan model that schedd schedules, its parser and checker (fmctl check and
 * apply use it), and which devices a plan covers. pm_build is pure: a parsed
 * document and the registry in, checked plans or file:line errors out. It
 * never computes a due date (schedd does) and never touches a server. */
#ifndef FM_PM_CONF_H
#define FM_PM_CONF_H

#include "config.h"
#include "registry.h"

#include <stddef.h>

#define PM_FILE "maintenance.yaml"

/* Plan and item-set ids, meter metric names: [a-z0-9_]{1,64}. */
#define PM_NAME_SIZE 65
#define PM_ITEM_SIZE 256   /* one checklist item, bytes (UTF-8) */
#define PM_MAX_ITEMS 64    /* items in one checklist or item set */
#define PM_MAX_ITEM_SETS 8 /* item sets of one plan */
#define PM_MAX_NOTIFY 16   /* names in notify or escalate */
#define PM_MAX_TARGETS 256 /* devices named by one plan */

/* Calendar units, names in pm_unit_names ("day", "week", "month", "year",
 * "hour", "minute", "second"); a period is written "15 days", "1 week",
 * "6 months", "1 year", "8 hours". Sub-day units (appended, so the indexes
 * of the others stay) are for shifts' rounds and for tests with short
 * periods: their occurrences are instants, not dates. */
enum pm_unit { PM_DAY, PM_WEEK, PM_MONTH, PM_YEAR, PM_HOUR, PM_MINUTE, PM_SECOND };
extern const char *const pm_unit_names[];

struct pm_period {
	int count; /* 1..; 0: no period */
	int unit;  /* enum pm_unit */
};

/* fixed: occurrences on the calendar (anchor_date + k * every); floating:
 * the next occurrence counts from the last completion. */
enum pm_anchor { PM_FLOATING, PM_FIXED };
extern const char *const pm_anchor_names[];

/* What a meter counts from a metric of the device's telemetry:
 * counter — a cumulative reading (run_hours, starts, total_kwh): its increase;
 * starts  — a boolean (running): each false -> true transition counts 1;
 * hours   — a boolean (running): hours spent true. */
enum pm_meter_kind { PM_METER_COUNTER, PM_METER_STARTS, PM_METER_HOURS };
extern const char *const pm_meter_kind_names[];

/* Work-order priority, the names of work_orders.priority. */
enum pm_priority { PM_ORDINARY, PM_EMERGENCY };
extern const char *const pm_priority_names[];

/* An item set: extra checklist items done every `every` (quarterly,
 * half-yearly, yearly), less often than the plan itself. Its own cycle runs
 * on the calendar from anchor_day: the set belongs to the plan's occurrence
 * whose due time is the first at or after each anchor_day + k * every. So an
 * occurrence due at T, following one due (or done) at P, carries the set when
 * some anchor_day + k * every falls in (P, T]; the first occurrence of a plan
 * with no known completion carries every set. */
struct pm_item_set {
	char name[PM_NAME_SIZE];
	struct pm_period every;
	char anchor_date[REG_DATE_SIZE];
	long anchor_day; /* days since 1970-01-01 */
	struct cfg_strlist items;
	const struct cfg_node *node;
};

/* A plan. Targets: the devices named, and every device of the asset types
 * (that carries all of tags, on site when site is set); or, with site alone,
 * the site itself (site_level: vacant flats, drills, patrols — no device).
 * Due by calendar, by meter, or whichever comes first when both are set. */
struct pm_plan {
	char id[PM_NAME_SIZE];
	char name[REG_NAME_SIZE];
	char site[REG_ID_SIZE]; /* "" when not given */
	struct cfg_strlist devices, asset_types, tags;
	unsigned long long type_mask; /* bit i: reg_asset_types[i] */
	int site_level;
	/* calendar (has_calendar 0: meter only) */
	int has_calendar;
	struct pm_period every;
	int anchor;                      /* enum pm_anchor */
	char anchor_date[REG_DATE_SIZE]; /* fixed only */
	long anchor_day;
	/* local time of day (the site's time zone) the work may be done in;
	 * end <= start spans midnight. has_window 0: any time. */
	int has_window;
	int window_start_min, window_end_min; /* minutes after midnight, end may be 1440 */
	long long lead_ms;                    /* request the work this long before it is due */
	long long duration_ms;                /* estimated duration of the work */
	struct cfg_strlist checklist;
	struct pm_item_set sets[PM_MAX_ITEM_SETS];
	int n_sets;
	char skill[REG_ID_SIZE];    /* a skill id, or "" */
	char assignee[REG_ID_SIZE]; /* a person id, or "" (dispatch by skill) */
	int priority;               /* enum pm_priority */
	int statutory;              /* required by regulation: escalates when overdue */
	/* meter (has_meter 0: calendar only) */
	int has_meter;
	char meter_metric[PM_NAME_SIZE];
	int meter_kind; /* enum pm_meter_kind */
	double meter_every;
	/* overdue: past due by overdue_after_ms without completed work, notify
	 * is told; a statutory plan also escalates to escalate after a further
	 * escalate_after_ms (escalate is empty for other plans). */
	long long overdue_after_ms, escalate_after_ms;
	struct cfg_strlist notify, escalate;
	/* the last completion before the system knew the plan; without it (and
	 * without a recorded completion) the plan is due at once */
	int has_last_done;
	char last_done[REG_DATE_SIZE];
	long last_done_day;
	int enabled;
	const struct cfg_node *node; /* where it was defined */
};

struct pm_set {
	struct pm_plan *plans;
	size_t n_plans;
	struct cfg_doc *doc; /* owned when loaded by pm_load_dir */
};

/* Builds and checks the plans of a parsed maintenance.yaml. reg may be NULL
 * (the registry could not be read): references into it are then not checked.
 * Every problem is added as "file:line: message": unknown keys, bad ids,
 * unknown devices, asset types, sites, skills, people and notify targets,
 * targets that match no device, bad periods, dates and times, a lead time not
 * shorter than the period, work longer than its window, a meter on a
 * site-level plan, item sets that come as often as the plan, a statutory plan
 * that escalates to nobody. Returns 0, or -1 when errors were added; out is
 * filled either way and must be pm_free'd. The nodes of doc must outlive out.
 * A NULL doc (its error already reported) returns -1 and adds nothing. Pure. */
int
pm_build(struct pm_set *out, const struct cfg_doc *doc, const struct reg *reg,
	 struct cfg_errs *errs);

/* Reads dir/maintenance.yaml and builds the plans (out owns the document).
 * Returns 0 or -1 with errors in errs; out must be pm_free'd either way. */
int
pm_load_dir(const char *dir, const struct reg *reg, struct pm_set *out, struct cfg_errs *errs);

/* Frees what set owns; a zeroed set and NULL are no-ops. */
void
pm_free(struct pm_set *set);

/* The plan with this id, or NULL. */
const struct pm_plan *
pm_find(const struct pm_set *set, const char *id);

/* 1 when the plan covers device d (never for a site-level plan). */
int
pm_plan_covers(const struct pm_plan *p, const struct reg_device *d);

/* Parses "N unit" (unit: day, week, month, year, hour, minute or second,
 * singular or plural; N 1..999) into out. Returns 0 or -1. Pure. */
int
pm_period_parse(const char *s, struct pm_period *out);

/* The shortest and the longest a period can last, in whole days (a month
 * is 28 to 31 days, a year 365 or 366; a sub-day period rounds down). */
long
pm_period_min_days(const struct pm_period *p);
long
pm_period_max_days(const struct pm_period *p);

/* The same in milliseconds (exact for sub-day periods). */
long long
pm_period_min_ms(const struct pm_period *p);
long long
pm_period_max_ms(const struct pm_period *p);

/* 1 when the unit is hour, minute or second. */
int
pm_unit_sub_day(int unit);

/* Writes the period as "15 days", "1 month" into buf. Returns buf. */
const char *
pm_period_str(const struct pm_period *p, char *buf, size_t cap);

#endif
