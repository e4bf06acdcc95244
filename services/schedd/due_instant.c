/* due_instant.c — plans every N hours, minutes or seconds: occurrences are
 * instants, not local dates. A fixed plan's grid starts at its anchor date's
 * local midnight and steps by exact elapsed time (a DST change does not
 * shift it); a floating plan's next occurrence is its last completion plus
 * the period. Same rules of covering and missing as the date plans of
 * due.c; keys carry the local time "YYYY-MM-DDTHH:MM:SS". Pure. */
#include "schedd/due_int.h"

#include <stdio.h>
#include <string.h>

static long long
period_ms(const struct due_plan *p)
{
	static const long long unit_ms[] = {
		[DUE_HOUR] = 3600000, [DUE_MINUTE] = 60000, [DUE_SECOND] = 1000};

	return p->every * unit_ms[p->unit];
}

/* floor(a / b) for b > 0. */
static long long
floor_div(long long a, long long b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The largest k with anchor + k * step <= limit, or -1 before the anchor. */
static long long
index_by(long long anchor_ms, long long step, long long limit_ms)
{
	return limit_ms < anchor_ms ? -1 : floor_div(limit_ms - anchor_ms, step);
}

static int
fill(const struct due_plan *p, const struct tu_zone *z, long long due_ms, struct due_result *out)
{
	out->due_ms = due_ms;
	out->window_end_ms = due_ms + period_ms(p); /* until the next one would be due */
	out->publish_ms = due_ms - p->lead_ms;
	return due_date_of(z, due_ms, &out->date);
}

int
due_instant_fixed(const struct due_plan *p, const struct tu_zone *z, const struct due_history *h,
		  long long now_ms, struct due_result *out)
{
	long long a, step = period_ms(p), covered = -1, k, k_now;
	int has_history = h->has_last_done || h->has_last_requested;

	if (due_local_instant(z, &p->anchor_date, 0, &a) != 0)
		return -1;
	if (h->has_last_done)
		covered = index_by(a, step, h->last_done_ms + p->lead_ms);
	if (h->has_last_requested) {
		k = index_by(a, step, h->last_requested_ms);
		if (k > covered)
			covered = k;
	}
	k_now = index_by(a, step, now_ms + p->lead_ms);
	k = due_grid_pick(covered, k_now, has_history, out);
	return fill(p, z, a + k * step, out);
}

int
due_instant_floating(const struct due_plan *p, const struct tu_zone *z, const struct due_history *h,
		     long long now_ms, struct due_result *out)
{
	long long due;

	if (!h->has_last_done) {
		if (h->has_last_requested) {
			out->state = DUE_REQUESTED;
			return fill(p, z, h->last_requested_ms, out);
		}
		/* Never done: due now, on a whole second (keys have seconds). */
		out->state = DUE_READY;
		if (fill(p, z, floor_div(now_ms, 1000) * 1000, out) != 0)
			return -1;
		if (out->publish_ms > now_ms)
			out->publish_ms = now_ms;
		return 0;
	}
	due = h->last_done_ms + period_ms(p);
	if (h->has_last_requested && h->last_requested_ms >= due) {
		out->state = DUE_REQUESTED;
		return fill(p, z, h->last_requested_ms, out);
	}
	if (fill(p, z, due, out) != 0)
		return -1;
	out->state = out->publish_ms <= now_ms ? DUE_READY : DUE_WAIT;
	return 0;
}

int
due_instant_history_valid(const struct due_history *h, long long now_ms)
{
	/* Bounds that keep every sum in range: years 1..9998. */
	const long long lo = TU_MIN_MS + DUE_LEAD_MAX_MS * 4, hi = TU_MAX_MS - DUE_LEAD_MAX_MS * 4;

	return now_ms >= lo && now_ms <= hi &&
	       (!h->has_last_done || (h->last_done_ms >= lo && h->last_done_ms <= hi)) &&
	       (!h->has_last_requested ||
		(h->last_requested_ms >= lo && h->last_requested_ms <= hi));
}

int
due_key_time(char *buf, size_t cap, const char *plan, const char *device, const struct tu_zone *z,
	     long long utc_ms)
{
	struct tu_civil c;
	char when[DUE_TIME_LEN + 16];
	int ok = tu_utc_to_local(z, utc_ms, &c) == 0 && c.year >= 0 && c.year <= 9999;

	if (ok)
		snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day,
			 c.hour, c.min, c.sec);
	return due_key_join(buf, cap, plan, device, ok ? when : NULL);
}

int
due_key_instant(const char *key, const struct tu_zone *z, long long *utc_ms)
{
	size_t len = strlen(key), t = DUE_TIME_LEN - 1;
	const char *s = key + len - t;
	struct due_date d;
	int h, m, sec;

	if (len <= t || s[-1] != ':' || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (due_digits(s, 4, &d.year) != 0 || due_digits(s + 5, 2, &d.month) != 0 ||
	    due_digits(s + 8, 2, &d.day) != 0 || due_digits(s + 11, 2, &h) != 0 ||
	    due_digits(s + 14, 2, &m) != 0 || due_digits(s + 17, 2, &sec) != 0)
		return -1;
	if (!due_date_valid(&d) || h > 23 || m > 59 || sec > 59)
		return -1;
	return due_local_instant(z, &d, h * 3600 + m * 60 + sec, utc_ms);
}
