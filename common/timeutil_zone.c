/* timeutil_zone.c — converts between UTC instants and wall-clock time in a
 * loaded zone: the transition table first, the POSIX rule after it. Pure: the
 * zone is read-only input, nothing is allocated, no libc time-zone call. */
#include "timeutil.h"

#include <limits.h>
#include <string.h>

/* No zone's offset reaches 26 hours; a wall-clock time therefore maps to UTC
 * instants within this many seconds of itself. */
#define OFFSET_WINDOW_S (26 * 3600)
#define NO_NEXT LLONG_MAX

struct rule_event {
	long long at_s; /* UTC seconds */
	int to_dst;
};

/* Day (since the epoch) that a rule date falls on in year y. */
static long long
rule_day(const struct tu_tzdate *d, int y)
{
	long long jan1 = tu_days_from_civil(y, 1, 1);

	switch (d->kind) {
	case 'J':
		/* Day 1..365, February 29 never counted. */
		return jan1 + d->day - 1 + (tu_is_leap_year(y) && d->day >= 60);
	case 'D':
		return jan1 + d->day;
	default: {
		long long first = tu_days_from_civil(y, d->month, 1);
		int mday = 1 + (d->wday - tu_weekday(first) + 7) % 7 + (d->week - 1) * 7;
		int dim = tu_days_in_month(y, d->month);

		while (mday > dim) /* week 5 means the last such weekday */
			mday -= 7;
		return first + mday - 1;
	}
	}
}

/* The DST start and end of years y-1..y+1 as UTC instants, in time order
 * (an end before a start at the same instant, so permanent-DST rules such as
 * "J1/0,J365/25" stay in DST). */
static int
rule_events(const struct tu_tzrule *r, int y, struct rule_event ev[6])
{
	int n = 0;

	for (int yy = y - 1; yy <= y + 1; yy++) {
		ev[n].at_s = rule_day(&r->start, yy) * 86400 + r->start.time_s - r->std.utoff_s;
		ev[n++].to_dst = 1;
		ev[n].at_s = rule_day(&r->end, yy) * 86400 + r->end.time_s - r->dst.utoff_s;
		ev[n++].to_dst = 0;
	}
	for (int i = 1; i < n; i++) {
		struct rule_event e = ev[i];
		int j = i;
		while (j > 0 && (ev[j - 1].at_s > e.at_s ||
				 (ev[j - 1].at_s == e.at_s && ev[j - 1].to_dst > e.to_dst))) {
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = e;
	}
	return n;
}

/* Type of the rule at UTC second t, and the next rule event after t. */
static const struct tu_ztype *
rule_at(const struct tu_tzrule *r, long long t, long long *next)
{
	struct rule_event ev[6];
	int y, m, d, n, dst;

	*next = NO_NEXT;
	if (!r->has_dst)
		return &r->std;
	/* The year of t in standard local time; clamp so that far-off
	 * instants still find a calendar year (the range is checked later). */
	long long days = (t + r->std.utoff_s) / 86400;
	if (tu_civil_from_days(days, &y, &m, &d) != 0)
		y = days < 0 ? 0 : 9999;
	n = rule_events(r, y, ev);
	dst = !ev[0].to_dst;
	for (int i = 0; i < n; i++) {
		if (ev[i].at_s <= t) {
			dst = ev[i].to_dst;
		} else {
			*next = ev[i].at_s;
			break;
		}
	}
	return dst ? &r->dst : &r->std;
}

/* The local-time type in effect at UTC second t, and the next instant after
 * t at which it may change (NO_NEXT if never). */
static const struct tu_ztype *
zone_at(const struct tu_zone *z, long long t, long long *next)
{
	int n = z->n_trans;

	if (n == 0) {
		if (z->has_rule)
			return rule_at(&z->rule, t, next);
		*next = NO_NEXT;
		return &z->types[0];
	}
	if (t < z->trans_s[0]) {
		*next = z->trans_s[0];
		return &z->types[0];
	}
	if (t >= z->trans_s[n - 1]) {
		if (z->has_rule)
			return rule_at(&z->rule, t, next);
		*next = NO_NEXT;
		return &z->types[z->trans_type[n - 1]];
	}
	/* Largest i with trans_s[i] <= t; trans_s[0] <= t < trans_s[n-1]. */
	int lo = 0, hi = n - 1;
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;
		if (z->trans_s[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	*next = z->trans_s[lo + 1];
	return &z->types[z->trans_type[lo]];
}

static long long
floor_div(long long a, long long b)
{
	long long q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int
tu_utc_to_local(const struct tu_zone *z, long long utc_ms, struct tu_civil *out)
{
	long long next;

	if (z->n_types < 1 || utc_ms < TU_MIN_MS || utc_ms > TU_MAX_MS)
		return -1;
	const struct tu_ztype *ty = zone_at(z, floor_div(utc_ms, 1000), &next);
	if (tu_utc_civil(utc_ms + ty->utoff_s * 1000LL, out) != 0)
		return -1;
	out->utc_offset_s = ty->utoff_s;
	out->is_dst = ty->is_dst;
	memcpy(out->abbr, ty->abbr, sizeof(out->abbr));
	return 0;
}

enum tu_local
tu_local_to_utc(const struct tu_zone *z, const struct tu_civil *local, long long *utc_ms)
{
	long long local_ms, wall, t, next, found = 0, before_gap = 0;
	int n_found = 0, have_before = 0;

	if (z->n_types < 1 || tu_civil_utc(local, &local_ms) != 0)
		return TU_LOCAL_INVALID;
	wall = floor_div(local_ms, 1000);
	/* Walk the intervals of constant offset that can hold the answer; in
	 * each, the instant wall - offset is a solution if it lies inside. */
	t = wall - OFFSET_WINDOW_S;
	while (t <= wall + OFFSET_WINDOW_S) {
		const struct tu_ztype *ty = zone_at(z, t, &next);
		long long cand = wall - ty->utoff_s;

		if (cand >= t && cand < next) {
			if (n_found++ == 0)
				found = cand;
		} else if (cand >= next) {
			/* The last interval whose wall clock never reached
			 * this time: its offset is the one before a gap. */
			before_gap = cand;
			have_before = 1;
		}
		if (next == NO_NEXT)
			break;
		t = next;
	}
	if (n_found == 0 && !have_before)
		return TU_LOCAL_INVALID; /* a malformed zone; real ones never get here */
	t = n_found > 0 ? found : before_gap;
	long long ms = t * 1000 + (local_ms - wall * 1000);
	if (ms < TU_MIN_MS || ms > TU_MAX_MS)
		return TU_LOCAL_INVALID;
	*utc_ms = ms;
	if (n_found == 0)
		return TU_LOCAL_GAP;
	return n_found > 1 ? TU_LOCAL_OVERLAP : TU_LOCAL_UNIQUE;
}
