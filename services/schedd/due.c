/* due.c — next-due dates of calendar plans in the site's time zone: the grid
 * of a fixed plan, the step of a floating one, the due instant of a local
 * date (window start or midnight, through the zone's gaps and overlaps), and
 * the occurrence keys. Pure: it reads no clock and keeps no state; schedd's
 * main.c publishes and persists what it computes. */
#include "schedd/due_int.h"

#include <stdio.h>
#include <string.h>

int
due_date_cmp(const struct due_date *a, const struct due_date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

int
due_date_valid(const struct due_date *d)
{
	return d->year >= 0 && d->year <= 9999 && d->month >= 1 && d->month <= 12 && d->day >= 1 &&
	       d->day <= tu_days_in_month(d->year, d->month);
}

static long long
date_days(const struct due_date *d)
{
	return tu_days_from_civil(d->year, d->month, d->day);
}

static int
date_from_days(long long days, struct due_date *out)
{
	return tu_civil_from_days(days, &out->year, &out->month, &out->day);
}

/* from + n units (n >= 0). Months and years clamp the day to the month's
 * end, always counted from `from`, so a grid anchored on the 31st comes back
 * to the 31st after a short month. */
static int
date_add(const struct due_date *from, enum due_unit unit, long long n, struct due_date *out)
{
	struct tu_civil c;
	long long months;

	switch (unit) {
	case DUE_DAY:
	case DUE_WEEK:
		if (n > 4000000)
			return -1;
		return date_from_days(date_days(from) + (unit == DUE_WEEK ? 7 * n : n), out);
	case DUE_MONTH:
	case DUE_YEAR:
		months = unit == DUE_YEAR ? 12 * n : n;
		if (months > 120000) /* past year 9999 from any year */
			return -1;
		memset(&c, 0, sizeof(c));
		c.year = from->year;
		c.month = from->month;
		c.day = from->day;
		if (tu_add_months(&c, (int)months) != 0)
			return -1;
		out->year = c.year;
		out->month = c.month;
		out->day = c.day;
		return 0;
	case DUE_HOUR:
	case DUE_MINUTE:
	case DUE_SECOND: /* instants, due_instant.c: never stepped by date */
		break;
	}
	return -1;
}

int
due_date_of(const struct tu_zone *z, long long utc_ms, struct due_date *out)
{
	struct tu_civil c;

	if (tu_utc_to_local(z, utc_ms, &c) != 0)
		return -1;
	out->year = c.year;
	out->month = c.month;
	out->day = c.day;
	return 0;
}

int
due_local_instant(const struct tu_zone *z, const struct due_date *d, int sec_of_day, long long *ms)
{
	struct tu_civil c;

	memset(&c, 0, sizeof(c));
	c.year = d->year;
	c.month = d->month;
	c.day = d->day;
	c.hour = sec_of_day / 3600;
	c.min = sec_of_day / 60 % 60;
	c.sec = sec_of_day % 60;
	return tu_local_to_utc(z, &c, ms) == TU_LOCAL_INVALID ? -1 : 0;
}

/* Due instant and window end of the occurrence on date d. */
static int
occurrence_instants(const struct due_plan *p, const struct tu_zone *z, const struct due_date *d,
		    long long *due_ms, long long *end_ms)
{
	struct due_date next;
	int start_s = p->has_window ? p->window_start_s : 0;
	int end_s = p->has_window ? p->window_end_s : 0;

	if (due_local_instant(z, d, start_s, due_ms) != 0)
		return -1;
	if (end_s > start_s)
		return due_local_instant(z, d, end_s, end_ms);
	if (date_add(d, DUE_DAY, 1, &next) != 0) {
		*end_ms = TU_MAX_MS; /* 9999-12-31: the window runs to the end of time */
		return 0;
	}
	return due_local_instant(z, &next, end_s, end_ms);
}

static long long
sat_add(long long a, long long b)
{
	return a > TU_MAX_MS - b ? TU_MAX_MS : a + b;
}

/* Occurrence k (k >= 0) of a fixed plan. */
static int
grid_date(const struct due_plan *p, long long k, struct due_date *out)
{
	return date_add(&p->anchor_date, p->unit, k * p->every, out);
}

/* The largest k with grid_date(k) <= d, or -1 when d is before the anchor. */
static int
grid_index_le(const struct due_plan *p, const struct due_date *d, long long *k_out)
{
	const struct due_date *a = &p->anchor_date;
	struct due_date g;
	long long span, k;

	if (due_date_cmp(d, a) < 0) {
		*k_out = -1;
		return 0;
	}
	switch (p->unit) {
	case DUE_DAY:
		span = date_days(d) - date_days(a);
		break;
	case DUE_WEEK:
		span = (date_days(d) - date_days(a)) / 7;
		break;
	case DUE_MONTH:
		span = (d->year - a->year) * 12LL + d->month - a->month;
		break;
	default:
		span = d->year - a->year;
		break;
	}
	/* The estimate is within one step; walk to the exact index. A date
	 * past year 9999 counts as later than d. */
	k = span / p->every;
	while (k >= 0 && (grid_date(p, k, &g) != 0 || due_date_cmp(&g, d) > 0))
		k--;
	while (grid_date(p, k + 1, &g) == 0 && due_date_cmp(&g, d) <= 0)
		k++;
	*k_out = k;
	return 0;
}

static int
grid_due(const struct due_plan *p, const struct tu_zone *z, long long k, long long *due_ms)
{
	struct due_date g;
	long long end_ms;

	if (grid_date(p, k, &g) != 0)
		return -1;
	return occurrence_instants(p, z, &g, due_ms, &end_ms);
}

/* The largest k whose due instant is at or before limit_ms, or -1. */
static int
grid_index_due_by(const struct due_plan *p, const struct tu_zone *z, long long limit_ms,
		  long long *k_out)
{
	struct due_date d;
	long long k, ms;

	if (due_date_of(z, limit_ms, &d) != 0 || grid_index_le(p, &d, &k) != 0)
		return -1;
	/* Dates and instants agree but for a window start that a gap pushes
	 * past midnight or an overlap across midnight: walk both ways. */
	while (k >= 0 && (grid_due(p, z, k, &ms) != 0 || ms > limit_ms))
		k--;
	while (grid_due(p, z, k + 1, &ms) == 0 && ms <= limit_ms)
		k++;
	*k_out = k;
	return 0;
}

static int
fill(const struct due_plan *p, const struct tu_zone *z, const struct due_date *d,
     struct due_result *out)
{
	out->date = *d;
	if (occurrence_instants(p, z, d, &out->due_ms, &out->window_end_ms) != 0)
		return -1;
	out->publish_ms = out->due_ms - p->lead_ms;
	return 0;
}

long long
due_grid_pick(long long covered, long long k_now, int has_history, struct due_result *out)
{
	if (k_now > covered) {
		out->state = DUE_READY;
		out->missed = has_history ? k_now - covered - 1 : 0;
		return k_now;
	}
	out->state = DUE_WAIT;
	out->missed = 0;
	return covered + 1;
}

static int
next_fixed(const struct due_plan *p, const struct tu_zone *z, const struct due_history *h,
	   long long now_ms, struct due_result *out)
{
	long long covered = -1, k, k_now;
	int has_history = h->has_last_done || h->has_last_requested;
	struct due_date d;

	if (h->has_last_done) {
		if (grid_index_due_by(p, z, sat_add(h->last_done_ms, p->lead_ms), &k) != 0)
			return -1;
		covered = k;
	}
	if (h->has_last_requested) {
		if (grid_index_le(p, &h->last_requested, &k) != 0)
			return -1;
		if (k > covered)
			covered = k;
	}
	if (grid_index_due_by(p, z, sat_add(now_ms, p->lead_ms), &k_now) != 0)
		return -1;
	k = due_grid_pick(covered, k_now, has_history, out);
	if (grid_date(p, k, &d) != 0)
		return -1;
	return fill(p, z, &d, out);
}

static int
next_floating(const struct due_plan *p, const struct tu_zone *z, const struct due_history *h,
	      long long now_ms, struct due_result *out)
{
	struct due_date done, d;

	out->missed = 0;
	if (!h->has_last_done) {
		if (h->has_last_requested) {
			out->state = DUE_REQUESTED;
			return fill(p, z, &h->last_requested, out);
		}
		/* Never done: nobody knows when it was last done, so today. */
		out->state = DUE_READY;
		if (due_date_of(z, now_ms, &d) != 0 || fill(p, z, &d, out) != 0)
			return -1;
		if (out->publish_ms > now_ms)
			out->publish_ms = now_ms;
		return 0;
	}
	if (due_date_of(z, h->last_done_ms, &done) != 0 ||
	    date_add(&done, p->unit, p->every, &d) != 0)
		return -1;
	if (h->has_last_requested && due_date_cmp(&d, &h->last_requested) <= 0) {
		out->state = DUE_REQUESTED;
		return fill(p, z, &h->last_requested, out);
	}
	if (fill(p, z, &d, out) != 0)
		return -1;
	out->state = out->publish_ms <= now_ms ? DUE_READY : DUE_WAIT;
	return 0;
}

int
due_unit_sub_day(enum due_unit u)
{
	return u == DUE_HOUR || u == DUE_MINUTE || u == DUE_SECOND;
}

int
due_plan_valid(const struct due_plan *p)
{
	if (p->unit != DUE_DAY && p->unit != DUE_WEEK && p->unit != DUE_MONTH &&
	    p->unit != DUE_YEAR && !due_unit_sub_day(p->unit))
		return 0;
	if (due_unit_sub_day(p->unit) && p->has_window)
		return 0;
	if (p->every < 1 || p->every > DUE_EVERY_MAX)
		return 0;
	if (p->lead_ms < 0 || p->lead_ms > DUE_LEAD_MAX_MS)
		return 0;
	if (p->has_window && (p->window_start_s < 0 || p->window_start_s >= 86400 ||
			      p->window_end_s < 0 || p->window_end_s >= 86400))
		return 0;
	if (p->anchor == DUE_FIXED)
		return due_date_valid(&p->anchor_date);
	return p->anchor == DUE_FLOATING;
}

int
due_next(const struct due_plan *p, const struct tu_zone *z, const struct due_history *h,
	 long long now_ms, struct due_result *out)
{
	int sub_day = due_plan_valid(p) && due_unit_sub_day(p->unit);

	if (sub_day && !due_instant_history_valid(h, now_ms))
		return -1;
	if (!sub_day &&
	    (!due_plan_valid(p) || (h->has_last_requested && !due_date_valid(&h->last_requested))))
		return -1;
	if (!sub_day &&
	    (now_ms < TU_MIN_MS || now_ms > TU_MAX_MS ||
	     (h->has_last_done && (h->last_done_ms < TU_MIN_MS || h->last_done_ms > TU_MAX_MS))))
		return -1;
	memset(out, 0, sizeof(*out));
	if (sub_day)
		return p->anchor == DUE_FIXED ? due_instant_fixed(p, z, h, now_ms, out)
					      : due_instant_floating(p, z, h, now_ms, out);
	if (p->anchor == DUE_FIXED)
		return next_fixed(p, z, h, now_ms, out);
	return next_floating(p, z, h, now_ms, out);
}

int
due_date_format(const struct due_date *d, char *buf, size_t cap)
{
	if (cap > 0)
		buf[0] = '\0';
	if (!due_date_valid(d) || cap < DUE_DATE_LEN)
		return -1;
	snprintf(buf, cap, "%04d-%02d-%02d", d->year, d->month, d->day);
	return DUE_DATE_LEN - 1;
}

int
due_id_ok(const char *id)
{
	return id[0] != '\0' && strchr(id, ':') == NULL;
}

int
due_key_join(char *buf, size_t cap, const char *plan, const char *device, const char *when)
{
	int n = -1;

	if (due_id_ok(plan) && due_id_ok(device) && when)
		n = snprintf(buf, cap, "%s:%s:%s", plan, device, when);
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			buf[0] = '\0';
		return -1;
	}
	return n;
}

int
due_key(char *buf, size_t cap, const char *plan, const char *device, const struct due_date *d)
{
	char date[DUE_DATE_LEN];

	return due_key_join(buf, cap, plan, device,
			    due_date_format(d, date, sizeof(date)) < 0 ? NULL : date);
}

int
due_digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
due_key_date(const char *key, struct due_date *out)
{
	const char *s = strrchr(key, ':');
	struct due_date d;

	if (s == NULL || strlen(++s) != DUE_DATE_LEN - 1 || s[4] != '-' || s[7] != '-')
		return -1;
	if (due_digits(s, 4, &d.year) != 0 || due_digits(s + 5, 2, &d.month) != 0 ||
	    due_digits(s + 8, 2, &d.day) != 0 || !due_date_valid(&d))
		return -1;
	*out = d;
	return 0;
}
