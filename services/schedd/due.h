/* due.h — the calendar side of preventive maintenance: (plan, site zone,
 * history, now) -> the next occurrence to request, when it is due, when its
 * request must be published, and how many occurrences a downtime skipped.
 * Occurrences are local dates in the site's zone; their identity is the key
 * "plan:device:YYYY-MM-DD" (plans every N hours, minutes or seconds:
 * instants, keyed "plan:device:YYYY-MM-DDTHH:MM:SS" local; due_instant.c).
 * The plan model here is schedd's own, not the configuration's: conf_db.c
 * maps the configuration onto it.
 * Pure: no I/O, no clock (now_ms comes in), no allocation, no globals. */
#ifndef FM_SCHEDD_DUE_H
#define FM_SCHEDD_DUE_H

#include <stddef.h>

#include "timeutil.h"

/* Bounds a plan must keep: every 1..DUE_EVERY_MAX units, a lead time of
 * 0..DUE_LEAD_MAX_MS. */
#define DUE_EVERY_MAX 1000
#define DUE_LEAD_MAX_MS (366LL * 86400 * 1000)

/* "YYYY-MM-DD" and its NUL. */
#define DUE_DATE_LEN 11

/* "YYYY-MM-DDTHH:MM:SS" and its NUL: the local time of a sub-day occurrence. */
#define DUE_TIME_LEN 20

/* Sub-day units (hour, minute, second) make occurrences instants rather
 * than dates: fixed, anchor_date's local midnight + k * every (exact
 * elapsed time, whatever the zone's clock changes do); floating, the last
 * completion + every. They have no window. */
enum due_unit { DUE_DAY, DUE_WEEK, DUE_MONTH, DUE_YEAR, DUE_HOUR, DUE_MINUTE, DUE_SECOND };

/* fixed: occurrences on the calendar grid anchor + k * every units (k >= 0),
 * whether or not the previous one was done; floating: the next occurrence is
 * every units after the local date of the last completion. */
enum due_anchor { DUE_FLOATING, DUE_FIXED };

/* A local (wall-clock) date in the site's zone. */
struct due_date {
	int year, month, day;
};

struct due_plan {
	enum due_unit unit;
	int every; /* 1..DUE_EVERY_MAX */
	enum due_anchor anchor;
	struct due_date anchor_date; /* fixed: the first occurrence; else unused */
	/* Local time of day the work may be done in, seconds since local
	 * midnight 0..86399; window_end_s <= window_start_s spans midnight
	 * (equal: a whole day from the start). */
	int has_window;
	int window_start_s, window_end_s;
	long long lead_ms; /* the request goes out this long before the due instant */
};

/* What schedd remembers of one (plan, device): the last completion, and the
 * occurrence of the last request it published (the date in its key). */
struct due_history {
	int has_last_done;
	long long last_done_ms; /* UTC */
	int has_last_requested;
	struct due_date last_requested; /* plans by date */
	long long last_requested_ms;    /* sub-day plans: the occurrence's instant */
};

enum due_state {
	DUE_WAIT,      /* publish the request for date at publish_ms (in the future) */
	DUE_READY,     /* publish the request for date now */
	DUE_REQUESTED, /* floating: date was requested; nothing more until a completion */
};

struct due_result {
	enum due_state state;
	struct due_date date; /* the occurrence: its local due date */
	/* The due instant: the start of the window on date, or local midnight
	 * of date without a window (the whole day is allowed, so the work is
	 * due as the day begins). A wall-clock time that a DST gap skips is
	 * moved later by the gap; one an overlap repeats is the earlier. */
	long long due_ms;
	long long window_end_ms; /* the window's end; without one, the next midnight */
	long long publish_ms;    /* due_ms - lead_ms; never done: not after now_ms */
	/* fixed: occurrences after the last completed or requested one and
	 * before date, never requested (schedd was down): the request for date
	 * stands for them too. 0 for floating plans and when there is no
	 * history at all (nobody knows what was missed). */
	long long missed;
};

/* The next occurrence of plan p for a device with history h, in zone z, at
 * now_ms (UTC).
 * - A plan never done and never requested is due at once: floating, on
 *   today's local date with publish_ms <= now_ms; fixed, the latest grid
 *   occurrence whose request time has come (a fixed plan whose anchor is
 *   still ahead waits for it: the anchor is the planner's explicit start).
 * - fixed: the last completion covers every grid occurrence whose request
 *   was due by then (due_ms - lead_ms <= last_done_ms); the last request
 *   covers every occurrence on or before its date. The latest occurrence
 *   whose request time has come and that is not covered is READY, with
 *   missed counting the uncovered ones before it; else the first uncovered
 *   occurrence is WAIT.
 * - floating: due every units after the local date of the last completion
 *   (months clamp: done Jan 31 + 1 month = Feb 28/29); REQUESTED while the
 *   last request's date is on or after that date; a floating plan requested
 *   but never done stays REQUESTED.
 * 0, or -1 when the plan or the history is invalid or a date leaves years
 * 0..9999 (*out is then unspecified). */
int
due_next(const struct due_plan *p, const struct tu_zone *z, const struct due_history *h,
	 long long now_ms, struct due_result *out);

/* 1 for hour, minute and second. */
int
due_unit_sub_day(enum due_unit u);

/* 1 when p is within its bounds (every, window, lead, a valid anchor date
 * for a fixed plan, no window for a sub-day plan), else 0. */
int
due_plan_valid(const struct due_plan *p);

/* The local date of utc_ms in zone z. 0, or -1 out of range. */
int
due_date_of(const struct tu_zone *z, long long utc_ms, struct due_date *out);

/* <0, 0, >0 as a is before, the same as, after b. */
int
due_date_cmp(const struct due_date *a, const struct due_date *b);

/* Writes "YYYY-MM-DD"; returns 10, or -1 for an invalid date or
 * cap < DUE_DATE_LEN (buf is then "" if cap > 0). */
int
due_date_format(const struct due_date *d, char *buf, size_t cap);

/* The idempotency key of an occurrence: "plan:device:YYYY-MM-DD". Plan and
 * device ids never hold ':' (they are [A-Za-z0-9_-]), so the key reads
 * back unambiguously. Returns its length, or -1 when an id is empty or holds
 * ':', the date is invalid, or it does not fit in cap (buf is then "" if
 * cap > 0). */
int
due_key(char *buf, size_t cap, const char *plan, const char *device, const struct due_date *d);

/* The occurrence date of a key made by due_key (what follows its last ':'),
 * so a restart knows the last request from pm_state.last_request_key.
 * 0, or -1 when the key does not end in a valid ":YYYY-MM-DD". */
int
due_key_date(const char *key, struct due_date *out);

/* The key of a sub-day occurrence due at utc_ms:
 * "plan:device:YYYY-MM-DDTHH:MM:SS", the local time in zone z (whole
 * seconds). Returns its length, or -1 as due_key. */
int
due_key_time(char *buf, size_t cap, const char *plan, const char *device, const struct tu_zone *z,
	     long long utc_ms);

/* The instant of a key made by due_key_time, read in zone z (a time an
 * overlap repeats is the earlier). 0, or -1 when the key does not end in a
 * valid ":YYYY-MM-DDTHH:MM:SS" local time of z. */
int
due_key_instant(const char *key, const struct tu_zone *z, long long *utc_ms);

#endif
